import { describe, it, expect } from 'vitest';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DcgenError } from '../../generator/errors.ts';
import { DesignFolderError } from '../../generator/emit/manifest.ts';
import { ToolFailedError, ToolMissingError } from '../../eda/tools/errors.ts';
import { requireTool, toolVersion } from '../../eda/tools/which.ts';
import {
  ALL_LINT_TOOLS,
  checkYosys,
  formatLintLine,
  isLatchCellType,
  LintArgumentError,
  lintDesign,
  lintIcarus,
  lintRunOrder,
  lintVerilator,
  parseStatJson,
  yosysScript,
  type LintResult,
} from '../../eda/tools/lint.ts';

const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/verilog');
const fx = (name: string): string => path.join(FIX, name);
const T = 60_000;

describe('requireTool / toolVersion', () => {
  it('finds the installed tools', async () => {
    for (const cmd of ['verilator', 'iverilog', 'yosys', 'nextpnr-ice40', 'icepack'] as const) {
      const p = await requireTool(cmd);
      expect(path.isAbsolute(p)).toBe(true);
      expect(path.basename(p)).toBe(cmd);
    }
  });

  it('reports versions', async () => {
    expect(await toolVersion('verilator')).toMatch(/^Verilator \d/);
    expect(await toolVersion('iverilog')).toMatch(/^Icarus Verilog version/);
    expect(await toolVersion('yosys')).toMatch(/^Yosys \d/);
    expect(await toolVersion('icepack')).toMatch(/^icepack \(/);
  }, T);

  it('throws ToolMissingError naming the Debian package when PATH has no such tool', async () => {
    const err = await requireTool('verilator', { path: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolMissingError);
    expect((err as Error).message).toBe(
      "verilator not found: install the Debian package 'verilator' (apt-get install verilator) or run npm start",
    );
    // icepack comes from a differently named package
    const err2 = await requireTool('icepack', { path: FIX }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(ToolMissingError);
    expect((err2 as ToolMissingError).debianPackage).toBe('fpga-icestorm');
    expect((err2 as Error).message).toContain("install the Debian package 'fpga-icestorm'");
  });

  it('ToolFailedError keeps only the last 20 lines of output', () => {
    const output = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    const e = new ToolFailedError('yosys', { exitCode: 1, output, logPath: '/tmp/x/yosys.log' });
    expect(e.tail).toHaveLength(20);
    expect(e.tail[0]).toBe('line 11');
    expect(e.message).toContain('yosys exited with code 1');
    expect(e.message).toContain('/tmp/x/yosys.log');
    expect(e.message).toContain('line 30');
    expect(e.message).not.toContain('line 10\n');
  });
});

describe('clean module passes all three tools', () => {
  const files = [fx('clean_adder.v')];
  it('verilator', async () => {
    const r = await lintVerilator(files, 'clean_adder');
    expect(r).toEqual({ tool: 'verilator', module: 'clean_adder', ok: true, messages: [], latches: 0 });
  }, T);
  it('iverilog', async () => {
    const r = await lintIcarus(files, 'clean_adder');
    expect(r).toEqual({ tool: 'iverilog', module: 'clean_adder', ok: true, messages: [], latches: 0 });
  }, T);
  it('yosys', async () => {
    const r = await checkYosys(files, 'clean_adder');
    expect(r).toEqual({ tool: 'yosys', module: 'clean_adder', ok: true, messages: [], latches: 0 });
  }, T);
});

describe('latch', () => {
  it('checkYosys counts the latch cells and fails', async () => {
    const r = await checkYosys([fx('latchy.v')], 'latchy');
    expect(r.ok).toBe(false);
    expect(r.latches).toBe(4); // one per bit of q[3:0]
    expect(r.messages.join('\n')).toMatch(/latch cell/);
    expect(r.messages.join('\n')).toMatch(/Latch inferred for signal .*\\q/);
  }, T);
  it('verilator flags it too (%Warning-LATCH)', async () => {
    const r = await lintVerilator([fx('latchy.v')], 'latchy');
    expect(r.ok).toBe(false);
    expect(r.latches).toBe(1);
    expect(r.messages[0]).toMatch(/^%Warning-LATCH:/);
  }, T);
  it('latch cell type names', () => {
    for (const t of ['$dlatch', '$adlatch', '$dlatchsr', '$sr', '$_DLATCH_P_', '$_DLATCH_NP0_', '$_DLATCHSR_PPP_', '$_SR_PN_']) {
      expect(isLatchCellType(t)).toBe(true);
    }
    for (const t of ['$dff', '$_DFF_P_', '$sdff', '$_SDFF_PP0_', '$add', '$_AND_']) {
      expect(isLatchCellType(t)).toBe(false);
    }
  });
});

/** Write `text` as `<name>.v` in a fresh folder, run `fn` on the file, remove the folder. */
async function withVerilog<R>(name: string, text: string[], fn: (file: string) => Promise<R>): Promise<R> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcgen-lint-mem-'));
  try {
    const f = path.join(dir, `${name}.v`);
    await writeFile(f, [...text, ''].join('\n'));
    return await fn(f);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A 1R1W memory module as dcgen emits them (docs/memories.md), `depth` x `width`. */
function memModule(name: string, depth: number, width: number): string[] {
  const a = Math.max(1, Math.ceil(Math.log2(depth)));
  return [
    `module ${name} (input wire clk, input wire we, input wire [${a - 1}:0] waddr, input wire [${width - 1}:0] wdata,`,
    `    input wire re, input wire [${a - 1}:0] raddr, output reg [${width - 1}:0] rdata);`,
    `  reg [${width - 1}:0] mem [0:${depth - 1}];`,
    '  always @(posedge clk) begin if (we) mem[waddr] <= wdata; end',
    '  always @(posedge clk) begin if (re) rdata <= mem[raddr]; end',
    'endmodule',
  ];
}

describe('memories (kept as $mem cells, not mapped to flip-flops)', () => {
  it("yosysScript is the installed Yosys's `synth -top` script without memory_map", async () => {
    const yosys = await requireTool('yosys');
    const help = String((await execa(yosys, ['-Q', '-p', 'help synth'], { env: { LC_ALL: 'C' } })).stdout);
    const body = help.slice(help.indexOf('The following commands are executed by this synthesis command:'));
    const synth: string[] = [];
    for (const raw of body.split('\n').slice(1)) {
      const l = raw.trim();
      if (l === '' || /^[a-z]+:$/.test(l)) continue;
      if (l.startsWith('End of script')) break;
      const cond = /\((.*)\)$/.exec(l)?.[1];
      // The default options: commands marked `(if -x)` do not run, `(unless -x)` ones do.
      if (cond && !cond.split(/, | and /).every((c) => c.startsWith('unless '))) continue;
      const cmd = l.replace(/\s*\(.*\)$/, '').replace('[-top <top> | -auto-top]', '-top x');
      for (const c of cmd.split('; ')) synth.push(c);
    }
    expect(synth).toContain('memory_map');
    expect(synth).toContain('proc');
    const fineAt = synth.indexOf('opt -fast -full');
    expect(fineAt).toBeGreaterThan(0);
    // Ours: the begin and coarse parts as one `synth -run begin:fine`, then the rest spelled out.
    const ours = yosysScript('x');
    expect(ours[0]).toBe('synth -top x -run begin:fine');
    expect(ours.slice(1)).toEqual(synth.slice(fineAt).filter((c) => c !== 'memory_map'));
  }, T);

  it('a 4096 x 512 memory (2M bits) stays one $mem_v2 cell with no flip-flop: checked in seconds', async () => {
    const text = ['`default_nettype none', ...memModule('big_mem', 4096, 512), '`default_nettype wire'];
    await withVerilog('big_mem', text, async (f) => {
      const t0 = Date.now();
      const r = await checkYosys([f], 'big_mem');
      expect(r, r.messages.join('\n')).toEqual({ tool: 'yosys', module: 'big_mem', ok: true, messages: [], latches: 0 });
      expect(Date.now() - t0).toBeLessThan(30_000); // mapped to flip-flops: many minutes and gigabytes
      // What the script leaves of it.
      const yosys = await requireTool('yosys');
      const dir = path.dirname(f);
      const script = ['read_verilog big_mem.v', ...yosysScript('big_mem'), 'tee -q -o stat.json stat -json'].join('; ');
      await execa(yosys, ['-q', '-p', script], { cwd: dir, env: { LC_ALL: 'C' } });
      const cells = parseStatJson(await readFile(path.join(dir, 'stat.json'), 'utf8')).design?.num_cells_by_type ?? {};
      expect(cells).toEqual({ $mem_v2: 1 });
    });
  }, T);

  it('a latch beside a big memory, or in a module under one, still fails the check', async () => {
    const text = [
      '`default_nettype none',
      ...memModule('lm_mem', 2048, 256),
      'module lm_leaf (input wire en, input wire [3:0] d, output reg [3:0] q);',
      '  always @* begin if (en) q = d; end',
      'endmodule',
      'module lm_mid (input wire clk, input wire en, input wire [10:0] a, input wire [255:0] d, output wire [255:0] q, output reg [1:0] l);',
      '  lm_mem m (.clk(clk), .we(en), .waddr(a), .wdata(d), .re(1\'b1), .raddr(a), .rdata(q));',
      '  always @* begin if (en) l = d[1:0]; end',
      'endmodule',
      'module lm_top (input wire clk, input wire en, input wire [10:0] a, input wire [255:0] d, output wire [255:0] q, output wire [1:0] l, output wire [3:0] y);',
      '  lm_mid u_mid (.clk(clk), .en(en), .a(a), .d(d), .q(q), .l(l));',
      '  lm_leaf u_leaf (.en(en), .d(d[3:0]), .q(y));',
      'endmodule',
      '`default_nettype wire',
    ];
    await withVerilog('lm', text, async (f) => {
      const mid = await checkYosys([f], 'lm_mid');
      expect(mid.ok).toBe(false);
      expect(mid.latches).toBe(2); // one per bit of l
      expect(mid.messages.join('\n')).toMatch(/Latch inferred for signal .*\\l/);
      const top = await checkYosys([f], 'lm_top');
      expect(top.ok).toBe(false);
      expect(top.latches).toBe(6); // l's two in lm_mid, q's four in lm_leaf
      expect(top.messages.join('\n')).toMatch(/Latch inferred for signal .*\\q/);
      const mem = await checkYosys([f], 'lm_mem');
      expect(mem).toMatchObject({ ok: true, latches: 0 });
    });
  }, T);

  it('a memory written outside a clocked block is a latch', async () => {
    const text = [
      '`default_nettype none',
      'module amem (input wire we, input wire [1:0] a, input wire [3:0] d, input wire [1:0] ra, output wire [3:0] q);',
      '  reg [3:0] mem [0:3];',
      '  always @* begin if (we) mem[a] = d; end',
      '  assign q = mem[ra];',
      'endmodule',
      '`default_nettype wire',
    ];
    await withVerilog('amem', text, async (f) => {
      const r = await checkYosys([f], 'amem');
      expect(r.ok).toBe(false);
      expect(r.latches).toBe(16); // every bit of the four words
      expect(r.messages.join('\n')).toMatch(/latch cell/);
    });
  }, T);
});

describe('hierarchy', () => {
  it('checkYosys reads the stat of a three-level hierarchy (Yosys 0.23 writes its submodule counts into the JSON)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dcgen-lint-h3-'));
    try {
      const f = path.join(dir, 'h3.v');
      await writeFile(
        f,
        [
          '`default_nettype none',
          'module h3_leaf (input wire a, output wire y); assign y = ~a; endmodule',
          'module h3_mid (input wire a, output wire y); wire t; h3_leaf u0 (.a(a), .y(t)); h3_leaf u1 (.a(t), .y(y)); endmodule',
          'module h3 (input wire a, output wire y); h3_mid u (.a(a), .y(y)); endmodule',
          '',
        ].join('\n'),
      );
      const r = await checkYosys([f], 'h3');
      expect(r.ok, r.messages.join('\n')).toBe(true);
      expect(r.latches).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, T);
  it('parseStatJson drops the submodule-count lines', () => {
    const text = ['{', '  "modules": {', '    "\\\\h3": { "num_cells_by_type": { "h3_mid": 1 } }', '  },', '       h3_leaf                       2', '  "design": { "num_cells_by_type": { "$_NOT_": 2 } }', '}'].join('\n');
    expect(parseStatJson(text).design).toEqual({ num_cells_by_type: { $_NOT_: 2 } });
  });
});

describe('width mismatch', () => {
  it('lintVerilator rejects it with a WIDTH warning', async () => {
    const r = await lintVerilator([fx('width_mismatch.v')], 'width_mismatch');
    expect(r.ok).toBe(false);
    expect(r.messages.some((m) => m.includes('WIDTH'))).toBe(true);
    expect(r.messages.some((m) => m.startsWith('%Error: Exiting'))).toBe(false);
  }, T);
});

describe('implicit net (no `default_nettype none)', () => {
  it('lintIcarus reports the -Wimplicit warning', async () => {
    const r = await lintIcarus([fx('implicit_net.v')], 'implicit_net');
    expect(r.ok).toBe(false);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatch(/implicit_net\.v:8: warning: implicit definition of wire 't'/);
  }, T);
  it('verilator (IMPLICIT) and yosys (Warning:) reject it too', async () => {
    const v = await lintVerilator([fx('implicit_net.v')], 'implicit_net');
    expect(v.ok).toBe(false);
    expect(v.messages[0]).toMatch(/^%Warning-IMPLICIT:/);
    const y = await checkYosys([fx('implicit_net.v')], 'implicit_net');
    expect(y.ok).toBe(false);
    expect(y.latches).toBe(0);
    expect(y.messages[0]).toMatch(/implicit_net\.v:8: Warning: Identifier `\\t' is implicitly declared/);
  }, T);
});

describe('input validation', () => {
  it('checkYosys refuses file names that are unsafe in a yosys script', async () => {
    await expect(checkYosys(['/tmp/a b.v'], 'x')).rejects.toThrow(/unsafe file name/);
    await expect(checkYosys(['/tmp/a.v; shell rm -rf /'], 'x')).rejects.toThrow(/unsafe file name/);
  });
  it('refuses bad module names and option-like file names', async () => {
    await expect(lintVerilator([fx('clean_adder.v')], 'x; y')).rejects.toThrow(/invalid Verilog module name/);
    await expect(lintIcarus(['-oops.v'], 'x')).rejects.toThrow(/must not start with '-'/);
  });
  it('those refusals are user errors (exit 2), for every tool', async () => {
    for (const run of [lintVerilator, lintIcarus, checkYosys]) {
      for (const [files, top] of [[['/tmp/a b.v'], 'x'], [['-oops.v'], 'x'], [[fx('clean_adder.v')], 'x; y'], [[], 'x']] as [string[], string][]) {
        const e = await run(files, top).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(LintArgumentError);
        expect(e).toBeInstanceOf(DcgenError);
      }
    }
  });
  it('files in a folder whose name holds $, spaces, quotes and ;: every tool sees plain names only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dcgen-lint $HOME $(x) ;`\'"# é-'));
    try {
      await copyFile(fx('clean_adder.v'), path.join(dir, 'clean_adder.v'));
      await copyFile(fx('implicit_net.v'), path.join(dir, 'implicit_net.v'));
      for (const run of [lintVerilator, lintIcarus, checkYosys]) {
        expect(await run([path.join(dir, 'clean_adder.v')], 'clean_adder')).toMatchObject({ ok: true, messages: [] });
        // Diagnostics name the file by its plain name, not by the odd folder.
        const bad = await run([path.join(dir, 'implicit_net.v')], 'implicit_net');
        expect(bad.ok).toBe(false);
        expect(bad.messages.join('\n')).toMatch(/implicit_net\.v:8/);
        expect(bad.messages.join('\n')).not.toContain(dir);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, T);
  it('an unreadable input file is a failed lint, not a crash', async () => {
    const r = await checkYosys([fx('does_not_exist.v')], 'nothing');
    expect(r.ok).toBe(false);
    expect(r.messages[0]).toMatch(/^ERROR: Can't open input file/);
  }, T);
});

describe('lintDesign', () => {
  it('a filelist entry that is not a plain file name, or names no file: DesignFolderError (a user error)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dcgen-lint-design-'));
    try {
      for (const f of ['manifest.json', 'clean_adder.v', 'clean_top.v']) await copyFile(fx(f), path.join(dir, f));
      for (const [entry, why] of [['clean adder.v', /"clean adder\.v": expected a plain file name/], ['$HOME/clean_adder.v', /expected a plain file name/], ['gone.v', /"gone\.v": no such file/]] as [string, RegExp][]) {
        await writeFile(path.join(dir, 'clean.f'), `${entry}\nclean_top.v\n`);
        const e = await lintDesign(dir).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(DesignFolderError);
        expect((e as Error).message).toMatch(/^design folder '.*': clean\.f: entry /);
        expect((e as Error).message).toMatch(why);
      }
      await writeFile(path.join(dir, 'manifest.json'), '{ not json');
      await expect(lintDesign(dir)).rejects.toBeInstanceOf(DesignFolderError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('lints every module of the manifest with every tool, in order', async () => {
    const results = await lintDesign(FIX);
    expect(results.map((r) => `${r.tool}:${r.module}:${r.ok}`)).toEqual([
      'verilator:clean_adder:true',
      'iverilog:clean_adder:true',
      'yosys:clean_adder:true',
      'verilator:clean_top:true',
      'iverilog:clean_top:true',
      'yosys:clean_top:true',
    ]);
  }, T);
  it('starts the longest runs first: Yosys, from the top (last in the manifest) down; then the others', () => {
    const modules = ['leaf', 'mid', 'top'];
    const jobs = modules.flatMap((module) => ALL_LINT_TOOLS.map((tool) => ({ tool, module })));
    const order = lintRunOrder(jobs, modules).map((i) => `${jobs[i]!.tool}:${jobs[i]!.module}`);
    expect(order).toEqual([
      'yosys:top',
      'yosys:mid',
      'yosys:leaf',
      'verilator:top',
      'iverilog:top',
      'verilator:mid',
      'iverilog:mid',
      'verilator:leaf',
      'iverilog:leaf',
    ]);
  });
  it('honours opts.tools', async () => {
    const results = await lintDesign(FIX, { tools: ['yosys'] });
    expect(results.map((r) => `${r.tool}:${r.module}`)).toEqual(['yosys:clean_adder', 'yosys:clean_top']);
  }, T);
});

describe('formatLintLine', () => {
  it('aligns ok and FAIL lines', () => {
    const ok: LintResult = { tool: 'verilator', module: 'common_fifo', ok: true, messages: [], latches: 0 };
    const bad: LintResult = { tool: 'iverilog', module: 'common_fifo', ok: false, messages: ['x.v:3: warning: boom', 'more'], latches: 0 };
    expect(formatLintLine(ok)).toBe('verilator  common_fifo               ok');
    expect(formatLintLine(bad)).toBe('iverilog   common_fifo               FAIL  x.v:3: warning: boom');
    expect(formatLintLine({ ...bad, messages: [] })).toBe('iverilog   common_fifo               FAIL');
  });
});
