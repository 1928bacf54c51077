// Cycle model of the Ditto VPU RTL (generator/blocks/ditto/vpu.ts): a vpuLatency(rqStages)-register
// stall pipeline (sim/cycles/common/pipeline.ts): advance = !out_valid || out_ready = in_ready; on
// advance every valid bit moves one place, out_valid is the last one. Free running, a beat
// accepted in cycle c leaves in cycle c + 4 + rqStages (VPU_LATENCY at the default), one beat per cycle.
import { VPU_LATENCY } from '../../../generator/spec/ditto/vpu.ts';
import type { CyclePattern, StreamCycles } from '../kernel.ts';
import { stallPipelineCycles } from '../common/pipeline.ts';

export function vpuCycles(beats: number, idle?: CyclePattern, stall?: CyclePattern, latency = VPU_LATENCY): StreamCycles {
  return stallPipelineCycles(beats, latency, idle, stall);
}
