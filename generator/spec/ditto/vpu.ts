// ditto_vpu's parameters, table and timing, without DSL code (builder generator/blocks/ditto/vpu.ts,
// golden and cycle models sim/{golden,cycles}/ditto/vpu.ts, cases).
import { ident, int, oneOf, type Params } from '../../params/schema.ts';
import { ACTIVATIONS, type ActivationKind, type TableSpec, activationTable } from './activations.ts';
import { clog2 } from '../math.ts';

export const vpuParams = {
  top: ident({ default: 'ditto_vpu', doc: 'name of the generated top module' }),
  lanes: int({ default: 4, min: 1, max: 16, doc: 'output values per beat (P)' }),
  entries: int({ default: 256, min: 1, max: 65536, doc: 'Y values stored for the next step (output indices); a multiple of lanes' }),
  act: oneOf<ActivationKind>(ACTIVATIONS, { default: 'identity', doc: 'activation table of tables = 0: identity, relu, gelu (erf form) or silu (with tables >= 1 it and the act* scales must keep their defaults)' }),
  actInScale: int({ default: 1024, min: 1, max: 1 << 20, doc: 'table input scale in units of 2^-10: real input = (code − actInZero) · actInScale / 1024' }),
  actOutScale: int({ default: 1024, min: 1, max: 1 << 20, doc: 'table output scale in units of 2^-10: code = round(real / (actOutScale / 1024)) + actOutZero' }),
  actInZero: int({ default: 0, min: -128, max: 127, doc: 'table input zero point' }),
  actOutZero: int({ default: 0, min: -128, max: 127, doc: 'table output zero point' }),
  rqStages: int({ default: 2, min: 0, max: 2, doc: 'multiplier/requantiser register levels: 2 = carry-save product, then its adder, then the rounding window, then zero point/clamp/table (latency 6); 1 = a one-stage multiplier, then the window, then zero point/clamp/table (latency 5); 0 = the window, zero point, clamp and table in the multiplier\'s next stage (latency 4)' }),
  tables: int({
    default: 0,
    min: 0,
    max: 8,
    doc:
      'activation tables: 0 = one fixed table built from act and the act* scales (a ROM; no table ports); T = 1..8 = T run-time loadable 256-entry int8 tables (P memories of 256·T x 8 bits), written in stream order by table-write beats of the in stream (op = 1: table[tsel][ti] = tv, no output beat) and chosen per vector beat by tsel; act and the act* scales must then keep their defaults (the design rule rejects others)',
  }),
};

export type VpuParams = Params<typeof vpuParams>;

/** The act/scale parameters and their defaults (ignored, and rejected by the design rule, when tables ≥ 1). */
export const VPU_TABLE_PARAM_DEFAULTS = { act: 'identity', actInScale: 1024, actOutScale: 1024, actInZero: 0, actOutZero: 0 } as const;

/** Width of the `tsel` field with T ≥ 1 loadable tables: max(1, clog2 T). */
export function vpuTableSelBits(tables: number): number {
  return Math.max(1, clog2(tables));
}

/** Words of each lane's table memory: 256 · T (address {tsel, code & 255}; tsel ≥ T must not be used). */
export function vpuTableDepth(tables: number): number {
  return 256 * tables;
}

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
