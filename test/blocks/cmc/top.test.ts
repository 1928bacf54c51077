// cmc (cmc_top): lint at the defaults and at extremes; whole segments through the command
// stream (sim/cases/cmc/top.ts: inter and intra prediction, full and radius search, short
// segments, all / none informative, weight reloads, a real vtest segment) bit-exact against the
// golden model with stalls on every stream and the cycle model exact on every seed; Icarus as a
// second opinion; the end-to-end property on the RTL's own output; a mutated golden model
// must make the cosim fail; bad parameters are rejected with the rule.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_YOSYS, cosimCaseTests, designWorkspace, lintMatrixTests } from '../../support/blocks.ts';
import { cmcTop, cmcTopDesign } from '../../../generator/blocks/cmc/top.ts';
import { cmcTopGeometry, frameBanking, topParams } from '../../../generator/spec/cmc/top.ts';
import { resolveParams } from '../../../generator/params/schema.ts';
import type { LintTool } from '../../../eda/tools/lint.ts';
import { topCases } from '../../../sim/cases/cmc/index.ts';
import { topConfig } from '../../../sim/cases/cmc/top.ts';
import { generateCaseDesign, runCase } from '../../../sim/cases/case.ts';
import { runCosim } from '../../../sim/cosim/index.ts';
import { type CmcCommand, decodeCommands, runCommands } from '../../../sim/golden/cmc/top.ts';
import { cmcTopCycles } from '../../../sim/cycles/cmc/top.ts';
import { Rng } from '../../../sim/stimulus/rng.ts';

const T = 600_000;
const ws = designWorkspace('cmc');

describe('cmc lint', () => {
  const matrix: [Record<string, unknown>, LintTool[]?][] = [
    [{}],
    // the smallest engine: 2 tokens, one frame, one lane, one column, one element per beat
    [{ gridH: 1, gridW: 2, maxFrames: 1, lanes: 1, cols: 1, nOut: 1, n: 1, elemsPerBeat: 1, m: 1, sadStages: 0, searchStages: 0, gemmStages: 0 }, NO_YOSYS],
    // the video engine: 14 x 14 grid, 768-byte tokens, m = 256, radius 2, 768 outputs on 16 columns
    [{ gridH: 14, gridW: 14, n: 768, m: 256, elemsPerBeat: 16, lanes: 4, window: 'radius', radius: 2, nOut: 768, cols: 16, signed: true }, NO_YOSYS],
  ];
  lintMatrixTests(ws, matrix, T);

  it('rejects parameters that break a rule, naming the parameter, the value and the rule', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ n: 50 }, /elemsPerBeat.*16.*divisor of n = 50/],
      [{ m: 24 }, /elemsPerBeat.*divisor of m = 24/],
      [{ nOut: 12 }, /nOut.*12.*multiple of cols = 8/],
      [{ gridH: 1, gridW: 1 }, /gridW.*at least 2 tokens/],
      [{ searchStages: 3 }, /searchStages.*3/],
    ];
    for (const [cfg, re] of bad) {
      expect(() => cmcTopDesign.resolve(cfg)).toThrow(re);
      // the builder refuses it too, when called without resolve
      expect(() => cmcTop(resolveParams('cmc', topParams, cfg))).toThrow(re);
    }
    expect(() => cmcTopDesign.resolve({ window: 'diamond' })).toThrow(/window/);
  });
});

describe('cmc frame buffer', () => {
  it('one copy in banks: the token and the P candidate reads of every step fall in distinct banks, whatever the job beats', () => {
    for (let BPT = 1; BPT <= 64; BPT++) {
      for (let P = 1; P <= 16; P++) {
        const p = { n: BPT, elemsPerBeat: 1, lanes: P, gridH: 2, gridW: 3, maxFrames: 2, nOut: 1, cols: 1 };
        const fb = frameBanking(p);
        if (BPT < P + 1) {
          expect(fb).toEqual({ banked: false, memories: P + 1, depth: cmcTopGeometry(p).xWords, tokenWords: BPT, skew: 0 });
          continue;
        }
        const Q = fb.memories;
        expect([fb.banked, BPT % Q, Q >= P + 1, fb.skew, Q * fb.depth, Q * fb.tokenWords]).toEqual([true, 0, true, P, 2 * 6 * BPT, BPT]);
        for (let q = P + 1; q < Q; q++) expect(BPT % q, `Q = ${Q} is the smallest divisor ≥ P + 1`).not.toBe(0);
        // step s issues a job beat of beat s mod BPT (jobs are BPT beats back to back); role ρ
        // (0 = token, k + 1 = lane k) reads the beat issued ρ steps earlier, in bank b mod Q
        for (let s = P; s < P + 2 * BPT; s++) {
          const banks = Array.from({ length: P + 1 }, (_, rho) => ((s - rho) % BPT) % Q);
          expect(new Set(banks).size).toBe(P + 1);
        }
      }
    }
  });

  it('the generated engine holds two segments of frames (one per slot), each once: banks of maxFrames·N·BPT words per half, no copies', () => {
    const dir = ws.generate('mems-default', {});
    const mems = JSON.parse(readFileSync(path.join(dir, 'cmc_top.mems.json'), 'utf8')) as { modules: { depth: number; instances: string[] }[] };
    const frameWords = mems.modules.flatMap((m) => m.instances.filter((i) => /^cmc_top\.(xbank|xbuf|cbuf)/.test(i)).map(() => m.depth));
    const p = resolveParams('cmc', topParams, {});
    expect(frameWords).toEqual(Array(2 * frameBanking(p).memories).fill(cmcTopGeometry(p).xWords / frameBanking(p).memories));
  });
});

describe('cmc stages', () => {
  it('overlap in the cycle model: segment s + 1 loads and predicts during the GEMM of s, the back end takes it two cycles after its last copy, slot reuse waits for the read-out', () => {
    const c = topConfig({ nOut: 64, window: 'radius' }); // a GEMM (64 rows × 8 tiles × 3 beats) longer than the prediction
    const rng = new Rng(5);
    const W = Array.from({ length: c.n }, () => Array.from({ length: c.nOut }, () => rng.int(-128, 127)));
    const X = () => Array.from({ length: c.maxFrames }, () => Array.from({ length: c.gridH * c.gridW }, () => Array.from({ length: c.n }, () => rng.int(0, 255))));
    const seg = (): CmcCommand => ({ kind: 'segment', X: X(), mode: 'inter', gv: 1, thr: 0, rq: { M: 1, S: 20, zpOut: 0 } }); // every row informative: long GEMMs
    const r = cmcTopCycles([{ kind: 'weights', W }, seg(), seg(), seg()], c);
    const [s0, s1, s2] = r.segments;
    expect(s1.load).toBe(s0.predictEnd); // the front end takes the next segment at once
    expect(s1.predictEnd).toBeLessThan(s0.recoverEnd); // ... and predicts it while s0 computes
    expect([s1.gemm - s0.recoverEnd, s2.gemm - s1.recoverEnd]).toEqual([2, 2]); // the back end never waits longer
    expect(s1.out).toBe(s1.recoverEnd + 1); // the read-out takes it in the next cycle (s0's ended long before)
    expect(s2.load).toBe(s0.idle); // slot 0 again: after segment 0's read-out
    expect(r.cycles).toBe(s2.idle);
  });
});

describe('cmc cosim', () => {
  cosimCaseTests(topCases, T);

  it('Icarus agrees with Verilator on a radius-search workload, banked frame buffer (values and cycles)', async () => {
    const c = topCases.find((x) => x.name === 'cmc.top.radius2')!;
    const report = await runCase(c, { seeds: [2], icarus: true });
    expect(report.ok, report.message).toBe(true);
  }, T);

  it('end to end on the RTL: every output row of the real segments (inter, intra) is its exact row or a copy of its reference row; the tables match', async () => {
    const c = topCases.find((x) => x.name === 'cmc.top.video')!;
    const cfg = topConfig(c.params as Record<string, number | boolean | string>);
    const stim = c.stimulus(1);
    const report = await runCase(c, { seeds: [1] });
    expect(report.ok, report.message).toBe(true);
    const res = runCommands(decodeCommands(stim.streams!.in! as Record<string, number>[], cfg), cfg);
    expect(res.map((r) => r.prediction.nitt.length > 0 && r.prediction.itt.length > 16)).toEqual([true, true]); // inter, intra: both decisions occur
    const U = cfg.nOut / cfg.cols;
    const ys = report.seeds[0].transactions.y;
    const rows = Array.from({ length: ys.length / U }, (_, r) => ys.slice(r * U, r * U + U).flatMap((t) => Array.from({ length: cfg.cols }, (_, j) => Number(t.fields[`d_${j}`]))));
    expect(rows).toEqual(res.flatMap((r) => r.expected)); // dense rows, non-informative ones replaced by their reference's
    const tab = report.seeds[0].transactions.tab.map((t) => [Number(t.fields.kind), Number(t.fields.t), Number(t.fields.i), Number(t.fields.j)]);
    expect(tab).toEqual(res.flatMap((r) => [...r.prediction.itt.map((e) => [0, e.t, e.i, 0]), ...r.prediction.nitt.map((e) => [1, e.t, e.i, e.j])]));
    const nittSads = report.seeds[0].transactions.tab.filter((t) => Number(t.fields.kind) === 1).map((t) => Number(t.fields.sad));
    expect(nittSads).toEqual(res.flatMap((r) => r.prediction.nitt.map((e) => e.sad)));
  }, T);

  it('the checker can fail: a golden model with one N-ITT reference moved, or one output value changed, fails the cosim', async () => {
    const c = topCases.find((x) => x.name === 'cmc.top.random')!;
    const dir = generateCaseDesign(c);
    for (const mutate of ['tab', 'y'] as const) {
      const report = await runCosim({
        dir,
        seeds: [1],
        waveform: false,
        stalls: c.stalls,
        stimulus: (seed) => c.stimulus(seed),
        golden: (stim) => {
          const want = c.golden(stim);
          const beats = want.streams![mutate]!;
          const k = mutate === 'tab' ? beats.findIndex((b) => Number(b.kind) === 1) : Math.floor(beats.length / 2);
          const b = { ...beats[k] };
          if (mutate === 'tab') b.j = (Number(b.j) + 1) % 16;
          else b.d_3 = Number(b.d_3) === 0 ? 1 : 0;
          beats[k] = b;
          return want;
        },
      });
      expect(report.ok).toBe(false);
      expect(report.message).toMatch(new RegExp(`'${mutate}'|${mutate}`));
    }
  }, T);
});
