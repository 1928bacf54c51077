// cmc.sad: lint at the defaults and at the extremes; cosimulation of the cmc.sad.* cases
// (sim/cases/cmc/sad.ts: passes n > m, n < m, n = m, e = m, real video) against the golden
// model with stalls and 3 seeds, and the cycle model checked on every seed; the default-size
// case (m = 256, P = 4) runs with DCGEN_FULL=1.
import { describe, expect, it } from 'vitest';
import { NO_YOSYS, cosimCaseTests, designWorkspace, lintMatrixTests } from '../../support/blocks.ts';
import { cmcSadDesign } from '../../../generator/blocks/cmc/sad.ts';
import { sadGeometry } from '../../../generator/spec/cmc/sad.ts';
import { ParamRuleError } from '../../../generator/params/schema.ts';
import type { LintTool } from '../../../eda/tools/lint.ts';
import { sadCases } from '../../../sim/cases/cmc/index.ts';
import { generateCaseDesign } from '../../../sim/cases/case.ts';
import { sadLatency } from '../../../generator/spec/cmc/sad.ts';
import { sadCycles, sadCyclesFree } from '../../../sim/cycles/cmc/sad.ts';
import { expectCosim, Rng } from '../../../sim/cosim/index.ts';
import { sadEngineStream, sadJobBeats } from '../../../sim/golden/cmc/sad.ts';

const T = 300_000;
const ws = designWorkspace('cmc.sad');

describe('cmc.sad params and geometry', () => {
  it('passes, last pass, beats per job, tree size, SAD width', () => {
    expect(sadGeometry({ m: 256, n: 768, elemsPerBeat: 16, elemBits: 8 })).toEqual({ passes: 3, r: 256, beatsPerPass: 16, lastBeat: 15, treeInputs: 256, sadBits: 18, beatsPerJob: 48 });
    expect(sadGeometry({ m: 8, n: 20, elemsPerBeat: 4, elemBits: 8 })).toMatchObject({ passes: 3, r: 4, lastBeat: 0, treeInputs: 8, sadBits: 13, beatsPerJob: 5 });
    expect(sadGeometry({ m: 8, n: 5, elemsPerBeat: 8, elemBits: 8 })).toMatchObject({ passes: 1, r: 5, treeInputs: 5, sadBits: 11, beatsPerJob: 1 });
  });
  it('rejects elemsPerBeat not dividing m, too wide ports, too many tree stages', () => {
    const bad = (o: Record<string, unknown>) => () => cmcSadDesign.resolve(o);
    expect(bad({ m: 256, elemsPerBeat: 24 })).toThrow(ParamRuleError);
    expect(bad({ m: 8, elemsPerBeat: 16 })).toThrow(ParamRuleError);
    expect(bad({ m: 1024, elemsPerBeat: 512, elemBits: 16 })).toThrow(ParamRuleError);
    expect(bad({ m: 8, n: 5, elemsPerBeat: 8, treeStages: 5 })).toThrow(ParamRuleError);
    expect(bad({ m: 8, n: 5, elemsPerBeat: 8, treeStages: 4 })).not.toThrow();
  });
});

describe('cmc.sad lint', () => {
  const matrix: [Record<string, unknown>, LintTool[]?][] = [
    [{}], // defaults: m 256, P 4, n 768, e 16 (Yosys takes ~40 s)
    [{ m: 1, n: 1, elemsPerBeat: 1, lanes: 1, elemBits: 1, treeStages: 0 }],
    [{ m: 8, n: 5, elemsPerBeat: 8, lanes: 3, signed: true, treeStages: 4 }],
    [{ m: 8, n: 20, elemsPerBeat: 2, lanes: 2, elemBits: 16, signed: true, treeStages: 1 }],
    [{ m: 1024, n: 65536, elemsPerBeat: 256, lanes: 2, elemBits: 16, treeStages: 11 }, NO_YOSYS],
    [{ m: 64, n: 64, elemsPerBeat: 64, lanes: 16, treeStages: 7 }, NO_YOSYS],
  ];
  lintMatrixTests(ws, matrix, T);
});

describe('cmc.sad cosim', () => {
  cosimCaseTests(sadCases, T);

  it('free running: one beat per cycle, a result every ceil(n/e) cycles, latency treeStages + 1; Icarus agrees', async () => {
    const c = sadCases.find((x) => x.name === 'cmc.sad.passes')!;
    const dir = generateCaseDesign(c);
    const cfg = { m: 8, lanes: 2, elemBits: 8, signed: false, n: 20, elemsPerBeat: 4 };
    const rng = new Rng(9);
    const jobs = Array.from({ length: 40 }, () => ({ ref: Array.from({ length: 20 }, () => rng.int(0, 255)), cands: [0, 1].map(() => Array.from({ length: 20 }, () => rng.int(0, 255))) }));
    const beats = jobs.flatMap((j) => sadJobBeats(j, cfg));
    const report = await expectCosim({ dir, seeds: [1], icarus: true, stimulus: () => ({ streams: { in: beats } }), golden: () => ({ streams: { out: sadEngineStream(beats, cfg) } }) });
    const s = report.seeds[0];
    expect(s.accepted.in).toEqual(beats.map((_, b) => b));
    expect(s.transactions.out.map((t) => t.cycle)).toEqual(jobs.map((_, k) => 5 * k + 4 + sadLatency({ treeStages: 1 })));
    expect(s.cycles).toBe(sadCyclesFree(40, { n: 20, elemsPerBeat: 4, treeStages: 1 }));
    expect(sadCycles(40, { n: 20, elemsPerBeat: 4, treeStages: 1 }).cycles).toBe(s.cycles);
  }, T);
});
