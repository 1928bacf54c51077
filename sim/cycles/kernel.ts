// The stream-model kernel: the cosim harness's rules for driving valid/ready streams, coded once,
// and the loop every cycle model runs in. Block cycle models are components (sim/cycles/common/,
// sim/cycles/pipe.ts) that a model steps once per cycle between a `Source` per input stream and a
// `Sink` per output stream.
//
// The harness's rules (sim/stimulus/format.ts), cycle 0 = the first cycle after reset:
//   * an input stream starts offering its next beat in the first cycle that is not idle once the
//     previous beat was accepted, and keeps that beat on offer until it is accepted;
//   * an output stream is not ready in the cycles its stall pattern sets;
//   * a run is done in the first cycle at whose start every beat was accepted and every result
//     left (the cosim's `cycles` of a passing seed).

/** Set in the cycles an input stream is idle or an output stream stalls. */
export type CyclePattern = (c: number) => boolean;

export const never: CyclePattern = () => false;

/** The cycles of one single-input single-output run. */
export interface StreamCycles {
  /** cycle in which each input beat was accepted (valid && ready) */
  accepted: number[];
  /** cycle in which each output beat left (valid && ready) */
  emitted: number[];
  /** the first cycle in which everything was done */
  cycles: number;
}

/** An input stream driven as the cosim harness drives it. */
export class Source<T> {
  readonly accepted: number[] = [];
  private offering = false;

  constructor(
    readonly beats: readonly T[],
    private readonly idle: CyclePattern = never,
  ) {}

  /** Every beat was accepted. */
  get done(): boolean {
    return this.accepted.length >= this.beats.length;
  }

  /** Beats accepted so far. */
  get taken(): number {
    return this.accepted.length;
  }

  /** Start of cycle c: the beat on offer (valid), or undefined. Call once per cycle, first. */
  offer(c: number): T | undefined {
    if (!this.offering && !this.done && !this.idle(c)) this.offering = true;
    return this.offered;
  }

  /** The beat on offer in the current cycle. */
  get offered(): T | undefined {
    return this.offering ? this.beats[this.accepted.length] : undefined;
  }

  /** The offered beat is accepted in cycle c; returns it. */
  accept(c: number): T {
    if (!this.offering) throw new Error('Source.accept: no beat on offer');
    const beat = this.beats[this.accepted.length]!;
    this.accepted.push(c);
    this.offering = false;
    return beat;
  }
}

/** An output stream: ready unless its stall pattern is set; records when each beat left. */
export class Sink {
  readonly emitted: number[] = [];

  constructor(private readonly stall: CyclePattern = never) {}

  ready(c: number): boolean {
    return !this.stall(c);
  }

  /** A beat left in cycle c. */
  take(c: number): void {
    this.emitted.push(c);
  }
}

/** A cycle model's run did not finish: a model bug or a stimulus the RTL would hang on. */
export class CycleModelTimeout extends Error {
  constructor(model: string, maxCycles: number, detail = '') {
    super(`${model}: not finished after ${maxCycles} cycles${detail ? ` (${detail})` : ''}`);
  }
}

/**
 * The loop of every cycle model: from cycle 0, return the first cycle at whose start `done(c)`
 * holds; otherwise run `cycle(c)` (the combinational evaluation and the clock edge ending c).
 */
export function runCycles(model: string, done: (c: number) => boolean, cycle: (c: number) => void, maxCycles = 50_000_000, detail?: () => string): number {
  for (let c = 0; c < maxCycles; c++) {
    if (done(c)) return c;
    cycle(c);
  }
  throw new CycleModelTimeout(model, maxCycles, detail?.());
}

/**
 * A block with one input stream and one output stream, as a component: queried in the cycle
 * (combinational outputs of its registers and, where the RTL has such a path, of the offered
 * input and the output's ready), then clocked.
 */
export interface StreamStage<I, O = I> {
  /** The output beat offered this cycle (out_valid), or undefined; `input` = the offered input. */
  out(input: I | undefined): O | undefined;
  /** in_ready this cycle. */
  inReady(input: I | undefined, outReady: boolean): boolean;
  /** The clock edge ending the cycle: `taken` = the input beat accepted (undefined: none). */
  edge(taken: I | undefined, outReady: boolean): void;
  /** Nothing left inside. */
  readonly empty: boolean;
}

/**
 * Run a one-in one-out stage over `beats` with the harness's idle and stall patterns until every
 * beat is in, `outputs` beats are out and the stage is empty. `onCycle` sees every cycle before
 * its edge (to record an occupancy, for instance).
 */
export function runStream<I, O>(
  model: string,
  stage: StreamStage<I, O>,
  beats: readonly I[],
  outputs: number,
  idle: CyclePattern = never,
  stall: CyclePattern = never,
  maxCycles = 50_000_000,
  onCycle?: (c: number) => void,
): StreamCycles {
  const src = new Source(beats, idle);
  const sink = new Sink(stall);
  const cycles = runCycles(
    model,
    () => src.done && sink.emitted.length === outputs && stage.empty,
    (c) => {
      const offered = src.offer(c);
      const outReady = sink.ready(c);
      const fire = offered !== undefined && stage.inReady(offered, outReady);
      if (stage.out(offered) !== undefined && outReady) sink.take(c);
      onCycle?.(c);
      stage.edge(fire ? src.accept(c) : undefined, outReady);
    },
    maxCycles,
    () => `${src.taken}/${beats.length} accepted, ${sink.emitted.length}/${outputs} emitted`,
  );
  return { accepted: src.accepted, emitted: sink.emitted, cycles };
}
