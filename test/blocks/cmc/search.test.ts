// cmc.search: lint at the defaults and extremes; cosimulation of the cmc.search.* cases
// (sim/cases/cmc/search.ts: real search windows incl. grid corners, ties, SADmin at Thr and
// Thr − 1, tokens without candidates, real-video SADs) with stalls and 3 seeds, the cycle model
// checked on every seed; free-running throughput and latency with Icarus as a second opinion.
import { describe, expect, it } from 'vitest';
import { cosimCaseTests, designWorkspace, lintMatrixTests } from '../../support/blocks.ts';
import { cmcSearchDesign } from '../../../generator/blocks/cmc/search.ts';
import { ParamRuleError } from '../../../generator/params/schema.ts';
import type { LintTool } from '../../../eda/tools/lint.ts';
import { searchCases } from '../../../sim/cases/cmc/index.ts';
import { generateCaseDesign } from '../../../sim/cases/case.ts';
import { searchLatency } from '../../../generator/spec/cmc/search.ts';
import { searchCycles, searchCyclesFree } from '../../../sim/cycles/cmc/search.ts';
import { expectCosim } from '../../../sim/cosim/index.ts';
import { searchStream, searchTokenBeats } from '../../../sim/golden/cmc/search.ts';

const T = 300_000;
const ws = designWorkspace('cmc.search');

describe('cmc.search lint', () => {
  it('rejects more argmin stages than levels + 1', () => {
    expect(() => cmcSearchDesign.resolve({ lanes: 4, stages: 4 })).toThrow(ParamRuleError);
  });
  const matrix: [Record<string, unknown>, LintTool[]?][] = [
    [{}],
    [{ lanes: 1, stages: 0, sadBits: 1, jBits: 1 }],
    [{ lanes: 5, stages: 4 }],
    [{ lanes: 16, stages: 5, sadBits: 24, jBits: 10 }],
    [{ lanes: 64, stages: 7, sadBits: 40, jBits: 16 }, ['verilator', 'iverilog']], // Yosys ~25 s here
  ];
  lintMatrixTests(ws, matrix, T);
});

describe('cmc.search cosim', () => {
  cosimCaseTests(searchCases, T);

  it('every case opens with the directed post-reset tokens (empty, then all-maximum SADs)', () => {
    // an empty first token exposes a wrong reset of the running minimum (all ones: any other
    // reset value, or none, would show up as the result instead of all ones)
    for (const c of searchCases) {
      const p = cmcSearchDesign.resolve(c.params ?? {});
      const cfg = { lanes: Number(p.lanes), sadBits: Number(p.sadBits), jBits: Number(p.jBits) };
      const stim = c.stimulus(1);
      const out = searchStream(stim.streams!.in!, Number(stim.rows![0].thr), cfg);
      expect(Number(stim.streams!.in![0].keep), c.name).toBe(0);
      expect(out[0], c.name).toEqual({ informative: 1, jstar: 2 ** cfg.jBits - 1, sadmin: 2 ** cfg.sadBits - 1 });
      expect(out[1].sadmin, c.name).toBe(2 ** cfg.sadBits - 1);
    }
  });

  it('free running: one beat per cycle, latency stages + 1; Icarus agrees', async () => {
    const c = searchCases.find((x) => x.name === 'cmc.search.default')!;
    const dir = generateCaseDesign(c);
    const cfg = { lanes: 4, sadBits: 18, jBits: 8 };
    // tokens of 1..3 beats; ties across beats (SAD 7 at j 2 and j 9) and within a beat
    const tokens = [
      [{ sad: 7, j: 2 }, { sad: 9, j: 3 }, { sad: 8, j: 4 }, { sad: 7, j: 5 }, { sad: 7, j: 9 }],
      [{ sad: 0, j: 0 }],
      [{ sad: 5, j: 1 }, { sad: 5, j: 2 }, { sad: 5, j: 3 }, { sad: 5, j: 4 }, { sad: 4, j: 5 }, { sad: 4, j: 6 }, { sad: 9, j: 7 }, { sad: 4, j: 8 }, { sad: 3, j: 200 }],
    ];
    const beats = tokens.flatMap((p) => searchTokenBeats(p, cfg));
    const thr = 4;
    const want = searchStream(beats, thr, cfg);
    expect(want).toEqual([
      { informative: 1, jstar: 2, sadmin: 7 },
      { informative: 0, jstar: 0, sadmin: 0 },
      { informative: 0, jstar: 200, sadmin: 3 },
    ]);
    const report = await expectCosim({ dir, seeds: [1], icarus: true, stimulus: () => ({ streams: { in: beats }, rows: [{ thr }] }), golden: () => ({ streams: { out: want } }) });
    const s = report.seeds[0];
    expect(s.accepted.in).toEqual(beats.map((_, b) => b));
    const lastBeats = beats.map((b, k) => (b.last ? k : -1)).filter((k) => k >= 0);
    expect(s.transactions.out.map((t) => t.cycle)).toEqual(lastBeats.map((k) => k + searchLatency({ stages: 2 })));
    expect(s.cycles).toBe(searchCyclesFree(beats.length, 2));
    expect(searchCycles(beats.map((b) => b.last === 1), 2).cycles).toBe(s.cycles);
  }, T);
});
