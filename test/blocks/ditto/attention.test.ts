// Attention by differences (SPEC §1.7) on the RTL compute unit: the cases of
// sim/cases/ditto/attention.ts (one per product kind: ΔQ·K_{t+1}ᵀ, ΔK·Q_tᵀ, ΔP·V_{t+1},
// ΔVᵀ·P_tᵀ; step 1 in original mode) run with stalls on 2 seeds, each checked by the cosim
// against the golden compute model and the cycle model; then, from the RTL's recorded outputs,
//   S_t = S_{t+1} + ΔQ·K_{t+1}ᵀ + (ΔK·Q_tᵀ)ᵀ  and  O_t = O_{t+1} + ΔP·V_{t+1} + P_t·ΔV
// are assembled step by step and must equal Q_t·K_tᵀ and P_t·V_t exactly at every step.
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../../sim/stimulus/format.ts';
import { runCase } from '../../../sim/cases/case.ts';
import { ATTENTION_KINDS, ATTENTION_STEPS, type AttentionKind, attentionProducts, attentionSequence, dittoAttentionCases } from '../../../sim/cases/ditto/attention.ts';
import { type Matrix, denseMatmul, matAdd, transpose } from '../../../sim/golden/ditto/compute.ts';
import { attentionAcrossSteps } from '../../../sim/golden/ditto/top.ts';

const T = 300_000;
const SEEDS = [1, 2];

type Products = Record<AttentionKind, Matrix[]>;

/** Per step: S and O assembled from the products, and the direct products. */
function assemble(seed: number, prod: Products) {
  const { Qs, Ks, Vs, Ps } = attentionSequence(seed);
  const out: { step: number; S: Matrix; O: Matrix; denseS: Matrix; denseO: Matrix }[] = [];
  let S = prod.qk_dq[0];
  let O = prod.pv_dp[0];
  for (let i = 0; i < Qs.length; i++) {
    if (i > 0) {
      S = matAdd(matAdd(S, prod.qk_dq[i]), transpose(prod.qk_dk[i - 1]));
      O = matAdd(matAdd(O, prod.pv_dp[i]), transpose(prod.pv_dv[i - 1]));
    }
    out.push({ step: i + 1, S, O, denseS: denseMatmul(Qs[i], transpose(Ks[i])), denseO: denseMatmul(Ps[i], Vs[i]) });
  }
  return out;
}

/** Golden output beats of a case's stimulus as transactions (as the harness would record them). */
function goldenTransactions(c: (typeof dittoAttentionCases)[number], seed: number): Record<string, Transaction[]> {
  const exp = c.golden(c.stimulus(seed)) as { streams: Record<string, Record<string, number>[]> };
  return Object.fromEntries(
    Object.entries(exp.streams).map(([s, beats]) => [s, beats.map((b, index): Transaction => ({ index, cycle: 0, fields: Object.fromEntries(Object.entries(b).map(([k, v]) => [k, BigInt(v)])) }))]),
  );
}

describe('ditto attention by differences: stimulus', () => {
  it('the sequence has ≥ 3 steps, int8 codes, LOW/FULL and ±255 differences in Q, K, V', () => {
    for (const seed of SEEDS) {
      const seq = attentionSequence(seed);
      expect(seq.Qs.length).toBe(ATTENTION_STEPS);
      expect(ATTENTION_STEPS).toBeGreaterThanOrEqual(3);
      for (const xs of [seq.Qs, seq.Ks, seq.Vs, seq.Ps]) for (const x of xs) for (const row of x) for (const v of row) expect(v >= -128 && v <= 127 && Number.isInteger(v)).toBe(true);
      for (const xs of [seq.Qs, seq.Ks, seq.Vs]) {
        const ds = xs.slice(1).flatMap((x, i) => x.flatMap((row, m) => row.map((v, k) => v - xs[i][m][k])));
        expect(ds).toContain(255);
        expect(ds).toContain(-255);
        expect(ds.some((d) => d === 0)).toBe(true);
        expect(ds.some((d) => Math.abs(d) >= 1 && Math.abs(d) <= 15)).toBe(true);
        expect(ds.some((d) => Math.abs(d) >= 16)).toBe(true);
      }
      // P changes across steps too (its differences are not all zero)
      expect(seq.Ps.slice(1).some((P, i) => P.some((row, m) => row.some((v, n) => v !== seq.Ps[i][m][n])))).toBe(true);
    }
  });
  it('the golden algorithm-level model (top.ts) holds on the sequence', () => {
    for (const seed of SEEDS) {
      const { Qs, Ks, Ps, Vs } = attentionSequence(seed);
      for (const r of attentionAcrossSteps(Qs, Ks, Ps, Vs)) expect(r.scoresExact && r.outputExact, `seed ${seed} step ${r.step}`).toBe(true);
    }
  });
  it('the identity holds on the golden compute model outputs of the cases’ stimuli', () => {
    for (const seed of SEEDS) {
      const prod = Object.fromEntries(dittoAttentionCases.map((c) => [c.kind, attentionProducts(c.plan(seed), goldenTransactions(c, seed))])) as Products;
      for (const r of assemble(seed, prod)) {
        expect(r.S, `seed ${seed} step ${r.step} scores`).toEqual(r.denseS);
        expect(r.O, `seed ${seed} step ${r.step} output`).toEqual(r.denseO);
      }
    }
  });
});

describe('ditto attention by differences: RTL compute unit', () => {
  it('every product kind matches the golden compute and cycle models, and the RTL products give Q_t·K_tᵀ and P_t·V_t exactly at every step', async () => {
    expect(dittoAttentionCases.map((c) => c.kind)).toEqual([...ATTENTION_KINDS]);
    const perSeed = new Map<number, Partial<Products>>(SEEDS.map((s) => [s, {}]));
    for (const c of dittoAttentionCases) {
      const r = await runCase(c, { seeds: SEEDS });
      expect(r.ok, `${c.name}: ${r.message}`).toBe(true);
      expect(r.seeds.map((s) => s.seed)).toEqual(SEEDS);
      for (const sr of r.seeds) perSeed.get(sr.seed)![c.kind] = attentionProducts(c.plan(sr.seed), sr.transactions);
    }
    for (const seed of SEEDS) {
      const steps = assemble(seed, perSeed.get(seed) as Products);
      expect(steps.length).toBe(ATTENTION_STEPS);
      for (const r of steps) {
        expect(r.S, `seed ${seed} step ${r.step}: S_t from the RTL's difference products`).toEqual(r.denseS);
        expect(r.O, `seed ${seed} step ${r.step}: O_t from the RTL's difference products`).toEqual(r.denseO);
      }
    }
  }, T);
});
