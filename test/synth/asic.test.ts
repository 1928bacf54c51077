// `dcgen synth --target asic`: Yosys on the OSU 0.18 µm Liberty library, then OpenSTA. Real
// tools, no mocks (scripts/bootstrap.sh installs opensta and qflow-tech-osu018).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sramDesign } from '../../generator/blocks/common/sram.ts';
import { module, uint } from '../../generator/dsl/index.ts';
import { emitDesign } from '../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { cellArea, defaultLibertyPath, readLiberty, synthesize, LibertyError, type AsicPath, type AsicSynth, type SynthReport } from '../../eda/synth/index.ts';
import { chipArea, registerNets } from '../../eda/synth/asic.ts';
import { abcDriveConstraints, scanLiberty } from '../../eda/synth/liberty.ts';
import { parsePath, staError } from '../../eda/synth/sta.ts';
import { dcgen, expectUserError, tempRoot } from '../support/cli.ts';
import { adderTreeFolder, handDesign, type HandPort } from '../support/synth.ts';

const T = 60_000;
const tmp = tempRoot('dcgen-asic-test-');

const adderTree = (name: string): string => adderTreeFolder(tmp, name);


/** The figures every ASIC report must agree on: path delay = period − slack = arrival + setup, Fmax = 1000 / delay. */
function expectConsistentTiming(a: AsicSynth): void {
  const p = (a.fmaxFrom === 'register-to-register' ? a.worstPath : a.worstConstrainedPath)!;
  expect(p).not.toBeNull();
  expect(a.worstPathNs!).toBeGreaterThan(0);
  expect(a.fmaxMHz!).toBeGreaterThan(0);
  expect(Math.abs(a.worstPathNs! - (a.clockNs - p.slackNs))).toBeLessThanOrEqual(0.0005);
  expect(Math.abs(a.fmaxMHz! - 1000 / a.worstPathNs!)).toBeLessThanOrEqual(0.005);
  expect(Math.abs(p.requiredNs - p.arrivalNs - p.slackNs)).toBeLessThanOrEqual(0.0015);
  if (p.setupNs !== null) expect(Math.abs(a.worstPathNs! - (p.arrivalNs + p.setupNs))).toBeLessThanOrEqual(0.002);
  expect(p.met).toBe(p.slackNs >= 0);
  // The worst of all paths is at least as long as the worst register-to-register one.
  expect(a.worstConstrainedPathNs!).toBeGreaterThanOrEqual(a.worstPathNs! - 0.0005);
  expect(Math.abs(a.constrainedFmaxMHz! - 1000 / a.worstConstrainedPathNs!)).toBeLessThanOrEqual(0.005);
  expect(a.timingMet).toBe(a.worstConstrainedPath!.slackNs >= 0);
}

/** Area: `stat -liberty` (as the log shows it) and the sum of count × Liberty area agree. */
async function expectAreaFromLibrary(dir: string, a: AsicSynth): Promise<void> {
  const lib = await readLiberty(a.liberty.path);
  expect(a.areaUm2).toBeGreaterThan(0);
  expect(a.areaUm2).toBeCloseTo(cellArea(lib, a.cellsByType), 3);
  expect(a.areaUm2).toBeCloseTo(chipArea(readFileSync(path.join(dir, 'synth-asic.log'), 'utf8'))!, 3);
  expect(Object.values(a.cellsByType).reduce((x, y) => x + y, 0)).toBe(a.cells);
  for (const t of Object.keys(a.cellsByType)) expect(lib.cells.has(t), t).toBe(true);
  const ffs = Object.entries(a.cellsByType).filter(([t]) => lib.cells.get(t)!.flipFlop);
  expect(ffs.reduce((x, [, n]) => x + n, 0)).toBe(a.flipFlops);
}

describe('asic flow: common.adder_tree at its defaults on OSU018', () => {
  let dir: string;
  let report: SynthReport;
  const progress: string[] = [];
  beforeAll(async () => {
    dir = adderTree('adder');
    report = await synthesize(dir, { target: 'asic', engine: 'native', onProgress: (l) => progress.push(l) });
  }, T);

  it('uses the OSU018 library of qflow-tech-osu018 and the 10 ns default clock on clk', async () => {
    const a = report.asic!;
    expect(report.target).toBe('asic');
    expect(report.generic).toBeNull();
    expect(report.ice40).toBeNull();
    expect(report.tools.sta).toMatch(/^OpenSTA \d+\.\d+/);
    expect(report.tools.yosys).toMatch(/^Yosys \d+\.\d+/);
    expect(a.liberty).toEqual({ path: await defaultLibertyPath(), library: 'osu018_stdcells', default: true });
    expect(a.liberty.path.endsWith('osu018_stdcells.lib')).toBe(true);
    expect({ clockNs: a.clockNs, clockPort: a.clockPort, ioDelayNs: a.ioDelayNs, abcDelayTargetPs: a.abcDelayTargetPs }).toEqual({ clockNs: 10, clockPort: 'clk', ioDelayNs: 0, abcDelayTargetPs: 10000 });
    // abc drives the logic's inputs (flip-flop outputs too) by the smallest buffer, BUFX2, and loads its outputs with four BUFX2 inputs
    expect(a.abcDrive).toEqual({ drivingCell: 'BUFX2', load: 0.0373268 });
    expect(readFileSync(path.join(dir, 'synth-asic.log'), 'utf8')).toContain('-constr dcgen-abc.constr');
  });

  it('area is the sum of the cells\' Liberty areas, as yosys stat -liberty reports it; 12 flip-flops', async () => {
    const a = report.asic!;
    await expectAreaFromLibrary(dir, a);
    expect(a.flipFlops).toBe(12);
    expect(a.latches).toBe(0);
    expect(a.memoriesAsFlipFlops).toEqual([]);
  });

  it('timing: worst register-to-register path, Fmax = 1000 / worst path delay, as OpenSTA printed them', () => {
    const a = report.asic!;
    expectConsistentTiming(a);
    expect(a.fmaxFrom).toBe('register-to-register');
    const w = a.worstPath!;
    expect(w.startpointKind).toMatch(/flip-flop clocked by clk/);
    expect(w.endpointKind).toMatch(/flip-flop clocked by clk/);
    expect(w.startRegister).not.toBeNull();
    expect(w.endRegister).not.toBeNull();
    // The adder tree's logic sits between its inputs and its output register: an I/O path is the longest.
    expect(a.worstConstrainedPath!.startpointKind).toMatch(/^input port/);
    expect(a.constrainedFmaxMHz!).toBeLessThan(a.fmaxMHz!);
    expect(report.messages.some((m) => /input\/output path is longer/.test(m))).toBe(true);
    const log = readFileSync(path.join(dir, 'sta.log'), 'utf8');
    expect(log).toContain(`${w.slackNs.toFixed(3)}   slack (${w.met ? 'MET' : 'VIOLATED'})`);
    expect(log).toContain(`Startpoint: ${w.startpoint} `);
    expect(log).toMatch(/^dcgen-sta: done$/m);
  });

  it('writes report.json, report.md, the logs and the mapped netlist into the design folder', () => {
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'))).toEqual(report);
    expect(report.files).toEqual(['report.json', 'report.md', 'synth-asic.log', 'netlist-asic.v', 'sta.log']);
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain(`| area | ${report.asic!.areaUm2.toFixed(3)} µm² |`);
    expect(md).toContain(`| Fmax | ${report.asic!.fmaxMHz!.toFixed(2)} MHz |`);
    expect(md).toMatch(/input and output delays of 0 ns/);
    expect(md).toMatch(/Memories, if any, are mapped to flip-flops and logic/); // no memory: no macro
    const netlist = readFileSync(path.join(dir, 'netlist-asic.v'), 'utf8');
    expect(netlist).toMatch(/^module common_adder_tree\(/m);
    expect(netlist).toMatch(/DFFPOSX1 /);
    expect(progress.some((l) => /^sta: clock 10 ns on clk/.test(l))).toBe(true);
    expect(progress.at(-1)).toMatch(/^report: /);
  });

  it('--liberty at an odd path (space, quote) and --clock-ns 2.5: that file, that clock', async () => {
    const odd = path.join(tmp, "lib dir $x", "it's osu.lib");
    mkdirSync(path.dirname(odd));
    copyFileSync(await defaultLibertyPath(), odd);
    const r = await synthesize(dir, { target: 'asic', engine: 'native', liberty: odd, clockNs: 2.5 });
    const a = r.asic!;
    expect(a.liberty).toEqual({ path: odd, library: 'osu018_stdcells', default: false });
    expect(a.clockNs).toBe(2.5);
    expect(a.abcDelayTargetPs).toBe(2500);
    await expectAreaFromLibrary(dir, a);
    expectConsistentTiming(a);
  }, T);
});

describe('asic flow: designs', () => {
  it('ditto.pe through the CLI: 141 flip-flops, the accumulator path, consistent figures', async () => {
    const cwd = path.join(tmp, 'cli-pe');
    mkdirSync(cwd);
    const r = await dcgen(['synth', 'ditto.pe', '--target', 'asic'], { cwd, timeout: T });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^asic osu018_stdcells: area \d+\.\d um2, \d+ cells, 141 flip-flops$/m);
    expect(r.stdout).toMatch(/^asic timing at 10 ns: worst register-to-register path \d+\.\d{3} ns \(.+ -> .+, slack -?\d+\.\d{3} ns\), Fmax \d+\.\d{2} MHz/m);
    const dir = path.join(cwd, 'rtl-out', 'ditto.pe');
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as SynthReport;
    const a = report.asic!;
    expect(a.flipFlops).toBe(141); // stages 2: the slot products, signs and shift flags, the 17-bit word sum, valid/last, 32-bit accumulator and output, out_valid
    await expectAreaFromLibrary(dir, a);
    expectConsistentTiming(a);
    expect(a.worstPath!.endRegister).toMatch(/acc/);
    expect(r.stdout).toContain(`Fmax ${a.fmaxMHz!.toFixed(2)} MHz`);
  }, T);

  it('a memory is mapped to flip-flops, and the report says so', async () => {
    const top = 'ram_t';
    const v = [
      `module ${top} (input wire clk, input wire we, input wire [2:0] waddr, input wire [2:0] raddr, input wire [7:0] wdata, output reg [7:0] rdata);`,
      '  reg [7:0] mem [0:7];',
      '  always @(posedge clk) begin',
      '    if (we) mem[waddr] <= wdata;',
      '    rdata <= mem[raddr];',
      '  end',
      'endmodule',
      '',
    ].join('\n');
    const ports: HandPort[] = [
      { name: 'clk', direction: 'input', width: 1 },
      { name: 'we', direction: 'input', width: 1 },
      { name: 'waddr', direction: 'input', width: 3 },
      { name: 'raddr', direction: 'input', width: 3 },
      { name: 'wdata', direction: 'input', width: 8 },
      { name: 'rdata', direction: 'output', width: 8 },
    ];
    const dir = handDesign(tmp, 'ram', top, v, ports, true);
    const r = await synthesize(dir, { target: 'asic', engine: 'native' });
    const a = r.asic!;
    expect(a.memoriesAsFlipFlops).toEqual(['mem']);
    expect(a.flipFlops).toBe(8 * 8 + 8);
    expect(r.messages.some((m) => /1 memory \(mem\) mapped to flip-flops/.test(m))).toBe(true);
    await expectAreaFromLibrary(dir, a);
    expectConsistentTiming(a);
  }, T);

  it('a combinational design: a virtual clock, no register path, the worst input-to-output path sets Fmax', async () => {
    const top = 'comb_t';
    const v = [
      `module ${top} (input wire [7:0] a, input wire [7:0] b, output wire [8:0] s, output wire [3:0] k, output wire [1:0] p);`,
      '  assign s = a + b;',
      "  assign k = 4'b1010;",
      '  assign p = {a[0], b[7]};',
      'endmodule',
      '',
    ].join('\n');
    const ports: HandPort[] = [
      { name: 'a', direction: 'input', width: 8 },
      { name: 'b', direction: 'input', width: 8 },
      { name: 's', direction: 'output', width: 9 },
      { name: 'k', direction: 'output', width: 4 },
      { name: 'p', direction: 'output', width: 2 },
    ];
    const dir = handDesign(tmp, 'comb', top, v, ports, false);
    const r = await synthesize(dir, { target: 'asic', engine: 'native' });
    const a = r.asic!;
    expect(a.clockPort).toBeNull();
    expect(a.flipFlops).toBe(0);
    expect(a.worstPath).toBeNull();
    expect(a.fmaxFrom).toBe('all-paths');
    expect(a.worstConstrainedPath!.startpointKind).toMatch(/^input port/);
    expect(a.worstConstrainedPath!.endpointKind).toMatch(/^output port/);
    expect(a.worstPathNs).toBe(a.worstConstrainedPathNs);
    expectConsistentTiming(a);
    expect(r.messages.some((m) => /No register-to-register path/.test(m))).toBe(true);
  }, T);
});

describe('asic flow: memories as macros (--memories macros, the default) or flip-flops', () => {
  function sram(name: string): string {
    const p = sramDesign.resolve({ depth: 16, width: 8 });
    const dir = path.join(tmp, name);
    writeFilesAtomically(dir, emitDesign(sramDesign.build(p), { design: 'common.sram', params: p }).files);
    return dir;
  }

  it('common.sram: the bank is a black box by default (listed, not in the area), flip-flops with --memories flops', async () => {
    const dir = sram('sram-macro');
    const r = await synthesize(dir, { target: 'asic', engine: 'native' });
    const a = r.asic!;
    expect(a.memories).toBe('macros');
    expect(a.macros).toEqual([
      {
        module: 'dcgen_mem_16x8_1r1w_r1',
        instances: ['common_sram.bank_mem'],
        depth: 16,
        width: 8,
        bits: 128,
        totalBits: 128,
        ports: '1r1w',
        readLatency: 1,
        constraints: expect.stringMatching(/^pins cut to ports `<instance>\.<pin>`: rdata as inputs with an input delay of 0 ns .*we, waddr, wdata, re, raddr as outputs with an output delay of 0 ns .*clk dropped/),
      },
    ]);
    expect(a.memoriesAsFlipFlops).toEqual([]);
    // nothing but wires around the macro: no cell at all
    expect(a.flipFlops).toBe(0);
    expect(a.areaUm2).toBe(0);
    const netlist = readFileSync(path.join(dir, 'netlist-asic.v'), 'utf8');
    expect(netlist).toMatch(/output \\bank_mem\.raddr\[3\] ;/);
    expect(netlist).toMatch(/input \\bank_mem\.rdata\[7\] ;/);
    expect(netlist).not.toMatch(/dcgen_mem_|bank_mem\.clk/);
    expect(r.messages.some((m) => /^1 memory instance of 1 memory module \(dcgen_mem_16x8_1r1w_r1; 128 bits\) black-boxed as macros/.test(m))).toBe(true);
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain('### Macros (black boxes: not in the area)');
    expect(md).toContain('| `dcgen_mem_16x8_1r1w_r1` | 16 × 8 = 128 bits, 1r1w, read latency 1 | 1: common_sram.bank_mem |');

    const f = (await synthesize(dir, { target: 'asic', engine: 'native', memories: 'flops' })).asic!;
    expect(f.memories).toBe('flops');
    expect(f.macros).toEqual([]);
    expect(f.memoriesAsFlipFlops).toEqual(['bank_mem']);
    expect(f.flipFlops).toBe(16 * 8 + 8);
    expect(f.areaUm2).toBeGreaterThan(10_000);
    await expectAreaFromLibrary(dir, f);
  }, T);

  it('the macro pins count as registers: a register to the read address, the read data to a register', async () => {
    const top = module('mac_t', (m) => {
      const a = m.input('a', uint(4));
      const d = m.input('d', uint(8));
      const ra = m.reg('ra', uint(4));
      m.sync(() => ra.set(a));
      const store = m.memory('store', { depth: 16, type: uint(8) });
      m.sync(() => store.write(ra, d));
      const rd = m.reg('rd', uint(8));
      m.sync(() => rd.set(store.read(ra.add(1).trunc(4))));
      const q = m.reg('q', uint(9));
      m.sync(() => q.set(rd.add(d)));
      m.output('y', q);
    });
    const dir = path.join(tmp, 'mac');
    writeFilesAtomically(dir, emitDesign(top, { design: 'test.mac', params: {} }).files);
    const r = await synthesize(dir, { target: 'asic', engine: 'native' });
    const a = r.asic!;
    expect(a.macros!.map((x) => [x.module, x.instances])).toEqual([['dcgen_mem_16x8_1r1w_r1', ['mac_t.store']]]);
    expect(a.fmaxFrom).toBe('register-to-register');
    const p = a.worstPath!;
    expect(`${p.startpoint} -> ${p.endpoint}`).toMatch(/^store\.rdata\[\d\] -> |-> store\.raddr\[\d\]$/);
    expectConsistentTiming(a);
    expect(a.flipFlops).toBe(4 + 9);
    const log = readFileSync(path.join(dir, 'sta.log'), 'utf8');
    expect(log).toContain('set dcgen_macro_out [get_ports -quiet {store.rdata*}]');
    expect(log).toContain('set dcgen_macro_in [get_ports -quiet {store.re* store.raddr* store.we* store.waddr* store.wdata*}]');
  }, T);

  it('--memories: macros or flops, for --target asic only', async () => {
    const cwd = path.join(tmp, 'cli-memories');
    mkdirSync(cwd);
    const bad = await dcgen(['synth', 'common.sram', '--target', 'asic', '--memories', 'sram'], { cwd, timeout: T });
    expectUserError(bad, /^error: --memories 'sram': expected one of macros, flops$/);
    const stray = await dcgen(['synth', 'common.sram', '--memories', 'flops'], { cwd, timeout: T });
    expectUserError(stray, /^error: --memories is for --target asic only$/);
    expect(existsSync(path.join(cwd, 'rtl-out'))).toBe(false);
  }, T);
});

describe('asic flow: refusals', () => {
  it('a bad --liberty or --clock-ns: one error line, exit 2, nothing generated', async () => {
    const cwd = path.join(tmp, 'cli-bad');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'notes.txt'), 'cell (INV) { area : 1; }\n');
    writeFileSync(path.join(cwd, 'noff.lib'), 'library (tiny) {\n  cell (INV) {\n    area : 1;\n    pin (A) { direction : input; }\n  }\n}\n');
    mkdirSync(path.join(cwd, 'adir.lib'));
    const cases: [string[], RegExp][] = [
      [['--liberty', 'missing.lib'], /^error: --liberty 'missing\.lib': no such file$/],
      [['--liberty', 'adir.lib'], /^error: --liberty 'adir\.lib': not a regular file/],
      [['--liberty', 'notes.txt'], /^error: --liberty 'notes\.txt': not a Liberty file/],
      [['--liberty', 'noff.lib'], /^error: --liberty 'noff\.lib': Liberty library 'tiny' has no flip-flop cell/],
      [['--clock-ns', 'fast'], /^error: --clock-ns "fast": expected a clock period in nanoseconds from 0\.001 to 1000000/],
      [['--clock-ns', '0'], /^error: --clock-ns "0": expected/],
      [['--clock-ns=-2'], /^error: --clock-ns "-2": expected/],
      [['--clock-ns', '1e3'], /^error: --clock-ns "1e3": expected/],
      [['--clock-ns', '05'], /^error: --clock-ns "05": expected/],
      [['--clock-ns', '0.0004'], /^error: --clock-ns "0\.0004": expected/],
      [['--clock-ns', '2000000'], /^error: --clock-ns "2000000": expected/],
    ];
    const runs = await Promise.all(cases.map(([args]) => dcgen(['synth', 'ditto.pe', '--target', 'asic', ...args], { cwd, timeout: T })));
    runs.forEach((r, i) => expectUserError(r, cases[i][1]));
    const other = await dcgen(['synth', 'ditto.pe', '--clock-ns', '5'], { cwd, timeout: T });
    expectUserError(other, /^error: --clock-ns is for --target asic only$/);
    expect(existsSync(path.join(cwd, 'rtl-out'))).toBe(false);
  }, T);

  it('a library Yosys cannot map onto: one error line naming the tool and its log, exit 2, no report', async () => {
    const cwd = path.join(tmp, 'cli-fail');
    mkdirSync(cwd);
    const dir = adderTree('adder-fail');
    // OSU018 with only its DFFPOSX1: a Liberty file, but ABC finds no gate to map onto.
    const src = readFileSync(await defaultLibertyPath(), 'utf8');
    const ffOnly = src.slice(0, src.indexOf('cell (AND2X1)')) + src.slice(src.indexOf('cell (DFFPOSX1)'), src.indexOf('cell (DFFSR)')) + '}\n';
    writeFileSync(path.join(cwd, 'ff-only.lib'), ffOnly);
    const r = await dcgen(['synth', dir, '--target', 'asic', '--liberty', 'ff-only.lib'], { cwd, timeout: T });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const errors = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('  '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: yosys exited with code \d+: ERROR: .+ \(log: .*synth-asic\.log\)$/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(dir, 'report.json'))).toBe(false);
    await expect(synthesize(dir, { target: 'asic', engine: 'native', liberty: path.join(cwd, 'nope.lib') })).rejects.toThrow(LibertyError);
  }, T);
});

describe('asic flow: readers', () => {
  it('scanLiberty: comments, strings, ff and latch groups, the state output pin', () => {
    const text = [
      '/* header { } */ library ("demo") {',
      '  time_unit : "1ps"; // not { a group',
      '  cell (DFFX) { area : 12.5; ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }',
      '    pin (QN) { direction : output; function : "IQN"; }',
      '    pin (Q) { direction : output; function : "IQ"; } }',
      '  cell (LAT) { area : 7; latch (IQ, IQN) { enable : "G"; data_in : "D"; } pin (Q) { direction : output; function : "IQ"; } }',
      '  cell (NAND) { area : 2; pin (Y) { direction : output; function : "!(A&B)"; } }',
      '  cell (BUF4) { area : 4; pin (A) { direction : input; capacitance : 0.02; } pin (Y) { direction : output; function : "A"; } }',
      '  cell (BUF1) { area : 3; pin (A) { direction : input; capacitance : 0.01; } pin (Y) { direction : output; function : "(A)"; } }',
      '  cell (INV) { area : 1; pin (A) { direction : input; capacitance : 0.01; } pin (Y) { direction : output; function : "!A"; } }',
      '}',
    ].join('\n');
    const lib = scanLiberty(text, '/x.lib')!;
    expect(lib.library).toBe('demo');
    expect(lib.timeUnit).toBe('1ps');
    expect(lib.cells.get('DFFX')).toEqual({ name: 'DFFX', area: 12.5, flipFlop: true, latch: false, stateOutput: 'Q', bufferInputCap: null });
    expect(lib.cells.get('LAT')).toEqual({ name: 'LAT', area: 7, flipFlop: false, latch: true, stateOutput: 'Q', bufferInputCap: null });
    expect(lib.cells.get('NAND')).toEqual({ name: 'NAND', area: 2, flipFlop: false, latch: false, stateOutput: null, bufferInputCap: null });
    // buffers: one input, one output of that input's function; abc's driving cell is the smallest
    expect([...lib.cells.values()].filter((c) => c.bufferInputCap !== null).map((c) => c.name)).toEqual(['BUF4', 'BUF1']);
    expect(abcDriveConstraints(lib)).toEqual({ drivingCell: 'BUF1', load: 0.04 });
    expect(abcDriveConstraints({ cells: new Map([...lib.cells].filter(([n]) => !n.startsWith('BUF'))) })).toBeNull();
    expect(scanLiberty('cell (X) { }', '/y.lib')).toBeNull();
    expect(scanLiberty('library (a) { cell (X) {', '/z.lib')).toBeNull();
    const nets = registerNets('  DFFX _12_ (\n    .CK(clk),\n    .D(_3_),\n    .Q(\\acc[3] )\n  );\n  NAND _13_ (\n    .A(a),\n    .Y(y)\n  );\n', lib);
    expect([...nets]).toEqual([['_12_', 'acc[3]']]);
  });

  it('parsePath and staError read OpenSTA\'s text', () => {
    const block = [
      'Startpoint: _1_ (rising edge-triggered flip-flop clocked by clk)',
      'Endpoint: _2_ (rising edge-triggered flip-flop clocked by clk)',
      'Path Group: clk',
      'Path Type: max',
      '                                    1.250   data arrival time',
      '                          -0.200    9.800   library setup time',
      '                                    9.800   data required time',
      '                                   -1.250   data arrival time',
      '                                    8.550   slack (MET)',
    ].join('\n');
    expect(parsePath(block)).toEqual<AsicPath>({
      startpoint: '_1_',
      startpointKind: 'rising edge-triggered flip-flop clocked by clk',
      endpoint: '_2_',
      endpointKind: 'rising edge-triggered flip-flop clocked by clk',
      startRegister: null,
      endRegister: null,
      pathGroup: 'clk',
      arrivalNs: 1.25,
      requiredNs: 9.8,
      setupNs: 0.2,
      slackNs: 8.55,
      met: true,
    });
    expect(staError('dcgen-sta: all paths\nError: netlist.v, line 3 syntax error\n')).toBe('netlist.v, line 3 syntax error');
    expect(staError('dcgen-sta: error: Error: cannot read file x.lib.\n')).toBe('cannot read file x.lib.');
    expect(staError('Warning: netlist.v, line 9 module INVX9 not found.  Creating black box for _1_.')).toMatch(/Creating black box/);
    expect(staError('dcgen-sta: done\n')).toBeNull();
  });
});
