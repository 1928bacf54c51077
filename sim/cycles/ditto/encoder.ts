// Cycle model of the Ditto encoder RTL (generator/blocks/ditto/encoder.ts), exact for any input
// idle / output stall pattern. The RTL is a free-running pipeline of `stages` registers (never
// stalled) in front of a shift-register output FIFO. Per cycle, from the registers at its start:
//   out_valid = count > 0 (FIFO words);   a word leaves when out_valid && out_ready
//   in_ready  = resv ≤ depth − Wmax, resv = count + the words of every beat in flight, a beat
//               still in the classification register (encoderBoundaries(stages)[0]) counting
//               Wmax (its count is not known yet)
//   an accepted beat's words (sim/golden/ditto/encoder.ts encodeBeatsPerBeat) enter the FIFO at
//   the clock edge ending the cycle `stages` cycles after its acceptance, so they can leave from
//   `stages + 1` cycles after it on (stages = 0: from the next cycle).
import { encoderBoundaries, encoderMaxWordsPerBeat, ENCODER_DEFAULT_STAGES } from '../../../generator/spec/ditto/encoder.ts';
import { type EncoderBeat, encodeBeatsPerBeat } from '../../golden/ditto/encoder.ts';
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from '../kernel.ts';
import { Fifo } from '../common/fifo.ts';

export interface EncoderTiming {
  lanes: number;
  /** FIFO depth in words (the generator's resolved depth, encoderDepth) */
  depth: number;
  /** pipeline stages (default ENCODER_DEFAULT_STAGES) */
  stages?: number;
  kBits?: number;
}

/** The encoder's pipeline and output FIFO: an accepted beat pushes its words (each word's `last` flag) `stages` cycles later. */
export class EncoderQueue implements StreamStage<readonly boolean[], boolean> {
  private readonly fifo: Fifo<boolean>;
  private readonly wmax: number;
  /** the beats in the pipeline registers, oldest last (undefined: a bubble) */
  private pipe: (readonly boolean[] | undefined)[];
  /** the first register holds beats whose word count is not known yet */
  private readonly reserveFirst: boolean;

  constructor(t: Pick<EncoderTiming, 'lanes' | 'depth' | 'stages'>) {
    this.wmax = encoderMaxWordsPerBeat(t.lanes);
    if (t.depth < this.wmax) throw new RangeError(`encoder FIFO depth ${t.depth} < Wmax ${this.wmax}`);
    const stages = t.stages ?? ENCODER_DEFAULT_STAGES;
    this.reserveFirst = encoderBoundaries(stages)[0];
    this.pipe = Array.from({ length: stages }, () => undefined);
    this.fifo = new Fifo(t.depth);
  }

  out(): boolean | undefined {
    return this.fifo.out();
  }

  /** resv: FIFO words + words in flight (Wmax for a beat in the classification register). */
  private get reserved(): number {
    return this.pipe.reduce((n, b, i) => n + (b === undefined ? 0 : i === 0 && this.reserveFirst ? this.wmax : b.length), this.fifo.count);
  }

  inReady(): boolean {
    return this.reserved <= this.fifo.depth - this.wmax;
  }

  edge(taken: readonly boolean[] | undefined, outReady: boolean): void {
    const leaving = this.pipe.length === 0 ? taken : this.pipe[this.pipe.length - 1];
    if (this.pipe.length > 0) this.pipe = [taken, ...this.pipe.slice(0, -1)];
    this.fifo.update(!this.fifo.empty && outReady, leaving ?? []);
  }

  get empty(): boolean {
    return this.fifo.empty && this.pipe.every((b) => b === undefined);
  }
}

/** Per beat, the `last` flag of each word it pushes (the vector's final word carries last). */
export function encoderWordLasts(beats: readonly EncoderBeat[], lanes: number, kBits: number): boolean[][] {
  return encodeBeatsPerBeat(beats, lanes, kBits).map((words, b) => words.map((_, i) => beats[b]!.last && i === words.length - 1));
}

/** `idle(c)`: input idle in cycle c; `stall(c)`: output not ready in cycle c. */
export function encoderCycles(beats: readonly EncoderBeat[], t: EncoderTiming, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  const pushes = encoderWordLasts(beats, t.lanes, t.kBits ?? 16);
  const words = pushes.reduce((n, w) => n + w.length, 0);
  return runStream('encoderCycles', new EncoderQueue(t), pushes, words, idle, stall);
}
