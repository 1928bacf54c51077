// Cycle model of the dense A8W8 baseline PE RTL (generator/blocks/ditto/pe_a8w8.ts): predicts
// the cycle in which every input word is accepted and every drained sum leaves, exactly, for
// any input idle / output stall pattern (cycle 0 = the first cycle after reset; offering as in
// the cosim harness).
//
// The RTL: two s8 × s8 products summed by compressor trees and a 17-bit adder with `stages`
// register levels, all enabled by `advance`, beside `stages` (valid, last) registers and as many
// clear registers but the last (a clear word zeroes the accumulator as it enters its stage);
// then the accumulator stage. This is the control of ditto_pe
// (peAccumulatorShell, shared by both PEs): advance = in_ready = !(word at the accumulator
// stage valid && last && out_valid && !out_ready); a drained sum is loaded into the one-entry
// output register at the edge ending the cycle its word is taken, and leaves in the first
// later cycle with out_ready. Only the datapath differs from ditto_pe (two dense MACs in place
// of four A4W8 slots), and the datapath has no say in the timing.
// Free-running latency: a `last` word accepted in cycle c gives its sum in cycle c + peLatency(stages);
// one word (two MACs) per cycle. The skeleton is the one ditto_pe's model uses: the accumulator
// pipeline of sim/cycles/pipe.ts, run by the stream kernel (sim/cycles/kernel.ts).
import type { CyclePattern, StreamCycles } from '../kernel.ts';
import { accumulatorPipeCycles } from '../pipe.ts';

/** `lasts[w]`: word w drains the accumulator (its sum is a result). */
export function peA8w8Cycles(lasts: readonly boolean[], stages: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return accumulatorPipeCycles(lasts, stages, idle, stall);
}
