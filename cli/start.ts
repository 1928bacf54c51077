// `dcgen start` (what `npm start` runs): a quick first run. Every registered design goes through
// a list of per-design steps — generate at defaults into rtl-out/<design>, lint, one smoke
// cosimulation — with a progress line per step and design as it finishes, then a table that
// says where the files are and what to run next.
//
// Order: every design is generated first (in process, fast: the first folder is written within
// seconds), then the lints, then the cosimulations, `jobs` at a time (default: the CPU count, at
// most 4). The steps that run tools (`parallel`) are taken from both ends of the design list:
// one worker walks it from the front (the small blocks first, so progress lines keep coming),
// the other from the back, where the big designs are registered (ditto and cmc last, whose Yosys
// runs are the longest), so the longest runs start at once instead of last.
//
// The lint step runs Verilator and Icarus with every module as top, as `dcgen lint` does, and
// Yosys once, with the design's top: its synthesis elaborates and checks every module below
// the top, and synthesising each submodule again on its own (what `dcgen lint` does) would
// double the time Yosys spends on ditto and cmc (their encoders and GEMM, half a minute each;
// the Yosys check keeps memories as $mem cells, eda/tools/lint.ts). The cosim step runs each
// design's smoke case (the case marked `smoke` in sim/cases, else its case with the fewest
// beats), seed 1; the other cases and seeds are for `npm test` and `dcgen regress`.
//
// Extension point: append a DesignStep to `designSteps`. A step reads what earlier steps left
// on the DesignRun (`run.generated` holds the manifest and output folder), fills its own table
// columns and `detail` (its progress line), and returns false on failure; the design's later
// steps are then skipped. A step throws a DcgenError (or ToolMissingError) for a failure the
// user can fix; anything else it throws is reported as an internal error with its stack.
import path from 'node:path';
import { designs } from '../generator/designs/index.ts';
import type { DesignDef } from '../generator/designs/registry.ts';
import { isUserError } from '../generator/errors.ts';
import { ToolMissingError } from '../eda/tools/errors.ts';
import { ALL_LINT_TOOLS, type LintResult, checkYosys, lintDesign } from '../eda/tools/lint.ts';
import { type CosimCase, runCase } from '../sim/cases/case.ts';
import { allCases } from '../sim/cases/index.ts';
import { cpuCount } from '../sim/regress/pool.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import { type Io, defaultOutDir, displayPath } from './common.ts';
import { type GenerateResult, generateDesign } from './generate.ts';

export const startSpec: CommandSpec = {
  name: 'start',
  summary: 'Generate every design at its defaults into rtl-out/, lint it, run one smoke cosimulation (seed 1) per design; print a table (npm start).',
  positionals: [],
  options: [],
  notes: [
    'Every design is generated first, then linted (Verilator and Icarus on every module, Yosys on the top,\n' +
      'whose synthesis covers the modules below it), then cosimulated with its smoke case, two designs at a\n' +
      'time on a 2-core machine. The other cases and seeds run in npm test and dcgen regress.',
    'Exit status 1 if any design failed a step, 70 if a step hit an internal error.',
  ],
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
  /** What the step that just ran did, for its progress line (each step sets it). */
  detail?: string;
}

export interface DesignStep {
  name: string;
  /** The columns this step fills, in table order. */
  columns: string[];
  /**
   * The step runs tools (lint, cosimulation): several designs at once, taken from both ends of
   * the design list. Otherwise one design at a time, in registry order.
   */
  parallel?: boolean;
  /** true: passed; false: failed (the step has said why in `run.notes`). */
  run(run: DesignRun): Promise<boolean>;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const generateStep: DesignStep = {
  name: 'generate',
  columns: ['modules', 'files'],
  async run(r) {
    r.generated = generateDesign({ design: r.design, overrides: {}, outDir: r.outDir });
    const modules = r.generated.manifest.modules.length;
    r.cells.modules = String(modules);
    r.cells.files = String(r.generated.files.length);
    r.detail = `${displayPath(r.outDir)}/: ${plural(modules, 'module')}, ${plural(r.generated.files.length, 'file')}`;
    return true;
  },
};

/**
 * Verilator and Icarus with every module as top (as `dcgen lint`), Yosys once with the top
 * module (its synthesis covers the whole hierarchy). Columns: `ok` or `FAIL <k>/<n>`.
 */
const lintStep: DesignStep = {
  name: 'lint',
  columns: [...ALL_LINT_TOOLS],
  parallel: true,
  async run(r) {
    const dir = path.resolve(r.outDir);
    const manifest = r.generated?.manifest;
    if (!manifest) throw new Error('lint step: the design was not generated (the generate step must run first)');
    const files = manifest.modules.map((m) => path.join(dir, m.file));
    const [perModule, yosys] = await Promise.all([lintDesign(dir, { tools: ['verilator', 'iverilog'] }), checkYosys(files, manifest.top)]);
    const results = [...perModule, yosys];
    r.lint = results;
    for (const tool of ALL_LINT_TOOLS) {
      const mine = results.filter((x) => x.tool === tool);
      const failed = mine.filter((x) => !x.ok).length;
      r.cells[tool] = failed === 0 ? 'ok' : `FAIL ${failed}/${mine.length}`;
    }
    const bad = results.filter((x) => !x.ok);
    for (const x of bad) r.notes.push(`  ${x.tool} ${x.module}:`, ...x.messages.map((m) => `      ${m}`));
    const n = manifest.modules.length;
    r.detail =
      bad.length === 0
        ? `Verilator and Icarus on ${plural(n, 'module')}, Yosys on ${manifest.top}${n > 1 ? ' and the modules below it' : ''}`
        : `${bad.length} of ${results.length} checks failed (dcgen lint ${displayPath(r.outDir)} reruns them)`;
    return bad.length === 0;
  },
};

/** Input beats, input rows and expected transactions and samples of a case's seed 1. */
function caseWork(c: CosimCase): number {
  const stim = c.stimulus(1);
  const expected = c.golden(stim);
  let n = stim.rows?.length ?? 0;
  for (const b of Object.values(stim.streams ?? {})) n += b.length;
  for (const b of Object.values(expected.streams ?? {})) n += b.length;
  return n + (expected.samples?.length ?? 0);
}

/**
 * The case `dcgen start` runs for `design`: the one marked `smoke`, else the design's case (not
 * `full`) with the fewest beats, transactions and samples in seed 1 (the first of equals).
 */
export function smokeCase(cases: readonly CosimCase[], design: string): CosimCase | undefined {
  const mine = cases.filter((c) => c.design === design);
  const marked = mine.find((c) => c.smoke);
  if (marked) return marked;
  let best: { c: CosimCase; work: number } | undefined;
  for (const c of mine) {
    if (c.full) continue;
    const work = caseWork(c);
    if (!best || work < best.work) best = { c, work };
  }
  return best?.c;
}

/**
 * Cosimulation: the design's smoke case (smokeCase) with seed 1, on the configuration the case
 * chooses. Columns `cosim` (`ok`, `FAIL`, or '-' for a design without cases) and `smoke case`.
 */
export function cosimStep(loadCases: () => Promise<CosimCase[]> = allCases): DesignStep {
  let cases: Promise<CosimCase[]> | undefined;
  return {
    name: 'cosim',
    columns: ['cosim', 'smoke case'],
    parallel: true,
    async run(r) {
      cases ??= loadCases();
      const c = smokeCase(await cases, r.design.name);
      if (!c) {
        r.cells.cosim = '-';
        r.detail = 'no cosimulation case';
        return true;
      }
      r.cells['smoke case'] = c.name.startsWith(`${c.design}.`) ? c.name.slice(c.design.length + 1) : c.name;
      const rep = await runCase(c, { seeds: [1] });
      const s = rep.seeds[0];
      const transactions = s ? Object.values(s.transactions).reduce((n, t) => n + t.length, 0) : 0;
      const built = rep.build.cached ? '' : `, harness built in ${secs(rep.build.ms)}`;
      r.detail = `${c.name}, seed 1: ${plural(transactions, 'transaction')}, ${plural(s?.cycles ?? 0, 'cycle')}${built}`;
      r.cells.cosim = rep.ok ? 'ok' : 'FAIL';
      if (rep.ok) return true;
      r.notes.push(`  cosim ${c.name}:`, ...rep.message.split('\n').map((l) => `      ${l}`), `      (dcgen regress --filter ${c.name} runs all its seeds)`);
      return false;
    },
  };
}

/** The steps every design goes through, in order. */
export const designSteps: DesignStep[] = [generateStep, lintStep, cosimStep()];

type Outcome = 'ok' | 'failed' | 'internal';

interface Track {
  run: DesignRun;
  outcome: Outcome;
  failedStep?: string;
  ms: number;
}

interface Task {
  step: number;
  track: Track;
  state: 'waiting' | 'running' | 'done' | 'skipped';
}

function table(rows: string[][]): string[] {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(w[c])).join('  ').trimEnd());
}

export interface StartOptions {
  /** Designs in flight at once in the parallel steps (default: the CPU count, at most 4). */
  jobs?: number;
}

export async function runStart(_args: ParsedArgs, io: Io, steps: readonly DesignStep[] = designSteps, opts: StartOptions = {}): Promise<number> {
  const t0 = Date.now();
  const jobs = Math.max(1, opts.jobs ?? Math.min(cpuCount(), 4));
  const list = [...designs];
  const columns = steps.flatMap((s) => s.columns);
  const nameWidth = Math.max(0, ...list.map((d) => d.name.length));
  const stepWidth = Math.max(0, ...steps.map((s) => s.name.length));
  const n = list.length;
  io.out(
    `dcgen start: ${plural(n, 'design')} into ${displayPath('rtl-out')}/, steps ${steps.map((s) => s.name).join(', ')}` +
      `${steps.some((s) => s.parallel) ? `; ${plural(jobs, 'job')}` : ''}`,
  );

  const tracks: Track[] = list.map((design) => ({ run: { design, outDir: defaultOutDir(design.name), cells: {}, notes: [] }, outcome: 'ok', ms: 0 }));
  const tasks: Task[] = steps.flatMap((_, step) => tracks.map((track): Task => ({ step, track, state: 'waiting' })));
  const finished = steps.map(() => 0);

  const ready = (t: Task) => t.state === 'waiting' && tasks.every((o) => o.track !== t.track || o.step >= t.step || o.state === 'done');
  /** The next task: the first ready one, or (from the back) the last ready one of the earliest step with any. */
  const pick = (back: boolean): Task | undefined => {
    const all = tasks.filter(ready);
    const first = all[0];
    if (!first || !back || !steps[first.step]!.parallel) return first;
    return all.filter((t) => t.step === first.step).at(-1);
  };

  // A line at least every 20 s: which steps are still running, and for how long (Yosys on the
  // big designs takes a minute or more).
  const running = new Map<Task, number>();
  let lastLine = Date.now();
  const out = (text: string) => {
    lastLine = Date.now();
    io.out(text);
  };
  const heartbeat = setInterval(() => {
    const now = Date.now();
    if (now - lastLine < 20_000 || running.size === 0) return;
    const what = [...running].map(([t, since]) => `${steps[t.step]!.name} ${t.track.run.design.name} (${Math.round((now - since) / 1000)} s)`);
    out(`[${secs(now - t0).padStart(7)}] still running: ${what.join(', ')}`);
  }, 1000);
  heartbeat.unref();

  const runTask = async (t: Task) => {
    const step = steps[t.step]!;
    const r = t.track.run;
    t.state = 'running';
    running.set(t, Date.now());
    r.detail = undefined;
    const notesBefore = r.notes.length;
    const ts = Date.now();
    let outcome: Outcome = 'ok';
    try {
      if (!(await step.run(r))) outcome = 'failed';
    } catch (e) {
      if (isUserError(e) || e instanceof ToolMissingError) {
        r.notes.push(`  error: ${e.message}`);
        for (const c of step.columns) r.cells[c] ??= 'error';
        outcome = 'failed';
      } else {
        for (const c of step.columns) r.cells[c] ??= 'BUG';
        io.err(`internal error in step '${step.name}' of design ${r.design.name} (a bug in dcgen):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        outcome = 'internal';
      }
    }
    const ms = Date.now() - ts;
    running.delete(t);
    t.track.ms += ms;
    t.state = 'done';
    finished[t.step]!++;
    if (outcome !== 'ok') {
      t.track.outcome = outcome;
      t.track.failedStep = step.name;
      for (const o of tasks) if (o.track === t.track && o.state === 'waiting') o.state = 'skipped';
    }
    const word = outcome === 'ok' ? 'ok  ' : outcome === 'failed' ? 'FAIL' : 'BUG ';
    const k = `${finished[t.step]}/${n}`.padStart(2 * String(n).length + 1);
    out(`[${secs(Date.now() - t0).padStart(7)}] ${step.name.padEnd(stepWidth)} ${k}  ${r.design.name.padEnd(nameWidth)}  ${word}  ${r.detail ? `${r.detail}  ` : ''}(${secs(ms)})`);
    if (r.notes.length > notesBefore) out(r.notes.slice(notesBefore).join('\n'));
  };

  let wake: () => void = () => {};
  let woken = new Promise<void>((res) => (wake = res));
  const worker = async (back: boolean) => {
    for (;;) {
      const t = pick(back);
      if (t) {
        await runTask(t);
        const w = wake;
        woken = new Promise<void>((res) => (wake = res));
        w();
        continue;
      }
      if (!tasks.some((x) => x.state === 'waiting')) return;
      if (!tasks.some((x) => x.state === 'running')) {
        // Cannot happen (a waiting task waits for a running one); never hang if it does.
        for (const x of tasks) if (x.state === 'waiting') x.state = 'skipped';
        return;
      }
      await woken;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, n)) }, (_, i) => worker(i % 2 === 1)));
  } finally {
    clearInterval(heartbeat);
  }

  const rows: string[][] = [['design', ...columns, 'time', 'result', 'files in']];
  for (const t of tracks) {
    const result = t.outcome === 'ok' ? 'ok' : t.outcome === 'failed' ? `FAIL (${t.failedStep})` : `BUG (${t.failedStep})`;
    rows.push([t.run.design.name, ...columns.map((c) => t.run.cells[c] ?? '-'), secs(t.ms), result, t.run.generated ? `${displayPath(t.run.outDir)}/` : '-']);
  }
  const failed = tracks.filter((t) => t.outcome === 'failed').length;
  const internal = tracks.filter((t) => t.outcome === 'internal').length;
  const bad = failed + internal;
  io.out(['', ...table(rows), ''].join('\n'));
  io.out(
    n === 0
      ? 'no designs registered'
      : `${bad === 0 ? 'all ' : ''}${n - bad} of ${plural(n, 'design')} passed` +
          `${bad ? ` (${failed} failed${internal ? `, ${plural(internal, 'internal error')}` : ''})` : ''}` +
          ` in ${secs(Date.now() - t0)}`,
  );
  io.out(
    [
      '',
      `The files of each design are in ${displayPath('rtl-out')}/<design>/: one .v per module, the filelist <top>.f, manifest.json,`,
      'the constraints and flow files (SDC, synth.ys, OpenLane, FuseSoC, Vivado). Next:',
      '  dcgen regress               every cosimulation case with 3 seeds (--jobs 2 halves the time; --waves keeps FST waveforms)',
      '  dcgen synth <design>        area and Fmax with Yosys and nextpnr, e.g. dcgen synth cmc.gemm --target ice40',
      '  dcgen eval ditto|cmc        the algorithm-level evaluations on the video clips (docs/eval.md)',
    ].join('\n'),
  );
  return internal ? 70 : failed ? 1 : 0;
}
