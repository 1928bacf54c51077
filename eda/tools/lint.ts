// Lint / synthesis checks of generated Verilog with the real tools:
//   Verilator  --lint-only -Wall           (no waivers: no -Wno-*, no lint_off comments)
//   Icarus     -g2005 -Wall
//   Yosys      synth (memories kept as $mem cells: see yosysScript) + check -assert + latch count
// Every tool is run through execa with an argument array; nothing goes through a shell.
// No tool sees a path from the user's machine: each run works in a private temporary folder
// holding copies of the files under their plain names, passed relative to that folder.
// (Verilator expands `$VAR` in file names, Icarus writes them into its .vvp output, Yosys
// reads them in a script: a folder named `a b$c;d` would fool each of them.)
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { readDesignFolder } from '../../generator/emit/manifest.ts';
import { DcgenError } from '../../generator/errors.ts';
import { quotedPath } from '../../generator/io/errors.ts';
import { ToolFailedError } from './errors.ts';
import { requireTool, toolEnv } from './which.ts';

/** Files or a module name the lint wrappers cannot pass to the tools safely. */
export class LintArgumentError extends DcgenError {}

export type LintTool = 'verilator' | 'iverilog' | 'yosys';

export interface LintResult {
  tool: LintTool;
  /** The module used as top for this run. */
  module: string;
  ok: boolean;
  /** Diagnostic lines (headlines only), in the tool's order. */
  messages: string[];
  /**
   * Latches found. yosys: latch cells after synth (from `stat -json`).
   * verilator: number of %Warning-LATCH diagnostics. iverilog: always 0 (it has no latch check).
   */
  latches: number;
}

export const ALL_LINT_TOOLS: readonly LintTool[] = ['verilator', 'iverilog', 'yosys'];

/**
 * Per-run time limit for a single tool invocation: an hour, as the synthesis flow's. (With the
 * memories kept as $mem cells the longest run, Yosys on ditto_top at its defaults, takes about a
 * minute on the 2-core machine; mapping its memories to flip-flops took over 10.)
 */
const TOOL_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * File names (without folder) the tools get: safe in a yosys script, in Verilator's `$VAR`
 * expansion and in an Icarus .vvp file, and never read as an option.
 */
export const SAFE_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Module names that may be passed to the tools / spliced into a yosys script. */
const SAFE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function assertSafeIdent(name: string): void {
  if (!SAFE_IDENT.test(name)) {
    throw new LintArgumentError(`invalid Verilog module name: ${JSON.stringify(name)} (expected [A-Za-z_][A-Za-z0-9_]*)`);
  }
}

/** The plain names the files get in the tool's folder; throws LintArgumentError if unusable. */
function stagedNames(files: string[]): string[] {
  if (files.length === 0) throw new LintArgumentError('no Verilog files given');
  const names = files.map((f) => {
    const n = path.basename(f);
    // A leading '-' would be read as an option by every tool.
    if (n.startsWith('-')) throw new LintArgumentError(`file name must not start with '-': ${JSON.stringify(f)}`);
    if (!SAFE_FILE_NAME.test(n)) {
      throw new LintArgumentError(`unsafe file name ${JSON.stringify(n)} (in ${JSON.stringify(f)}): the lint tools take plain file names ([A-Za-z0-9_.-]); the folder may be named anything`);
    }
    return n;
  });
  if (new Set(names).size !== names.length) throw new LintArgumentError(`two Verilog files with one name: ${names.join(', ')}`);
  return names;
}

/**
 * Run `fn` in a fresh temporary folder holding copies of `files` under `names`. An input file
 * that cannot be read makes a failed lint result (not a crash). The folder is removed
 * afterwards unless `fn` asks to keep it (for a log a ToolFailedError names).
 */
async function inStagedFolder(
  tool: LintTool,
  top: string,
  files: string[],
  names: string[],
  fn: (dir: string, keep: () => void) => Promise<LintResult>,
): Promise<LintResult> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), `dcgen-${tool}-`));
  let keepTmp = false;
  try {
    try {
      await Promise.all(files.map((f, i) => copyFile(f, path.join(tmp, names[i]))));
    } catch (e) {
      return { tool, module: top, ok: false, messages: [`ERROR: Can't open input file: ${(e as Error).message}`], latches: 0 };
    }
    return await fn(tmp, () => {
      keepTmp = true;
    });
  } finally {
    if (!keepTmp) await rm(tmp, { recursive: true, force: true });
  }
}

interface RunOutput {
  exitCode: number;
  all: string;
}

/** Run `exe args`; returns exit code + combined output, or throws ToolFailedError on crash/timeout. */
async function run(tool: string, exe: string, args: string[], logPath?: string, cwd?: string): Promise<RunOutput> {
  const r = await execa(exe, args, {
    cwd,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: TOOL_TIMEOUT_MS,
    env: toolEnv(),
  });
  const all = String(r.all ?? '');
  if (r.timedOut || r.exitCode === undefined) {
    throw new ToolFailedError(tool, {
      timedOut: r.timedOut,
      signal: r.signal,
      output: all || r.message,
      logPath,
    });
  }
  return { exitCode: r.exitCode, all };
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
}

// ---------------------------------------------------------------------------------------------
// Verilator

/** `verilator --lint-only -Wall --top-module top <files>`; ok iff exit 0 and no %Warning/%Error line. */
export async function lintVerilator(files: string[], top: string): Promise<LintResult> {
  const names = stagedNames(files);
  assertSafeIdent(top);
  const exe = await requireTool('verilator');
  return inStagedFolder('verilator', top, files, names, async (dir) => {
    const { exitCode, all } = await run('verilator', exe, ['--lint-only', '-Wall', '--top-module', top, ...names], undefined, dir);
    const diag = lines(all).filter((l) => /^%(Warning|Error)/.test(l));
    // The closing "%Error: Exiting due to N warning(s)" says nothing the other lines don't.
    const messages = diag.filter((l) => !/^%Error: Exiting due to /.test(l));
    if (exitCode !== 0 && diag.length === 0) {
      throw new ToolFailedError('verilator', { exitCode, output: all, reason: 'non-zero exit without any %Warning/%Error line' });
    }
    const latches = messages.filter((l) => /^%Warning-LATCH\b/.test(l)).length;
    const ok = exitCode === 0 && diag.length === 0;
    return { tool: 'verilator', module: top, ok, messages: ok ? [] : messages.length ? messages : diag, latches };
  });
}

// ---------------------------------------------------------------------------------------------
// Icarus

/** `iverilog -g2005 -Wall -s top -o <tmp> <files>`; ok iff exit 0 and no line mentions warning/error. */
export async function lintIcarus(files: string[], top: string): Promise<LintResult> {
  const names = stagedNames(files);
  assertSafeIdent(top);
  const exe = await requireTool('iverilog');
  return inStagedFolder('iverilog', top, files, names, async (dir) => {
    // The output name cannot clash with an input: those end in .v / .sv, not in .vvp.
    const out = names.includes(`${top}.vvp`) ? 'dcgen-lint.out' : `${top}.vvp`;
    const { exitCode, all } = await run('iverilog', exe, ['-g2005', '-Wall', '-s', top, '-o', out, ...names], undefined, dir);
    const nonEmpty = lines(all).filter((l) => l.trim() !== '');
    const diag = nonEmpty.filter((l) => /warning|error/i.test(l));
    if (exitCode !== 0 && nonEmpty.length === 0) {
      throw new ToolFailedError('iverilog', { exitCode, output: all, reason: 'non-zero exit without any output' });
    }
    const ok = exitCode === 0 && diag.length === 0;
    // On failure without a warning/error line (e.g. "Unknown module type" lists), keep all lines.
    const messages = ok ? [] : diag.length > 0 ? diag : nonEmpty;
    return { tool: 'iverilog', module: top, ok, messages, latches: 0 };
  });
}

// ---------------------------------------------------------------------------------------------
// Yosys

/** Yosys cell types that are latches (coarse and fine-grained, incl. set/reset latches). */
export function isLatchCellType(type: string): boolean {
  return /^\$(dlatch|adlatch|dlatchsr|sr)$/.test(type) || /^\$_(DLATCH|DLATCHSR|SR)_/.test(type);
}

export interface StatJson {
  modules?: Record<string, { num_cells_by_type?: Record<string, number> }>;
  design?: { num_cells_by_type?: Record<string, number> };
}

/**
 * The report of `stat -json`. Yosys 0.23 writes the submodule counts of a hierarchy deeper than
 * two levels (a child with children of its own) as plain text lines (`   name   2`) between
 * the module list and "design", which makes the file invalid JSON: those lines are dropped.
 */
export function parseStatJson(text: string): StatJson {
  return JSON.parse(
    text
      .split('\n')
      .filter((l) => !/^\s+[^\s"{}[\],:]+\s+\d+\s*$/.test(l))
      .join('\n'),
  ) as StatJson;
}

function countLatches(stat: StatJson): { count: number; byType: Record<string, number> } {
  // "design" is the hierarchy roll-up under the top (instances counted as often as they occur);
  // fall back to summing the module definitions if it is absent.
  const tables: Record<string, number>[] = [];
  if (stat.design?.num_cells_by_type) tables.push(stat.design.num_cells_by_type);
  else for (const m of Object.values(stat.modules ?? {})) if (m.num_cells_by_type) tables.push(m.num_cells_by_type);
  const byType: Record<string, number> = {};
  let count = 0;
  for (const t of tables) {
    for (const [type, n] of Object.entries(t)) {
      if (!isLatchCellType(type)) continue;
      byType[type] = (byType[type] ?? 0) + n;
      count += n;
    }
  }
  return { count, byType };
}

/**
 * The Yosys commands after `read_verilog`: Yosys 0.23's `synth -top <top>` (`help synth`), every
 * command of it in its order, but for one: `memory_map`, which turns each memory into one
 * flip-flop per bit and the address decoders and multiplexers around them. Its memories stay
 * `$mem_v2` cells (the coarse part, `memory -nomap`, already built them), as they would for a
 * RAM library. memory_map creates only $dff, $mux, $and and $eq cells and writes no warning; a
 * latch comes from `proc` (proc_dlatch, in the coarse part: a memory written outside a clocked
 * block is turned into registers by read_verilog, and so into latches), which still runs, as do
 * techmap (per-bit latch cells) and abc on everything else, and the checks. What it cost:
 * ditto at its defaults has memory modules of 743k bits in all (the 1024 x 512 x buffer, a
 * 2048 x 64 weight bank, the 256 x 256 Y buffer, ...); mapped, the x buffer alone took Yosys
 * 190 s of CPU and 3.3 GB, and `dcgen lint ditto` 18 minutes, each memory being mapped again
 * under every module above it.
 */
export function yosysScript(top: string): string[] {
  assertSafeIdent(top);
  return [
    // synth's begin and coarse parts (hierarchy -check -top; proc; ...; check; ...; memory -nomap; opt_clean)
    `synth -top ${top} -run begin:fine`,
    // synth's fine part without memory_map
    'opt -fast -full',
    'opt -full',
    'techmap',
    'opt -fast',
    'abc -fast',
    'opt -fast',
    // synth's check part
    'hierarchy -check',
    'stat',
    'check',
  ];
}

/**
 * `yosys -q -l yosys.log -p "read_verilog <files>; <yosysScript(top)>; tee -q -o stat.json stat -json; check -assert"`,
 * run in a private temp folder holding copies of the files, so that no path from the user's
 * machine is spliced into the script (any checkout path works; nothing can be injected).
 * ok iff exit 0, no latch cells and no "Warning:" line. Latch cells are counted from `stat -json`.
 */
export async function checkYosys(files: string[], top: string): Promise<LintResult> {
  const names = stagedNames(files);
  assertSafeIdent(top);
  const exe = await requireTool('yosys');
  return inStagedFolder('yosys', top, files, names, async (tmp, keep) => {
    const statPath = path.join(tmp, 'stat.json');
    const logPath = path.join(tmp, 'yosys.log');
    const script = [
      `read_verilog ${names.join(' ')}`,
      ...yosysScript(top),
      'tee -q -o stat.json stat -json',
      'check -assert',
    ].join('; ');
    let res: RunOutput;
    try {
      res = await run('yosys', exe, ['-q', '-l', 'yosys.log', '-p', script], logPath, tmp);
    } catch (e) {
      keep();
      throw e;
    }
    const { exitCode, all } = res;
    // Yosys prefixes some diagnostics with a location: "file.v:8: Warning: ...".
    const diag = lines(all).filter((l) => /(^|: )(Warning|ERROR):/.test(l));
    if (exitCode !== 0 && diag.length === 0) {
      keep();
      throw new ToolFailedError('yosys', { exitCode, output: all, logPath, reason: 'non-zero exit without any ERROR:/Warning: line' });
    }
    let latches = 0;
    const messages = [...diag];
    let stat: StatJson | undefined;
    try {
      stat = parseStatJson(await readFile(statPath, 'utf8'));
    } catch {
      stat = undefined; // synth failed before stat ran: the ERROR line says why
    }
    if (stat) {
      const { count, byType } = countLatches(stat);
      latches = count;
      if (count > 0) {
        const kinds = Object.entries(byType).map(([t, n]) => `${t} x${n}`).join(', ');
        messages.push(`${count} latch cell(s) after synth: ${kinds}`);
        // Yosys logs (not warns) "Latch inferred for signal ..." during proc: say which signals.
        const log = await readFile(logPath, 'utf8').catch(() => '');
        for (const l of lines(log)) if (/^Latch inferred for signal /.test(l)) messages.push(l);
      }
    } else if (exitCode === 0) {
      keep();
      throw new ToolFailedError('yosys', { exitCode, output: all, logPath, reason: 'stat -json produced no readable output' });
    }
    const ok = exitCode === 0 && latches === 0 && !diag.some((l) => /(^|: )Warning:/.test(l));
    return { tool: 'yosys', module: top, ok, messages: ok ? [] : messages, latches };
  });
}

// ---------------------------------------------------------------------------------------------
// Whole designs

/** Run `fn` over `items` with at most `limit` in flight; results keep the input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const RUNNERS: Record<LintTool, (files: string[], top: string) => Promise<LintResult>> = {
  verilator: lintVerilator,
  iverilog: lintIcarus,
  yosys: checkYosys,
};

/**
 * The order in which lintDesign starts its runs (indices into `jobs`): the longest first, so
 * that the last runs to finish are short ones. Yosys before the other tools (it synthesises the
 * whole hierarchy under its top: on ditto_top a minute, Verilator 3 s), and within a tool the
 * modules from the last in manifest order to the first (the manifest lists the leaves first and
 * the top last, so a module comes after those below it and holds at least their logic).
 */
export function lintRunOrder(jobs: readonly { tool: LintTool; module: string }[], modules: readonly string[]): number[] {
  const cost = (j: { tool: LintTool; module: string }) => (j.tool === 'yosys' ? 1 : 0) * modules.length + modules.indexOf(j.module);
  return jobs.map((_, i) => i).sort((a, b) => cost(jobs[b]!) - cost(jobs[a]!) || a - b);
}

/**
 * Lint every module of an emitted design. Reads the design folder with readDesignFolder
 * (generator/emit/manifest.ts: throws DesignFolderError), and for each module runs each chosen tool
 * on all files of the filelist with that module as top. One result per (module, tool),
 * ordered by module (manifest order) then tool (`opts.tools` order). Two tool runs at a time,
 * the longest started first (lintRunOrder).
 */
export async function lintDesign(dir: string, opts: { tools?: LintTool[] } = {}): Promise<LintResult[]> {
  const tools = opts.tools ?? [...ALL_LINT_TOOLS];
  // Throws DesignFolderError (manifest.json or the filelist missing or malformed, a file missing).
  const { manifest, paths: files } = readDesignFolder(dir);
  const jobs: { tool: LintTool; module: string }[] = [];
  for (const m of manifest.modules) for (const tool of tools) jobs.push({ tool, module: m.name });
  const order = lintRunOrder(jobs, manifest.modules.map((m) => m.name));
  const results = new Array<LintResult>(jobs.length);
  await mapLimit(order, 2, async (i) => {
    const j = jobs[i]!;
    results[i] = await RUNNERS[j.tool](files, j.module);
  });
  return results;
}

/** One aligned report line, e.g. `verilator  common_fifo               ok`. */
export function formatLintLine(r: LintResult): string {
  const tool = r.tool.padEnd(11);
  const mod = r.module.length >= 24 ? `${r.module}  ` : r.module.padEnd(26);
  if (r.ok) return `${tool}${mod}ok`;
  const first = r.messages[0];
  return first === undefined ? `${tool}${mod}FAIL` : `${tool}${mod}FAIL  ${first}`;
}
