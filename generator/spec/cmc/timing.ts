// Latencies and depths of the CMC blocks, without DSL code: the RTL builders
// (generator/blocks/cmc/*.ts) size their pipelines and FIFOs with them, and the cycle models
// (sim/cycles/cmc/*.ts) count with the very same numbers, so each is defined once.

/** cmc_gemm: from a tile's final x beat accepted to its output beat offered (cycles). */
export function gemmLatency(p: { stages: number }): number {
  return p.stages + 4;
}

/** cmc_top: depth of the FIFO that carries a SAD job's candidate indices past the SAD engine. */
export function jobFifoDepth(p: { sadStages: number }): number {
  return p.sadStages + 4;
}
