// `dcgen mutate <design|case-glob>`: mutation testing of the cosimulation cases — how many small
// edits of the generated Verilog do the cases notice?
import path from 'node:path';
import { findDesign } from '../generator/designs/index.ts';
import { allCases } from '../sim/cases/index.ts';
import type { CosimCase } from '../sim/cases/case.ts';
import { EQUIVALENTS_FILE, type MutantResult, type MutationReport, loadEquivalents, mutateDesign } from '../sim/mutate/run.ts';
import { cpuCount, formatTable, globToRegExp, seconds } from '../sim/regress/index.ts';
import { requireTool } from '../eda/tools/which.ts';
import { type CommandSpec, type ParsedArgs, intOption, optValue } from './args.ts';
import { type Io, displayPath } from './common.ts';
import { resolveWorkFolder } from '../generator/io/output.ts';
import { UsageError } from './errors.ts';
import { positiveInt } from './regress.ts';

export const mutateSpec: CommandSpec = {
  name: 'mutate',
  summary: "Mutation testing: run a design's cosim cases on mutants of its Verilog; score and survivors.",
  positionals: [{ name: 'design|case-glob', help: "a design name (its cases), or a glob on case names (* any characters, ? one), e.g. 'common.adder_tree.*'" }],
  options: [
    { name: 'max', value: 'n', help: 'run at most n mutants, sampled evenly over the design (default all); n from 1 to 1000000' },
    { name: 'seed', value: 's', help: 'seed of that sample (default 1; same seed, same mutants); s from 0 to 2147483647' },
    { name: 'jobs', short: 'j', value: 'n', help: 'mutants in flight at once (default 1; at most the CPU count); n from 1 to 10000' },
    { name: 'out', value: 'dir', help: 'mutant folders in <dir>/<design>/m<id>, report <dir>/<design>.json (default rtl-out/mutate)' },
    { name: 'equivalents', value: 'file', help: 'allowlist of equivalent mutants (default sim/mutate/equivalent.json)' },
    { name: 'full', help: 'also run the cases marked full' },
  ],
  notes: [
    "Mutations (one line each, module bodies only): operators + <-> -, & <-> |, ^ -> &, && <-> ||, < <-> <=,\n" +
      "> <-> >=, == <-> !=; sized constants by one (8'd5 -> 8'd6, 8'd4); if (c) -> if (!c); ?: arms swapped;\n" +
      "in clocked blocks if (enable) -> if (1'b1). Each mutant is linted with verilator --lint-only (no -Wall);\n" +
      'one that does not compile is invalid and not counted. The cases run on each mutant until one fails (killed).',
    'Score = killed / (killed + survived); mutants listed in the equivalents file count as neither.\n' +
      'Numbers are whole numbers in plain decimal (digits only: no +, spaces, leading zeros, 0x or exponent).\n' +
      'Exit status 0 when every valid mutant was killed, 1 when any survived, 2 for bad arguments or when the\n' +
      'cases fail on the unmutated design.',
  ],
};

export interface MutateDeps {
  cases?: () => Promise<CosimCase[]>;
}

function location(r: Pick<MutantResult, 'file' | 'line'>): string {
  return `${r.file}:${r.line}`;
}

function outcome(r: MutantResult): string {
  switch (r.status) {
    case 'killed':
      return `killed by ${r.killedBy!.case}${r.killedBy!.seed !== undefined ? ` seed ${r.killedBy!.seed}` : ''}`;
    case 'survived':
      return 'SURVIVED';
    case 'equivalent':
      return `equivalent: ${r.reason}`;
    case 'invalid':
      return `invalid: ${r.reason}`;
  }
}

function pct(x: number | null): string {
  return x === null ? '-' : `${(100 * x).toFixed(1)}%`;
}

function paramText(params: unknown): string {
  if (typeof params !== 'object' || params === null) return '';
  return Object.entries(params as Record<string, unknown>)
    .filter(([k]) => k !== 'top')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

export function formatMutationReport(rep: MutationReport): string[] {
  // Several configurations (cases with different parameters): number them, and say which is which.
  const multi = rep.configs.length > 1;
  const cfgIndex = (dir: string) => String(rep.configs.findIndex((c) => c.dir === dir) + 1);
  const lines: string[] = [];
  if (multi) {
    lines.push('', 'configurations:');
    rep.configs.forEach((c, i) => {
      const short = c.cases.map((n) => (n.startsWith(`${rep.design}.`) ? n.slice(rep.design.length + 1) : n));
      lines.push(`  ${i + 1}  ${paramText(c.params)}: ${c.mutants} mutants; case${short.length === 1 ? '' : 's'} ${short.join(', ')}`);
    });
  }
  const rows = [['id', ...(multi ? ['config'] : []), 'location', 'mutation', 'result', 'time']];
  for (const r of rep.mutants) rows.push([`m${String(r.id).padStart(4, '0')}`, ...(multi ? [cfgIndex(r.config)] : []), location(r), r.description, outcome(r), seconds(r.ms)]);
  lines.push('', ...formatTable(rows, [multi ? 5 : 4]));
  const survivors = rep.mutants.filter((r) => r.status === 'survived');
  if (survivors.length) {
    lines.push('', `Survivors (${survivors.length}): no case noticed these edits`);
    for (const r of survivors) lines.push(`  m${String(r.id).padStart(4, '0')} ${location(r)}: ${r.before.trim()}  ->  ${r.after.trim()}`, `        ${displayPath(path.join(r.dir, r.file))}`);
  }
  const equivalent = rep.mutants.filter((r) => r.status === 'equivalent');
  if (equivalent.length) {
    lines.push('', `Equivalent (${equivalent.length}, not counted):`);
    for (const r of equivalent) lines.push(`  m${String(r.id).padStart(4, '0')} ${location(r)}: ${r.before.trim()}  ->  ${r.after.trim()}  (equivalent: ${r.reason})`);
  }
  const c = rep.counts;
  lines.push(
    '',
    `${rep.design}: mutation score ${c.killed}/${c.valid} = ${pct(rep.score)} (${c.run} of ${rep.found} mutants run: ${c.killed} killed, ${c.survived} survived, ` +
      `${c.equivalent} equivalent, ${c.invalid} invalid) in ${seconds(rep.ms)}`,
    `report: ${displayPath(rep.reportPath ?? '')}`,
  );
  return lines;
}

export async function runMutateCommand(args: ParsedArgs, io: Io, deps: MutateDeps = {}): Promise<number> {
  const target = args.positionals[0]!;
  const max = positiveInt(args, 'max', 'mutate', 1_000_000);
  const seedText = optValue(args, 'seed');
  const seed = intOption(args, 'seed', { min: 0, max: 0x7fffffff }) ?? 1;
  const jobsAsked = positiveInt(args, 'jobs', 'mutate', 10_000);
  const jobs = Math.min(jobsAsked ?? 1, cpuCount());
  const outRoot = optValue(args, 'out') ?? 'rtl-out/mutate';
  resolveWorkFolder('--out', outRoot);
  const equivalents = loadEquivalents(optValue(args, 'equivalents') ?? EQUIVALENTS_FILE);
  const full = args.flags.has('full');

  const all = await (deps.cases ?? allCases)();
  let chosen: CosimCase[];
  if (findDesign(target)) {
    const mine = all.filter((c) => c.design === target);
    if (mine.length === 0) throw new UsageError(`design '${target}' has no cosim cases (sim/cases); dcgen regress --list shows the cases there are`);
    chosen = full ? mine : mine.filter((c) => !c.full);
    if (chosen.length === 0) throw new UsageError(`design '${target}' has only cases marked full: add --full`);
  } else {
    const re = globToRegExp(target);
    const matched = all.filter((c) => re.test(c.name));
    if (matched.length === 0) {
      throw new UsageError(`'${target}' is neither a design nor a glob that selects a cosim case${all.length ? ` (cases: ${all.slice(0, 8).map((c) => c.name).join(', ')}${all.length > 8 ? ', ...' : ''})` : ' (no cases are defined)'}`);
    }
    chosen = full ? matched : matched.filter((c) => !c.full);
    if (chosen.length === 0) throw new UsageError(`'${target}' selects only cases marked full: add --full`);
  }
  if (max === undefined && seedText !== undefined) io.out('(--seed only chooses the sample of --max; without --max every mutant runs)');
  await requireTool('verilator');
  const designs = [...new Set(chosen.map((c) => c.design))].sort();
  let survivors = 0;
  for (const design of designs) {
    const cases = chosen.filter((c) => c.design === design);
    const rep = await mutateDesign({
      design,
      cases,
      max,
      seed,
      jobs,
      outRoot,
      equivalents,
      events: {
        baseline: (n) => io.out(`dcgen mutate ${design}: ${n} case${n === 1 ? '' : 's'} (${cases.map((c) => c.name).sort().join(', ')}) on the unmutated design first`),
        found: (found, selected) => io.out(`${found} mutants found; running ${selected}${selected < found ? ` (--max ${max}, seed ${seed})` : ''}, ${jobs} at a time`),
        mutantEnd: (r, done, total) => io.out(`[${done}/${total}] m${String(r.id).padStart(4, '0')} ${location(r)} ${r.description}: ${r.status === 'killed' ? `killed (${r.killedBy!.case}${r.killedBy!.seed !== undefined ? ` seed ${r.killedBy!.seed}` : ''}: ${r.killedBy!.reason})` : outcome(r)}  ${seconds(r.ms)}`),
      },
    });
    io.out(formatMutationReport(rep).join('\n'));
    survivors += rep.counts.survived;
  }
  return survivors > 0 ? 1 : 0;
}
