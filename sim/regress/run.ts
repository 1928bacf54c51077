// Run a whole regression of cosimulation cases with parallel jobs and progress events.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isUserError } from '../../generator/errors.ts';
import { asUserError } from '../../generator/io/errors.ts';
import { ForeignFolderError, freshWorkFolder, isWorkFolder, removeWorkFolder } from '../../generator/io/workdir.ts';
import { type CosimCase, runCase, seedList } from '../cases/case.ts';
import type { CosimReport, Simulator } from '../cosim/index.ts';
import { ToolMissingError } from '../../eda/tools/errors.ts';
import { runPool } from './pool.ts';
import { shortCaseName } from './select.ts';

export type CaseStatus = 'passed' | 'failed' | 'error';

export interface CaseResult {
  /** Full case name (`common.adder_tree.basic`). */
  name: string;
  design: string;
  /** The name without the design prefix (`basic`). */
  short: string;
  status: CaseStatus;
  seeds: number[];
  /** Output transactions received, over every seed. */
  transactions: number;
  /** Simulated cycles (after reset), over every seed. */
  cycles: number;
  ms: number;
  /** One line: the first failing seed and what went wrong (stream, index, cycle), with the waveform. */
  summary?: string;
  /** Everything known about the failure (the cosim report, or the error with its stack). */
  details?: string;
  waveform?: string;
  /** With `waves`: the FST of every seed that has one (seed order), passing or failing. */
  waveforms?: string[];
  /** Folder with the failing case's stimulus, responses and waveform (removed when the case passes, unless `waves`). */
  workDir?: string;
  report?: CosimReport;
}

export interface RegressEvents {
  caseStart?(c: CosimCase, index: number, seeds: number[]): void;
  /** `done`: cases finished so far (this one included). */
  caseEnd?(r: CaseResult, done: number, total: number): void;
}

export interface RegressOptions {
  /** Overrides each case's seed count: seeds 1..seeds. */
  seeds?: number;
  /** Cases in flight at once (default 1). */
  jobs?: number;
  simulator?: Simulator;
  /** Each case works in <outDir>/<case name>; a passing case's folder is removed (kept with `waves`). */
  outDir: string;
  /** Record an FST of every seed, passing or failing (`seed-<n>.fst` in the case's folder), and keep the folder. */
  waves?: boolean;
  events?: RegressEvents;
  cacheDir?: string;
}

export interface RegressResult {
  results: CaseResult[];
  passed: number;
  failed: number;
  errors: number;
  ms: number;
}

function safeFolderName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

function failureSummary(report: CosimReport): { summary: string; waveform?: string } {
  const s = report.seeds.find((x) => !x.ok);
  if (!s) return { summary: report.message.split('\n')[0]! };
  const head = (s.message.split('\n')[0] ?? 'failed').replace(/:$/, '');
  const waveform = s.waveform;
  return { summary: `seed ${s.seed}: ${head}${waveform ? `; waveform: ${waveform}` : ''}`, ...(waveform ? { waveform } : {}) };
}

/** Run one case as the regression does; never throws for a failing case (only ToolMissingError escapes). */
export async function regressCase(c: CosimCase, opts: Omit<RegressOptions, 'jobs' | 'events'>): Promise<CaseResult> {
  const seeds = opts.seeds !== undefined ? seedList(opts.seeds) : seedList(c.seeds ?? 3);
  const workDir = caseWorkFolder(opts.outDir, c);
  const base = { name: c.name, design: c.design, short: shortCaseName(c), seeds };
  freshWorkFolder(workDir);
  const t0 = performance.now();
  try {
    const report = await runCase(c, { seeds, simulator: opts.simulator, workDir, cacheDir: opts.cacheDir, ...(opts.waves ? { waveform: 'all' as const } : {}) });
    const ms = performance.now() - t0;
    const transactions = report.seeds.reduce((n, s) => n + Object.values(s.transactions).reduce((m, t) => m + t.length, 0), 0);
    const cycles = report.seeds.reduce((n, s) => n + s.cycles, 0);
    const waves = opts.waves ? { waveforms: report.seeds.flatMap((s) => (s.waveform ? [s.waveform] : [])) } : {};
    if (report.ok) {
      if (opts.waves) return { ...base, status: 'passed', transactions, cycles, ms, ...waves, workDir, report };
      removeWorkFolder(workDir);
      return { ...base, status: 'passed', transactions, cycles, ms, report };
    }
    return { ...base, status: 'failed', transactions, cycles, ms, ...failureSummary(report), ...waves, details: report.message, workDir, report };
  } catch (thrown) {
    if (thrown instanceof ToolMissingError) throw thrown;
    const e = asUserError(thrown); // a full disk in the work folder is the user's, not a bug
    const ms = performance.now() - t0;
    const user = isUserError(e);
    const err = e instanceof Error ? e : undefined;
    const text = !err ? String(e) : user ? err.message : (err.stack ?? `${err.name}: ${err.message}`);
    const first = text.split('\n')[0]!;
    return {
      ...base,
      status: 'error',
      transactions: 0,
      cycles: 0,
      ms,
      summary: user ? first : `internal error (a bug in dcgen or in the case): ${first}`,
      details: text,
      workDir,
    };
  }
}

/** The work folder of case `c` under `outDir`. */
export function caseWorkFolder(outDir: string, c: Pick<CosimCase, 'name'>): string {
  return path.resolve(outDir, safeFolderName(c.name));
}

/** Refuse, before any case runs, a work folder in the way that dcgen did not make (ForeignFolderError). */
export function checkCaseWorkFolders(cases: readonly CosimCase[], outDir: string): void {
  for (const c of cases) {
    const dir = caseWorkFolder(outDir, c);
    if (existsSync(dir) && !isWorkFolder(dir)) throw new ForeignFolderError(dir);
  }
}

/** Run the cases (in the given order, `jobs` at once). */
export async function runRegress(cases: readonly CosimCase[], opts: RegressOptions): Promise<RegressResult> {
  const t0 = performance.now();
  let done = 0;
  const results = await runPool(cases, opts.jobs ?? 1, async (c, i) => {
    const seeds = opts.seeds !== undefined ? seedList(opts.seeds) : seedList(c.seeds ?? 3);
    opts.events?.caseStart?.(c, i, seeds);
    const r = await regressCase(c, opts);
    done++;
    opts.events?.caseEnd?.(r, done, cases.length);
    return r;
  });
  return {
    results,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    errors: results.filter((r) => r.status === 'error').length,
    ms: performance.now() - t0,
  };
}
