// Cycle model of generator/blocks/common/pipeline.ts `stallPipeline` (abs_diff, argmin, the adder
// tree's valid chain, the Ditto VPU): `stages` registers, all loaded when
//   advance = in_ready = !out_valid || out_ready,
// out_valid = the last register. stages = 0 is a wire (in_ready = out_ready, out = the input).
// Free-running latency `stages`, one beat per cycle.
// With an `emits` predicate (the Ditto VPU's table writes), an item for which it is false moves
// through the registers like any other but is never offered: out_valid is the last register
// holding an item that emits, so such an item in the last register never blocks (advance).
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from '../kernel.ts';

export class StallPipeline<T> implements StreamStage<T> {
  private regs: (T | undefined)[];

  /** `emits(item)`: the item leaves as an output beat (default: every item). */
  constructor(
    readonly stages: number,
    private readonly emits: (item: T) => boolean = () => true,
  ) {
    if (!Number.isInteger(stages) || stages < 0) throw new RangeError(`StallPipeline: stages ${stages}`);
    this.regs = Array.from({ length: stages }, () => undefined);
  }

  /** The item in register `r` if it emits (out_valid of that register). */
  private emitting(r: T | undefined): T | undefined {
    return r !== undefined && this.emits(r) ? r : undefined;
  }

  out(input: T | undefined): T | undefined {
    return this.emitting(this.stages === 0 ? input : this.regs[this.stages - 1]);
  }

  inReady(_input: T | undefined, outReady: boolean): boolean {
    return this.stages === 0 ? outReady : this.emitting(this.regs[this.stages - 1]) === undefined || outReady;
  }

  edge(taken: T | undefined, outReady: boolean): void {
    if (this.stages === 0 || !this.inReady(undefined, outReady)) return;
    this.regs = [taken, ...this.regs.slice(0, this.stages - 1)];
  }

  get empty(): boolean {
    return this.regs.every((r) => r === undefined);
  }

  /** No item left that will still emit (items that do not emit may remain). */
  get drained(): boolean {
    return this.regs.every((r) => this.emitting(r) === undefined);
  }
}

/** Cycles of a stall pipeline of `stages` over `beats` beats. */
export function stallPipelineCycles(beats: number, stages: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return runStream('stallPipelineCycles', new StallPipeline<true>(stages), new Array<true>(beats).fill(true), beats, idle, stall);
}

/**
 * Cycles of a stall pipeline of `stages` over `items` (in order), of which only those with
 * `emits(item)` leave as output beats. The run is complete once every item was accepted and
 * every output beat left (as the harness counts it): items that do not emit may still be inside.
 */
export function stallPipelineEmitCycles<T>(items: readonly T[], stages: number, emits: (item: T) => boolean, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  const pipe = new StallPipeline<T>(stages, emits);
  const stage: StreamStage<T> = {
    out: (input) => pipe.out(input),
    inReady: (input, outReady) => pipe.inReady(input, outReady),
    edge: (taken, outReady) => pipe.edge(taken, outReady),
    get empty() {
      return pipe.drained;
    },
  };
  return runStream('stallPipelineEmitCycles', stage, items, items.filter(emits).length, idle, stall);
}
