// `dcgen lint <design|dir>`: Verilator, Icarus and Yosys on every module of a generated design.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findDesign } from '../generator/designs/index.ts';
import { type LintResult, formatLintLine, lintDesign } from '../eda/tools/lint.ts';
import { quotedPath } from '../generator/io/errors.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import { type Io, defaultOutDir, displayPath, knownDesignNames, requireDesign } from './common.ts';
import { LintInputError } from './errors.ts';
import { formatGenerated, generateDesign } from './generate.ts';

export const lintSpec: CommandSpec = {
  name: 'lint',
  summary: 'Lint a generated design with Verilator, Icarus and Yosys (no warnings allowed).',
  positionals: [
    {
      name: 'design|dir',
      help: 'a folder written by dcgen generate (with its manifest.json), or a design name: generated at defaults into rtl-out/<design> first',
    },
  ],
  options: [],
  notes: [
    'Runs verilator --lint-only -Wall, iverilog -g2005 -Wall and yosys synth; check -assert (no latches)\n' +
      'with every module as top. Prints one line per (tool, module) and a summary; exit status 1 if any failed.',
  ],
};

/** A path in the summary line: as it is, unless a control character (a newline) needs escaping. */
function plainOrQuoted(p: string): string {
  const q = quotedPath(p);
  return q.startsWith('"') ? q : p;
}

/** Module names the lint wrappers accept. */
const SAFE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Check that `dir` holds a design the lint wrappers can run on; throws LintInputError if not. */
export function checkLintDir(dir: string): void {
  const shown = displayPath(dir);
  const manifestPath = path.join(dir, 'manifest.json');
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new LintInputError(`${quotedPath(shown)}: expected a readable JSON manifest.json written by dcgen generate (${(e as Error).message.split('\n')[0]})`);
  }
  const bad = (rule: string): never => {
    throw new LintInputError(`${quotedPath(displayPath(manifestPath))}: ${rule}`);
  };
  const o = (typeof m === 'object' && m !== null ? m : bad('expected a JSON object')) as Record<string, unknown>;
  if (typeof o.top !== 'string') bad('expected "top", the name of the top module');
  if (!Array.isArray(o.modules) || o.modules.length === 0) bad('expected "modules", a non-empty list of {name, file}');
  for (const x of o.modules as unknown[]) {
    const mod = x as Record<string, unknown> | null;
    if (!mod || typeof mod.name !== 'string' || typeof mod.file !== 'string') bad('expected every entry of "modules" to have a string "name" and "file"');
    if (!SAFE_IDENT.test(mod!.name as string)) bad(`module name ${JSON.stringify(mod!.name)}: expected a Verilog identifier`);
  }
  if (o.filelist !== undefined) {
    if (typeof o.filelist !== 'string' || !existsSync(path.join(dir, o.filelist))) bad(`expected "filelist" to name a file in the folder, found ${JSON.stringify(o.filelist)}`);
  }
}

export interface LintSummary {
  results: LintResult[];
  ok: boolean;
}

/** Lint a checked folder; returns the results and the lines to print. */
export async function lintFolder(dir: string): Promise<LintSummary & { lines: string[] }> {
  checkLintDir(dir);
  const results = await lintDesign(path.resolve(dir));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(formatLintLine(r));
    if (!r.ok) for (const m of r.messages.slice(1)) lines.push(`    ${m}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  const modules = new Set(results.map((r) => r.module)).size;
  const tools = new Set(results.map((r) => r.tool)).size;
  lines.push(
    `lint ${plainOrQuoted(displayPath(dir))}: ${failed === 0 ? 'all' : results.length - failed + ' of'} ${results.length} checks passed` +
      ` (${modules} module${modules === 1 ? '' : 's'} x ${tools} tools)${failed ? `, ${failed} FAILED` : ''}`,
  );
  return { results, ok: failed === 0, lines };
}

/** `design|dir` → the folder to lint, generating the design at defaults when given a name. */
export function resolveLintTarget(arg: string, io: Io): string {
  const exists = existsSync(arg);
  const isDir = exists && statSync(arg).isDirectory();
  if (exists && !isDir) throw new LintInputError(`${quotedPath(arg)} is a file: expected a folder written by dcgen generate, or a design name`);
  if (isDir && existsSync(path.join(arg, 'manifest.json'))) return arg;
  const design = findDesign(arg);
  if (design) {
    const r = generateDesign({ design, overrides: {}, outDir: defaultOutDir(design.name) });
    io.out(formatGenerated(r).join('\n'));
    return r.outDir;
  }
  const expected = `expected a folder written by dcgen generate, or a design name (known designs: ${knownDesignNames()})`;
  if (isDir) throw new LintInputError(`${quotedPath(arg)} is a folder without manifest.json: ${expected}`);
  if (arg.includes('/') || arg.includes(path.sep)) throw new LintInputError(`folder ${quotedPath(arg)} not found: ${expected}`);
  requireDesign(arg); // throws the unknown-design UsageError
  return arg;
}

export async function runLint(args: ParsedArgs, io: Io): Promise<number> {
  const dir = resolveLintTarget(args.positionals[0], io);
  const { ok, lines } = await lintFolder(dir);
  io.out(lines.join('\n'));
  return ok ? 0 : 1;
}
