import { describe, it, expect } from 'vitest';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DcgenError } from '../../generator/errors.ts';
import { DesignFolderError } from '../../generator/emit/manifest.ts';
import { ToolFailedError, ToolMissingError } from '../../eda/tools/errors.ts';
import { requireTool, toolVersion } from '../../eda/tools/which.ts';
import {
  checkYosys,
  formatLintLine,
  isLatchCellType,
  LintArgumentError,
  lintDesign,
  lintIcarus,
  lintVerilator,
  parseStatJson,
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
