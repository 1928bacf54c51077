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
// STRUCTURE. The rule is evaluated without a lane-by-lane scan, from three facts:
//  (1) The words depend on the slot total only: with U0 (0..4) slots pending at the start of a
//      beat and T_j = U0 + (slots of lanes 0..j), the beat's r-th word (r = 0, 1, ...) is formed
//      at the lane where T_j first reaches 4r + 5; the beat forms words(T) = T ≤ 4 ? 0 :
//      (T − 1) >> 2 words and leaves U = ((T − 1) mod 4) + 1 slots pending (0 if T = 0).
//  (2) FULLs and LOWs are each consumed oldest first, so every word takes the next FULLs of the
//      list FL = (the last 2 FULLs of earlier beats) ++ (this beat's FULLs, lane order) from a
//      pointer a, and the next LOWs of LL = (last 4 LOWs) ++ (this beat's LOWs) from b.
//  (3) With N_r = index in FL just past the newest FULL when word r is formed, the FULLs then
//      pending are f' = N_r − a_r ≤ 3; the word takes min(2, f') of them (FF, FLL or LLLL), so
//      f⁺ = [f' = 3] FULL stays: a 1-bit chain over the ranks, a_{r+1} = N_r − f⁺_r, and, since
//      every formed word has 4 slots, b_r = 8 + 4r − U0 − 2·a_r. The flush word takes what is
//      left: N_end − a_R FULLs and (4 + #LOW) − b_R LOWs at rank R = words(T_end).
// Five steps, with an optional register boundary between consecutive ones (`stages` of the four,
// chosen by encoderBoundaries):
//   S1 classify: d, sign-magnitude, class, k = k_base + j            (loop: k_base)
//   S2 prefix counts of slots, FULLs, LOWs (log-depth trees); U0 loop; the beat's word count
//   S3 per rank r the lane forming word r (T crosses 4r + 5) → N_r; class compaction of lanes
//      into the beat's FULL and LOW lists
//   S4 the f⁺ chain from the FULLs pending at the beat start (loop: f0); per rank a word
//      descriptor (one-hot selects of its slots' FL/LL sources, last); class counts (loops: the
//      counts). Only the (rank, source) pairs the packing can reach get a select (encoderReach)
//   S5 each descriptor's slots gathered from FL/LL by the selects, pushed into a
//      shift-register output FIFO of `depth` words at consecutive places (loop: the history of
//      the last 2 FULLs / 4 LOWs)
// Every loop is a register and a mux or a small adder selected by registers of its own step.
// FLOW CONTROL. A beat's word count n (formed words + its flush word, ≤ Wmax =
// floor((3 + 2L)/4) + 1) is known in S2. A register `resv` counts the FIFO's words plus the words
// of the beats in flight (Wmax for a beat still before S2, n after); in_ready = resv ≤ depth −
// Wmax, from registers only, so the FIFO never overflows. out_valid = (FIFO count ≠ 0), the head
// is a register. LATENCY: a word formed from a beat accepted in cycle c can leave in cycle
// c + 1 + stages (stages = 0: the old single-cycle scan). THROUGHPUT: one beat per cycle in,
// one word per cycle out, once depth ≥ the automatic depth (encoderDepth); the
// cycle model sim/cycles/ditto/encoder.ts gives the exact cycle of every beat and word.
import { type Expr, type ModuleBuilder, type Signal, bit, cat, clog2, module, mux, repeat, sint, uint } from '../../dsl/index.ts';
import type { HwType } from '../../dsl/index.ts';
import { ParamRuleError } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { pick } from '../common/pick.ts';
import { type LowPath, type RankReach, type SrcKind, SRC_KINDS, encoderReach } from '../../spec/ditto/encoder-reach.ts';
import { encoderParams, type EncoderParams, encoderMaxWordsPerBeat, encoderDepth, encoderIndexBits, encoderCountBits, encoderBoundaries, ENCODER_DEFAULT_STAGES } from '../../spec/ditto/encoder.ts';

/** Inclusive prefix sums of `xs` (each `width` bits, no overflow by the caller's choice): Sklansky tree, log2 levels of wires. */
function prefixSums(m: ModuleBuilder, name: string, xs: Expr[], width: number): Expr[] {
  let cur = xs.map((x) => x.resize(width));
  for (let span = 1, lvl = 0; span < cur.length; span *= 2, lvl++) {
    const from = cur;
    cur = from.map((x, j) => {
      if ((j & span) === 0) return x;
      const base = (j & ~(2 * span - 1)) + span - 1; // the last element of the left block
      return m.wire(`${name}_p${lvl}_${j}`, x.add(from[base]).trunc(width));
    });
  }
  return cur;
}

/** Σ xs as a balanced tree (`width` bits). */
function total(xs: Expr[], width: number): Expr {
  if (xs.length === 1) return xs[0].resize(width);
  const h = xs.length >> 1;
  return total(xs.slice(0, h), width).add(total(xs.slice(h), width)).trunc(width);
}

/** OR of equal-width terms as a balanced tree. */
function orTree(xs: Expr[]): Expr {
  if (xs.length === 1) return xs[0];
  const h = xs.length >> 1;
  return orTree(xs.slice(0, h)).or(orTree(xs.slice(h)));
}

export function dittoEncoder(p: EncoderParams, name = p.top) {
  const L = p.lanes;
  const stages = p.stages ?? ENCODER_DEFAULT_STAGES;
  const bnd = encoderBoundaries(stages);
  const KB = encoderIndexBits(p.kMax);
  const CB = encoderCountBits(p.kMax);
  const WMAX = encoderMaxWordsPerBeat(L);
  const D = encoderDepth({ lanes: L, depth: p.depth, stages });
  const DB = clog2(D + 1);
  const NB = clog2(L + 1); // a lane count 0..L
  const TB = clog2(2 * L + 5); // T = U0 + slots: 0..2L + 4
  const RB = Math.max(1, clog2(WMAX)); // a word rank / formed count 0..Wmax − 1
  const FB = clog2(L + 3); // an FL index 0..L + 2
  const LB = clog2(L + 5); // an LL index 0..L + 4
  const FW = 9 + KB; // FULL element {k, ml, mh, s}
  const LW = 5 + KB; // LOW element {k, ml, s}
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
      const u = (w: number, v: number) => m.const(uint(w), v);
      const zero = u(1, 0);
      const one = u(1, 1);

      /** A stage boundary: registers (no reset: qualified by the valid bit) or wires. */
      const cut = (b: number, tag: string, xs: Expr[]): Expr[] =>
        bnd[b]
          ? xs.map((x, i) => {
              const r = m.reg(`s${b + 1}_${tag}${xs.length > 1 ? `_${i}` : ''}`, x.type);
              m.sync(() => r.set(x));
              return r;
            })
          : xs;
      const cutValid = (b: number, v: Expr): Expr => {
        if (!bnd[b]) return v;
        const r = m.reg(`s${b + 1}_valid`, bit(), { reset: 0 });
        m.sync(() => r.set(v));
        return r;
      };

      const count = m.reg('fifo_count', uint(DB), { reset: 0 });
      const resv = m.reg('resv', uint(DB), { reset: 0 });
      m.assign(inp.ready, resv.le(u(DB, D - WMAX)));
      const accept = m.wire('accept', inp.valid.and(inp.ready));

      // ---- S1: per lane difference, sign-magnitude, class; element index ----
      const kBase = m.reg('k_base', uint(KB), { reset: 0 });
      m.sync(() => m.when(accept, () => kBase.set(mux(d.last, u(KB, 0), kBase.add(u(KB + 5, L)).trunc(KB)))));
      const s1 = Array.from({ length: L }, (_, j) => {
        const xt = d[`xt_${j}`];
        const dv = m.wire(`d${j}`, mux(d.mode, xt.sext(9), xt.sub(d[`xp_${j}`]))); // s9
        const neg = dv.msb();
        const mag = mux(neg, dv.neg().slice(7, 0), dv.slice(7, 0)); // u8 = |d|
        const keep = d.keep.bit(j);
        // classes from d itself (|d| ≥ 16 ⟺ d ∉ [−15, 15]) so they do not wait for the negation
        const hi = dv.slice(8, 4);
        const small = hi.eq(0).or(hi.eq(31).and(dv.slice(3, 0).ne(0)));
        const k = j === 0 ? kBase : kBase.add(u(KB + 5, j)).trunc(KB);
        return {
          el: cat(k, mag, neg), // {k, mh, ml, s}
          full: keep.and(small.not()),
          low: keep.and(small).and(dv.orR()),
          zero: keep.and(dv.orR().not()),
        };
      });
      const v2 = cutValid(0, accept);
      const r1 = cut(0, 'lane', s1.map((x) => cat(x.zero, x.low, x.full, x.el)));
      const r1last = cut(0, 'last', [d.last])[0];
      const lane1 = r1.map((x) => ({ el: x.slice(FW - 1, 0), full: x.bit(FW), low: x.bit(FW + 1), zero: x.bit(FW + 2) }));

      // ---- S2: prefix counts, the slot-count loop U0, the beat's word count ----
      const U0 = m.reg('pend_slots', uint(3), { reset: 0 });
      const cost = lane1.map((x) => cat(x.full, x.low)); // 2·FULL + LOW (the classes are exclusive)
      const cPre = prefixSums(m, 'cpre', cost, TB);
      const fPre = prefixSums(m, 'fpre', lane1.map((x) => x.full), NB);
      const lPre = prefixSums(m, 'lpre', lane1.map((x) => x.low), NB);
      const zTot = m.wire('z_beat', total(lane1.map((x) => x.zero), NB));
      const words = (t: Expr) => mux(t.eq(0), u(RB, 0), t.sub(u(TB, 1)).trunc(TB).shr(2).resize(RB));
      const tEnd = m.wire('t_end', U0.zext(TB).add(cPre[L - 1].zext(TB)).trunc(TB));
      const nForm2 = m.wire('n_form', words(tEnd));
      const uEnd = mux(tEnd.eq(0), u(3, 0), tEnd.sub(u(TB, 1)).trunc(TB).slice(1, 0).zext(3).add(u(3, 1)).trunc(3));
      m.sync(() => m.when(v2, () => U0.set(mux(r1last, u(3, 0), uEnd))));
      const nPush2 = m.wire('n_push', nForm2.zext(DB + 1).add(r1last.zext(DB + 1)).trunc(DB));
      const v3 = cutValid(1, v2);
      const r2 = cut(1, 'lane', lane1.map((x, j) => cat(x.low, x.full, lPre[j], fPre[j], cPre[j], x.el)));
      const [r2u0, r2form, r2last, r2z] = cut(1, 'beat', [U0, nForm2, r1last, zTot]);
      const lane2 = r2.map((x) => {
        let o = 0;
        const take = (w: number) => x.slice((o += w) - 1, o - w);
        return { el: take(FW), c: take(TB), f: take(NB), l: take(NB), full: take(1), low: take(1) };
      });

      // ---- S3: the lane of each formed word (N_r), compaction into the beat's FULL/LOW lists ----
      const tIn = lane2.map((x, j) => m.wire(`t${j}`, r2u0.zext(TB).add(x.c.zext(TB)).trunc(TB))); // T after lane j
      const nAt = Array.from({ length: WMAX - 1 }, (_, r) => {
        const th = u(TB, 4 * r + 5);
        // T after lane j is at most U0 + 2(j + 1) ≤ 2j + 6, so word r (T ≥ 4r + 5) can only form at
        // a lane j ≥ 2r; at j = 2r the T before the lane (≤ 4r + 4) is always below the threshold
        let acc: Expr | undefined;
        for (let j = 2 * r; j < L; j++) {
          const before = j === 0 ? r2u0.zext(TB) : tIn[j - 1];
          const term = lane2[j].f.and(repeat(j === 2 * r ? tIn[j].ge(th) : tIn[j].ge(th).and(before.lt(th)), NB));
          acc = acc ? acc.or(term) : term;
        }
        return m.wire(`n_at${r}`, acc!); // FULLs of the beat up to the lane forming word r
      });
      const compact = (sel: (x: (typeof lane2)[number]) => Expr, cnt: (x: (typeof lane2)[number]) => Expr, shape: (el: Expr) => Expr, w: number, tag: string) =>
        Array.from({ length: L }, (_, i) => {
          // lane j is the (i+1)-th of the class if it is of it and its prefix count is i + 1 (lanes
          // before i cannot be; at lane i the count alone says it: all of lanes 0..i are of it)
          const terms = Array.from({ length: L - i }, (_, d) => {
            const x = lane2[i + d];
            const nth = cnt(x).eq(u(NB, i + 1));
            return shape(x.el).and(repeat(d === 0 ? nth : sel(x).and(nth), w));
          });
          return m.wire(`${tag}${i}`, orTree(terms));
        });
      const bF3 = compact((x) => x.full, (x) => x.f, (el) => el, FW, 'bf');
      const bL3 = compact((x) => x.low, (x) => x.l, (el) => cat(el.slice(FW - 1, 9), el.slice(4, 0)), LW, 'bl');
      const v4 = cutValid(2, v3);
      const r3n = cut(2, 'n_at', nAt);
      const r3f = cut(2, 'bf', bF3);
      const r3l = cut(2, 'bl', bL3);
      const [r3u0, r3form, r3last, r3z, r3fTot, r3lTot] = cut(2, 'beat', [r2u0, r2form, r2last, r2z, lane2[L - 1].f, lane2[L - 1].l]);

      // ---- S4: the FULL chain (loop f0), per rank the one-hot slot sources, class counts ----
      // Every rank's pointers are a = 2 + N_{r−1} − p and b = 4 + 4r − U0 − 2·N_{r−1} + 2p with
      // p = f⁺ of the rank before (a_0 = 2 − f0, b_0 = 4 − U0 + 2·f0), so each candidate p gives
      // selects from comparisons of registers with constants, and the 1-bit chain only picks one.
      // Only the selects (and the values of f′ and p) that the packing reaches in a pushed word
      // are built (encoderReach): a select over a position no word of its rank and alternative
      // ever takes would be a constant 0 (dead logic), and so would a comparison with a value
      // that never occurs there.
      const reach = encoderReach(L, WMAX);
      const f0 = m.reg('pend_full', uint(2), { reset: 0 });
      const llOk = (x: number) => (x < 4 ? one : r3lTot.gt(u(NB, x - 4))); // LL[x] exists
      /** AND / OR of 1-bit terms with the constants folded (no `& 1'b1` or `| 1'b0` left in the netlist). */
      const all = (...xs: Expr[]): Expr => (xs.includes(zero) ? zero : xs.filter((x) => x !== one).reduce<Expr | undefined>((a, x) => (a ? a.and(x) : x), undefined) ?? one);
      const any = (...xs: Expr[]): Expr => (xs.includes(one) ? one : xs.filter((x) => x !== zero).reduce<Expr | undefined>((a, x) => (a ? a.or(x) : x), undefined) ?? zero);
      let fpPrev: Expr = f0;
      const ds = Array.from({ length: WMAX }, (_, r) => {
        const R = reach[r];
        const formed = r < WMAX - 1 ? r3form.gt(u(RB, r)) : zero; // at most Wmax − 1 words formed: the last rank is only ever a flush
        const isLast = r3form.eq(u(RB, r));
        const eIdx = r < WMAX - 1 ? mux(formed, r3n[r], r3fTot) : r3fTot; // FULLs up to the word's lane
        // f′ − p (mod 4) needs only the low 2 bits of the counts
        const delta = m.wire(`dl${r}`, r === 0 ? eIdx.resize(2) : eIdx.resize(2).sub(r3n[r - 1].resize(2)).trunc(2));
        // U0 + 2·N_{r−1} ≤ 4 + 2L at its natural width
        const sSum = r === 0 ? r3u0 : m.wire(`ss${r}`, r3u0.zext(Math.max(3, NB + 1)).add(r3n[r - 1].shl(1)));
        // the sources some alternative of this rank uses, per kind, in ascending index
        const live = SRC_KINDS.map((kind) => {
          const xs = new Set<number>();
          for (const src of R.src) for (const key of src.keys()) if (key.startsWith(`${kind}:`)) xs.add(Number(key.slice(key.lastIndexOf(':') + 1)));
          return [...xs].sort((a, b) => a - b);
        });
        const alt = (p: number) => {
          const fqs = R.fq[p];
          const src = R.src[p];
          /** f′ ∈ cs, from the values of f′ this alternative has: by the fewer comparisons of the set or of its complement. */
          const fqIn = (cs: number[]) => {
            const is = (c: number) => delta.eq(u(2, (c - p + 8) % 4));
            const inS = [...fqs].filter((c) => cs.includes(c));
            const outS = [...fqs].filter((c) => !cs.includes(c));
            if (inS.length === 0) return zero;
            if (outS.length === 0) return one;
            return inS.length <= outS.length ? any(...inS.map(is)) : any(...outS.map(is)).not();
          };
          const noF = fqIn([0]);
          const oneF = fqIn([1]);
          const hasF = fqIn([1, 2, 3]);
          const twoF = fqIn([2, 3]);
          const eqA = (x: number, o: number) => (r === 0 ? one : r3n[r - 1].eq(u(NB, x - 2 + p - o))); // FL[x] = FL[a + o] (at rank 0, a is fixed by p)
          const eqB = (x: number, o: number) => sSum.eq(u(sSum.width, 4 + 4 * r + 2 * p + o - x)); // LL[x] = LL[b + o]
          const bit = (kind: SrcKind, x: number): Expr => {
            if (kind === 'fa' || kind === 'fb') return src.has(`${kind}:${x}`) ? all(kind === 'fa' ? hasF : twoF, eqA(x, kind === 'fa' ? 0 : 1)) : zero;
            const o = Number(kind[1]);
            const terms: Expr[] = [];
            let mask = false;
            for (const path of ['noF', 'oneF'] as LowPath[]) {
              const past = src.get(`${kind}:${path}:${x}`);
              if (past === undefined) continue; // this path never puts LL[x] in slot o
              terms.push(path === 'noF' ? all(noF, eqB(x, o)) : all(oneF, eqB(x, o - 2)));
              mask ||= past;
            }
            return mask ? all(any(...terms), llOk(x)) : any(...terms);
          };
          const bits = SRC_KINDS.flatMap((kind, k) => live[k].map((x) => bit(kind, x)));
          return { reached: fqs.size > 0, vec: cat(...bits.reverse()), fPlus: fqs.has(3) ? all(formed, fqIn([3])) : zero };
        };
        const alts = (r === 0 ? [0, 1, 2] : [0, 1]).map(alt);
        // rank 0: p = f0; later ranks: p = f⁺ of the rank before (0 or 1), alternatives never reached left out
        const pick = (f: (a: (typeof alts)[number]) => Expr) =>
          r === 0 ? mux(f0.eq(u(2, 2)), f(alts[2]), mux(f0.eq(u(2, 1)), f(alts[1]), f(alts[0]))) : alts[1].reached ? mux(fpPrev, f(alts[1]), f(alts[0])) : f(alts[0]);
        const vec = m.wire(`sel${r}`, pick((a) => a.vec));
        const fq = m.wire(`fq${r}`, delta.add(fpPrev.zext(2)).trunc(2)); // f' (formed) or the FULLs left (flush)
        if (r < WMAX - 1) fpPrev = m.wire(`fp${r}`, pick((a) => a.fPlus)); // the last rank is never a formed word
        return { vec, fq, valid: any(formed, r3last.and(isLast)), last: isLast, live };
      });
      const fEnd = ds.slice(1).reduce<Expr>((acc, x, i) => mux(r3form.eq(u(RB, i + 1)), x.fq, acc), ds[0].fq); // rank = the form count ≤ Wmax − 1
      m.sync(() => m.when(v4, () => f0.set(mux(r3last, u(2, 0), fEnd))));
      const cnt = [0, 1, 2].map((i) => m.reg(['cnt_zero', 'cnt_low', 'cnt_full'][i], uint(CB), { reset: 0 }));
      const tot = [r3z, r3lTot, r3fTot].map((x, i) => m.wire(['tot_zero', 'tot_low', 'tot_full'][i], cnt[i].add(x.zext(CB)).trunc(CB)));
      m.sync(() => m.when(v4, () => cnt.forEach((c, i) => c.set(mux(r3last, u(CB, 0), tot[i])))));
      const v5 = cutValid(3, v4);
      const r4sel = cut(3, 'sel', ds.map((x) => x.vec));
      const r4pv = cut(3, 'push', ds.map((x) => x.valid.and(v4)));
      const r4last = cut(3, 'wlast', ds.map((x) => x.last));
      const r4f = cut(3, 'bf', r3f);
      const r4l = cut(3, 'bl', r3l);
      const [r4fTot, r4lTot] = cut(3, 'beat', [r3fTot, r3lTot]);
      const r4tot = cut(3, 'tot', tot);

      // ---- S5: slots from FL = hist(2) ++ beat FULLs, LL = hist(4) ++ beat LOWs; history loop ----
      const histF = [0, 1].map((i) => m.reg(`hist_f${i}`, uint(FW)));
      const histL = [0, 1, 2, 3].map((i) => m.reg(`hist_l${i}`, uint(LW)));
      const FL: Expr[] = [...histF, ...r4f];
      const LL: Expr[] = [...histL, ...r4l];
      m.sync(() =>
        m.when(v5, () => {
          histF.forEach((h, i) => h.set(pick(FL.slice(i), r4fTot)));
          histL.forEach((h, i) => h.set(pick(LL.slice(i), r4lTot)));
        }),
      );
      const rankWords = ds.map((x, r) => {
        // the select bits of each kind in the order of x.live (kinds no word of this rank uses: none)
        let o = 0;
        const parts = x.live.map((xs) => (xs.length ? r4sel[r].slice((o += xs.length) - 1, o - xs.length) : undefined));
        const gather = (k: number, list: Expr[], tag: string) => {
          const sel = parts[k];
          const w = list[0].width;
          if (!sel) return { v: u(w, 0), on: zero };
          return { v: m.wire(`w${r}_${tag}`, orTree(x.live[k].map((i, b) => list[i].and(repeat(sel.bit(b), w))))), on: sel.orR() };
        };
        const fa = gather(0, FL, 'fa');
        const fb = gather(1, FL, 'fb');
        const l = [2, 3, 4, 5].map((k) => gather(k, LL, `l${k - 2}`));
        // slot LSB first: v, s, n, h, k; the FULL and LOW sources of a slot are never both selected
        // (a kind no word of this rank uses contributes nothing: its fields are left out, not ORed as 0)
        const slot = (f: typeof fa, hi: boolean, lo: typeof fa) => {
          const or = (a: Expr | undefined, b: Expr | undefined) => (a && b ? a.or(b) : (a ?? b)!);
          const F = f.on === zero ? undefined : f.v;
          const Lo = lo.on === zero ? undefined : lo.v;
          if (!F && !Lo) return u(SW, 0);
          return cat(or(F?.slice(FW - 1, 9), Lo?.slice(LW - 1, 5)), hi && F ? f.on : zero, or(F && (hi ? F.slice(8, 5) : F.slice(4, 1)), Lo?.slice(4, 1)), or(F?.bit(0), Lo?.bit(0)), any(f.on, lo.on));
        };
        const slots = [slot(fa, false, l[0]), slot(fa, true, l[1]), slot(fb, false, l[2]), slot(fb, true, l[3])];
        const counts = r4tot.map((t) => t.and(repeat(r4last[r], CB)));
        return m.wire(`word_r${r}`, cat(counts[2], counts[1], counts[0], r4last[r], ...[...slots].reverse()));
      });

      // ---- output FIFO: D entries, one-hot write and read pointers (no wide select fans out) ----
      const nPush5 = cut(3, 'npush', cut(2, 'npush', cut(1, 'npush', [nPush2])))[0];
      const pushN = m.wire('push_n', mux(v5, nPush5, u(DB, 0)));
      const entries: Signal[] = Array.from({ length: D }, (_, e) => m.reg(`fifo_${e}`, uint(WB)));
      // With depth a multiple of Wmax, entry e only ever takes rank r ≡ e − wp (mod Wmax): the
      // ranks are rotated once into Wmax bank inputs (by a copy per bank of wp mod Wmax, one-hot)
      // and every entry loads its bank's input, instead of a Wmax-way select per entry.
      const banked = D % WMAX === 0 && WMAX > 1;
      const bp = banked ? Array.from({ length: WMAX }, (_, b) => Array.from({ length: WMAX }, (_, j) => m.reg(`fifo_bp${b}_${j}`, bit(), { reset: j === 0 ? 1 : 0 }))) : [];
      // with depth = Wmax the write pointer is wp mod Wmax itself: bank 0's copy serves, no duplicate
      const ownWp = !(banked && D === WMAX);
      const wp = ownWp ? Array.from({ length: D }, (_, e) => m.reg(`fifo_wp${e}`, bit(), { reset: e === 0 ? 1 : 0 })) : bp[0];
      const rp = Array.from({ length: D }, (_, e) => m.reg(`fifo_rp${e}`, bit(), { reset: e === 0 ? 1 : 0 }));
      m.assign(out.valid, count.ne(u(DB, 0)));
      const pop = m.wire('pop', out.valid.and(out.ready));
      const pushIs = Array.from({ length: WMAX + 1 }, (_, n) => pushN.eq(u(DB, n)));
      const we = entries.map((_, e) => r4pv.map((pv, r) => m.wire(`fifo_we${e}_${r}`, pv.and(wp[(e - r + D) % D]))));
      const bankIn = bp.map((cp, b) => m.wire(`fifo_in${b}`, orTree(rankWords.map((w, r) => w.and(repeat(cp[(b - r + WMAX) % WMAX], WB))))));
      m.sync(() => {
        bp.forEach((cp) => cp.forEach((x, j) => x.set(orTree(pushIs.map((is, n) => is.and(cp[(j - n + WMAX * WMAX) % WMAX]))))));
        entries.forEach((ent, e) => {
          const sel = we[e];
          m.when(orTree(sel), () => ent.set(banked ? bankIn[e % WMAX] : orTree(rankWords.map((w, r) => w.and(repeat(sel[r], WB))))));
          if (ownWp) wp[e].set(orTree(pushIs.map((is, n) => is.and(wp[(e - n + D * WMAX) % D]))));
          rp[e].set(mux(pop, rp[(e - 1 + D) % D], rp[e]));
        });
        count.set(count.sub(pop.zext(DB)).trunc(DB).add(pushN).trunc(DB));
        // resv: FIFO words + words in flight; a beat reserves Wmax until S2 knows its count
        const afterPop = resv.sub(pop.zext(DB)).trunc(DB);
        const known = mux(v2, nPush2, u(DB, 0));
        // with the S1 register: + Wmax on acceptance, − (Wmax − n) one cycle later; without: + n at once
        const next = bnd[0] ? afterPop.add(mux(accept, u(DB, WMAX), u(DB, 0))).trunc(DB).add(known).trunc(DB).sub(mux(v2, u(DB, WMAX), u(DB, 0))).trunc(DB) : afterPop.add(known).trunc(DB);
        resv.set(next);
      });
      const head = m.wire('head', orTree(entries.map((ent, e) => ent.and(repeat(rp[e], WB)))));
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
    },
    {
      doc: `Ditto encoder: ${L} lane(s)/beat, k ${KB} bits (vectors up to ${p.kMax}), ${stages} pipeline stage(s), ${D}-word output FIFO, optimal 4-slot packing`,
      params: { lanes: L, kMax: p.kMax, depth: D, stages },
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
