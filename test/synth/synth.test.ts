import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamValue } from '../../generator/emit/design.ts';
import { ToolFailedError, ToolMissingError } from '../../eda/tools/errors.ts';
import {
  ice40Wrapper,
  reportMarkdown,
  synthesize,
  SYNTH_REPORT_SCHEMA,
  SYNTH_REPORT_VERSION,
  writeReport,
  DesignFolderError,
  YosysMissingError,
  type SynthReport,
} from '../../eda/synth/index.ts';
import { parseNextpnrReport, precheckFit, ICE40_DEVICES, tooLargeReason } from '../../eda/synth/ice40.ts';
import { isFlipFlopCellType } from '../../eda/synth/generic.ts';
import { tempRoot } from '../support/cli.ts';
import { adderTreeFolder, handDesign, type HandPort } from '../support/synth.ts';

const T = 120_000;
const tmp = tempRoot('dcgen-synth-test-');

const generate = (name: string, overrides: Record<string, ParamValue> = {}): string => adderTreeFolder(tmp, name, overrides);


const CLOCK_PORTS: HandPort[] = [
  { name: 'clk', direction: 'input', width: 1 },
  { name: 'rst', direction: 'input', width: 1 },
];

/** `count` registered 8x8 multipliers XORed together. */
function multipliers(top: string, count: number): string {
  const terms = Array.from({ length: count }, (_, i) => `({a[7:1], a[0] ^ 1'b${i % 2}} * (b ^ 8'd${i}))`);
  return [
    `module ${top} (input wire clk, input wire rst, input wire [7:0] a, input wire [7:0] b, output reg [15:0] p);`,
    '  always @(posedge clk) begin',
    "    if (rst) p <= 16'd0;",
    `    else p <= ${terms.join(' ^ ')};`,
    '  end',
    'endmodule',
    '',
  ].join('\n');
}

/** A `bits`-long shift register: `bits` flip-flops and almost no logic. */
function shiftRegister(top: string, bits: number): string {
  return [
    `module ${top} (input wire clk, input wire rst, input wire d, output wire q);`,
    `  reg [${bits - 1}:0] sr;`,
    `  always @(posedge clk) sr <= {sr[${bits - 2}:0], d ^ rst};`,
    `  assign q = sr[${bits - 1}];`,
    'endmodule',
    '',
  ].join('\n');
}
const SR_PORTS: HandPort[] = [...CLOCK_PORTS, { name: 'd', direction: 'input', width: 1 }, { name: 'q', direction: 'output', width: 1 }];

/** A RAM of `depth` x 16 bits (one write port, one registered read port): block RAMs, little logic. */
function ram(top: string, depth: number): string {
  const a = Math.ceil(Math.log2(depth));
  return [
    `module ${top} (input wire clk, input wire rst, input wire we, input wire [${a - 1}:0] waddr, input wire [${a - 1}:0] raddr, input wire [15:0] wdata, output reg [15:0] rdata);`,
    `  reg [15:0] mem [0:${depth - 1}];`,
    '  always @(posedge clk) begin',
    "    if (we) mem[waddr] <= wdata ^ {15'd0, rst};",
    '    rdata <= mem[raddr];',
    '  end',
    'endmodule',
    '',
  ].join('\n');
}

function ramPorts(depth: number): HandPort[] {
  const a = Math.ceil(Math.log2(depth));
  return [
    ...CLOCK_PORTS,
    { name: 'we', direction: 'input', width: 1 },
    { name: 'waddr', direction: 'input', width: a },
    { name: 'raddr', direction: 'input', width: a },
    { name: 'wdata', direction: 'input', width: 16 },
    { name: 'rdata', direction: 'output', width: 16 },
  ];
}

const MUL_PORTS: HandPort[] = [...CLOCK_PORTS, { name: 'a', direction: 'input', width: 8 }, { name: 'b', direction: 'input', width: 8 }, { name: 'p', direction: 'output', width: 16 }];

/** Flip-flop bits a design must have: the widths of its `reg` declarations (all are clocked). */
function regBits(verilog: string): number {
  let bits = 0;
  for (const m of verilog.matchAll(/^\s*reg\s+(?:signed\s+)?(?:\[(\d+):(\d+)\]\s+)?\w+;/gm)) {
    bits += m[1] === undefined ? 1 : Number(m[1]) - Number(m[2]) + 1;
  }
  return bits;
}

function readReport(dir: string): SynthReport {
  return JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as SynthReport;
}

describe('generic synthesis (native Yosys) of the adder tree', () => {
  let dir: string;
  let report: SynthReport;
  const progress: string[] = [];
  beforeAll(async () => {
    dir = generate('generic');
    report = await synthesize(dir, { target: 'generic', engine: 'native', onProgress: (l) => progress.push(l) });
  }, T);

  it('counts cells and exactly the flip-flops of the Verilog (11-bit sum + valid = 12)', () => {
    const v = readFileSync(path.join(dir, 'common_adder_tree.v'), 'utf8');
    expect(regBits(v)).toBe(12);
    const g = report.generic!;
    expect(g.cells).toBeGreaterThan(0);
    expect(g.area).toBe(g.cells);
    expect(g.areaUnit).toBe('cells');
    expect(g.flipFlops).toBe(12);
    expect(g.latches).toBe(0);
    expect(Object.values(g.cellsByType).reduce((a, b) => a + b, 0)).toBe(g.cells);
    const ffByType = Object.entries(g.cellsByType).filter(([t]) => isFlipFlopCellType(t));
    expect(ffByType.reduce((a, [, n]) => a + n, 0)).toBe(12);
    expect(report.ice40).toBeNull();
  });

  it('flip-flops follow the parameters (stages=2, n=4, width=6 unsigned)', async () => {
    const d = generate('generic-s2', { stages: 2, n: 4, width: 6, signed: false });
    const r = await synthesize(d, { target: 'generic', engine: 'native' });
    // registerLevels(2 levels, 2 stages) = after level 1 (2 x 7 bits) and level 2 (1 x 8 bits), 2 valid bits
    expect(regBits(readFileSync(path.join(d, 'common_adder_tree.v'), 'utf8'))).toBe(2 * 7 + 8 + 2);
    expect(r.generic!.flipFlops).toBe(2 * 7 + 8 + 2);
  }, T);

  it('writes report.json (schema + version) and report.md, keeps the log, reports progress', () => {
    const onDisk = readReport(dir);
    expect(onDisk).toEqual(report);
    expect(onDisk.schema).toBe(SYNTH_REPORT_SCHEMA);
    expect(onDisk.version).toBe(SYNTH_REPORT_VERSION);
    expect(onDisk.design).toBe('common.adder_tree');
    expect(onDisk.top).toBe('common_adder_tree');
    expect(onDisk.tools.yosys).toMatch(/^Yosys \d+\.\d+/);
    expect(onDisk.files).toEqual(['report.json', 'report.md', 'synth-generic.log']);
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain('| flip-flops | 12 |');
    expect(readFileSync(path.join(dir, 'synth-generic.log'), 'utf8')).toMatch(/Executing SYNTH pass/);
    expect(progress.some((l) => /^yosys: \d+(\.\d+)*\. Executing /.test(l))).toBe(true);
    expect(progress.at(-1)).toMatch(/^report: /);
  });
});

describe('wasm engine (@yowasp/yosys) against native Yosys', () => {
  it('gives the same flip-flops, and the same cells when both are the same Yosys version', async () => {
    const dir = generate('wasm');
    const t0 = performance.now();
    const native = await synthesize(dir, { target: 'generic', engine: 'native' });
    const t1 = performance.now();
    const wasm = await synthesize(dir, { target: 'generic', engine: 'wasm' });
    const t2 = performance.now();
    expect(wasm.engine).toBe('wasm');
    expect(wasm.tools.yosys).toContain('WebAssembly');
    const g = wasm.generic!;
    expect(g.cells).toBeGreaterThan(0);
    expect(g.flipFlops).toBe(native.generic!.flipFlops);
    expect(g.latches).toBe(0);
    const ffs = (r: SynthReport) => Object.fromEntries(Object.entries(r.generic!.cellsByType).filter(([t]) => isFlipFlopCellType(t)));
    expect(ffs(wasm)).toEqual(ffs(native));
    const ver = (r: SynthReport) => /Yosys (\d+\.\d+)/.exec(r.tools.yosys)?.[1];
    if (ver(wasm) === ver(native)) {
      expect(g.cells).toBe(native.generic!.cells);
      expect(g.cellsByType).toEqual(native.generic!.cellsByType);
    } else {
      // Different Yosys releases optimise differently (ABC, alumacc/macc): the gate counts
      // are not comparable across versions; the report names the version that made them.
      console.info(`yosys ${ver(native)} native: ${native.generic!.cells} cells in ${(t1 - t0).toFixed(0)} ms; yosys ${ver(wasm)} wasm: ${g.cells} cells in ${(t2 - t1).toFixed(0)} ms`);
      expect(ver(wasm)).not.toBe(ver(native));
    }
  }, T);
});

describe('hierarchical designs', () => {
  it('flattens for the generic figures; both engines count the same flip-flops and no $scopeinfo', async () => {
    const dir = path.join(tmp, 'hier');
    mkdirSync(dir);
    const leaf = 'module hier_leaf (input wire clk, input wire [3:0] d, output reg [3:0] q);\n  always @(posedge clk) q <= d + 4\'d1;\nendmodule\n';
    const top = [
      'module hier_top (input wire clk, input wire rst, input wire [3:0] d, output wire [3:0] q);',
      '  wire [3:0] m;',
      '  hier_leaf a (.clk(clk), .d(d ^ {3\'d0, rst}), .q(m));',
      '  hier_leaf b (.clk(clk), .d(m), .q(q));',
      'endmodule',
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'hier_leaf.v'), leaf);
    writeFileSync(path.join(dir, 'hier_top.v'), top);
    writeFileSync(path.join(dir, 'hier_top.f'), 'hier_leaf.v\nhier_top.v\n');
    const ports = (list: HandPort[]) => list.map((p) => ({ ...p, signed: false }));
    const io: HandPort[] = [{ name: 'd', direction: 'input', width: 4 }, { name: 'q', direction: 'output', width: 4 }];
    writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        generator: { name: 'dcgen', version: '0.0.0-test' },
        design: 'test.hier',
        top: 'hier_top',
        configHash: '0000000000000000',
        params: {},
        filelist: 'hier_top.f',
        modules: [
          { name: 'hier_leaf', file: 'hier_leaf.v', doc: '', params: {}, hasClock: false, streams: [], ports: ports([{ name: 'clk', direction: 'input', width: 1 }, ...io]) },
          { name: 'hier_top', file: 'hier_top.v', doc: '', params: {}, hasClock: true, streams: [], ports: ports([...CLOCK_PORTS, ...io]) },
        ],
      }),
    );
    const native = await synthesize(dir, { target: 'generic', engine: 'native' });
    const wasm = await synthesize(dir, { target: 'generic', engine: 'wasm' });
    for (const r of [native, wasm]) {
      expect(r.generic!.flipFlops).toBe(8);
      expect(Object.keys(r.generic!.cellsByType).filter((t) => !t.startsWith('$_'))).toEqual([]);
    }
  }, T);
});

describe('iCE40 flow (synth_ice40 + nextpnr-ice40) on a small adder tree', () => {
  let dir: string;
  let report: SynthReport;
  beforeAll(async () => {
    dir = generate('ice40', { n: 4 });
    report = await synthesize(dir, { target: 'ice40', engine: 'native' });
  }, T);

  it('places and routes on the UP5K with LUT4s, flip-flops and a post-route Fmax', () => {
    const i = report.ice40!;
    expect(i.fits).toBe(true);
    expect(i.device).toBe('up5k');
    expect(i.package).toBe('sg48');
    expect(i.netlist.lut4).toBeGreaterThan(0);
    // the design's 11 flip-flops (10-bit sum + valid) plus the wrapper's
    expect(i.netlist.ff).toBeGreaterThanOrEqual(11 + i.wrapper.inputBits + i.wrapper.outputBits);
    expect(i.utilisation!.lc.used).toBeGreaterThanOrEqual(Math.max(i.netlist.lut4, i.netlist.ff));
    expect(i.utilisation!.lc.available).toBe(5280);
    expect(i.utilisation!.io.used).toBe(5);
    expect(i.utilisation!.dsp.used).toBe(0);
    expect(i.utilisation!.ram.used).toBe(0);
    expect(i.fmaxMhz).toBeGreaterThan(0);
    expect(i.clocks).toHaveLength(1);
    expect(i.criticalPath!.delayNs).toBeCloseTo(1000 / i.fmaxMhz!, 0);
    expect(i.freqTargetMhz).toBe(12);
    expect(i.seed).toBe(1);
    expect(i.attempts).toEqual([expect.objectContaining({ device: 'up5k', outcome: 'placed' })]);
    expect(report.generic).toBeNull();
  });

  it("takes Fmax and utilisation from nextpnr's own --report JSON", () => {
    const rep = JSON.parse(readFileSync(path.join(dir, 'nextpnr-report.json'), 'utf8')) as {
      fmax: Record<string, { achieved: number }>;
      utilization: Record<string, { used: number }>;
    };
    const achieved = Object.values(rep.fmax).map((c) => c.achieved);
    expect(report.ice40!.fmaxMhz).toBeCloseTo(Math.min(...achieved), 2);
    expect(report.ice40!.utilisation!.lc.used).toBe(rep.utilization.ICESTORM_LC.used);
    expect(readFileSync(path.join(dir, 'nextpnr.log'), 'utf8')).toMatch(/Max frequency for clock/);
    for (const f of ['synth-ice40.log', 'nextpnr.log', 'ice40-wrap.v', 'report.md']) expect(existsSync(path.join(dir, f))).toBe(true);
  });

  it('wraps the design in a 5-pin scan chain whose I/O covers every port bit', () => {
    const w = readFileSync(path.join(dir, 'ice40-wrap.v'), 'utf8');
    const i = report.ice40!;
    // n=4 x s8 + in_valid + out_ready in; in_ready + out_valid + s10 out
    expect(i.wrapper.inputBits).toBe(4 * 8 + 2);
    expect(i.wrapper.outputBits).toBe(10 + 2);
    expect(i.wrapper.pins).toEqual(['clk', 'rst', 'sin', 'shift', 'sout']);
    expect(w).toMatch(/module dcgen_ice40_wrap \(/);
    expect(w).toContain('reg  [33:0] in_sr;');
    expect(w).toContain('in_sr <= {in_sr[32:0], sin_q};');
    expect(w).toContain('.out_sum(dut_out[11:2])');
    expect(w).toContain('.rst(rst_q)');
  });

  it('passes -dsp to synth_ice40 only when asked and records it', async () => {
    const r = await synthesize(dir, { target: 'ice40', engine: 'native', dsp: true });
    expect(r.ice40!.dspRequested).toBe(true);
    expect(r.ice40!.dspMapped).toBe(true);
    expect(readFileSync(path.join(dir, 'synth-ice40.log'), 'utf8')).toMatch(/^#\s+synth_ice40 -top dcgen_ice40_wrap -dsp$/m);
    expect(report.ice40!.dspMapped).toBe(false);
  }, T);
});

describe('iCE40 flow with the wasm engine', () => {
  it('synth_ice40 and nextpnr-ice40 in WebAssembly: placed, with an Fmax', async () => {
    const dir = generate('ice40-wasm', { n: 4 });
    const r = await synthesize(dir, { target: 'ice40', engine: 'wasm' });
    expect(r.tools.yosys).toContain('WebAssembly');
    expect(r.ice40!.fits).toBe(true);
    expect(r.ice40!.device).toBe('up5k');
    expect(r.ice40!.netlist.lut4).toBeGreaterThan(0);
    expect(r.ice40!.netlist.cellsByType.$scopeinfo).toBeUndefined();
    expect(r.ice40!.fmaxMhz).toBeGreaterThan(0);
  }, T);
});

describe('iCE40 device choice (hand-written designs)', () => {
  it('-dsp maps a multiplier to an SB_MAC16 on the UP5K', async () => {
    const dir = handDesign(tmp, 'mul1', 'mul1', multipliers('mul1', 1), MUL_PORTS);
    const r = await synthesize(dir, { target: 'ice40', engine: 'native', dsp: true });
    expect(r.ice40!.device).toBe('up5k');
    expect(r.ice40!.dspMapped).toBe(true);
    expect(r.ice40!.netlist.dsp).toBe(1);
    expect(r.ice40!.utilisation!.dsp).toEqual({ used: 1, available: 8 });
    const plain = await synthesize(dir, { target: 'ice40', engine: 'native' });
    expect(plain.ice40!.utilisation!.dsp.used).toBe(0);
    expect(plain.ice40!.netlist.lut4).toBeGreaterThan(r.ice40!.netlist.lut4);
  }, T);

  it('more multipliers than the UP5K has DSPs: the UP5K again, with multipliers in logic', async () => {
    const dir = handDesign(tmp, 'mul9', 'mul9', multipliers('mul9', 9), MUL_PORTS);
    const r = await synthesize(dir, { target: 'ice40', engine: 'native', dsp: true });
    const i = r.ice40!;
    expect(i.attempts.map((a) => [a.device, a.dsp, a.outcome])).toEqual([
      ['up5k', true, 'too-large'],
      ['up5k', false, 'placed'],
    ]);
    expect(i.attempts[0].detail).toMatch(/needs 9 DSP\(s\), the device has 8/);
    expect(i.device).toBe('up5k');
    expect(i.dspMapped).toBe(false);
    expect(i.utilisation!.dsp.used).toBe(0);
    expect(existsSync(path.join(dir, 'synth-ice40-nodsp.log'))).toBe(true);
  }, T);

  it('too big for the UP5K: placed and routed on the HX8K', async () => {
    // 7936 x 16 bits = 32 block RAMs: the UP5K has 30, the HX8K 32.
    const dir = handDesign(tmp, 'ram32', 'ram32', ram('ram32', 7936), ramPorts(7936));
    const r = await synthesize(dir, { target: 'ice40', engine: 'native' });
    const i = r.ice40!;
    expect(i.netlist.ram).toBe(32);
    expect(i.attempts.map((a) => [a.device, a.outcome])).toEqual([
      ['up5k', 'too-large'],
      ['hx8k', 'placed'],
    ]);
    expect(i.attempts[0].detail).toMatch(/needs 32 block RAM\(s\), the device has 30/);
    expect(i.device).toBe('hx8k');
    expect(i.package).toBe('ct256');
    expect(i.utilisation!.lc.available).toBe(7680);
    expect(i.utilisation!.ram).toEqual({ used: 32, available: 32 });
    expect(i.fmaxMhz).toBeGreaterThan(0);
  }, T);

  it('too big for every iCE40: says so, and gives the generic report instead', async () => {
    // 8000 flip-flops: the UP5K has 5280 logic cells, the HX8K 7680.
    const dir = handDesign(tmp, 'sr8k', 'sr8k', shiftRegister('sr8k', 8000), SR_PORTS);
    const r = await synthesize(dir, { target: 'ice40', engine: 'native' });
    const i = r.ice40!;
    expect(i.fits).toBe(false);
    expect(i.device).toBeNull();
    expect(i.fmaxMhz).toBeNull();
    expect(i.utilisation).toBeNull();
    expect(i.attempts.map((a) => [a.device, a.outcome])).toEqual([
      ['up5k', 'too-large'],
      ['hx8k', 'too-large'],
    ]);
    expect(i.message).toMatch(/^sr8k is too large for every iCE40 device tried \(UP5K, HX8K\): up5k\/sg48 needs at least \d+ logic cells/);
    expect(r.messages[0]).toContain('too large for every iCE40 device');
    expect(r.messages[0]).toContain('generic');
    expect(r.generic!.flipFlops).toBe(8000);
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain('too large for every iCE40 device');
  }, T);
});

describe('iCE40 helpers', () => {
  it('a wrapper name never clashes with a design module', () => {
    const top = { name: 'dcgen_ice40_wrap', file: 'x.v', doc: '', params: {}, hasClock: false, streams: [], ports: [{ name: 'a', direction: 'input' as const, width: 1, signed: false }, { name: 'y', direction: 'output' as const, width: 1, signed: false }] };
    const w = ice40Wrapper(top, ['dcgen_ice40_wrap']);
    expect(w.info.module).toBe('dcgen_ice40_wrap_0');
    expect(w.text).toContain('in_sr <= sin_q;');
    expect(w.text).toContain('assign sout = out_sr;');
    expect(w.text).not.toContain('.clk(');
  });

  it('knows when a netlist cannot fit before placing it', () => {
    const up5k = ICE40_DEVICES[0];
    const small = { lut4: 10, ff: 10, carry: 0, dsp: 0, ram: 0, spram: 0, cellsByType: {} };
    expect(precheckFit(small, up5k)).toBeNull();
    expect(precheckFit({ ...small, ff: 6000 }, up5k)).toMatch(/needs at least 6000 logic cells/);
    expect(precheckFit({ ...small, dsp: 1 }, ICE40_DEVICES[1])).toMatch(/needs 1 DSP/);
  });

  it("reads nextpnr's verdict that a design is too large", () => {
    expect(tooLargeReason(['Info: \t         ICESTORM_LC: 13011/ 5280   246%'])).toBe('needs 13011 ICESTORM_LC, the device has 5280');
    expect(tooLargeReason(["ERROR: Unable to place cell 'x', no BELs remaining to implement cell type 'ICESTORM_LC'"])).toMatch(/^Unable to place cell/);
    expect(tooLargeReason(['Info: \t         ICESTORM_LC:   150/ 5280     2%'])).toBeNull();
    // a cell type nextpnr does not know is a tool problem, not a size problem
    expect(tooLargeReason(["ERROR: Unable to place cell 'dut', no BELs remaining to implement cell type '$scopeinfo'"])).toBeNull();
  });

  it('takes the lowest clock as Fmax and ignores pin-to-register paths for the critical path', () => {
    const p = parseNextpnrReport(
      {
        fmax: { a: { achieved: 80.123, constraint: 12 }, b: { achieved: 40, constraint: 50 } },
        utilization: { ICESTORM_LC: { used: 3, available: 5280 } },
        critical_paths: [
          { from: '<async>', to: 'posedge a', path: [{ delay: 99 }] },
          { from: 'posedge a', to: 'posedge a', path: [{ delay: 1, from: { cell: 'r1' } }, { delay: 2.5, to: { cell: 'r2' } }] },
        ],
      },
      12,
    );
    expect(p.fmaxMhz).toBe(40);
    expect(p.timingMet).toBe(false);
    expect(p.criticalPath).toEqual({ from: 'r1', to: 'r2', delayNs: 3.5 });
    expect(p.utilisation.lc).toEqual({ used: 3, available: 5280 });
    expect(p.utilisation.dsp).toEqual({ used: 0, available: 0 });
  });
});

describe('failures', () => {
  it('native Yosys missing: YosysMissingError names the package and --engine wasm', async () => {
    const dir = generate('missing');
    const saved = process.env.PATH;
    process.env.PATH = path.join(tmp, 'no-tools-here');
    try {
      const e = await synthesize(dir, { target: 'generic', engine: 'native' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(YosysMissingError);
      expect(e).toBeInstanceOf(ToolMissingError);
      expect((e as Error).message).toMatch(/apt-get install yosys/);
      expect((e as Error).message).toMatch(/--engine wasm/);
      // (--engine wasm needs no native tool at all: test/synth/wasm.test.ts)
    } finally {
      process.env.PATH = saved;
    }
    expect(existsSync(path.join(dir, 'report.json'))).toBe(false);
  });

  it('a Yosys failure is a ToolFailedError with the log tail and path, and writes no report', async () => {
    const dir = generate('broken');
    // Break the Verilog after generation: Yosys must fail, not the generator.
    const v = path.join(dir, 'common_adder_tree.v');
    writeFileSync(v, readFileSync(v, 'utf8').replace('  wire advance;', '  wire advance;\n  advance_no_such_wire ( ;'));
    for (const engine of ['native', 'wasm'] as const) {
      const e = await synthesize(dir, { target: 'generic', engine }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ToolFailedError);
      const f = e as ToolFailedError;
      expect(f.logPath).toBe(path.join(dir, 'synth-generic.log'));
      expect(f.message).toMatch(/ERROR/);
      expect(f.tail.some((l) => /common_adder_tree\.v:\d+: ERROR: syntax error/.test(l))).toBe(true);
      expect(existsSync(path.join(dir, 'report.json'))).toBe(false);
      expect(existsSync(path.join(dir, 'report.md'))).toBe(false);
    }
  }, T);

  it('a folder that is not a generated design is refused clearly', async () => {
    const dir = path.join(tmp, 'empty');
    mkdirSync(dir);
    await expect(synthesize(dir, { target: 'generic', engine: 'native' })).rejects.toThrow(/^design folder '.*empty': manifest\.json: expected a readable JSON manifest\.json/);
  });

  it('an odd folder name works; an odd filelist entry or a malformed manifest is a DesignFolderError naming the file', async () => {
    const odd = path.join(tmp, 'odd $HOME $(x) ;`\'"#* é', '-d');
    mkdirSync(path.dirname(odd), { recursive: true });
    const src = generate('odd-src');
    const { cpSync } = await import('node:fs');
    cpSync(src, odd, { recursive: true });
    const r = await synthesize(odd, { target: 'generic', engine: 'native' });
    expect(r.generic!.cells).toBeGreaterThan(0);
    const list = path.join(odd, 'common_adder_tree.f');
    const text = readFileSync(list, 'utf8');
    writeFileSync(list, text.replace('common_adder_tree.v', 'common adder_tree.v'));
    const e = await synthesize(odd, { target: 'generic', engine: 'native' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DesignFolderError);
    expect((e as Error).message).toMatch(/^design folder '.*-d': common_adder_tree\.f: entry "common adder_tree\.v": expected a plain file name/);
    writeFileSync(list, text);
    const m = JSON.parse(readFileSync(path.join(odd, 'manifest.json'), 'utf8')) as { modules: unknown[] };
    writeFileSync(path.join(odd, 'manifest.json'), JSON.stringify({ ...m, modules: [...m.modules, 7] }));
    await expect(synthesize(odd, { target: 'generic', engine: 'native' })).rejects.toThrow(/manifest\.json: modules\[\d+\] needs "name"/);
  }, T);

  it('writeReport replaces both files atomically and leaves no temp files', async () => {
    const dir = generate('atomic');
    const r = await synthesize(dir, { target: 'generic', engine: 'native' });
    const changed = { ...r, messages: ['second write'] };
    await writeReport(dir, changed);
    expect(readReport(dir).messages).toEqual(['second write']);
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toBe(reportMarkdown(changed));
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // A report that cannot be rendered writes nothing (both files keep the previous run).
    const bad = { ...changed, params: undefined } as unknown as SynthReport;
    await expect(writeReport(dir, bad)).rejects.toThrow();
    expect(readReport(dir).messages).toEqual(['second write']);
  }, T);
});
