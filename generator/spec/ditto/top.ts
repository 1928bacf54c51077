// ditto_top's parameters and command-field geometry, without DSL code (builder
// generator/blocks/ditto/top.ts, cycle model sim/cycles/ditto/top.ts, cases).
import { ParamRuleError, ident, int, oneOf, type Params } from '../../params/schema.ts';
import { ACTIVATIONS, type ActivationKind } from './activations.ts';
import { addrBits } from '../math.ts';

export const topParams = {
  top: ident({ default: 'ditto_top', doc: 'name of the generated top module' }),
  lanes: int({ default: 4, min: 1, max: 16, doc: 'encoder lanes L (elements per activation beat)' }),
  cols: int({ default: 8, min: 1, max: 16, doc: 'PE columns C = outputs per tile = VPU lanes' }),
  kMax: int({ default: 256, min: 1, max: 65536, doc: 'longest input vector K (weight-buffer depth)' }),
  entries: int({ default: 256, min: 1, max: 65536, doc: 'VPU Y-buffer entries (int32 values kept for the next step); a multiple of cols' }),
  xEntries: int({ default: 256, min: 1, max: 1 << 20, doc: 'x-buffer entries: input beats of lanes int8 x_t values kept for the next step (x_{t+1}), addressed by xaddr' }),
  stages: int({ default: 1, min: 0, max: 3, doc: 'adder-tree register levels in each PE' }),
  sideDepth: int({ default: 8, min: 2, max: 64, doc: 'vectors in flight between the encoder input and the VPU (side FIFO depth)' }),
  act: oneOf<ActivationKind>(ACTIVATIONS, { default: 'relu', doc: 'VPU activation table: identity, relu, gelu or silu' }),
  actInScale: int({ default: 1024, min: 1, max: 1 << 20, doc: 'table input scale in units of 2^-10' }),
  actOutScale: int({ default: 1024, min: 1, max: 1 << 20, doc: 'table output scale in units of 2^-10' }),
  actInZero: int({ default: 0, min: -128, max: 127, doc: 'table input zero point' }),
  actOutZero: int({ default: 0, min: -128, max: 127, doc: 'table output zero point' }),
};

export type TopParams = Params<typeof topParams>;

/** x-buffer address bits of the top's `xaddr` field. */
export function topXAddrBits(p: { xEntries: number }): number {
  return addrBits(p.xEntries);
}

/** VPU beat-address bits of the top's `addr` field. */
export function topAddrBits(p: { cols: number; entries: number }): number {
  return addrBits(p.entries / p.cols);
}

export function checkTopParams(p: TopParams): void {
  if (p.entries % p.cols !== 0) throw new ParamRuleError('ditto', 'entries', p.entries, `expected a multiple of cols = ${p.cols}`);
  if (p.kMax < p.lanes) throw new ParamRuleError('ditto', 'kMax', p.kMax, `expected at least lanes = ${p.lanes}`);
}
