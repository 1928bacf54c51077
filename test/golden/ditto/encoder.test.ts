// Golden model of the Ditto encoding unit: sign-magnitude and classes, the packing rule, and
// its invariants (optimal word count, FULL never split and aligned, every element once).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/stimulus/rng.ts';
import {
  type Element,
  type EncoderBeat,
  FULL,
  LOW,
  type Mode,
  Packer,
  type Word,
  ZERO,
  classify,
  decodeWords,
  difference,
  elementValue,
  encodeBeats,
  encodeBeatsPerBeat,
  encodeVector,
  expectedWordCount,
  makeElement,
  packVector,
  signMag,
  validSlots,
  vectorBeats,
  vectorStats,
} from '../../../sim/golden/ditto/encoder.ts';

const slot = (valid: number, s: number, n: number, h: number, k: number) => ({ valid, s, n, h, k });
const NONE = slot(0, 0, 0, 0, 0);

describe('difference, sign-magnitude, classes', () => {
  it('directed values', () => {
    expect(difference(127, -128)).toBe(255);
    expect(difference(-128, 127)).toBe(-255);
    expect(signMag(255)).toEqual({ d: 255, s: 0, m: 255, mh: 15, ml: 15 });
    expect(signMag(-255)).toEqual({ d: -255, s: 1, m: 255, mh: 15, ml: 15 });
    expect(signMag(16)).toEqual({ d: 16, s: 0, m: 16, mh: 1, ml: 0 });
    expect(signMag(-16)).toEqual({ d: -16, s: 1, m: 16, mh: 1, ml: 0 });
    expect(signMag(15)).toEqual({ d: 15, s: 0, m: 15, mh: 0, ml: 15 });
    expect(signMag(-15)).toEqual({ d: -15, s: 1, m: 15, mh: 0, ml: 15 });
    expect(signMag(1)).toEqual({ d: 1, s: 0, m: 1, mh: 0, ml: 1 });
    expect(signMag(-1)).toEqual({ d: -1, s: 1, m: 1, mh: 0, ml: 1 });
    expect(signMag(0)).toEqual({ d: 0, s: 0, m: 0, mh: 0, ml: 0 });
    expect([255, 16, 15, 1, 0].map(classify)).toEqual([FULL, FULL, LOW, LOW, ZERO]);
  });
  it('original mode: d = x, x = −128 is FULL with m = 128', () => {
    expect(elementValue('orig', -128, 55)).toBe(-128);
    expect(signMag(-128)).toEqual({ d: -128, s: 1, m: 128, mh: 8, ml: 0 });
    expect(classify(128)).toBe(FULL);
    expect(elementValue('diff', -128, 55)).toBe(-183);
  });
  it('the 9-bit range is covered exactly by s, mh, ml', () => {
    for (let d = -255; d <= 255; d++) {
      const sm = signMag(d);
      expect((sm.s ? -1 : 1) * (16 * sm.mh + sm.ml)).toBe(d);
    }
    expect(() => signMag(256)).toThrow(RangeError);
    expect(() => difference(128, 0)).toThrow(RangeError);
  });
});

describe('packing: directed', () => {
  it('an all-ZERO vector is one word with no valid slot, marked last, with its counts', () => {
    const w = encodeVector([3, 3, 3, 3, 3], [3, 3, 3, 3, 3], 'diff');
    expect(w).toEqual([{ slots: [NONE, NONE, NONE, NONE], last: 1, nzero: 5, nlow: 0, nfull: 0 }]);
  });
  it('an empty vector (no kept lane) is one empty word too', () => {
    expect(packVector([])).toEqual([{ slots: [NONE, NONE, NONE, NONE], last: 1, nzero: 0, nlow: 0, nfull: 0 }]);
  });
  it('all-FULL: two per word, ml in slots 0/2, mh (h = 1) in slots 1/3', () => {
    const xt = [127, -128, 100, 16, -17];
    const w = encodeVector(xt, [0, 0, 0, 0, 0], 'diff');
    expect(w.length).toBe(3);
    expect(w[0].slots).toEqual([slot(1, 0, 15, 0, 0), slot(1, 0, 7, 1, 0), slot(1, 1, 0, 0, 1), slot(1, 1, 8, 1, 1)]);
    expect(w[1].slots).toEqual([slot(1, 0, 4, 0, 2), slot(1, 0, 6, 1, 2), slot(1, 0, 0, 0, 3), slot(1, 0, 1, 1, 3)]);
    expect(w[2]).toEqual({ slots: [slot(1, 1, 1, 0, 4), slot(1, 1, 1, 1, 4), NONE, NONE], last: 1, nzero: 0, nlow: 0, nfull: 5 });
    expect(w[0].last + w[1].last).toBe(0);
  });
  it('a FULL that would straddle a word goes with the two oldest LOW; the third LOW waits', () => {
    // LOW LOW LOW FULL: in-order packing would split the FULL over slots 3 and 4
    const w = encodeVector([1, -2, 3, 50], [0, 0, 0, 0], 'diff');
    expect(w.length).toBe(2);
    expect(w[0].slots).toEqual([slot(1, 0, 2, 0, 3), slot(1, 0, 3, 1, 3), slot(1, 0, 1, 0, 0), slot(1, 1, 2, 0, 1)]);
    expect(w[1]).toEqual({ slots: [slot(1, 0, 3, 0, 2), NONE, NONE, NONE], last: 1, nzero: 0, nlow: 3, nfull: 1 });
  });
  it('a word is formed only when more than a word is pending, so the last word carries the mark', () => {
    // 4 LOW then ZEROs: the LOW word is the flush word at the end
    const w = encodeVector([1, 2, 3, 4, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], 'diff');
    expect(w).toEqual([{ slots: [slot(1, 0, 1, 0, 0), slot(1, 0, 2, 0, 1), slot(1, 0, 3, 0, 2), slot(1, 0, 4, 0, 3)], last: 1, nzero: 3, nlow: 4, nfull: 0 }]);
    // 5 LOW: the four oldest form a word, the fifth is flushed
    const w5 = encodeVector([1, 2, 3, 4, 5], [0, 0, 0, 0, 0], 'diff');
    expect(w5.map(validSlots)).toEqual([4, 1]);
    expect(w5[1].slots[0]).toEqual(slot(1, 0, 5, 0, 4));
  });
  it('priority: two FULL, then one FULL and two LOW, then four LOW', () => {
    // FULL LOW LOW LOW: at the third LOW (5 slots) → FULL + two oldest LOW
    const a = encodeVector([20, 1, 2, 3], [0, 0, 0, 0], 'diff');
    expect(a[0].slots.map((s) => s.k)).toEqual([0, 0, 1, 2]);
    // LOW ×4 then FULL (6 slots) → FULL + two oldest LOW, two LOW left
    const b = encodeVector([1, 2, 3, 4, 20], [0, 0, 0, 0, 0], 'diff');
    expect(b[0].slots.map((s) => s.k)).toEqual([4, 4, 0, 1]);
    expect(b[1].slots.map((s) => s.k)).toEqual([2, 3, 0, 0]);
    // FULL FULL LOW → two FULL, the LOW waits
    const c = encodeVector([20, 30, 1], [0, 0, 0], 'diff');
    expect(c[0].slots.map((s) => s.k)).toEqual([0, 0, 1, 1]);
    expect(c[1].slots.map((s) => s.valid)).toEqual([1, 0, 0, 0]);
  });
  it('statistics per vector', () => {
    expect(vectorStats([0, 1, 16, -100, 5], [0, 0, 0, 0, 5], 'diff')).toEqual({ nzero: 2, nlow: 1, nfull: 2 });
    const w = encodeVector([0, 1, 16, -100, 5], [0, 0, 0, 0, 5], 'diff');
    const last = w[w.length - 1];
    expect([last.nzero, last.nlow, last.nfull]).toEqual([2, 1, 2]);
  });
});

/** Invariants of one vector's words. */
function checkVector(words: Word[], elems: Element[]): void {
  const nl = elems.filter((e) => e.cls === LOW).length;
  const nf = elems.filter((e) => e.cls === FULL).length;
  expect(words.length).toBe(expectedWordCount(nl, nf));
  words.forEach((w, i) => {
    expect(w.last).toBe(i === words.length - 1 ? 1 : 0);
    if (i < words.length - 1) expect(validSlots(w)).toBe(4);
    // FULL halves: an aligned pair within the word
    for (let s = 0; s < 4; s++) {
      const sl = w.slots[s];
      if (!sl.valid) {
        expect(sl).toEqual(NONE);
        continue;
      }
      if (sl.h) {
        expect(s % 2).toBe(1);
        const lo = w.slots[s - 1];
        expect(lo.valid && lo.k === sl.k && lo.s === sl.s && lo.h === 0).toBeTruthy();
      }
    }
  });
  // every nonzero element exactly once (a FULL as its pair), ZEROs never
  const seen = new Map<number, number>();
  for (const w of words) for (const sl of w.slots) if (sl.valid) seen.set(sl.k, (seen.get(sl.k) ?? 0) + 1);
  for (const e of elems) expect(seen.get(e.k) ?? 0).toBe(e.cls);
  const K = elems.length === 0 ? 0 : Math.max(...elems.map((e) => e.k)) + 1;
  const d = decodeWords(words, K);
  for (const e of elems) expect(d[e.k]).toBe(e.sm.d);
}

describe('packing: random vectors', () => {
  it('word count max(1, ceil((nL + 2 nF)/4)), FULL aligned and unsplit, exact decode', () => {
    const rng = new Rng(2024);
    for (let t = 0; t < 1500; t++) {
      const K = rng.int(0, 70);
      const pz = rng.float();
      const pl = rng.float() * (1 - pz);
      const elems: Element[] = [];
      for (let k = 0; k < K; k++) {
        const r = rng.float();
        const mag = r < pz ? 0 : r < pz + pl ? rng.int(1, 15) : rng.int(16, 255);
        elems.push(makeElement(k, rng.chance(0.5) ? mag : -mag));
      }
      checkVector(packVector(elems), elems);
    }
  });
  it('the reorder buffer never holds more than 4 slots', () => {
    const rng = new Rng(7);
    const pk = new Packer();
    for (let i = 0; i < 5000; i++) {
      pk.add(makeElement(i, rng.pick([0, 0, 3, -7, 40, -255])));
      expect(pk.pendingSlots).toBeLessThanOrEqual(4);
      if (rng.chance(0.05)) pk.finish();
    }
  });
});

describe('beats', () => {
  it('the packing does not depend on the lane count; indices follow beat·L + lane', () => {
    const rng = new Rng(5);
    for (let t = 0; t < 100; t++) {
      const K = rng.int(1, 50);
      const mode: Mode = rng.chance(0.5) ? 'orig' : 'diff';
      const xt = Array.from({ length: K }, () => rng.int(-128, 127));
      const xp = xt.map((x) => Math.max(-128, Math.min(127, x + rng.pick([0, 0, 1, -3, 20]))));
      const ref = encodeVector(xt, xp, mode);
      for (const L of [1, 3, 4, 16]) expect(encodeBeats(vectorBeats(xt, xp, mode, L), L)).toEqual(ref);
    }
  });
  it('masked lanes are skipped but keep their index positions; per-beat words add up', () => {
    const beats: EncoderBeat[] = [
      { xt: [1, 2, 3, 4], xp: [0, 0, 0, 0], keep: 0b1010, last: false, mode: 'diff' },
      { xt: [20, 0, 0, 5], xp: [0, 0, 0, 0], keep: 0b1111, last: true, mode: 'diff' },
    ];
    const per = encodeBeatsPerBeat(beats, 4);
    expect(per.map((w) => w.length)).toEqual([0, 2]);
    const words = per.flat();
    // 2 (k=1), 4 (k=3), FULL 20 (k=4), LOW 5 (k=7): at 5 (5 slots) → FULL + LOW k1 + LOW k3
    expect(words[0].slots.map((s) => s.k)).toEqual([4, 4, 1, 3]);
    expect(words[1]).toEqual({ slots: [slot(1, 0, 5, 0, 7), NONE, NONE, NONE], last: 1, nzero: 2, nlow: 3, nfull: 1 });
  });
  it('element indices wrap at 2^kBits', () => {
    const beats = vectorBeats([1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0], 'diff', 2);
    const w = encodeBeats(beats, 2, 2);
    expect(w.flatMap((x) => x.slots.filter((s) => s.valid).map((s) => s.k))).toEqual([0, 1, 2, 3, 0, 1]);
  });
  it('rejects a stream that does not end a vector', () => {
    expect(() => encodeBeats([{ xt: [1], xp: [0], keep: 1, last: false, mode: 'diff' }], 1)).toThrow(/last/);
  });
});
