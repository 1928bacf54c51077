// The CMC cosimulation cases and designs. The lead registers `cmcSadDesign`,
// `cmcSearchDesign`, `cmcRecoveryDesign` in generator/designs/index.ts and `cmcCases` in
// sim/cases/index.ts. Each case also carries its cycle model (`CmcCase.cycles`), which the
// block tests check against every seed's acceptance and output cycles.
import { recoveryCases } from './recovery.ts';
import { sadCases } from './sad.ts';
import { searchCases } from './search.ts';
import { gemmCases } from './gemm.ts';
import { topCases } from './top.ts';
import type { CmcCase } from './common.ts';

export { cmcSadDesign } from '../../../generator/blocks/cmc/sad.ts';
export { cmcSearchDesign } from '../../../generator/blocks/cmc/search.ts';
export { cmcRecoveryDesign } from '../../../generator/blocks/cmc/recovery.ts';
export { cmcGemmDesign } from '../../../generator/blocks/cmc/gemm.ts';
export { cmcTopDesign } from '../../../generator/blocks/cmc/top.ts';
export type { CmcCase } from './common.ts';
export { sadCases, searchCases, recoveryCases, gemmCases, topCases };

export const cmcCases: CmcCase[] = [...sadCases, ...searchCases, ...recoveryCases, ...gemmCases, ...topCases];
