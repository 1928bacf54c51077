// Cycle model of generator/blocks/common/pipeline.ts `stallPipeline` (abs_diff, argmin, the adder
// tree's valid chain, the Ditto VPU): `stages` registers, all loaded when
//   advance = in_ready = !out_valid || out_ready,
// out_valid = the last register. stages = 0 is a wire (in_ready = out_ready, out = the input).
// Free-running latency `stages`, one beat per cycle.
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from '../kernel.ts';

export class StallPipeline<T> implements StreamStage<T> {
  private regs: (T | undefined)[];

  constructor(readonly stages: number) {
    if (!Number.isInteger(stages) || stages < 0) throw new RangeError(`StallPipeline: stages ${stages}`);
    this.regs = Array.from({ length: stages }, () => undefined);
  }

  out(input: T | undefined): T | undefined {
    return this.stages === 0 ? input : this.regs[this.stages - 1];
  }

  inReady(_input: T | undefined, outReady: boolean): boolean {
    return this.stages === 0 ? outReady : this.regs[this.stages - 1] === undefined || outReady;
  }

  edge(taken: T | undefined, outReady: boolean): void {
    if (this.stages === 0 || !this.inReady(undefined, outReady)) return;
    this.regs = [taken, ...this.regs.slice(0, this.stages - 1)];
  }

  get empty(): boolean {
    return this.regs.every((r) => r === undefined);
  }
}

/** Cycles of a stall pipeline of `stages` over `beats` beats. */
export function stallPipelineCycles(beats: number, stages: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return runStream('stallPipelineCycles', new StallPipeline<true>(stages), new Array<true>(beats).fill(true), beats, idle, stall);
}
