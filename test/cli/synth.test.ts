// `dcgen synth` and `dcgen sweep` as users run them: real Yosys and nextpnr in a child process.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin/dcgen.mjs');
const root = mkdtempSync(path.join(os.tmpdir(), 'dcgen-cli-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function dcgen(args: string[]) {
  const r = await execa(process.execPath, [BIN, ...args], { cwd: root, reject: false, env: { NO_COLOR: '1' } });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('dcgen synth / sweep', () => {
  it('synth --target ice40 places and routes a design and writes report.json with LUTs, FFs and Fmax', { timeout: 120_000 }, async () => {
    const r = await dcgen(['synth', 'common.adder_tree', '--target', 'ice40']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ice40 up5k\/sg48: \d+ LUT4, \d+ FF .* Fmax \d+\.\d+ MHz/);
    const report = JSON.parse(readFileSync(path.join(root, 'rtl-out/common.adder_tree/report.json'), 'utf8')) as { ice40: { fits: boolean; fmaxMhz: number; netlist: { lut4: number } } };
    expect(report.ice40.fits).toBe(true);
    expect(report.ice40.fmaxMhz).toBeGreaterThan(0);
    expect(report.ice40.netlist.lut4).toBeGreaterThan(0);
  });

  it('sweep writes one CSV row per point and an SVG chart', { timeout: 120_000 }, async () => {
    const r = await dcgen(['sweep', 'common.adder_tree', '--vary', 'n=2,4,8', '--set', 'stages=1']);
    expect(r.code, r.stderr).toBe(0);
    const csv = /csv: (\S+)/.exec(r.stdout)![1];
    const svg = /svg: (\S+)/.exec(r.stdout)![1];
    const rows = readFileSync(path.resolve(root, csv), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(4);
    expect(existsSync(path.resolve(root, svg))).toBe(true);
    expect(readFileSync(path.resolve(root, svg), 'utf8')).toContain('<svg');
  });

  it('bad options are user errors', { timeout: 60_000 }, async () => {
    for (const args of [
      ['synth', 'common.adder_tree', '--target', 'xilinx'],
      ['sweep', 'common.adder_tree', '--vary', 'n=2', '--target', 'xilinx'],
      ['sweep', 'common.adder_tree', '--vary', 'n=2', '--clock-ns', '5'],
      ['synth', 'common.adder_tree', '--engine', 'gpu'],
      ['sweep', 'common.adder_tree'],
      ['sweep', 'common.adder_tree', '--vary', 'n'],
      ['sweep', 'common.adder_tree', '--vary', 'n=2', '--jobs', '0'],
    ]) {
      const r = await dcgen(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
