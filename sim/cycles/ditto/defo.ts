// Cycle model of the Ditto Defo unit RTL (generator/blocks/ditto/defo.ts): the table is cleared in
// cycles 0..L−1 (op_ready low, defoInitCycles); from then on op_ready = advance =
// !mode_valid || mode_ready. Two stall-pipeline registers: the accepted command (with its
// registered table read), then the answer. On advance the execute stage takes the accepted
// command (or a bubble) and the answer register takes the executed command's answer if it was a
// query (else it empties). Free running: one command per cycle from cycle L, each answer in the
// cycle c + 2 after its query was accepted in cycle c.
import { defoInitCycles } from '../../../generator/spec/ditto/defo.ts';
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from '../kernel.ts';

/** Commands in (`true`: a query, which is answered), answers out. */
export class DefoStage implements StreamStage<boolean, true> {
  private clearing: number;
  /** the command in the execute stage: undefined = none, true = a query */
  private exec: boolean | undefined;
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
    if (!this.answer || outReady) {
      this.answer = this.exec === true;
      this.exec = taken;
    }
  }

  /** A report in the execute stage produces no output beat: only a held answer counts. */
  get empty(): boolean {
    return !this.answer;
  }
}

/** `queries[i]`: command i is a query (it produces an answer). */
export function defoCycles(queries: readonly boolean[], entries: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return runStream('defoCycles', new DefoStage(entries), queries, queries.filter(Boolean).length, idle, stall);
}
