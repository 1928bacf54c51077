// Cycle model of the Ditto PE RTL (generator/blocks/ditto/pe.ts): predicts the cycle in which
// every input word is accepted and every drained sum leaves, exactly, for any input idle /
// output stall pattern (cycle 0 = the first cycle after reset; offering as in the cosim
// harness: a word is offered from the first non-idle cycle after the previous one was taken).
//
// The RTL: `stages` pipeline registers (valid, last) in front of the accumulator stage, all
// enabled by `advance`; the word at the accumulator stage is the input (stages = 0) or the
// last pipeline register. advance = in_ready = !(word there valid && last && out_valid &&
// !out_ready). A drained sum is loaded into the output register at the edge ending the cycle
// its word is taken, and leaves in the first later cycle with out_ready.
// Free-running latency: a `last` word accepted in cycle c gives its sum in cycle c + stages + 1.

export interface PeCycleResult {
  accepted: number[];
  emitted: number[];
  cycles: number;
}

export function peLatency(stages: number): number {
  return stages + 1;
}

export function peCycles(
  lasts: readonly boolean[],
  stages: number,
  idle: (c: number) => boolean = () => false,
  stall: (c: number) => boolean = () => false,
  maxCycles = 10_000_000,
): PeCycleResult {
  const outputs = lasts.filter(Boolean).length;
  const accepted: number[] = [];
  const emitted: number[] = [];
  // pipe[s] = undefined (bubble) or the `last` flag of the word in register s
  let pipe: (boolean | undefined)[] = Array.from({ length: stages }, () => undefined);
  let outValid = false;
  let next = 0;
  let offering = false;
  for (let c = 0; c < maxCycles; c++) {
    if (next >= lasts.length && emitted.length === outputs && pipe.every((p) => p === undefined)) return { accepted, emitted, cycles: c };
    if (!offering && next < lasts.length && !idle(c)) offering = true;
    const ready = !stall(c);
    const inWord = offering ? lasts[next] : undefined;
    const atAcc = stages === 0 ? inWord : pipe[stages - 1];
    const advance = !(atAcc === true && outValid && !ready);
    if (outValid && ready) emitted.push(c);
    let nextOutValid: boolean = outValid;
    if (advance && atAcc === true) nextOutValid = true;
    else if (ready) nextOutValid = false;
    if (offering && advance) {
      accepted.push(c);
      next++;
      offering = false;
    }
    if (advance && stages > 0) pipe = [inWord, ...pipe.slice(0, stages - 1)];
    outValid = nextOutValid;
  }
  throw new Error(`peCycles: not finished after ${maxCycles} cycles`);
}
