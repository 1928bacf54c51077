// `dcgen start` (what `npm start` runs): every registered design through a list of per-design
// steps — generate at defaults into rtl-out/<design>, lint, then a quick cosimulation of the
// design's cases (one seed each) — and a summary table.
//
// Extension point: append a DesignStep to `designSteps` (cosimulation, say). A step reads what
// earlier steps left on the DesignRun (`run.generated` holds the manifest and output folder),
// fills its own table columns, and returns false on failure; the design's later steps are then
// skipped. A step throws a DcgenError (or ToolMissingError) for a failure the user can fix;
// anything else it throws is reported as an internal error with its stack.
import { designs } from '../designs/index.ts';
import type { DesignDef } from '../designs/registry.ts';
import { isUserError } from '../errors.ts';
import { ToolMissingError } from '../../sim/tools/errors.ts';
import { ALL_LINT_TOOLS, type LintResult } from '../../sim/tools/lint.ts';
import { type CosimCase, runCase } from '../../sim/cases/case.ts';
import { allCases } from '../../sim/cases/index.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import { type Io, defaultOutDir, displayPath } from './common.ts';
import { type GenerateResult, generateDesign } from './generate.ts';
import { lintFolder } from './lint.ts';

export const startSpec: CommandSpec = {
  name: 'start',
  summary: 'Generate and lint every design at its defaults, cosimulate its cases (1 seed), print a table (npm start).',
  positionals: [],
  options: [],
  notes: ['Exit status 1 if any design failed a step, 70 if a step hit an internal error.'],
};

/** One design's way through the steps. */
export interface DesignRun {
  design: DesignDef;
  outDir: string;
  /** Set by the generate step. */
  generated?: GenerateResult;
  /** Set by the lint step. */
  lint?: LintResult[];
  /** Summary-table cells by column name; a column a step did not fill prints '-'. */
  cells: Record<string, string>;
  /** Lines printed under the design's progress line (what failed and why). */
  notes: string[];
}

export interface DesignStep {
  name: string;
  /** The columns this step fills, in table order. */
  columns: string[];
  /** true: passed; false: failed (the step has said why in `run.notes`). */
  run(run: DesignRun): Promise<boolean>;
}

const generateStep: DesignStep = {
  name: 'generate',
  columns: ['modules', 'files'],
  async run(r) {
    r.generated = generateDesign({ design: r.design, overrides: {}, outDir: r.outDir });
    r.cells.modules = String(r.generated.manifest.modules.length);
    r.cells.files = String(r.generated.files.length);
    return true;
  },
};

const lintStep: DesignStep = {
  name: 'lint',
  columns: [...ALL_LINT_TOOLS],
  async run(r) {
    const { results, ok } = await lintFolder(r.outDir);
    r.lint = results;
    for (const tool of ALL_LINT_TOOLS) {
      const mine = results.filter((x) => x.tool === tool);
      const failed = mine.filter((x) => !x.ok).length;
      r.cells[tool] = failed === 0 ? 'ok' : `FAIL ${failed}/${mine.length}`;
    }
    for (const x of results) {
      if (x.ok) continue;
      r.notes.push(`  ${x.tool} ${x.module}:`, ...x.messages.map((m) => `      ${m}`));
    }
    return ok;
  },
};

/**
 * Cosimulation: the design's cases (sim/cases, those not marked full) with seed 1 each, on
 * the configurations the cases choose. Column `cosim`: `ok <n>/<n>`, `FAIL <k>/<n>`, or '-'
 * for a design without cases.
 */
export function cosimStep(loadCases: () => Promise<CosimCase[]> = allCases): DesignStep {
  let cases: Promise<CosimCase[]> | undefined;
  return {
    name: 'cosim',
    columns: ['cosim'],
    async run(r) {
      cases ??= loadCases();
      const mine = (await cases).filter((c) => c.design === r.design.name && !c.full).sort((a, b) => (a.name < b.name ? -1 : 1));
      if (mine.length === 0) {
        r.cells.cosim = '-';
        return true;
      }
      let failed = 0;
      for (const c of mine) {
        const rep = await runCase(c, { seeds: [1] });
        if (rep.ok) continue;
        failed++;
        r.notes.push(`  cosim ${c.name}:`, ...rep.message.split('\n').map((l) => `      ${l}`));
      }
      r.cells.cosim = failed === 0 ? `ok ${mine.length}/${mine.length}` : `FAIL ${failed}/${mine.length}`;
      return failed === 0;
    },
  };
}

/** The steps every design goes through, in order. */
export const designSteps: DesignStep[] = [generateStep, lintStep, cosimStep()];

type Outcome = 'ok' | 'failed' | 'internal';

async function runDesign(r: DesignRun, steps: readonly DesignStep[], io: Io): Promise<{ outcome: Outcome; failedStep?: string }> {
  for (const step of steps) {
    try {
      if (!(await step.run(r))) return { outcome: 'failed', failedStep: step.name };
    } catch (e) {
      if (isUserError(e) || e instanceof ToolMissingError) {
        r.notes.push(`  error: ${e.message}`);
        for (const c of step.columns) r.cells[c] ??= 'error';
        return { outcome: 'failed', failedStep: step.name };
      }
      for (const c of step.columns) r.cells[c] ??= 'BUG';
      io.err(`internal error in step '${step.name}' of design ${r.design.name} (a bug in dcgen):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { outcome: 'internal', failedStep: step.name };
    }
  }
  return { outcome: 'ok' };
}

function table(rows: string[][]): string[] {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(w[c])).join('  ').trimEnd());
}

export async function runStart(_args: ParsedArgs, io: Io, steps: readonly DesignStep[] = designSteps): Promise<number> {
  const columns = steps.flatMap((s) => s.columns);
  const rows: string[][] = [['design', ...columns, 'time', 'result']];
  let failed = 0;
  let internal = 0;
  const t0 = Date.now();
  for (const [i, design] of designs.entries()) {
    const t = Date.now();
    const r: DesignRun = { design, outDir: defaultOutDir(design.name), cells: {}, notes: [] };
    const { outcome, failedStep } = await runDesign(r, steps, io);
    const secs = `${((Date.now() - t) / 1000).toFixed(1)} s`;
    const result = outcome === 'ok' ? 'ok' : outcome === 'failed' ? `FAIL (${failedStep})` : `BUG (${failedStep})`;
    io.out(`[${i + 1}/${designs.length}] ${design.name} -> ${displayPath(r.outDir)}: ${result}, ${secs}`);
    if (r.notes.length) io.out(r.notes.join('\n'));
    rows.push([design.name, ...columns.map((c) => r.cells[c] ?? '-'), secs, result]);
    if (outcome === 'failed') failed++;
    if (outcome === 'internal') internal++;
  }
  const bad = failed + internal;
  io.out(['', ...table(rows), ''].join('\n'));
  io.out(
    designs.length === 0
      ? 'no designs registered'
      : `${bad === 0 ? 'all ' : ''}${designs.length - bad} of ${designs.length} design${designs.length === 1 ? '' : 's'} passed` +
          `${bad ? ` (${failed} failed${internal ? `, ${internal} internal error${internal === 1 ? '' : 's'}` : ''})` : ''}` +
          ` in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return internal ? 70 : failed ? 1 : 0;
}
