// ditto.vpu: parameter rules, the table the RTL holds is the golden model's, lint at defaults
// and extremes, the Y buffer is one inferred memory, the cycle model's formulas, and every
// non-full cosimulation case of sim/cases/ditto/vpu.ts (values against sim/golden/ditto/vpu.ts,
// cycles against sim/cycles/ditto/vpu.ts). DCGEN_FULL=1 also runs the `full` cases.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dittoVpuDesign } from '../../../generator/blocks/ditto/vpu.ts';
import { VPU_LATENCY, vpuLatency, vpuTable } from '../../../generator/spec/ditto/vpu.ts';
import { ParamRangeError, ParamRuleError } from '../../../generator/params/schema.ts';
import { activationTable, lookup, requantize } from '../../../sim/golden/ditto/vpu.ts';
import { vpuCycles } from '../../../sim/cycles/ditto/vpu.ts';
import { REQUANT_EDGES, vpuCases } from '../../../sim/cases/ditto/vpu.ts';
import { runCase } from '../../../sim/cases/case.ts';
import { coarseCells, dittoLintPoints, emitLintPoint, lintPointFailures } from '../../../sim/cases/ditto/lint.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';

function resolve(overrides: Record<string, unknown>) {
  return dittoVpuDesign.resolve(overrides);
}

describe('ditto.vpu params and table', () => {
  it('entries must be a multiple of lanes; ranges enforced', () => {
    expect(() => resolve({ lanes: 3, entries: 10 })).toThrow(ParamRuleError);
    expect(() => resolve({ lanes: 3, entries: 9 })).not.toThrow();
    expect(() => resolve({ lanes: 17 })).toThrow(ParamRangeError);
    expect(() => resolve({ act: 'tanh' })).toThrow(/act/);
  });
  it('the generator table is activationTable of the same spec (identity at unit scales)', () => {
    const p = resolve({ act: 'gelu', actInScale: 64, actOutScale: 48, actOutZero: 10 });
    expect(vpuTable(p)).toEqual(activationTable({ kind: 'gelu', sIn: 64 / 1024, sOut: 48 / 1024, zpIn: 0, zpOut: 10 }));
    const id = vpuTable(resolve({}));
    for (let c = -128; c <= 127; c++) expect(lookup(id, c)).toBe(c);
  });
  it('the directed requantiser points cover S = 0, S = 40, M = 0, M = 65535, both clamps and negative halves', () => {
    const ys = REQUANT_EDGES.map(([Y, M, S, zp]) => requantize(Y, { M, S, zpOut: zp }));
    expect(ys).toContain(127);
    expect(ys).toContain(-128);
    expect(REQUANT_EDGES.some(([, , S]) => S === 0)).toBe(true);
    expect(REQUANT_EDGES.some(([, , S]) => S === 40)).toBe(true);
    expect(REQUANT_EDGES.some(([, M]) => M === 0)).toBe(true);
    expect(REQUANT_EDGES.some(([, M]) => M === 65535)).toBe(true);
    expect(REQUANT_EDGES.some(([Y, M, S]) => S > 0 && Y * M < 0 && (BigInt(Y * M) & ((1n << BigInt(S)) - 1n)) === 1n << BigInt(S - 1))).toBe(true);
  });
  it('the ROM in the Verilog holds the table', () => {
    const dir = emitLintPoint('ditto.vpu', { lanes: 1, entries: 2, act: 'silu', actInScale: 40, actOutScale: 40 });
    const text = readFileSync(path.join(dir, 'ditto_vpu.v'), 'utf8');
    expect(text).toMatch(/case \(/);
  });
});

describe('ditto.vpu lint', () => {
  for (const pt of dittoLintPoints.filter((x) => x.design === 'ditto.vpu' && (FULL || !x.full))) {
    it(`clean: ${JSON.stringify(pt.params)}${pt.tools ? ' (no yosys)' : ''}`, async () => {
      expect(await lintPointFailures(emitLintPoint(pt.design, pt.params), pt.tools)).toEqual([]);
    }, T);
  }
  it('Yosys infers the Y buffer as one memory (and each lane\'s table as a ROM; an identity table is none)', async () => {
    const cells = await coarseCells(emitLintPoint('ditto.vpu', { lanes: 2, entries: 32, act: 'relu' }));
    expect(cells['$mem_v2'], JSON.stringify(cells)).toBe(1 + 2);
    const id = await coarseCells(emitLintPoint('ditto.vpu', { lanes: 2, entries: 32 }));
    expect(id['$mem_v2'], JSON.stringify(id)).toBe(1);
  }, T);
});

describe('ditto.vpu cycle model', () => {
  it('free running: latency 4 + rqStages (6 at the default), one beat per cycle', () => {
    expect(VPU_LATENCY).toBe(6);
    for (const rq of [0, 1, 2]) {
      const r = vpuCycles(10, undefined, undefined, vpuLatency(rq));
      expect(r.accepted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(r.emitted).toEqual(r.accepted.map((c) => c + 4 + rq));
      expect(r.cycles).toBe(10 + 4 + rq);
    }
  });
  it('a stalled output holds the pipeline: no beat is lost, in order', () => {
    const r = vpuCycles(6, undefined, (c) => c >= 7 && c < 11);
    expect(r.emitted).toEqual([6, 11, 12, 13, 14, 15]);
    expect(r.accepted).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('ditto.vpu cosim', () => {
  for (const c of vpuCases.filter((x) => FULL || !x.full)) {
    it(`${c.name}: values and cycles`, async () => {
      const r = await runCase(c);
      expect(r.ok, r.message).toBe(true);
      if (c.name === 'ditto.vpu.free') {
        const acc = r.seeds[0].accepted.in;
        expect(acc.at(-1)! - acc[0]).toBe(acc.length - 1);
        expect(r.seeds[0].transactions.out.map((t) => t.cycle)).toEqual(acc.map((x) => x + VPU_LATENCY));
      }
    }, T);
  }
});
