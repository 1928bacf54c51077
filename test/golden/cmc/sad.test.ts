// Golden SAD (SPEC §2.1): exact sums, widths, passes with zero padding, the engine's beat packing.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/stimulus/rng.ts';
import { type SadEngineConfig, elemRange, packElems, sad, sadByPasses, sadEngineStream, sadJobBeats, sadPasses, unpackElems } from '../../../sim/golden/cmc/sad.ts';
import { sadBeatsPerJob, sadPassCount, sadWidth } from '../../../generator/spec/cmc/sad.ts';

const randToken = (rng: Rng, n: number, E: number, signed: boolean) => {
  const r = elemRange(E, signed);
  return Array.from({ length: n }, () => (rng.chance(0.2) ? rng.pick([r.min, r.max]) : rng.int(r.min, r.max)));
};

describe('SAD golden', () => {
  it('exact sum of absolute differences, unsigned and signed', () => {
    expect(sad([0, 255, 10], [255, 0, 10])).toBe(510);
    expect(sad([-128, 127], [127, -128])).toBe(510);
    expect(sad([], [])).toBe(0);
    expect(() => sad([1], [1, 2])).toThrow(RangeError);
  });
  it('width E + ceil(log2 n) holds the worst case exactly', () => {
    expect(sadWidth(8, 768)).toBe(18);
    expect(sadWidth(8, 256)).toBe(16);
    expect(sadWidth(8, 1)).toBe(8);
    expect(sadWidth(8, 257)).toBe(17);
    for (const [E, n] of [[8, 1], [8, 2], [8, 3], [8, 256], [8, 257], [8, 768], [4, 5], [1, 1], [16, 1000]]) {
      for (const signed of [false, true]) {
        const r = elemRange(E, signed);
        const worst = sad(new Array(n).fill(r.min), new Array(n).fill(r.max));
        expect(worst).toBe(n * (2 ** E - 1));
        expect(worst).toBeLessThan(2 ** sadWidth(E, n));
      }
    }
  });
  it('passes: n < m (one padded pass), n = m, n > m not a multiple of m (padded last pass)', () => {
    const rng = new Rng(1);
    for (const [n, m, passes] of [[5, 8, 1], [8, 8, 1], [20, 8, 3], [768, 256, 3], [769, 256, 4], [1, 256, 1]]) {
      for (const signed of [false, true]) {
        const a = randToken(rng, n, 8, signed);
        const b = randToken(rng, n, 8, signed);
        const ps = sadPasses(a, b, m);
        expect(ps.length).toBe(passes);
        expect(sadPassCount(n, m)).toBe(passes);
        expect(sadByPasses(a, b, m)).toBe(sad(a, b));
        // each partial sum is its own slice's SAD (padding adds 0)
        ps.forEach((s, p) => expect(s).toBe(sad(a.slice(p * m, p * m + m), b.slice(p * m, p * m + m))));
        ps.forEach((s) => expect(s).toBeLessThanOrEqual(m * 255));
      }
    }
  });
  it('pack / unpack are inverse (two\'s complement for signed)', () => {
    expect(packElems([1, 2, 3], 8)).toBe(0x030201n);
    expect(packElems([-1, 0], 8)).toBe(0x00ffn);
    expect(unpackElems(0x80ffn, 2, 8, true)).toEqual([-1, -128]);
    expect(unpackElems(0x80ffn, 2, 8, false)).toEqual([255, 128]);
    const rng = new Rng(2);
    for (const E of [1, 3, 8, 16]) for (const signed of [false, true]) {
      const t = randToken(rng, 7, E, signed);
      expect(unpackElems(packElems(t, E), 7, E, signed)).toEqual(t);
    }
  });
  it('engine stream: ceil(n/e) beats per job, padding lanes ignored, P SADs per job', () => {
    const rng = new Rng(3);
    for (const c of [
      { m: 8, lanes: 2, elemBits: 8, signed: false, n: 20, elemsPerBeat: 4 },
      { m: 8, lanes: 3, elemBits: 8, signed: true, n: 5, elemsPerBeat: 8 },
      { m: 16, lanes: 1, elemBits: 4, signed: false, n: 16, elemsPerBeat: 16 },
      { m: 256, lanes: 4, elemBits: 8, signed: false, n: 768, elemsPerBeat: 16 },
    ] satisfies SadEngineConfig[]) {
      const jobs = Array.from({ length: 5 }, () => ({ ref: randToken(rng, c.n, c.elemBits, c.signed), cands: Array.from({ length: c.lanes }, () => randToken(rng, c.n, c.elemBits, c.signed)) }));
      const r = elemRange(c.elemBits, c.signed);
      const beats = jobs.flatMap((j) => sadJobBeats(j, c, () => rng.int(r.min, r.max)));
      expect(beats.length).toBe(5 * sadBeatsPerJob(c));
      expect(sadBeatsPerJob(c)).toBe(Math.ceil(c.n / c.elemsPerBeat));
      const out = sadEngineStream(beats, c);
      expect(out).toEqual(jobs.map((j) => Object.fromEntries(j.cands.map((t, k) => [`sad_${k}`, sad(j.ref, t)]))));
    }
  });
  it('rejects out-of-range elements and wrong shapes', () => {
    const c: SadEngineConfig = { m: 8, lanes: 1, elemBits: 8, signed: false, n: 2, elemsPerBeat: 2 };
    expect(() => sadJobBeats({ ref: [0, 256], cands: [[0, 0]] }, c)).toThrow(RangeError);
    expect(() => sadJobBeats({ ref: [0, -1], cands: [[0, 0]] }, c)).toThrow(RangeError);
    expect(() => sadJobBeats({ ref: [0, 0], cands: [[0, 0], [0, 0]] }, c)).toThrow(RangeError);
    expect(() => sadJobBeats({ ref: [0], cands: [[0]] }, c)).toThrow(RangeError);
    expect(() => sadEngineStream([{ ref: 0n, c0: 0n }, { ref: 0n, c0: 0n }, { ref: 0n, c0: 0n }], { ...c, n: 4 })).toThrow(RangeError);
  });
});
