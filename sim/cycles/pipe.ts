// The timing skeleton shared by `ditto_pe`, `cmc_sad` and `cmc_search`: an input stream feeding `stages`
// pipeline registers (all loaded on `advance`) in front of an accumulate stage, whose
// job-completing items load a one-entry output register. Per cycle c:
//   item at the accumulate stage = the offered input beat (stages = 0) or the last register
//   advance = in_ready = !(item is valid && completes a job && out_valid && !out_ready)
//   a beat is accepted when offered && advance; a result leaves when out_valid && out_ready;
//   out_valid ← 1 when a job-completing item is taken (advance), else ← 0 when out_ready.
// Offering follows the cosim harness: a beat is offered from the first non-idle cycle after
// the previous beat was accepted (cycle 0 = the first cycle after reset) and stays offered.
// Free-running latency: a job's last beat accepted in cycle c → its result leaves in cycle
// c + stages + 1; throughput one beat per cycle.

export interface PipeCycleResult {
  /** cycle in which each input beat was accepted */
  accepted: number[];
  /** cycle in which each result left */
  emitted: number[];
  /** the first cycle in which everything was done (as the harness's completion cycle) */
  cycles: number;
}

/**
 * `completes[b]`: beat b is the last beat of a job (it produces a result). `idle(c)`: input
 * idle in cycle c; `stall(c)`: output not ready in cycle c.
 */
export function stallPipeCycles(
  completes: readonly boolean[],
  stages: number,
  idle: (c: number) => boolean = () => false,
  stall: (c: number) => boolean = () => false,
  maxCycles = 50_000_000,
): PipeCycleResult {
  const outputs = completes.filter(Boolean).length;
  const accepted: number[] = [];
  const emitted: number[] = [];
  // pipe[s]: undefined (bubble) or whether the beat in register s completes a job
  let pipe: (boolean | undefined)[] = Array.from({ length: stages }, () => undefined);
  let outValid = false;
  let next = 0;
  let offering = false;
  for (let c = 0; c < maxCycles; c++) {
    // Done when every beat is in, every result out, and no beat is left in the pipeline.
    if (next >= completes.length && emitted.length === outputs && pipe.every((p) => p === undefined)) return { accepted, emitted, cycles: c };
    if (!offering && next < completes.length && !idle(c)) offering = true;
    const ready = !stall(c);
    const inBeat = offering ? completes[next] : undefined;
    const atAcc = stages === 0 ? inBeat : pipe[stages - 1];
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
    if (advance && stages > 0) pipe = [inBeat, ...pipe.slice(0, stages - 1)];
    outValid = nextOutValid;
  }
  throw new Error(`stallPipeCycles: not finished after ${maxCycles} cycles`);
}
