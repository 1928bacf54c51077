// ditto_pe's parameters, widths and timing, without DSL code (builder generator/blocks/ditto/pe.ts,
// cycle model sim/cycles/ditto/pe.ts).
import { ident, int, type Params } from '../../params/schema.ts';

/** The parameters of the accumulator shell every PE variant shares (peAccumulatorShell). */
export const peShellParams = {
  accBits: int({ default: 32, min: 24, max: 48, doc: 'accumulator width (two\'s complement, wraps)' }),
  stages: int({ default: 1, min: 0, max: 3, doc: 'register levels in the multiplier/adder tree before the accumulator' }),
};

export const peParams = {
  top: ident({ default: 'ditto_pe', doc: 'name of the generated top module' }),
  ...peShellParams,
};

export type PeParams = Params<typeof peParams>;

/** Width of one word's sum: |Σ| ≤ 2·15·128 + 2·15·128·16 < 2^16 → s18 terms, s20 sum. */
export const PE_TERM_BITS = 18;

export const PE_SUM_BITS = 20;

/** Free-running latency: a `last` word accepted in cycle c gives its sum in cycle c + stages + 1. */
export function peLatency(stages: number): number {
  return stages + 1;
}
