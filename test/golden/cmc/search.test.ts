// Golden min-SAD search (SPEC §2.2): candidate windows, ties, threshold boundaries, the block stream.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/stimulus/rng.ts';
import { type SearchConfig, candidates, pickMin, searchStream, searchToken, searchTokenBeats } from '../../../sim/golden/cmc/search.ts';

const grid = { H: 14, W: 14 };

describe('search golden: candidates', () => {
  it('full search: every token, ascending', () => {
    expect(candidates(5, { H: 2, W: 3 }, { kind: 'full' })).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('radius windows at the four grid corners are clipped', () => {
    const win = { kind: 'radius', R: 1 } as const;
    expect(candidates(0, grid, win)).toEqual([0, 1, 14, 15]);
    expect(candidates(13, grid, win)).toEqual([12, 13, 26, 27]);
    expect(candidates(182, grid, win)).toEqual([168, 169, 182, 183]);
    expect(candidates(195, grid, win)).toEqual([180, 181, 194, 195]);
    expect(candidates(0, grid, { kind: 'radius', R: 2 })).toEqual([0, 1, 2, 14, 15, 16, 28, 29, 30]);
  });
  it('edges and interior: Chebyshev distance ≤ R, ascending, R = 0 is the token itself', () => {
    expect(candidates(7, grid, { kind: 'radius', R: 1 })).toEqual([6, 7, 8, 20, 21, 22]);
    expect(candidates(15, grid, { kind: 'radius', R: 1 })).toEqual([0, 1, 2, 14, 15, 16, 28, 29, 30]);
    expect(candidates(100, grid, { kind: 'radius', R: 0 })).toEqual([100]);
    for (const i of [0, 13, 50, 97, 195]) {
      for (const R of [0, 1, 2, 3, 20]) {
        const c = candidates(i, grid, { kind: 'radius', R });
        const want = Array.from({ length: 196 }, (_, j) => j).filter((j) => Math.max(Math.abs(Math.floor(j / 14) - Math.floor(i / 14)), Math.abs((j % 14) - (i % 14))) <= R);
        expect(c).toEqual(want);
      }
    }
    expect(candidates(50, grid, { kind: 'radius', R: 20 }).length).toBe(196);
    expect(() => candidates(196, grid, { kind: 'full' })).toThrow(RangeError);
  });
});

describe('search golden: min and threshold', () => {
  it('ties between candidates go to the lowest j, wherever they come in the list', () => {
    expect(pickMin([{ sad: 5, j: 3 }, { sad: 5, j: 1 }, { sad: 7, j: 0 }], 0).jStar).toBe(1);
    expect(pickMin([{ sad: 5, j: 1 }, { sad: 5, j: 3 }], 0).jStar).toBe(1);
    const iTok = [[1, 1], [0, 0], [2, 2], [0, 0]];
    const r = searchToken([1, 0], iTok, [0, 1, 2, 3], 100);
    expect(r).toEqual({ sadMin: 1, jStar: 0, informative: false });
    expect(searchToken([0, 0], iTok, [3, 1], 100).jStar).toBe(1); // a tie between 3 and 1 goes to 1 even when 3 comes first
  });
  it('SADmin exactly Thr is informative, Thr − 1 is not', () => {
    expect(pickMin([{ sad: 10, j: 0 }], 10).informative).toBe(true);
    expect(pickMin([{ sad: 9, j: 0 }], 10).informative).toBe(false);
    expect(pickMin([{ sad: 0, j: 0 }], 0).informative).toBe(true);
  });
});

describe('search golden: block stream', () => {
  const c: SearchConfig = { lanes: 4, sadBits: 18, jBits: 8 };
  it('P lanes per beat, keep mask for the short last beat, one result per token', () => {
    const rng = new Rng(4);
    const tokens = Array.from({ length: 50 }, () => Array.from({ length: rng.int(1, 13) }, (_, k) => ({ sad: rng.int(0, 6), j: k * 3 + rng.int(0, 2) })));
    const beats = tokens.flatMap((p) => searchTokenBeats(p, c, () => ({ sad: rng.int(0, 3), j: rng.int(0, 255) })));
    const thr = 2;
    const out = searchStream(beats, thr, c);
    expect(out).toEqual(tokens.map((p) => {
      const r = pickMin(p, thr);
      return { informative: r.informative ? 1 : 0, jstar: r.jStar, sadmin: r.sadMin };
    }));
  });
  it('a token with no kept lane: informative, all-ones sadmin and jstar', () => {
    expect(searchStream([{ keep: 0, last: 1, sad_0: 0, j_0: 0, sad_1: 0, j_1: 0, sad_2: 0, j_2: 0, sad_3: 0, j_3: 0 }], 5, c)).toEqual([{ informative: 1, jstar: 255, sadmin: 2 ** 18 - 1 }]);
  });
});
