// Mutation testing of a design's cosimulation cases: each mutant of the generated Verilog goes
// to its own folder (manifest and filelist beside it, so the Verilator cache keys it by
// content), is linted (`verilator --lint-only`, default warnings, no -Wall; one that does not
// compile is "invalid" and not counted), then the design's cases run on it until one fails
// ("killed"). A mutant every case passes "survived", unless sim/mutate/equivalent.json
// declares it equivalent. Score = killed / (killed + survived).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { DcgenError } from '../../generator/errors.ts';
import { freshWorkFolder, isWorkFolder, removeWorkFolder } from '../../generator/io/workdir.ts';
import { type CosimCase, generateCaseDesign, runCase, seedList } from '../cases/case.ts';
import { loadDesign } from '../cosim/design.ts';

import { runPool } from '../regress/pool.ts';
import { writeFileAtomic } from '../regress/junit.ts';
import { ToolFailedError } from '../../eda/tools/errors.ts';
import { requireTool } from '../../eda/tools/which.ts';
import { type Mutant, applyMutant, findMutants, sampleMutants } from './mutants.ts';

/** The allowlist of equivalent mutants shipped with dcgen. */
export const EQUIVALENTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'equivalent.json');

export interface EquivalentEntry {
  /** Source file name (`common_adder_tree.v`). */
  file: string;
  /** The line before and after the mutation (compared without leading/trailing blanks). */
  before: string;
  after: string;
  /** Why no test can tell the mutant from the original. */
  reason: string;
  /**
   * Only in this configuration: the generated folder's name, `<design>-<config hash>`, as the
   * mutant's `config` names it. For a line whose mutant is equivalent in one configuration and
   * not in another (a stall enable that only matters with more register levels).
   */
  config?: string;
}

export type Equivalents = Record<string, EquivalentEntry[]>;

export class EquivalentsFileError extends DcgenError {}

/** Nothing to mutate or run (no cases). */
export class MutateInputError extends DcgenError {}

/** The cases fail on the unmutated design: a mutation score would mean nothing. */
export class MutationBaselineError extends DcgenError {}

/** Read and check an equivalents file (design → entries); a missing file is an empty list. */
export function loadEquivalents(file = EQUIVALENTS_FILE): Equivalents {
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new EquivalentsFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const bad = (why: string): never => {
    throw new EquivalentsFileError(`${file}: ${why}; expected {"<design>": [{"file", "before", "after", "reason"}, ...]}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) bad('not a JSON object');
  const out: Equivalents = {};
  for (const [design, list] of Object.entries(data as Record<string, unknown>)) {
    if (design.startsWith('$') || design.startsWith('//')) continue; // comments
    if (!Array.isArray(list)) bad(`"${design}" is not a list`);
    out[design] = (list as unknown[]).map((e, i) => {
      const o = e as Record<string, unknown> | null;
      for (const k of ['file', 'before', 'after', 'reason']) if (!o || typeof o[k] !== 'string') bad(`"${design}"[${i}] has no string "${k}"`);
      if (o!.config !== undefined && typeof o!.config !== 'string') bad(`"${design}"[${i}] has a "config" that is not a string`);
      const entry: EquivalentEntry = { file: o!.file as string, before: o!.before as string, after: o!.after as string, reason: o!.reason as string };
      if (typeof o!.config === 'string') entry.config = o!.config;
      return entry;
    });
  }
  return out;
}

/** The entry for mutant `m` of the configuration in folder `config` (entries without a `config` hold in every one). */
export function findEquivalent(list: readonly EquivalentEntry[] | undefined, m: Pick<Mutant, 'file' | 'before' | 'after'>, config?: string): EquivalentEntry | undefined {
  const name = config === undefined ? undefined : path.basename(config);
  return list?.find((e) => e.file === m.file && e.before.trim() === m.before.trim() && e.after.trim() === m.after.trim() && (e.config === undefined || e.config === name));
}

export type MutantStatus = 'killed' | 'survived' | 'equivalent' | 'invalid';

export interface MutantResult extends Mutant {
  status: MutantStatus;
  /** Killed: the case that failed, and how. */
  killedBy?: { case: string; seed?: number; reason: string };
  /** Equivalent: the allowlist's reason; invalid: the first compiler message. */
  reason?: string;
  /** The mutant's folder. */
  dir: string;
  /** The configuration (generated design folder) it mutates. */
  config: string;
  ms: number;
}

export interface MutationReport {
  design: string;
  generated: string;
  seed: number;
  max: number | null;
  cases: string[];
  configs: { dir: string; top: string; params: unknown; cases: string[]; mutants: number }[];
  /** Mutants found in the Verilog (before sampling). */
  found: number;
  counts: { run: number; killed: number; survived: number; equivalent: number; invalid: number; valid: number };
  /** killed / valid (valid = killed + survived), or null when no mutant was valid. */
  score: number | null;
  mutants: MutantResult[];
  ms: number;
  /** The JSON report's path, once written. */
  reportPath?: string;
}

export interface MutateEvents {
  baseline?(cases: number): void;
  found?(found: number, selected: number): void;
  mutantEnd?(r: MutantResult, done: number, total: number): void;
}

export interface MutateOptions {
  design: string;
  /** The cases of that design to run on each mutant. */
  cases: CosimCase[];
  max?: number;
  /** Sampling seed (default 1). */
  seed?: number;
  /** Mutants in flight at once (default 1). */
  jobs?: number;
  /** Mutant folders go to <outRoot>/<design>/m<id>/, the report to <outRoot>/<design>.json. */
  outRoot: string;
  /** Default: sim/mutate/equivalent.json. */
  equivalents?: Equivalents;
  events?: MutateEvents;
  cacheDir?: string;
}

const LINT_TIMEOUT_MS = 5 * 60 * 1000;

/** `verilator --lint-only` with its default warnings (no -Wall); the first diagnostic line, or undefined when clean. */
export async function lintMutant(dir: string, top: string, files: string[]): Promise<string | undefined> {
  const exe = await requireTool('verilator');
  const r = await execa(exe, ['--lint-only', '--top-module', top, ...files], { cwd: dir, reject: false, all: true, stdin: 'ignore', timeout: LINT_TIMEOUT_MS, env: { LC_ALL: 'C' } });
  if (r.exitCode === 0) return undefined;
  const text = String(r.all ?? r.message);
  return (text.split('\n').find((l) => /^%(Error|Warning)/.test(l)) ?? text.split('\n')[0] ?? `verilator exited with ${r.exitCode}`).trim();
}

interface Config {
  dir: string;
  top: string;
  params: unknown;
  cases: CosimCase[];
  files: Map<string, string>;
  /** Verilog sources in filelist order. */
  sources: string[];
}

/** Remove the mutant folders a previous run left (only names this runner makes). */
async function clearOld(root: string): Promise<void> {
  if (!existsSync(root)) return;
  for (const n of readdirSync(root)) if ((/^m\d{4,}$/.test(n) || n === 'baseline') && isWorkFolder(path.join(root, n))) removeWorkFolder(path.join(root, n));
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').replace(/:$/, '');
}

export async function mutateDesign(o: MutateOptions): Promise<MutationReport> {
  const t0 = performance.now();
  const seed = o.seed ?? 1;
  if (o.cases.length === 0) throw new MutateInputError(`design ${o.design}: no cosim cases to run on the mutants`);
  const root = path.resolve(o.outRoot, o.design);
  await mkdir(root, { recursive: true });
  await clearOld(root);
  // One configuration per generated design folder (cases may use different parameters).
  const configs: Config[] = [];
  for (const c of [...o.cases].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const dir = generateCaseDesign(c);
    let cfg = configs.find((x) => x.dir === dir);
    if (!cfg) {
      const d = await loadDesign(dir);
      const files = new Map<string, string>();
      for (const n of readdirSync(dir)) if (statSync(path.join(dir, n)).isFile()) files.set(n, readFileSync(path.join(dir, n), 'utf8'));
      cfg = { dir, top: d.top.name, params: d.manifest.params, cases: [], files, sources: d.sources.map((s) => s.name) };
      configs.push(cfg);
    }
    cfg.cases.push(c);
  }
  // Baseline: every case must pass on the unmutated design.
  o.events?.baseline?.(o.cases.length);
  const baseline = freshWorkFolder(path.join(root, 'baseline'));
  for (const cfg of configs) {
    for (const c of cfg.cases) {
      const workDir = path.join(baseline, c.name);
      const rep = await runCase(c, { dir: cfg.dir, waveform: false, workDir, cacheDir: o.cacheDir });
      if (!rep.ok) throw new MutationBaselineError(`case ${c.name} fails on the unmutated design (fix it before measuring mutants; the work files are in ${workDir}):\n${rep.message}`);
    }
  }
  removeWorkFolder(baseline);
  // Every mutant of every configuration, then an even sample.
  const all: { m: Mutant; cfg: Config }[] = [];
  for (const cfg of configs) {
    for (const m of findMutants(cfg.sources.map((name) => ({ name, text: cfg.files.get(name)! })))) all.push({ m: { ...m, id: all.length + 1 }, cfg });
  }
  const chosen = sampleMutants(all, o.max, seed);
  o.events?.found?.(all.length, chosen.length);
  const eq = (o.equivalents ?? loadEquivalents())[o.design];
  let done = 0;
  const results = await runPool(chosen, o.jobs ?? 1, async ({ m, cfg }) => {
    const t = performance.now();
    const dir = path.join(root, `m${String(m.id).padStart(4, '0')}`);
    freshWorkFolder(dir);
    for (const [name, text] of cfg.files) await writeFile(path.join(dir, name), name === m.file ? applyMutant(text, m) : text);
    await writeFile(path.join(dir, 'mutant.json'), JSON.stringify({ ...m, config: cfg.dir }, null, 2) + '\n');
    const base = { ...m, dir, config: cfg.dir };
    const finish = (r: Omit<MutantResult, 'ms'>): MutantResult => {
      const res = { ...r, ms: Math.round(performance.now() - t) };
      done++;
      o.events?.mutantEnd?.(res, done, chosen.length);
      return res;
    };
    const lint = await lintMutant(dir, cfg.top, cfg.sources);
    if (lint !== undefined) return finish({ ...base, status: 'invalid', reason: lint });
    for (const c of cfg.cases) {
      const workDir = path.join(dir, 'sim', c.name);
      try {
        const rep = await runCase(c, { dir, waveform: false, workDir, cacheDir: o.cacheDir, seeds: seedList(c.seeds ?? 3) });
        if (!rep.ok) {
          const s = rep.seeds.find((x) => !x.ok)!;
          return finish({ ...base, status: 'killed', killedBy: { case: c.name, seed: s.seed, reason: firstLine(s.message) } });
        }
      } catch (e) {
        if (!(e instanceof ToolFailedError)) throw e;
        // Verilator refused to build what lint accepted: not a valid mutant. A crashing simulation is a detection.
        if (e.tool === 'verilator') return finish({ ...base, status: 'invalid', reason: `harness build failed: ${firstLine(e.message)}` });
        return finish({ ...base, status: 'killed', killedBy: { case: c.name, reason: `simulation error: ${firstLine(e.message)}` } });
      } finally {
        await rm(path.join(dir, 'sim'), { recursive: true, force: true });
      }
    }
    const e = findEquivalent(eq, m, cfg.dir);
    return finish(e ? { ...base, status: 'equivalent', reason: e.reason } : { ...base, status: 'survived' });
  });
  const count = (s: MutantStatus) => results.filter((r) => r.status === s).length;
  const killed = count('killed');
  const survived = count('survived');
  const valid = killed + survived;
  const report: MutationReport = {
    design: o.design,
    generated: new Date().toISOString(),
    seed,
    max: o.max ?? null,
    cases: o.cases.map((c) => c.name).sort(),
    configs: configs.map((c) => ({ dir: c.dir, top: c.top, params: c.params, cases: c.cases.map((x) => x.name), mutants: all.filter((a) => a.cfg === c).length })),
    found: all.length,
    counts: { run: results.length, killed, survived, equivalent: count('equivalent'), invalid: count('invalid'), valid },
    score: valid === 0 ? null : killed / valid,
    mutants: results,
    ms: Math.round(performance.now() - t0),
  };
  const reportPath = path.resolve(o.outRoot, `${o.design}.json`);
  writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
  report.reportPath = reportPath;
  return report;
}
