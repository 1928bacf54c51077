// Cosimulation cases of the common block library (generator/blocks/common), for
// `dcgen regress` (through sim/cases/index.ts) and test/blocks/common/*.test.ts.
import type { CosimCase } from '../case.ts';
import { absDiffCases } from './abs_diff.ts';
import { adderTreeCases } from './adder_tree.ts';
import { argminCases } from './argmin.ts';
import { fifoCases } from './fifo.ts';
import { skidBufferCases } from './skid_buffer.ts';
import { sramCases } from './sram.ts';

export const commonCases: CosimCase[] = [...adderTreeCases, ...absDiffCases, ...argminCases, ...fifoCases, ...skidBufferCases, ...sramCases];
