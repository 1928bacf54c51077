// Cycle model of the Ditto PE RTL (generator/blocks/ditto/pe.ts): `stages` pipeline registers
// (valid, last) in front of the accumulator stage, all enabled by `advance`; a drained sum is
// loaded into the output register at the edge ending the cycle its word is taken, and leaves in
// the first later cycle with out_ready. The skeleton shared with the CMC SAD engine and search:
// sim/cycles/pipe.ts. Free-running latency: a `last` word accepted in cycle c gives its sum in
// cycle c + peLatency(stages).
import type { CyclePattern, StreamCycles } from '../kernel.ts';
import { accumulatorPipeCycles } from '../pipe.ts';

/** `lasts[w]`: word w drains the accumulator (its sum is a result). */
export function peCycles(lasts: readonly boolean[], stages: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return accumulatorPipeCycles(lasts, stages, idle, stall);
}
