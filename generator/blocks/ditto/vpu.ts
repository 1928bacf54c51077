// Ditto vector processing unit (SPEC §1.5): Y_t = Y_{t+1} + Y_Δ with Y_{t+1} from a stored
// buffer (exact int32), the requantiser, a 256-entry activation table; stores Y_t back.
//
// Ports (module `ditto_vpu`; P = lanes, D = entries / P beat addresses, AB = max(1, clog2 D),
// T = tables, TB = max(1, clog2 T)):
//   in  : yd_0..yd_{P-1} (s32: Y_Δ, or the whole Y in original mode), addr (uAB: beat address;
//         lane j is output index addr·P + j), mode (0 = difference: Y_t = Y_{t+1} + Y_Δ,
//         1 = original: Y_t = Y_Δ), m (u16: multiplier M), s (u6: shift S, 0..40), zp (s8:
//         output zero point), last (passed through: marks the end of a tile),
//         and with T ≥ 1 only: op (1 bit: 0 = vector beat, 1 = table write), tsel (uTB: the
//         table a vector beat's lanes look up, or the table a table write writes; < T, and
//         ignored when T = 1), ti (u8: the entry a table write writes, the int8 code as
//         unsigned: code & 255), tv (s8: its value). A vector beat ignores ti/tv; a table
//         write ignores every other field.
//   out : y_0..y_{P-1} (s8: act(requant(Y_t))), yt_0..yt_{P-1} (s32: Y_t), last — one beat per
//         vector beat, in order; a table write has none
// Per lane (sim/golden/ditto/vpu.ts, VpuStreamModel, bit for bit):
//   Y_t = mode ? Y_Δ : Y_{t+1}[o] + Y_Δ  (int32, wraps)          Y_{t+1}[o] ← Y_t (both modes)
//   p = Y_t · M  (exact: |p| < 2^47, held in 48 bits)
//   q = S = 0 ? p : (p + 2^(S−1)) >>> S          y = table[clamp(q + zp, −128, 127)]
//   (T ≥ 1: table = table[tsel]; a table write sets table[tsel][ti] = tv)
// S > 40 is outside the contract (the RTL shifts anyway; the golden model rejects it).
// The rounding is computed without a wide adder (which set the critical path): for every S ≥ 0,
//   u = (2p) >>> S,   q = (u + 1) >>> 1    (floor((⌊2p/2^S⌋ + 1)/2) = ⌊(p + 2^(S−1))/2^S⌋; S = 0: p)
// u is taken as an 11-bit window saturated to −1024..1023 (a thermometer mask of S flags the
// bits above the window that differ from the sign), which leaves clamp(q + zp, −128, 127)
// unchanged for any s8 zp, and the next stage computes q + zp = (u + 2·zp + 1) >>> 1 (12 bits).
// TABLES. tables = 0 (the default): one fixed table, generated from `activationTable`
// (sim/golden/ditto/vpu.ts) with `act` and the scales — the very function the golden model
// uses — and held as a case-statement ROM; an identity table (the default) is no lookup at all.
// tables = T ≥ 1: T run-time loadable tables (per-layer activation functions set by the host);
// `act` and the scales are ignored by dittoVpu() and rejected by the design rule unless at their
// defaults. Each lane j has one memory tab<j> of 256·T words × 8 bits, entry c of table t at
// address {t, c & 255} (T = 1: c & 255), macro-ready (listed in <top>.mems.json): one write
// port, the same on every copy (we = a table-write beat leaving the table stage, waddr
// {tsel, ti}, wdata tv), and one synchronous read port (raddr {tsel, code}, formed in the
// table stage; re = advance; rdata = the output register y_j). Never-written entries read as X:
// the golden model rejects a vector beat that reads one. A table-write beat occupies a pipeline
// slot like a vector beat, in order, and writes when it leaves the table stage, where a vector
// beat reads: a vector beat accepted before it reads the old entry, one accepted after it the
// new entry, whatever the stalls (no draining). It writes neither the Y buffer nor the
// forwarding register and produces no output beat.
//
// Y BUFFER: one 1W1R memory of D words × 32·P bits (all lanes of a beat address in one word),
// registered read (block-RAM style, macro-ready). Read-modify-write: a beat reads its word when
// accepted and writes Y_t back one cycle later; a one-entry forwarding register (the last
// write's address and data, no valid bit: see stage 1) supplies the value when the previous
// beat wrote the same address at the very edge of the read, so back-to-back beats to one
// address are exact. The buffer is not reset: a difference-mode beat must follow an
// original-mode beat to the same address.
//
// PIPELINE (stall pipeline: every register advances on advance = !out_valid || out_ready,
// in_ready = advance). rqStages = 2 (default):
//   c    accepted; buffer read          c+1  Y_t, buffer write
//   c+2  Y_t·M as 16 rows reduced carry-save to two 48-bit vectors (registered)
//   c+3  p = sum + carry (one 48-bit adder)
//   c+4  window u of (2p) >>> S, saturated to s11     c+5  zp, clamp, table     c+6  output valid
// rqStages = 1: p = Y_t·M in one stage at c+2 (a multiplier), window at c+3, zp/clamp/table at
// c+4; rqStages = 0: as 1, with the window, zp, clamp and table in one stage at c+3.
// The table stage (c+5 at rqStages 2) is where a loadable table's read address is formed and a
// table write writes; the memory's read register is the output register (c+6).
// Every stage's `valid` marks a vector beat (out_valid is the last one, so a table write in the
// last register never blocks: advance = !out_valid || out_ready); with T ≥ 1 a `tw` bit marks a
// table write, carried with tsel (T ≥ 2), ti and tv down to the table stage.
// LATENCY 4 + rqStages cycles (vpuLatency, generator/spec/ditto/vpu.ts), tables or not;
// THROUGHPUT one beat (P lanes, or one table write) per cycle while the output is accepted.
// OSU018 at the defaults: worst path 6.05 ns (stage c+1, the Y_t adder); with tables = 2 6.22 ns
// (the product adder; with the table memories as macros timed at their pins, the path to
// their read address is 3.07 ns); a one-stage multiplier, or a 49-bit rounding add before the shift, each
// took 12.2-12.4 ns. The flow's ABC run buffers no flip-flop output (~0.015 ns per
// load), so the wide fan-outs are kept off the long paths: the window mask is registered a
// stage early, the forwarding select is a compare (buffered), not a register.
import { type Expr, type Signal, addrBits, bit, cat, module, mux, repeat, sint, uint } from '../../dsl/index.ts';
import type { HwType, ModuleBuilder } from '../../dsl/index.ts';
import { ParamRuleError } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { tableByPattern } from '../../spec/ditto/activations.ts';
import { VPU_TABLE_PARAM_DEFAULTS, type VpuParams, vpuParams, vpuDepth, vpuLatency, vpuTable, vpuTableDepth, vpuTableSelBits } from '../../spec/ditto/vpu.ts';

// ---- the §1.5 requantiser arithmetic, shared with cmc_gemm ----

/** Wire `round_const` = 2^(S−1) (u40; 0 for S = 0) for a u6 shift `s`. */
export function requantRoundConst(m: ModuleBuilder, s: Expr): Expr {
  return m.wire('round_const', m.const(uint(41), 1).shl(s).shr(1));
}

/**
 * The rounding shift, zero point and clamp of one lane (`p` the s49 product Y·M, `s` u6, `zp`
 * s8, `roundConst` from requantRoundConst): wires q<suffix> = (p + 2^(S−1)) >>> S (s50; the
 * constant is 0 for S = 0), qz<suffix> = q + zp (s51) and code<suffix> = clamp(qz, −128, 127)
 * (s8), which it returns.
 */
export function requantClamp(m: ModuleBuilder, suffix: string, p: Expr, s: Expr, zp: Expr, roundConst: Expr): Signal {
  const q = m.wire(`q${suffix}`, p.add(roundConst.zext(41).asSigned()).shr(s)); // s50
  const z = m.wire(`qz${suffix}`, q.add(zp)); // s51
  return m.wire(`code${suffix}`, mux(z.gt(127), m.const(sint(8), 127), mux(z.lt(-128), m.const(sint(8), -128), z.trunc(8))));
}

/**
 * Y_t·M (s32 × u16) as two 48-bit vectors whose sum is the product mod 2^48 (exact: |Y_t·M| <
 * 2^47): the 16 rows Y_t·M[k]·2^k reduced by 3:2 carry-save levels (16 → 11 → 8 → 6 → 4 → 3 →
 * 2, one full adder deep each), so that no carry chain runs before the register.
 */
export function carrySaveProduct(m: ModuleBuilder, suffix: string, yt: Expr, mu: Expr): { sum: Signal; carry: Signal } {
  const W = 48;
  const y = yt.sext(W).asUnsigned();
  let rows: Expr[] = Array.from({ length: 16 }, (_, k) => y.and(repeat(mu.bit(k), W)).shl(k).trunc(W));
  for (let level = 0; rows.length > 2; level++) {
    const next: Expr[] = [];
    for (let i = 0; i + 2 < rows.length; i += 3) {
      const [a, b, c] = rows.slice(i, i + 3);
      next.push(m.wire(`cs${suffix}_${level}_${i / 3}`, a.xor(b).xor(c)));
      next.push(m.wire(`cc${suffix}_${level}_${i / 3}`, a.and(b).or(a.and(c)).or(b.and(c)).shl(1).trunc(W)));
    }
    rows = [...next, ...rows.slice(rows.length - (rows.length % 3))];
  }
  return { sum: m.wire(`ps${suffix}`, rows[0]), carry: m.wire(`pc${suffix}`, rows[1]) };
}

/** Bits of the s48 product above the 11-bit window of (2p) >>> S that must all equal its sign. */
export const WINDOW_MASK_BITS = 38;

/** Wire `win_mask` (u38): bit k is set when S ≤ k, i.e. bit k + 9 of p lies above the window. */
export function requantWindowMask(m: ModuleBuilder, s: Expr): Signal {
  return m.wire('win_mask', m.const(uint(WINDOW_MASK_BITS), (1n << BigInt(WINDOW_MASK_BITS)) - 1n).shl(s));
}

/**
 * The rounding window of one lane (`p` s48, `s` u6, `mask` from requantWindowMask): wires
 * u<suffix> = ((2p) >>> S) mod 2^11 and us<suffix> = clamp((2p) >>> S, −1024, 1023) (s11), which
 * it returns. q = (us + 1) >>> 1 is the rounded shift clamped to −512..512, so that
 * clamp(q + zp, −128, 127) is exact for any s8 zp (512 and 511 both clamp to 127).
 */
export function requantWindow(m: ModuleBuilder, suffix: string, p: Expr, s: Expr, mask: Expr): Signal {
  const sign = p.msb();
  // (2p) >>> S, largest step first, each level only as wide as the bits the window can still
  // reach (11 + the steps left): 123 multiplexers instead of a 49-bit barrel shifter's 294
  let v: Expr = cat(p.asUnsigned(), m.const(uint(1), 0)).asSigned(); // 2p, s49
  for (let k = 5; k >= 0; k--) {
    const n = 11 + (1 << k) - 1;
    const shifted = v.shr(1 << k);
    v = mux(s.bit(k), shifted.width >= n ? shifted.trunc(n) : shifted.sext(n), v.trunc(n));
  }
  const u = m.wire(`u${suffix}`, v);
  // bits 9..46 of p are bits 10..47 of 2p: above the window when S ≤ their index − 10
  const above = m.wire(`ua${suffix}`, p.asUnsigned().xor(repeat(sign, 48)).slice(46, 9).and(mask));
  return m.wire(`us${suffix}`, mux(above.orR(), mux(sign, m.const(sint(11), -1024), m.const(sint(11), 1023)), u));
}

/**
 * Zero point and clamp of a window (requantWindow): wires qz<suffix> = (us + 2·zp + 1) >>> 1
 * (s11, −640..639) and code<suffix> = clamp(qz, −128, 127) (s8), which it returns. The clamp
 * tests whether the bits above the s8 range equal the sign (no compare against 127 or −128).
 */
export function requantWindowZpClamp(m: ModuleBuilder, suffix: string, us: Expr, zp: Expr): Signal {
  const z = m.wire(`qz${suffix}`, us.add(cat(zp.asUnsigned(), m.const(uint(1), 1)).asSigned()).shr(1));
  const top = z.slice(z.type.width - 1, 7);
  const fits = top.andR().or(top.orR().not());
  return m.wire(`code${suffix}`, mux(fits, z.trunc(8), mux(z.msb(), m.const(sint(8), -128), m.const(sint(8), 127))));
}

/** ditto_vpu; `tables` left out is 0 (the fixed table). With tables ≥ 1, act and the act* scales are ignored. */
export function dittoVpu(p: VpuParams, name = p.top) {
  const P = p.lanes;
  const D = vpuDepth(p);
  const AB = addrBits(D);
  const T = p.tables;
  // tsel is carried down the pipeline (and part of the table address) only for T ≥ 2
  const TB = T >= 2 ? vpuTableSelBits(T) : 0;
  const rom = T === 0 ? tableByPattern(vpuTable(p)) : [];
  const identity = T === 0 && rom.every((v, i) => v === (i << 24) >> 24);
  // codes grouped by table value: one case item per distinct value
  const byValue = new Map<number, number[]>();
  rom.forEach((v, i) => byValue.set(v, [...(byValue.get(v) ?? []), i]));

  return module(
    name,
    (m) => {
      const inFields: Record<string, HwType> = {};
      for (let j = 0; j < P; j++) inFields[`yd_${j}`] = sint(32);
      Object.assign(inFields, { addr: uint(AB), mode: bit(), m: uint(16), s: uint(6), zp: sint(8), last: bit() });
      if (T > 0) Object.assign(inFields, { op: bit(), tsel: uint(vpuTableSelBits(T)), ti: uint(8), tv: sint(8) });
      const inp = m.inStream('in', inFields);
      const outFields: Record<string, HwType> = {};
      for (let j = 0; j < P; j++) outFields[`y_${j}`] = sint(8);
      for (let j = 0; j < P; j++) outFields[`yt_${j}`] = sint(32);
      outFields.last = bit();
      const out = m.outStream('out', outFields);
      const d = inp.data;

      const v4 = m.reg('out_valid_q', bit(), { reset: 0 });
      const advance = m.wire('advance', v4.not().or(out.ready));
      m.assign(inp.ready, advance);
      m.assign(out.valid, v4);
      /** Registers loading `values` on advance. */
      const stage = (prefix: string, values: Record<string, Expr>, resets: Record<string, number> = {}): Record<string, Signal> => {
        const regs: Record<string, Signal> = {};
        for (const [k, v] of Object.entries(values)) regs[k] = m.reg(`${prefix}_${k}`, v.type, k in resets ? { reset: resets[k] } : {});
        m.sync(() => m.when(advance, () => Object.entries(values).forEach(([k, v]) => regs[k].set(v))));
        return regs;
      };
      const lanes = (prefix: string, f: (j: number) => Expr): Record<string, Expr> => Object.fromEntries(Array.from({ length: P }, (_, j) => [`${prefix}${j}`, f(j)]));
      // Table-write beats (T ≥ 1): `valid` of every stage marks a VECTOR beat (it writes the Y
      // buffer, and out_valid is the last one); `tw` marks a table write, which carries its
      // table (tsel, T ≥ 2), entry (ti) and value (tv) down to the table stage
      const RESETS = { valid: 0, tw: 0 };
      const tabFields = (s: Record<string, Expr>): Record<string, Expr> => (T === 0 ? {} : { tw: s.tw, ...(TB > 0 ? { tsel: s.tsel } : {}), ti: s.ti, tv: s.tv });
      if (T === 1) m.sink(d.tsel); // one table: tsel selects nothing
      const inVector = T === 0 ? inp.valid : m.wire('in_vector', inp.valid.and(d.op.not()));
      const s1Tab = T === 0 ? {} : tabFields({ tw: m.wire('in_tw', inp.valid.and(d.op)), tsel: d.tsel, ti: d.ti, tv: d.tv });

      // ---- stage 1: buffer read (registered), Y_t, write-back with forwarding ----
      const ymem = m.memory('ybuf', { depth: D, type: uint(32 * P) });
      const rd = m.reg('ybuf_rd', uint(32 * P));
      m.sync(() => m.when(advance, () => rd.set(ymem.read(d.addr))));
      const s1 = stage('s1', { valid: inVector, addr: d.addr, mode: d.mode, m: d.m, s: d.s, zp: d.zp, last: d.last, ...lanes('yd', (j) => d[`yd_${j}`]), ...s1Tab }, RESETS);
      // The last write: buffer[lw_addr] = lw_data from its edge on, so forwarding on an address
      // match alone is exact; before the first write the match is on garbage, but the first
      // beat to any address is an original-mode beat (the contract), which ignores Y_{t+1}.
      // (A registered match was tried: as a flip-flop driving all 32·P multiplexers unbuffered
      // it made this the OSU018 critical path, 8.4 ns; the compare's output gets buffered.)
      const lwAddr = m.reg('lw_addr', uint(AB));
      const lwData = m.reg('lw_data', uint(32 * P));
      const prev = m.wire('y_prev', mux(lwAddr.eq(s1.addr), lwData, rd));
      const yt: Expr[] = Array.from({ length: P }, (_, j) => {
        const yPrev = prev.slice(32 * j + 31, 32 * j).asSigned();
        return m.wire(`yt${j}`, mux(s1.mode, s1[`yd${j}`], yPrev.add(s1[`yd${j}`]).trunc(32)));
      });
      const ytWord = m.wire('yt_word', cat(...[...yt].reverse()));
      m.sync(() =>
        m.when(s1.valid.and(advance), () => {
          ymem.write(s1.addr, ytWord);
          lwAddr.set(s1.addr);
          lwData.set(ytWord);
        }),
      );

      // ---- stage 2: p = Y_t · M (carry-save, then one adder, when rqStages = 2) ----
      const s2 = stage('s2', { valid: s1.valid, m: s1.m, s: s1.s, zp: s1.zp, last: s1.last, ...lanes('yt', (j) => yt[j]), ...tabFields(s1) }, RESETS);
      // the window mask depends on S alone: computed a stage early, so that S fans out to the
      // shifters only and the saturation flags start from registers
      const mask = requantWindowMask(m, s2.s);
      let s3: Record<string, Signal>;
      if (p.rqStages === 2) {
        const cs = Array.from({ length: P }, (_, j) => carrySaveProduct(m, `${j}`, s2[`yt${j}`], s2.m));
        const s3c = stage('s3c', { valid: s2.valid, s: s2.s, zp: s2.zp, last: s2.last, mask, ...lanes('yt', (j) => s2[`yt${j}`]), ...lanes('ps', (j) => cs[j].sum), ...lanes('pc', (j) => cs[j].carry), ...tabFields(s2) }, RESETS);
        const prod = (j: number) => m.wire(`p${j}`, s3c[`ps${j}`].add(s3c[`pc${j}`]).trunc(48).asSigned());
        s3 = stage('s3', { valid: s3c.valid, s: s3c.s, zp: s3c.zp, last: s3c.last, mask: s3c.mask, ...lanes('yt', (j) => s3c[`yt${j}`]), ...lanes('p', prod), ...tabFields(s3c) }, RESETS);
      } else {
        const mSigned = s2.m.zext(17).asSigned();
        const prod = (j: number) => m.wire(`p${j}`, s2[`yt${j}`].mul(mSigned).trunc(48));
        s3 = stage('s3', { valid: s2.valid, s: s2.s, zp: s2.zp, last: s2.last, mask, ...lanes('yt', (j) => s2[`yt${j}`]), ...lanes('p', prod), ...tabFields(s2) }, RESETS);
      }

      // ---- stage 3: rounding window (registered when rqStages ≥ 1), zero point, clamp, table ----
      const us = Array.from({ length: P }, (_, j) => requantWindow(m, `${j}`, s3[`p${j}`], s3.s, s3.mask));
      let sLast: Record<string, Signal> = s3;
      let window = us;
      if (p.rqStages >= 1) {
        sLast = stage('s3b', { valid: s3.valid, zp: s3.zp, last: s3.last, ...lanes('yt', (j) => s3[`yt${j}`]), ...lanes('us', (j) => us[j]), ...tabFields(s3) }, RESETS);
        window = us.map((_, j) => sLast[`us${j}`]);
      }
      const codes = window.map((u, j) => requantWindowZpClamp(m, `${j}`, u, sLast.zp));
      const vLast = sLast.valid;
      // The loadable tables (T ≥ 1): lane j's memory tab<j> holds table t's entry for code c at
      // address {t, c & 255}; all P copies take the same write. The read is synchronous: the
      // address is formed here and the memory's read register is the output register s4_y<j>
      // (read enable = advance, so it holds under a stall like every other register).
      // Read-first or write-first does not matter here, and the memories are read-first (as
      // every DSL memory): the table write (a table-write beat) and the read (a vector beat)
      // both happen on the edge at which their beat leaves this stage, and one stage holds one
      // beat, so a write and a vector beat's read never share an edge. A vector beat accepted
      // before a table write reads on an earlier edge (the old entry), one accepted after it on
      // a later edge (the new entry), for any stall pattern. A table-write beat's own read
      // (re = advance) loads the output register with a value nobody takes: out_valid is low.
      const tabs = T === 0 ? [] : Array.from({ length: P }, (_, j) => m.memory(`tab${j}`, { depth: vpuTableDepth(T), type: sint(8) }));
      if (T > 0) {
        const we = m.wire('tab_we', sLast.tw.and(advance));
        const waddr = m.wire('tab_waddr', TB > 0 ? cat(sLast.tsel, sLast.ti) : sLast.ti);
        m.sync(() => m.when(we, () => tabs.forEach((mem) => mem.write(waddr, sLast.tv))));
      }
      const yOut: Expr[] = codes.map((code, j) => {
        if (T > 0) return tabs[j].read(m.wire(`tab_raddr${j}`, TB > 0 ? cat(sLast.tsel, code.asUnsigned()) : code.asUnsigned()));
        if (identity) return code; // table[c] = c: no lookup
        const y = m.wire(`act${j}`, sint(8));
        m.comb(() =>
          m.switch(code.asUnsigned(), (sw) => {
            for (const [value, codes] of byValue) sw.is(codes, () => y.set(value));
          }),
        );
        return y;
      });
      const s4 = stage('s4', { last: sLast.last, ...lanes('y', (j) => yOut[j]), ...lanes('yt', (j) => sLast[`yt${j}`]) });
      m.sync(() => m.when(advance, () => v4.set(vLast)));
      for (let j = 0; j < P; j++) {
        m.assign(out.data[`y_${j}`], s4[`y${j}`]);
        m.assign(out.data[`yt_${j}`], s4[`yt${j}`]);
      }
      m.assign(out.data.last, s4.last);
    },
    {
      doc:
        T === 0
          ? [
              `Ditto VPU: ${P} lane(s)/beat, Y buffer ${D} x ${32 * P} bits (${p.entries} int32 values), requantiser (M u16, S <= 40, zp s8), ${p.act} table.`,
              `Table: input scale ${p.actInScale}/1024, zero ${p.actInZero}; output scale ${p.actOutScale}/1024, zero ${p.actOutZero}. Latency ${vpuLatency(p.rqStages)} cycles (rqStages ${p.rqStages}), one beat per cycle.`,
            ].join('\n')
          : [
              `Ditto VPU: ${P} lane(s)/beat, Y buffer ${D} x ${32 * P} bits (${p.entries} int32 values), requantiser (M u16, S <= 40, zp s8), ${T} loadable 256-entry int8 table(s) (${P} memories of ${vpuTableDepth(T)} x 8 bits).`,
              `in.op = 1: table write table[tsel][ti] = tv, in order with the vector beats, no output beat. Latency ${vpuLatency(p.rqStages)} cycles (rqStages ${p.rqStages}), one beat per cycle.`,
            ].join('\n'),
      params: T === 0 ? { lanes: P, entries: p.entries, rqStages: p.rqStages, act: p.act, actInScale: p.actInScale, actOutScale: p.actOutScale, actInZero: p.actInZero, actOutZero: p.actOutZero } : { lanes: P, entries: p.entries, rqStages: p.rqStages, tables: T },
    },
  );
}

export const dittoVpuDesign = defineDesign({
  name: 'ditto.vpu',
  description: 'Ditto VPU: Y_t = Y_{t+1} + Y_delta from a stored buffer, requantiser, activation table (valid/ready)',
  params: vpuParams,
  check(p) {
    if (p.entries % p.lanes !== 0) throw new ParamRuleError('ditto.vpu', 'entries', p.entries, `expected a multiple of lanes = ${p.lanes}`);
    // loadable tables replace the generated one: a configured act/scale would silently do nothing
    if (p.tables > 0) {
      for (const [k, v] of Object.entries(VPU_TABLE_PARAM_DEFAULTS)) {
        const got = p[k as keyof typeof VPU_TABLE_PARAM_DEFAULTS];
        if (got !== v) throw new ParamRuleError('ditto.vpu', k, got, `expected the default ${v} with tables = ${p.tables} (the tables are loaded at run time; ${k} only shapes the fixed table of tables = 0)`);
      }
    }
  },
  build: (p) => dittoVpu(p),
});
