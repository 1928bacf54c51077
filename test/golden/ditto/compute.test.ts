// Golden model of the Ditto compute unit: the encoded product equals the dense product.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/stimulus/rng.ts';
import { computeChecked, computeFromWords, costOf, denseMatmul, denseVectorCycles, encodeRows, matSub, type Matrix, vectorCycles } from '../../../sim/golden/ditto/compute.ts';

const randInt8 = (rng: Rng, r: number, c: number, extreme = 0.1): Matrix =>
  Array.from({ length: r }, () => Array.from({ length: c }, () => (rng.chance(extreme) ? rng.pick([-128, 127]) : rng.int(-128, 127))));

describe('compute unit (transaction level)', () => {
  it('Y = D·W from encoded words equals the dense product (differences and originals)', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 20; t++) {
      const M = rng.int(1, 4);
      const K = rng.int(1, 40);
      const N = rng.int(1, 5);
      const A = randInt8(rng, M, K);
      const B = A.map((row) => row.map((x) => (rng.chance(0.5) ? x : rng.int(-128, 127))));
      const W = randInt8(rng, K, N);
      const d = computeChecked(A, B, W, 'diff');
      expect(d.equalsDense).toBe(true);
      expect(d.Y).toEqual(denseMatmul(matSub(A, B), W));
      const o = computeChecked(A, undefined, W, 'orig');
      expect(o.equalsDense).toBe(true);
      expect(o.Y).toEqual(denseMatmul(A, W));
    }
  });
  it('extremes: every difference ±255 against weights −128', () => {
    const K = 64;
    const A = [Array(K).fill(127), Array(K).fill(-128)];
    const B = [Array(K).fill(-128), Array(K).fill(127)];
    const W = Array.from({ length: K }, () => [-128, 127]);
    const enc = encodeRows(A, B, 'diff');
    const Y = computeFromWords(enc, W);
    expect(Y).toEqual([
      [255 * -128 * K, 255 * 127 * K],
      [-255 * -128 * K, -255 * 127 * K],
    ]);
  });
  it('costs: max(words, ceil(K/L)) per vector; dense A8W8 baseline ceil(K/2)', () => {
    expect(vectorCycles(10, 64, 4)).toBe(16);
    expect(vectorCycles(20, 64, 4)).toBe(20);
    expect(denseVectorCycles(64)).toBe(32);
    expect(denseVectorCycles(7)).toBe(4);
    const A = [[1, 2, 3, 4, 5, 0, 0, 0], [100, 100, 100, 100, 0, 0, 0, 0]];
    const c = costOf(encodeRows(A, undefined, 'orig'), 4);
    // row 0: 5 LOW → 2 words; row 1: 4 FULL → 2 words; 2 beats each
    expect(c).toMatchObject({ vectors: 2, words: 4, cycles: 4, denseCycles: 8, nzero: 7, nlow: 5, nfull: 4, slots: 13, bops: 13 * 32, denseBops: 2 * 8 * 64 });
  });
});
