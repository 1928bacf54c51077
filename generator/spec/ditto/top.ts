// ditto_top's parameters and command-field geometry, without DSL code (builder
// generator/blocks/ditto/top.ts, cycle model sim/cycles/ditto/top.ts, cases).
import { ParamRuleError, ident, int, type Params } from '../../params/schema.ts';
import { addrBits, clog2 } from '../math.ts';
import { ENCODER_DEFAULT_STAGES } from './encoder.ts';

export const topParams = {
  top: ident({ default: 'ditto_top', doc: 'name of the generated top module' }),
  rows: int({ default: 4, min: 1, max: 8, doc: 'PE rows R: vectors in flight, one encoder per row; an activation beat carries one beat for each row' }),
  lanes: int({ default: 16, min: 1, max: 16, doc: 'encoder lanes L per row (elements per row per activation beat)' }),
  cols: int({ default: 8, min: 1, max: 16, doc: 'PE columns C = outputs per tile = VPU lanes' }),
  kMax: int({ default: 1024, min: 1, max: 65536, doc: 'longest input vector K (depth of each weight bank)' }),
  entries: int({ default: 2048, min: 1, max: 65536, doc: 'VPU Y-buffer entries (int32 values kept for the next step); a multiple of cols' }),
  xEntries: int({ default: 1024, min: 1, max: 1 << 20, doc: 'x-buffer entries: activation beats (R × L int8 x_t values each) kept for the next step (x_{t+1}), addressed by xaddr' }),
  stages: int({ default: 1, min: 0, max: 3, doc: 'adder-tree register levels in each PE' }),
  encStages: int({ default: ENCODER_DEFAULT_STAGES, min: 0, max: 4, doc: 'pipeline register stages of each row encoder (its latency is encStages + 1)' }),
  encDepth: int({ default: 0, min: 0, max: 64, doc: 'output FIFO depth of each row encoder in words (0 = the encoder\'s automatic depth)' }),
  rowFifo: int({ default: 128, min: 0, max: 4096, doc: 'activation beats buffered per row in front of its encoder, in a FIFO with a synchronous memory (0 = none): the rows drift apart by up to that many beats, so a group waits only when one row falls that far behind' }),
  sideDepth: int({ default: 8, min: 2, max: 64, doc: 'groups (activation beats\' vectors, one per row) and table writes in flight between the command input and the VPU (side FIFO depth)' }),
  tables: int({ default: 2, min: 1, max: 8, doc: 'loadable 256-entry activation tables in the VPU, chosen per layer by the tsel configuration' }),
};

export type TopParams = Params<typeof topParams>;

/** Command opcodes of the `in` stream (`op`): an activation beat or a configuration beat. */
export const TOP_OP = { act: 0, config: 1 } as const;

/** Config beat kinds (`cfg`): the requantiser/table-select registers, or one table entry. */
export const TOP_CFG = { requant: 0, table: 1 } as const;

/** x-buffer address bits of the top's `xaddr` field. */
export function topXAddrBits(p: { xEntries: number }): number {
  return addrBits(p.xEntries);
}

/** VPU beat-address bits of the top's `addr` field. */
export function topAddrBits(p: { cols: number; entries: number }): number {
  return addrBits(p.entries / p.cols);
}

/** Table-select bits of the `tsel` field. */
export function topTableBits(p: { tables: number }): number {
  return Math.max(1, clog2(p.tables));
}

export function checkTopParams(p: TopParams): void {
  if (p.entries % p.cols !== 0) throw new ParamRuleError('ditto', 'entries', p.entries, `expected a multiple of cols = ${p.cols}`);
  if (p.kMax < p.lanes) throw new ParamRuleError('ditto', 'kMax', p.kMax, `expected at least lanes = ${p.lanes}`);
  if (p.rowFifo === 1) throw new ParamRuleError('ditto', 'rowFifo', p.rowFifo, 'expected 0 (none) or at least 2 (a 1-entry FIFO halves the rate)');
  if (p.entries / p.cols < p.rows) throw new ParamRuleError('ditto', 'entries', p.entries, `expected at least rows × cols = ${p.rows * p.cols} (one beat address per row)`);
}
