// Golden condensed GEMM, scatter and recovery (SPEC §2.4) and the end-to-end property.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/stimulus/rng.ts';
import { condensedGemm, condensedProjection, emptyBanks, entryOf, readBanks, recover, rowTimesW, scatter } from '../../../sim/golden/cmc/gemm.ts';
import { predictInter, predictIntra } from '../../../sim/golden/cmc/prediction.ts';
import { requantize } from '../../../sim/golden/ditto/vpu.ts';

const rq = { M: 181, S: 14, zpOut: -3 };

function randX(rng: Rng, T: number, N: number, K: number, similar: number): number[][][] {
  // tokens drift slowly across matrices so that some are non-informative
  const base = Array.from({ length: N }, () => Array.from({ length: K }, () => rng.int(-128, 127)));
  return Array.from({ length: T }, () => base.map((t) => t.map((v) => (rng.chance(similar) ? v : rng.int(-128, 127)))));
}

describe('condensed GEMM', () => {
  it('int8 × int8 → int32 exact, then the §1.5 requantiser per element', () => {
    const W = [[127, -128], [-128, -128], [1, 0]];
    expect(rowTimesW([-128, -128, 5], W)).toEqual([-128 * 127 + 128 * 128 + 5, 2 * 128 * 128]);
    const rows = condensedGemm([[[1, 2, 3], [-1, -2, -3]]], [{ t: 0, i: 1 }], W, rq);
    expect(rows.length).toBe(1);
    expect(rows[0].acc).toEqual(rowTimesW([-1, -2, -3], W));
    expect(rows[0].y).toEqual(rows[0].acc.map((v) => requantize(v, rq)));
    expect(() => rowTimesW([128, 0, 0], W)).toThrow(RangeError);
  });
  it('scatter puts column j of row (t, i) in bank j, entry t·N + i; recovery copies whole entries', () => {
    const buf = emptyBanks(2, 6);
    scatter(buf, [{ id: { t: 0, i: 1 }, y: [7, 8] }, { id: { t: 1, i: 2 }, y: [-1, -2] }], 3);
    expect(buf[0][1]).toBe(7);
    expect(buf[1][1]).toBe(8);
    expect(buf[0][entryOf({ t: 1, i: 2 }, 3)]).toBe(-1);
    recover(buf, [{ t: 1, i: 0, j: 1, tRef: 0, sad: 0 }], 3);
    expect([buf[0][3], buf[1][3]]).toEqual([7, 8]);
    expect(() => recover(buf, [{ t: 1, i: 1, j: 0, tRef: 0, sad: 0 }], 3)).toThrow(RangeError);
    expect(() => readBanks(buf, 6)).toThrow(RangeError);
  });
});

describe('end to end: recovered = dense with non-informative rows replaced by their reference row', () => {
  for (const [name, seed, mode] of [['inter, full search', 1, 'inter'], ['inter, radius 1', 2, 'radius'], ['intra', 3, 'intra']] as const) {
    it(name, () => {
      const rng = new Rng(seed);
      const T = 6;
      const N = 12;
      const K = 16;
      const X = randX(rng, T, N, K, 0.9);
      const W = Array.from({ length: K }, () => Array.from({ length: 5 }, () => rng.int(-128, 127)));
      const pred =
        mode === 'intra'
          ? predictIntra(X, { Gv: 4, thr: 900 })
          : predictInter(X, { G: 4, thr: 900, ...(mode === 'radius' ? { grid: { H: 3, W: 4 }, window: { kind: 'radius', R: 1 } as const } : {}) });
      expect(pred.nitt.length).toBeGreaterThan(0);
      expect(pred.itt.length).toBeGreaterThan(0);
      const r = condensedProjection(X, W, rq, pred);
      expect(r.Y).toEqual(r.expected);
      expect(r.gemmRows).toBe(pred.itt.length);
      for (const id of pred.itt) expect(r.Y[entryOf(id, N)]).toEqual(r.dense[entryOf(id, N)]);
      for (const e of pred.nitt) expect(r.Y[entryOf(e, N)]).toEqual(r.dense[entryOf({ t: e.tRef, i: e.j }, N)]);
    });
  }
});
