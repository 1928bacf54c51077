// Dense A8W8 baseline PE: the comparison point for the Ditto A4W8 PE (generator/blocks/ditto/pe.ts),
// with the same multiplier budget. The A4W8 PE has four 4-bit-magnitude × int8 multipliers,
// i.e. the multiplier area of two 8 × 8 multipliers; this PE spends it on two full int8 × int8
// MACs per cycle and skips nothing (no ZERO/LOW/FULL encoding: every element costs one slot).
//
// Ports (module `ditto_pe_a8w8`, all streams valid/ready, the same style as `ditto_pe`):
//   in   : a0, a1 (s8 activation), w0, w1 (s8 weight), clear, last
//   out  : acc (s<accBits>)
// Per accepted word: sum = a0·w0 + a1·w1 (s17; |sum| ≤ 2·128·128 = 2^15);
//   acc' = (clear ? 0 : acc) + sum   (wraps at accBits);
//   last = 0: acc ← acc';  last = 1: emit acc' as an `out` beat and acc ← 0 ("drain").
// An odd-length vector pads its last word with a zero activation (or weight).
// Datapath: two s8 × s8 products (s16) → 2-input adder (common/adder_tree.ts, `stages` register
// levels, 0..3) → accumulator register. Control is that of ditto_pe, unchanged: a drained sum
// waits in a one-entry output register; words that do not drain keep flowing while it waits,
// and a draining word stalls the pipeline only while the output register is still full.
// Latency: a word accepted in cycle c reaches the accumulator at the clock edge ending cycle
// c + stages; a drained result is valid on `out` from cycle c + stages + 1 (as ditto_pe, so
// sim/cycles/ditto/pe.ts models this PE's timing too).
// Throughput: one word (2 elements) per cycle whenever the output is accepted.
import { type Expr, type ModuleBuilder, bit, module, sint } from '../../dsl/index.ts';
import { ident, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { adderTree } from '../common/adder_tree.ts';
import { peAccumulatorShell } from './pe.ts';
import { peShellParams } from '../../spec/ditto/pe.ts';

export const peDenseParams = {
  top: ident({ default: 'ditto_pe_a8w8', doc: 'name of the generated top module' }),
  ...peShellParams,
};

export type PeDenseParams = Params<typeof peDenseParams>;

/** MACs (int8 × int8) per word. */
export const PE_DENSE_LANES = 2;
/** Width of one word's sum: two s16 products → s17. */
export const PE_DENSE_SUM_BITS = 17;

export interface PeDenseLaneExprs {
  a: Expr;
  w: Expr;
}

/** Σ a_i · w_i (s17) after `stages` register levels (enable required if stages > 0). */
export function peDenseWordSum(m: ModuleBuilder, name: string, lanes: PeDenseLaneExprs[], stages: number, enable?: Expr): Expr {
  const terms = lanes.map((l, i) => m.wire(`${name}_p${i}`, l.a.mul(l.w))); // s16
  return adderTree(m, `${name}_tree`, terms, { stages, enable });
}

export function dittoPeA8w8(p: PeDenseParams, name = p.top) {
  return module(
    name,
    (m) => {
      const fields: Record<string, ReturnType<typeof bit>> = {};
      for (let i = 0; i < PE_DENSE_LANES; i++) {
        fields[`a${i}`] = sint(8);
        fields[`w${i}`] = sint(8);
      }
      fields.clear = bit();
      fields.last = bit();
      const inp = m.inStream('in', fields);
      const out = m.outStream('out', { acc: sint(p.accBits) });
      const d = inp.data;

      const lanes: PeDenseLaneExprs[] = Array.from({ length: PE_DENSE_LANES }, (_, i) => ({ a: d[`a${i}`], w: d[`w${i}`] }));
      peAccumulatorShell(m, { valid: inp.valid, ready: inp.ready, data: { clear: d.clear, last: d.last } }, out, p, (advance) => peDenseWordSum(m, 'pe', lanes, p.stages, p.stages > 0 ? advance : undefined));
    },
    { doc: `Dense A8W8 baseline PE: 2 x (s8 x s8) MACs per word, ${p.stages} pipeline stage(s), s${p.accBits} accumulator with clear/drain`, params: { accBits: p.accBits, stages: p.stages } },
  );
}

export const dittoPeA8w8Design = defineDesign({
  name: 'ditto.pe_a8w8',
  description: 'Dense A8W8 baseline PE (same multiplier budget as ditto.pe): two int8 x int8 MACs per cycle, adder, accumulator (valid/ready)',
  params: peDenseParams,
  build: (p) => dittoPeA8w8(p),
});
