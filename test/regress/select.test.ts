// Case selection of `dcgen regress` (filters, full, shards) on an injected fake case list,
// the JUnit writer (well-formed, escaped), and the worker pool. No simulator runs here.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CosimCase } from '../../sim/cases/case.ts';
import { all, parseXml } from './xml.ts';
import { type CaseResult, CaseSelectionError, globMatch, junitXml, parseShard, regressTable, runPool, selectCases, writeFileAtomic } from '../../sim/regress/index.ts';

const fake = (name: string, extra: Partial<CosimCase> = {}): CosimCase => ({
  name,
  design: name.split('.').slice(0, 2).join('.'),
  stimulus: () => ({}),
  golden: () => ({}),
  ...extra,
});

// Deliberately unsorted.
const CASES: CosimCase[] = [
  fake('ditto.pe.random'),
  fake('common.fifo.depth1'),
  fake('common.adder_tree.basic'),
  fake('ditto.pe.exhaustive', { full: true }),
  fake('common.fifo.big', { full: true }),
  fake('common.adder_tree.signed'),
  fake('ditto.encoder.basic'),
  fake('common.argmin.ties'),
];
const names = (cs: CosimCase[]) => cs.map((c) => c.name);

describe('globs', () => {
  it('* matches any run (dots too), ? one character, the rest literally, anchored', () => {
    expect(globMatch('common*', 'common.fifo.depth1')).toBe(true);
    expect(globMatch('ditto.pe.*', 'ditto.pe.random')).toBe(true);
    expect(globMatch('ditto.pe.*', 'ditto.pex.random')).toBe(false);
    expect(globMatch('common.fifo.depth?', 'common.fifo.depth1')).toBe(true);
    expect(globMatch('common.fifo.depth?', 'common.fifo.depth12')).toBe(false);
    expect(globMatch('fifo', 'common.fifo.depth1')).toBe(false);
    expect(globMatch('*fifo*', 'common.fifo.depth1')).toBe(true);
    // regex characters are literal
    expect(globMatch('a+b(c)[d]', 'a+b(c)[d]')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });
});

describe('selectCases', () => {
  it('sorts by name and leaves out full cases unless asked', () => {
    const all = selectCases(CASES);
    expect(names(all.cases)).toEqual(['common.adder_tree.basic', 'common.adder_tree.signed', 'common.argmin.ties', 'common.fifo.depth1', 'ditto.encoder.basic', 'ditto.pe.random']);
    expect(names(all.fullSkipped)).toEqual(['common.fifo.big', 'ditto.pe.exhaustive']);
    expect(names(selectCases(CASES, { full: true }).cases)).toHaveLength(8);
    expect(selectCases(CASES, { full: true }).fullSkipped).toEqual([]);
  });

  it('filters by glob; several filters select the union', () => {
    expect(names(selectCases(CASES, { filters: ['common*'] }).cases)).toEqual(['common.adder_tree.basic', 'common.adder_tree.signed', 'common.argmin.ties', 'common.fifo.depth1']);
    expect(names(selectCases(CASES, { filters: ['ditto.pe.*'], full: true }).cases)).toEqual(['ditto.pe.exhaustive', 'ditto.pe.random']);
    expect(names(selectCases(CASES, { filters: ['ditto.pe.*'] }).cases)).toEqual(['ditto.pe.random']);
    expect(names(selectCases(CASES, { filters: ['*.basic', 'common.argmin.*'] }).cases)).toEqual(['common.adder_tree.basic', 'common.argmin.ties', 'ditto.encoder.basic']);
  });

  it('a filter that selects nothing is an error naming the filter', () => {
    expect(() => selectCases(CASES, { filters: ['common*', 'no.such.*'] })).toThrow(CaseSelectionError);
    expect(() => selectCases(CASES, { filters: ['no.such.*'] })).toThrow(/--filter 'no\.such\.\*' selects no case.*known cases: common\.adder_tree\.basic/);
    expect(() => selectCases([], { filters: ['x'] })).toThrow(/--filter 'x' selects no case: no cosim cases are defined/);
    expect(() => selectCases([])).toThrow(/no cosim cases are defined/);
    // only full cases match: say so, and how to run them
    expect(() => selectCases(CASES, { filters: ['common.fifo.big'] })).toThrow(/only cases marked full \(common\.fifo\.big\): add --full/);
  });

  it('shard k/n takes every n-th case from the (k-1)-th; the shards partition the selection', () => {
    const all = names(selectCases(CASES, { full: true }).cases);
    const parts = [1, 2, 3].map((k) => names(selectCases(CASES, { full: true, shard: { k, n: 3 } }).cases));
    expect(parts[0]).toEqual([all[0], all[3], all[6]]);
    expect(parts[1]).toEqual([all[1], all[4], all[7]]);
    expect(parts[2]).toEqual([all[2], all[5]]);
    expect(parts.flat().sort()).toEqual([...all].sort());
    // the order of the input list does not matter
    const reversed = names(selectCases([...CASES].reverse(), { full: true, shard: { k: 2, n: 3 } }).cases);
    expect(reversed).toEqual(parts[1]);
    // filter first, then shard; more shards than cases gives empty shards, not an error
    const f = selectCases(CASES, { filters: ['common.adder_tree.*'], shard: { k: 5, n: 9 } });
    expect(f.cases).toEqual([]);
    expect(f.beforeShard).toBe(2);
    expect(names(selectCases(CASES, { filters: ['common.adder_tree.*'], shard: { k: 2, n: 9 } }).cases)).toEqual(['common.adder_tree.signed']);
  });

  it('parses --shard strictly', () => {
    expect(parseShard('1/1')).toEqual({ k: 1, n: 1 });
    expect(parseShard('3/4')).toEqual({ k: 3, n: 4 });
    for (const bad of ['0/2', '3/2', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/2', '']) expect(() => parseShard(bad), bad).toThrow(CaseSelectionError);
  });

  it('refuses two cases with one name', () => {
    expect(() => selectCases([fake('a.b.c'), fake('a.b.c')])).toThrow(/two cosim cases are named 'a\.b\.c'/);
  });
});

describe('JUnit XML', () => {
  const nasty = 'a <b> & "c" \'d\' ]]> \u0001 tab\there';
  const results: CaseResult[] = [
    { name: 'common.adder_tree.basic', design: 'common.adder_tree', short: 'basic', status: 'passed', seeds: [1, 2, 3], transactions: 300, cycles: 500, ms: 1234 },
    {
      name: 'common.adder_tree.x<&"y',
      design: 'common.adder_tree',
      short: 'x<&"y',
      status: 'failed',
      seeds: [1],
      transactions: 5,
      cycles: 20,
      ms: 10,
      summary: `seed 1: mismatch on output stream 'out' ${nasty}; waveform: /tmp/w.fst`,
      details: `line 1 ${nasty}\nline 2 </failure> <testcase>`,
      workDir: '/tmp/work<&>',
    },
    { name: 'weird.case', design: 'weird', short: 'case', status: 'error', seeds: [1], transactions: 0, cycles: 0, ms: 1, summary: 'boom & <bang>', details: 'Error: boom\n    at x' },
  ];

  it('is well formed, counts failures and errors, and escapes < & " in names, messages and bodies', () => {
    const xml = junitXml(results, { ms: 4321, properties: { filter: "'common*' & <x>" } });
    const doc = parseXml(xml);
    expect(doc.name).toBe('testsuites');
    const suite = all(doc, 'testsuite');
    expect(suite).toHaveLength(1);
    expect(suite[0]!.attrs).toMatchObject({ name: 'dcgen.regress', tests: '3', failures: '1', errors: '1', time: '4.321' });
    const cases = all(doc, 'testcase');
    expect(cases.map((c) => [c.attrs.classname, c.attrs.name, c.attrs.time])).toEqual([
      ['common.adder_tree', 'basic', '1.234'],
      ['common.adder_tree', 'x<&"y', '0.010'],
      ['weird', 'case', '0.001'],
    ]);
    const failure = all(doc, 'failure');
    expect(failure).toHaveLength(1);
    // the control character is replaced (XML 1.0 cannot hold it); everything else survives
    const clean = nasty.replace('\u0001', '\uFFFD');
    expect(failure[0]!.attrs.message).toBe(`seed 1: mismatch on output stream 'out' ${clean}; waveform: /tmp/w.fst`);
    expect(failure[0]!.text).toBe(`line 1 ${clean}\nline 2 </failure> <testcase>\nwork folder: /tmp/work<&>`);
    const error = all(doc, 'error');
    expect(error).toHaveLength(1);
    expect(error[0]!.attrs.message).toBe('boom & <bang>');
    expect(all(doc, 'property').find((p) => p.attrs.name === 'filter')!.attrs.value).toBe("'common*' & <x>");
  });

  it('an empty run is a valid document too', () => {
    const doc = parseXml(junitXml([], { ms: 0 }));
    expect(all(doc, 'testsuite')[0]!.attrs).toMatchObject({ tests: '0', failures: '0', errors: '0' });
  });

  it('is written atomically: no temp file is left, an existing file is replaced whole', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dcgen-junit-'));
    try {
      const f = path.join(dir, 'sub/dir/results.xml');
      writeFileAtomic(f, 'one');
      writeFileAtomic(f, junitXml(results, { ms: 1 }));
      expect(readdirSync(path.dirname(f))).toEqual(['results.xml']);
      expect(() => parseXml(readFileSync(f, 'utf8'))).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the summary table has case, seeds, transactions, cycles, result and time', () => {
    const t = regressTable(results);
    expect(t[0]).toMatch(/^case\s+seeds\s+transactions\s+cycles\s+result\s+time$/);
    expect(t[2]).toMatch(/^common\.adder_tree\.basic\s+3\s+300\s+500\s+ok\s+1\.2 s$/);
    expect(t[3]).toMatch(/FAIL/);
    expect(t[4]).toMatch(/^weird\.case\s+1\s+-\s+-\s+ERROR/);
  });
});

describe('runPool', () => {
  it('keeps at most `jobs` in flight and returns results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await runPool([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, x * 3));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('stops starting new work after a failure and rethrows it', async () => {
    const started: number[] = [];
    await expect(
      runPool([1, 2, 3, 4], 1, async (x) => {
        started.push(x);
        if (x === 2) throw new Error('two');
        return x;
      }),
    ).rejects.toThrow('two');
    expect(started).toEqual([1, 2]);
  });
});
