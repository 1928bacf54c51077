// The common blocks have one input stream `in` and one output stream `out`; their cycle models
// (sim/golden/common) speak of those two only. This adapts them to a case's `cycles`.
import type { Stimulus } from '../../cosim/index.ts';
import type { StreamCycles } from '../../golden/common/pipeline.ts';
import type { CycleExpectation, StreamSchedule } from '../case.ts';

type OneStreamModel = (beats: number, idle: (c: number) => boolean, stall: (c: number) => boolean) => StreamCycles;

export function inOutCycles(model: OneStreamModel) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule): CycleExpectation => {
    const r = model(stim.streams?.in?.length ?? 0, (c) => idle('in', c), (c) => stall('out', c));
    return { accepted: { in: r.accepted }, emitted: { out: r.emitted }, cycles: r.cycles };
  };
}
