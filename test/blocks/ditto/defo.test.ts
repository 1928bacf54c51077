// ditto.defo: lint at defaults and extremes, the table is one inferred memory, the cycle
// model's formulas, and every non-full cosimulation case of sim/cases/ditto/defo.ts (answers
// against sim/golden/ditto/defo.ts, cycles against sim/cycles/ditto/defo.ts).
// DCGEN_FULL=1 also runs the `full` cases.
import { describe, expect, it } from 'vitest';
import { dittoDefoDesign } from '../../../generator/blocks/ditto/defo.ts';
import { defoInitCycles } from '../../../generator/spec/ditto/defo.ts';
import { ParamRangeError } from '../../../generator/params/schema.ts';
import { defoCycles } from '../../../sim/cycles/ditto/defo.ts';
import { defoCases, defoGolden, stepField } from '../../../sim/cases/ditto/defo.ts';
import { runCase } from '../../../sim/cases/case.ts';
import { coarseCells, dittoLintPoints, emitLintPoint, lintPointFailures } from '../../../sim/cases/ditto/lint.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';

describe('ditto.defo params and step field', () => {
  it('ranges enforced', () => {
    expect(() => dittoDefoDesign.resolve({ entries: 0 })).toThrow(ParamRangeError);
    expect(() => dittoDefoDesign.resolve({ cycleBits: 15 })).toThrow(ParamRangeError);
    expect(dittoDefoDesign.resolve({}).entries).toBe(512);
  });
  it('step field: 0 = step 1, 1 = step 2, 2 and 3 = later', () => {
    expect([1, 2, 3, 4, 5, 6].map(stepField)).toEqual([0, 1, 2, 3, 2, 3]);
  });
  it('golden on the command stream: ties keep original data, saturation ties, a query at step 3 freezes', () => {
    const p = dittoDefoDesign.resolve({ entries: 4 });
    const op = (query: number, layer: number, step: number, cycles = 0) => ({ query, layer, step, cycles });
    const stim = {
      streams: {
        op: [
          op(0, 0, 0, 500), op(0, 0, 1, 500), op(1, 0, 2), // tie → 0
          op(0, 1, 0, 70000), op(0, 1, 1, 65535), op(1, 1, 3), // saturated tie → 0
          op(0, 2, 0, 501), op(0, 2, 1, 500), op(1, 2, 2), // act slower → 1
          op(0, 2, 0, 1), op(1, 2, 3), op(1, 2, 0), op(1, 2, 1), // frozen; steps 1/2 fixed
        ],
      },
    };
    expect(defoGolden(p)(stim).streams.mode.map((b) => b.diff)).toEqual([0, 0, 1, 1, 0, 1]);
  });
});

describe('ditto.defo lint', () => {
  for (const pt of dittoLintPoints.filter((x) => x.design === 'ditto.defo' && (FULL || !x.full))) {
    it(`clean: ${JSON.stringify(pt.params)}${pt.tools ? ' (no yosys)' : ''}`, async () => {
      expect(await lintPointFailures(emitLintPoint(pt.design, pt.params), pt.tools)).toEqual([]);
    }, T);
  }
  it('Yosys infers the table as one memory', async () => {
    const cells = await coarseCells(emitLintPoint('ditto.defo', { entries: 64 }));
    expect(cells['$mem_v2'], JSON.stringify(cells)).toBe(1);
  }, T);
});

describe('ditto.defo cycle model', () => {
  it('clear sweep of L cycles, then one command per cycle, answers two cycles later (registered table read)', () => {
    const r = defoCycles([true, false, true, true, false], 8);
    expect(defoInitCycles(8)).toBe(8);
    expect(r.accepted).toEqual([8, 9, 10, 11, 12]);
    expect(r.emitted).toEqual([10, 12, 13]);
  });
  it('a held answer stops the pipeline: the command behind it waits in the execute stage', () => {
    const r = defoCycles([true, true, false], 1, undefined, (c) => c === 3 || c === 4);
    expect(r.accepted).toEqual([1, 2, 5]);
    expect(r.emitted).toEqual([5, 6]);
  });
});

describe('ditto.defo cosim', () => {
  for (const c of defoCases.filter((x) => FULL || !x.full)) {
    it(`${c.name}: answers and cycles`, async () => {
      const r = await runCase(c);
      expect(r.ok, r.message).toBe(true);
    }, T);
  }
});
