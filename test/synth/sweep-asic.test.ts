// `dcgen sweep --target asic`: area, worst path and Fmax on OSU018 per point, in the CSV and the
// SVG, and sharded ASIC sweeps merge like the others. Real tools (Yosys, OpenSTA), no mocks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adderTreeDesign } from '../../generator/blocks/common/adder_tree.ts';
import { sweep } from '../../eda/synth/index.ts';
import { mergeSweepShares, parseCsv, readSweepShare } from '../../eda/synth/sweep-merge.ts';
import { dcgen, tempRoot } from '../support/cli.ts';
import { adderTreePointGenerator } from '../support/synth.ts';

const T = 240_000;
const tmp = tempRoot('dcgen-sweep-asic-');

const generate = adderTreePointGenerator(tmp);

describe('sweep --target asic', () => {
  it('adder tree over stages = 0, 1, 2: area, worst path and Fmax per point, charted', async () => {
    const lines: string[] = [];
    const r = await sweep({ design: adderTreeDesign, vary: { stages: [0, 1, 2] }, target: 'asic', jobs: 2, outDir: path.join(tmp, 'out'), generate, onProgress: (l) => lines.push(l) });
    expect(r.failed).toBe(0);
    const [header, ...data] = parseCsv(readFileSync(r.csvPath, 'utf8'));
    expect(header!.slice(-8)).toEqual(['fmax_mhz', 'asic_area_um2', 'asic_worst_path_ns', 'dir', 'design', 'target', 'sweep_hash', 'sweep_points']);
    const col = (name: string) => data.map((d) => Number(d[header!.indexOf(name)]));
    r.points.forEach((p, i) => {
      const a = p.report!.asic!;
      expect(col('asic_area_um2')[i]).toBe(a.areaUm2);
      expect(col('asic_worst_path_ns')[i]).toBe(a.worstPathNs);
      expect(col('fmax_mhz')[i]).toBe(a.fmaxMHz);
      expect(col('cells')[i]).toBe(a.cells);
      expect(col('flip_flops')[i]).toBe(a.flipFlops);
      expect(data[i]![header!.indexOf('ice40_lc')]).toBe('');
    });
    // Pipeline registers: more flip-flops and area; the register-to-register path does not grow.
    expect(col('flip_flops')[0]).toBeLessThan(col('flip_flops')[2]!);
    expect(col('asic_area_um2')[0]).toBeLessThan(col('asic_area_um2')[2]!);
    const svg = readFileSync(r.svgPath, 'utf8');
    expect(svg).toContain('common.adder_tree: asic synthesis sweep');
    for (const label of ['area: standard cells (µm², Liberty)', 'worst path (ns, OpenSTA)', 'Fmax = 1000 / worst path (MHz)']) expect(svg).toContain(label);
    expect(svg.match(/<circle /g)).toHaveLength(3 * 3);
    expect(lines.every((l) => /^\[\d\/3\] stages=\d: [\d.]+ um2, worst path [\d.]+ ns, Fmax [\d.]+ MHz$/.test(l))).toBe(true);
  }, T);

  it('the clock and the library are part of the sweep: another --clock-ns is another sweep', async () => {
    const a = await sweep({ design: adderTreeDesign, vary: { n: [2] }, target: 'asic', jobs: 1, outDir: path.join(tmp, 'clk'), generate });
    const b = await sweep({ design: adderTreeDesign, vary: { n: [2] }, target: 'asic', clockNs: 5, jobs: 1, outDir: path.join(tmp, 'clk'), generate });
    expect(a.hash).not.toBe(b.hash);
    expect(b.points[0]!.report!.asic!.clockNs).toBe(5);
  }, T);

  it('--memories: the SRAM as a macro (no standard cell) or as flip-flops; another mapping is another sweep', async () => {
    const args = (memories: string) => ['sweep', 'common.sram', '--vary', 'depth=4,8', '--set', 'width=4', '--target', 'asic', '--memories', memories];
    const macros = await dcgen(args('macros'), { cwd: tmp, timeout: T });
    const flops = await dcgen(args('flops'), { cwd: tmp, timeout: T });
    for (const r of [macros, flops]) expect(r.code, r.stderr).toBe(0);
    const csv = (r: { stdout: string }) => path.resolve(tmp, /^csv: (.*)$/m.exec(r.stdout)![1]!);
    expect(csv(macros)).not.toBe(csv(flops));
    const areas = (r: { stdout: string }) => {
      const [header, ...rows] = parseCsv(readFileSync(csv(r), 'utf8'));
      return rows.map((row) => Number(row[header!.indexOf('asic_area_um2')]));
    };
    expect(areas(macros)).toEqual([0, 0]);
    const f = areas(flops);
    expect(f[0]).toBeGreaterThan(0);
    expect(f[1]).toBeGreaterThan(f[0]!);
    const generic = await dcgen(['sweep', 'common.sram', '--vary', 'depth=4', '--memories', 'flops'], { cwd: tmp, timeout: T });
    expect(generic.code).toBe(2);
    expect(generic.stderr).toMatch(/^error: --memories is for --target asic only$/m);
  }, T);

  it('CLI: a sharded asic sweep with --clock-ns; its shares merge', async () => {
    const args = ['sweep', 'common.adder_tree', '--vary', 'n=2,4', '--target', 'asic', '--clock-ns', '4'];
    const shares = await Promise.all([1, 2].map((k) => dcgen([...args, '--shard', `${k}/2`], { cwd: tmp, timeout: T })));
    for (const s of shares) expect(s.code, s.stderr).toBe(0);
    const files = shares.map((s) => path.resolve(tmp, /^csv: (.*)$/m.exec(s.stdout)![1]!));
    const merged = mergeSweepShares(files.map(readSweepShare));
    expect(merged.problems).toEqual([]);
    expect(merged.sweep.target).toBe('asic');
    expect(merged.points.map((p) => p.metrics.areaUm2! > 0 && p.metrics.worstPathNs! > 0 && p.metrics.fmaxMhz! > 0)).toEqual([true, true]);
    expect(merged.svg).toContain('worst path (ns, OpenSTA)');
    expect(merged.points.map((p) => p.dir && JSON.parse(readFileSync(path.resolve(tmp, p.dir, 'report.json'), 'utf8')).asic.clockNs)).toEqual([4, 4]);
  }, T);
});
