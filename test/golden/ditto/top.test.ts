// Algorithm level: a Ditto linear layer across time steps in difference and original mode
// equals the dense integer reference at every step; attention by differences is exact.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/stimulus/rng.ts';
import type { Matrix } from '../../../sim/golden/ditto/compute.ts';
import { DefoUnit } from '../../../sim/golden/ditto/defo.ts';
import { attentionAcrossSteps, crossAttentionScores, runLinearLayer, totalCost, type LinearLayerSpec } from '../../../sim/golden/ditto/top.ts';
import { denseMatmul, transpose } from '../../../sim/golden/ditto/compute.ts';
import { activationTable } from '../../../sim/golden/ditto/vpu.ts';

const clamp8 = (v: number) => Math.max(-128, Math.min(127, v));
const rand = (rng: Rng, r: number, c: number): Matrix => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.int(-128, 127)));

/** Step-to-step drift like temporal differences: 45 % unchanged, 50 % within ±15, 5 % larger. */
function drift(rng: Rng, x: Matrix): Matrix {
  return x.map((row) =>
    row.map((v) => {
      const r = rng.float();
      const dv = r < 0.45 ? 0 : r < 0.95 ? rng.int(-15, 15) : rng.int(-100, 100);
      return clamp8(v + dv);
    }),
  );
}

function steps(rng: Rng, n: number, M: number, K: number, similar: boolean): Matrix[] {
  const xs = [rand(rng, M, K)];
  for (let i = 1; i < n; i++) xs.push(similar ? drift(rng, xs[i - 1]) : rand(rng, M, K));
  return xs;
}

function layer(rng: Rng, K: number, N: number): LinearLayerSpec {
  return { W: rand(rng, K, N), rq: { M: 37, S: 14, zpOut: 3 }, table: activationTable({ kind: 'gelu', sIn: 0.05, sOut: 0.04 }), lanes: 4 };
}

describe('linear layer across time steps', () => {
  const rng = new Rng(42);
  const spec = layer(rng, 48, 6);
  const xs = steps(rng, 6, 4, 48, true);

  it('difference mode equals the dense reference at every step', () => {
    const r = runLinearLayer(spec, xs, 'diff');
    expect(r.map((s) => s.mode)).toEqual(['orig', 'diff', 'diff', 'diff', 'diff', 'diff']);
    for (const s of r) {
      expect(s.exact).toBe(true);
      expect(s.y).toEqual(s.densey);
    }
    // the outputs are not trivially saturated
    const ys = new Set(r.flatMap((s) => s.y.flat()));
    expect(ys.size).toBeGreaterThan(10);
  });
  it('original mode equals the dense reference at every step', () => {
    const r = runLinearLayer(spec, xs, 'orig');
    expect(r.every((s) => s.exact && s.mode === 'orig')).toBe(true);
  });
  it('any mix of modes stays exact (x_t and Y_t are stored either way)', () => {
    const r = runLinearLayer(spec, xs, ['orig', 'diff', 'orig', 'orig', 'diff', 'diff']);
    expect(r.every((s) => s.exact)).toBe(true);
  });
  it('differences of similar steps cost fewer words and bit operations than originals', () => {
    const d = runLinearLayer(spec, xs, 'diff').slice(1);
    const o = runLinearLayer(spec, xs, 'orig').slice(1);
    const cd = totalCost(d);
    const co = totalCost(o);
    expect(cd.words).toBeLessThan(co.words);
    expect(cd.bops).toBeLessThan(co.bops);
    expect(cd.nzero / (cd.nzero + cd.nlow + cd.nfull)).toBeGreaterThan(0.3);
    expect(co.denseCycles).toBe(5 * 4 * 24);
  });
  it('Defo picks difference mode for similar steps and original mode for unrelated ones, exactly', () => {
    const defo = new DefoUnit(8);
    const sim = runLinearLayer(spec, xs, { defo, layer: 0 });
    expect(sim.map((s) => s.mode)).toEqual(['orig', 'diff', 'diff', 'diff', 'diff', 'diff']);
    expect(sim.every((s) => s.exact)).toBe(true);
    const noisy = steps(new Rng(9), 5, 4, 48, false);
    const r = runLinearLayer(spec, noisy, { defo, layer: 1 });
    expect(r.map((s) => s.mode)).toEqual(['orig', 'diff', 'orig', 'orig', 'orig']);
    expect(r.every((s) => s.exact)).toBe(true);
    expect(defo.table[1].cycleDiff).toBeGreaterThanOrEqual(defo.table[1].cycleAct);
  });
});

describe('attention by differences', () => {
  it('Q·Kᵀ and P·V identities hold exactly over several steps', () => {
    const rng = new Rng(77);
    const n = 4;
    const Qs = steps(rng, n, 3, 8, true);
    const Ks = steps(rng, n, 5, 8, true);
    const Ps = steps(rng, n, 3, 5, true);
    const Vs = steps(rng, n, 5, 8, true);
    const r = attentionAcrossSteps(Qs, Ks, Ps, Vs);
    expect(r).toHaveLength(n);
    expect(r.every((s) => s.scoresExact && s.outputExact)).toBe(true);
  });
  it('holds for unrelated steps and extreme codes too', () => {
    const rng = new Rng(78);
    const ext = (r: number, c: number): Matrix => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.pick([-128, 127, 0, -1])));
    const r = attentionAcrossSteps([ext(2, 6), ext(2, 6), ext(2, 6)], [ext(3, 6), ext(3, 6), ext(3, 6)], [ext(2, 3), ext(2, 3), ext(2, 3)], [ext(3, 6), ext(3, 6), ext(3, 6)]);
    expect(r.every((s) => s.scoresExact && s.outputExact)).toBe(true);
  });
  it('cross-attention: K\' is a plain weight', () => {
    const rng = new Rng(79);
    const Kc = rand(rng, 5, 8);
    const Qp = rand(rng, 3, 8);
    const Qt = drift(rng, Qp);
    const s = crossAttentionScores(Qt, Qp, Kc, denseMatmul(Qp, transpose(Kc)));
    expect(s.exact).toBe(true);
  });
});
