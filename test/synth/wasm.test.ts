// `--engine wasm`: Yosys (@yowasp/yosys) and, for the iCE40 flow, nextpnr-ice40
// (@yowasp/nextpnr-ice40) in WebAssembly, so the flow needs no native tool. Real tools, no mocks.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolMissingError } from '../../eda/tools/errors.ts';
import { synthesize } from '../../eda/synth/index.ts';
import { WasmToolMissingError } from '../../eda/synth/errors.ts';
import { wasmPackageVersion } from '../../eda/synth/wasm.ts';
import { tempRoot } from '../support/cli.ts';
import { adderTreeFolder } from '../support/synth.ts';

const T = 180_000;
const tmp = tempRoot('dcgen-wasm-test-');

const adderTree = (name: string): string => adderTreeFolder(tmp, name);

describe('iCE40 flow with --engine wasm', () => {
  it('places and routes common.adder_tree with no native tool on PATH', async () => {
    const dir = adderTree('no-native');
    const empty = path.join(tmp, 'empty-path');
    mkdirSync(empty);
    const saved = process.env.PATH;
    process.env.PATH = empty;
    let r;
    try {
      r = await synthesize(dir, { target: 'ice40', engine: 'wasm' });
    } finally {
      process.env.PATH = saved;
    }
    const i = r.ice40!;
    expect(i.fits).toBe(true);
    expect(i.device).toBe('up5k');
    expect(i.netlist.lut4).toBeGreaterThan(0);
    expect(i.utilisation!.lc.used).toBeGreaterThanOrEqual(i.netlist.lut4);
    expect(i.fmaxMhz).toBeGreaterThan(0);
    expect(i.clocks.length).toBe(1);
    expect(r.tools.yosys).toContain('[WebAssembly, @yowasp/yosys]');
    expect(r.tools.nextpnr).toBe(`nextpnr-ice40 ${await wasmPackageVersion('@yowasp/nextpnr-ice40')} [WebAssembly, @yowasp/nextpnr-ice40]`);
    const log = readFileSync(path.join(dir, 'nextpnr.log'), 'utf8');
    expect(log.split('\n')[0]).toMatch(/^# nextpnr-ice40 \(wasm, @yowasp\/nextpnr-ice40\) --up5k --package sg48 --json netlist\.json --report nextpnr-report\.json/);
    expect(log).toMatch(/Max frequency for clock/);
    expect(JSON.parse(readFileSync(path.join(dir, 'nextpnr-report.json'), 'utf8')).utilization.ICESTORM_LC.used).toBe(i.utilisation!.lc.used);
  }, T);

  it('agrees with the native flow on the device and the flip-flops (LUT4 and Fmax follow the Yosys version)', async () => {
    const native = await synthesize(adderTree('native'), { target: 'ice40', engine: 'native' });
    const wasm = await synthesize(adderTree('wasm'), { target: 'ice40', engine: 'wasm' });
    const n = native.ice40!;
    const w = wasm.ice40!;
    expect(w.device).toBe(n.device);
    expect(w.netlist.ff).toBe(n.netlist.ff);
    expect(w.wrapper).toEqual(n.wrapper);
    // Yosys 0.23 (Debian) and 0.55 (@yowasp/yosys) map differently; the figures stay close.
    expect(w.netlist.lut4 / n.netlist.lut4).toBeGreaterThan(0.5);
    expect(w.netlist.lut4 / n.netlist.lut4).toBeLessThan(2);
    expect(w.fmaxMhz! / n.fmaxMhz!).toBeGreaterThan(0.5);
    expect(w.fmaxMhz! / n.fmaxMhz!).toBeLessThan(2);
    console.info(`common.adder_tree ice40: native ${n.netlist.lut4} LUT4, ${n.netlist.ff} FF, ${n.fmaxMhz} MHz (${native.tools.yosys.split(' (')[0]}, ${native.tools.nextpnr}); wasm ${w.netlist.lut4} LUT4, ${w.netlist.ff} FF, ${w.fmaxMhz} MHz`);
  }, T);
});

describe('missing package', () => {
  it('names the npm package and how to install it', () => {
    const e = new WasmToolMissingError('@yowasp/nextpnr-ice40');
    expect(e).toBeInstanceOf(ToolMissingError);
    expect(e.message).toBe('--engine wasm needs the npm package @yowasp/nextpnr-ice40: run npm ci (or npm install @yowasp/nextpnr-ice40)');
  });
});
