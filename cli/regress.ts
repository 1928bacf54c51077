// `dcgen regress`: run the cosimulation cases (sim/cases) — selected by glob, sharded, in
// parallel — with progress lines, a summary table and optional JUnit XML.
import path from 'node:path';
import { allCases } from '../sim/cases/index.ts';
import type { CosimCase } from '../sim/cases/case.ts';
import { SIMULATORS, type Simulator } from '../sim/cosim/index.ts';
import { type CaseResult, type RegressEvents, type Shard, checkCaseWorkFolders, cosimCaseKey, cpuCount, junitXml, mergeShardFiles, readShardFile, regressProperties, regressTable, resultWord, runRegress, seconds, seedRange, selectCases, writeFileAtomic } from '../sim/regress/index.ts';
import { requireTool } from '../eda/tools/which.ts';
import { PLAIN_DECIMAL, decimalIntOf, quoteValue } from '../generator/params/decimal.ts';
import { type CommandSpec, type ParsedArgs, intOption, optValue, optValues } from './args.ts';
import { type Io, displayPath, processIo } from './common.ts';
import { resolveOutputFile, resolveWorkFolder } from '../generator/io/output.ts';
import { UsageError } from './errors.ts';

export const regressSpec: CommandSpec = {
  name: 'regress',
  summary: 'Run the cosimulation cases (Verilator or Icarus against the golden models); table and JUnit XML.',
  positionals: [],
  options: [
    { name: 'filter', value: 'glob', repeat: true, help: "run the cases whose name matches (* any characters, ? one), e.g. 'common*' or 'ditto.pe.*'" },
    { name: 'seeds', value: 'n', help: "seeds 1..n for every case (default: each case's own count, usually 3); n from 1 to 100000" },
    { name: 'jobs', short: 'j', value: 'n', help: 'cases run in parallel (default 1; at most the CPU count); n from 1 to 10000' },
    { name: 'shard', value: 'k/n', help: 'run every n-th case starting at the k-th (cases ordered by name), for n CI machines; 1 <= k <= n' },
    { name: 'junit', value: 'file', help: 'write JUnit XML results to this file' },
    { name: 'sim', value: 'verilator|icarus', help: 'simulator (default verilator); icarus runs the Icarus testbench on the same stimulus' },
    { name: 'full', help: 'include the cases marked full (long runs, large configurations)' },
    { name: 'out', value: 'dir', help: "folder for each case's stimulus, responses and failure waveform (default rtl-out/regress); a passing case leaves nothing (unless --waves). With --merge-junit: the merged JUnit file" },
    { name: 'waves', help: "record an FST waveform of every seed, passing or failing, and keep each case's folder under --out (open one with gtkwave file.fst or surfer file.fst)" },
    { name: 'list', help: 'print the selected cases and their seeds; run nothing' },
    { name: 'merge-junit', value: 'file', variadic: true, help: 'merge the JUnit files of the shards 1..n of one regression into --out <file>; runs nothing' },
  ],
  notes: [
    'A failing case is reported with its first failing seed, the output stream, transaction and cycle,\n' +
      'the expected and received values, the FST waveform path and the command that reruns the seed.',
    'Numbers are whole numbers in plain decimal (digits only: no +, spaces, leading zeros, 0x or exponent).',
    'Exit status 0 when every case passed, 1 when any failed, 2 for a bad option, an unknown simulator,\n' +
      'or a filter that selects no case.',
    'dcgen regress --merge-junit a.xml b.xml ... --out all.xml checks that the files are the shards 1..n of one\n' +
      'regression (same selection, simulator, seeds), each case in exactly one of them, none missing, and writes\n' +
      'one file with recomputed totals. Exit 1 (nothing written) when shards or cases are missing or given twice,\n' +
      'or when a merged case failed (the file is written); 2 for an unreadable file or files of different runs.',
  ],
};

export interface RegressDeps {
  /** The case list (default allCases() of sim/cases). */
  cases?: () => Promise<CosimCase[]>;
  /** Live status line on a terminal; default: stdout when it is a TTY and CI is unset. */
  tty?: { write(text: string): void; columns?: number } | null;
}

/** A positive integer option (plain decimal, 1 to `max`), or undefined when absent. */
export function positiveInt(args: ParsedArgs, name: string, _cmd: string, max = 1_000_000): number | undefined {
  return intOption(args, name, { min: 1, max });
}

/** `--shard k/n`: k and n in plain decimal, 1 <= k <= n (`unit`: what is split, for the message). */
export function parseShardOption(text: string, unit = 'case'): Shard {
  const m = /^([^/]*)\/([^/]*)$/.exec(text);
  const k = m ? decimalIntOf(m[1]) : undefined;
  const n = m ? decimalIntOf(m[2]) : undefined;
  if (k === undefined || n === undefined || n < 1 || k < 1 || k > n || n > 1_000_000) {
    throw new UsageError(
      `--shard ${quoteValue(text)}: expected k/n with 1 <= k <= n <= 1000000, both in ${PLAIN_DECIMAL}; e.g. --shard 2/4 runs every 4th ${unit} starting at the 2nd`,
    );
  }
  return { k, n };
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function defaultTty(io: Io): RegressDeps['tty'] {
  if (io !== processIo || !process.stdout.isTTY || isCi()) return null;
  return { write: (t) => void process.stdout.write(t), columns: process.stdout.columns };
}

/** Progress lines; on a terminal also a status line, redrawn in place, of the cases in flight. */
class Progress implements RegressEvents {
  private running = new Map<string, number>();
  private done = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = Date.now();
  constructor(
    private readonly io: Io,
    private readonly total: number,
    private readonly tty: RegressDeps['tty'],
  ) {
    if (tty) {
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }
  private clear() {
    this.tty?.write('\r\x1b[K');
  }
  private draw() {
    if (!this.tty) return;
    const now = Date.now();
    const names = [...this.running].map(([n, t]) => `${n} ${Math.round((now - t) / 1000)}s`).join(', ');
    let line = `[${this.done}/${this.total}] ${names ? `running: ${names}` : 'finishing'} (${Math.round((now - this.t0) / 1000)} s)`;
    const cols = this.tty.columns || 100;
    if (line.length > cols - 1) line = `${line.slice(0, Math.max(10, cols - 4))}...`;
    this.tty.write(`\r\x1b[K${line}`);
  }
  private line(text: string) {
    this.clear();
    this.io.out(text);
    this.draw();
  }
  caseStart(c: CosimCase, _i: number, seeds: number[]) {
    this.running.set(c.name, Date.now());
    this.line(`start  ${c.name} (seed${seeds.length === 1 ? '' : 's'} ${seedRange(seeds)})`);
  }
  caseEnd(r: CaseResult, done: number, total: number) {
    this.running.delete(r.name);
    this.done = done;
    const why = r.status === 'passed' ? `${r.transactions} transactions, ${r.cycles} cycles` : (r.summary ?? '');
    this.line(`[${done}/${total}] ${resultWord(r).padEnd(5)} ${r.name}  ${seconds(r.ms)}  ${why}`);
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }
}

/** `--waves`: where each case's FST files are, and how to open them. */
function wavesLines(results: readonly CaseResult[]): string[] {
  const lines = ['Waveforms (FST, one per seed; open one with gtkwave <file> or surfer <file>):'];
  const w = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const files = r.waveforms ?? [];
    const dir = files[0] ? path.dirname(files[0]) : undefined;
    const shown = dir && files.every((f) => path.dirname(f) === dir) ? `${displayPath(dir)}/{${files.map((f) => path.basename(f)).join(',')}}` : files.map(displayPath).join(' ');
    lines.push(`  ${r.name.padEnd(w)}  ${files.length === 1 ? displayPath(files[0]!) : shown || `none${r.status === 'error' ? ' (the case did not run)' : ''}`}`);
  }
  return lines;
}

export async function runRegressCommand(args: ParsedArgs, io: Io, deps: RegressDeps = {}): Promise<number> {
  if (args.values.has('merge-junit')) return runMergeJunit(args, io, deps);
  // Every option is checked before anything runs.
  const seeds = positiveInt(args, 'seeds', 'regress', 100_000);
  const jobsAsked = positiveInt(args, 'jobs', 'regress', 10_000);
  const shardText = optValue(args, 'shard');
  const shard = shardText === undefined ? undefined : parseShardOption(shardText);
  const simText = optValue(args, 'sim') ?? 'verilator';
  if (!SIMULATORS.includes(simText as Simulator)) throw new UsageError(`--sim '${simText}': expected ${SIMULATORS.join(' or ')} (dcgen regress --help shows the usage)`);
  const simulator = simText as Simulator;
  const junit = optValue(args, 'junit');
  const outDir = optValue(args, 'out') ?? 'rtl-out/regress';
  const filters = optValues(args, 'filter');
  const full = args.flags.has('full');
  const waves = args.flags.has('waves');
  if (junit !== undefined) resolveOutputFile('--junit', junit);
  resolveWorkFolder('--out', outDir);

  const all = await (deps.cases ?? allCases)();
  const sel = selectCases(all, { filters, full, shard });
  const cases = sel.cases;
  const notes: string[] = [];
  if (sel.fullSkipped.length) notes.push(`${sel.fullSkipped.length} case${sel.fullSkipped.length === 1 ? '' : 's'} marked full left out (--full runs them)`);
  if (shard) notes.push(`shard ${shard.k}/${shard.n}: ${cases.length} of ${sel.beforeShard} selected cases`);

  if (args.flags.has('list')) {
    const rows = cases.map((c) => `${c.name}  seeds ${seedRange(Array.from({ length: seeds ?? c.seeds ?? 3 }, (_, i) => i + 1))}${c.full ? '  (full)' : ''}`);
    io.out([...rows, ...notes.map((n) => `(${n})`)].join('\n') || '(no cases in this shard)');
    return 0;
  }

  if (simulator === 'verilator') await requireTool('verilator');
  else {
    await requireTool('iverilog');
    await requireTool('vvp');
  }
  checkCaseWorkFolders(cases, outDir);
  const cpus = cpuCount();
  const jobs = Math.min(jobsAsked ?? 1, cpus);
  io.out(
    `dcgen regress: ${cases.length} case${cases.length === 1 ? '' : 's'}, ${simulator}, ${jobs} job${jobs === 1 ? '' : 's'}` +
      `${jobsAsked !== undefined && jobsAsked > cpus ? ` (--jobs ${jobsAsked} capped at the CPU count)` : ''}${notes.length ? `; ${notes.join('; ')}` : ''}`,
  );
  const progress = new Progress(io, cases.length, deps.tty === undefined ? defaultTty(io) : deps.tty);
  let result;
  try {
    result = await runRegress(cases, { seeds, jobs, simulator, outDir, events: progress, waves });
  } finally {
    progress.stop();
  }
  const bad = result.results.filter((r) => r.status !== 'passed');
  const out: string[] = [];
  for (const r of bad) {
    out.push('', `${resultWord(r)} ${r.name}:`, ...(r.details ?? r.summary ?? '').split('\n').map((l) => `  ${l}`));
  }
  if (result.results.length) out.push('', ...regressTable(result.results), '');
  if (waves && result.results.length) out.push(...wavesLines(result.results), '');
  const n = result.results.length;
  out.push(
    n === 0
      ? 'no cases to run in this shard'
      : bad.length === 0
        ? `all ${n} case${n === 1 ? '' : 's'} passed in ${seconds(result.ms)}`
        : `${result.passed} of ${n} cases passed, ${result.failed} failed${result.errors ? `, ${result.errors} could not run` : ''} in ${seconds(result.ms)}`,
  );
  if (junit) {
    writeFileAtomic(junit, junitXml(result.results, { ms: result.ms, properties: regressProperties({ simulator, jobs, seeds, shard, filters, full, selected: sel.selected }) }));
    out.push(`JUnit XML: ${displayPath(junit)}`);
  }
  io.out(out.join('\n'));
  return bad.length ? 1 : 0;
}

/**
 * `dcgen regress --merge-junit a.xml b.xml ... --out all.xml`: check that the files are the shards
 * 1..n of one regression, each case once and none missing (sim/regress/merge.ts has the rules), and
 * write the merged file. Exit 0 when every case passed, 1 when the shards do not cover the selection
 * exactly once (nothing written) or a case failed (written), 2 for unusable files.
 */
async function runMergeJunit(args: ParsedArgs, io: Io, deps: RegressDeps): Promise<number> {
  const files = optValues(args, 'merge-junit');
  const other = regressSpec.options.find((o) => o.name !== 'merge-junit' && o.name !== 'out' && (args.values.has(o.name) || args.flags.has(o.name)));
  if (other) throw new UsageError(`--${other.name} cannot be combined with --merge-junit, which takes the shard files and --out <file> only (dcgen regress --help shows the usage)`);
  const out = optValue(args, 'out');
  if (out === undefined) throw new UsageError('--merge-junit needs --out <file>: where the merged JUnit file goes');
  const outAbs = resolveOutputFile('--out', out);
  const shards = files.map(readShardFile);
  const merged = await mergeShardFiles(shards, {
    currentSelection: async (filters, full) => {
      try {
        return selectCases(await (deps.cases ?? allCases)(), { filters, full }).selected.map(cosimCaseKey);
      } catch {
        return undefined; // the current case list cannot reproduce the selection: missing cases go unnamed
      }
    },
  });
  const lines = shards.map((f) => {
    const bad = f.cases.filter((c) => c.status !== 'passed').length;
    return `  shard ${f.shard.k}/${f.shard.n}  ${displayPath(f.file)}  ${f.cases.length} case${f.cases.length === 1 ? '' : 's'}${bad ? `, ${bad} not passed` : ''}`;
  });
  const head = `dcgen regress --merge-junit: ${shards.length} file${shards.length === 1 ? '' : 's'}, shards of ${merged.shards}, ${merged.selected} selected case${merged.selected === 1 ? '' : 's'}`;
  if (merged.problems.length) {
    io.out([head, ...lines, '', `cannot merge: the files do not hold every selected case exactly once:`, ...merged.problems.map((p) => `  - ${p}`), `nothing written to ${displayPath(outAbs)}`].join('\n'));
    return 1;
  }
  writeFileAtomic(outAbs, merged.xml!);
  const failed = merged.cases.filter((c) => c.status === 'failed');
  const errors = merged.cases.filter((c) => c.status === 'error');
  const report = [...failed, ...errors].map((c) => `  ${c.status === 'failed' ? 'FAIL ' : 'ERROR'} ${c.classname}.${c.name}: ${c.message ?? ''}`);
  const n = merged.cases.length;
  io.out(
    [
      head,
      ...lines,
      ...(report.length ? ['', ...report] : []),
      '',
      failed.length + errors.length === 0
        ? `all ${n} case${n === 1 ? '' : 's'} passed`
        : `${n - failed.length - errors.length} of ${n} cases passed, ${failed.length} failed${errors.length ? `, ${errors.length} could not run` : ''}`,
      `JUnit XML: ${displayPath(outAbs)}`,
    ].join('\n'),
  );
  return failed.length + errors.length ? 1 : 0;
}
