// Cycle model of the Ditto Defo unit RTL (generator/blocks/ditto/defo.ts): the table is cleared in
// cycles 0..L−1 (op_ready low, defoInitCycles); from then on op_ready = !mode_valid || mode_ready.
// A query accepted in cycle c has its answer valid from cycle c + 1 until a cycle with
// mode_ready. Free running: one command per cycle from cycle L, each answer in the cycle after
// its query.
import { defoInitCycles } from '../../../generator/spec/ditto/defo.ts';
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from '../kernel.ts';

/** Commands in (`true`: a query, which is answered), answers out. */
export class DefoStage implements StreamStage<boolean, true> {
  private clearing: number;
  private answer = false;

  constructor(entries: number) {
    this.clearing = defoInitCycles(entries);
  }

  out(): true | undefined {
    return this.answer ? true : undefined;
  }

  inReady(_query: boolean | undefined, outReady: boolean): boolean {
    return this.clearing === 0 && (!this.answer || outReady);
  }

  edge(taken: boolean | undefined, outReady: boolean): void {
    if (this.clearing > 0) this.clearing--;
    this.answer = (this.answer && !outReady) || taken === true;
  }

  get empty(): boolean {
    return !this.answer;
  }
}

/** `queries[i]`: command i is a query (it produces an answer). */
export function defoCycles(queries: readonly boolean[], entries: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return runStream('defoCycles', new DefoStage(entries), queries, queries.filter(Boolean).length, idle, stall);
}
