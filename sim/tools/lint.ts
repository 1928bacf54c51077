// Lint / synthesis checks of generated Verilog with the real tools:
//   Verilator  --lint-only -Wall           (no waivers: no -Wno-*, no lint_off comments)
//   Icarus     -g2005 -Wall
//   Yosys      synth + check -assert + latch count
// Every tool is run through execa with an argument array; nothing goes through a shell.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { DcgenError } from '../../generator/errors.ts';
import { ToolFailedError } from './errors.ts';

/** A design folder whose manifest.json is missing or malformed. */
export class ManifestError extends DcgenError {}
import { requireTool } from './which.ts';

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

/** Per-run time limit for a single tool invocation. */
const TOOL_TIMEOUT_MS = 10 * 60 * 1000;

/** File names that may be spliced into a yosys script string. */
const SAFE_PATH = /^[A-Za-z0-9_./-]+$/;
/** Module names that may be passed to the tools / spliced into a yosys script. */
const SAFE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function assertSafePath(p: string): void {
  if (!SAFE_PATH.test(p)) {
    throw new Error(`unsafe file name for a yosys script: ${JSON.stringify(p)} (allowed: [A-Za-z0-9_./-])`);
  }
}

function assertSafeIdent(name: string): void {
  if (!SAFE_IDENT.test(name)) {
    throw new Error(`invalid Verilog module name: ${JSON.stringify(name)}`);
  }
}

function assertFiles(files: string[]): void {
  if (files.length === 0) throw new Error('no Verilog files given');
  for (const f of files) {
    // A leading '-' would be read as an option by every tool.
    if (f.startsWith('-')) throw new Error(`file name must not start with '-': ${JSON.stringify(f)}`);
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
    env: { LC_ALL: 'C' },
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
  assertFiles(files);
  assertSafeIdent(top);
  const exe = await requireTool('verilator');
  const { exitCode, all } = await run('verilator', exe, ['--lint-only', '-Wall', '--top-module', top, ...files]);
  const diag = lines(all).filter((l) => /^%(Warning|Error)/.test(l));
  // The closing "%Error: Exiting due to N warning(s)" says nothing the other lines don't.
  const messages = diag.filter((l) => !/^%Error: Exiting due to /.test(l));
  if (exitCode !== 0 && diag.length === 0) {
    throw new ToolFailedError('verilator', { exitCode, output: all, reason: 'non-zero exit without any %Warning/%Error line' });
  }
  const latches = messages.filter((l) => /^%Warning-LATCH\b/.test(l)).length;
  const ok = exitCode === 0 && diag.length === 0;
  return { tool: 'verilator', module: top, ok, messages: ok ? [] : messages.length ? messages : diag, latches };
}

// ---------------------------------------------------------------------------------------------
// Icarus

/** `iverilog -g2005 -Wall -s top -o <tmp> <files>`; ok iff exit 0 and no line mentions warning/error. */
export async function lintIcarus(files: string[], top: string): Promise<LintResult> {
  assertFiles(files);
  assertSafeIdent(top);
  const exe = await requireTool('iverilog');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'dcgen-iverilog-'));
  try {
    const out = path.join(tmp, `${top}.vvp`);
    const { exitCode, all } = await run('iverilog', exe, ['-g2005', '-Wall', '-s', top, '-o', out, ...files]);
    const nonEmpty = lines(all).filter((l) => l.trim() !== '');
    const diag = nonEmpty.filter((l) => /warning|error/i.test(l));
    if (exitCode !== 0 && nonEmpty.length === 0) {
      throw new ToolFailedError('iverilog', { exitCode, output: all, reason: 'non-zero exit without any output' });
    }
    const ok = exitCode === 0 && diag.length === 0;
    // On failure without a warning/error line (e.g. "Unknown module type" lists), keep all lines.
    const messages = ok ? [] : diag.length > 0 ? diag : nonEmpty;
    return { tool: 'iverilog', module: top, ok, messages, latches: 0 };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Yosys

/** Yosys cell types that are latches (coarse and fine-grained, incl. set/reset latches). */
export function isLatchCellType(type: string): boolean {
  return /^\$(dlatch|adlatch|dlatchsr|sr)$/.test(type) || /^\$_(DLATCH|DLATCHSR|SR)_/.test(type);
}

interface StatJson {
  modules?: Record<string, { num_cells_by_type?: Record<string, number> }>;
  design?: { num_cells_by_type?: Record<string, number> };
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
 * `yosys -q -l yosys.log -p "read_verilog <files>; synth -top <top>; tee -q -o stat.json stat -json; check -assert"`,
 * run in a private temp folder holding copies of the files, so that no path from the user's
 * machine is spliced into the script (any checkout path works; nothing can be injected).
 * ok iff exit 0, no latch cells and no "Warning:" line. Latch cells are counted from `stat -json`.
 */
export async function checkYosys(files: string[], top: string): Promise<LintResult> {
  assertFiles(files);
  assertSafeIdent(top);
  const names = files.map((f) => path.basename(f));
  for (const n of names) assertSafePath(n);
  if (new Set(names).size !== names.length) throw new Error(`two Verilog files with one name: ${names.join(', ')}`);
  const exe = await requireTool('yosys');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'dcgen-yosys-'));
  let keepTmp = false;
  try {
    try {
      await Promise.all(files.map((f, i) => copyFile(f, path.join(tmp, names[i]))));
    } catch (e) {
      return { tool: 'yosys', module: top, ok: false, messages: [`ERROR: Can't open input file: ${(e as Error).message}`], latches: 0 };
    }
    const statPath = path.join(tmp, 'stat.json');
    const logPath = path.join(tmp, 'yosys.log');
    const script = [
      `read_verilog ${names.join(' ')}`,
      `synth -top ${top}`,
      'tee -q -o stat.json stat -json',
      'check -assert',
    ].join('; ');
    let res: RunOutput;
    try {
      res = await run('yosys', exe, ['-q', '-l', 'yosys.log', '-p', script], logPath, tmp);
    } catch (e) {
      keepTmp = true;
      throw e;
    }
    const { exitCode, all } = res;
    // Yosys prefixes some diagnostics with a location: "file.v:8: Warning: ...".
    const diag = lines(all).filter((l) => /(^|: )(Warning|ERROR):/.test(l));
    if (exitCode !== 0 && diag.length === 0) {
      keepTmp = true;
      throw new ToolFailedError('yosys', { exitCode, output: all, logPath, reason: 'non-zero exit without any ERROR:/Warning: line' });
    }
    let latches = 0;
    const messages = [...diag];
    let stat: StatJson | undefined;
    try {
      stat = JSON.parse(await readFile(statPath, 'utf8')) as StatJson;
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
      keepTmp = true;
      throw new ToolFailedError('yosys', { exitCode, output: all, logPath, reason: 'stat -json produced no readable output' });
    }
    const ok = exitCode === 0 && latches === 0 && !diag.some((l) => /(^|: )Warning:/.test(l));
    return { tool: 'yosys', module: top, ok, messages: ok ? [] : messages, latches };
  } finally {
    if (!keepTmp) await rm(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Whole designs

interface ManifestModule {
  name: string;
  file: string;
}

interface Manifest {
  top: string;
  modules: ManifestModule[];
  filelist?: string;
}

function parseManifest(raw: unknown, where: string): Manifest {
  const bad = (why: string): never => {
    throw new ManifestError(`${where}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null) bad('not a JSON object');
  const m = raw as Record<string, unknown>;
  if (typeof m.top !== 'string') bad('"top" must be a string');
  if (!Array.isArray(m.modules)) bad('"modules" must be an array');
  const modules = (m.modules as unknown[]).map((x, i): ManifestModule => {
    const mod = x as Record<string, unknown> | null;
    if (typeof mod !== 'object' || mod === null || typeof mod.name !== 'string' || typeof mod.file !== 'string') {
      return bad(`modules[${i}] needs string "name" and "file"`);
    }
    return { name: mod.name, file: mod.file };
  });
  if (m.filelist !== undefined && typeof m.filelist !== 'string') bad('"filelist" must be a string');
  return { top: m.top as string, modules, filelist: m.filelist as string | undefined };
}

/** Files of the design, absolute, in filelist order (leaves first, top last). */
async function designFiles(dir: string, manifest: Manifest): Promise<string[]> {
  if (manifest.filelist === undefined) {
    return manifest.modules.map((m) => path.resolve(dir, m.file));
  }
  const text = await readFile(path.resolve(dir, manifest.filelist), 'utf8');
  return lines(text)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('//') && !l.startsWith('#'))
    .map((l) => path.resolve(dir, l));
}

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
 * Lint every module of an emitted design. Reads `<dir>/manifest.json`
 * (`{ top, modules: [{ name, file }], filelist }`), and for each module runs each chosen tool
 * on all files of the filelist with that module as top. One result per (module, tool),
 * ordered by module (manifest order) then tool (`opts.tools` order). Two tool runs at a time.
 */
export async function lintDesign(dir: string, opts: { tools?: LintTool[] } = {}): Promise<LintResult[]> {
  const tools = opts.tools ?? [...ALL_LINT_TOOLS];
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = parseManifest(JSON.parse(await readFile(manifestPath, 'utf8')), manifestPath);
  const files = await designFiles(dir, manifest);
  const jobs: { tool: LintTool; module: string }[] = [];
  for (const m of manifest.modules) for (const tool of tools) jobs.push({ tool, module: m.name });
  return mapLimit(jobs, 2, (j) => RUNNERS[j.tool](files, j.module));
}

/** One aligned report line, e.g. `verilator  common_fifo               ok`. */
export function formatLintLine(r: LintResult): string {
  const tool = r.tool.padEnd(11);
  const mod = r.module.length >= 24 ? `${r.module}  ` : r.module.padEnd(26);
  if (r.ok) return `${tool}${mod}ok`;
  const first = r.messages[0];
  return first === undefined ? `${tool}${mod}FAIL` : `${tool}${mod}FAIL  ${first}`;
}
