// ditto_defo's parameters and timing, without DSL code (builder generator/blocks/ditto/defo.ts,
// cycle model sim/cycles/ditto/defo.ts).
import { ident, int, type Params } from '../../params/schema.ts';

export const defoParams = {
  top: ident({ default: 'ditto_defo', doc: 'name of the generated top module' }),
  entries: int({ default: 512, min: 1, max: 65536, doc: 'table rows L (layers)' }),
  cycleBits: int({ default: 32, min: 16, max: 48, doc: 'width of a reported cycle count (stored saturated to 16 bits)' }),
};

export type DefoParams = Params<typeof defoParams>;

/** Cycles after reset before the first command is accepted (the table clear). */
export function defoInitCycles(entries: number): number {
  return entries;
}
