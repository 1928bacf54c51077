// cmc.gemm: parameter rules; the block-stream golden against the matrix-level model; lint at
// the defaults and the edges; cosimulation of the cmc.gemm.* cases (sim/cases/cmc/gemm.ts:
// random, requantiser corners, reloads between rows, e = 1, U = KB = 1, long K) with stalls on
// every stream, the cycle model checked on every seed; free-running latency and throughput
// with Icarus as a second opinion.
import { describe, expect, it } from 'vitest';
import { NO_YOSYS, cosimCaseTests, designWorkspace, lintMatrixTests } from '../../support/blocks.ts';
import { cmcGemmDesign } from '../../../generator/blocks/cmc/gemm.ts';
import { ParamRuleError } from '../../../generator/params/schema.ts';
import type { LintTool } from '../../../eda/tools/lint.ts';
import { type GemmStimulus, gemmCases, gemmConfig, scenarioOrder } from '../../../sim/cases/cmc/gemm.ts';
import { generateCaseDesign } from '../../../sim/cases/case.ts';
import { gemmCycles } from '../../../sim/cycles/cmc/gemm.ts';
import { gemmLatency } from '../../../generator/spec/cmc/gemm.ts';
import { expectCosim } from '../../../sim/cosim/index.ts';
import { condensedGemm, gemmEngineStream, gemmLoadsBefore, gemmRowBeats, gemmWeightBeats } from '../../../sim/golden/cmc/gemm.ts';
import { Rng } from '../../../sim/stimulus/rng.ts';

const T = 300_000;
const ws = designWorkspace('cmc.gemm');

describe('cmc.gemm params and golden', () => {
  it('rejects k not a multiple of e, nOut not a multiple of B, too many tree stages, too many weight words', () => {
    const bad = (o: Record<string, unknown>) => () => cmcGemmDesign.resolve(o);
    expect(bad({ k: 18 })).toThrow(ParamRuleError);
    expect(bad({ elemsPerBeat: 8, k: 4 })).toThrow(ParamRuleError);
    expect(bad({ nOut: 6 })).toThrow(ParamRuleError);
    expect(bad({ elemsPerBeat: 4, stages: 4 })).toThrow(ParamRuleError);
    expect(bad({ elemsPerBeat: 4, stages: 3 })).not.toThrow();
    expect(bad({ elemsPerBeat: 1, k: 65536, cols: 1, nOut: 65536 })).toThrow(ParamRuleError);
    expect(bad({ elemsPerBeat: 1, cols: 1, k: 1, nOut: 1, stages: 1 })).not.toThrow();
  });

  it('the beat encoding and the engine stream give the matrix-level condensed GEMM', () => {
    const c = { e: 4, B: 2, K: 12, nOut: 6 };
    const rng = new Rng(3);
    const W = Array.from({ length: 12 }, () => Array.from({ length: 6 }, () => rng.int(-128, 127)));
    const X = [Array.from({ length: 5 }, () => Array.from({ length: 12 }, () => rng.int(-128, 127)))];
    const rq = { M: 1234, S: 13, zpOut: -3 };
    const w = gemmWeightBeats(W, c);
    expect(w.length).toBe(3 * 2 * 3);
    // beat (u, j, b) = (1, 0, 2) carries W[8 + kk][2]
    expect(w[(1 * 2 + 0) * 3 + 2]).toEqual({ d_0: W[8][2], d_1: W[9][2], d_2: W[10][2], d_3: W[11][2] });
    const x = X[0].flatMap((row, i) => gemmRowBeats(row, c, i, i === 4 ? 1 : 0));
    const out = gemmEngineStream(w, x, c, rq);
    const ref = condensedGemm(X, X[0].map((_, i) => ({ t: 0, i })), W, rq);
    expect(out.length).toBe(5 * 3);
    out.forEach((o, q) => {
      const r = Math.floor(q / 3);
      const u = q % 3;
      expect(o).toEqual({ y_0: ref[r].y[2 * u], y_1: ref[r].y[2 * u + 1], acc_0: ref[r].acc[2 * u], acc_1: ref[r].acc[2 * u + 1], entry: r, u, last: r === 4 ? 1 : 0 });
    });
    // a second load taking effect from row 2 on
    const W2 = W.map((row) => row.map((v) => -v - 1));
    const out2 = gemmEngineStream([...w, ...gemmWeightBeats(W2, c)], x, c, rq, [1, 1, 2, 2, 2]);
    const ref2 = condensedGemm(X, X[0].map((_, i) => ({ t: 0, i })), W2, rq);
    expect(out2.slice(0, 6)).toEqual(out.slice(0, 6));
    expect(out2[6].acc_0).toBe(ref2[2].acc[0]);
    expect(gemmLoadsBefore([0, 1, 2, 10, 11, 12], [3, 4, 5, 13, 14, 15], { e: 2, B: 1, K: 2, nOut: 3 })).toEqual([1, 2]);
  });
});

describe('cmc.gemm lint', () => {
  const matrix: [Record<string, unknown>, LintTool[]?][] = [
    [{}],
    [{ elemsPerBeat: 1, cols: 1, k: 1, nOut: 1, stages: 0, mulStages: 0, rqStages: 0, entryBits: 1 }],
    [{ elemsPerBeat: 1, cols: 1, k: 1, nOut: 1, stages: 1 }],
    [{ elemsPerBeat: 8, cols: 3, k: 8, nOut: 3, stages: 4 }],
    [{ elemsPerBeat: 3, cols: 5, k: 9, nOut: 10, stages: 3, entryBits: 24 }],
    [{ elemsPerBeat: 64, cols: 2, k: 128, nOut: 6, stages: 7 }, NO_YOSYS],
    [{ elemsPerBeat: 16, cols: 32, k: 4096, nOut: 256, stages: 0 }, NO_YOSYS],
  ];
  lintMatrixTests(ws, matrix, T);
});

describe('cmc.gemm cosim', () => {
  cosimCaseTests(gemmCases, T);

  it('reload: in every seed, rows with data see two or more different loads (a reload between rows takes effect only after it)', () => {
    const c = gemmCases.find((x) => x.name === 'cmc.gemm.reload')!;
    const conf = gemmConfig(c.params as Record<string, number>);
    for (const seed of [1, 2, 3]) {
      const stim = c.stimulus(seed) as GemmStimulus;
      const order = scenarioOrder(stim, conf, c.stalls!);
      const withData = order.slice(1); // row 0 is the all-zero row
      expect(new Set(withData).size).toBeGreaterThanOrEqual(2);
      expect(Math.min(...withData)).toBeGreaterThanOrEqual(1);
    }
  });

  it('free running: one x beat per cycle, out from the final beat + stages + 4 + mulStages + rqStages, w wins at cycle 0; Icarus agrees', async () => {
    const c = gemmCases.find((x) => x.name === 'cmc.gemm.random')!;
    const dir = generateCaseDesign(c);
    const conf = gemmConfig({});
    const rng = new Rng(9);
    const W = Array.from({ length: 16 }, () => Array.from({ length: 8 }, () => rng.int(-128, 127)));
    const w = gemmWeightBeats(W, conf);
    const x = Array.from({ length: 6 }, (_, i) => gemmRowBeats(Array.from({ length: 16 }, () => rng.int(-128, 127)), conf, i, i === 5 ? 1 : 0)).flat();
    const rq = { M: 777, S: 15, zpOut: 5 };
    const want = gemmEngineStream(w, x, conf, rq);
    const report = await expectCosim({ dir, seeds: [1], icarus: true, stimulus: () => ({ streams: { w, x }, rows: [{ m: rq.M, s: rq.S, zp: rq.zpOut }] }), golden: () => ({ streams: { out: want } }) });
    const s = report.seeds[0];
    expect(s.accepted.w).toEqual(Array.from({ length: 32 }, (_, k) => k));
    expect(s.accepted.x).toEqual(Array.from({ length: 48 }, (_, k) => 32 + k));
    const finals = s.accepted.x.filter((_, k) => k % 4 === 3);
    expect(s.transactions.out.map((t) => t.cycle)).toEqual(finals.map((cy) => cy + gemmLatency(conf)));
    expect(gemmLatency(conf)).toBe(1 + 4 + 1 + 1);
    const model = gemmCycles(w.length, x.length, conf);
    expect(model.accepted).toEqual({ w: s.accepted.w, x: s.accepted.x });
    expect(model.cycles).toBe(s.cycles);
  }, T);
});
