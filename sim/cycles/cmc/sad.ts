// Cycle model of the CMC SAD engine RTL (generator/blocks/cmc/sad.ts), exact for any input
// idle / output stall pattern: the engine is the pipe of sim/cycles/pipe.ts with
// `treeStages` registers, where the last beat of every job (every ceil(n/e)-th beat) completes
// a job. Free running (input always offered, output always ready): jobs × ceil(n/e) cycles of
// ingest, the first result in cycle ceil(n/e) − 1 + treeStages + 1, then one every ceil(n/e)
// cycles (with ceil(n/e) = 1: one per cycle).
import { sadBeatsPerJob, sadLatency } from '../../../generator/spec/cmc/sad.ts';
import type { CyclePattern, StreamCycles } from '../kernel.ts';
import { accumulatorPipeCycles } from '../pipe.ts';

export interface SadTiming {
  n: number;
  elemsPerBeat: number;
  treeStages: number;
}

/** Cycles of `jobs` jobs free running: last result in cycle jobs·B − 1 + latency, done one cycle later. */
export function sadCyclesFree(jobs: number, t: SadTiming): number {
  return jobs === 0 ? 0 : jobs * sadBeatsPerJob(t) - 1 + sadLatency(t) + 1;
}

export function sadCycles(jobs: number, t: SadTiming, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  const B = sadBeatsPerJob(t);
  const completes = Array.from({ length: jobs * B }, (_, b) => b % B === B - 1);
  return accumulatorPipeCycles(completes, t.treeStages, idle, stall);
}
