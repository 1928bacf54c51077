// Cycle model of example.sat_acc (block.ts): for a list of samples and any idle pattern on
// `in` and stall pattern on `out`, the cycle in which every sample is accepted and every
// result leaves. Cycle 0 is the first cycle after reset. The input is offered as the cosim
// harness offers it: the next sample from the first non-idle cycle after the previous one was
// taken, held until accepted; `out` is not ready in the cycles its stall pattern is set.
import type { CycleExpectation } from '../../sim/cases/case.ts';

export function satAccCycles(lasts: readonly boolean[], idle: (cycle: number) => boolean, stall: (cycle: number) => boolean, maxCycles = 10_000_000): CycleExpectation {
  const accepted: number[] = [];
  const emitted: number[] = [];
  const results = lasts.filter(Boolean).length;
  let offering = false;
  let outValid = false; // the output register holds a result
  for (let c = 0; c < maxCycles; c++) {
    if (accepted.length === lasts.length && emitted.length === results) {
      return { accepted: { in: accepted }, emitted: { out: emitted }, cycles: c };
    }
    const next = accepted.length;
    if (!offering && next < lasts.length && !idle(c)) offering = true;
    const outReady = !stall(c);
    // A sample that is not `last` never waits; a `last` one waits for the output register.
    const take = offering && (!lasts[next] || !outValid || outReady);
    if (outValid && outReady) emitted.push(c);
    // The clock edge.
    if (take) {
      accepted.push(c);
      offering = false;
    }
    if (take && lasts[next]) outValid = true;
    else if (outReady) outValid = false;
  }
  throw new Error(`satAccCycles: not finished after ${maxCycles} cycles`);
}
