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
import { type Expr, type ModuleBuilder, type Signal, bit, module, mux, sint } from '../../dsl/index.ts';
import { ident, int, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { adderTree } from '../common/adder_tree.ts';

export const peDenseParams = {
  top: ident({ default: 'ditto_pe_a8w8', doc: 'name of the generated top module' }),
  accBits: int({ default: 32, min: 24, max: 48, doc: 'accumulator width (two\'s complement, wraps)' }),
  stages: int({ default: 1, min: 0, max: 3, doc: 'register levels in the multiplier/adder tree before the accumulator' }),
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

      const outValid = m.reg('out_valid_q', bit(), { reset: 0 });
      const outAcc = m.reg('out_acc_q', sint(p.accBits));
      const acc = m.reg('acc_q', sint(p.accBits), { reset: 0 });
      m.assign(out.valid, outValid);
      m.assign(out.data.acc, outAcc);

      const advance = m.wire('advance', bit());
      const lanes: PeDenseLaneExprs[] = Array.from({ length: PE_DENSE_LANES }, (_, i) => ({ a: d[`a${i}`], w: d[`w${i}`] }));
      const sum = peDenseWordSum(m, 'pe', lanes, p.stages, p.stages > 0 ? advance : undefined);
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
