// Ditto PE (SPEC §1.2): four 4-bit-magnitude × int8 multipliers, sign handling, ×16 shifters on
// slots 1 and 3 only, a 4-input adder tree and an accumulator, as a valid/ready stream block.
//
// Ports (module `ditto_pe`, all streams valid/ready):
//   in   : v0..v3 (slot valid), s0..s3 (sign), n0..n3 (u4 magnitude nibble), h0..h3 (shift flag,
//          used on slots 1 and 3 only), w0..w3 (s8 weight), clear, last
//   out  : acc (s<accBits>)
// Per accepted word: sum = Σ_i valid_i · (−1)^s_i · n_i · w_i · (h_i && i odd ? 16 : 1);
//   acc' = (clear ? 0 : acc) + sum   (wraps at accBits);
//   last = 0: acc ← acc';  last = 1: emit acc' as an `out` beat and acc ← 0 ("drain").
// Datapath: products n·w (s13) → per-slot shift (slots 1, 3) and sign → adder tree
// (common/adder_tree.ts, `stages` register levels, 0..3) → accumulator register. A drained sum
// waits in a one-entry output register; words that do not drain keep flowing while it waits,
// and a draining word stalls the pipeline only while the output register is still full.
// Latency: a word accepted in cycle c reaches the accumulator at the clock edge ending cycle
// c + stages; a drained result is valid on `out` from cycle c + stages + 1.
// Throughput: one word per cycle (in_ready = 1) whenever the output is accepted.
import { type Expr, type ModuleBuilder, type Signal, bit, module, mux, sint, uint } from '../../dsl/index.ts';
import { defineDesign } from '../../designs/registry.ts';
import { adderTree } from '../common/adder_tree.ts';
import { peParams, type PeParams } from '../../spec/ditto/pe.ts';

export interface PeSlotExprs {
  v: Expr;
  s: Expr;
  n: Expr;
  h: Expr;
  w: Expr;
}

/** The signed, shifted value of slot `i` (s18), zero when invalid. */
export function peSlotTerm(m: ModuleBuilder, name: string, i: number, sl: PeSlotExprs): Expr {
  const prod = m.wire(`${name}_p${i}`, sl.n.zext(5).asSigned().mul(sl.w)); // s13
  const shifted = i % 2 === 1 ? mux(sl.h, prod.shl(4), prod.sext(17)) : prod.sext(17); // s17
  const signed = mux(sl.s, shifted.neg(), shifted.sext(18)); // s18
  return m.wire(`${name}_t${i}`, mux(sl.v, signed, 0));
}

/** Sum of the 4 slot terms (s20) after `stages` register levels (enable required if stages > 0). */
export function peWordSum(m: ModuleBuilder, name: string, slots: PeSlotExprs[], stages: number, enable?: Expr): Expr {
  const terms = slots.map((sl, i) => peSlotTerm(m, name, i, sl));
  return adderTree(m, `${name}_tree`, terms, { stages, enable });
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
    { doc: `Ditto PE: 4 slots (u4 magnitude x s8 weight, shift x16 on slots 1/3), ${p.stages} pipeline stage(s), s${p.accBits} accumulator with clear/drain`, params: { accBits: p.accBits, stages: p.stages } },
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
    for (let s = 0; s < p.stages; s++) {
      const v: Signal = m.reg(`valid_s${s}`, bit(), { reset: 0 });
      const c: Signal = m.reg(`clear_s${s}`, bit());
      const l: Signal = m.reg(`last_s${s}`, bit());
      const [pv, pc, pl] = [aValid, aClear, aLast];
      m.sync(() =>
        m.when(advance, () => {
          v.set(pv);
          c.set(pc);
          l.set(pl);
        }),
      );
      aValid = v;
      aClear = c;
      aLast = l;
    }
    // A draining word waits while the output register holds an unaccepted result.
    m.assign(advance, aValid.and(aLast).and(outValid).and(out.ready.not()).not());
    m.assign(inp.ready, advance);

    const base = m.wire('acc_base', mux(aClear, m.const(sint(p.accBits), 0), acc));
    const next = m.wire('acc_next', base.add(sum.sext(p.accBits)).trunc(p.accBits));
    const take = m.wire('take', aValid.and(advance));
    m.sync(() => {
      m.when(take.and(aLast), () => {
        acc.set(0);
        outAcc.set(next);
      }).elseWhen(take, () => acc.set(next));
      m.when(take.and(aLast), () => outValid.set(1)).elseWhen(out.ready, () => outValid.set(0));
    });
}

export const dittoPeDesign = defineDesign({
  name: 'ditto.pe',
  description: 'Ditto PE: four 4-bit x int8 slot multipliers, shifters on slots 1/3, adder tree, accumulator (valid/ready)',
  params: peParams,
  build: (p) => dittoPe(p),
});
