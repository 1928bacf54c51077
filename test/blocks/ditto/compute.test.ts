// ditto.compute: parameter rules, lint at defaults and extremes, weight-buffer inference
// (Yosys keeps one memory per weight copy), the cycle model against the PE model and its
// formulas, and every non-full cosimulation case of sim/cases/ditto/compute.ts (values
// against Y = D·W, cycles against sim/cycles/ditto/compute.ts), plus the throughput contract.
// DCGEN_FULL=1 also runs the `full` cases.
import { describe, expect, it } from 'vitest';
import { dittoComputeDesign } from '../../../generator/blocks/ditto/compute.ts';
import { computeLatency, computeParams, computeWeightBits } from '../../../generator/spec/ditto/compute.ts';
import { ParamRangeError, ParamRuleError } from '../../../generator/params/schema.ts';
import { computeCycles, computeTileCycles } from '../../../sim/cycles/ditto/compute.ts';
import { peCycles } from '../../../sim/cycles/ditto/pe.ts';
import { computeCases } from '../../../sim/cases/ditto/compute.ts';
import { caseParams, runCase } from '../../../sim/cases/case.ts';
import { coarseCells, dittoLintPoints, emitLintPoint, lintPointFailures } from '../../../sim/cases/ditto/lint.ts';
import { Rng } from '../../../sim/stimulus/rng.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';

function resolve(overrides: Record<string, unknown>) {
  return dittoComputeDesign.resolve(overrides);
}

describe('ditto.compute params', () => {
  it('rejects K beyond 65536, and rows/cols beyond their ranges', () => {
    expect(() => resolve({ kMax: 65537 })).toThrow(ParamRangeError);
    expect(() => resolve({ kMax: 0 })).toThrow(ParamRangeError);
    expect(() => resolve({ rows: computeParams.rows.max + 1 })).toThrow(ParamRangeError);
    expect(() => resolve({ cols: computeParams.cols.max + 1 })).toThrow(ParamRangeError);
    expect(() => resolve({ rows: computeParams.rows.max, cols: computeParams.cols.max })).not.toThrow();
  });
  it('wGroup must divide cols', () => {
    expect(() => resolve({ cols: 6, wGroup: 4 })).toThrow(ParamRuleError);
    expect(() => resolve({ cols: 6, wGroup: 3 })).not.toThrow();
    expect(() => resolve({ cols: 6, wGroup: 0 })).not.toThrow();
  });
  it('states its latency and weight-buffer cost', () => {
    expect(computeLatency(1)).toBe(3);
    expect(computeWeightBits({ rows: 2, cols: 4, kMax: 256 })).toBe(4 * 2 * 256 * 8 * 4);
  });
});

describe('ditto.compute lint', () => {
  for (const pt of dittoLintPoints.filter((x) => x.design === 'ditto.compute' && (FULL || !x.full))) {
    it(`clean: ${JSON.stringify(pt.params)}${pt.tools ? ' (no yosys)' : ''}`, async () => {
      expect(await lintPointFailures(emitLintPoint(pt.design, pt.params), pt.tools)).toEqual([]);
    }, T);
  }
  it('Yosys infers one memory per weight copy (4 per row and column group)', async () => {
    const cells = await coarseCells(emitLintPoint('ditto.compute', { rows: 2, cols: 4, wGroup: 2, kMax: 16, stages: 0 }));
    expect(cells['$mem_v2'], JSON.stringify(cells)).toBe(4 * 2 * 2);
  }, T);
});

describe('ditto.compute cycle model', () => {
  it('equals the PE model with one more stage once the weights are loaded', () => {
    const rng = new Rng(3);
    for (const stages of [0, 1, 3]) {
      const lasts = Array.from({ length: 400 }, () => rng.chance(0.2));
      lasts[lasts.length - 1] = true;
      const idle = (c: number) => (c * 7919) % 5 === 0;
      const stall = (c: number) => (c * 104729) % 3 === 0;
      // a one-beat load accepted in cycle 0: words from cycle 1 on, so shift the PE model by one cycle
      const m = computeCycles([true], [lasts], { stages }, (s, c) => (s === 'w' ? false : c === 0 || idle(c)), (_s, c) => stall(c));
      const pe = peCycles(lasts, stages + 1, (c) => c === 0 || idle(c), stall);
      expect(m.rows[0].accepted).toEqual(pe.accepted);
      expect(m.rows[0].emitted).toEqual(pe.emitted);
    }
  });
  it('free running: one word per cycle after the load, tile = Σ words + stages + 2', () => {
    const words = [3, 1, 7, 2, 5];
    const lasts = words.flatMap((n) => Array.from({ length: n }, (_, i) => i === n - 1));
    for (const stages of [0, 2]) {
      const m = computeCycles([false, false, true], [lasts], { stages });
      expect(m.wAccepted).toEqual([0, 1, 2]);
      expect(m.rows[0].accepted).toEqual(lasts.map((_, i) => 3 + i));
      const lastAccepts = m.rows[0].accepted.filter((_, i) => lasts[i]);
      expect(m.rows[0].emitted).toEqual(lastAccepts.map((c) => c + computeLatency(stages)));
      expect(m.rows[0].emitted.at(-1)! + 1 - m.rows[0].accepted[0]).toBe(computeTileCycles(words, stages));
    }
  });
});

describe('ditto.compute cosim', () => {
  for (const c of computeCases.filter((x) => FULL || !x.full)) {
    it(`${c.name}: values and cycles`, async () => {
      const r = await runCase(c);
      expect(r.ok, r.message).toBe(true);
      if (c.name === 'ditto.compute.free') {
        // throughput contract: after the load, each row takes a word every cycle, back to back
        // across vectors, and a vector's row leaves stages + 2 cycles after its last word
        const stim = c.stimulus(1);
        const latency = computeLatency(caseParams(c).stages as number);
        for (const row of [0, 1]) {
          const acc = r.seeds[0].accepted[`in${row}`];
          const loadEnd = r.seeds[0].accepted.w.at(-1)!;
          expect(acc[0]).toBe(loadEnd + 1);
          expect(acc.at(-1)! - acc[0]).toBe(acc.length - 1);
          const lastAccepts = acc.filter((_, i) => Number(stim.streams![`in${row}`][i].last) === 1);
          expect(r.seeds[0].transactions[`out${row}`].map((t) => t.cycle)).toEqual(lastAccepts.map((x) => x + latency));
        }
      }
    }, T);
  }
});
