// Every design and library block dcgen can generate, in the order `dcgen list` prints them.
import { adderTreeDesign } from '../blocks/common/adder_tree.ts';
import { absDiffDesign } from '../blocks/common/abs_diff.ts';
import { argminDesign } from '../blocks/common/argmin.ts';
import { fifoDesign } from '../blocks/common/fifo.ts';
import { skidBufferDesign } from '../blocks/common/skid_buffer.ts';
import { sramDesign } from '../blocks/common/sram.ts';
import { dittoComputeDesign } from '../blocks/ditto/compute.ts';
import { dittoDefoDesign } from '../blocks/ditto/defo.ts';
import { dittoEncoderDesign } from '../blocks/ditto/encoder.ts';
import { dittoPeDesign } from '../blocks/ditto/pe.ts';
import { dittoPeA8w8Design } from '../blocks/ditto/pe_dense.ts';
import { dittoTopDesign } from '../blocks/ditto/top.ts';
import { dittoVpuDesign } from '../blocks/ditto/vpu.ts';
import { cmcRecoveryDesign } from '../blocks/cmc/recovery.ts';
import { cmcSadDesign } from '../blocks/cmc/sad.ts';
import { cmcSearchDesign } from '../blocks/cmc/search.ts';
import { cmcGemmDesign } from '../blocks/cmc/gemm.ts';
import { cmcTopDesign } from '../blocks/cmc/top.ts';
import type { DesignDef } from './registry.ts';

export const designs: readonly DesignDef[] = [adderTreeDesign, absDiffDesign, argminDesign, fifoDesign, skidBufferDesign, sramDesign, dittoEncoderDesign, dittoPeDesign, dittoPeA8w8Design, dittoComputeDesign, dittoVpuDesign, dittoDefoDesign, dittoTopDesign, cmcSadDesign, cmcSearchDesign, cmcRecoveryDesign, cmcGemmDesign, cmcTopDesign];

export function findDesign(name: string): DesignDef | undefined {
  return designs.find((d) => d.name === name);
}
