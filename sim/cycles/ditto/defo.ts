// Cycle model of the Ditto Defo unit RTL (generator/blocks/ditto/defo.ts): predicts the cycle
// in which every command is accepted and every query answer leaves, exactly, for any input
// idle / output stall pattern (cycle 0 = the first cycle after reset; offering as in the
// cosim harness).
//
// The RTL: the table is cleared in cycles 0..L−1 (op_ready low); from cycle L on,
// op_ready = !mode_valid || mode_ready. A query accepted in cycle c has its answer valid from
// cycle c + 1 until a cycle with mode_ready. Free running: one command per cycle from cycle L,
// each answer in the cycle after its query.

export interface DefoCycleResult {
  accepted: number[];
  emitted: number[];
  cycles: number;
}

/** `queries[i]`: command i is a query (it produces an answer). */
export function defoCycles(
  queries: readonly boolean[],
  entries: number,
  idle: (c: number) => boolean = () => false,
  stall: (c: number) => boolean = () => false,
  maxCycles = 20_000_000,
): DefoCycleResult {
  const answers = queries.filter(Boolean).length;
  const accepted: number[] = [];
  const emitted: number[] = [];
  let resValid = false;
  let next = 0;
  let offering = false;
  for (let c = 0; c < maxCycles; c++) {
    if (next >= queries.length && emitted.length === answers) return { accepted, emitted, cycles: c };
    if (!offering && next < queries.length && !idle(c)) offering = true;
    const outReady = !stall(c);
    const ready = c >= entries && (!resValid || outReady);
    if (resValid && outReady) emitted.push(c);
    let nextValid: boolean = resValid && !outReady;
    if (offering && ready) {
      accepted.push(c);
      if (queries[next]) nextValid = true;
      next++;
      offering = false;
    }
    resValid = nextValid;
  }
  throw new Error(`defoCycles: not finished after ${maxCycles} cycles`);
}
