// The CMC recovery buffer `cmc_recovery` (SPEC §2.4) without DSL code: its parameters and the
// width of its entry addresses, read by the builder (generator/blocks/cmc/recovery.ts), the
// cases and cmc_top's spec.
import { addrBits } from '../math.ts';
import { bool, ident, int, type Params } from '../../params/schema.ts';

export const recoveryParams = {
  top: ident({ default: 'cmc_recovery', doc: 'name of the generated top module' }),
  banks: int({ default: 16, min: 1, max: 64, doc: 'banks B (one per PE column / adder tree of the GEMM)' }),
  entries: int({ default: 256, min: 2, max: 65536, doc: 'entries per bank (token rows the buffer holds)' }),
  dataBits: int({ default: 8, min: 1, max: 64, doc: 'bits per bank entry (8 = requantised int8; 32 = int32 accumulators)' }),
  signed: bool({ default: true, doc: "data ports are two's complement" }),
};

export type RecoveryParams = Params<typeof recoveryParams>;

/** Width of an entry address (AW): addrBits(entries). */
export function recoveryEntryBits(p: Pick<RecoveryParams, 'entries'>): number {
  return addrBits(p.entries);
}
