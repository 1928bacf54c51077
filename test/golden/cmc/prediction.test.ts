// Golden prediction (SPEC §2.2, §2.3): segments and I index, inter/intra decisions, tables.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/stimulus/rng.ts';
import { predictInter, predictIntra, segments, vectorTables } from '../../../sim/golden/cmc/prediction.ts';
import { candidates, searchToken } from '../../../sim/golden/cmc/search.ts';
import { sad } from '../../../sim/golden/cmc/sad.ts';

const tok = (...v: number[]) => v;

describe('segments', () => {
  it('I index floor((g−1)/2), a short last segment uses its own length', () => {
    expect(segments(10, 4)).toEqual([
      { start: 0, len: 4, ref: 1 },
      { start: 4, len: 4, ref: 5 },
      { start: 8, len: 2, ref: 8 },
    ]);
    expect(segments(8, 8)).toEqual([{ start: 0, len: 8, ref: 3 }]);
    expect(segments(5, 4)).toEqual([{ start: 0, len: 4, ref: 1 }, { start: 4, len: 1, ref: 4 }]);
    expect(segments(7, 4)[1]).toEqual({ start: 4, len: 3, ref: 5 });
    expect(segments(0, 4)).toEqual([]);
  });
});

describe('inter-matrix prediction', () => {
  it('I tokens informative; P tokens by SADmin ≥ Thr; ties to the lowest j; tables ascending', () => {
    // T = 3 (one segment, I = matrix 1), N = 3 tokens of 2 elements
    const I = [tok(0, 0), tok(10, 10), tok(0, 0)];
    const X = [
      [tok(0, 1), tok(10, 12), tok(50, 50)], // SADmin 1 (j 0, tie with j 2 → 0), 2 (j 1), 80 (j 1: |50−10|·2 = 80)
      I,
      [tok(0, 0), tok(5, 5), tok(9, 9)], // 0 (j 0), 10 (tie j 0 / j 1 → 0), 2 (j 1)
    ];
    const p = predictInter(X, { G: 4, thr: 2 });
    expect(p.informative).toEqual([
      [false, true, true],
      [true, true, true],
      [false, true, true],
    ]);
    expect(p.nitt).toEqual([
      { t: 0, i: 0, j: 0, tRef: 1, sad: 1 },
      { t: 2, i: 0, j: 0, tRef: 1, sad: 0 },
    ]);
    expect(p.itt).toEqual([{ t: 0, i: 1 }, { t: 0, i: 2 }, { t: 1, i: 0 }, { t: 1, i: 1 }, { t: 1, i: 2 }, { t: 2, i: 1 }, { t: 2, i: 2 }]);
    // SADmin exactly Thr (token (0,1): 2) is informative; Thr − 1 (token (0,0): 1) is not
    const q = predictInter(X, { G: 4, thr: 3 });
    expect(q.informative[0][1]).toBe(false);
    expect(q.nitt.find((e) => e.t === 0 && e.i === 1)).toEqual({ t: 0, i: 1, j: 1, tRef: 1, sad: 2 });
    expect(p.informativeFraction).toBeCloseTo(7 / 9);
  });
  it('a segment with every token informative and one with none; a short final segment', () => {
    // T = 5, G = 2: segments [0,1] (I = 0), [2,3] (I = 2), [4] (I = 4, alone: all informative)
    const rng = new Rng(5);
    const rnd = () => Array.from({ length: 4 }, () => rng.int(0, 255));
    const base = Array.from({ length: 4 }, rnd);
    const X = [base, base.map((t) => t.map((v) => 255 - v)), base, base.map((t) => [...t]), Array.from({ length: 4 }, rnd)];
    // matrix 1 far from 0 (every token informative with a thr it cannot reach), matrix 3 equal to 2
    const thr = 1;
    X[1] = [[0, 0, 0, 0], [255, 255, 255, 255], [0, 255, 0, 255], [255, 0, 255, 0]];
    X[0] = [[128, 128, 128, 128], [127, 127, 127, 127], [100, 100, 100, 100], [50, 60, 70, 80]];
    const p = predictInter(X, { G: 2, thr });
    expect(p.informative[1]).toEqual([true, true, true, true]); // every token informative
    expect(p.informative[3]).toEqual([false, false, false, false]); // none
    expect(p.nitt.filter((e) => e.t === 3).map((e) => [e.i, e.j, e.tRef])).toEqual([[0, 0, 2], [1, 1, 2], [2, 2, 2], [3, 3, 2]]);
    expect(p.informative[4]).toEqual([true, true, true, true]); // short final segment: its own I
    expect(p.informative[0]).toEqual([true, true, true, true]);
    expect(p.informative[2]).toEqual([true, true, true, true]);
  });
  it('radius search agrees with an independent evaluation, including corner windows', () => {
    const rng = new Rng(6);
    const grid = { H: 3, W: 4 };
    const X = Array.from({ length: 4 }, () => Array.from({ length: 12 }, () => Array.from({ length: 6 }, () => rng.int(-128, 127))));
    const thr = 300;
    const p = predictInter(X, { G: 4, thr, grid, window: { kind: 'radius', R: 1 } });
    for (const t of [0, 2, 3]) {
      for (let i = 0; i < 12; i++) {
        const cs = candidates(i, grid, { kind: 'radius', R: 1 });
        const sads = cs.map((j) => sad(X[t][i], X[1][j]));
        const min = Math.min(...sads);
        const j = cs[sads.indexOf(min)];
        expect(p.informative[t][i]).toBe(min >= thr);
        if (min < thr) expect(p.ref[t][i]).toEqual({ t: 1, i: j });
        expect(searchToken(X[t][i], X[1], cs, thr).jStar).toBe(j);
      }
    }
    expect(p.informative[1].every(Boolean)).toBe(true);
  });
});

describe('intra-matrix prediction', () => {
  it('row segments of G_v, reference row floor((g−1)/2), non-informative iff SAD < Thr_V', () => {
    // one matrix, 7 rows, Gv = 3: segments [0..2] ref 1, [3..5] ref 4, [6] ref 6
    const X = [[tok(0), tok(5), tok(7), tok(96), tok(100), tok(103), tok(9)]];
    const p = predictIntra(X, { Gv: 3, thr: 3 });
    expect(p.informative[0]).toEqual([true, true, false, true, true, true, true]);
    const { ivt, nivt } = vectorTables(p);
    expect(nivt).toEqual([{ t: 0, i: 2, j: 1, tRef: 0, sad: 2 }]);
    expect(ivt.length).toBe(6);
    // row 3: SAD 4 = Thr_V stays informative; row 5: SAD 3 = Thr_V − 1 does not
    const q = predictIntra(X, { Gv: 3, thr: 4 });
    expect(q.informative[0]).toEqual([true, true, false, true, true, false, true]);
    expect(q.nitt.map((e) => [e.i, e.j, e.sad])).toEqual([[2, 1, 2], [5, 4, 3]]);
    // every row informative / none
    expect(predictIntra(X, { Gv: 3, thr: 0 }).nitt).toEqual([]);
    expect(predictIntra([[tok(1), tok(1), tok(1)]], { Gv: 3, thr: 1 }).informative[0]).toEqual([false, true, false]);
  });
  it('references are always informative (no chains), for random data', () => {
    const rng = new Rng(7);
    const X = Array.from({ length: 3 }, () => Array.from({ length: 20 }, () => Array.from({ length: 4 }, () => rng.int(0, 3))));
    for (const p of [predictIntra(X, { Gv: 4, thr: 3 }), predictInter(X, { G: 3, thr: 3 })]) {
      for (const e of p.nitt) expect(p.informative[e.tRef][e.j]).toBe(true);
      expect(p.itt.length + p.nitt.length).toBe(60);
    }
  });
});
