// The timing skeleton shared by `ditto_pe`, `ditto_pe_a8w8`, a row of `ditto_compute`, `cmc_sad`
// and `cmc_search`: `stages` pipeline registers (all loaded on `advance`) in front of an
// accumulate stage, whose job-completing items load a one-entry output register. Per cycle:
//   item at the accumulate stage = the offered input (stages = 0) or the last register
//   advance = in_ready = !(that item completes a job && out_valid && !out_ready)
//   out_valid ← 1 when a job-completing item is taken (advance), else ← 0 when out_ready.
// Free-running latency: a job's last beat accepted in cycle c → its result leaves in cycle
// c + stages + 1; throughput one beat per cycle.
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from './kernel.ts';

export class AccumulatorPipe<T> implements StreamStage<T> {
  private regs: (T | undefined)[];
  private result: T | undefined;

  /** `completes(item)`: the item ends a job; its result (the item itself) loads the output register. */
  constructor(
    readonly stages: number,
    private readonly completes: (item: T) => boolean,
  ) {
    if (!Number.isInteger(stages) || stages < 0) throw new RangeError(`AccumulatorPipe: stages ${stages}`);
    this.regs = Array.from({ length: stages }, () => undefined);
  }

  private atAccumulator(input: T | undefined): T | undefined {
    return this.stages === 0 ? input : this.regs[this.stages - 1];
  }

  /** The result on offer (out_valid), or undefined. */
  out(): T | undefined {
    return this.result;
  }

  inReady(input: T | undefined, outReady: boolean): boolean {
    const item = this.atAccumulator(input);
    return !(item !== undefined && this.completes(item) && this.result !== undefined && !outReady);
  }

  // With stages = 0 the item at the accumulator is the offered input, which is taken exactly when
  // it advances: where it is not taken, the output register holds (out_valid && !out_ready) either way.
  edge(taken: T | undefined, outReady: boolean): void {
    const item = this.atAccumulator(taken);
    const advance = this.inReady(item, outReady);
    if (advance && item !== undefined && this.completes(item)) this.result = item;
    else if (outReady) this.result = undefined;
    if (advance && this.stages > 0) this.regs = [taken, ...this.regs.slice(0, this.stages - 1)];
  }

  get empty(): boolean {
    return this.result === undefined && this.regs.every((r) => r === undefined);
  }
}

/** `completes[b]`: beat b is the last beat of a job (it produces a result). */
export function accumulatorPipeCycles(completes: readonly boolean[], stages: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return runStream(
    'accumulatorPipeCycles',
    new AccumulatorPipe<boolean>(stages, (last) => last),
    completes,
    completes.filter(Boolean).length,
    idle,
    stall,
  );
}
