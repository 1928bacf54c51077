// Cycle model of example.sat_acc (block.ts): for a list of samples and any idle pattern on
// `in` and stall pattern on `out`, the cycle in which every sample is accepted and every
// result leaves. The block is a component (a StreamStage) and the kernel (sim/cycles/kernel.ts)
// drives it as the cosim harness drives the RTL: cycle 0 is the first cycle after reset; the
// next sample is offered from the first non-idle cycle after the previous one was taken and held
// until accepted; `out` is not ready in the cycles its stall pattern is set.
import type { CycleExpectation } from '../../sim/cases/case.ts';
import { type CyclePattern, type StreamStage, runStream } from '../../sim/cycles/kernel.ts';

/** Samples in (each one's `last` flag), results out from a one-entry output register. */
class SatAccStage implements StreamStage<boolean, true> {
  private outValid = false; // the output register holds a result

  out(): true | undefined {
    return this.outValid ? true : undefined;
  }

  // A sample that is not `last` never waits; a `last` one waits for the output register.
  inReady(last: boolean | undefined, outReady: boolean): boolean {
    return last !== true || !this.outValid || outReady;
  }

  edge(taken: boolean | undefined, outReady: boolean): void {
    if (taken === true) this.outValid = true;
    else if (outReady) this.outValid = false;
  }

  get empty(): boolean {
    return !this.outValid;
  }
}

export function satAccCycles(lasts: readonly boolean[], idle: CyclePattern, stall: CyclePattern): CycleExpectation {
  const r = runStream('satAccCycles', new SatAccStage(), lasts, lasts.filter(Boolean).length, idle, stall);
  return { accepted: { in: r.accepted }, emitted: { out: r.emitted }, cycles: r.cycles };
}
