// Every cosimulation case dcgen knows, for `dcgen regress` and the block tests. Each family
// of blocks contributes its list: import it statically and add it below.
import type { CosimCase } from './case.ts';
import { cmcCases } from './cmc/index.ts';
import { commonCases } from './common/index.ts';
import { dittoCases } from './ditto/index.ts';
import { dittoTopCases } from './ditto/top.ts';

export async function allCases(): Promise<CosimCase[]> {
  return [...commonCases, ...dittoCases, ...dittoTopCases, ...cmcCases];
}
