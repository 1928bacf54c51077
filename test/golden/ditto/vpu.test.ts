// Golden model of the Ditto VPU: Y_t = Y_{t+1} + Y_Δ, the §1.5 requantiser, activation tables,
// the stream-level model (fixed table, or loadable tables written in order by table-write beats).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/stimulus/rng.ts';
import {
  ACTIVATIONS,
  activationTable,
  addPrevious,
  erf,
  lookup,
  requantize,
  roundHalfAway,
  roundingShift,
  tableByPattern,
  type VpuInBeat,
  VpuStreamModel,
  vpuElement,
} from '../../../sim/golden/ditto/vpu.ts';

const I32_MAX = 2 ** 31 - 1;
const I32_MIN = -(2 ** 31);

/** Independent reference: floor(p / 2^S + 1/2) by exact rational arithmetic. */
function refShift(p: bigint, S: number): bigint {
  if (S === 0) return p;
  const den = 1n << BigInt(S);
  const num = 2n * p + den; // (p + den/2) / den = (2p + den) / (2 den)
  const d2 = 2n * den;
  const q = num / d2;
  return num % d2 !== 0n && num < 0n ? q - 1n : q; // floor
}

describe('Y_t = Y_{t+1} + Y_Δ', () => {
  it('adds in int32', () => {
    expect(addPrevious(5, -7)).toBe(-2);
    expect(addPrevious(I32_MAX, 1)).toBe(I32_MIN);
  });
});

describe('requantiser', () => {
  it('S = 0 is p itself, then clamp', () => {
    expect(requantize(3, { M: 5, S: 0, zpOut: 0 })).toBe(15);
    expect(requantize(30, { M: 5, S: 0, zpOut: 0 })).toBe(127);
    expect(requantize(-30, { M: 5, S: 0, zpOut: 0 })).toBe(-128);
    expect(requantize(-25, { M: 5, S: 0, zpOut: 2 })).toBe(-123);
  });
  it('rounds half up (towards +inf), also for negative p', () => {
    expect(roundingShift(5n, 1)).toBe(3n); // 2.5 → 3
    expect(roundingShift(-5n, 1)).toBe(-2n); // −2.5 → −2
    expect(roundingShift(-3n, 1)).toBe(-1n); // −1.5 → −1
    expect(roundingShift(-7n, 2)).toBe(-2n); // −1.75 → −2
    expect(roundingShift(-6n, 2)).toBe(-1n); // −1.5 → −1
    expect(roundingShift(-1n, 40)).toBe(0n);
    expect(requantize(-5, { M: 1, S: 1, zpOut: 0 })).toBe(-2);
    expect(requantize(-7, { M: 1, S: 1, zpOut: 0 })).toBe(-3);
  });
  it('S = 40 with the largest products', () => {
    // p = (2^31 − 1)·65535 ≈ 1.407e14; / 2^40 ≈ 127.998 → 128 → clamp 127
    expect(requantize(I32_MAX, { M: 65535, S: 40, zpOut: 0 })).toBe(127);
    expect(requantize(I32_MAX, { M: 65535, S: 40, zpOut: -1 })).toBe(127);
    expect(requantize(I32_MIN, { M: 65535, S: 40, zpOut: 0 })).toBe(-128);
    expect(requantize(I32_MIN, { M: 65535, S: 40, zpOut: 127 })).toBe(-1); // −127.998 → −128, + 127
    expect(requantize(I32_MIN, { M: 65535, S: 0, zpOut: 0 })).toBe(-128);
    expect(requantize(I32_MAX, { M: 0, S: 7, zpOut: 9 })).toBe(9);
  });
  it('clamps after adding zp_out', () => {
    expect(requantize(100, { M: 1, S: 0, zpOut: 27 })).toBe(127);
    expect(requantize(100, { M: 1, S: 0, zpOut: 28 })).toBe(127);
    expect(requantize(-100, { M: 1, S: 0, zpOut: -28 })).toBe(-128);
    expect(requantize(-100, { M: 1, S: 0, zpOut: -29 })).toBe(-128);
    expect(requantize(-100, { M: 1, S: 0, zpOut: 27 })).toBe(-73);
  });
  it('agrees with an exact rational reference on random operands', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 20000; i++) {
      const Y = rng.chance(0.1) ? rng.pick([I32_MIN, I32_MAX, 0, -1]) : rng.int(-(2 ** 24), 2 ** 24);
      const M = rng.int(0, 65535);
      const S = rng.int(0, 40);
      const zpOut = rng.int(-128, 127);
      const q = refShift(BigInt(Y) * BigInt(M), S) + BigInt(zpOut);
      const want = q < -128n ? -128 : q > 127n ? 127 : Number(q);
      expect(requantize(Y, { M, S, zpOut })).toBe(want);
    }
  });
  it('rejects out-of-range parameters', () => {
    expect(() => requantize(0, { M: 65536, S: 0, zpOut: 0 })).toThrow(RangeError);
    expect(() => requantize(0, { M: 1, S: 41, zpOut: 0 })).toThrow(RangeError);
    expect(() => requantize(0, { M: 1, S: 0, zpOut: 128 })).toThrow(RangeError);
    expect(() => requantize(2 ** 31, { M: 1, S: 0, zpOut: 0 })).toThrow(RangeError);
  });
});

describe('activation tables', () => {
  it('erf to ~1e-15', () => {
    const ref: [number, number][] = [
      [0, 0],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [2.9, 0.9999589021219005],
      [3.5, 0.9999992569016276],
      [-1, -0.8427007929497149],
    ];
    for (const [x, v] of ref) expect(Math.abs(erf(x) - v)).toBeLessThan(2e-15);
  });
  it('round half away from zero', () => {
    expect([2.5, -2.5, 0.5, -0.5, 0.49999, 1.4, -1.6].map(roundHalfAway)).toEqual([3, -3, 1, -1, 0, 1, -2]);
  });
  it('identity and ReLU', () => {
    const id = activationTable({ kind: 'identity', sIn: 0.1, sOut: 0.1 });
    for (let c = -128; c <= 127; c++) expect(lookup(id, c)).toBe(c);
    const relu = activationTable({ kind: 'relu', sIn: 0.1, sOut: 0.05 });
    expect(lookup(relu, -5)).toBe(0);
    expect(lookup(relu, 3)).toBe(6);
    expect(lookup(relu, 100)).toBe(127);
    const reluZp = activationTable({ kind: 'relu', sIn: 1, sOut: 1, zpIn: 10, zpOut: -128 });
    expect(lookup(reluZp, 5)).toBe(-128); // real −5 → 0 → code −128
    expect(lookup(reluZp, 20)).toBe(-118);
  });
  it('GELU and SiLU at known points', () => {
    const g = activationTable({ kind: 'gelu', sIn: 0.05, sOut: 0.05 });
    expect(lookup(g, 0)).toBe(0);
    expect(lookup(g, 20)).toBe(17); // gelu(1) = 0.841345 → 16.83
    expect(lookup(g, -20)).toBe(-3); // gelu(−1) = −0.158655 → −3.17
    expect(lookup(g, 127)).toBe(127);
    expect(lookup(g, -128)).toBe(0); // gelu(−6.4) ≈ −5e−10
    const s = activationTable({ kind: 'silu', sIn: 0.05, sOut: 0.05 });
    expect(lookup(s, 20)).toBe(15); // silu(1) = 0.731059 → 14.62
    expect(lookup(s, -20)).toBe(-5); // silu(−1) = −0.268941 → −5.38
  });
  it('tables are deterministic, int8, and indexable by the code pattern', () => {
    for (const kind of ACTIVATIONS) {
      const a = activationTable({ kind, sIn: 0.037, sOut: 0.021, zpIn: 3, zpOut: -4 });
      const b = activationTable({ kind, sIn: 0.037, sOut: 0.021, zpIn: 3, zpOut: -4 });
      expect(Array.from(a)).toEqual(Array.from(b));
      const pat = tableByPattern(a);
      expect(pat[0]).toBe(lookup(a, 0));
      expect(pat[255]).toBe(lookup(a, -1));
      expect(pat[128]).toBe(lookup(a, -128));
      expect(pat[127]).toBe(lookup(a, 127));
    }
    expect(() => activationTable({ kind: 'gelu', sIn: 0, sOut: 1 })).toThrow(RangeError);
  });
  it('the whole VPU on one element', () => {
    const t = activationTable({ kind: 'relu', sIn: 1, sOut: 1 });
    expect(vpuElement(1000, -1200, { M: 3, S: 4, zpOut: 0 }, t)).toEqual({ Yt: -200, y: 0 }); // −600/16 = −37.5 → −37 → relu 0
    expect(vpuElement(1000, 200, { M: 3, S: 4, zpOut: 0 }, t)).toEqual({ Yt: 1200, y: 127 }); // 225 → clamp
    expect(vpuElement(100, 0, { M: 3, S: 4, zpOut: 0 }, t)).toEqual({ Yt: 100, y: 19 }); // 18.75 → 19
  });
});

describe('stream-level model', () => {
  const vec = (code: number, o: Partial<VpuInBeat> = {}): VpuInBeat => ({ addr: 0, mode: 1, yd: [code, code], M: 1, S: 0, zp: 0, last: 0, ...o });
  const tw = (tsel: number, ti: number, tv: number): VpuInBeat => ({ op: 1, tsel, ti, tv, addr: 0, mode: 0, yd: [7, 7], M: 9, S: 63, zp: 5, last: 1 });

  it('fixed table: one output beat per beat, Y stored for the next step', () => {
    const t = activationTable({ kind: 'relu', sIn: 1, sOut: 1 });
    const m = new VpuStreamModel(2, { table: t });
    expect(m.run([vec(-5, { yd: [-5, 9], last: 1 }), vec(0, { mode: 0, yd: [10, -20] })])).toEqual([
      { y: [0, 9], Yt: [-5, 9], last: 1 },
      { y: [5, 0], Yt: [5, -11], last: 0 },
    ]);
    expect(() => m.step(tw(0, 0, 0))).toThrow(/tables >= 1/);
  });
  it('loadable tables: writes in order, no output beat, the Y buffer untouched; a read before a write sees the old entry', () => {
    const m = new VpuStreamModel(2, { tables: 2 });
    const out = m.run([
      tw(0, 3, 40),
      tw(1, 3, -40),
      tw(0, 253, 11), // code −3
      vec(3, { yd: [3, -3] }),
      tw(0, 3, 41),
      vec(3, { yd: [3, -3] }),
      vec(3, { yd: [3, 3], tsel: 1 }),
      tw(1, 3, -41),
      tw(1, 3, -42),
      vec(0, { mode: 0, yd: [0, 0], tsel: 1 }),
    ]);
    expect(out.map((o) => o.y)).toEqual([
      [40, 11],
      [41, 11],
      [-40, -40],
      [-42, -42],
    ]);
    expect(m.Y.get(0)).toBe(3);
    expect(m.Y.get(1)).toBe(3);
    expect(m.tables[1][3]).toBe(-42);
  });
  it('rejects reads of never-written entries (X in the RTL), tsel >= T and malformed writes', () => {
    const m = new VpuStreamModel(2, { tables: 3 });
    m.step(tw(2, 5, 1));
    expect(() => m.step(vec(5, { yd: [5, 6], tsel: 2 }))).toThrow(/table 2 entry 6 .*never written/);
    expect(() => m.step(vec(5, { tsel: 3 }))).toThrow(/tsel 3/);
    expect(() => m.step(tw(3, 0, 0))).toThrow(/tsel 3/);
    expect(() => m.step(tw(0, 256, 0))).toThrow(/ti 256/);
    expect(() => m.step(tw(0, 0, 128))).toThrow(/tv 128/);
    expect(() => new VpuStreamModel(1, { tables: 9 })).toThrow(RangeError);
  });
});
