// Cycle model of the Ditto VPU RTL (generator/blocks/ditto/vpu.ts): predicts the cycle in which
// every input beat is accepted and every output beat leaves, exactly, for any input idle /
// output stall pattern (cycle 0 = the first cycle after reset; offering as in the cosim
// harness).
//
// The RTL is a 4-register stall pipeline: advance = !out_valid || out_ready = in_ready; on
// advance every valid bit moves one place (the first loads "a beat was accepted"), out_valid is
// the last one. Free running, a beat accepted in cycle c leaves in cycle c + 4 (VPU_LATENCY),
// one beat per cycle; n beats take n + 4 cycles from the first acceptance.

export const VPU_LATENCY = 4;

export interface PipelineCycleResult {
  accepted: number[];
  emitted: number[];
  cycles: number;
}

/** A `stages`-register stall pipeline (every register advances on !out_valid || out_ready). */
export function stallPipelineCycles(
  beats: number,
  stages: number,
  idle: (c: number) => boolean = () => false,
  stall: (c: number) => boolean = () => false,
  maxCycles = 20_000_000,
): PipelineCycleResult {
  const accepted: number[] = [];
  const emitted: number[] = [];
  let pipe: boolean[] = Array.from({ length: stages }, () => false);
  let next = 0;
  let offering = false;
  for (let c = 0; c < maxCycles; c++) {
    if (next >= beats && emitted.length === beats) return { accepted, emitted, cycles: c };
    if (!offering && next < beats && !idle(c)) offering = true;
    const ready = !stall(c);
    const outValid = pipe[stages - 1];
    const advance = !outValid || ready;
    if (outValid && ready) emitted.push(c);
    let entering = false;
    if (offering && advance) {
      accepted.push(c);
      next++;
      offering = false;
      entering = true;
    }
    if (advance) pipe = [entering, ...pipe.slice(0, stages - 1)];
  }
  throw new Error(`stallPipelineCycles: not finished after ${maxCycles} cycles`);
}

export function vpuCycles(beats: number, idle?: (c: number) => boolean, stall?: (c: number) => boolean): PipelineCycleResult {
  return stallPipelineCycles(beats, VPU_LATENCY, idle, stall);
}
