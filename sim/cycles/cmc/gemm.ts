// Cycle model of the CMC GEMM engine RTL (generator/blocks/cmc/gemm.ts), exact for any idle
// pattern of `w` and `x` and any stall pattern of `out`. Two arbitrated input streams in front
// of a full-stall pipeline (sim/cycles/common/pipeline.ts: every register holds while the output
// register is full and not accepted, bubbles too). Per cycle:
//   advance   = !out_valid || out_ready
//   w_ready   = advance && x between rows (x beats accepted a multiple of U·KB)
//   x_ready   = advance && w between loads (w beats accepted a multiple of U·B·KB)
//               && !(w offered && x between rows)                        — w wins
//   on advance the pipeline (stage 1, `stages` tree levels, accumulator, `mulStages` carry-save
//   register, multiply register, `rqStages` shift register, output register: gemmLatency
//   positions) shifts in whether a tile's final beat was taken.
// Free running: a tile's final beat accepted in cycle c leaves in cycle c + gemmLatency.
import { gemmGeometry, gemmLatency } from '../../../generator/spec/cmc/gemm.ts';
import { type CyclePattern, Sink, Source, never, runCycles } from '../kernel.ts';
import { StallPipeline } from '../common/pipeline.ts';

export interface GemmTiming {
  elemsPerBeat: number;
  cols: number;
  k: number;
  nOut: number;
  stages: number;
  mulStages: number;
  rqStages: number;
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
  stall: CyclePattern = never,
  minCycles = 1,
  maxCycles = 50_000_000,
): GemmCycleResult {
  const { KB, words: perRow } = gemmGeometry(t);
  const perLoad = perRow * t.cols;
  const outputs = (xBeats / KB) | 0;
  const w = new Source(new Array<true>(wBeats).fill(true), (c) => idle('w', c));
  const x = new Source(new Array<true>(xBeats).fill(true), (c) => idle('x', c));
  const out = new Sink(stall);
  const pipe = new StallPipeline<true>(gemmLatency(t));
  const cycles = runCycles(
    'gemmCycles',
    (c) => c >= minCycles && w.done && x.done && out.emitted.length === outputs,
    (c) => {
      const wOffered = w.offer(c) !== undefined;
      const xOffered = x.offer(c) !== undefined;
      const ready = out.ready(c);
      const advance = pipe.inReady(undefined, ready);
      const xBetweenRows = x.taken % perRow === 0;
      const wFire = wOffered && advance && xBetweenRows;
      const xFire = xOffered && advance && w.taken % perLoad === 0 && !(wOffered && xBetweenRows);
      if (pipe.out(undefined) !== undefined && ready) out.take(c);
      pipe.edge(xFire && x.taken % KB === KB - 1 ? true : undefined, ready);
      if (wFire) w.accept(c);
      if (xFire) x.accept(c);
    },
    maxCycles,
  );
  return { accepted: { w: w.accepted, x: x.accepted }, emitted: out.emitted, cycles };
}
