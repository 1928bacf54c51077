// ditto_pe's parameters, widths and timing, without DSL code (builder generator/blocks/ditto/pe.ts,
// cycle model sim/cycles/ditto/pe.ts).
import { ident, int, type Params } from '../../params/schema.ts';

/** The parameters of the accumulator shell every PE variant shares (peAccumulatorShell). */
export const peShellParams = {
  accBits: int({ default: 32, min: 24, max: 48, doc: 'accumulator width (two\'s complement, wraps)' }),
  stages: int({ default: 2, min: 0, max: 3, doc: 'register levels in the word datapath before the accumulator (2: after the products, after the word sum)' }),
};

export const peParams = {
  top: ident({ default: 'ditto_pe', doc: 'name of the generated top module' }),
  ...peShellParams,
};

export type PeParams = Params<typeof peParams>;

/** Width of one slot's product n·w: |n·w| ≤ 15·128 = 1,920 < 2^11 → s12. */
export const PE_PRODUCT_BITS = 12;

/** Width of a shifted slot term n·w·16 (slots 1, 3): |·| ≤ 30,720 < 2^15 → s16. */
export const PE_TERM_BITS = 16;

/** Width of one word's sum: |Σ| ≤ 2·1,920 + 2·30,720 = 65,280 < 2^16 → s17. */
export const PE_SUM_BITS = 17;

/** Free-running latency: a `last` word accepted in cycle c gives its sum in cycle c + stages + 1. */
export function peLatency(stages: number): number {
  return stages + 1;
}
