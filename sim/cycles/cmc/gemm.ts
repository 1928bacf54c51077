// Cycle model of the CMC GEMM engine RTL (generator/blocks/cmc/gemm.ts), exact for any idle
// pattern of `w` and `x` and any stall pattern of `out`. Not the shared pipe of
// sim/cycles/pipe.ts: the engine has two arbitrated input streams and a full-stall pipeline
// (every register holds while the output register is full and not accepted, bubbles too).
// Per cycle c (offering as in the cosim harness: a stream offers its next beat from the first
// non-idle cycle after its previous beat was accepted, and keeps offering it):
//   advance   = !out_valid || out_ready
//   w_ready   = advance && x between rows (x beats accepted a multiple of U·KB)
//   x_ready   = advance && w between loads (w beats accepted a multiple of U·B·KB)
//               && !(w offered && x between rows)                        — w wins
//   on advance the pipeline (stage 1, `stages` tree levels, accumulator, multiply register:
//   stages + 3 positions) shifts; out_valid ← the multiply register holds a tile's final beat.
// Free running: a tile's final beat accepted in cycle c leaves in cycle c + stages + 4.
import { gemmLatency } from '../../../generator/spec/cmc/timing.ts';

export interface GemmTiming {
  elemsPerBeat: number;
  cols: number;
  k: number;
  nOut: number;
  stages: number;
}

export interface GemmCycleResult {
  accepted: { w: number[]; x: number[] };
  emitted: number[];
  /** the first cycle in which everything was done (the harness's completion cycle) */
  cycles: number;
}


/**
 * `wBeats`, `xBeats`: beats on each input stream (whole loads, whole rows). `idle(stream, c)`:
 * the input stream is idle in cycle c; `stall(c)`: out not ready in cycle c. `minCycles`: the
 * harness's completion also waits for its table rows (1 row: cycle ≥ 1).
 */
export function gemmCycles(
  wBeats: number,
  xBeats: number,
  t: GemmTiming,
  idle: (stream: 'w' | 'x', c: number) => boolean = () => false,
  stall: (c: number) => boolean = () => false,
  minCycles = 1,
  maxCycles = 50_000_000,
): GemmCycleResult {
  const KB = t.k / t.elemsPerBeat;
  const U = t.nOut / t.cols;
  const perLoad = U * t.cols * KB;
  const perRow = U * KB;
  const outputs = (xBeats / KB) | 0;
  const depth = gemmLatency(t) - 1; // stage 1, tree levels, accumulator, multiply register
  const accepted = { w: [] as number[], x: [] as number[] };
  const emitted: number[] = [];
  // pipe[i]: whether position i holds a tile's final beat
  let pipe: boolean[] = new Array<boolean>(depth).fill(false);
  let outValid = false;
  let wOffer = false;
  let xOffer = false;
  for (let c = 0; c < maxCycles; c++) {
    if (c >= minCycles && accepted.w.length === wBeats && accepted.x.length === xBeats && emitted.length === outputs) return { accepted, emitted, cycles: c };
    if (!wOffer && accepted.w.length < wBeats && !idle('w', c)) wOffer = true;
    if (!xOffer && accepted.x.length < xBeats && !idle('x', c)) xOffer = true;
    const ready = !stall(c);
    const advance = !outValid || ready;
    const xBetweenRows = accepted.x.length % perRow === 0;
    const wBetweenLoads = accepted.w.length % perLoad === 0;
    const wFire = wOffer && advance && xBetweenRows;
    const xFire = xOffer && advance && wBetweenLoads && !(wOffer && xBetweenRows);
    if (outValid && ready) emitted.push(c);
    if (advance) {
      outValid = pipe[depth - 1];
      pipe = [xFire && accepted.x.length % KB === KB - 1, ...pipe.slice(0, depth - 1)];
    }
    if (wFire) {
      accepted.w.push(c);
      wOffer = false;
    }
    if (xFire) {
      accepted.x.push(c);
      xOffer = false;
    }
  }
  throw new Error(`gemmCycles: not finished after ${maxCycles} cycles`);
}
