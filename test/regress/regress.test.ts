// `dcgen regress` for real, in process, on two small cases defined here (injected in place of
// allCases()): common.adder_tree at n = 4, one case right, one with a wrong golden model.
// Verilator builds go to the shared cache, so reruns are fast.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args.ts';
import { regressSpec, runRegressCommand } from '../../cli/regress.ts';
import { cosimStep, runStart, startSpec } from '../../cli/start.ts';
import type { CosimCase } from '../../sim/cases/case.ts';
import { PARAMS, capture, golden, stimulus, sum } from '../support/adder_case.ts';
import { all, parseXml } from './xml.ts';

const T = 180_000;

const OK: CosimCase = {
  name: 'common.adder_tree.regress_ok',
  design: 'common.adder_tree',
  params: PARAMS,
  stimulus,
  golden,
  stalls: { inIdle: 0.3, outStall: 0.3 },
  seeds: 2,
};
// Wrong on purpose: off by one from transaction 5 on.
const WRONG: CosimCase = { ...OK, name: 'common.adder_tree.regress_wrong_golden', golden: (s) => ({ streams: { out: s.streams!.in!.map((b, i) => ({ sum: sum(b) + (i >= 5 ? 1n : 0n) })) } }) };

async function regress(argv: string[], cases: CosimCase[] = [OK, WRONG], tty: { write(t: string): void } | null = null) {
  const io = capture();
  const code = await runRegressCommand(parseArgs(regressSpec, argv), io, { cases: async () => cases, tty });
  return { code, out: io.text() };
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dcgen-regress-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('dcgen regress (Verilator)', () => {
  it('one passing and one failing case: exit 1, progress lines, table, JUnit with one failure naming the stream and the waveform', async () => {
    const junit = path.join(root, 'ci/results.xml');
    const out = path.join(root, 'work');
    const r = await regress(['--junit', junit, '--out', out, '--jobs', '2']);
    expect(r.code, r.out).toBe(1);
    // progress: a start line per case, then [k/n] with the result and time
    expect(r.out).toMatch(/^start {2}common\.adder_tree\.regress_ok \(seeds 1-2\)$/m);
    expect(r.out).toMatch(/^\[\d\/2\] ok {4}common\.adder_tree\.regress_ok {2}\d+\.\d s {2}\d+ transactions, \d+ cycles$/m);
    expect(r.out).toMatch(/^\[\d\/2\] FAIL {2}common\.adder_tree\.regress_wrong_golden {2}\d+\.\d s {2}seed 1: mismatch on output stream 'out', transaction #5, cycle \d+; waveform: .*\.fst$/m);
    // summary table
    expect(r.out).toMatch(/^case\s+seeds\s+transactions\s+cycles\s+result\s+time$/m);
    expect(r.out).toMatch(/^common\.adder_tree\.regress_ok\s+2\s+66\s+\d+\s+ok\s+\d+\.\d s$/m);
    expect(r.out).toMatch(/^common\.adder_tree\.regress_wrong_golden\s+2\s+66\s+\d+\s+FAIL\s+\d+\.\d s$/m);
    expect(r.out).toMatch(/1 of 2 cases passed, 1 failed in/);

    const doc = parseXml(readFileSync(junit, 'utf8'));
    const suite = all(doc, 'testsuite')[0]!;
    expect(suite.attrs).toMatchObject({ name: 'dcgen.regress', tests: '2', failures: '1', errors: '0' });
    const cases = all(doc, 'testcase');
    expect(cases.map((c) => `${c.attrs.classname} ${c.attrs.name}`)).toEqual(['common.adder_tree regress_ok', 'common.adder_tree regress_wrong_golden']);
    const failures = all(doc, 'failure');
    expect(failures).toHaveLength(1);
    const msg = failures[0]!.attrs.message!;
    expect(msg).toMatch(/^seed 1: mismatch on output stream 'out', transaction #5, cycle \d+; waveform: (.*\.fst)$/);
    const fst = /waveform: (.*\.fst)$/.exec(msg)![1]!;
    expect(fst.startsWith(path.join(out, 'common.adder_tree.regress_wrong_golden'))).toBe(true);
    expect(statSync(fst).size).toBeGreaterThan(100);
    // the body has the whole report: expected/got, the waveform and the rerun command
    expect(failures[0]!.text).toContain('sum: expected');
    expect(failures[0]!.text).toContain(`waveform: ${fst}`);
    expect(failures[0]!.text).toContain('rerun: ');
    // a passing case leaves no work folder
    expect(existsSync(path.join(out, 'common.adder_tree.regress_ok'))).toBe(false);
  }, T);

  it('--seeds overrides the seed count; --filter and --shard select; --list runs nothing', async () => {
    const r = await regress(['--seeds', '1', '--filter', '*regress_ok', '--out', path.join(root, 'w2')]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^common\.adder_tree\.regress_ok\s+1\s+33\s+\d+\s+ok/m);
    expect(r.out).toMatch(/all 1 case passed/);
    const list = await regress(['--list', '--shard', '2/2', '--seeds', '4']);
    expect(list.code).toBe(0);
    expect(list.out).toBe('common.adder_tree.regress_wrong_golden  seeds 1-4\n(shard 2/2: 1 of 2 selected cases)');
  }, T);
});

describe('terminal status line', () => {
  it('on a TTY, redraws a [done/total] running: line in place around the progress lines', async () => {
    let raw = '';
    const r = await regress(['--seeds', '1', '--filter', '*regress_ok', '--out', path.join(root, 'w5')], [OK, WRONG], { write: (t) => void (raw += t) });
    expect(r.code, r.out).toBe(0);
    expect(raw).toMatch(/\r\x1b\[K\[0\/1\] running: common\.adder_tree\.regress_ok \d+s \(\d+ s\)/);
    expect(raw.endsWith('\r\x1b[K')).toBe(true); // the status line is cleared at the end
  }, T);
});

describe('dcgen start cosim step', () => {
  it("runs each design's smoke case with one seed; '-' for designs without cases; exit 1 on a failure", async () => {
    const io = capture();
    // Only the case marked smoke runs (here the wrong one), never the design's other cases.
    const code = await runStart(parseArgs(startSpec, []), io, [cosimStep(async () => [OK, { ...WRONG, smoke: true }])], { jobs: 2 });
    const out = io.text();
    expect(code, out).toBe(1);
    expect(out).toMatch(/^\[ *\d+\.\d s\] cosim +\d+\/\d+ +common\.adder_tree +FAIL +common\.adder_tree\.regress_wrong_golden, seed 1: 33 transactions, \d+ cycles.*\(\d+\.\d s\)$/m);
    expect(out).toMatch(/^design\s+cosim\s+smoke case\s+time\s+result\s+files in$/m);
    expect(out).toMatch(/^common\.adder_tree\s+FAIL\s+regress_wrong_golden\s+\d+\.\d s\s+FAIL \(cosim\)\s+-$/m);
    expect(out).toMatch(/^common\.fifo\s+-\s+-\s+\d+\.\d s\s+ok\s+-$/m);
    expect(out).toContain('cosim common.adder_tree.regress_wrong_golden:');
    expect(out).toMatch(/seed 1: mismatch on output stream 'out', transaction #5/);
    expect(out).toContain('(dcgen regress --filter common.adder_tree.regress_wrong_golden runs all its seeds)');
    expect(out).not.toContain('regress_ok');
    // runCase kept the failing seed's files in a temp folder: remove it
    const stim = /stimulus: (\S+\.stim)/.exec(out)![1]!;
    rmSync(path.dirname(stim), { recursive: true, force: true });
    // Unmarked: the case with the fewest beats (the first of equals).
    const pass = capture();
    expect(await runStart(parseArgs(startSpec, []), pass, [cosimStep(async () => [OK, WRONG])], { jobs: 1 })).toBe(0);
    expect(pass.text()).toMatch(/^common\.adder_tree\s+ok\s+regress_ok\s/m);
  }, T);
});

describe('dcgen regress --waves', () => {
  it('keeps an FST of every seed of a passing case (FST header block) in its work folder and says where', async () => {
    const out = path.join(root, 'waves');
    const r = await regress(['--waves', '--filter', '*regress_ok', '--out', out]);
    expect(r.code, r.out).toBe(0);
    const dir = path.join(out, 'common.adder_tree.regress_ok');
    expect(existsSync(path.join(dir, '.dcgen-work'))).toBe(true); // a dcgen work folder, kept
    for (const seed of [1, 2]) {
      const fst = readFileSync(path.join(dir, `seed-${seed}.fst`));
      // FST starts with its header block: type 0 (FST_BL_HDR), length 329 (big-endian u64),
      // start and end time, then e as a double (the endianness test).
      expect(fst.length).toBeGreaterThan(329);
      expect(fst[0]).toBe(0);
      expect(fst.readBigUInt64BE(1)).toBe(329n);
      expect([fst.readDoubleLE(25), fst.readDoubleBE(25)]).toContain(Math.E);
      expect(fst.readBigUInt64BE(17)).toBeGreaterThan(0n); // end time: the run was recorded
    }
    expect(r.out).toMatch(/^Waveforms \(FST, one per seed; open one with gtkwave <file> or surfer <file>\):$/m);
    expect(r.out).toContain(`  common.adder_tree.regress_ok  ${dir}/{seed-1.fst,seed-2.fst}`);
    // a failing case under --waves: every seed has its FST too
    const bad = await regress(['--waves', '--seeds', '2', '--filter', '*wrong_golden', '--out', out]);
    expect(bad.code, bad.out).toBe(1);
    for (const seed of [1, 2]) expect(statSync(path.join(out, 'common.adder_tree.regress_wrong_golden', `seed-${seed}.fst`)).size).toBeGreaterThan(329);
  }, T);
});

describe('dcgen regress --sim icarus', () => {
  it('runs the Icarus testbench alone on the passing case', async () => {
    const junit = path.join(root, 'icarus.xml');
    const r = await regress(['--sim', 'icarus', '--filter', 'common.adder_tree.regress_ok', '--junit', junit, '--out', path.join(root, 'w3')]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^dcgen regress: 1 case, icarus, 1 job$/m);
    expect(r.out).toMatch(/^common\.adder_tree\.regress_ok\s+2\s+66\s+\d+\s+ok/m);
    const doc = parseXml(readFileSync(junit, 'utf8'));
    expect(all(doc, 'testsuite')[0]!.attrs).toMatchObject({ tests: '1', failures: '0' });
    expect(all(doc, 'property').find((p) => p.attrs.name === 'simulator')!.attrs.value).toBe('icarus');
  }, T);

  it('an Icarus failure names the stream, the vvp rerun command and a waveform from a Verilator rerun', async () => {
    const r = await regress(['--sim', 'icarus', '--seeds', '1', '--filter', '*wrong_golden', '--out', path.join(root, 'w4')]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/seed 1: mismatch on output stream 'out', transaction #5, cycle \d+; waveform: .*\.fst/);
    expect(r.out).toMatch(/rerun: \S*vvp -n \S+dcgen_tb\.vvp \+stim=/);
    expect(r.out).toContain('recorded by a Verilator rerun of the same stimulus');
  }, T);
});
