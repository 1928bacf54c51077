// ditto.pe: lint over a parameter matrix, and the cosimulation cases of sim/cases/ditto/pe.ts —
// every (nibble, sign, shift) × every weight on every slot, random accumulate/clear/drain
// sequences with wrap, random stalls, several seeds — against sim/golden/ditto/pe.ts, with
// every acceptance and output cycle checked against sim/cycles/ditto/pe.ts; plus the
// back-to-back throughput with Icarus agreeing. DCGEN_FULL=1 also runs the `full` cases.
import { describe, expect, it } from 'vitest';
import { designWorkspace, lintMatrixTests } from '../../support/blocks.ts';
import { peLatency } from '../../../generator/spec/ditto/pe.ts';
import { backToBackWords, peCases } from '../../../sim/cases/ditto/pe.ts';
import { caseParams, runCase } from '../../../sim/cases/case.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';
const ws = designWorkspace('ditto.pe');

describe('ditto.pe lint', () => {
  const matrix: Record<string, unknown>[] = [
    {},
    { stages: 0, accBits: 24 },
    { stages: 3, accBits: 48 },
    { stages: 1, accBits: 33 },
  ];
  lintMatrixTests(ws, matrix.map((cfg) => [cfg]), T);
});

describe('ditto.pe cosim', () => {
  for (const c of peCases.filter((x) => FULL || !x.full)) {
    it(`${c.name}: sums and cycles`, async () => {
      const r = await runCase(c);
      expect(r.ok, r.message).toBe(true);
    }, T);
  }

  it('back-to-back: one word per cycle, latency stages + 1, with the output always ready; Icarus agrees', async () => {
    const c = peCases.find((x) => x.name === 'ditto.pe.back_to_back')!;
    const report = await runCase(c, { icarus: true });
    expect(report.ok, report.message).toBe(true);
    const words = backToBackWords();
    const n = words.length;
    const acc = report.seeds[0].accepted.in;
    expect(acc.length).toBe(n);
    expect(acc[n - 1] - acc[0]).toBe(n - 1);
    const lastAccepts = acc.filter((_, i) => words[i].last === 1);
    const latency = peLatency(caseParams(c).stages as number);
    expect(report.seeds[0].transactions.out.map((t) => t.cycle)).toEqual(lastAccepts.map((cy) => cy + latency));
  }, T);
});
