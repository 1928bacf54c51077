// Ditto vector processing unit (SPEC §1.5): Y_t = Y_{t+1} + Y_Δ with Y_{t+1} from a stored
// buffer (exact int32), the requantiser, the 256-entry activation table; stores Y_t back.
//
// Ports (module `ditto_vpu`; P = lanes, D = entries / P beat addresses, AB = max(1, clog2 D)):
//   in  : yd_0..yd_{P-1} (s32: Y_Δ, or the whole Y in original mode), addr (uAB: beat address;
//         lane j is output index addr·P + j), mode (0 = difference: Y_t = Y_{t+1} + Y_Δ,
//         1 = original: Y_t = Y_Δ), m (u16: multiplier M), s (u6: shift S, 0..40), zp (s8:
//         output zero point), last (passed through: marks the end of a tile)
//   out : y_0..y_{P-1} (s8: act(requant(Y_t))), yt_0..yt_{P-1} (s32: Y_t), last
// Per lane (sim/golden/ditto/vpu.ts, bit for bit):
//   Y_t = mode ? Y_Δ : Y_{t+1}[o] + Y_Δ  (int32, wraps)          Y_{t+1}[o] ← Y_t (both modes)
//   p = Y_t · M  (exact: |p| < 2^47, held in 49 bits = the 64-bit product)
//   q = S = 0 ? p : (p + 2^(S−1)) >>> S          y = table[clamp(q + zp, −128, 127)]
// S > 40 is outside the contract (the RTL shifts anyway; the golden model rejects it).
// The table is generated from `activationTable` (sim/golden/ditto/vpu.ts) with `act` and the
// scales below — the very function the golden model uses — and held as a case-statement ROM.
//
// Y BUFFER: one 1W1R memory of D words × 32·P bits (all lanes of a beat address in one word),
// registered read (block-RAM style). Read-modify-write: a beat reads its word when accepted
// and writes Y_t back one cycle later; a one-entry forwarding register (the last write's
// address and data) supplies the value when the previous beat wrote the same address at the
// very edge of the read, so back-to-back beats to one address are exact. The buffer is not
// reset: a difference-mode beat must follow an original-mode beat to the same address.
//
// PIPELINE (stall pipeline: every register advances on advance = !out_valid || out_ready,
// in_ready = advance). rqStages = 1 (default):
//   c    accepted; buffer read          c+1  Y_t, buffer write        c+2  p = Y_t·M
//   c+3  rounding shift q = (p + 2^(S−1)) >>> S, saturated to s10 (−512..511: clamp(q + zp) is
//        unchanged for any s8 zp) and registered
//   c+4  zp, clamp, table               c+5  output valid
// rqStages = 0: the shift, zp, clamp and table in one stage at c+3, output valid at c+4.
// LATENCY 4 + rqStages cycles (vpuLatency, generator/spec/ditto/vpu.ts); THROUGHPUT one beat
// (P lanes) per cycle while the output is accepted.
import { type Expr, type Signal, addrBits, bit, cat, module, mux, sint, uint } from '../../dsl/index.ts';
import type { HwType, ModuleBuilder } from '../../dsl/index.ts';
import { ParamRuleError } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { tableByPattern } from '../../spec/ditto/activations.ts';
import { vpuParams, type VpuParams, vpuDepth, vpuLatency, vpuTable } from '../../spec/ditto/vpu.ts';

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
 * The rounding shift of one lane, saturated for a later zero point and clamp: wires q<suffix> =
 * (p + 2^(S−1)) >>> S (s50) and qs<suffix> = clamp(q, −512, 511) (s10), which it returns. For
 * any s8 zp, clamp(qs + zp, −128, 127) = clamp(q + zp, −128, 127).
 */
export function requantShiftSat(m: ModuleBuilder, suffix: string, p: Expr, s: Expr, roundConst: Expr): Signal {
  const q = m.wire(`q${suffix}`, p.add(roundConst.zext(41).asSigned()).shr(s)); // s50
  const top = q.slice(q.type.width - 1, 9); // the bits above the s10 range, sign included
  const fits = top.andR().or(top.orR().not());
  return m.wire(`qs${suffix}`, mux(fits, q.trunc(10), mux(q.msb(), m.const(sint(10), -512), m.const(sint(10), 511))));
}

/** Zero point and clamp of a saturated s10 q (requantShiftSat): wires qz<suffix> (s11), code<suffix> (s8). */
export function requantZpClamp(m: ModuleBuilder, suffix: string, qs: Expr, zp: Expr): Signal {
  const z = m.wire(`qz${suffix}`, qs.add(zp)); // s11
  return m.wire(`code${suffix}`, mux(z.gt(127), m.const(sint(8), 127), mux(z.lt(-128), m.const(sint(8), -128), z.trunc(8))));
}

export function dittoVpu(p: VpuParams, name = p.top) {
  const P = p.lanes;
  const D = vpuDepth(p);
  const AB = addrBits(D);
  const rom = tableByPattern(vpuTable(p));
  // codes grouped by table value: one case item per distinct value
  const byValue = new Map<number, number[]>();
  rom.forEach((v, i) => byValue.set(v, [...(byValue.get(v) ?? []), i]));

  return module(
    name,
    (m) => {
      const inFields: Record<string, HwType> = {};
      for (let j = 0; j < P; j++) inFields[`yd_${j}`] = sint(32);
      Object.assign(inFields, { addr: uint(AB), mode: bit(), m: uint(16), s: uint(6), zp: sint(8), last: bit() });
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

      // ---- stage 1: buffer read (registered), Y_t, write-back with forwarding ----
      const ymem = m.memory('ybuf', { depth: D, type: uint(32 * P) });
      const rd = m.reg('ybuf_rd', uint(32 * P));
      m.sync(() => m.when(advance, () => rd.set(ymem.read(d.addr))));
      const s1 = stage('s1', { valid: inp.valid, addr: d.addr, mode: d.mode, m: d.m, s: d.s, zp: d.zp, last: d.last, ...lanes('yd', (j) => d[`yd_${j}`]) }, { valid: 0 });
      const lwValid = m.reg('lw_valid', bit(), { reset: 0 });
      const lwAddr = m.reg('lw_addr', uint(AB));
      const lwData = m.reg('lw_data', uint(32 * P));
      const prev = m.wire('y_prev', mux(lwValid.and(lwAddr.eq(s1.addr)), lwData, rd));
      const yt: Expr[] = Array.from({ length: P }, (_, j) => {
        const yPrev = prev.slice(32 * j + 31, 32 * j).asSigned();
        return m.wire(`yt${j}`, mux(s1.mode, s1[`yd${j}`], yPrev.add(s1[`yd${j}`]).trunc(32)));
      });
      const ytWord = m.wire('yt_word', cat(...[...yt].reverse()));
      m.sync(() =>
        m.when(s1.valid.and(advance), () => {
          ymem.write(s1.addr, ytWord);
          lwValid.set(1);
          lwAddr.set(s1.addr);
          lwData.set(ytWord);
        }),
      );

      // ---- stage 2: p = Y_t · M ----
      const s2 = stage('s2', { valid: s1.valid, m: s1.m, s: s1.s, zp: s1.zp, last: s1.last, ...lanes('yt', (j) => yt[j]) }, { valid: 0 });
      const mSigned = s2.m.zext(17).asSigned();
      const s3 = stage('s3', { valid: s2.valid, s: s2.s, zp: s2.zp, last: s2.last, ...lanes('yt', (j) => s2[`yt${j}`]), ...lanes('p', (j) => m.wire(`p${j}`, s2[`yt${j}`].mul(mSigned))) }, { valid: 0 });

      // ---- stage 3: rounding shift (registered when rqStages = 1), zero point, clamp, table ----
      const roundConst = requantRoundConst(m, s3.s);
      let codes: Expr[];
      let sLast: Record<string, Signal>;
      let vLast: Signal;
      if (p.rqStages === 1) {
        const qs = Array.from({ length: P }, (_, j) => requantShiftSat(m, `${j}`, s3[`p${j}`], s3.s, roundConst));
        const s3b = stage('s3b', { valid: s3.valid, zp: s3.zp, last: s3.last, ...lanes('yt', (j) => s3[`yt${j}`]), ...lanes('qs', (j) => qs[j]) }, { valid: 0 });
        codes = Array.from({ length: P }, (_, j) => requantZpClamp(m, `${j}`, s3b[`qs${j}`], s3b.zp));
        sLast = s3b;
        vLast = s3b.valid;
      } else {
        codes = Array.from({ length: P }, (_, j) => requantClamp(m, `${j}`, s3[`p${j}`], s3.s, s3.zp, roundConst));
        sLast = s3;
        vLast = s3.valid;
      }
      const yOut: Expr[] = Array.from({ length: P }, (_, j) => {
        const code = codes[j];
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
      doc: [
        `Ditto VPU: ${P} lane(s)/beat, Y buffer ${D} x ${32 * P} bits (${p.entries} int32 values), requantiser (M u16, S <= 40, zp s8), ${p.act} table.`,
        `Table: input scale ${p.actInScale}/1024, zero ${p.actInZero}; output scale ${p.actOutScale}/1024, zero ${p.actOutZero}. Latency ${vpuLatency(p.rqStages)} cycles (rqStages ${p.rqStages}), one beat per cycle.`,
      ].join('\n'),
      params: { lanes: P, entries: p.entries, rqStages: p.rqStages, act: p.act, actInScale: p.actInScale, actOutScale: p.actOutScale, actInZero: p.actInZero, actOutZero: p.actOutZero },
    },
  );
}

export const dittoVpuDesign = defineDesign({
  name: 'ditto.vpu',
  description: 'Ditto VPU: Y_t = Y_{t+1} + Y_delta from a stored buffer, requantiser, activation table (valid/ready)',
  params: vpuParams,
  check(p) {
    if (p.entries % p.lanes !== 0) throw new ParamRuleError('ditto.vpu', 'entries', p.entries, `expected a multiple of lanes = ${p.lanes}`);
  },
  build: (p) => dittoVpu(p),
});
