// `dcgen synth --target asic --place`: qflow (graywolf, qrouter) places and routes the mapped
// netlist, OpenSTA times it again with the routed wires. Real tools, no mocks
// (scripts/bootstrap.sh installs qflow).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultLibertyPath, readLiberty, synthesize, SynthOptionError, type SynthReport } from '../../eda/synth/index.ts';
import { PlaceError } from '../../eda/synth/errors.ts';
import { ASIC_PLACE_FILES, checkPlaceLibrary, defDieArea, failedRoutes, fixQflowSpef, routedNetlist } from '../../eda/synth/place.ts';
import { DESIGN_FOLDER_EXTRAS, notDcgenFolder } from '../../generator/emit/folder.ts';
import { dcgen, expectUserError, tempRoot } from '../support/cli.ts';
import { adderTreeFolder } from '../support/synth.ts';

const T = 300_000;
const tmp = tempRoot('dcgen-place-test-');

const adderTree = (name: string): string => adderTreeFolder(tmp, name);

describe('asic --place: common.adder_tree on OSU018', () => {
  let dir: string;
  let report: SynthReport;
  const progress: string[] = [];
  beforeAll(async () => {
    dir = adderTree('adder');
    report = await synthesize(dir, { target: 'asic', engine: 'native', place: true, onProgress: (l) => progress.push(l) });
  }, T);

  it('routes every net of the synthesised netlist, unchanged, into a die that holds it', () => {
    const a = report.asic!;
    const p = a.placed!;
    expect(p.failedRoutes).toBe(0);
    expect(p.tool).toMatch(/^qflow 1\.3\.\S+ \(graywolf placement, qrouter routing, tech osu018; no fanout buffering\)$/);
    // No fanout buffering: the routed cells are the synthesised ones, fillers aside.
    expect(p.cells).toBe(a.cells);
    expect(p.cellAreaUm2).toBeCloseTo(a.areaUm2, 3);
    expect(p.fillerCells).toBeGreaterThanOrEqual(0);
    expect(p.dieAreaUm2).toBeCloseTo(p.dieWidthUm * p.dieHeightUm, 2);
    expect(p.dieAreaUm2).toBeGreaterThan(p.cellAreaUm2);
    expect(p.utilisation!).toBeCloseTo(p.cellAreaUm2 / p.dieAreaUm2, 3);
    expect(p.seconds).toBeGreaterThan(0);
    expect(p.seconds).toBeLessThan(300);
  });

  it('times the routed netlist with every net annotated: the wires only add delay', () => {
    const a = report.asic!;
    const p = a.placed!;
    expect(p.unannotatedNets).toBe(0);
    expect(p.fmaxFrom).toBe(a.fmaxFrom);
    expect(p.worstPathNs!).toBeGreaterThanOrEqual(a.worstPathNs! - 0.005);
    expect(p.worstConstrainedPathNs!).toBeGreaterThanOrEqual(a.worstConstrainedPathNs! - 0.005);
    expect(Math.abs(p.worstPathNs! - (a.clockNs - p.worstPath!.slackNs))).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(p.fmaxMHz! - 1000 / p.worstPathNs!)).toBeLessThanOrEqual(0.005);
    expect(p.timingMet).toBe(p.worstConstrainedPath!.slackNs >= 0);
    // qflow renames the instances; the register names come from the nets they drive.
    expect(p.worstPath!.startpoint).toMatch(/^DFFPOSX1_\d+$/);
    expect(p.worstPath!.startRegister).not.toBeNull();
    const log = readFileSync(path.join(dir, 'sta-routed.log'), 'utf8');
    expect(log).toMatch(/^#\s+read_spef routed\.spef$/m);
    expect(log).not.toMatch(/not found/);
    expect(log).toMatch(/^dcgen-sta: done$/m);
  });

  it('keeps the layout, the routed netlist, the parasitics and the logs; report.md shows both timings', () => {
    expect(report.files).toEqual(['report.json', 'report.md', 'synth-asic.log', 'netlist-asic.v', 'sta.log', 'qflow.log', 'netlist-routed.v', 'routed.def', 'routed.spef', 'sta-routed.log']);
    for (const f of report.files) expect(existsSync(path.join(dir, f)), f).toBe(true);
    expect(readFileSync(path.join(dir, 'routed.def'), 'utf8')).toMatch(/^DIEAREA /m);
    expect(readFileSync(path.join(dir, 'routed.spef'), 'utf8')).toMatch(/^\*C_UNIT 1 PF$/m);
    expect(readFileSync(path.join(dir, 'netlist-routed.v'), 'utf8')).not.toMatch(/^FILL /m);
    expect(readFileSync(path.join(dir, 'qflow.log'), 'utf8')).toMatch(/Final: No failed routes!/);
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain('## Placed and routed');
    expect(md).toContain(`| worst path delay | ${report.asic!.placed!.worstPathNs!.toFixed(3)} ns (synthesis: ${report.asic!.worstPathNs!.toFixed(3)} ns`);
    expect(progress.some((l) => /^qflow: Final: No failed routes!/.test(l))).toBe(true);
  });

  it('the folder stays a dcgen design folder (a new generation may replace it)', () => {
    expect(notDcgenFolder(dir)).toBeUndefined();
    for (const f of ASIC_PLACE_FILES) expect(DESIGN_FOLDER_EXTRAS).toContain(f);
  });

  it('a run without --place removes the outputs of an earlier --place run', async () => {
    const again = await synthesize(dir, { target: 'asic', engine: 'native' });
    expect(again.asic!.placed).toBeNull();
    expect(existsSync(path.join(dir, 'routed.def'))).toBe(false);
    expect(existsSync(path.join(dir, 'sta-routed.log'))).toBe(false);
  }, T);
});

describe('asic --place: options', () => {
  it('is for --target asic and the library qflow has layouts for', async () => {
    const dir = adderTree('opts');
    await expect(synthesize(dir, { target: 'generic', engine: 'native', place: true })).rejects.toThrow(SynthOptionError);
    const lib = await readLiberty(await defaultLibertyPath());
    expect(() => checkPlaceLibrary(lib)).not.toThrow();
    expect(() => checkPlaceLibrary({ library: 'other', path: '/x/other.lib' })).toThrow(PlaceError);
    expect(() => checkPlaceLibrary({ library: 'other', path: '/x/other.lib' })).toThrow(/--place runs qflow's osu018 technology.*\/x\/other\.lib is the library other/);
  });

  it('CLI: refused before anything runs with another target or library', async () => {
    const cwd = path.join(tmp, 'cli');
    mkdirSync(cwd);
    const src = readFileSync(await defaultLibertyPath(), 'utf8');
    writeFileSync(path.join(cwd, 'renamed.lib'), src.replace(/library\s*\(osu018_stdcells\)/, 'library (renamed)'));
    const runs = await Promise.all([
      dcgen(['synth', 'ditto.pe', '--target', 'ice40', '--place'], { cwd, timeout: T }),
      dcgen(['synth', 'ditto.pe', '--place'], { cwd, timeout: T }),
      dcgen(['synth', 'ditto.pe', '--target', 'asic', '--place', '--liberty', 'renamed.lib'], { cwd, timeout: T }),
    ]);
    expectUserError(runs[0], /^error: --place is for --target asic only$/);
    expectUserError(runs[1], /^error: --place is for --target asic only$/);
    expectUserError(runs[2], /^error: --place runs qflow's osu018 technology/, /is the library renamed/);
    expect(existsSync(path.join(cwd, 'rtl-out'))).toBe(false);
  }, T);
});

describe('asic --place: readers', () => {
  it('defDieArea, failedRoutes', () => {
    expect(defDieArea('UNITS DISTANCE MICRONS 100 ;\n\nDIEAREA ( -320 -300 ) ( 29040 21300 ) ;\n')).toEqual({ widthUm: 293.6, heightUm: 216 });
    expect(defDieArea('DIEAREA ( 0 0 ) ( 1 1 ) ;')).toBeNull();
    expect(failedRoutes('Failed net routes: 26\n...\nFinal: No failed routes!\n')).toBe(0);
    expect(failedRoutes('Final: Failed net routes: 3\n')).toBe(3);
    expect(failedRoutes('Progress: Stage 2\n')).toBeNull();
  });

  it('routedNetlist drops the pinless fillers and counts the cells', () => {
    const lib = { cells: new Map([['INVX1', {}], ['DFFPOSX1', {}]]) } as unknown as Parameters<typeof routedNetlist>[1];
    const r = routedNetlist('module m (a, y);\ninput a;\nINVX1 INVX1_1 ( .A(a), .Y(y) );\nFILL FILL_0_0_0 ( );\nFILL FILL_0_0_1 ( );\nendmodule\n', lib);
    expect(r.fillers).toBe(2);
    expect(r.byType).toEqual({ INVX1: 1 });
    expect(r.text).not.toContain('FILL');
  });

  it("fixQflowSpef: pF capacitances, *net:node internal nodes, the routed netlist's names", () => {
    const spef = ['*C_UNIT 1 FF', '*BUS_DELIMITER <>', '*NAME_MAP', '*1 in_n0[2]', '*2 acc_q[3]', '*3 _0447_', '*4 q_mem.mem[5][0]', '', '*PORTS', '*1 I', '*D_NET *2 0.01', '*CAP', '1 2_1 0.00082', '*RES', '1 *2 2_1 3.36', '2 2_1 *3:A 0', '*END'].join('\n');
    const fixed = fixQflowSpef(spef, 'module m (clk, in_n0, out);\ninput [3:0] in_n0;\n');
    expect(fixed.split('\n')).toEqual(['*C_UNIT 1 PF', '*BUS_DELIMITER []', '*NAME_MAP', '*1 in_n0[2]', '*2 acc_q_3_', '*3 _0447_', '*4 q_mem_mem_5__0_', '', '*PORTS', '*1 I', '*D_NET *2 0.01', '*CAP', '1 *2:1 0.00082', '*RES', '1 *2 *2:1 3.36', '2 *2:1 *3:A 0', '*END']);
  });
});
