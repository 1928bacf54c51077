// Cosimulation for block tests: seeded stimulus → golden model → Verilator harness (cached
// build) with random idle/stall patterns → transaction-by-transaction comparison. On a
// failure the first failing seed is rerun with the FST-trace build and the waveform path is
// part of the report; with `waveform: 'all'` every seed is, passing or not.
//
//   const report = await expectCosim({
//     dir: designDir,
//     stimulus: (seed) => ({ streams: { in: beats(seed) } }),
//     golden: (stim) => ({ streams: { out: stim.streams!.in!.map(sum) } }),
//     stalls: { inIdle: 0.3, outStall: 0.3 },
//     seeds: [1, 2, 3],
//   }); // throws CosimFailure (message: stream, index, cycle, expected/got, waveform)
//
// Idle/stall decisions are drawn in TS from `stalls` and the seed and written into the
// stimulus file, so a seed reproduces exactly, and the Icarus testbench (option `icarus`)
// sees the very same pattern.
//
// `simulator: 'icarus'` runs the Icarus testbench alone, instead of the Verilator harness:
// the same stimulus files, schedules, cycle limits and comparison (for machines without
// Verilator, or as a second opinion in a regression). Its failure waveform comes from a
// Verilator trace rerun of the same stimulus file when Verilator is installed.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runIcarus } from '../icarus/run.ts';
import { TB_TOP } from '../icarus/tb.ts';
import { ToolMissingError } from '../../eda/tools/errors.ts';
import { requireTool } from '../../eda/tools/which.ts';
import { type Response, type Sample, type Stimulus, type Transaction, writeStimulusFile } from '../stimulus/format.ts';
import type { Layout } from '../stimulus/layout.ts';
import { type StallProbabilities, DEFAULT_SCHEDULE_LENGTH, makeSchedules } from '../stimulus/schedule.ts';
import { type HarnessBuild, buildHarness } from '../verilator/build.ts';
import { RESET_CYCLES } from '../verilator/harness.ts';
import { type RunOptions, runHarness } from '../verilator/run.ts';
import { type Expected, type Mismatch, diffResponses, firstMismatch, formatMismatch } from './compare.ts';
import { type SimDesign, loadDesign } from './design.ts';

export type { Expected, Mismatch } from './compare.ts';
export { diffResponses, firstMismatch, formatMismatch } from './compare.ts';
export type { Beat, Stimulus, Value, Transaction, Sample, Response } from '../stimulus/format.ts';
export type { StallProbabilities } from '../stimulus/schedule.ts';
export { Rng, valueRange } from '../stimulus/rng.ts';
export { loadDesign } from './design.ts';

export interface CosimSpec {
  /** Generated design folder (with manifest.json). */
  dir: string;
  /** Seeded stimulus: beats per input stream, optional per-cycle rows of the non-stream inputs. */
  stimulus: (seed: number) => Stimulus;
  /** The golden model: stimulus → expected transactions per output stream (and/or per-cycle samples). */
  golden: (stimulus: Stimulus) => Expected;
  /** Idle probability of input streams and not-ready probability of output streams (0..1). Default none. */
  stalls?: StallProbabilities;
  seeds: number[];
  /** Cycle limit per seed (after reset). Default: generous, from the amount of work and the stall rates. */
  maxCycles?: number;
  /** Cycles to keep running after the expected outputs arrived, to catch extra outputs. Default 16 (0 without output streams). */
  drain?: number;
  /** Folder for stimulus/response files and waveforms. Default: a fresh temp folder, removed when every seed passes (kept with `waveform: 'all'`). */
  workDir?: string;
  /**
   * Rerun the first failing seed with tracing and report the FST path (true, the default); no
   * waveform (false); or 'all': rerun every seed, passing or failing, with tracing (`seed-<n>.fst`
   * in the work folder, each SeedResult's `waveform`), as `dcgen regress --waves` does.
   */
  waveform?: boolean | 'all';
  /** Also run the Icarus testbench on every seed and fail on any difference from Verilator. Default false. */
  icarus?: boolean;
  /**
   * The simulator that runs the seeds: the Verilator harness (default), or the Icarus
   * testbench alone (`icarus` is then ignored).
   */
  simulator?: Simulator;
  /** Period of the idle/stall patterns in cycles. Default 65536. */
  scheduleLength?: number;
  /** Verilator build cache folder (default $DCGEN_CACHE_DIR or <repo>/.cache/verilator). */
  cacheDir?: string;
}

export type Simulator = 'verilator' | 'icarus';
export const SIMULATORS: readonly Simulator[] = ['verilator', 'icarus'];

export interface StallInfo {
  /** The harness's report (names the stalled interfaces). */
  report: string;
  /** Streams that did not finish: input streams with beats pending, output streams short of the expected count. */
  pending: { stream: string; direction: 'in' | 'out'; done: number; total: number }[];
}

export interface SeedResult {
  seed: number;
  ok: boolean;
  /** Cycle (after reset) in which the run completed, or the cycle limit. */
  cycles: number;
  /** Received transactions per output stream. */
  transactions: Record<string, Transaction[]>;
  /** Per input stream: the cycle in which each beat was accepted. */
  accepted: Record<string, number[]>;
  samples: Sample[];
  mismatch?: Mismatch;
  /** Set when the run hit the cycle limit (deadlock, or a limit too low). */
  stall?: StallInfo;
  /** First difference between Verilator and Icarus (option `icarus`). */
  icarusDiff?: string;
  /** FST waveform of this seed (the first failing seed only; every seed with `waveform: 'all'`). */
  waveform?: string;
  /** Why the first failing seed has no waveform although one was asked for (e.g. Icarus mode without Verilator). */
  waveformNote?: string;
  stimPath: string;
  /** The harness (or vvp) command line that reproduces this seed. */
  command: string;
  /** Failure description (empty when ok). */
  message: string;
  simMs: number;
}

export interface CosimReport {
  ok: boolean;
  top: string;
  dir: string;
  workDir: string;
  /** The simulator that ran the seeds. */
  simulator: Simulator;
  /** The Verilator harness build (with simulator 'icarus': exe is vvp, cached false, ms 0). */
  build: { exe: string; cached: boolean; ms: number };
  seeds: SeedResult[];
  /** Summary; on failure the full description of the first failing seed. */
  message: string;
}

export class CosimFailure extends Error {
  override readonly name = 'CosimFailure';
  constructor(readonly report: CosimReport) {
    super(report.message);
  }
}

function countWork(stim: Stimulus, expected: Expected): number {
  let n = stim.rows?.length ?? 0;
  for (const b of Object.values(stim.streams ?? {})) n += b.length;
  for (const b of Object.values(expected.streams ?? {})) n += b.length;
  return n + (expected.samples?.length ?? 0);
}

/** The default cycle limit: room for every beat at the stall rates, plus pipeline latency. */
export function defaultMaxCycles(work: number, stalls?: StallProbabilities): number {
  const p = Math.max(stalls?.inIdle ?? 0, stalls?.outStall ?? 0, ...Object.values(stalls?.perStream ?? {}));
  return Math.ceil((2000 + 20 * work) / (1 - Math.min(p, 0.95)));
}

function stallInfo(layout: Layout, r: Response, stim: Stimulus, expect: Record<string, number>, report: string): StallInfo {
  const pending: StallInfo['pending'] = [];
  for (const s of layout.inStreams) {
    const total = stim.streams?.[s.name]?.length ?? 0;
    const done = r.accepted[s.name]?.length ?? 0;
    if (done < total) pending.push({ stream: s.name, direction: 'in', done, total });
  }
  for (const s of layout.outStreams) {
    const total = expect[s.name] ?? 0;
    const done = r.out[s.name]?.length ?? 0;
    if (done < total) pending.push({ stream: s.name, direction: 'out', done, total });
  }
  return { report, pending };
}

function quote(a: string): string {
  return /^[A-Za-z0-9_+=.,/:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

interface SeedRun {
  result: SeedResult;
  runOpts: RunOptions;
}

/** The vvp command line runIcarus runs for these options (it compiles into `workDir`). */
function icarusCommand(vvp: string, layout: Layout, workDir: string, o: RunOptions): string[] {
  const args = [vvp, '-n', path.join(workDir, `${TB_TOP}.vvp`), `+stim=${o.stimPath}`, `+resp=${o.respPath}`, `+max_cycles=${o.maxCycles ?? 100_000}`, `+min_cycles=${o.minCycles ?? 0}`, `+drain=${o.drain ?? 0}`];
  for (const s of layout.outStreams) args.push(`+expect_${s.name}=${o.expect?.[s.name] ?? 0}`);
  if (o.sample) args.push('+sample');
  return args;
}

/** `build` undefined: simulator 'icarus'. */
async function runSeed(spec: CosimSpec, design: SimDesign, build: HarnessBuild | undefined, seed: number, work: string): Promise<SeedRun> {
  const layout = design.layout;
  const stim = spec.stimulus(seed);
  const expected = spec.golden(stim);
  for (const k of Object.keys(expected.streams ?? {})) {
    if (!layout.outStreams.some((s) => s.name === k)) throw new Error(`golden: '${k}' is not an output stream of ${layout.top} (${layout.outStreams.map((s) => s.name).join(', ') || 'none'})`);
  }
  if (expected.samples && layout.samplePorts.length === 0) throw new Error(`golden: samples given, but ${layout.top} has no non-stream outputs`);
  const sched = makeSchedules(layout, seed, spec.stalls ?? { inIdle: 0, outStall: 0 }, spec.scheduleLength ?? DEFAULT_SCHEDULE_LENGTH);
  const stimPath = path.join(work, `seed-${seed}.stim`);
  writeStimulusFile(stimPath, layout, stim, sched);
  const expect = Object.fromEntries(layout.outStreams.map((s) => [s.name, expected.streams?.[s.name]?.length ?? 0]));
  const runOpts: RunOptions = {
    stimPath,
    respPath: path.join(work, `seed-${seed}.resp`),
    expect,
    maxCycles: spec.maxCycles ?? defaultMaxCycles(countWork(stim, expected), spec.stalls),
    minCycles: expected.samples?.length ?? 0,
    drain: spec.drain ?? (layout.outStreams.length > 0 ? 16 : 0),
    sample: expected.samples !== undefined,
    seed,
  };
  let r: Response;
  let stallReport: string | undefined;
  let command: string;
  let simMs: number;
  let icarusDiff: string | undefined;
  if (build) {
    const run = await runHarness(build, runOpts);
    r = run.response;
    stallReport = run.stallReport;
    simMs = run.ms;
    command = [build.exe, ...run.args].map(quote).join(' ');
    if (spec.icarus) {
      const ic = await runIcarus(design, { ...runOpts, respPath: path.join(work, `seed-${seed}.icarus.txt`), workDir: path.join(work, 'icarus') });
      icarusDiff = diffResponses(layout, r, ic.response, ['verilator', 'icarus']);
    }
  } else {
    // Icarus alone: one compile folder per seed, so the printed command reproduces this seed.
    const icWork = path.join(work, `icarus-seed-${seed}`);
    const icOpts = { ...runOpts, respPath: path.join(work, `seed-${seed}.icarus.txt`), workDir: icWork };
    const ic = await runIcarus(design, icOpts);
    r = ic.response;
    stallReport = ic.stallReport;
    simMs = ic.ms;
    command = icarusCommand(await requireTool('vvp'), layout, icWork, icOpts).map(quote).join(' ');
  }
  const mismatch = firstMismatch(layout, expected, r);
  const stall = r.status === 'cycle-limit' ? stallInfo(layout, r, stim, expect, stallReport ?? '') : undefined;
  const result: SeedResult = {
    seed,
    ok: !mismatch && !stall && !icarusDiff,
    cycles: r.doneCycle,
    transactions: r.out,
    accepted: r.accepted,
    samples: r.samples,
    ...(mismatch ? { mismatch } : {}),
    ...(stall ? { stall } : {}),
    ...(icarusDiff ? { icarusDiff } : {}),
    stimPath,
    command,
    message: '',
    simMs,
  };
  return { result, runOpts };
}

function describeFailure(spec: CosimSpec, layout: Layout, r: SeedResult): string {
  const lines: string[] = [];
  if (r.mismatch) lines.push(...formatMismatch(r.mismatch));
  if (r.stall) {
    lines.push(`stalled: cycle limit reached at cycle ${r.cycles}; pending: ${r.stall.pending.map((p) => `${p.direction === 'in' ? 'input' : 'output'} stream '${p.stream}' ${p.done}/${p.total}`).join(', ') || '(nothing)'}`);
    if (r.stall.report) lines.push(...r.stall.report.split('\n').map((l) => `  | ${l}`));
  }
  if (r.icarusDiff) lines.push(`verilator and icarus differ: ${r.icarusDiff}`);
  const s = spec.stalls;
  lines.push(`stimulus: ${r.stimPath}${s ? ` (stalls: inIdle ${s.inIdle}, outStall ${s.outStall}${s.perStream ? `, ${Object.entries(s.perStream).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''})` : ''}`);
  if (r.waveform) {
    const c = r.mismatch?.cycle ?? r.cycles;
    const t = layout.hasClock ? ` (cycle ${c}: clk low at FST time ${2 * (RESET_CYCLES + c)}, rising edge at ${2 * (RESET_CYCLES + c) + 1})` : ` (cycle ${c} = FST time ${c})`;
    lines.push(`waveform: ${r.waveform}${t}`);
    if (r.waveformNote) lines.push(`  (${r.waveformNote})`);
  } else if (r.waveformNote) lines.push(`waveform: ${r.waveformNote}`);
  lines.push(`rerun: ${r.command}`);
  return lines.join('\n');
}

function shortReason(s: SeedResult): string {
  const m = s.mismatch;
  if (m && m.kind !== 'missing') return `${m.kind === 'value' ? 'mismatch' : m.kind} on ${m.stream} #${m.index} in cycle ${m.cycle}`;
  if (s.stall) return `stalled at cycle ${s.cycles}`;
  if (s.icarusDiff) return 'icarus differs';
  return 'failed';
}

/** Run every seed; never throws for a failing design (see `ok` / `message`), only for broken specs or tools. */
export async function runCosim(spec: CosimSpec): Promise<CosimReport> {
  if (spec.seeds.length === 0) throw new Error('runCosim: no seeds');
  const design = await loadDesign(spec.dir);
  const layout = design.layout;
  const simulator = spec.simulator ?? 'verilator';
  if (!SIMULATORS.includes(simulator)) throw new Error(`runCosim: unknown simulator '${String(simulator)}' (expected ${SIMULATORS.join(' or ')})`);
  const build = simulator === 'verilator' ? await buildHarness(design, { cacheDir: spec.cacheDir }) : undefined;
  const buildInfo = build ? { exe: build.exe, cached: build.cached, ms: build.ms } : { exe: await requireTool('vvp'), cached: false, ms: 0 };
  const work = spec.workDir ? path.resolve(spec.workDir) : await mkdtemp(path.join(os.tmpdir(), `dcgen-cosim-${layout.top}-`));
  await mkdir(work, { recursive: true });
  const runs: SeedRun[] = [];
  for (const seed of spec.seeds) runs.push(await runSeed(spec, design, build, seed, work));
  const first = runs.find((x) => !x.result.ok);
  const wave = spec.waveform ?? true;
  const traced = wave === 'all' ? runs : first && wave ? [first] : [];
  if (traced.length > 0) {
    // Icarus mode: the waveform comes from Verilator on the same stimulus file (the two agree
    // cycle for cycle); without Verilator there is none, and the vvp command stays the rerun.
    let tbuild: HarnessBuild | undefined;
    try {
      tbuild = await buildHarness(design, { cacheDir: spec.cacheDir, trace: true });
    } catch (e) {
      if (build || !(e instanceof ToolMissingError)) throw e;
      for (const x of traced) x.result.waveformNote = 'none (Icarus mode takes the waveform from a Verilator rerun, and Verilator is not installed)';
    }
    if (tbuild) {
      for (const x of traced) {
        const fst = path.join(work, `seed-${x.result.seed}.fst`);
        const rerun = await runHarness(tbuild, { ...x.runOpts, respPath: path.join(work, `seed-${x.result.seed}.trace.resp`), trace: fst });
        x.result.waveform = fst;
        const cmd = [tbuild.exe, ...rerun.args].map(quote).join(' ');
        if (build) x.result.command = cmd;
        else x.result.waveformNote = `recorded by a Verilator rerun of the same stimulus: ${cmd}`;
      }
    }
  }
  for (const x of runs) if (!x.result.ok) x.result.message = describeFailure(spec, layout, x.result);
  const seeds = runs.map((x) => x.result);
  const ok = seeds.every((s) => s.ok);
  const summary = `cosim ${layout.top}${build ? '' : ' [icarus]'} (${design.dir}): ${seeds.map((s) => `seed ${s.seed} ${s.ok ? `ok (${s.cycles} cycles)` : `FAILED (${shortReason(s)})`}`).join(', ')}`;
  const message = first ? `${summary}\nseed ${first.result.seed}: ${first.result.message}` : summary;
  if (ok && !spec.workDir && wave !== 'all') await rm(work, { recursive: true, force: true });
  return { ok, top: layout.top, dir: design.dir, workDir: work, simulator, build: buildInfo, seeds, message };
}

/** runCosim, throwing CosimFailure (message: stream, index, cycle, expected/got, waveform) unless every seed passes. */
export async function expectCosim(spec: CosimSpec): Promise<CosimReport> {
  const report = await runCosim(spec);
  if (!report.ok) throw new CosimFailure(report);
  return report;
}
