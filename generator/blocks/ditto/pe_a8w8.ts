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
// Datapath (peDenseWordSum): built like the A4W8 word (Baugh-Wooley partial products,
// common/compressor.ts trees, one 17-bit adder), so that the comparison is of the arithmetic and
// not of two synthesis styles: the synthesis tools' own `*` (Yosys `$mul`, the datapath until
// issue 13 part 3) made 487 LUT4 and 33 MHz on the UP5K at stages 1, and with a register
// after the products it still stopped at 39 MHz (8 × 8 products in one 25.6 ns segment).
// Control is that of ditto_pe (peAccumulatorShell), unchanged: a drained sum waits in a
// one-entry output register; words that do not drain keep flowing while it waits, and a
// draining word stalls the pipeline only while the output register is still full.
// Latency: a word accepted in cycle c reaches the accumulator at the clock edge ending cycle
// c + stages; a drained result is valid on `out` from cycle c + stages + 1 (as ditto_pe, so
// sim/cycles/ditto/pe.ts models this PE's timing too).
// Throughput: one word (2 elements) per cycle whenever the output is accepted.
import { type Expr, type ModuleBuilder, type Signal, bit, cat, module, sint } from '../../dsl/index.ts';
import { ident, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { addBit, addConstant, addSignedProduct, bitMatrix, compressorTree, reduceMatrix } from '../common/compressor.ts';
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

/**
 * Σ a_i · w_i (s17) after `stages` register levels (0..3; enable required if stages > 0), built
 * like the A4W8 word (pe.ts peWordSum) so that the two PEs differ in arithmetic only: per lane
 * the 64 Baugh-Wooley partial products of a_i · w_i reduced by a compressor tree to two rows,
 * one compressor tree for the word's four rows, one 17-bit adder. Register levels: 1 = after
 * the 17-bit adder; 2 = also after each lane's two rows (the 8 × 8 products' trees are two
 * full-adder levels deeper than the A4W8 slots' 4 × 8 ones, so the level sits before their
 * adders: the rows' variable bits only, the constant bits need no flip-flop); 3 = also after
 * the word's tree (its two rows).
 */
export function peDenseWordSum(m: ModuleBuilder, name: string, lanes: PeDenseLaneExprs[], stages: number, enable?: Expr): Expr {
  if (stages < 0 || stages > 3 || (stages > 0 && !enable)) m.fail(`peDenseWordSum '${name}'`, '0..3 stages, with an enable when above 0', `${stages} stages${enable ? '' : ', no enable'}`);
  const pipe = (label: string, e: Expr): Expr => {
    const r: Signal = m.reg(`${name}_${label}`, e.type);
    m.sync(() => m.when(enable!, () => r.set(e)));
    return r;
  };
  const word = bitMatrix(PE_DENSE_SUM_BITS);
  lanes.forEach((l, i) => {
    const prod = bitMatrix(PE_DENSE_SUM_BITS);
    addSignedProduct(prod, l.a, l.w);
    const red = reduceMatrix(m, `${name}_p${i}`, prod);
    addConstant(word, red.constant);
    const bits = red.cols.flatMap((col, c) => col.map((e) => [c, e] as const));
    const q = stages >= 2 ? pipe(`rows${i}_q`, cat(...bits.map(([, e]) => e).reverse())) : undefined;
    bits.forEach(([c, e], k) => addBit(word, c, q ? q.bit(k) : e));
  });
  let [a, b] = compressorTree(m, `${name}_ct`, word);
  if (stages >= 3) [a, b] = [pipe('row0_q', a), pipe('row1_q', b)];
  const sum = m.wire(`${name}_sum`, a.add(b).trunc(PE_DENSE_SUM_BITS).asSigned());
  return stages >= 1 ? pipe('sum_q', sum) : sum;
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
