// Cycle models of the valid/ready stream blocks of generator/blocks/common, for any input
// idle / output stall pattern: they predict exactly in which cycle every input beat is
// accepted and every output beat leaves (cycle 0 = the first cycle after reset; offering as
// in the cosim harness, sim/stimulus/format.ts: an input stream starts offering its next beat
// in the first non-idle cycle after the previous one was taken, and keeps it on offer until
// accepted; an output stream is not ready in the cycles its stall pattern is set).
//
// One model per control structure:
//   * stallPipelineModel — generator/blocks/common/pipeline.ts `stallPipeline` (abs_diff,
//     argmin) and the identical valid chain of the adder tree: `stages` valid registers,
//     advance = in_ready = !out_valid || out_ready; stages = 0 is a wire (in_ready = out_ready,
//     out_valid = in_valid).
//   * fifoModel (sim/golden/common/fifo.ts), skidBufferModel (sim/golden/common/skid_buffer.ts).
// The data path is checked by the transaction-level golden models; these check the timing
// (latency, throughput, back-pressure) that a transaction comparison does not see.

/** The control state of a one-in one-out stream block, stepped once per cycle. */
export interface StreamModel {
  /** in_ready in this cycle (`outReady`: the output's ready, for blocks with a combinational path). */
  inReady(outReady: boolean): boolean;
  /** out_valid in this cycle (`inValid`: the input's valid, for blocks with a combinational path). */
  outValid(inValid: boolean): boolean;
  /** The clock edge at the end of the cycle. */
  edge(io: { inValid: boolean; inFire: boolean; outReady: boolean; outFire: boolean }): void;
}

export interface StreamCycles {
  /** Cycle in which each input beat was accepted (valid && ready). */
  accepted: number[];
  /** Cycle of each output transaction. */
  emitted: number[];
  /** The cycle before which everything was accepted and emitted (the cosim's `cycles` of a passing seed). */
  cycles: number;
}

/**
 * Run `model` over `beats` input beats (one output beat per input beat) with the idle and
 * stall patterns; `onCycle` sees every cycle (e.g. to record an occupancy) before its edge.
 */
export function runStreamModel(
  beats: number,
  model: StreamModel,
  idle: (c: number) => boolean = () => false,
  stall: (c: number) => boolean = () => false,
  maxCycles = 10_000_000,
  onCycle?: (c: number) => void,
): StreamCycles {
  const accepted: number[] = [];
  const emitted: number[] = [];
  let offering = false;
  for (let c = 0; c < maxCycles; c++) {
    if (accepted.length === beats && emitted.length === beats) return { accepted, emitted, cycles: c };
    if (!offering && accepted.length < beats && !idle(c)) offering = true;
    const inValid = offering;
    const outReady = !stall(c);
    const inFire = inValid && model.inReady(outReady);
    const outFire = model.outValid(inValid) && outReady;
    onCycle?.(c);
    if (inFire) {
      accepted.push(c);
      offering = false;
    }
    if (outFire) emitted.push(c);
    model.edge({ inValid, inFire, outReady, outFire });
  }
  throw new Error(`runStreamModel: not finished after ${maxCycles} cycles (${accepted.length}/${beats} accepted, ${emitted.length} emitted)`);
}

/** A `stages`-deep stall pipeline (stages = 0: combinational, in_ready = out_ready). */
export function stallPipelineModel(stages: number): StreamModel {
  if (!Number.isInteger(stages) || stages < 0) throw new RangeError(`stallPipelineModel: stages ${stages}`);
  const valid: boolean[] = Array.from({ length: stages }, () => false);
  const outValid = () => valid[stages - 1]!;
  return {
    inReady: (outReady) => (stages === 0 ? outReady : !outValid() || outReady),
    outValid: (inValid) => (stages === 0 ? inValid : outValid()),
    edge({ inValid, outReady }) {
      if (stages === 0 || !(!outValid() || outReady)) return;
      for (let s = stages - 1; s > 0; s--) valid[s] = valid[s - 1]!;
      valid[0] = inValid;
    },
  };
}

/** Cycles of a stall pipeline of `stages` over `beats` beats. Free-running latency: `stages`. */
export function stallPipelineCycles(beats: number, stages: number, idle?: (c: number) => boolean, stall?: (c: number) => boolean): StreamCycles {
  return runStreamModel(beats, stallPipelineModel(stages), idle, stall);
}
