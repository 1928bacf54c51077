// ditto.compute: parameter rules, the hierarchy (R instances r<r> of one row module, C PEs c<n>
// in it, the weight copies listed in mems.json at their paths in the rows), lint at defaults
// and extremes (and at banks = 2),
// weight-buffer inference (Yosys keeps one memory per weight copy, 2·kMax deep with two banks),
// the cycle model against the PE model and its formulas (and the per-bank gate), and every
// non-full cosimulation case of sim/cases/ditto/compute.ts (values against Y = D·W, cycles
// against sim/cycles/ditto/compute.ts), plus the throughput contracts (back to back words; a
// load of one bank overlapping the words of the other). DCGEN_FULL=1 also runs the `full` cases.
import { readFileSync, rmSync } from 'node:fs';
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dittoComputeDesign } from '../../../generator/blocks/ditto/compute.ts';
import { emitDesign } from '../../../generator/emit/design.ts';
import { computeLatency, computeParams, computeWeightBits } from '../../../generator/spec/ditto/compute.ts';
import { ParamRangeError, ParamRuleError } from '../../../generator/params/schema.ts';
import { computeCycles, computeTileCycles } from '../../../sim/cycles/ditto/compute.ts';
import { peCycles } from '../../../sim/cycles/ditto/pe.ts';
import { computeCases } from '../../../sim/cases/ditto/compute.ts';
import { caseParams, runCase } from '../../../sim/cases/case.ts';
import { dittoLintPoints, emitLintPoint, lintPointFailures } from '../../../sim/cases/ditto/lint.ts';
import { readDesignFolder } from '../../../generator/emit/manifest.ts';
import { requireTool } from '../../../eda/tools/which.ts';
import type { LintTool } from '../../../eda/tools/lint.ts';
import { Rng } from '../../../sim/stimulus/rng.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';

/**
 * Memories Yosys infers in the design of `dir` (`$mem_v2` cells after its coarse synthesis,
 * flattened): the weight copies sit two levels down (top → row → memory module), and Yosys
 * 0.23's `stat -json` of a hierarchy that deep is not valid JSON (it prints the text tree of
 * the submodule counts into it), so the design is flattened first.
 */
async function inferredMemories(dir: string): Promise<number> {
  const { manifest } = readDesignFolder(dir);
  const statPath = path.join(dir, 'coarse_flat_stat.json');
  const script = `read_verilog ${manifest.modules.map((m) => m.file).join(' ')}; synth -flatten -top ${manifest.top} -run begin:fine; tee -q -o coarse_flat_stat.json stat -json`;
  const r = await execa(await requireTool('yosys'), ['-q', '-p', script], { cwd: dir, reject: false, all: true, env: { LC_ALL: 'C' } });
  if (r.exitCode !== 0) throw new Error(`yosys failed: ${String(r.all)}`);
  const stat = JSON.parse(readFileSync(statPath, 'utf8')) as { modules: Record<string, { num_cells_by_type: Record<string, number> }> };
  rmSync(statPath);
  return stat.modules[`\\${manifest.top}`].num_cells_by_type.$mem_v2 ?? 0;
}

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
    expect(computeWeightBits({ rows: 2, cols: 4, kMax: 256, banks: 1 })).toBe(4 * 2 * 256 * 8 * 4);
    expect(computeWeightBits({ rows: 2, cols: 4, kMax: 256, banks: 2 })).toBe(2 * 4 * 2 * 256 * 8 * 4);
  });
  it('banks is 1 or 2, default 1', () => {
    expect(resolve({}).banks).toBe(1);
    expect(() => resolve({ banks: 0 })).toThrow(ParamRangeError);
    expect(() => resolve({ banks: 3 })).toThrow(ParamRangeError);
    expect(() => resolve({ banks: 2, rows: 1, cols: 1, kMax: 1 })).not.toThrow();
  });
});

describe('ditto.compute ports', () => {
  const ports = (params: Record<string, unknown>) =>
    dittoComputeDesign.build(resolve(params)).ir.ports.map((x: { name: string }) => x.name);
  it('banks = 1: no bank fields; banks = 2: w_b and in<r>_b', () => {
    const one = ports({ rows: 2 });
    expect(one.filter((n: string) => /_b$/.test(n))).toEqual([]);
    const two = ports({ rows: 2, banks: 2 });
    expect(two.filter((n: string) => /_b$/.test(n))).toEqual(['w_b', 'in0_b', 'in1_b']);
    expect(two.filter((n: string) => !/_b$/.test(n))).toEqual(one);
  });
});

describe('ditto.compute hierarchy', () => {
  const emit = (params: Record<string, unknown>) => {
    const p = resolve(params);
    return { p, ...emitDesign(dittoComputeDesign.build(p), { design: 'ditto.compute', params: p as Record<string, number | string> }) };
  };
  const instances = (text: string, module: string) => [...text.matchAll(new RegExp(`^  ${module} (\\w+) \\(`, 'gm'))].map((m) => m[1]);
  for (const params of [{ rows: 3, cols: 6, wGroup: 2, kMax: 12, stages: 3, banks: 2 }, { rows: 1, cols: 1, kMax: 1, stages: 0 }]) {
    it(`R rows r<r> of one row module, C PEs c<n> in the row: ${JSON.stringify(params)}`, () => {
      const { p, manifest, files } = emit(params);
      expect(manifest.modules.map((m) => m.name).filter((n) => n.startsWith('ditto_compute'))).toEqual(['ditto_compute_pe', 'ditto_compute_row', 'ditto_compute']);
      const top = files.get('ditto_compute.v')!;
      const row = files.get('ditto_compute_row.v')!;
      expect(instances(top, 'ditto_compute_row')).toEqual(Array.from({ length: p.rows }, (_, r) => `r${r}`));
      expect(instances(top, 'ditto_compute_pe')).toEqual([]);
      expect(instances(row, 'ditto_compute_pe')).toEqual(Array.from({ length: p.cols }, (_, n) => `c${n}`));
      // the weight copies live in the rows: 4 per row and column group, at <top>.r<r>.w<g>_s<i>_mem
      const mems = JSON.parse(files.get('ditto_compute.mems.json')!);
      const NG = p.cols / (p.wGroup || p.cols);
      expect(mems.modules).toHaveLength(1);
      expect(mems.modules[0].instances).toEqual(Array.from({ length: p.rows }, (_, r) => Array.from({ length: NG }, (_, g) => [0, 1, 2, 3].map((i) => `ditto_compute.r${r}.w${g}_s${i}_mem`))).flat(2));
      expect(mems.totalBits).toBe(computeWeightBits(p));
    });
  }
});

describe('ditto.compute lint', () => {
  for (const pt of dittoLintPoints.filter((x) => x.design === 'ditto.compute' && (FULL || !x.full))) {
    it(`clean: ${JSON.stringify(pt.params)}${pt.tools ? ' (no yosys)' : ''}`, async () => {
      expect(await lintPointFailures(emitLintPoint(pt.design, pt.params), pt.tools)).toEqual([]);
    }, T);
  }
  it('Yosys infers one memory per weight copy (4 per row and column group)', async () => {
    expect(await inferredMemories(emitLintPoint('ditto.compute', { rows: 2, cols: 4, wGroup: 2, kMax: 16, stages: 0 }))).toBe(4 * 2 * 2);
  }, T);
  // banks = 2, all three tools: the defaults, the smallest unit, a non-power-of-two kMax
  // (600-word copies at {k, bank}) and the largest kMax
  const bankPoints: { params: Record<string, unknown>; tools?: LintTool[]; full?: boolean }[] = [
    { params: { banks: 2 } },
    { params: { rows: 1, cols: 1, kMax: 1, stages: 0, banks: 2 } },
    { params: { rows: 3, cols: 6, wGroup: 2, kMax: 300, stages: 3, banks: 2 } },
    { params: { rows: 1, cols: 1, kMax: 65536, banks: 2 } },
  ];
  for (const pt of bankPoints.filter((x) => FULL || !x.full)) {
    it(`clean: ${JSON.stringify(pt.params)}${pt.tools ? ' (no yosys)' : ''}`, async () => {
      expect(await lintPointFailures(emitLintPoint('ditto.compute', pt.params), pt.tools)).toEqual([]);
    }, T);
  }
  it('banks = 2: still one memory per weight copy, 2·kMax words each (in <top>.mems.json)', async () => {
    const dir = emitLintPoint('ditto.compute', { rows: 2, cols: 4, wGroup: 2, kMax: 12, stages: 0, banks: 2 });
    expect(await inferredMemories(dir)).toBe(4 * 2 * 2);
    const mems = JSON.parse(readFileSync(path.join(dir, 'ditto_compute.mems.json'), 'utf8'));
    expect(mems.modules.map((x: { depth: number; width: number }) => [x.depth, x.width])).toEqual([[24, 16]]);
    expect(mems.totalBits).toBe(computeWeightBits({ rows: 2, cols: 4, kMax: 12, banks: 2 }));
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

describe('ditto.compute cycle model, two banks', () => {
  const lastsOf = (words: number[]) => words.flatMap((n) => Array.from({ length: n }, (_, i) => i === n - 1));
  it('a load of bank 1 overlaps words of bank 0; words of bank 1 wait for it', () => {
    const load = (bank: number, n: number) => Array.from({ length: n }, (_, i) => ({ last: i === n - 1, bank }));
    const tile = (bank: number, words: number[]) => lastsOf(words).map((last) => ({ last, bank }));
    const stages = 1;
    // bank 0: 3 beats (cycles 0..2), bank 1: 10 beats (3..12); row 0: 8 words of bank 0, then 4 of bank 1
    const m = computeCycles([...load(0, 3), ...load(1, 10)], [[...tile(0, [5, 3]), ...tile(1, [4])]], { stages });
    expect(m.wAccepted).toEqual(Array.from({ length: 13 }, (_, i) => i));
    // bank 0's words from cycle 3 on, back to back while bank 1 loads; bank 1's from cycle 13
    expect(m.rows[0].accepted).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16]);
    // the same with one bank: every word waits for the end of the whole load
    const one = computeCycles(Array.from({ length: 13 }, (_, i) => i === 12), [lastsOf([5, 3, 4])], { stages });
    expect(one.rows[0].accepted).toEqual(Array.from({ length: 12 }, (_, i) => 13 + i));
  });
  it('a reload closes only its own bank (a one-beat reload closes nothing)', () => {
    const w = [
      { last: true, bank: 0 },
      { last: true, bank: 1 },
      { last: false, bank: 0 },
      { last: false, bank: 0 },
      { last: true, bank: 0 },
      { last: true, bank: 1 },
    ];
    // words from cycle 2 on: bank 1, bank 0 (waits for the reload: loaded[0] = 0 in cycles 3 and 4), bank 1 ...
    const row = [
      { last: false, bank: 1 },
      { last: true, bank: 0 },
      { last: true, bank: 1 },
    ];
    const m = computeCycles(w, [row], { stages: 0 }, (s, c) => s === 'in0' && c < 3);
    expect(m.rows[0].accepted).toEqual([3, 5, 6]);
    expect(() => computeCycles([{ last: true, bank: 2 }], [[]], { stages: 0 })).toThrow(RangeError);
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
      if (c.name === 'ditto.compute.banks_free') {
        // double buffering: row 0's first tile (bank 0) starts the cycle after bank 0's load and
        // runs back to back while bank 1 loads (at least one word in the same cycle as a bank-1
        // weight beat); row 1 starts with bank 1, the cycle after its load
        const stim = c.stimulus(1);
        const w = stim.streams!.w;
        const wAcc = r.seeds[0].accepted.w;
        const end = (bank: number) => wAcc[w.findIndex((b) => Number(b.b) === bank && Number(b.last) === 1)];
        const bank1Cycles = new Set(wAcc.filter((_, i) => Number(w[i].b) === 1));
        const acc0 = r.seeds[0].accepted.in0;
        const tile0 = stim.streams!.in0.findIndex((b) => Number(b.b) !== 0);
        expect(acc0[0]).toBe(end(0) + 1);
        expect(acc0[tile0 - 1] - acc0[0]).toBe(tile0 - 1);
        expect(acc0.slice(0, tile0).some((x) => bank1Cycles.has(x))).toBe(true);
        expect(r.seeds[0].accepted.in1[0]).toBe(end(1) + 1);
      }
    }, T);
  }
});
