// Ditto PE (SPEC §1.2): four 4-bit-magnitude × int8 slot multipliers, sign, ×16 shift on
// slots 1 and 3 only, one compressor tree for the word and an accumulator, as a valid/ready
// stream block.
//
// Ports (module `ditto_pe`, all streams valid/ready):
//   in   : v0..v3 (slot valid), s0..s3 (sign), n0..n3 (u4 magnitude nibble), h0..h3 (shift flag,
//          used on slots 1 and 3 only), w0..w3 (s8 weight), clear, last
//   out  : acc (s<accBits>)
// Per accepted word: sum = Σ_i valid_i · (−1)^s_i · n_i · w_i · (h_i && i odd ? 16 : 1);
//   acc' = (clear ? 0 : acc) + sum   (wraps at accBits);
//   last = 0: acc ← acc';  last = 1: emit acc' as an `out` beat and acc ← 0 ("drain").
//
// Datapath (peWordSum; widths are the bounds of generator/spec/ditto/pe.ts):
//   1. Per slot, q = u·w − s with u = n & valid (the valid bit gates the nibble, so an invalid
//      slot is worth 0 with no further gating): 4 × 8 partial products in Baugh-Wooley form (row
//      j's top bit ¬(u_j & w_7), constant −15·2^7) and −s as ¬s − 1 (one bit in column 0),
//      reduced by a compressor tree (common/compressor.ts) and one 12-bit adder: q exact in s12
//      (PE_PRODUCT_BITS).
//   2. Sign by one's complement: x = q ^ {12{s}} is the signed product (−X = ~(X − 1)), so no
//      +1 per sign is left for the word's tree (its column 0 was 8 high with them: two more
//      full-adder levels on the iCE40 critical path).
//   3. Shift (slots 1, 3): t = h ? {x, 0000} : sext16(x) — AND gates on bits 0-3, 2:1
//      multiplexers on bits 4-14, bit 15 is x's sign either way; on the iCE40 the XOR and the
//      multiplexer of a bit are one LUT4.
//   4. One compressor tree for the word (17 columns, PE_SUM_BITS): the four terms in
//      Baugh-Wooley form (top bit inverted; −2^11 for slots 0, 2 and −2^15 for slots 1, 3 in the
//      constant), at most 4 terms and a constant bit per column, reduced to two rows, then one
//      17-bit carry-propagate adder → the word's sum (s17).
//      A FULL element's ×16 pair (slots 0/1, 2/3) is not special: the PE is exact for any slots.
//   Register levels (`stages`, 0..3, enabled by the pipeline's advance): 1 = after the 17-bit
//   adder; 2 = also after step 1 (the four q's, signs and shift flags, 54 bits); 3 = also after
//   the word's compressor tree (its two rows). The default 2 balances the iCE40 paths: input →
//   q (AND, 3 full-adder levels, 12-bit carry chain), q → sum (XOR/mux, 2 levels, 17-bit
//   chain) and the accumulator (32-bit chain), each about 20 ns on the UP5K.
// Accumulator shell (peAccumulatorShell, shared with ditto_pe_a8w8): a drained sum waits in a
// one-entry output register; words that do not drain keep flowing while it waits, and a
// draining word stalls the pipeline only while the output register is still full. With
// stages > 0 a `clear` word zeroes the accumulator as it enters the accumulator stage, so the
// accumulator's adder has no clear multiplexer in front of it.
// Latency: a word accepted in cycle c reaches the accumulator at the clock edge ending cycle
// c + stages; a drained result is valid on `out` from cycle c + stages + 1.
// Throughput: one word per cycle (in_ready = 1) whenever the output is accepted.
// Measured at the defaults (stages 2; `node bin/dcgen.mjs synth ditto.pe --target asic | ice40`;
// docs/ppa.md has both PEs and every stages value): OSU018 61,358 µm², worst path 4.025 ns;
// UP5K 489 LUT4, 47.02 MHz — ditto_pe_a8w8 51,482 µm², 3.958 ns, 378 LUT4, 51.14 MHz.
import { type Expr, type ModuleBuilder, type Signal, bit, cat, module, mux, repeat, sint, uint } from '../../dsl/index.ts';
import { defineDesign } from '../../designs/registry.ts';
import { addBit, addBits, addConstant, bitMatrix, compressorTree } from '../common/compressor.ts';
import { PE_PRODUCT_BITS, PE_SUM_BITS, PE_TERM_BITS, peParams, type PeParams } from '../../spec/ditto/pe.ts';

export interface PeSlotExprs {
  v: Expr;
  s: Expr;
  n: Expr;
  h: Expr;
  w: Expr;
}

/**
 * Slot product minus the sign, q = valid · n · w − s (s12, exact: |n·w| ≤ 1,920), whose one's
 * complement q ^ {12{s}} is the signed product (−X = ~(X − 1)): the nibble gated by the valid
 * bit times the weight, Baugh-Wooley partial products, −s as ¬s − 1 (one bit in column 0), a
 * compressor tree, a 12-bit adder. The −1 rides on the +1 terms the word's tree had for each
 * sign: one term of the slot's 5-high tree instead of 6 more in the word's (columns 0 and 4).
 */
export function peSlotProduct(m: ModuleBuilder, name: string, sl: PeSlotExprs): Expr {
  const u = m.wire(`${name}_u`, sl.n.and(repeat(sl.v, 4)));
  const w = sl.w.asUnsigned();
  const mat = bitMatrix(PE_PRODUCT_BITS);
  for (let j = 0; j < 4; j++) {
    for (let k = 0; k < 7; k++) addBit(mat, j + k, u.bit(j).and(w.bit(k)));
    addBit(mat, j + 7, u.bit(j).and(w.bit(7)).not());
  }
  addBit(mat, 0, sl.s.not());
  addConstant(mat, (-15n << 7n) - 1n);
  const [a, b] = compressorTree(m, `${name}_ct`, mat);
  return m.wire(`${name}_q`, a.add(b).trunc(PE_PRODUCT_BITS).asSigned());
}

/**
 * The word's sum Σ_i valid_i · (−1)^s_i · n_i · w_i · (h_i && i odd ? 16 : 1) (s17) after `stages`
 * register levels (0..3; `enable` required if stages > 0). The h of slots 0 and 2 is not read.
 */
export function peWordSum(m: ModuleBuilder, name: string, slots: PeSlotExprs[], stages: number, enable?: Expr): Expr {
  if (slots.length !== 4) m.fail(`peWordSum '${name}'`, '4 slots', String(slots.length));
  if (stages < 0 || stages > 3 || (stages > 0 && !enable)) m.fail(`peWordSum '${name}'`, '0..3 stages, with an enable when above 0', `${stages} stages${enable ? '' : ', no enable'}`);
  const pipe = (label: string, e: Expr): Expr => {
    const r: Signal = m.reg(`${name}_${label}`, e.type);
    m.sync(() => m.when(enable!, () => r.set(e)));
    return r;
  };
  let prods = slots.map((sl, i) => peSlotProduct(m, `${name}_${i}`, sl));
  let signs = slots.map((sl) => sl.s);
  let shifts = slots.map((sl, i) => (i % 2 === 1 ? sl.h : undefined));
  if (stages >= 2) {
    prods = prods.map((p, i) => pipe(`p${i}_q`, p));
    signs = signs.map((s, i) => pipe(`s${i}_q`, s));
    shifts = shifts.map((h, i) => (h ? pipe(`h${i}_q`, h) : undefined));
  }
  // The four signed terms in Baugh-Wooley form (top bit inverted, −2^top into the constant):
  // at most 4 bits and a constant bit per column, two full-adder levels.
  const mat = bitMatrix(PE_SUM_BITS);
  prods.forEach((p, i) => {
    const h = shifts[i];
    const x = m.wire(`${name}_x${i}`, p.asUnsigned().xor(repeat(signs[i], PE_PRODUCT_BITS)));
    const t = h ? m.wire(`${name}_t${i}`, mux(h, cat(x, m.const(uint(4), 0)), cat(repeat(x.msb(), PE_TERM_BITS - PE_PRODUCT_BITS), x))) : x;
    addBits(mat, cat(t.msb().not(), t.slice(t.width - 2, 0)));
    addConstant(mat, -(1n << BigInt(t.width - 1)));
  });
  let [a, b] = compressorTree(m, `${name}_ct`, mat);
  if (stages >= 3) [a, b] = [pipe('row0_q', a), pipe('row1_q', b)];
  const sum = m.wire(`${name}_sum`, a.add(b).trunc(PE_SUM_BITS).asSigned());
  return stages >= 1 ? pipe('sum_q', sum) : sum;
}

export function dittoPe(p: PeParams, name = p.top) {
  return module(
    name,
    (m) => {
      const fields: Record<string, ReturnType<typeof uint>> = {};
      for (let i = 0; i < 4; i++) {
        fields[`v${i}`] = bit();
        fields[`s${i}`] = bit();
        fields[`n${i}`] = uint(4);
        fields[`h${i}`] = bit();
        fields[`w${i}`] = sint(8);
      }
      fields.clear = bit();
      fields.last = bit();
      const inp = m.inStream('in', fields);
      const out = m.outStream('out', { acc: sint(p.accBits) });
      const d = inp.data;

      const slots: PeSlotExprs[] = [0, 1, 2, 3].map((i) => ({ v: d[`v${i}`], s: d[`s${i}`], n: d[`n${i}`], h: d[`h${i}`], w: d[`w${i}`] }));
      peAccumulatorShell(m, { valid: inp.valid, ready: inp.ready, data: { clear: d.clear, last: d.last } }, out, p, (advance) => peWordSum(m, 'pe', slots, p.stages, p.stages > 0 ? advance : undefined));
    },
    { doc: `Ditto PE: 4 slots (u4 magnitude x s8 weight, shift x16 on slots 1/3), one compressor tree per word, ${p.stages} pipeline stage(s), s${p.accBits} accumulator with clear/drain`, params: { accBits: p.accBits, stages: p.stages } },
  );
}

/**
 * The control every PE variant shares: `stages` pipeline registers for (valid, clear, last)
 * beside the word-sum pipeline, all enabled by `advance`; the accumulator (cleared by `clear`,
 * drained by `last` into a one-entry output register); `advance = in_ready` low only while a
 * draining word waits for that register. `wordSum(advance)` builds the variant's datapath.
 */
export function peAccumulatorShell(
  m: ModuleBuilder,
  inp: { valid: Expr; ready: Signal; data: { clear: Expr; last: Expr } },
  out: { valid: Signal; ready: Expr; data: { acc: Signal } },
  p: { accBits: number; stages: number },
  wordSum: (advance: Expr) => Expr,
): void {
  const d = inp.data;
    const outValid = m.reg('out_valid_q', bit(), { reset: 0 });
    const outAcc = m.reg('out_acc_q', sint(p.accBits));
    const acc = m.reg('acc_q', sint(p.accBits), { reset: 0 });
    m.assign(out.valid, outValid);
    m.assign(out.data.acc, outAcc);

    // The word at the accumulator stage: straight from the input (stages = 0) or from the
    // end of the pipeline.
    const advance = m.wire('advance', bit());
    const sum = wordSum(advance);
    let aValid: Expr = inp.valid;
    let aClear: Expr = d.clear;
    let aLast: Expr = d.last;
    // With stages > 0, a valid `clear` word zeroes the accumulator at the edge that moves it
    // into the accumulator stage (whatever the accumulator held is discarded by that word), so
    // no clear multiplexer sits in front of the accumulator's carry chain and the last level
    // needs no clear register.
    let zeroAcc: Expr | undefined;
    for (let s = 0; s < p.stages; s++) {
      const v: Signal = m.reg(`valid_s${s}`, bit(), { reset: 0 });
      const l: Signal = m.reg(`last_s${s}`, bit());
      const [pv, pc, pl] = [aValid, aClear, aLast];
      const lastLevel = s === p.stages - 1;
      const c: Signal | undefined = lastLevel ? undefined : m.reg(`clear_s${s}`, bit());
      m.sync(() =>
        m.when(advance, () => {
          v.set(pv);
          c?.set(pc);
          l.set(pl);
        }),
      );
      if (lastLevel) zeroAcc = m.wire('acc_zero', advance.and(pv).and(pc));
      aValid = v;
      aClear = c ?? aClear;
      aLast = l;
    }
    // A draining word waits while the output register holds an unaccepted result.
    m.assign(advance, aValid.and(aLast).and(outValid).and(out.ready.not()).not());
    m.assign(inp.ready, advance);

    const base = zeroAcc ? acc : m.wire('acc_base', mux(aClear, m.const(sint(p.accBits), 0), acc));
    const next = m.wire('acc_next', base.add(sum.sext(p.accBits)).trunc(p.accBits));
    const take = m.wire('take', aValid.and(advance));
    const drain = take.and(aLast);
    m.sync(() => {
      m.when(zeroAcc ? drain.or(zeroAcc) : drain, () => acc.set(0)).elseWhen(take, () => acc.set(next));
      m.when(drain, () => outAcc.set(next));
      m.when(drain, () => outValid.set(1)).elseWhen(out.ready, () => outValid.set(0));
    });
}

export const dittoPeDesign = defineDesign({
  name: 'ditto.pe',
  description: 'Ditto PE: four 4-bit x int8 slot multipliers, shifters on slots 1/3, compressor tree, accumulator (valid/ready)',
  params: peParams,
  build: (p) => dittoPe(p),
});
