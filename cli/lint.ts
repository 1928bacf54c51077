// `dcgen lint <design|dir>`: Verilator, Icarus and Yosys on every module of a generated design.
import { existsSync, statSync } from 'node:fs';
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
      'with every module as top (Yosys runs synth but for memory_map: memories stay $mem cells, not flip-flops).\n' +
      'Prints one line per (tool, module) and a summary; exit status 1 if any failed.',
  ],
};

/** A path in the summary line: as it is, unless a control character (a newline) needs escaping. */
function plainOrQuoted(p: string): string {
  const q = quotedPath(p);
  return q.startsWith('"') ? q : p;
}

export interface LintSummary {
  results: LintResult[];
  ok: boolean;
}

/** Lint a design folder (read through readDesignFolder: a DesignFolderError if it breaks the contract); returns the results and the lines to print. */
export async function lintFolder(dir: string): Promise<LintSummary & { lines: string[] }> {
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
