// CMC condensed-GEMM engine (SPEC §2.4): the informative rows of X times W on B PE columns
// (int8 × int8 → exact int32 sums), then the §1.5 requantiser (the same arithmetic as
// ditto_vpu, no activation table). Golden model: sim/golden/cmc/gemm.ts (gemmEngineStream,
// gemmWeightBeats, gemmRowBeats); cycle model: sim/cycles/cmc/gemm.ts; parameters, geometry and
// latency: generator/spec/cmc/gemm.ts.
//
// Ports (module `cmc_gemm`, streams valid/ready; e = elemsPerBeat, B = cols, K = k,
// KB = K/e beats per row tile, U = nOut/B tiles, UW = addrBits(U)):
//   w   in  : d_0..d_{e−1} (s8) — weight load: U·B·KB beats in order (u, j, b), u < U, j < B,
//             b < KB; beat (u, j, b) carries W[b·e + kk][u·B + j] in d_kk. The block counts
//             (u, j, b) itself; after a whole load its counters are back at 0 and the next
//             load overwrites.
//   x   in  : d_0..d_{e−1} (s8), entry (u[entryBits]), last — rows: every row is sent U times,
//             once per tile u, each tile KB beats (beat b carries x[b·e + kk] in d_kk); the block
//             counts b and u itself. `entry` and `last` are read on a tile's final beat (b = KB−1)
//             and passed through to that tile's output beat (other beats' values are ignored).
//   m (u16), s (u6), zp (s8) : plain inputs, the requantiser: p = acc·M;
//             q = S = 0 ? p : (p + 2^(S−1)) >>> S; y = clamp(q + zp, −128, 127). Each is read
//             directly (no register in front) where a tile uses it: M as the tile's total enters
//             the multiply register (mulStages = 1: the carry-save register), S as it enters the
//             shift register (rqStages = 1) or the output register (rqStages = 0), zp as it
//             enters the output register. Keep them stable while tiles are in flight.
//   out out : y_0..y_{B−1} (s8: requantised column u·B + j), acc_0..acc_{B−1} (s32: the exact
//             sum Σ_k x_k·W[k][u·B + j], wrapping at 32 bits), entry, u (u[UW]), last — one beat
//             per tile.
// ARBITRATION: a w beat is accepted only between rows (x counters b = 0 and u = 0), an x beat
// only between loads (w counters all 0); when both are offered where both are allowed, w wins
// (there x_ready = !w_valid: a combinational valid → ready path, allowed by the stream rules).
// So a load never splits a row and a row never splits a load.
// Weight memory: one DSL memory per column j (U·KB words of e·8 bits, lane kk at bits
// [8·kk + 7 : 8·kk]); beat (u, j, b) is written to column j at address u·KB + b. An x beat of
// tile u, beat b reads address u·KB + b of every column in the cycle it is accepted (registered,
// block-RAM style read), so a later load never changes a beat already accepted (a load and an
// x beat are never accepted in the same cycle; the write lands before any later read).
// Datapath per column j: e products s8 × s8 → s16, an e-input adder tree
// (common/adder_tree, `stages` register levels, s(16 + ceil(log2 e))), an int32 accumulator
// (a tile's first beat loads, the others add; wraps), the tile's total goes to the multiply
// register (p = acc·M; mulStages = 1: a carry-save pair of rows first) and then through the
// rounding shift, zero point and clamp into the output register.
// PIPELINE (full stall, like ditto_vpu: every register moves on
// advance = !out_valid || out_ready; w_ready and x_ready include advance). For a beat accepted
// in cycle c, the registers loaded at the end of each cycle (while advance is high):
//   c                      stage 1: the x beat, its tile flags, entry, last, u; each column's
//                          weight word (the registered read)
//   c+1 .. c+stages        products and the adder tree, one register level per cycle (after the
//                          last level comes the accumulate add; stages = 0: all in cycle c+1)
//   c+stages+1             accumulators (first beat loads, others add) and the tile-done flag
//   mulStages = 0:
//   c+stages+2             multiply register p = acc·M (s49, one multiplier; M read here), the
//                          acc copy
//   mulStages = 1 (default; the one-stage 32 x 17-bit multiplier set the critical path):
//   c+stages+2             carry-save register: acc·M as two 48-bit rows (a Wallace tree of
//                          the 16 partial-product rows, Baugh-Wooley signs; M read here), the
//                          acc copy
//   c+stages+3             multiply register p = sum of the rows (s48), the acc copy
//   then, with P = stages + 2 + mulStages (the cycle of the multiply register):
//   rqStages = 0:
//   c+P+1                  rounding shift, zp, clamp (S, zp read here) → output register
//   rqStages = 1 (default; the one-stage requantiser set the critical path):
//   c+P+1                  shift register: r = (2p) >>> S (S read here), saturated to s12
//   c+P+2                  q = (r + 1) >>> 1 = (p + 2^(S−1)) >>> S, zp, clamp (zp read here) →
//                          output register
// LATENCY: a tile's final beat accepted in cycle c gives out_valid from cycle
// c + stages + 4 + mulStages + rqStages (gemmLatency; every cycle with advance low in between
// adds one).
// Limits: k a multiple of e, nOut of B, stages ≤ ceil(log2 e) + 1, mulStages ≤ 1, rqStages ≤ 1,
// U·KB ≤ 2^20 words per column.
// THROUGHPUT: one x beat (e elements × B columns) per cycle while the output is accepted, i.e.
// a tile every KB cycles; one w beat per cycle.
import { type Expr, type ModuleBuilder, type Signal, addrBits, bit, cat, module, mux, repeat, sint, uint } from '../../dsl/index.ts';
import type { HwType } from '../../dsl/index.ts';
import { type GemmParams, checkGemmParams, gemmGeometry, gemmLatency, gemmParams } from '../../spec/cmc/gemm.ts';
import { defineDesign } from '../../designs/registry.ts';
import { adderTree } from '../common/adder_tree.ts';
import { requantClamp, requantRoundConst } from '../ditto/vpu.ts';

export function cmcGemm(p: GemmParams, name = p.top) {
  checkGemmParams(p);
  const e = p.elemsPerBeat;
  const B = p.cols;
  const S = p.stages;
  const { KB, U, uBits: UW, wAddrBits: AW } = gemmGeometry(p);
  return module(
    name,
    (m) => {
      const lanes = (extra: Record<string, HwType> = {}): Record<string, HwType> => ({ ...Object.fromEntries(Array.from({ length: e }, (_, kk) => [`d_${kk}`, sint(8)])), ...extra });
      const w = m.inStream('w', lanes());
      const x = m.inStream('x', lanes({ entry: uint(p.entryBits), last: bit() }));
      const mIn = m.input('m', uint(16));
      const sIn = m.input('s', uint(6));
      const zpIn = m.input('zp', sint(8));
      const outFields: Record<string, HwType> = {};
      for (let j = 0; j < B; j++) outFields[`y_${j}`] = sint(8);
      for (let j = 0; j < B; j++) outFields[`acc_${j}`] = sint(32);
      Object.assign(outFields, { entry: uint(p.entryBits), u: uint(UW), last: bit() });
      const out = m.outStream('out', outFields);

      const one = m.const(bit(), 1);
      const outValid = m.reg('out_valid_q', bit(), { reset: 0 });
      const advance = m.wire('advance', outValid.not().or(out.ready));

      /** A wrapping counter 0..n−1 (stepped by stepTo); undefined (always 0) for n = 1. */
      const counter = (cname: string, n: number): Signal | undefined => (n > 1 ? m.reg(cname, uint(addrBits(n)), { reset: 0 }) : undefined);
      const isZero = (c: Signal | undefined): Expr => (c ? c.eq(0) : one);
      const isMax = (c: Signal | undefined, n: number): Expr => (c ? c.eq(n - 1) : one);
      const stepTo = (c: Signal | undefined, n: number) => {
        if (c) c.set(mux(isMax(c, n), m.const(c.type, 0), c.add(1).trunc(c.width)));
      };
      /** Weight-memory address u·KB + b. */
      const address = (u: Signal | undefined, b: Signal | undefined): Expr => {
        let a: Expr = m.const(uint(AW), 0);
        if (u) a = KB === 1 ? u.zext(AW) : u.zext(AW).mul(m.const(uint(addrBits(KB + 1)), KB)).trunc(AW);
        if (b) a = a.add(b.zext(AW)).trunc(AW);
        return a;
      };

      // ---- weight-load counters (u, j, b) ----
      const wBeat = counter('w_beat', KB);
      const wCol = counter('w_col', B);
      const wTile = counter('w_tile', U);
      const wIdle = m.wire('w_between_loads', isZero(wBeat).and(isZero(wCol)).and(isZero(wTile)));
      // ---- x counters (u, b) ----
      const xBeat = counter('x_beat', KB);
      const xTile = counter('x_tile', U);
      const xIdle = m.wire('x_between_rows', isZero(xBeat).and(isZero(xTile)));
      // KB = 1: every beat is a tile's first and final beat (no flags carried)
      const xFirst = xBeat ? m.wire('x_first_beat', xBeat.eq(0)) : undefined;
      const xFinal = xBeat ? m.wire('x_final_beat', xBeat.eq(KB - 1)) : undefined;

      // ---- arbitration: w only between rows; x only between loads and when w does not win ----
      m.assign(w.ready, advance.and(xIdle));
      m.assign(x.ready, advance.and(wIdle).and(w.valid.and(xIdle).not()));
      const wFire = m.wire('w_fire', w.valid.and(w.ready));
      const xFire = m.wire('x_fire', x.valid.and(x.ready));

      m.sync(() =>
        m.when(wFire, () => {
          const wBeatMax = isMax(wBeat, KB);
          const wColMax = isMax(wCol, B);
          stepTo(wBeat, KB);
          if (wCol) m.when(wBeatMax, () => stepTo(wCol, B));
          if (wTile) m.when(wBeatMax.and(wColMax), () => stepTo(wTile, U));
        }),
      );
      m.sync(() =>
        m.when(xFire, () => {
          stepTo(xBeat, KB);
          if (xTile) m.when(xFinal ?? one, () => stepTo(xTile, U));
        }),
      );

      // ---- weight memories: write on w beats, registered read on x beats ----
      const wAddr = m.wire('w_addr', address(wTile, wBeat));
      const xAddr = m.wire('x_addr', address(xTile, xBeat));
      const wWord = m.wire('w_word', cat(...Array.from({ length: e }, (_, kk) => w.data[`d_${e - 1 - kk}`].asUnsigned())));
      const wRead: Signal[] = Array.from({ length: B }, (_, j) => {
        const mem = m.memory(`wmem${j}`, { depth: U * KB, type: uint(8 * e) });
        const rd = m.reg(`wmem${j}_rd`, uint(8 * e));
        m.sync(() => m.when(wFire.and(wCol ? wCol.eq(j) : one), () => mem.write(wAddr, wWord)));
        m.sync(() => m.when(advance, () => rd.set(mem.read(xAddr))));
        return rd;
      });

      /** Registers loading `values` on advance. */
      const stage = (prefix: string, values: Record<string, Expr>, resets: Record<string, number> = {}): Record<string, Signal> => {
        const regs: Record<string, Signal> = {};
        for (const [k, v] of Object.entries(values)) regs[k] = m.reg(`${prefix}_${k}`, v.type, k in resets ? { reset: resets[k] } : {});
        m.sync(() => m.when(advance, () => Object.entries(values).forEach(([k, v]) => regs[k].set(v))));
        return regs;
      };

      // ---- stage 1: the accepted x beat beside the weight words read for it ----
      const tileIndex: Expr = xTile ?? m.const(uint(UW), 0);
      const s1 = stage(
        's1',
        {
          valid: xFire,
          ...(xFirst ? { first: xFirst } : {}),
          ...(xFinal ? { final: xFinal } : {}),
          entry: x.data.entry,
          last: x.data.last,
          ...(U > 1 ? { u: tileIndex } : {}),
          ...Object.fromEntries(Array.from({ length: e }, (_, kk) => [`x${kk}`, x.data[`d_${kk}`]])),
        },
        { valid: 0 },
      );

      // ---- products and adder trees (S register levels), side band delayed alongside ----
      const sums: Expr[] = Array.from({ length: B }, (_, j) => {
        const prods = Array.from({ length: e }, (_, kk) => m.wire(`prod${j}_${kk}`, s1[`x${kk}`].mul(wRead[j].slice(8 * kk + 7, 8 * kk).asSigned())));
        return adderTree(m, `tree${j}`, prods, S > 0 ? { stages: S, enable: advance } : { stages: 0 });
      });
      let side: Record<string, Signal> = s1;
      for (let t = 0; t < S; t++) {
        const { valid, first, final, entry, last, u } = side;
        side = stage(`t${t}`, { valid, ...(first ? { first } : {}), ...(final ? { final } : {}), entry, last, ...(u ? { u } : {}) }, { valid: 0 });
      }

      // ---- accumulators: a tile's first beat loads, the others add (int32, wraps) ----
      const accs: Signal[] = sums.map((sum, j) => {
        const acc = m.reg(`acc${j}`, sint(32));
        const wide = sum.sext(32);
        // KB = 1: every beat is a tile's first and final beat, the sum just loads
        m.sync(() => m.when(advance.and(side.valid), () => acc.set(side.first ? mux(side.first, wide, acc.add(wide).trunc(32)) : wide)));
        return acc;
      });
      const acc = stage('a', { done: side.final ? side.valid.and(side.final) : side.valid, entry: side.entry, last: side.last, ...(side.u ? { u: side.u } : {}) }, { done: 0 });
      // M fans out to every partial product of every column (B·16·32 gates) and, with
      // rqStages = 1, S to every column's shifter; both are read directly: the synthesis buffers
      // a high-fanout input or register (abc's driving-cell constraint, eda/synth/asic.ts).

      // ---- multiply register: p = acc·M ----
      let pm: Record<string, Signal>;
      if (p.mulStages === 0) {
        pm = stage('p', {
          valid: acc.done,
          entry: acc.entry,
          last: acc.last,
          ...(acc.u ? { u: acc.u } : {}),
          ...Object.fromEntries(accs.map((a, j) => [`acc${j}`, a])),
          ...Object.fromEntries(accs.map((a, j) => [`p${j}`, m.wire(`prod_m${j}`, a.mul(mIn.zext(17).asSigned()))])),
        }, { valid: 0 });
      } else {
        // mulStages = 1: the one-stage 32 x 17-bit multiplier set the critical path; its
        // partial-product tree ends in two rows that are registered, and the carry-propagate
        // adder gets a stage of its own.
        const rows = accs.map((a, j) => carrySaveProduct(m, `pm${j}`, a, mIn));
        const pc = stage('pc', {
          valid: acc.done,
          entry: acc.entry,
          last: acc.last,
          ...(acc.u ? { u: acc.u } : {}),
          ...Object.fromEntries(accs.map((a, j) => [`acc${j}`, a])),
          ...Object.fromEntries(rows.map(([rs], j) => [`s${j}`, rs])),
          ...Object.fromEntries(rows.map(([, rc], j) => [`c${j}`, rc])),
        }, { valid: 0 });
        pm = stage('p', {
          valid: pc.valid,
          entry: pc.entry,
          last: pc.last,
          ...(pc.u ? { u: pc.u } : {}),
          ...Object.fromEntries(accs.map((_, j) => [`acc${j}`, pc[`acc${j}`]])),
          // the sum of the rows modulo 2^48 is p exactly (|p| < 2^47)
          ...Object.fromEntries(accs.map((_, j) => [`p${j}`, m.wire(`prod_m${j}`, pc[`s${j}`].add(pc[`c${j}`]).trunc(PROD_BITS).asSigned())])),
        }, { valid: 0 });
      }

      // ---- rounding shift, zero point, clamp → output register ----
      let o: Record<string, Signal>;
      let oValid: Signal;
      if (p.rqStages === 0) {
        const roundConst = requantRoundConst(m, sIn);
        o = stage('o', {
          entry: pm.entry,
          last: pm.last,
          ...(pm.u ? { u: pm.u } : {}),
          ...Object.fromEntries(accs.map((_, j) => [`acc${j}`, pm[`acc${j}`]])),
          ...Object.fromEntries(accs.map((_, j) => [`y${j}`, requantClamp(m, `${j}`, pm[`p${j}`], sIn, zpIn, roundConst)])),
        });
        oValid = pm.valid;
      } else {
        // rqStages = 1: the shift without the rounding add, r = (2p) >>> S (= p >>> (S − 1) for
        // S ≥ 1, 2p for S = 0), saturated to s12 and registered (S read here); then
        // q = (r + 1) >>> 1 = (p + 2^(S−1)) >>> S, the zero point and the clamp (zp read here).
        // Exact: floor((r + 1)/2) is monotonic, and clamping r to −2048..2047 keeps q + zp beyond
        // the clamp limits (|q| ≥ 1023 against |zp| ≤ 128) whenever it saturated.
        const rs: Expr[] = accs.map((_, j) => {
          const r = m.wire(`rq_r${j}`, pm[`p${j}`].shl(1).shr(sIn)); // s50 (mulStages = 0), s49 (1)
          const top = r.slice(r.width - 1, 11); // the bits above the s12 range, sign included
          const fits = top.andR().or(top.orR().not());
          return m.wire(`rq_rs${j}`, mux(fits, r.trunc(12), mux(r.msb(), m.const(sint(12), -2048), m.const(sint(12), 2047))));
        });
        const rq = stage('sh', {
          valid: pm.valid,
          entry: pm.entry,
          last: pm.last,
          ...(pm.u ? { u: pm.u } : {}),
          ...Object.fromEntries(accs.map((_, j) => [`acc${j}`, pm[`acc${j}`]])),
          ...Object.fromEntries(rs.map((r, j) => [`r${j}`, r])),
        }, { valid: 0 });
        o = stage('o', {
          entry: rq.entry,
          last: rq.last,
          ...(rq.u ? { u: rq.u } : {}),
          ...Object.fromEntries(accs.map((_, j) => [`acc${j}`, rq[`acc${j}`]])),
          ...Object.fromEntries(accs.map((_, j) => {
            const q = m.wire(`rq_q${j}`, rq[`r${j}`].add(m.const(sint(2), 1)).shr(1)); // s13 → q in −1024..1024
            const z = m.wire(`rq_z${j}`, q.add(zpIn)); // s14
            return [`y${j}`, m.wire(`code${j}`, mux(z.gt(127), m.const(sint(8), 127), mux(z.lt(-128), m.const(sint(8), -128), z.trunc(8))))];
          })),
        });
        oValid = rq.valid;
      }
      m.sync(() => m.when(advance, () => outValid.set(oValid)));

      m.assign(out.valid, outValid);
      for (let j = 0; j < B; j++) {
        m.assign(out.data[`y_${j}`], o[`y${j}`]);
        m.assign(out.data[`acc_${j}`], o[`acc${j}`]);
      }
      m.assign(out.data.entry, o.entry);
      m.assign(out.data.u, o.u ?? m.const(uint(UW), 0));
      m.assign(out.data.last, o.last);
    },
    {
      doc: [
        `CMC condensed GEMM: ${B} PE column(s) x ${e} int8 element(s)/beat, K = ${p.k} (${KB} beat(s)/tile), ${p.nOut} outputs (${U} tile(s)), int32 accumulators, requantiser (M u16, S <= 40, zp s8).`,
        `Weights: ${B} memor${B === 1 ? 'y' : 'ies'} of ${U * KB} x ${8 * e} bits, loaded in (u, j, b) order between rows. Adder trees with ${S} register level(s), multiply with ${p.mulStages}, requantiser with ${p.rqStages}; latency ${gemmLatency(p)} cycles, one x beat per cycle.`,
      ].join('\n'),
      params: { elemsPerBeat: e, cols: B, k: p.k, nOut: p.nOut, entryBits: p.entryBits, stages: S, mulStages: p.mulStages, rqStages: p.rqStages },
    },
  );
}

/** Width of the exact product p = acc·M (s32 × u16: |p| < 2^47). */
const PROD_BITS = 48;

/**
 * acc·M (`acc` s32, `mu` u16) as two u48 rows whose sum modulo 2^48 is the product (read s48).
 * Row k is M_k·acc·2^k with its sign bit in Baugh-Wooley form,
 * −acc_31·M_k·2^(31+k) = ¬(acc_31·M_k)·2^(31+k) − 2^(31+k), the 16 terms −2^(31+k) gathered in
 * one constant row; the 17 rows go through a Wallace tree of word-wide 3:2 compressors (6
 * levels), wires `<name>_s<l>_<i>` / `<name>_c<l>_<i>` (sum and carry of compressor i of
 * level l). Word-wide rather than bit by bit (common/compressor.ts) to keep the Verilog small
 * (a few lines per compressor, not one per bit: Verilator builds and mutants stay cheap); the
 * zero bits beyond each row and the constant row cost no gates after synthesis.
 */
export function carrySaveProduct(m: ModuleBuilder, name: string, acc: Expr, mu: Expr): [Expr, Expr] {
  const A = acc.width;
  const W = PROD_BITS;
  let constant = 0n;
  let rows: Expr[] = [];
  for (let k = 0; k < mu.width; k++) {
    const mk = mu.bit(k);
    const row = cat(acc.bit(A - 1).and(mk).not(), acc.slice(A - 2, 0).asUnsigned().and(repeat(mk, A - 1)));
    rows.push(row.zext(W).shl(k).trunc(W));
    constant -= 1n << BigInt(A - 1 + k);
  }
  rows.push(m.const(uint(W), BigInt.asUintN(W, constant)));
  for (let level = 0; rows.length > 2; level++) {
    const next: Expr[] = [];
    let i = 0;
    for (; i + 3 <= rows.length; i += 3) {
      const [a, b, c] = rows.slice(i, i + 3);
      next.push(m.wire(`${name}_s${level}_${i / 3}`, a.xor(b).xor(c)));
      next.push(m.wire(`${name}_c${level}_${i / 3}`, a.and(b).or(a.and(c)).or(b.and(c)).shl(1).trunc(W)));
    }
    rows = [...next, ...rows.slice(i)];
  }
  return [rows[0], rows[1]];
}

export const cmcGemmDesign = defineDesign({
  name: 'cmc.gemm',
  description: 'CMC condensed GEMM: B PE columns, int8 x int8 -> int32 tiles, weight memories loaded between rows, requantiser (valid/ready)',
  params: gemmParams,
  check: (p) => checkGemmParams(p),
  build: (p) => cmcGemm(p),
});
