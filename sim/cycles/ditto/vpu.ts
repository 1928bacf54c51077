// Cycle model of the Ditto VPU RTL (generator/blocks/ditto/vpu.ts): a vpuLatency(rqStages)-register
// stall pipeline (sim/cycles/common/pipeline.ts): advance = !out_valid || out_ready = in_ready; on
// advance every valid bit moves one place, out_valid is the last one. Free running, a beat
// accepted in cycle c leaves in cycle c + 4 + rqStages (VPU_LATENCY at the default), one beat per cycle.
// With loadable tables (tables ≥ 1) a table-write beat takes a slot like a vector beat but never
// leaves: out_valid is the last register holding a VECTOR beat, so a table write in the last
// register does not block (StallPipeline with an `emits` predicate; ditto_top's model can use
// `new StallPipeline<boolean>(VPU_LATENCY, (vector) => vector)` the same way).
import { VPU_LATENCY } from '../../../generator/spec/ditto/vpu.ts';
import type { CyclePattern, StreamCycles } from '../kernel.ts';
import { stallPipelineCycles, stallPipelineEmitCycles } from '../common/pipeline.ts';

/**
 * `beats` vector beats, or one flag per beat in stream order: true = a vector beat (an output
 * beat), false = a table write (none).
 */
export function vpuCycles(beats: number | readonly boolean[], idle?: CyclePattern, stall?: CyclePattern, latency = VPU_LATENCY): StreamCycles {
  if (typeof beats === 'number') return stallPipelineCycles(beats, latency, idle, stall);
  return stallPipelineEmitCycles(beats, latency, (vector) => vector, idle, stall);
}
