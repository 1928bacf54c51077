// ditto_compute's parameters, geometry and timing, without DSL code (builder
// generator/blocks/ditto/compute.ts, cycle model sim/cycles/ditto/compute.ts, cases).
import { ident, int, type Params } from '../../params/schema.ts';
import { clog2 } from '../math.ts';

export const computeParams = {
  top: ident({ default: 'ditto_compute', doc: 'name of the generated top module' }),
  rows: int({ default: 2, min: 1, max: 64, doc: 'PE rows R (one word stream and one vector stream each)' }),
  cols: int({ default: 4, min: 1, max: 64, doc: 'PE columns C (output columns n per row)' }),
  kMax: int({ default: 256, min: 1, max: 65536, doc: 'longest vector K: weight-buffer depth and the slot index width (as the encoder); larger K is rejected' }),
  wGroup: int({ default: 0, min: 0, max: 64, doc: 'columns written per weight beat (0 = all C); must divide C' }),
  stages: int({ default: 2, min: 0, max: 3, doc: 'register levels in each PE word datapath (as ditto.pe)' }),
  banks: int({
    default: 1,
    min: 1,
    max: 2,
    doc: "weight banks: 1 = one K x C matrix (a load closes every row's input until it completes); 2 = double-buffered weights (every weight copy 2*kMax deep, 'w' gains the bank bit b, each 'in<r>' word the bank b it reads, one loaded flag per bank: a load of one bank overlaps words computing with the other)",
  }),
};

export type ComputeParams = Params<typeof computeParams>;

export const COMPUTE_ACC_BITS = 32;

export function computeGroup(p: { cols: number; wGroup: number }): number {
  return p.wGroup === 0 ? p.cols : p.wGroup;
}

export function computeGroupBits(p: { cols: number; wGroup: number }): number {
  return Math.max(1, clog2(p.cols / computeGroup(p)));
}

/** Cycles from the acceptance of a vector's last word to its output beat (free running). */
export function computeLatency(stages: number): number {
  return stages + 2;
}

/** Weight-buffer bits: 4 copies per row of the kMax × C int8 matrix, per bank. */
export function computeWeightBits(p: { rows: number; cols: number; kMax: number; banks: number }): number {
  return 4 * p.rows * p.banks * p.kMax * 8 * p.cols;
}
