// ditto (ditto_top) driven by the RTL Defo unit (ditto.defo) from cycles MEASURED ON THE RTL
// (SPEC §1.6), per seed:
//   1. steps 1 (original) and 2 (differences) of the workload on ditto_top, one cosim (the
//      workload truncated to 2 steps, same stalls and seed); per layer and step the measured
//      cycles are
//        cycles(l, s) = cycle of the layer's LAST output beat − cycle its FIRST command beat
//                       (the first weight beat of its first tile) was accepted + 1,
//      both read from the cosim report (SeedResult.accepted.in / transactions.out[i].cycle);
//   2. those counts are reported to the RTL Defo unit (a ditto.defo cosim: step-1 and step-2
//      reports per layer, then a query per layer for every step ≥ 3) and its answers read from
//      the `mode` stream — the mode schedule of steps ≥ 3;
//   3. the full workload (3 layers, GELU between layers, 6 steps) on ditto_top with that
//      schedule, every output checked against runLinearLayer (which the test checks against
//      the dense act(requant(W·x))) and every beat's cycle against the cycle model;
//   4. the Defo answers equal the golden rule (exeDiff, sim/golden/ditto/defo.ts) on the same
//      measured counts, and across the seeds at least one layer runs each mode.
// The data makes both outcomes happen: layer 0's input has small (LOW) codes that flip sign
// every step (original: K/4 words per vector, ingest bound; differences are FULL: K/2 words),
// and layer 0's requantiser has a tiny gain around a large zero point, so layer 1's input is
// large (FULL) and barely changes (differences ZERO or LOW: original K/2 words, differences
// ingest bound). Layer 2's input is layer 1's GELU output, whatever the measurement says.
// Design points: the existing ditto top GELU point (cases ditto.top.layers3_gelu) and the
// ditto.defo default, so no new Verilator build.
import { describe, expect, it } from 'vitest';
import type { TopParams } from '../../../generator/spec/ditto/top.ts';
import type { DefoParams } from '../../../generator/spec/ditto/defo.ts';
import { type CosimCase, runCase } from '../../../sim/cases/case.ts';
import { caseParams, randomWeight } from '../../../sim/cases/ditto/common.ts';
import { type DefoOp, defoBeat, defoCaseCycles, defoGolden } from '../../../sim/cases/ditto/defo.ts';
import { type TopActivation, type TopLayer, type TopWorkload, TOP_SMALL, resolveTopParams, topCaseCycles, topStream, topTables } from '../../../sim/cases/ditto/top.ts';
import type { Beat, SeedResult, StallProbabilities } from '../../../sim/cosim/index.ts';
import { type Matrix, denseMatmul, matEqual } from '../../../sim/golden/ditto/compute.ts';
import { exeDiff } from '../../../sim/golden/ditto/defo.ts';
import type { Mode } from '../../../sim/golden/ditto/encoder.ts';
import { runLinearLayer, vpuMatrix } from '../../../sim/golden/ditto/top.ts';
import type { RequantParams } from '../../../sim/golden/ditto/vpu.ts';
import { Rng } from '../../../sim/stimulus/rng.ts';

const T = 600_000;
/** One GELU table (scale 1/32) for every layer. */
const ACTS: TopActivation[] = [{ kind: 'gelu', scale: 1 / 32 }];
const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };
const TOKENS = 6;
const DIMS = [32, 16, 16, 8];
const STEPS = 6;
const SEEDS = [1, 2];

interface Data {
  p: TopParams;
  layers: TopLayer[];
  /** inputs[l][i]: layer l's input at step i + 1 (layer l + 1's input is layer l's y) */
  inputs: Matrix[][];
}

/** |v| in 8..15 with a random sign: a LOW code whose sign flip is a FULL difference. */
function small(rng: Rng): number {
  return (rng.chance(0.5) ? -1 : 1) * rng.int(8, 15);
}

/** Layer-0 inputs: small codes flipping sign every step (10 % of the elements redrawn instead). */
function layer0Inputs(rng: Rng, steps: number): Matrix[] {
  const xs: Matrix[] = [Array.from({ length: TOKENS }, () => Array.from({ length: DIMS[0] }, () => small(rng)))];
  for (let t = 1; t < steps; t++) xs.push(xs[t - 1].map((row) => row.map((v) => (rng.chance(0.1) ? small(rng) : -v))));
  return xs;
}

/** M, S so that the largest |Y| of step 1 maps to about ±`codes`. */
function calibrate(rng: Rng, Ymax: number, codes: number, zpOut: number): RequantParams {
  const M = rng.int(20000, 65535);
  const S = Math.max(0, Math.min(40, Math.ceil(Math.log2(Math.max(1, (Ymax * M) / codes)))));
  return { M, S, zpOut };
}

/** The workload's data (weights, requantisers, every layer's input at every step) for a seed. */
function buildData(seed: number): Data {
  const p = resolveTopParams(TOP_SMALL);
  const rng = new Rng(seed * 4099 + 5);
  const table = topTables({ acts: ACTS })[0];
  const layers: TopLayer[] = [];
  const inputs: Matrix[][] = [];
  let xs = layer0Inputs(rng, STEPS);
  for (let l = 0; l + 1 < DIMS.length; l++) {
    const W = Array.from({ length: DIMS[l] }, () => Array.from({ length: DIMS[l + 1] }, () => randomWeight(rng)));
    const Ymax = Math.max(1, ...denseMatmul(xs[0], W).flat().map(Math.abs));
    // layer 0: ±2 codes around a large zero point (GELU keeps it large), then ±100 codes
    const rq = l === 0 ? calibrate(rng, Ymax, 2, rng.int(80, 100)) : calibrate(rng, Ymax, 100, rng.int(-8, 8));
    layers.push({ W, rq, tsel: 0, table });
    inputs.push(xs);
    xs = xs.map((x) => vpuMatrix(denseMatmul(x, W), rq, table));
  }
  return { p, layers, inputs };
}

/** The workload over the first `steps` steps with `modes[l][i]` per layer and step. */
function workload(d: Data, steps: number, modes: Mode[][]): TopWorkload {
  const table = topTables({ acts: ACTS })[0];
  const inputs = d.inputs.map((xs) => xs.slice(0, steps));
  const results = d.layers.map((ly, l) => runLinearLayer({ W: ly.W, rq: ly.rq, table, lanes: d.p.lanes }, inputs[l], modes[l].slice(0, steps)));
  const dense = d.layers.map((ly, l) =>
    inputs[l].map((x) => {
      const Y = denseMatmul(x, ly.W);
      return { Y, y: vpuMatrix(Y, ly.rq, table) };
    }),
  );
  return { params: d.p, opts: { tokens: TOKENS, dims: DIMS, steps, schedule: 'fixed', acts: ACTS }, layers: d.layers, x0: inputs[0], results, inputs, dense };
}

/** A one-seed ditto_top case running workload `w` (values against runLinearLayer, timing against the cycle model). */
function topCase(name: string, w: TopWorkload, seed: number): CosimCase {
  const { beats, weights, expected } = topStream(w, new Rng(seed + 99));
  return {
    name: `ditto.top_defo.${name}`,
    design: 'ditto',
    params: { ...TOP_SMALL },
    stimulus: () => ({ streams: { in: beats, w: weights } }),
    golden: () => ({ streams: { out: expected } }),
    cycles: topCaseCycles(w.params),
    stalls: STALLS,
  };
}

/**
 * Measured cycles per [step][layer]: from the acceptance of the layer's first command beat to
 * its last output beat, inclusive. Command beats and outputs are in the order topStream emits
 * them: the table loads (256 beats per table), then per step and layer one configuration beat
 * and per tile ceil(M/R) groups of ceil(K/L) beats (one output per token); the weights have
 * a stream of their own.
 */
function measure(w: TopWorkload, sr: SeedResult): number[][] {
  const acc = sr.accepted.in;
  const out = sr.transactions.out;
  const { lanes, cols, rows } = w.params;
  const cycles: number[][] = [];
  let b = 256 * w.opts.acts.length;
  let o = 0;
  for (let i = 0; i < w.opts.steps; i++) {
    const row: number[] = [];
    w.layers.forEach((ly) => {
      const K = ly.W.length;
      const tiles = ly.W[0].length / cols;
      const nBeats = 1 + tiles * Math.ceil(TOKENS / rows) * Math.ceil(K / lanes);
      const nOut = tiles * TOKENS;
      expect(acc.length).toBeGreaterThanOrEqual(b + nBeats);
      expect(out.length).toBeGreaterThanOrEqual(o + nOut);
      row.push(out[o + nOut - 1].cycle - acc[b] + 1);
      b += nBeats;
      o += nOut;
    });
    cycles.push(row);
  }
  expect(b).toBe(acc.length);
  expect(o).toBe(out.length);
  return cycles;
}

const PRE: Mode[] = ['orig', 'diff'];

describe('ditto top with the RTL Defo unit deciding from RTL-measured cycles', () => {
  it('steps 1–2 measured on ditto_top → ditto.defo answers → the full workload with that schedule', async () => {
    const t0 = Date.now();
    const defoP = caseParams({ design: 'ditto.defo', params: {} }) as unknown as DefoParams;
    const chosen = new Set<Mode>();
    for (const seed of SEEDS) {
      const d = buildData(seed);
      const nL = d.layers.length;
      expect(nL).toBeGreaterThanOrEqual(3);
      expect(STEPS).toBeGreaterThanOrEqual(5);

      // 1. steps 1 (original) and 2 (differences) on the RTL
      const w2 = workload(d, 2, d.layers.map(() => PRE));
      const r2 = await runCase(topCase('steps12', w2, seed), { seeds: [seed] });
      expect(r2.ok, r2.message).toBe(true);
      const m2 = measure(w2, r2.seeds[0]);
      const act = m2[0];
      const diff = m2[1];

      // 2. the RTL Defo unit: reports of steps 1 and 2 per layer, then a query per layer and step ≥ 3
      const ops: DefoOp[] = [];
      for (let l = 0; l < nL; l++) ops.push({ query: false, layer: l, step: 1, cycles: act[l] }, { query: false, layer: l, step: 2, cycles: diff[l] });
      for (let s = 3; s <= STEPS; s++) for (let l = 0; l < nL; l++) ops.push({ query: true, layer: l, step: s, cycles: 0 });
      const defoOps: Beat[] = ops.map(defoBeat);
      const defoCase: CosimCase = {
        name: 'ditto.defo.top_defo',
        design: 'ditto.defo',
        params: {},
        stimulus: () => ({ streams: { op: defoOps } }),
        golden: defoGolden(defoP),
        cycles: defoCaseCycles(defoP),
        stalls: STALLS,
      };
      const rd = await runCase(defoCase, { seeds: [seed] });
      expect(rd.ok, rd.message).toBe(true);
      const answers = rd.seeds[0].transactions.mode.map((t) => Number(t.fields.diff));
      expect(answers.length).toBe((STEPS - 2) * nL);
      // the RTL's answers, per layer: frozen across steps ≥ 3, and the golden rule on the measured counts
      const rtlMode: Mode[] = [];
      for (let l = 0; l < nL; l++) {
        const a = answers.filter((_, i) => i % nL === l);
        expect(new Set(a).size, `seed ${seed} layer ${l}: frozen`).toBe(1);
        expect(a[0], `seed ${seed} layer ${l}: act ${act[l]}, diff ${diff[l]}`).toBe(exeDiff(act[l], diff[l]));
        rtlMode.push(a[0] === 1 ? 'diff' : 'orig');
        chosen.add(rtlMode[l]);
      }

      // 3. the full workload with the RTL's schedule
      const modes = rtlMode.map((m) => [...PRE, ...Array.from({ length: STEPS - 2 }, () => m)]);
      const w = workload(d, STEPS, modes);
      w.results.forEach((rs, l) =>
        rs.forEach((r, i) => {
          const where = `seed ${seed} layer ${l} step ${i + 1}`;
          expect(r.mode, where).toBe(modes[l][i]);
          expect(r.exact, where).toBe(true);
          expect(matEqual(r.Y, w.dense[l][i].Y), where).toBe(true);
          expect(matEqual(r.y, w.dense[l][i].y), where).toBe(true);
          if (l > 0) expect(w.inputs[l][i], where).toEqual(w.results[l - 1][i].y); // chained through GELU
        }),
      );
      const rf = await runCase(topCase('full', w, seed), { seeds: [seed] });
      expect(rf.ok, rf.message).toBe(true);
      const mf = measure(w, rf.seeds[0]);
      // same stimulus prefix and stall pattern: the full run's steps 1–2 take exactly the measured cycles
      expect(mf.slice(0, 2), `seed ${seed}`).toEqual(m2);
      const est = w.results.map((rs) => rs.map((r) => r.cost.cycles));
      console.log(
        `seed ${seed}: ` +
          rtlMode
            .map((m, l) => `layer ${l} act ${act[l]} diff ${diff[l]} → ${m} (model estimate ${est[l][0]}/${est[l][1]}; steps 3..: ${mf.slice(2).map((r) => r[l]).join(',')})`)
            .join('; '),
      );
    }
    expect([...chosen].sort()).toEqual(['diff', 'orig']);
    console.log(`top_defo: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, T);
});
