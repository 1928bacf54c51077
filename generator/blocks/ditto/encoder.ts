// Ditto encoding unit (SPEC §1.1, §1.3): differences, sign-magnitude, ZERO/LOW/FULL classes,
// zero skipping and optimal packing into 4-slot words, as a valid/ready stream block.
//
// Ports (module `ditto_encoder`, L = lanes, KB = element-index bits = max(1, clog2(kMax)),
// CB = count bits = clog2(kMax + 1)):
//   in   : xt_0..xt_{L-1} (s8, x_t), xp_0..xp_{L-1} (s8, x_{t+1}), keep (uL: lane j belongs to
//          the vector), last (end of vector), mode (0 = difference d = x_t − x_{t+1},
//          1 = original d = x_t; applied per beat, meant to be constant within a vector)
//   out  : for slot i in 0..3: v_i, s_i, n_i (u4), h_i, k_i (uKB); last (end of vector);
//          nzero, nlow, nfull (uCB: the vector's class counts, on the last word, 0 elsewhere)
// Element index k of lane j = (beats since the vector started)·L + j (mod 2^KB).
//
// PACKING RULE (sim/golden/ditto/encoder.ts reproduces it bit for bit). Elements are scanned in
// ascending k (lanes 0..L−1 of a beat, beats in order; lanes with keep = 0 skipped). ZERO
// elements are dropped; LOW (1 slot) and FULL (2 slots) go to a reorder buffer of a pending LOW
// list and a pending FULL list (oldest first). After each element is appended, if the pending
// elements cost ≥ 5 slots one word is formed: two FULL (the two oldest) if there are ≥ 2 FULL,
// else the FULL and the two oldest LOW if there is one FULL, else the four oldest LOW. The
// buffer therefore never holds more than 4 slots (≤ 2 FULL, ≤ 4 LOW) and at most one word is
// formed per element. At the end of a vector the pending elements (≤ 4 slots) are flushed as
// one word (an all-zero vector: one word with no valid slot); this word carries last = 1 and
// the counts. Hence exactly max(1, ceil((nL + 2·nF)/4)) words per vector, never a FULL split,
// never two vectors in one word.
// SLOT ORDER: a word's FULL elements first, oldest first, each in an aligned pair (ml in slot
// 0/2 with h = 0, mh in slot 1/3 with h = 1), then its LOW elements, oldest first (n = ml,
// h = 0). Unused slots are invalid with every field 0.
//
// Structure: the L-lane scan (a chain of L buffer-update steps) runs combinationally in the
// cycle a beat is accepted and pushes the beat's words (at most Wmax = floor((3 + 2L)/4) + 1,
// including the flush word) into a shift-register output FIFO of `depth` words (default
// 2·Wmax). in_ready = (FIFO occupancy ≤ depth − Wmax), from registers only; out_valid =
// (occupancy ≠ 0); the FIFO head is registered. Latency: a word formed from a beat accepted in
// cycle c can leave in cycle c + 1. Throughput: one beat per cycle in, one word per cycle out
// (sim/cycles/ditto/encoder.ts gives the exact cycle of every word).
import { type Expr, type ModuleBuilder, type Signal, bit, cat, clog2, module, mux, repeat, sint, uint } from '../../dsl/index.ts';
import type { HwType } from '../../dsl/index.ts';
import { ParamRuleError } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { encoderParams, type EncoderParams, encoderMaxWordsPerBeat, encoderDepth, encoderIndexBits, encoderCountBits } from '../../spec/ditto/encoder.ts';

interface FullRec {
  s: Expr;
  mh: Expr;
  ml: Expr;
  k: Expr;
}
interface LowRec {
  s: Expr;
  n: Expr;
  k: Expr;
}
interface SlotX {
  v: Expr;
  s: Expr;
  n: Expr;
  h: Expr;
  k: Expr;
}

function muxFull(sel: Expr, a: FullRec, b: FullRec): FullRec {
  return { s: mux(sel, a.s, b.s), mh: mux(sel, a.mh, b.mh), ml: mux(sel, a.ml, b.ml), k: mux(sel, a.k, b.k) };
}
function muxLow(sel: Expr, a: LowRec, b: LowRec): LowRec {
  return { s: mux(sel, a.s, b.s), n: mux(sel, a.n, b.n), k: mux(sel, a.k, b.k) };
}
function muxSlot(sel: Expr, a: SlotX, b: SlotX): SlotX {
  return { v: mux(sel, a.v, b.v), s: mux(sel, a.s, b.s), n: mux(sel, a.n, b.n), h: mux(sel, a.h, b.h), k: mux(sel, a.k, b.k) };
}

export function dittoEncoder(p: EncoderParams, name = p.top) {
  const L = p.lanes;
  const KB = encoderIndexBits(p.kMax);
  const CB = encoderCountBits(p.kMax);
  const WMAX = encoderMaxWordsPerBeat(L);
  const D = encoderDepth(p);
  const DB = clog2(D + 1);
  const RB = clog2(L + 1);
  const SW = 7 + KB; // slot bits: v, s, n(4), h, k
  const WB = 4 * SW + 1 + 3 * CB; // word bits: 4 slots, last, nzero, nlow, nfull

  return module(
    name,
    (m) => {
      const inFields: Record<string, HwType> = {};
      for (let j = 0; j < L; j++) inFields[`xt_${j}`] = sint(8);
      for (let j = 0; j < L; j++) inFields[`xp_${j}`] = sint(8);
      inFields.keep = uint(L);
      inFields.last = bit();
      inFields.mode = bit();
      const inp = m.inStream('in', inFields);
      const outFields: Record<string, HwType> = {};
      for (let i = 0; i < 4; i++) {
        outFields[`v${i}`] = bit();
        outFields[`s${i}`] = bit();
        outFields[`n${i}`] = uint(4);
        outFields[`h${i}`] = bit();
        outFields[`k${i}`] = uint(KB);
      }
      outFields.last = bit();
      outFields.nzero = uint(CB);
      outFields.nlow = uint(CB);
      outFields.nfull = uint(CB);
      const out = m.outStream('out', outFields);
      const d = inp.data;

      const one = m.const(bit(), 1);
      const zero = m.const(bit(), 0);
      const zeroSlot: SlotX = { v: zero, s: zero, n: m.const(uint(4), 0), h: zero, k: m.const(uint(KB), 0) };
      const fullLo = (f: FullRec): SlotX => ({ v: one, s: f.s, n: f.ml, h: zero, k: f.k });
      const fullHi = (f: FullRec): SlotX => ({ v: one, s: f.s, n: f.mh, h: one, k: f.k });
      const lowSlot = (l: LowRec): SlotX => ({ v: one, s: l.s, n: l.n, h: zero, k: l.k });
      /** Flat word, LSB first: slot 0 .. slot 3 (each v, s, n, h, k from the LSB), last, nzero, nlow, nfull. */
      const packWord = (slots: SlotX[], last: Expr, nz: Expr, nl: Expr, nf: Expr): Expr =>
        cat(nf, nl, nz, last, ...[...slots].reverse().flatMap((s) => [s.k, s.h, s.n, s.s, s.v]));

      // ---- registered state: the reorder buffer, the vector's index base and counts ----
      const nF = m.reg('pend_nf', uint(2), { reset: 0 });
      const nL = m.reg('pend_nl', uint(3), { reset: 0 });
      const regF: FullRec[] = [0, 1].map((i) => ({
        s: m.reg(`pend_f${i}_s`, bit()),
        mh: m.reg(`pend_f${i}_mh`, uint(4)),
        ml: m.reg(`pend_f${i}_ml`, uint(4)),
        k: m.reg(`pend_f${i}_k`, uint(KB)),
      }));
      const regL: LowRec[] = [0, 1, 2, 3].map((i) => ({
        s: m.reg(`pend_l${i}_s`, bit()),
        n: m.reg(`pend_l${i}_n`, uint(4)),
        k: m.reg(`pend_l${i}_k`, uint(KB)),
      }));
      const kBase = m.reg('k_base', uint(KB), { reset: 0 });
      const cntZ = m.reg('cnt_zero', uint(CB), { reset: 0 });
      const cntL = m.reg('cnt_low', uint(CB), { reset: 0 });
      const cntF = m.reg('cnt_full', uint(CB), { reset: 0 });

      // ---- per lane: difference, sign-magnitude, class ----
      const lanes = Array.from({ length: L }, (_, j) => {
        const xt = d[`xt_${j}`];
        const xp = d[`xp_${j}`];
        const keep = d.keep.bit(j);
        const dv = m.wire(`d${j}`, mux(d.mode, xt.sext(9), xt.sub(xp))); // s9
        const neg = dv.msb();
        const mag = m.wire(`m${j}`, mux(neg, dv.neg().slice(7, 0), dv.slice(7, 0))); // u8 = |d|
        const mh = mag.slice(7, 4);
        const ml = mag.slice(3, 0);
        const isFull = m.wire(`full${j}`, keep.and(mh.orR()));
        const isLow = m.wire(`low${j}`, keep.and(mh.orR().not()).and(ml.orR()));
        const isZero = m.wire(`zero${j}`, keep.and(mag.orR().not()));
        const k = m.wire(`k${j}`, kBase.add(m.const(uint(KB + 5), j)).trunc(KB));
        return { isFull, isLow, isZero, full: { s: neg, mh, ml, k } as FullRec, low: { s: neg, n: ml, k } as LowRec };
      });

      // ---- the scan: one buffer-update step per lane ----
      let sNF: Expr = nF;
      let sNL: Expr = nL;
      let sF: FullRec[] = regF;
      let sL: LowRec[] = regL;
      const emits: Expr[] = [];
      const laneWords: Expr[] = [];
      const c2 = (v: number) => m.const(uint(2), v);
      const c3 = (v: number) => m.const(uint(3), v);
      lanes.forEach((ln, j) => {
        // append the element to its list
        const Fp: FullRec[] = [0, 1].map((i) => muxFull(ln.isFull.and(sNF.eq(c2(i))), ln.full, sF[i]));
        Fp.push(ln.full);
        const Lp: LowRec[] = [0, 1, 2, 3].map((i) => muxLow(ln.isLow.and(sNL.eq(c3(i))), ln.low, sL[i]));
        Lp.push(ln.low);
        const nFp = m.wire(`c${j}_nfp`, sNF.add(ln.isFull)); // u3, 0..3
        const nLp = m.wire(`c${j}_nlp`, sNL.add(ln.isLow)); // u4, 0..5
        const units = nFp.shl(1).zext(4).add(nLp); // u5
        const emit = m.wire(`c${j}_emit`, units.ge(m.const(uint(5), 5)));
        const selFF = m.wire(`c${j}_ff`, emit.and(nFp.ge(m.const(uint(3), 2))));
        const selFLL = m.wire(`c${j}_fll`, emit.and(nFp.eq(m.const(uint(3), 1))));
        const selL4 = m.wire(`c${j}_llll`, emit.and(nFp.eq(m.const(uint(3), 0))));
        // the formed word (meaningful when emit)
        const slots: SlotX[] = [
          muxSlot(selL4, lowSlot(Lp[0]), fullLo(Fp[0])),
          muxSlot(selL4, lowSlot(Lp[1]), fullHi(Fp[0])),
          muxSlot(selFF, fullLo(Fp[1]), muxSlot(selFLL, lowSlot(Lp[0]), lowSlot(Lp[2]))),
          muxSlot(selFF, fullHi(Fp[1]), muxSlot(selFLL, lowSlot(Lp[1]), lowSlot(Lp[3]))),
        ];
        emits.push(emit);
        laneWords.push(m.wire(`c${j}_word`, packWord(slots, zero, m.const(uint(CB), 0), m.const(uint(CB), 0), m.const(uint(CB), 0))));
        // the buffer after the step
        const nextNF = mux(selFF, nFp.sub(m.const(uint(3), 2)).trunc(2), mux(emit, c2(0), nFp.trunc(2)));
        const nextNL = mux(selFLL, nLp.sub(m.const(uint(4), 2)).trunc(3), mux(selL4, nLp.sub(m.const(uint(4), 4)).trunc(3), nLp.trunc(3)));
        const nf = [muxFull(selFF, Fp[2], Fp[0]), Fp[1]];
        const nl = [0, 1, 2, 3].map((i) => muxLow(selFLL, Lp[Math.min(i + 2, 4)], muxLow(selL4, Lp[Math.min(i + 4, 4)], Lp[i])));
        sNF = m.wire(`c${j}_nf`, nextNF);
        sNL = m.wire(`c${j}_nl`, nextNL);
        sF = nf.map((f, i) => ({ s: m.wire(`c${j}_f${i}_s`, f.s), mh: m.wire(`c${j}_f${i}_mh`, f.mh), ml: m.wire(`c${j}_f${i}_ml`, f.ml), k: m.wire(`c${j}_f${i}_k`, f.k) }));
        sL = nl.map((l, i) => ({ s: m.wire(`c${j}_l${i}_s`, l.s), n: m.wire(`c${j}_l${i}_n`, l.n), k: m.wire(`c${j}_l${i}_k`, l.k) }));
      });

      // ---- statistics ----
      const popcount = (bits: Expr[]): Expr => bits.reduce<Expr>((acc, b) => acc.add(b.zext(CB)).trunc(CB), m.const(uint(CB), 0));
      const totZ = m.wire('tot_zero', cntZ.add(popcount(lanes.map((l) => l.isZero))).trunc(CB));
      const totL = m.wire('tot_low', cntL.add(popcount(lanes.map((l) => l.isLow))).trunc(CB));
      const totF = m.wire('tot_full', cntF.add(popcount(lanes.map((l) => l.isFull))).trunc(CB));

      // ---- the flush word from the buffer after the last lane ----
      const fHas1 = sNF.ne(c2(0));
      const fHas2 = sNF.eq(c2(2));
      const lGe = (n: number) => sNL.ge(c3(n));
      const mask = (valid: Expr, s: SlotX): SlotX => muxSlot(valid, s, zeroSlot);
      const flushSlots: SlotX[] = [
        muxSlot(fHas1, fullLo(sF[0]), mask(lGe(1), lowSlot(sL[0]))),
        muxSlot(fHas1, fullHi(sF[0]), mask(lGe(2), lowSlot(sL[1]))),
        muxSlot(fHas2, fullLo(sF[1]), muxSlot(fHas1, mask(lGe(1), lowSlot(sL[0])), mask(lGe(3), lowSlot(sL[2])))),
        muxSlot(fHas2, fullHi(sF[1]), muxSlot(fHas1, mask(lGe(2), lowSlot(sL[1])), mask(lGe(4), lowSlot(sL[3])))),
      ];
      const flushWord = m.wire('flush_word', packWord(flushSlots, one, totZ, totL, totF));

      // ---- ranks of the beat's words ----
      let acc: Expr = m.const(uint(RB), 0);
      const ranks: Expr[] = [];
      emits.forEach((e, j) => {
        ranks.push(j === 0 ? acc : m.wire(`rank${j}`, acc));
        acc = acc.add(e.zext(RB)).trunc(RB);
      });
      const formed = m.wire('formed', acc);

      // ---- output FIFO (shift register, head at entry 0) ----
      const count = m.reg('fifo_count', uint(DB), { reset: 0 });
      const entries: Signal[] = Array.from({ length: D }, (_, e) => m.reg(`fifo_${e}`, uint(WB)));
      const accept = m.wire('accept', inp.valid.and(inp.ready));
      m.assign(inp.ready, count.le(m.const(uint(DB), D - WMAX)));
      m.assign(out.valid, count.ne(m.const(uint(DB), 0)));
      const pop = m.wire('pop', out.valid.and(out.ready));
      const pushN = m.wire('push_n', mux(accept, formed.resize(DB + 1).add(d.last.zext(DB + 1)).trunc(DB), m.const(uint(DB), 0)));
      const fill = m.wire('fill_base', count.sub(pop.zext(DB)).trunc(DB));
      const rankWord = Array.from({ length: WMAX }, (_, r) => {
        let w: Expr = flushWord.and(repeat(d.last.and(formed.eq(m.const(uint(RB), r))), WB));
        for (let j = r; j < L; j++) w = w.or(laneWords[j].and(repeat(emits[j].and(ranks[j].eq(m.const(uint(RB), r))), WB)));
        return m.wire(`word_r${r}`, w);
      });
      m.sync(() => {
        entries.forEach((ent, e) => {
          let chain: ReturnType<ModuleBuilder['when']> | undefined;
          for (let r = 0; r < WMAX && r <= e; r++) {
            const cond = accept.and(pushN.gt(m.const(uint(DB), r))).and(fill.eq(m.const(uint(DB), e - r)));
            const body = () => ent.set(rankWord[r]);
            chain = chain ? chain.elseWhen(cond, body) : m.when(cond, body);
          }
          // on a pop every entry moves one place towards the head (the tail entry keeps its stale value)
          if (e + 1 < D) {
            const shift = () => ent.set(entries[e + 1]);
            if (chain) chain.elseWhen(pop, shift);
            else m.when(pop, shift);
          }
        });
        count.set(fill.add(pushN).trunc(DB));
      });
      // output fields from the head entry
      const head = entries[0];
      for (let i = 0; i < 4; i++) {
        const b = i * SW;
        m.assign(out.data[`v${i}`], head.slice(b, b));
        m.assign(out.data[`s${i}`], head.slice(b + 1, b + 1));
        m.assign(out.data[`n${i}`], head.slice(b + 5, b + 2));
        m.assign(out.data[`h${i}`], head.slice(b + 6, b + 6));
        m.assign(out.data[`k${i}`], head.slice(b + 6 + KB, b + 7));
      }
      m.assign(out.data.last, head.slice(4 * SW, 4 * SW));
      m.assign(out.data.nzero, head.slice(4 * SW + CB, 4 * SW + 1));
      m.assign(out.data.nlow, head.slice(4 * SW + 2 * CB, 4 * SW + CB + 1));
      m.assign(out.data.nfull, head.slice(4 * SW + 3 * CB, 4 * SW + 2 * CB + 1));

      // ---- buffer, index base and counts advance per accepted beat ----
      m.sync(() => {
        m.when(accept, () => {
          regF.forEach((f, i) => {
            (f.s as Signal).set(sF[i].s);
            (f.mh as Signal).set(sF[i].mh);
            (f.ml as Signal).set(sF[i].ml);
            (f.k as Signal).set(sF[i].k);
          });
          regL.forEach((l, i) => {
            (l.s as Signal).set(sL[i].s);
            (l.n as Signal).set(sL[i].n);
            (l.k as Signal).set(sL[i].k);
          });
          m.when(d.last, () => {
            nF.set(0);
            nL.set(0);
            kBase.set(0);
            cntZ.set(0);
            cntL.set(0);
            cntF.set(0);
          }).otherwise(() => {
            nF.set(sNF);
            nL.set(sNL);
            kBase.set(kBase.add(m.const(uint(KB + 5), L)).trunc(KB));
            cntZ.set(totZ);
            cntL.set(totL);
            cntF.set(totF);
          });
        });
      });
    },
    {
      doc: `Ditto encoder: ${L} lane(s)/beat, k ${KB} bits (vectors up to ${p.kMax}), ${D}-word output FIFO, optimal 4-slot packing`,
      params: { lanes: L, kMax: p.kMax, depth: D },
    },
  );
}

export const dittoEncoderDesign = defineDesign({
  name: 'ditto.encoder',
  description: 'Ditto encoding unit: temporal differences, ZERO/LOW/FULL classes, zero skipping, optimal 4-slot word packing (valid/ready)',
  params: encoderParams,
  check(p) {
    if (p.kMax < p.lanes) throw new ParamRuleError('ditto.encoder', 'kMax', p.kMax, `expected at least lanes = ${p.lanes}`);
    const w = encoderMaxWordsPerBeat(p.lanes);
    if (p.depth !== 0 && p.depth < w) throw new ParamRuleError('ditto.encoder', 'depth', p.depth, `expected 0 (auto) or at least Wmax = ${w} words for lanes = ${p.lanes}`);
  },
  build: (p) => dittoEncoder(p),
});
