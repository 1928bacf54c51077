// Cycle model of the Ditto compute unit RTL (generator/blocks/ditto/compute.ts): predicts the
// cycle in which every weight beat and every word is accepted and every output row leaves,
// exactly, for any input idle / output stall pattern (cycle 0 = the first cycle after reset;
// offering as in the cosim harness: a beat is offered from the first non-idle cycle after the
// previous one was accepted, and stays offered until accepted).
//
// The RTL per cycle c:
//   w: w_ready = 1, so a weight beat is accepted in every cycle it is offered; `loaded` ← its
//      `last` at the edge (0 after reset).
//   row r: a pipeline of 1 + stages registers (the weight-read stage A, then the adder-tree
//      levels) in front of the accumulator stage, all enabled by
//        advance = !(word at the accumulator stage is last && out_valid && !out_ready)
//      in_ready = advance && loaded (the value of `loaded` in cycle c). A last word taken at the
//      accumulator stage loads the output register (out_valid from c + 1); out_valid clears
//      after a cycle with out_ready.
// Formulas (free running: input always offered after the load, output always ready):
//   a vector's output leaves latency = stages + 2 cycles after its last word is accepted;
//   a row accepts one word per cycle, so V vectors with w_1..w_V words (Σ w = W) accepted from
//   cycle c0 give their outputs in cycles c0 + (w_1 + .. + w_i) − 1 + latency, the last one in
//   c0 + W − 1 + stages + 2: a tile costs W + stages + 2 cycles from its first word.
//   After a load of B beats offered from cycle 0 without idles, the first word is accepted in
//   cycle B.

export interface ComputeCycleTiming {
  /** adder-tree register levels (the generator's `stages`) */
  stages: number;
}

export interface ComputeCycleResult {
  /** cycle of each accepted weight beat */
  wAccepted: number[];
  /** per row: cycle of each accepted word, cycle of each output beat */
  rows: { accepted: number[]; emitted: number[] }[];
  /** the cycle after the last event */
  cycles: number;
}

export function computeLatency(stages: number): number {
  return stages + 2;
}

/** Free-running tile cost of one row: Σ words + stages + 2. */
export function computeTileCycles(wordsPerVector: readonly number[], stages: number): number {
  return wordsPerVector.reduce((a, b) => a + b, 0) + computeLatency(stages);
}

interface RowState {
  lasts: readonly boolean[];
  outputs: number;
  /** pipe[0] = stage A; pipe[i] = undefined (bubble) or the word's last flag */
  pipe: (boolean | undefined)[];
  outValid: boolean;
  next: number;
  offering: boolean;
  accepted: number[];
  emitted: number[];
}

/**
 * `wLasts`: the `last` flag of every weight beat; `rowLasts[r]`: the `last` flag of every word
 * of row r. `idle(stream, c)`: input stream idle in cycle c (`w`, `in<r>`); `stall(stream, c)`:
 * output stream not ready in cycle c (`out<r>`).
 */
export function computeCycles(
  wLasts: readonly boolean[],
  rowLasts: readonly (readonly boolean[])[],
  t: ComputeCycleTiming,
  idle: (stream: string, c: number) => boolean = () => false,
  stall: (stream: string, c: number) => boolean = () => false,
  maxCycles = 20_000_000,
): ComputeCycleResult {
  const depth = 1 + t.stages;
  const rows: RowState[] = rowLasts.map((lasts) => ({
    lasts,
    outputs: lasts.filter(Boolean).length,
    pipe: Array.from({ length: depth }, () => undefined),
    outValid: false,
    next: 0,
    offering: false,
    accepted: [],
    emitted: [],
  }));
  const wAccepted: number[] = [];
  let wNext = 0;
  let loaded = false;
  const done = () => wNext >= wLasts.length && rows.every((r) => r.next >= r.lasts.length && r.emitted.length === r.outputs && r.pipe.every((p) => p === undefined));
  for (let c = 0; c < maxCycles; c++) {
    if (done()) return { wAccepted, rows: rows.map((r) => ({ accepted: r.accepted, emitted: r.emitted })), cycles: c };
    // weight stream: always ready
    let loadedNext: boolean = loaded;
    if (wNext < wLasts.length && !idle('w', c)) {
      wAccepted.push(c);
      loadedNext = wLasts[wNext];
      wNext++;
    }
    rows.forEach((row, r) => {
      if (!row.offering && row.next < row.lasts.length && !idle(`in${r}`, c)) row.offering = true;
      const ready = !stall(`out${r}`, c);
      const atAcc = row.pipe[depth - 1];
      const advance = !(atAcc === true && row.outValid && !ready);
      if (row.outValid && ready) row.emitted.push(c);
      let nextOutValid = row.outValid;
      if (advance && atAcc === true) nextOutValid = true;
      else if (ready) nextOutValid = false;
      let entering: boolean | undefined;
      if (row.offering && advance && loaded) {
        row.accepted.push(c);
        entering = row.lasts[row.next];
        row.next++;
        row.offering = false;
      }
      if (advance) row.pipe = [entering, ...row.pipe.slice(0, depth - 1)];
      row.outValid = nextOutValid;
    });
    loaded = loadedNext;
  }
  throw new Error(`computeCycles: not finished after ${maxCycles} cycles`);
}
