// Cycle model of the CMC search RTL (generator/blocks/cmc/search.ts), exact for any input
// idle / output stall pattern: the pipe of sim/cycles/cmc/pipe.ts with `stages` argmin-tree
// registers, where every beat with `last` completes a token. Free running: one beat per cycle,
// a token's result `stages + 1` cycles after its last beat.
import { type PipeCycleResult, stallPipeCycles } from '../pipe.ts';

export function searchLatency(stages: number): number {
  return stages + 1;
}

/** `lasts[b]`: beat b carries `last`. */
export function searchCycles(lasts: readonly boolean[], stages: number, idle?: (c: number) => boolean, stall?: (c: number) => boolean): PipeCycleResult {
  return stallPipeCycles(lasts, stages, idle, stall);
}

/** Free running: beats − 1 + latency + 1 cycles (the last beat must carry `last`). */
export function searchCyclesFree(beats: number, stages: number): number {
  return beats === 0 ? 0 : beats - 1 + searchLatency(stages) + 1;
}
