// `dcgen eval ditto` (docs/eval.md §1): what the CLI and the tests use of sim/eval/ditto/.
//   options.ts  the options, their defaults and bounds
//   data.ts     the datasets (real clips, the synthetic trajectory) and the seeded weights
//   stats.ts    classes, words, bit operations and cycles of one vector and one tile
//   layer.ts    the two layers by the fast integer path, per-step statistics and Defo
//   run.ts      the evaluation per dataset, its check against the golden layer model, the result
//   rtl.ts      --rtl: the clips through the ditto_top RTL in Verilator
//   tables.ts   the printed tables
// The cost formulas (bit operations, vector and tile cycles) are sim/cycles/ditto/cost.ts.
export { bopsOf, denseBops, denseTileCycles, tileCycles, vectorCyclesOf } from '../../cycles/ditto/cost.ts';
export { syntheticTrajectory } from './data.ts';
export { requantFor } from './layer.ts';
export { type DittoEvalOptions, checkDittoOptions, dittoDefaults } from './options.ts';
export { type DatasetEval, type DittoEvalResult, evalDataset, runDittoEval } from './run.ts';
export { classCounts, tileStats } from './stats.ts';
export { type DittoRtlResult, runDittoRtl } from './rtl.ts';
export { dittoRtlTable, dittoTables } from './tables.ts';
