// Memories as macro boundaries (generator/emit/memories.ts, docs/memories.md): every memory is
// an instance of a generated memory module, one module per shape (depth × width × ports × read
// latencies), shared by its instances; `<top>.mems.json` lists the modules with their
// instances; the port convention (clk; we/waddr/wdata; re/raddr/rdata, latency 1, holding
// without re; raddr/rdata, latency 0); the lowering of write statements and registered reads to
// ports, checked cycle by cycle in Verilator against a model; lint cleanliness.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cmcRecoveryDesign as recoveryDesign } from '../../generator/blocks/cmc/recovery.ts';
import { fifoDesign } from '../../generator/blocks/common/fifo.ts';
import { sramDesign } from '../../generator/blocks/common/sram.ts';
import type { DesignDef } from '../../generator/designs/registry.ts';
import { type HwModule, bit, module, uint } from '../../generator/dsl/index.ts';
import { emitDesign, type ParamValue } from '../../generator/emit/design.ts';
import { readDesignFolder } from '../../generator/emit/manifest.ts';
import { MEMS_SCHEMA, type MemsFile, memModuleName, memsProblem } from '../../generator/emit/memories.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { formatLintLine, lintDesign } from '../../eda/tools/lint.ts';
import { runCosim } from '../../sim/cosim/index.ts';
import { tempRoot } from '../support/cli.ts';

const T = 300_000;
const tmp = tempRoot('dcgen-memories-test-');

let seq = 0;
function write(files: Map<string, string>, name: string): string {
  const dir = path.join(tmp, `${name}_${seq++}`);
  writeFilesAtomically(dir, files);
  return dir;
}
function emitPoint(design: DesignDef, overrides: Record<string, unknown>) {
  const params = design.resolve(overrides);
  const top = design.build(params);
  return emitDesign(top, { design: design.name, params: params as Record<string, ParamValue> });
}
function mems(files: Map<string, string>, top: string): MemsFile {
  return JSON.parse(files.get(`${top}.mems.json`)!) as MemsFile;
}

describe('mems.json and the memory modules', () => {
  it('common.sram: one 1r1w module, read latency 1, its one instance; listed in the manifest, first in the filelist', () => {
    const { files, manifest } = emitPoint(sramDesign, {});
    const j = mems(files, 'common_sram');
    expect(j).toMatchObject({ schema: MEMS_SCHEMA, version: 1, design: 'common.sram', top: 'common_sram', configHash: manifest.configHash, totalBits: 4096 });
    expect(j.modules).toEqual([
      {
        module: 'dcgen_mem_256x16_1r1w_r1',
        file: 'dcgen_mem_256x16_1r1w_r1.v',
        depth: 256,
        width: 16,
        addressWidth: 8,
        bits: 4096,
        ports: '1r1w',
        writePorts: 1,
        readPorts: 1,
        readLatency: 1,
        macroReady: true,
        readUnderWrite: 'old',
        pins: { clock: 'clk', write: [{ enable: 'we', address: 'waddr', data: 'wdata' }], read: [{ latency: 1, enable: 're', address: 'raddr', data: 'rdata' }] },
        instances: ['common_sram.bank_mem'],
      },
    ]);
    expect(manifest.files).toContain('common_sram.mems.json');
    expect(files.get('common_sram.f')).toBe('dcgen_mem_256x16_1r1w_r1.v\ncommon_sram.v\n');
    expect(manifest.modules.map((m) => m.name)).toEqual(['dcgen_mem_256x16_1r1w_r1', 'common_sram']);
    expect(manifest.modules[0].ports.map((p) => `${p.direction} ${p.name}[${p.width}]`)).toEqual([
      'input clk[1]',
      'input we[1]',
      'input waddr[8]',
      'input wdata[16]',
      'input re[1]',
      'input raddr[8]',
      'output rdata[16]',
    ]);
    expect(memsProblem(j, 'common_sram', new Set(manifest.modules.map((m) => m.name)))).toBeUndefined();
  });

  it('the memory module: the array and nothing else; write, and a registered read that holds without re', () => {
    const v = emitPoint(sramDesign, {}).files.get('dcgen_mem_256x16_1r1w_r1.v')!;
    const body = v.slice(v.indexOf('module '), v.indexOf('endmodule'));
    expect(body).toContain(
      [
        'module dcgen_mem_256x16_1r1w_r1 (',
        '  input  wire clk,',
        '  input  wire we,',
        '  input  wire [7:0] waddr,',
        '  input  wire [15:0] wdata,',
        '  input  wire re,',
        '  input  wire [7:0] raddr,',
        '  output reg  [15:0] rdata',
        ');',
        '',
        '  reg  [15:0] mem [0:255];',
        '',
        '  always @(posedge clk) begin',
        '    if (we) begin',
        '      mem[waddr] <= wdata;',
        '    end',
        '  end',
        '',
        '  always @(posedge clk) begin',
        '    if (re) begin',
        '      rdata <= mem[raddr];',
        '    end',
        '  end',
      ].join('\n'),
    );
    expect(v).toMatch(/^\/\/ Module: dcgen_mem_256x16_1r1w_r1$/m);
    expect(v).toContain('read, latency 1: rdata <= mem[raddr] at the rising clk edge when re; rdata holds otherwise.');
    // the parent: an instance named after the memory, the read register is the read port's data
    const top = emitPoint(sramDesign, {}).files.get('common_sram.v')!;
    expect(top).not.toMatch(/\[0:255\]/);
    expect(top).toContain('  wire [15:0] bank_rd_data;');
    expect(top).toContain(['  dcgen_mem_256x16_1r1w_r1 bank_mem (', '    .clk(clk),', '    .we(wr_en),', '    .waddr(wr_addr),', '    .wdata(wr_data),', '    .re(rd_en),', '    .raddr(rd_addr),', '    .rdata(bank_rd_data)', '  );'].join('\n'));
  });

  it('cmc.recovery: sixteen banks, one module shared by sixteen instances', () => {
    const { files, manifest } = emitPoint(recoveryDesign, {});
    const j = mems(files, manifest.top);
    expect(j.modules).toHaveLength(1);
    const [m] = j.modules;
    expect(m.module).toBe('dcgen_mem_256x8_1r1w_r1');
    expect(m.instances).toEqual(Array.from({ length: 16 }, (_, b) => `cmc_recovery.bank${b}`));
    expect(j.totalBits).toBe(16 * 256 * 8);
    expect([...files.keys()].filter((f) => f.startsWith('dcgen_mem_'))).toEqual(['dcgen_mem_256x8_1r1w_r1.v']);
    const v = files.get('cmc_recovery.v')!;
    expect(v.match(/^ {2}dcgen_mem_256x8_1r1w_r1 bank\d+ \($/gm)).toHaveLength(16);
    // signed words: the read register keeps its type, now driven by the instance
    expect(v).toContain('  wire signed [7:0] bank0_rd;');
  });

  it('the FWFT FIFO reads its memory synchronously: prefetch of the next head (re = out_fire, raddr = rd_next), macro-ready', () => {
    const { files } = emitPoint(fifoDesign, { depth: 5, width: 3 });
    const j = mems(files, 'common_fifo');
    expect(j.modules.map((m) => [m.module, m.ports, m.readLatency, m.macroReady, m.instances])).toEqual([['dcgen_mem_5x3_1r1w_r1', '1r1w', 1, true, ['common_fifo.q_mem']]]);
    expect(files.has('dcgen_mem_5x3_1r1w_r0.v')).toBe(false);
    const v = files.get('common_fifo.v')!;
    expect(v).toContain(['    .re(q_out_fire),', '    .raddr(q_rd_next),', '    .rdata(q_head_mem)'].join('\n'));
    expect(v).toContain('  assign q_head = q_head_byp ? q_head_byp_data : q_head_mem;');
  });

  it('names are deterministic and follow the shape; instances in a child module have its path', () => {
    expect(memModuleName({ depth: 512, width: 34, writePorts: 1, reads: [1] })).toBe('dcgen_mem_512x34_1r1w_r1');
    expect(memModuleName({ depth: 6, width: 128, writePorts: 1, reads: [1, 1] })).toBe('dcgen_mem_6x128_2r1w_r1');
    expect(memModuleName({ depth: 64, width: 20, writePorts: 1, reads: [0, 0] })).toBe('dcgen_mem_64x20_2r1w_r0');
    expect(memModuleName({ depth: 8, width: 8, writePorts: 2, reads: [1, 0] })).toBe('dcgen_mem_8x8_2r2w_r10');
    const leaf = module('mt_leaf', (m) => {
      const a = m.input('a', uint(2));
      const mem = m.memory('store', { depth: 4, type: uint(5) });
      m.sync(() => mem.write(a, a.zext(5)));
      const r = m.reg('r', uint(5));
      m.sync(() => r.set(mem.read(a)));
      m.output('y', r);
    });
    const top = module('mt_top', (m) => {
      const a = m.input('a', uint(2));
      const u0 = m.instance(leaf, 'u0', { a });
      const u1 = m.instance(leaf, 'u1', { a: a.not() });
      m.output('y', u0.y.xor(u1.y));
    });
    const e1 = emitDesign(top, { design: 'test.mt', params: {} });
    const e2 = emitDesign(top, { design: 'test.mt', params: {} });
    expect([...e1.files]).toEqual([...e2.files]);
    expect(mems(e1.files, 'mt_top').modules.map((m) => [m.module, m.instances])).toEqual([['dcgen_mem_4x5_1r1w_r1', ['mt_top.u0.store', 'mt_top.u1.store']]]);
    // unconditional write and read: enables tied high
    expect(e1.files.get('mt_leaf.v')).toContain(['    .we(1\'b1),', '    .waddr(a),'].join('\n'));
    expect(e1.files.get('mt_leaf.v')).toContain(".re(1'b1),");
  });

  it('a memory named like a name inside its module (we, mem, rdata0) gets an instance named <name>_v (VARHIDDEN)', () => {
    const top = module('mt_names', (m) => {
      const a = m.input('a', uint(1));
      const t = m.wire('mem_v', a.not()); // taken: the instance of `mem` becomes mem_v2
      const names = ['we', 'mem', 'rdata0'].map((n) => m.memory(n, { depth: 2, type: uint(1) }));
      m.sync(() => names.forEach((x) => x.write(a, a)));
      m.output('y', names[0].read(a).xor(names[1].read(a)).xor(names[2].read(a)).xor(t));
    });
    expect(top.ir.memories.map((x) => x.name)).toEqual(['we', 'mem', 'rdata0']);
    const { files } = emitDesign(top, { design: 'test.mt_names', params: {} });
    expect(mems(files, 'mt_names').modules[0].instances).toEqual(['mt_names.we_v', 'mt_names.mem_v2', 'mt_names.rdata0_v']);
    expect(files.get('mt_names.v')!.match(/^ {2}dcgen_mem_2x1_1r1w_r0 (\w+) \($/gm)).toEqual(['  dcgen_mem_2x1_1r1w_r0 we_v (', '  dcgen_mem_2x1_1r1w_r0 mem_v2 (', '  dcgen_mem_2x1_1r1w_r0 rdata0_v (']);
  });
});

// ---- the lowering of write statements and reads to ports, against a cycle model ----

/**
 * One memory `a` (depth 5: not a power of two) with three write statements in one process (a
 * nested path each: three write ports, the last wins on one address), a registered read
 * under a switch (a combinational enable), two asynchronous reads (one used twice: one
 * port), and a memory `b` written and read without conditions.
 */
function portsModule(): HwModule {
  return module('mt_ports', (m) => {
    const en = m.input('en', bit());
    const sel = m.input('sel', bit());
    const both = m.input('both', bit());
    const wa1 = m.input('wa1', uint(3));
    const wa2 = m.input('wa2', uint(3));
    const wd1 = m.input('wd1', uint(8));
    const wd2 = m.input('wd2', uint(8));
    const op = m.input('op', uint(2));
    const ra = m.input('ra', uint(3));
    const pa = m.input('pa', uint(3));
    const qa = m.input('qa', uint(3));
    const a = m.memory('a', { depth: 5, type: uint(8) });
    m.sync(() =>
      m.when(en, () => {
        m.when(sel, () => a.write(wa1, wd1)).otherwise(() => a.write(wa2, wd2));
        m.when(both, () => a.write(wa1, wd2));
      }),
    );
    const r = m.reg('r', uint(8));
    m.sync(() => m.switch(op, (sw) => sw.is([1, 3], () => r.set(a.read(ra)))));
    m.output('r_q', r);
    m.output('p_q', a.read(pa));
    m.output('p2_q', a.read(pa).xor(a.read(qa)));
    const b = m.memory('b', { depth: 4, type: uint(4) });
    m.sync(() => b.write(wa1.trunc(2), wd1.trunc(4)));
    const rb = m.reg('rb', uint(4));
    m.sync(() => rb.set(b.read(ra.trunc(2))));
    m.output('rb_q', rb);
  });
}

type Row = Record<'en' | 'sel' | 'both' | 'wa1' | 'wa2' | 'wd1' | 'wd2' | 'op' | 'ra' | 'pa' | 'qa', number>;

/** The cycle model: outputs sampled before each edge; undefined words and registers left out. */
function portsModel(rows: Row[], resetCycles: number): Record<string, bigint>[] {
  const a: (number | undefined)[] = Array(5).fill(undefined);
  const b: (number | undefined)[] = Array(4).fill(undefined);
  let r: number | undefined;
  let rb: number | undefined;
  const zero: Row = { en: 0, sel: 0, both: 0, wa1: 0, wa2: 0, wd1: 0, wd2: 0, op: 0, ra: 0, pa: 0, qa: 0 };
  const edge = (x: Row) => {
    const nr = x.op === 1 || x.op === 3 ? a[x.ra] : r;
    const nrb = b[x.ra & 3];
    if (x.en) {
      if (x.sel) a[x.wa1] = x.wd1;
      else a[x.wa2] = x.wd2;
      if (x.both) a[x.wa1] = x.wd2;
    }
    b[x.wa1 & 3] = x.wd1 & 15;
    r = nr;
    rb = nrb;
  };
  for (let i = 0; i < resetCycles; i++) edge(zero);
  return rows.map((x) => {
    const s: Record<string, bigint> = {};
    if (r !== undefined) s.r_q = BigInt(r);
    if (rb !== undefined) s.rb_q = BigInt(rb);
    const p = a[x.pa];
    const q = a[x.qa];
    if (p !== undefined) s.p_q = BigInt(p);
    if (p !== undefined && q !== undefined) s.p2_q = BigInt(p ^ q);
    edge(x);
    return s;
  });
}

describe('memory ports: the lowering', () => {
  it('three write statements are three write ports (the last one wins), enables from their paths, one port per read address', () => {
    const { files } = emitDesign(portsModule(), { design: 'test.mt_ports', params: {} });
    const j = mems(files, 'mt_ports');
    expect(j.modules.map((m) => [m.module, m.instances])).toEqual([
      ['dcgen_mem_4x4_1r1w_r1', ['mt_ports.b']],
      ['dcgen_mem_5x8_3r3w_r100', ['mt_ports.a']],
    ]);
    const mod = files.get('dcgen_mem_5x8_3r3w_r100.v')!;
    expect(mod).toContain(['  always @(posedge clk) begin', '    if (we0) begin', '      mem[waddr0] <= wdata0;', '    end', '    if (we1) begin', '      mem[waddr1] <= wdata1;', '    end', '    if (we2) begin', '      mem[waddr2] <= wdata2;', '    end', '  end'].join('\n'));
    expect(mod).toContain('  assign rdata1 = mem[raddr1];');
    expect(mod).toContain('  assign rdata2 = mem[raddr2];');
    const v = files.get('mt_ports.v')!;
    expect(v).toContain('  reg  _a_we0;');
    expect(v).toContain('  reg  _a_re;');
    expect(v).toContain(['    .we0(_a_we0),', '    .waddr0(wa1),', '    .wdata0(wd1),', '    .we1(_a_we1),', '    .waddr1(wa2),'].join('\n'));
    expect(v).toContain(['    .re0(_a_re),', '    .raddr0(ra),', '    .rdata0(r),', '    .raddr1(pa),'].join('\n'));
    expect(v.match(/\.raddr\d\(pa\)/g)).toHaveLength(1);
  });

  it('every port behaves as the memory written and read in place did (Verilator, 400 random cycles)', async () => {
    const { files } = emitDesign(portsModule(), { design: 'test.mt_ports', params: {} });
    const dir = write(files, 'mt_ports');
    let state = 12345;
    const rnd = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((state / 2 ** 31) * n);
    };
    const rows: Row[] = Array.from({ length: 400 }, () => ({
      en: rnd(4) ? 1 : 0,
      sel: rnd(2),
      both: rnd(4) === 0 ? 1 : 0,
      wa1: rnd(5),
      wa2: rnd(5),
      wd1: rnd(256),
      wd2: rnd(256),
      op: rnd(4),
      ra: rnd(5),
      pa: rnd(5),
      qa: rnd(5),
    }));
    const samples = portsModel(rows, 4);
    expect(samples.filter((s) => 'r_q' in s && 'p2_q' in s).length).toBeGreaterThan(300);
    const report = await runCosim({ dir, seeds: [1], waveform: false, workDir: path.join(dir, 'work'), stimulus: () => ({ rows }), golden: () => ({ samples }) });
    expect(report.ok, report.message).toBe(true);
  }, T);

  it('lint-clean: the design and each memory module under Verilator, Icarus and Yosys', async () => {
    const dir = write(emitDesign(portsModule(), { design: 'test.mt_ports', params: {} }).files, 'mt_ports_lint');
    const failures = (await lintDesign(dir)).filter((r) => !r.ok).map((r) => [formatLintLine(r), ...r.messages].join('\n'));
    expect(failures).toEqual([]);
  }, T);

  it('a design folder reads back with its mems.json (the synthesis reader checks it)', () => {
    const dir = write(emitPoint(sramDesign, { depth: 16, width: 4 }).files, 'sram_small');
    const d = readDesignFolder(dir);
    const raw = JSON.parse(readFileSync(path.join(dir, 'common_sram.mems.json'), 'utf8')) as MemsFile;
    const names = new Set(d.manifest.modules.map((m) => m.name));
    expect(memsProblem(raw, 'common_sram', names)).toBeUndefined();
    expect(memsProblem({ ...raw, top: 'other' }, 'common_sram', names)).toMatch(/"top"/);
    expect(memsProblem({ ...raw, modules: [{ ...raw.modules[0], instances: ['common_sram.bad name'] }] }, 'common_sram', names)).toMatch(/"instances"/);
    expect(memsProblem({ ...raw, modules: [{ ...raw.modules[0], module: 'not_a_module' }] }, 'common_sram', names)).toMatch(/"module"/);
  });
});
