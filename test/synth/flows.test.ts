import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adderTreeParams, commonAdderTree } from '../../generator/blocks/common/adder_tree.ts';
import { emitDesign, type Manifest } from '../../generator/emit/design.ts';
import { flowFileNames, flowFiles, FlowOptionError } from '../../generator/emit/flows.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { resolveParams } from '../../generator/params/schema.ts';
import { requireTool } from '../../eda/tools/which.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcgen-flows-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The adder tree with `overrides`, written to a fresh folder together with its flow files. */
function generate(name: string, overrides: Record<string, unknown>, clockNs: number): { dir: string; manifest: Manifest; flows: Map<string, string> } {
  const p = resolveParams('common.adder_tree', adderTreeParams, overrides);
  const { manifest, files } = emitDesign(commonAdderTree(p), { design: 'common.adder_tree', params: p });
  const flows = flowFiles(manifest, { clockNs });
  const dir = path.join(tmp, name);
  writeFilesAtomically(dir, new Map([...files, ...flows]));
  return { dir, manifest, flows };
}

describe('flowFiles (adder tree, clocked)', () => {
  const { dir, manifest, flows } = generate('clocked', {}, 8);
  const top = manifest.top;

  it('makes the five flow files, written beside the Verilog', () => {
    expect([...flows.keys()].sort()).toEqual(flowFileNames(top).sort());
    for (const f of flowFileNames(top)) expect(readFileSync(path.join(dir, f), 'utf8')).toBe(flows.get(f));
  });

  it('SDC: the clock with the period, I/O delays of 20 % on every non-clock port', () => {
    const sdc = flows.get(`${top}.sdc`)!;
    expect(sdc).toMatch(/^create_clock -name clk -period 8 \[get_ports clk\]$/m);
    const inputs = /^set_input_delay 1\.6 -clock clk \[get_ports \{(.*)\}\]$/m.exec(sdc);
    const outputs = /^set_output_delay 1\.6 -clock clk \[get_ports \{(.*)\}\]$/m.exec(sdc);
    expect(inputs).not.toBeNull();
    expect(outputs).not.toBeNull();
    const ports = manifest.modules.at(-1)!.ports;
    expect(inputs![1].split(' ')).toEqual(ports.filter((p) => p.direction === 'input' && p.name !== 'clk').map((p) => p.name));
    expect(outputs![1].split(' ')).toEqual(ports.filter((p) => p.direction === 'output').map((p) => p.name));
  });

  it('OpenLane config.json: DESIGN_NAME, dir:: Verilog files, CLOCK_PORT, CLOCK_PERIOD', () => {
    const cfg = JSON.parse(flows.get('config.json')!) as Record<string, unknown>;
    expect(cfg.DESIGN_NAME).toBe(top);
    expect(cfg.VERILOG_FILES).toEqual(manifest.modules.map((m) => `dir::${m.file}`));
    expect(cfg.CLOCK_PORT).toBe('clk');
    expect(cfg.CLOCK_PERIOD).toBe(8);
    expect(cfg.PNR_SDC_FILE).toBe(`dir::${top}.sdc`);
  });

  it('FuseSoC core: CAPI=2, VLNV name, rtl fileset of verilogSource, default target with toplevel', () => {
    const core = flows.get(`${top}.core`)!;
    const lines = core.split('\n');
    expect(lines[0]).toBe('CAPI=2:');
    expect(core).toMatch(/^name: "dcgen:common\.adder_tree:common_adder_tree:\d+\.\d+\.\d+"$/m);
    expect(core).toMatch(/^filesets:\n {2}rtl:\n {4}files:\n {6}- common_adder_tree\.v\n {4}file_type: verilogSource$/m);
    expect(core).toMatch(/^targets:\n {2}default:\n {4}filesets:\n {6}- rtl\n {4}toplevel: common_adder_tree$/m);
    // YAML-ish sanity: no tabs, every non-comment line is "key:", "key: value" or "- item".
    for (const l of lines.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))) {
      expect(l).not.toContain('\t');
      expect(l).toMatch(/^\s*([A-Za-z_=0-9]+:( .+)?|- .+)$/);
    }
  });

  it('Vivado build.tcl: read_verilog each file, synth_design with a part variable, create_clock', () => {
    const tcl = flows.get('build.tcl')!;
    for (const m of manifest.modules) expect(tcl).toContain(`read_verilog [file join $dcgen_dir ${m.file}]`);
    expect(tcl).toMatch(/^set dcgen_part \S+$/m);
    expect(tcl).toMatch(/^synth_design -top common_adder_tree -part \$dcgen_part$/m);
    expect(tcl).toMatch(/^create_clock -name clk -period 8 \[get_ports clk\]$/m);
    expect(tcl.indexOf('synth_design')).toBeLessThan(tcl.indexOf('create_clock'));
    expect(tcl).not.toMatch(/read_xdc|read_sdc/);
  });

  it('synth.ys runs in real Yosys (yosys -s synth.ys) and passes check -assert', async () => {
    const yosys = await requireTool('yosys');
    const ys = flows.get('synth.ys')!;
    expect(ys).toMatch(/^read_verilog common_adder_tree\.v$/m);
    expect(ys).toMatch(/^synth -top common_adder_tree$/m);
    expect(ys).toMatch(/^check -assert$/m);
    expect(ys).toMatch(/^stat$/m);
    const r = await execa(yosys, ['-s', 'synth.ys'], { cwd: dir, reject: false, all: true });
    expect(r.exitCode, String(r.all).slice(-2000)).toBe(0);
    expect(String(r.all)).toMatch(/Number of cells:\s+\d+/);
  }, 60_000);
});

describe('flowFiles (adder tree, combinational)', () => {
  const { manifest, flows } = generate('comb', { stages: 0, n: 4 }, 5);
  const top = manifest.top;

  it('omits the clock and says so; bounds input-to-output paths by the period', () => {
    const sdc = flows.get(`${top}.sdc`)!;
    expect(sdc).not.toMatch(/create_clock|set_input_delay|set_output_delay/);
    expect(sdc).toMatch(/^# .*combinational: it has no clk port, so no clock is created/m);
    expect(sdc).toMatch(/^set_max_delay 5 -from \[all_inputs\] -to \[all_outputs\]$/m);
    const cfg = JSON.parse(flows.get('config.json')!) as Record<string, unknown>;
    expect(cfg.CLOCK_PORT).toBe('');
    expect(cfg.CLOCK_PERIOD).toBe(5);
    expect(flows.get('build.tcl')!).not.toContain('create_clock');
  });

  it('rejects a clock period that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => flowFiles(manifest, { clockNs: bad })).toThrow(FlowOptionError);
    }
    expect(() => flowFiles(manifest, { clockNs: 0 })).toThrow(/--clock-ns 0: expected a clock period in nanoseconds/);
  });

  it('keeps short decimal periods (1/3 ns → 0.333)', () => {
    const sdc = flowFiles(manifest, { clockNs: 1 / 3 }).get(`${top}.sdc`)!;
    expect(sdc).toContain('set_max_delay 0.333 ');
  });
});
