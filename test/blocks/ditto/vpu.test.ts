// ditto.vpu: parameter rules, the table the RTL holds is the golden model's, lint at defaults
// and extremes (and with loadable tables), the Y buffer is one inferred memory and each lane's
// loadable tables one more (macro-ready, in mems.json), the cycle model's formulas (table writes
// take a slot and never block), and every non-full cosimulation case of sim/cases/ditto/vpu.ts
// (values against sim/golden/ditto/vpu.ts, cycles against sim/cycles/ditto/vpu.ts).
// DCGEN_FULL=1 also runs the `full` cases.
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
import type { LintTool } from '../../../eda/tools/lint.ts';

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
  it('tables: 0..8; with tables >= 1 act and the act* scales must keep their defaults', () => {
    expect(resolve({}).tables).toBe(0);
    expect(() => resolve({ tables: 9 })).toThrow(ParamRangeError);
    expect(() => resolve({ tables: -1 })).toThrow(ParamRangeError);
    expect(() => resolve({ tables: 8, lanes: 3, entries: 9, rqStages: 0 })).not.toThrow();
    expect(() => resolve({ tables: 2, act: 'relu' })).toThrow(ParamRuleError);
    expect(() => resolve({ tables: 1, actOutZero: 3 })).toThrow(/actOutZero/);
    expect(() => resolve({ tables: 0, act: 'relu', actOutZero: 3 })).not.toThrow();
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

/** Loadable-table points: T = 1, 2, 3, 8 (tsel 1..3 bits, memory depths 256..2048), every rqStages. */
const TABLE_LINT_POINTS: { design: string; params: Record<string, unknown>; full?: boolean; tools?: LintTool[] }[] = [
  { design: 'ditto.vpu', params: { tables: 1 } },
  { design: 'ditto.vpu', params: { tables: 2, rqStages: 1 } },
  { design: 'ditto.vpu', params: { tables: 3, lanes: 1, entries: 1, rqStages: 0 } },
  { design: 'ditto.vpu', params: { tables: 8, lanes: 16, entries: 65536 }, full: true, tools: ['verilator', 'iverilog'] },
];

describe('ditto.vpu lint', () => {
  for (const pt of [...dittoLintPoints, ...TABLE_LINT_POINTS].filter((x) => x.design === 'ditto.vpu' && (FULL || !x.full))) {
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
  it('loadable tables: one (256·T) x 8 memory per lane (1 write port, 1 synchronous read port: macro-ready), no ROM; the read register is the y output', async () => {
    const dir = emitLintPoint('ditto.vpu', { lanes: 3, entries: 12, tables: 2 });
    const cells = await coarseCells(dir);
    expect(cells['$mem_v2'], JSON.stringify(cells)).toBe(1 + 3);
    const mems = JSON.parse(readFileSync(path.join(dir, 'ditto_vpu.mems.json'), 'utf8')) as unknown;
    const text = JSON.stringify(mems);
    expect(text).toContain('dcgen_mem_512x8_1r1w_r1');
    for (const j of [0, 1, 2]) expect(text).toContain(`tab${j}`);
    const v = readFileSync(path.join(dir, 'ditto_vpu.v'), 'utf8');
    expect(v).not.toMatch(/case \(/);
    for (const j of [0, 1, 2]) expect(v).toMatch(new RegExp(`\\.rdata\\(s4_y${j}\\)`));
    expect(v).toMatch(/input\s+wire in_op,/);
    expect(v).toMatch(/input\s+wire in_tsel,/);
    expect(v).toMatch(/input\s+wire \[7:0\] in_ti,/);
    expect(v).toMatch(/input\s+wire signed \[7:0\] in_tv,/);
    const t5 = readFileSync(path.join(emitLintPoint('ditto.vpu', { lanes: 1, entries: 1, tables: 5 }), 'ditto_vpu.v'), 'utf8');
    expect(t5).toMatch(/input\s+wire \[2:0\] in_tsel,/);
    expect(t5).toContain('dcgen_mem_1280x8_1r1w_r1');
  }, T);
  it('tables = 0: no table ports, the Verilog of the fixed table as before (a ROM for a non-identity table)', () => {
    const v = readFileSync(path.join(emitLintPoint('ditto.vpu', { lanes: 2, entries: 4, act: 'relu' }), 'ditto_vpu.v'), 'utf8');
    expect(v).not.toMatch(/in_op|in_tsel|in_ti|in_tv|tab_we/);
    expect(v).toMatch(/case \(/);
  });
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
  it('table writes take a slot (one beat per cycle) but leave no output beat; all-vector flags are the plain model', () => {
    const flags = [true, false, false, true, false, true];
    const r = vpuCycles(flags, undefined, undefined, vpuLatency(2));
    expect(r.accepted).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.emitted).toEqual([6, 9, 11]);
    // done when the last output left, even with table writes still inside
    expect(vpuCycles([true, false, false], undefined, undefined, 6).cycles).toBe(7);
    expect(vpuCycles([false, false], undefined, undefined, 6)).toEqual({ accepted: [0, 1], emitted: [], cycles: 2 });
    const stall = (c: number) => c % 3 !== 0;
    expect(vpuCycles([true, true, true, true], undefined, stall, 4)).toEqual(vpuCycles(4, undefined, stall, 4));
  });
  it('a table write in the last register does not block under a stalled output; a vector beat does', () => {
    // output never ready: the pipeline fills with the vector beats only; table writes pass through
    const stall = (c: number) => c < 40;
    const w = vpuCycles([false, false, false, false, false, false, false, false, true], undefined, stall, 6);
    expect(w.accepted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(w.emitted).toEqual([40]);
    // six vector beats fill the six registers: the seventh (a table write) waits for the output
    const v = vpuCycles([true, true, true, true, true, true, false, true], undefined, stall, 6);
    expect(v.accepted.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(v.accepted[6]).toBe(40);
    expect(v.emitted.slice(0, 6)).toEqual([40, 41, 42, 43, 44, 45]);
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
      if (c.name === 'ditto.vpu.tables2_free') {
        // table writes and vector beats back to back at full rate; only vector beats leave
        const acc = r.seeds[0].accepted.in;
        expect(acc.at(-1)! - acc[0]).toBe(acc.length - 1);
        const beats = c.stimulus(r.seeds[0].seed).streams!.in!;
        expect(beats.some((b) => b.op === 1)).toBe(true);
        const vectorAcc = acc.filter((_, i) => beats[i].op === 0);
        expect(r.seeds[0].transactions.out.map((t) => t.cycle)).toEqual(vectorAcc.map((x) => x + VPU_LATENCY));
      }
    }, T);
  }
});
