// Cycle model of the Ditto encoder RTL (generator/blocks/ditto/encoder.ts), exact for any input
// idle / output stall pattern. Per cycle (`count` = words in the output FIFO at its start):
//   out_valid = count > 0;         a word leaves when out_valid && out_ready
//   in_ready  = count ≤ depth − Wmax   (registered: does not depend on this cycle's pop)
//   an accepted beat pushes its words (sim/golden/ditto/encoder.ts encodeBeatsPerBeat) at the
//   clock edge ending the cycle, so they can leave from the next cycle on.
import { encoderMaxWordsPerBeat } from '../../../generator/spec/ditto/encoder.ts';
import { type EncoderBeat, encodeBeatsPerBeat } from '../../golden/ditto/encoder.ts';
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from '../kernel.ts';
import { Fifo } from '../common/fifo.ts';

export interface EncoderTiming {
  lanes: number;
  /** FIFO depth in words (the generator's resolved depth, encoderDepth) */
  depth: number;
  kBits?: number;
}

/** The encoder's output FIFO: an accepted beat pushes its words (each word's `last` flag). */
export class EncoderQueue implements StreamStage<readonly boolean[], boolean> {
  private readonly fifo: Fifo<boolean>;
  private readonly wmax: number;

  constructor(t: Pick<EncoderTiming, 'lanes' | 'depth'>) {
    this.wmax = encoderMaxWordsPerBeat(t.lanes);
    if (t.depth < this.wmax) throw new RangeError(`encoder FIFO depth ${t.depth} < Wmax ${this.wmax}`);
    this.fifo = new Fifo(t.depth);
  }

  out(): boolean | undefined {
    return this.fifo.out();
  }

  inReady(): boolean {
    return this.fifo.count <= this.fifo.depth - this.wmax;
  }

  edge(taken: readonly boolean[] | undefined, outReady: boolean): void {
    this.fifo.update(!this.fifo.empty && outReady, taken ?? []);
  }

  get empty(): boolean {
    return this.fifo.empty;
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
