// The options of `dcgen eval ditto`: the run's size, the seed and the compute unit's shape, their
// defaults (full and --quick) and their bounds.
import { EvalInputError, videoDir } from '../common.ts';

export interface DittoEvalOptions {
  /** steps (frames of each clip, steps of the synthetic trajectory); ≥ 3 so Defo decides */
  frames: number;
  seed: number;
  /** encoder lanes per beat L */
  lanes: number;
  /** PE rows R of the compute array */
  rows: number;
  /** outputs of L0 and L1 (PE columns) */
  outputs: number;
  /** adder-tree register levels of the compute unit (latency stages + 2) */
  stages: number;
  /** steps verified through the golden layer model */
  checkSteps: number;
  /** tokens (evenly spaced) verified through the golden layer model */
  checkTokens: number;
  /** folder of the clips */
  videoDir: string;
  /** datasets to run (default all three) */
  datasets?: readonly string[];
}

export function dittoDefaults(quick = false): DittoEvalOptions {
  return {
    frames: quick ? 6 : 32,
    seed: 1,
    lanes: 4,
    rows: 4,
    outputs: 64,
    stages: 1,
    checkSteps: 3,
    checkTokens: quick ? 16 : 196,
    videoDir: videoDir(),
  };
}

export function checkDittoOptions(o: DittoEvalOptions): void {
  const bad = (what: string, v: number, rule: string) => {
    throw new EvalInputError(`${what} ${v}: ${rule}`);
  };
  if (!Number.isInteger(o.frames) || o.frames < 3 || o.frames > 32) bad('--frames', o.frames, 'expected 3..32 (the clips have 32 frames; Defo needs 3 steps)');
  if (!Number.isInteger(o.lanes) || o.lanes < 1 || o.lanes > 64) bad('lanes', o.lanes, 'expected 1..64');
  if (!Number.isInteger(o.rows) || o.rows < 1 || o.rows > 196) bad('rows', o.rows, 'expected 1..196');
  if (!Number.isInteger(o.outputs) || o.outputs < 1 || o.outputs > 1024) bad('outputs', o.outputs, 'expected 1..1024');
  if (!Number.isInteger(o.checkSteps) || o.checkSteps < 1) bad('checkSteps', o.checkSteps, 'expected ≥ 1');
  if (!Number.isInteger(o.checkTokens) || o.checkTokens < 1) bad('checkTokens', o.checkTokens, 'expected ≥ 1');
}
