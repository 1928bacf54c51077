// `dcgen eval cmc` (docs/eval.md §2): what the CLI and the tests use of sim/eval/cmc/.
//   options.ts  the options, their defaults and bounds
//   search.ts   the fast SAD search: SADmin and j* of every token, inter and intra
//   run.ts      the evaluation per clip, setting and threshold, its golden check, the result
//   rtl.ts      --rtl: whole segments through the cmc_top RTL in Verilator
//   tables.ts   the printed tables
// The cost formulas (SAD jobs per frame, the GEMM array's cycles) are sim/cycles/cmc/cost.ts.
export { gemmArrayCycles, interJobsPerFrame, intraJobsPerFrame } from '../../cycles/cmc/cost.ts';
export { type CmcEvalOptions, checkCmcOptions, cmcDefaults } from './options.ts';
export { CMC_RTL_FRAMES, type CmcRtlResult, runCmcRtl } from './rtl.ts';
export { type CmcEvalResult, runCmcEval } from './run.ts';
export { interMinima, intraMinima, isInformative, sadMatrix, windowsOf } from './search.ts';
export { cmcRtlTable, cmcTables } from './tables.ts';
