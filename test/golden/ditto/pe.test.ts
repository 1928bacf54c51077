// Golden model of the Ditto PE: slot values, the shifters on slots 1/3, accumulate/clear/drain.
import { describe, expect, it } from 'vitest';
import { type PeSlot, type PeWord, peStep, peStream, slotValue, wordSum } from '../../../sim/golden/ditto/pe.ts';

const sl = (valid: number, s: number, n: number, h: number, w: number): PeSlot => ({ valid, s, n, h, w });
const Z = sl(0, 0, 0, 0, 0);

describe('PE golden', () => {
  it('slot value (−1)^s · n · w · (h ? 16 : 1); invalid slots are 0', () => {
    expect(slotValue(sl(1, 0, 15, 1, -128))).toBe(-30720);
    expect(slotValue(sl(1, 1, 15, 1, -128))).toBe(30720);
    expect(slotValue(sl(1, 1, 7, 0, 3))).toBe(-21);
    expect(slotValue(sl(0, 1, 7, 1, 3))).toBe(0);
    expect(slotValue(sl(1, 0, 0, 1, 127))).toBe(0);
    expect(() => slotValue(sl(1, 0, 16, 0, 1))).toThrow(RangeError);
    expect(() => slotValue(sl(1, 0, 1, 0, 128))).toThrow(RangeError);
  });
  it('the shift flag acts on slots 1 and 3 only (the RTL has no shifter on 0 and 2)', () => {
    const a = sl(1, 0, 3, 1, 5);
    expect(wordSum([a, Z, Z, Z])).toBe(15);
    expect(wordSum([Z, a, Z, Z])).toBe(240);
    expect(wordSum([Z, Z, a, Z])).toBe(15);
    expect(wordSum([Z, Z, Z, a])).toBe(240);
  });
  it('a FULL pair reconstructs the 8-bit magnitude: ml·w + 16·mh·w', () => {
    for (const m of [16, 128, 255]) {
      for (const w of [-128, 127, 3]) {
        const s = m & 1;
        expect(wordSum([sl(1, s, m & 15, 0, w), sl(1, s, m >> 4, 1, w), Z, Z])).toBe((s ? -1 : 1) * m * w);
      }
    }
  });
  it('accumulates, clears, drains, and wraps at accBits', () => {
    const w = (v: number, clear: number, last: number): PeWord => ({ slots: [sl(1, v < 0 ? 1 : 0, Math.abs(v), 0, 1), Z, Z, Z], clear, last });
    expect(peStream([w(3, 0, 0), w(4, 0, 1), w(5, 0, 0), w(-6, 0, 1)])).toEqual([7n, -1n]);
    expect(peStream([w(3, 0, 0), w(4, 1, 0), w(5, 0, 1)])).toEqual([9n]);
    expect(peStream([w(3, 1, 1)])).toEqual([3n]);
    const big = sl(1, 0, 15, 1, 127); // 1905 on slots 0/2, 30480 on 1/3
    const word: PeWord = { slots: [big, big, big, big], clear: 0, last: 0 };
    expect(wordSum(word.slots)).toBe(64770);
    const n = 300; // 300 · 64770 = 19,431,000 > 2^23
    const seq = Array.from({ length: n }, (_, i) => ({ ...word, last: i === n - 1 ? 1 : 0 }));
    expect(peStream(seq, 24)[0]).toBe(BigInt.asIntN(24, BigInt(n * 64770)));
    expect(peStream(seq, 24)[0]).not.toBe(BigInt(n * 64770));
    expect(peStream(seq, 32)[0]).toBe(BigInt(n * 64770));
    expect(peStep(2n ** 31n - 1n, [sl(1, 0, 1, 0, 1), Z, Z, Z], 32)).toBe(-(2n ** 31n));
  });
  it('K = 65,536 worst-case differences fit 32 bits', () => {
    // |slot sum| per element ≤ 255 · 128
    expect(65536 * 255 * 128).toBeLessThan(2 ** 31);
  });
});
