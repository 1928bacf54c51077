// Cycle model of the Ditto PE RTL (generator/blocks/ditto/pe.ts): predicts the cycle in which
// every input word is accepted and every drained sum leaves, exactly, for any input idle /
// output stall pattern (cycle 0 = the first cycle after reset; offering as in the cosim
// harness: a word is offered from the first non-idle cycle after the previous one was taken).
//
// The RTL: `stages` pipeline registers (valid, last) in front of the accumulator stage, all
// enabled by `advance`; the word at the accumulator stage is the input (stages = 0) or the
// last pipeline register. advance = in_ready = !(word there valid && last && out_valid &&
// !out_ready). A drained sum is loaded into the output register at the edge ending the cycle
// its word is taken, and leaves in the first later cycle with out_ready.
// Free-running latency: a `last` word accepted in cycle c gives its sum in cycle c + stages + 1.
// The same skeleton as the CMC SAD engine and search: sim/cycles/pipe.ts.
import { type PipeCycleResult, stallPipeCycles } from '../pipe.ts';

export type PeCycleResult = PipeCycleResult;

export function peLatency(stages: number): number {
  return stages + 1;
}

/** `lasts[w]`: word w drains the accumulator (its sum is a result). */
export function peCycles(lasts: readonly boolean[], stages: number, idle?: (c: number) => boolean, stall?: (c: number) => boolean): PeCycleResult {
  return stallPipeCycles(lasts, stages, idle, stall);
}
