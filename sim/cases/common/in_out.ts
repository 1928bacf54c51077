// The common blocks have one input stream `in` and one output stream `out`. Their cases differ
// only in the stimulus, the golden model and the cycle model; this builds the rest once.
import type { ParamValue } from '../../../generator/emit/design.ts';
import { type Beat, type Expected, type Stimulus, Rng } from '../../cosim/index.ts';
import type { StreamCycles } from '../../cycles/kernel.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { type CosimCase, type CycleExpectation, type StreamSchedule, defineCase } from '../case.ts';

type OneStreamModel = (beats: number, idle: (c: number) => boolean, stall: (c: number) => boolean) => StreamCycles;

/** A cycle model of `in` → `out` as a case's `cycles`. */
export function inOutCycles(model: OneStreamModel) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule): CycleExpectation => {
    const r = model(stim.streams?.in?.length ?? 0, (c) => idle('in', c), (c) => stall('out', c));
    return { accepted: { in: r.accepted }, emitted: { out: r.emitted }, cycles: r.cycles };
  };
}

export interface InOutCaseSpec {
  stalls: StallProbabilities;
  full?: boolean;
  /** A fixed stimulus (the same for every seed), instead of `generate`. */
  fixed?: () => Beat[];
  /** The seeded stimulus of the `in` stream. */
  generate: (rng: Rng) => Beat[];
  golden: (stimulus: Stimulus) => Expected;
  cycles: OneStreamModel;
}

/** The case `<design>.<short>` of a one-stream-in, one-stream-out block. */
export function inOutCase(design: string, short: string, params: Record<string, ParamValue>, spec: InOutCaseSpec): CosimCase {
  return defineCase({
    name: `${design}.${short}`,
    design,
    params,
    stalls: spec.stalls,
    ...(spec.full ? { full: true } : {}),
    stimulus: (seed) => ({ streams: { in: spec.fixed ? spec.fixed() : spec.generate(new Rng(seed)) } }),
    golden: spec.golden,
    cycles: inOutCycles(spec.cycles),
  });
}
