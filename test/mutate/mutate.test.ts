// `dcgen mutate` for real on common.adder_tree (n = 4, one register stage: 10 mutants, 8 run):
// a sensible case (random stalls on both streams, corner values) kills every valid mutant; a
// weak case without stalls lets the dropped register enables survive, listed with their lines,
// and the equivalents allowlist then reports them as equivalent. The weak runs reuse the
// Verilator builds of the first (the cache keys mutants by content), so they cost little.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args.ts';
import { mutateSpec, runMutateCommand } from '../../cli/mutate.ts';
import type { CosimCase } from '../../sim/cases/case.ts';
import { PARAMS, capture, golden, stimulus } from '../support/adder_case.ts';
import { type MutationReport, lintMutant } from '../../sim/mutate/run.ts';

const T = 240_000;

const SENSIBLE: CosimCase = { name: 'common.adder_tree.mutate_stalls', design: 'common.adder_tree', params: PARAMS, stimulus, golden, stalls: { inIdle: 0.3, outStall: 0.3 }, seeds: 2 };
// No stalls: out_ready is always high, so the pipeline enable is always 1.
const WEAK: CosimCase = { name: 'common.adder_tree.mutate_no_stalls', design: 'common.adder_tree', params: PARAMS, stimulus, golden, seeds: 1 };

async function mutate(argv: string[], cases: CosimCase[]) {
  const io = capture();
  const code = await runMutateCommand(parseArgs(mutateSpec, argv), io, { cases: async () => cases });
  return { code, out: io.text() };
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dcgen-mutate-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const readReport = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'common.adder_tree.json'), 'utf8')) as MutationReport;

describe('dcgen mutate common.adder_tree', () => {
  let first: MutationReport;

  it('--max 8: the case with stalls kills every valid mutant', async () => {
    const out = path.join(root, 'sensible');
    const r = await mutate(['common.adder_tree.mutate_stalls', '--max', '8', '--seed', '1', '--out', out], [SENSIBLE, WEAK]);
    expect(r.code, r.out).toBe(0);
    first = readReport(out);
    expect(first.found).toBe(10);
    expect(first.counts.run).toBe(8);
    expect(first.cases).toEqual(['common.adder_tree.mutate_stalls']);
    expect(first.counts.invalid).toBe(0);
    expect(first.counts.killed).toBe(first.counts.valid);
    expect(first.score).toBe(1);
    // every mutant has its own folder with manifest, filelist and the mutated line
    for (const m of first.mutants) {
      expect(existsSync(path.join(m.dir, 'manifest.json'))).toBe(true);
      expect(existsSync(path.join(m.dir, 'common_adder_tree.f'))).toBe(true);
      expect(readFileSync(path.join(m.dir, m.file), 'utf8').split('\n')[m.line - 1]).toBe(m.after);
      expect(m.killedBy?.case).toBe('common.adder_tree.mutate_stalls');
    }
    // the kinds are spread over the design (even sampling)
    expect(new Set(first.mutants.map((m) => m.kind))).toEqual(new Set(['operator', 'condition', 'enable', 'constant']));
    expect(r.out).toMatch(/^\[8\/8\] m\d{4} common_adder_tree\.v:\d+ .*: killed \(common\.adder_tree\.mutate_stalls seed \d: /m);
    expect(r.out).toMatch(/common\.adder_tree: mutation score 8\/8 = 100\.0% \(8 of 10 mutants run: 8 killed, 0 survived, 0 equivalent, 0 invalid\)/);
    // same seed, same sample
    const again = await mutate(['common.adder_tree', '--max', '8', '--seed', '1', '--out', path.join(root, 'again')], [SENSIBLE]);
    expect(again.code).toBe(0);
    expect(readReport(path.join(root, 'again')).mutants.map((m) => m.id)).toEqual(first.mutants.map((m) => m.id));
  }, T);

  it('a case without stalls lets the dropped enables survive; listed with file:line before -> after; exit 1', async () => {
    const out = path.join(root, 'weak');
    const r = await mutate(['common.adder_tree.mutate_no_stalls', '--max', '8', '--out', out], [SENSIBLE, WEAK]);
    const rep = readReport(out);
    const enables = rep.mutants.filter((m) => m.kind === 'enable');
    expect(enables.length).toBeGreaterThan(0);
    for (const m of enables) expect(m.status, `${m.file}:${m.line}`).toBe('survived');
    expect(rep.counts.survived).toBeGreaterThanOrEqual(enables.length);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Survivors \(\d+\): no case noticed these edits/);
    for (const m of enables) expect(r.out).toContain(`m${String(m.id).padStart(4, '0')} common_adder_tree.v:${m.line}: if (advance) begin  ->  if (1'b1) begin`);

    // declared equivalent for this test: shown with the reason, not counted as survivors
    const eq = path.join(root, 'eq.json');
    const reason = 'out_ready is always high in this test, so the pipeline always advances';
    writeFileSync(eq, JSON.stringify({ 'common.adder_tree': rep.mutants.filter((m) => m.status === 'survived').map((m) => ({ file: m.file, before: m.before.trim(), after: m.after.trim(), reason })) }));
    const r2 = await mutate(['common.adder_tree.mutate_no_stalls', '--max', '8', '--out', out, '--equivalents', eq], [SENSIBLE, WEAK]);
    expect(r2.code, r2.out).toBe(0);
    const rep2 = readReport(out);
    expect(rep2.counts.survived).toBe(0);
    expect(rep2.counts.equivalent).toBe(rep.counts.survived);
    expect(rep2.score).toBe(1);
    expect(r2.out).toContain(`(equivalent: ${reason})`);
  }, T);
});

describe('lintMutant', () => {
  it('accepts what compiles (default warnings, no -Wall) and names the first error of what does not', async () => {
    const dir = path.join(root, 'lint');
    mkdirSync(dir, { recursive: true });
    // unused input and a truncating assignment of a constant: fine without -Wall
    writeFileSync(path.join(dir, 'ok.v'), "module ok (input wire [3:0] a, input wire b, output wire [3:0] y);\n  assign y = a + 4'd1;\nendmodule\n");
    writeFileSync(path.join(dir, 'bad.v'), "module bad (input wire [3:0] a, output wire [3:0] y);\n  assign y = a + ;\nendmodule\n");
    expect(await lintMutant(dir, 'ok', ['ok.v'])).toBeUndefined();
    expect(await lintMutant(dir, 'bad', ['bad.v'])).toMatch(/^%Error: bad\.v:2/);
  }, T);
});
