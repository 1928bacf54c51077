// Cycle model of the Ditto compute unit RTL (generator/blocks/ditto/compute.ts), exact for any
// input idle / output stall pattern. The RTL per cycle:
//   w: w_ready = 1, so a weight beat is accepted in every cycle it is offered; the `loaded` flag
//      of the beat's bank (bank 0 with banks = 1) ← its `last` at the edge (0 after reset).
//   row r: the accumulator pipe of sim/cycles/pipe.ts with 1 + stages registers (the
//      weight-read stage, then the adder-tree levels); in_ready = advance && loaded[b], b = the
//      bank of the offered word (always 0 with banks = 1).
// Free running: a vector's output leaves computeLatency(stages) cycles after its last word is
// accepted; a row accepts one word per cycle, so a tile of W words costs W + latency cycles from
// its first word (computeTileCycles). With banks = 2 a load of one bank never stops the words
// of the other, so a tile's load hides behind the previous tile's words.
import { computeLatency } from '../../../generator/spec/ditto/compute.ts';
import { Sink, Source, runCycles } from '../kernel.ts';
import { AccumulatorPipe } from '../pipe.ts';

export interface ComputeCycleTiming {
  /** adder-tree register levels (the generator's `stages`) */
  stages: number;
}

export interface ComputeCycleResult {
  /** cycle of each accepted weight beat */
  wAccepted: number[];
  /** per row: cycle of each accepted word, cycle of each output beat */
  rows: { accepted: number[]; emitted: number[] }[];
  /** the first cycle in which everything was done */
  cycles: number;
}

/** Free-running tile cost of one row: Σ words + latency. */
export function computeTileCycles(wordsPerVector: readonly number[], stages: number): number {
  return wordsPerVector.reduce((a, b) => a + b, 0) + computeLatency(stages);
}

/** One PE row as a component: its word pipe, gated by the weight buffer's `loaded` (with two banks: the flag of the offered word's bank). */
export class ComputeRow {
  readonly pipe: AccumulatorPipe<boolean>;

  constructor(stages: number) {
    this.pipe = new AccumulatorPipe<boolean>(1 + stages, (last) => last);
  }

  inReady(loaded: boolean, outReady: boolean): boolean {
    return loaded && this.pipe.inReady(undefined, outReady);
  }
}

/** A weight beat or a word: its `last` flag alone (bank 0), or its last flag and bank (0 or 1). */
export type ComputeBeat = boolean | { last: boolean; bank: number };

const lastOf = (b: ComputeBeat): boolean => (typeof b === 'boolean' ? b : b.last);
const bankOf = (b: ComputeBeat): number => (typeof b === 'boolean' ? 0 : b.bank);

/**
 * `wBeats`: every weight beat (its `last` flag, or { last, bank } with banks = 2); `rowBeats[r]`:
 * every word of row r (likewise: `last`, or { last, bank: the bank it reads }). `idle(stream, c)`:
 * input stream idle in cycle c (`w`, `in<r>`); `stall(stream, c)`: output stream not ready in
 * cycle c (`out<r>`).
 */
export function computeCycles(
  wBeats: readonly ComputeBeat[],
  rowBeats: readonly (readonly ComputeBeat[])[],
  t: ComputeCycleTiming,
  idle: (stream: string, c: number) => boolean = () => false,
  stall: (stream: string, c: number) => boolean = () => false,
  maxCycles = 20_000_000,
): ComputeCycleResult {
  for (const b of [...wBeats, ...rowBeats.flat()]) {
    const bank = bankOf(b);
    if (bank !== 0 && bank !== 1) throw new RangeError(`computeCycles: bank ${bank} (0 or 1)`);
  }
  const w = new Source(wBeats, (c) => idle('w', c));
  const rows = rowBeats.map((beats, r) => ({
    src: new Source(beats, (c) => idle(`in${r}`, c)),
    sink: new Sink((c) => stall(`out${r}`, c)),
    row: new ComputeRow(t.stages),
    outputs: beats.filter(lastOf).length,
  }));
  const loaded = [false, false];
  const cycles = runCycles(
    'computeCycles',
    () => w.done && rows.every((r) => r.src.done && r.sink.emitted.length === r.outputs && r.row.pipe.empty),
    (c) => {
      const weight = w.offer(c) !== undefined ? w.accept(c) : undefined;
      for (const { src, sink, row } of rows) {
        const offered = src.offer(c);
        const outReady = sink.ready(c);
        const fire = offered !== undefined && row.inReady(loaded[bankOf(offered)], outReady);
        if (row.pipe.out() !== undefined && outReady) sink.take(c);
        row.pipe.edge(fire ? lastOf(src.accept(c)) : undefined, outReady);
      }
      if (weight !== undefined) loaded[bankOf(weight)] = lastOf(weight);
    },
    maxCycles,
  );
  return { wAccepted: w.accepted, rows: rows.map((r) => ({ accepted: r.src.accepted, emitted: r.sink.emitted })), cycles };
}
