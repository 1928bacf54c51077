// Cycle model of the CMC search RTL (generator/blocks/cmc/search.ts), exact for any input
// idle / output stall pattern: the pipe of sim/cycles/pipe.ts with `stages` argmin-tree
// registers, where every beat with `last` completes a token. Free running: one beat per cycle,
// a token's result searchLatency cycles after its last beat.
import { searchLatency } from '../../../generator/spec/cmc/search.ts';
import type { CyclePattern, StreamCycles } from '../kernel.ts';
import { accumulatorPipeCycles } from '../pipe.ts';

/** `lasts[b]`: beat b carries `last`. */
export function searchCycles(lasts: readonly boolean[], stages: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return accumulatorPipeCycles(lasts, stages, idle, stall);
}

/** Free running: beats − 1 + latency + 1 cycles (the last beat must carry `last`). */
export function searchCyclesFree(beats: number, stages: number): number {
  return beats === 0 ? 0 : beats - 1 + searchLatency({ stages }) + 1;
}
