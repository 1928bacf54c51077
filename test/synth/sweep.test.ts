import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adderTreeDesign } from '../../generator/blocks/common/adder_tree.ts';
import type { ParamValue } from '../../generator/emit/design.ts';
import { sweep, SweepOptionError } from '../../eda/synth/index.ts';
import { crossProduct } from '../../eda/synth/sweep.ts';
import { niceTicks, sweepCsv } from '../../eda/synth/sweep-files.ts';
import { parseCsv } from '../../eda/synth/sweep-merge.ts';
import { tempRoot } from '../support/cli.ts';
import { adderTreePointGenerator } from '../support/synth.ts';

const T = 120_000;
const tmp = tempRoot('dcgen-sweep-test-');

const generate = adderTreePointGenerator(tmp);

describe('sweep', () => {
  it('adder tree over n = 2, 4, 8 (generic): a CSV of 3 rows and an SVG chart', async () => {
    const lines: string[] = [];
    const r = await sweep({ design: adderTreeDesign, vary: { n: [2, 4, 8] }, target: 'generic', jobs: 2, outDir: path.join(tmp, 'out'), generate, onProgress: (l) => lines.push(l) });
    expect(r.failed).toBe(0);
    expect(r.points.map((p) => p.params.n)).toEqual([2, 4, 8]);
    const rows = parseCsv(readFileSync(r.csvPath, 'utf8'));
    expect(rows).toHaveLength(4);
    const [header, ...data] = rows;
    expect(header.slice(0, 7)).toEqual(['point', 'n', 'status', 'error', 'cells', 'flip_flops', 'ice40_device']);
    expect(data.map((d) => d[1])).toEqual(['2', '4', '8']);
    expect(data.every((d) => d[2] === 'ok')).toBe(true);
    const cells = data.map((d) => Number(d[header.indexOf('cells')]));
    expect(cells.every((c) => c > 0)).toBe(true);
    expect(cells[0]).toBeLessThan(cells[1]);
    expect(cells[1]).toBeLessThan(cells[2]);
    // stages=1: the output register (w + log2 n bits) and the valid bit
    expect(data.map((d) => Number(d[header.indexOf('flip_flops')]))).toEqual([8 + 1 + 1, 8 + 2 + 1, 8 + 3 + 1]);
    expect(path.basename(r.csvPath)).toMatch(/^common\.adder_tree-[0-9a-f]{10}\.csv$/);
    const svg = readFileSync(r.svgPath, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.trimEnd()).toMatch(/<\/svg>$/);
    expect(svg.match(/<circle /g)).toHaveLength(3 * 2); // 3 points x 2 metrics (cells, flip-flops)
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('area: cells after Yosys synth');
    for (const c of cells) expect(svg).toContain(`>${c}</text>`);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => /^\[\d\/3\] n=\d: \d+ cells, \d+ FFs$/.test(l))).toBe(true);
    // each point's own report sits in its folder
    for (const p of r.points) expect(JSON.parse(readFileSync(path.join(p.dir!, 'report.json'), 'utf8')).generic.cells).toBe(p.metrics.cells);
  }, T);

  it('iCE40 sweep: LCs and Fmax per point', async () => {
    const r = await sweep({ design: adderTreeDesign, vary: { n: [2, 4] }, fixed: { width: 4 }, target: 'ice40', jobs: 2, outDir: path.join(tmp, 'out'), generate });
    expect(r.failed).toBe(0);
    const rows = parseCsv(readFileSync(r.csvPath, 'utf8'));
    const [header, ...data] = rows;
    expect(data).toHaveLength(2);
    for (const d of data) {
      expect(d[header.indexOf('ice40_device')]).toBe('up5k/sg48');
      expect(Number(d[header.indexOf('ice40_lc')])).toBeGreaterThan(0);
      expect(Number(d[header.indexOf('ice40_lut4')])).toBeGreaterThan(0);
      expect(Number(d[header.indexOf('fmax_mhz')])).toBeGreaterThan(0);
    }
    const svg = readFileSync(r.svgPath, 'utf8');
    expect(svg).toContain('Fmax after place and route (MHz)');
    expect(svg.match(/<circle /g)).toHaveLength(2 * 2);
  }, T);

  it('records a point that fails while running with its error and goes on', async () => {
    // Parameters are all valid (an invalid point refuses the sweep up front, see below); this
    // point fails in its generation step.
    const failing = async (p: Record<string, ParamValue>) => {
      if (p.n === 3) throw new Error('generation failed for n = 3');
      return generate(p);
    };
    const r = await sweep({ design: adderTreeDesign, vary: { n: [2, 3], stages: [1] }, target: 'generic', jobs: 1, outDir: path.join(tmp, 'out'), generate: failing });
    expect(r.failed).toBe(1);
    expect(r.points[0].ok).toBe(true);
    expect(r.points[1].ok).toBe(false);
    expect(r.points[1].error).toBe('generation failed for n = 3');
    const [header, ...data] = parseCsv(readFileSync(r.csvPath, 'utf8'));
    expect(data).toHaveLength(2);
    expect(data[1][header.indexOf('status')]).toBe('failed');
    expect(data[1][header.indexOf('error')]).toContain('n = 3');
    expect(data[1][header.indexOf('cells')]).toBe('');
    // several varied parameters: categorical x axis labels, a cross for the failed point
    const svg = readFileSync(r.svgPath, 'utf8');
    expect(svg).toContain('n=3 stages=1');
    expect(svg).toContain('1 failed');
    expect(svg).toMatch(/<path d="M[^"]+" stroke="#d00"/);
  }, T);

  it('refuses unknown parameters, empty value lists and bad job counts up front', async () => {
    const base = { design: adderTreeDesign, target: 'generic' as const, jobs: 1, outDir: path.join(tmp, 'out'), generate };
    await expect(sweep({ ...base, vary: { depth: [1] } })).rejects.toThrow(SweepOptionError);
    await expect(sweep({ ...base, vary: { depth: [1] } })).rejects.toThrow(/unknown parameter 'depth'; expected one of: top, n, width, signed, stages/);
    await expect(sweep({ ...base, vary: { n: [] } })).rejects.toThrow(/'n' has no values/);
    await expect(sweep({ ...base, vary: {} })).rejects.toThrow(/at least one parameter/);
    await expect(sweep({ ...base, jobs: 0, vary: { n: [2] } })).rejects.toThrow(/--jobs 0/);
  });

  it('validates every point (ranges, plain decimal, the design rules) before running any', async () => {
    let ran = 0;
    const counting = async (p: Record<string, ParamValue>) => {
      ran++;
      return generate(p);
    };
    const base = { design: adderTreeDesign, target: 'generic' as const, jobs: 1, outDir: path.join(tmp, 'never'), generate: counting };
    await expect(sweep({ ...base, vary: { n: [2, 300] } })).rejects.toThrow(/point 2 of 2 \(n=300\) is invalid.*parameter 'n': expected an integer from 1 to 256, found 300/);
    await expect(sweep({ ...base, vary: { n: ['2', '0x10'] } })).rejects.toThrow(/point 2 of 2 \(n=0x10\).*plain decimal/);
    await expect(sweep({ ...base, vary: { n: [2, 4] }, fixed: { stages: 3 } })).rejects.toThrow(/point 1 of 2 \(n=2\).*parameter 'stages' = 3/);
    await expect(sweep({ ...base, vary: { n: [2, '$(rm -rf /)'] } })).rejects.toThrow(SweepOptionError);
    expect(ran).toBe(0);
    expect(existsSync(path.join(tmp, 'never'))).toBe(false);
  });
});

describe('sweep helpers', () => {
  it('cross product, first key slowest', () => {
    expect(crossProduct({ a: [1, 2], b: [true, false] })).toEqual([
      { a: 1, b: true },
      { a: 1, b: false },
      { a: 2, b: true },
      { a: 2, b: false },
    ]);
  });

  it('CSV quotes commas, quotes and line breaks', () => {
    const m = { cells: 1, flipFlops: 0, device: null, lc: null, lut4: null, ff: null, dsp: null, bram: null, fmaxMhz: null, areaUm2: null, worstPathNs: null };
    const csv = sweepCsv(['n'], [{ index: 0, params: { n: 2 }, ok: false, error: 'bad, "very"\nbad', dir: null, report: null, metrics: m }], { design: 'common.adder_tree', target: 'generic', hash: '0123456789', total: 1 });
    expect(parseCsv(csv)[1].slice(0, 6)).toEqual(['0', '2', 'failed', 'bad, "very"\nbad', '1', '0']);
  });

  it('nice axis ticks', () => {
    expect(niceTicks(398)).toEqual([0, 100, 200, 300, 400]);
    expect(niceTicks(61)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
