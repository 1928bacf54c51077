// `dcgen regress --merge-junit` on real shard files: the eight `common.abs_diff.*` cases run as
// shards 1/3, 2/3, 3/3 and unsharded (`node bin/dcgen.mjs`, Verilator builds from the shared cache);
// the merge must equal the unsharded run's case list, and overlapping, missing, foreign and
// unreadable shard files are refused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args.ts';
import { regressSpec } from '../../cli/regress.ts';
import { sweepSpec } from '../../cli/synth.ts';
import { type CaseResult, junitXml, mergeShardFiles, readShardFile, regressProperties, selectionDigest, shardSize } from '../../sim/regress/index.ts';
import { type Run, dcgen, expectUserError, tempRoot } from '../support/cli.ts';
import { all, parseXml } from './xml.ts';

const T = 240_000;
const FILTER = 'common.abs_diff*';
const root = tempRoot('dcgen-regress-merge-');
const at = (f: string) => path.join(root, f);

function run(args: string[]): Promise<Run> {
  return dcgen(args, { cwd: root, env: { CI: 'true' } });
}
const merge = (files: string[], out: string) => run(['regress', '--merge-junit', ...files.map(at), '--out', at(out)]);

interface Doc {
  suite: Record<string, string>;
  cases: { name: string; status: string }[];
  props: [string, string][];
}
function read(file: string): Doc {
  const doc = parseXml(readFileSync(at(file), 'utf8'));
  const status = (c: ReturnType<typeof all>[number]) => (c.children.some((x) => x.name === 'failure') ? 'failed' : c.children.some((x) => x.name === 'error') ? 'error' : 'passed');
  return {
    suite: all(doc, 'testsuite')[0]!.attrs,
    cases: all(doc, 'testcase').map((c) => ({ name: `${c.attrs.classname}.${c.attrs.name}`, status: status(c) })),
    props: all(doc, 'property').map((p) => [p.attrs.name!, p.attrs.value!]),
  };
}

const SHARDS = ['s1.xml', 's2.xml', 's3.xml'];

beforeAll(async () => {
  // The shards and the unsharded run side by side, each in its own work folder.
  const runs = await Promise.all([
    ...[1, 2, 3].map((k) => run(['regress', '--filter', FILTER, '--shard', `${k}/3`, '--junit', at(`s${k}.xml`), '--out', at(`work${k}`)])),
    run(['regress', '--filter', FILTER, '--junit', at('whole.xml'), '--out', at('work0')]),
  ]);
  for (const r of runs) expect(r.code, r.stdout + r.stderr).toBe(0);
}, T);

describe('shard files record the selection', () => {
  it('shard k/n, the filter, full, and the selection before sharding (count and digest)', () => {
    const s2 = read('s2.xml');
    const whole = read('whole.xml');
    const names = whole.cases.map((c) => c.name);
    expect(names.length).toBe(8);
    expect(s2.props).toEqual(
      expect.arrayContaining([
        ['shard', '2/3'],
        ['filter', FILTER],
        ['full', 'false'],
        ['selection.cases', '8'],
        ['selection.sha256', selectionDigest(names)],
      ]),
    );
    // the unsharded run records the same selection and no shard
    expect(whole.props.filter(([k]) => k.startsWith('selection.'))).toEqual(s2.props.filter(([k]) => k.startsWith('selection.')));
    expect(whole.props.some(([k]) => k === 'shard')).toBe(false);
    // each shard holds its share: 3, 3, 2
    expect(SHARDS.map((f) => read(f).cases.length)).toEqual([1, 2, 3].map((k) => shardSize(8, { k, n: 3 })));
    expect([shardSize(8, { k: 3, n: 3 }), shardSize(2, { k: 3, n: 3 }), shardSize(0, { k: 1, n: 1 })]).toEqual([2, 0, 0]);
  });
});

describe('dcgen regress --merge-junit', () => {
  it('the merge of shards 1..3 equals the unsharded run: names, order, statuses; totals recomputed', async () => {
    const r = await merge(SHARDS, 'all.xml');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^dcgen regress --merge-junit: 3 files, shards of 3, 8 selected cases$/m);
    expect(r.stdout).toMatch(/^ {2}shard 2\/3 {2}.*s2\.xml {2}3 cases$/m);
    expect(r.stdout).toMatch(/^all 8 cases passed$/m);
    const merged = read('all.xml');
    const whole = read('whole.xml');
    expect(merged.cases).toEqual(whole.cases);
    expect(SHARDS.flatMap((f) => read(f).cases.map((c) => c.name)).sort()).toEqual(whole.cases.map((c) => c.name));
    expect(merged.suite).toMatchObject({ name: 'dcgen.regress', tests: '8', failures: '0', errors: '0' });
    const times = SHARDS.map((f) => Number(read(f).suite.time));
    expect(Number(merged.suite.time)).toBeCloseTo(times.reduce((a, b) => a + b, 0), 3);
    expect(merged.props).toEqual(
      expect.arrayContaining([
        ['simulator', 'verilator'],
        ['filter', FILTER],
        ['merged.shards', '3'],
        ...whole.props.filter(([k]) => k.startsWith('selection.')),
      ]),
    );
    expect(merged.props.some(([k]) => k === 'shard' || k === 'jobs')).toBe(false);
    // a merged file reads as a whole run: it merges (alone) into itself
    const again = await merge(['all.xml'], 'again.xml');
    expect(again.code, again.stdout).toBe(0);
    expect(read('again.xml').cases).toEqual(whole.cases);
  }, T);

  it('overlap: the same shard twice is refused with exit 1, the shard and its cases named, nothing written', async () => {
    const r = await merge(['s1.xml', 's1.xml', 's2.xml', 's3.xml'], 'overlap.xml');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('cannot merge: the files do not hold every selected case exactly once:');
    expect(r.stdout).toMatch(/^ {2}- shard 1\/3 is given 2 times: '.*s1\.xml', '.*s1\.xml'$/m);
    const s1 = read('s1.xml').cases.map((c) => c.name);
    expect(r.stdout).toContain(`3 cases are in more than one file`);
    expect(r.stdout).toContain(s1.join(', '));
    expect(r.stdout).toMatch(/nothing written to .*overlap\.xml$/m);
    expect(existsSync(at('overlap.xml'))).toBe(false);
  }, T);

  it('missing: a shard left out is refused with exit 1, its cases named, nothing written', async () => {
    const r = await merge(['s1.xml', 's3.xml'], 'missing.xml');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const s2 = read('s2.xml').cases.map((c) => c.name);
    expect(r.stdout).toMatch(/^ {2}- shard 2\/3 is missing: no file holds it \(3 cases: (.*)\)$/m);
    expect(/shard 2\/3 is missing: no file holds it \(3 cases: (.*)\)$/m.exec(r.stdout)![1]).toBe(s2.join(', '));
    expect(existsSync(at('missing.xml'))).toBe(false);
  }, T);

  it('a case missing from a shard file, and a failed case (merged, exit 1, totals counted)', async () => {
    const s2 = readFileSync(at('s2.xml'), 'utf8');
    const cases = read('s2.xml').cases.map((c) => c.name);
    const lines = s2.split('\n');
    // drop the second test case and fix the counts: the file is well formed but a case is gone
    const dropped = lines.filter((l) => !l.includes(`name="${cases[1]!.slice('common.abs_diff.'.length)}"`)).join('\n').replace(/tests="3"/g, 'tests="2"');
    writeFileSync(at('s2-short.xml'), dropped);
    const r = await merge(['s1.xml', 's2-short.xml', 's3.xml'], 'short.xml');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/'.*s2-short\.xml' \(shard 2\/3\) holds 2 cases; shard 2\/3 of the 8 selected cases has 3/);
    expect(r.stdout).toContain(`1 case of the selection is in no file: ${cases[1]} (shard 2/3)`);
    expect(existsSync(at('short.xml'))).toBe(false);

    // a failure: the merge is written, counts it, names it, and exits 1
    const short = cases[0]!.slice('common.abs_diff.'.length);
    const failed = s2
      .replace(new RegExp(`(<testcase classname="common\\.abs_diff" name="${short}" time="[0-9.]+")/>`), '$1>\n      <failure message="seed 2: mismatch &amp; more" type="cosim">report</failure>\n    </testcase>')
      .replace(/failures="0"/g, 'failures="1"');
    writeFileSync(at('s2-failed.xml'), failed);
    const f = await merge(['s1.xml', 's2-failed.xml', 's3.xml'], 'failed.xml');
    expect(f.code, f.stdout + f.stderr).toBe(1);
    expect(f.stdout).toContain(`FAIL  ${cases[0]}: seed 2: mismatch & more`);
    expect(f.stdout).toMatch(/^7 of 8 cases passed, 1 failed$/m);
    const doc = read('failed.xml');
    expect(doc.suite).toMatchObject({ tests: '8', failures: '1', errors: '0' });
    expect(doc.cases.find((c) => c.name === cases[0])!.status).toBe('failed');
    expect(all(parseXml(readFileSync(at('failed.xml'), 'utf8')), 'failure')[0]!.text).toBe('report');
  }, T);

  it('files of different runs, unreadable or foreign files, and bad options: exit 2, one error line', async () => {
    const s2 = readFileSync(at('s2.xml'), 'utf8');
    writeFileSync(at('s2-of-4.xml'), s2.replace('value="2/3"', 'value="2/4"'));
    writeFileSync(at('s2-icarus.xml'), s2.replace('value="verilator"', 'value="icarus"'));
    writeFileSync(at('s2-old.xml'), s2.replace(/ *<property name="selection\.[^\n]*\n/g, ''));
    writeFileSync(at('s2-cut.xml'), s2.slice(0, s2.length - 40));
    writeFileSync(at('notes.txt'), 'hello\n');
    writeFileSync(at('vitest.xml'), '<?xml version="1.0"?>\n<testsuites><testsuite name="vitest" tests="0"/></testsuites>\n');
    const runs = await Promise.all([
      merge(['s1.xml', 's2-of-4.xml', 's3.xml'], 'x.xml'),
      merge(['s1.xml', 's2-icarus.xml', 's3.xml'], 'x.xml'),
      merge(['s1.xml', 's2-old.xml', 's3.xml'], 'x.xml'),
      merge(['s1.xml', 's2-cut.xml', 's3.xml'], 'x.xml'),
      merge(['s1.xml', 'notes.txt'], 'x.xml'),
      merge(['s1.xml', 'vitest.xml'], 'x.xml'),
      merge(['s1.xml', 'no-such.xml'], 'x.xml'),
      run(['regress', '--merge-junit', at('s1.xml')]),
      run(['regress', '--merge-junit', at('s1.xml'), '--out', at('x.xml'), '--filter', 'common*']),
      run(['regress', '--merge-junit', '--out', at('x.xml')]),
      merge(['s1.xml', 's2.xml', 's3.xml'], 'work1'), // a folder
    ]);
    expectUserError(runs[0]!, /s2-of-4\.xml' is not a shard of the same regression as '.*s1\.xml': shard count 4 there, 3 here/);
    expectUserError(runs[1]!, /s2-icarus\.xml' is not a shard of the same regression .*: simulator icarus there, verilator here/);
    expectUserError(runs[2]!, /s2-old\.xml': the file records no selection .*older dcgen/);
    expectUserError(runs[3]!, /s2-cut\.xml': not a JUnit file of dcgen regress: malformed XML/);
    expectUserError(runs[4]!, /notes\.txt': not a JUnit file of dcgen regress: malformed XML, line 1: text outside the root element/);
    expectUserError(runs[5]!, /vitest\.xml': not a JUnit file of dcgen regress: expected one <testsuite name="dcgen\.regress">/);
    expectUserError(runs[6]!, /cannot read '.*no-such\.xml': no such file or folder \(ENOENT\)/);
    expectUserError(runs[7]!, /--merge-junit needs --out <file>/);
    expectUserError(runs[8]!, /--filter cannot be combined with --merge-junit/);
    expectUserError(runs[9]!, /option '--merge-junit' of 'dcgen regress' needs a value/);
    expectUserError(runs[10]!, /--out '.*work1': expected a file, found a folder/);
    expect(existsSync(at('x.xml'))).toBe(false);
  }, T);
});

describe('the shard reader reads back what junit.ts writes', () => {
  it('escaped names, messages and bodies (quotes, <, &, newlines, tabs) round-trip into the merged document', async () => {
    const nasty = `a "quoted" <tag> & 'apos'\tand\nnew line`;
    const base = { design: 'common.adder_tree', seeds: [1], transactions: 1, cycles: 2 };
    const results: CaseResult[] = [
      { ...base, name: 'common.adder_tree.a', short: 'a', status: 'passed', ms: 12 },
      { ...base, name: 'common.adder_tree.b<&>', short: 'b<&>', status: 'failed', ms: 1234, summary: nasty, details: `${nasty}\n]]> </failure>` },
      { ...base, name: 'common.adder_tree.c', short: 'c', status: 'error', ms: 5, summary: 'boom', details: 'stack\n  at x' },
    ];
    const selected = results.map((r) => ({ name: r.name, design: r.design }));
    const props = regressProperties({ simulator: 'verilator', jobs: 2, filters: ['common*', 'x y'], full: false, selected });
    const xml = junitXml(results, { ms: 2000, timestamp: new Date('2030-01-02T03:04:05Z'), properties: props });
    const file = at('roundtrip.xml');
    writeFileSync(file, xml);
    const shard = readShardFile(file);
    expect(shard.shard).toEqual({ k: 1, n: 1 });
    expect(shard.properties.get('filter')).toEqual(['common*', 'x y']);
    const merged = await mergeShardFiles([shard]);
    expect(merged.problems).toEqual([]);
    // the merged document differs from the run's only in the properties (no jobs, merged.shards 1)
    const strip = (x: string) => x.replace(/ *<properties>[\s\S]*<\/properties>\n/, '');
    expect(strip(merged.xml!)).toBe(strip(xml));
    expect(merged.xml).toContain('<property name="merged.shards" value="1"/>');
  });
});

describe('variadic and standalone options (cli/args.ts)', () => {
  it('--merge-junit takes the arguments up to the next option', () => {
    const p = parseArgs(regressSpec, ['--merge-junit', 'a.xml', 'b.xml', '-', 'c.xml', '--out', 'all.xml']);
    expect(p.values.get('merge-junit')).toEqual(['a.xml', 'b.xml', '-', 'c.xml']);
    expect(p.values.get('out')).toEqual(['all.xml']);
    expect(parseArgs(regressSpec, ['--merge-junit=a.xml', 'b.xml']).values.get('merge-junit')).toEqual(['a.xml', 'b.xml']);
    expect(() => parseArgs(regressSpec, ['--merge-junit', 'a.xml', '--merge-junit', 'b.xml'])).toThrow(/given twice/);
    expect(() => parseArgs(regressSpec, ['--merge-junit', 'a.xml', '', 'b.xml'])).toThrow(/needs non-empty values/);
    // after `--` the arguments are positionals (regress takes none)
    expect(() => parseArgs(regressSpec, ['--merge-junit', 'a.xml', '--', 'b.xml'])).toThrow(/unexpected argument 'b\.xml'/);
  });

  it('sweep --merge takes no <design>; a sweep without it still needs one', () => {
    expect(parseArgs(sweepSpec, ['--merge', 'a.csv', 'b.csv']).positionals).toEqual([]);
    expect(() => parseArgs(sweepSpec, ['common.fifo', '--merge', 'a.csv'])).toThrow(/unexpected argument 'common\.fifo' for 'dcgen sweep --merge' \(it takes no <design>\)/);
    expect(() => parseArgs(sweepSpec, ['--vary', 'depth=2'])).toThrow(/'dcgen sweep' needs <design>/);
  });
});
