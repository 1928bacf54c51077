// Every Ditto cosimulation case (`dcgen regress --filter 'ditto*'`), registered by the lead in
// sim/cases/index.ts. Cases with `full: true` run only under `regress --full`.
import type { CosimCase } from '../case.ts';
import { computeCases } from './compute.ts';
import { dittoAttentionCases } from './attention.ts';
import { defoCases } from './defo.ts';
import { encoderCases } from './encoder.ts';
import { peCases } from './pe.ts';
import { peA8w8Cases } from './pe_a8w8.ts';
import { vpuCases } from './vpu.ts';

export type { DittoCase } from './common.ts';

export const dittoCases: CosimCase[] = [...encoderCases, ...peCases, ...peA8w8Cases, ...computeCases, ...vpuCases, ...defoCases, ...dittoAttentionCases];
