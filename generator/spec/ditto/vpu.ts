// ditto_vpu's parameters, table and timing, without DSL code (builder generator/blocks/ditto/vpu.ts,
// golden and cycle models sim/{golden,cycles}/ditto/vpu.ts, cases).
import { ident, int, oneOf, type Params } from '../../params/schema.ts';
import { ACTIVATIONS, type ActivationKind, type TableSpec, activationTable } from './activations.ts';

export const vpuParams = {
  top: ident({ default: 'ditto_vpu', doc: 'name of the generated top module' }),
  lanes: int({ default: 4, min: 1, max: 16, doc: 'output values per beat (P)' }),
  entries: int({ default: 256, min: 1, max: 65536, doc: 'Y values stored for the next step (output indices); a multiple of lanes' }),
  act: oneOf<ActivationKind>(ACTIVATIONS, { default: 'identity', doc: 'activation table: identity, relu, gelu (erf form) or silu' }),
  actInScale: int({ default: 1024, min: 1, max: 1 << 20, doc: 'table input scale in units of 2^-10: real input = (code − actInZero) · actInScale / 1024' }),
  actOutScale: int({ default: 1024, min: 1, max: 1 << 20, doc: 'table output scale in units of 2^-10: code = round(real / (actOutScale / 1024)) + actOutZero' }),
  actInZero: int({ default: 0, min: -128, max: 127, doc: 'table input zero point' }),
  actOutZero: int({ default: 0, min: -128, max: 127, doc: 'table output zero point' }),
  rqStages: int({ default: 2, min: 0, max: 2, doc: 'multiplier/requantiser register levels: 2 = carry-save product, then its adder, then the rounding window, then zero point/clamp/table (latency 6); 1 = a one-stage multiplier, then the window, then zero point/clamp/table (latency 5); 0 = the window, zero point, clamp and table in the multiplier\'s next stage (latency 4)' }),
};

export type VpuParams = Params<typeof vpuParams>;

/** Cycles from an accepted beat to its output beat (free running): 4 + rqStages. */
export function vpuLatency(rqStages: number): number {
  return 4 + rqStages;
}

/** The requantiser register levels of the VPU inside ditto_top (the default). */
export const VPU_RQ_STAGES = 2;

/** The latency of the VPU at the default rqStages (as instantiated by ditto_top). */
export const VPU_LATENCY = vpuLatency(VPU_RQ_STAGES);

/** The activation table's specification at a parameter point (the RTL ROM and the golden model use it). */
export function vpuTableSpec(p: Pick<VpuParams, 'act' | 'actInScale' | 'actOutScale' | 'actInZero' | 'actOutZero'>): TableSpec {
  return { kind: p.act, sIn: p.actInScale / 1024, sOut: p.actOutScale / 1024, zpIn: p.actInZero, zpOut: p.actOutZero };
}

export function vpuTable(p: Pick<VpuParams, 'act' | 'actInScale' | 'actOutScale' | 'actInZero' | 'actOutZero'>): Int8Array {
  return activationTable(vpuTableSpec(p));
}

/** Beat addresses of the Y buffer. */
export function vpuDepth(p: { lanes: number; entries: number }): number {
  return p.entries / p.lanes;
}
