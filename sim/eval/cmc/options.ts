// The options of `dcgen eval cmc`: thresholds, segment lengths, search windows, the SAD engine
// (the block's defaults) and the GEMM array, their defaults (full and --quick) and their bounds.
import { sadParams } from '../../../generator/spec/cmc/sad.ts';
import type { GemmArray } from '../../cycles/cmc/cost.ts';
import { EvalInputError, videoDir } from '../common.ts';

export interface CmcEvalOptions {
  frames: number;
  /** thresholds per element τ (Thr = round(τ · n)) */
  taus: readonly number[];
  Gs: readonly number[];
  radii: readonly number[];
  /** intra row segment length */
  Gv: number;
  /** SAD engine */
  sad: { m: number; lanes: number; elemsPerBeat: number; treeStages: number };
  /** GEMM array and projection */
  gemm: GemmArray;
  videoDir: string;
  /** clips to run (default both) */
  clips?: readonly string[];
  /** run the golden-model agreement check (default true) */
  check?: boolean;
}

export function cmcDefaults(quick = false): CmcEvalOptions {
  return {
    frames: quick ? 8 : 32,
    taus: [0, 0.25, 0.5, 1, 2, 4, 8, 16],
    Gs: [4, 8],
    radii: [1, 2],
    Gv: 4,
    sad: { m: sadParams.m.default, lanes: sadParams.lanes.default, elemsPerBeat: sadParams.elemsPerBeat.default, treeStages: sadParams.treeStages.default },
    gemm: { arrayRows: 32, arrayCols: 32, K: 768, Nout: 768 },
    videoDir: videoDir(),
  };
}

export function checkCmcOptions(o: CmcEvalOptions): void {
  if (!Number.isInteger(o.frames) || o.frames < 2 || o.frames > 32) throw new EvalInputError(`--frames ${o.frames}: expected 2..32 (the clips have 32 frames)`);
  if (o.sad.m % o.sad.elemsPerBeat !== 0) throw new EvalInputError(`SAD engine: elemsPerBeat ${o.sad.elemsPerBeat} must divide m = ${o.sad.m}`);
}
