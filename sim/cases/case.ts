// A cosimulation test case: a design at a parameter point, a seeded stimulus generator, the
// golden model and stall settings. One definition serves the vitest block tests and
// `dcgen regress`; cases are named `<design>.<case>` (`common.fifo.depth1`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findDesign } from '../../generator/designs/index.ts';
import { type ParamValue, configHash, emitDesign } from '../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { DcgenError } from '../../generator/errors.ts';
import { type CosimReport, type CosimSpec, type Expected, type Stimulus, loadDesign, runCosim } from '../cosim/index.ts';
import { scheduleAt } from '../stimulus/format.ts';
import { type StallProbabilities, makeSchedules } from '../stimulus/schedule.ts';
import { cacheDir, ensureRootMarker } from '../verilator/cache.ts';

/** What a cycle model predicts for one seed's stimulus and idle/stall pattern. */
export interface CycleExpectation {
  /** Per input stream: the cycle each beat is accepted. */
  accepted: Record<string, number[]>;
  /** Per output stream: the cycle each transaction leaves. */
  emitted: Record<string, number[]>;
  /** The cycle in which everything was complete (the harness's `cycles`). */
  cycles: number;
}

export type StreamSchedule = (stream: string, cycle: number) => boolean;

export interface CosimCase {
  /** `<design>.<case>`, e.g. `common.fifo.depth1`. */
  name: string;
  /** A design of the registry (generator/designs/index.ts). */
  design: string;
  /** Parameter overrides (the rest keep their defaults). */
  params?: Record<string, ParamValue>;
  stimulus(seed: number): Stimulus;
  golden(stimulus: Stimulus): Expected;
  stalls?: StallProbabilities;
  /** Seeds run by default (regress --seeds overrides). Default 3. */
  seeds?: number;
  maxCycles?: number;
  /** Only under `dcgen regress --full` (long or large configurations). */
  full?: boolean;
  /**
   * The design's smoke case: `dcgen start` cosimulates this one case, seed 1, per design (at
   * most one per design, not `full`; unmarked designs get their case with the fewest beats).
   */
  smoke?: boolean;
  /**
   * The block's cycle model: when given, every seed's accept and output cycles must equal it
   * exactly (a design that computes right but too slowly, or drops throughput, fails).
   */
  cycles?(stimulus: Stimulus, idle: StreamSchedule, stall: StreamSchedule): CycleExpectation;
}

export class UnknownCaseDesignError extends DcgenError {}

export function defineCase(c: CosimCase): CosimCase {
  return c;
}

/** Resolved and checked parameters of a case's design (defaults + the case's overrides). */
export function caseParams(c: Pick<CosimCase, 'design' | 'params'>): Record<string, ParamValue> {
  const def = findDesign(c.design);
  if (!def) throw new UnknownCaseDesignError(`case design '${c.design}' is not registered`);
  return def.resolve(c.params ?? {}) as Record<string, ParamValue>;
}

/**
 * Folder where generated designs for cases are kept (beside the Verilator build cache). It
 * carries its own `.dcgen-cache` marker (kind "designs"), written when it is first used, so
 * `dcgen cache clean` empties only a folder dcgen owns (sim/verilator/cache.ts).
 */
export function caseDesignRoot(): string {
  return path.join(path.dirname(cacheDir()), 'designs');
}

/** Generate the case's design once per configuration; returns its folder. */
export function generateCaseDesign(c: Pick<CosimCase, 'design' | 'params'>, root = caseDesignRoot()): string {
  const def = findDesign(c.design);
  if (!def) throw new UnknownCaseDesignError(`case design '${c.design}' is not registered`);
  const params = def.resolve(c.params ?? {});
  const values = params as Record<string, ParamValue>;
  ensureRootMarker(root, 'designs');
  const dir = path.join(root, `${def.name}-${configHash(def.name, values)}`);
  const manifest = path.join(dir, 'manifest.json');
  const emitted = emitDesign(def.build(params), { design: def.name, params: values });
  // Reuse only a byte-identical earlier generation (the generator may have changed since).
  if (existsSync(manifest) && [...emitted.files].every(([name, text]) => existsSync(path.join(dir, name)) && readFileSync(path.join(dir, name), 'utf8') === text)) {
    return dir;
  }
  writeFilesAtomically(dir, emitted.files);
  return dir;
}

export interface RunCaseOptions {
  seeds?: number[];
  /** A design folder to run instead of the case's generated one (a mutant, say). */
  dir?: string;
  /** Which simulator runs the case (default Verilator). */
  simulator?: CosimSpec['simulator'];
  /** Also run Icarus on every seed and fail on any difference from Verilator. */
  icarus?: boolean;
  workDir?: string;
  /** As CosimSpec.waveform: the first failing seed's FST (default), none (false) or every seed's ('all'). */
  waveform?: CosimSpec['waveform'];
  cacheDir?: string;
  /** Override the case's stall probabilities. */
  stalls?: StallProbabilities;
}

/** Seeds 1..n, the default seed list of a case. */
export function seedList(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/**
 * Every difference between a report's seeds and the case's cycle model (acceptance cycles per
 * input stream, transaction cycles per output stream, completion cycle), one line each.
 */
export async function cycleModelDiffs(c: CosimCase, report: CosimReport, stalls = c.stalls): Promise<string[]> {
  if (!c.cycles) return [];
  const layout = (await loadDesign(report.dir)).layout;
  const diffs: string[] = [];
  for (const sr of report.seeds) {
    const sched = makeSchedules(layout, sr.seed, stalls ?? { inIdle: 0, outStall: 0 });
    const model = c.cycles(
      c.stimulus(sr.seed),
      (s, cy) => scheduleAt(sched.idle![s]!, cy),
      (s, cy) => scheduleAt(sched.stall![s]!, cy),
    );
    const first = (a: number[], b: number[]) => {
      const k = a.findIndex((v, i) => v !== b[i]);
      return k < 0 && a.length === b.length ? undefined : k < 0 ? Math.min(a.length, b.length) : k;
    };
    for (const [s, cyc] of Object.entries(model.accepted)) {
      const k = first(cyc, sr.accepted[s] ?? []);
      if (k !== undefined) diffs.push(`seed ${sr.seed}: input '${s}' beat ${k}: model cycle ${cyc[k]}, RTL ${sr.accepted[s]?.[k]}`);
    }
    for (const [s, cyc] of Object.entries(model.emitted)) {
      const got = (sr.transactions[s] ?? []).map((t) => t.cycle);
      const k = first(cyc, got);
      if (k !== undefined) diffs.push(`seed ${sr.seed}: output '${s}' transaction ${k}: model cycle ${cyc[k]}, RTL ${got[k]}`);
    }
    if (model.cycles !== sr.cycles) diffs.push(`seed ${sr.seed}: completion: model cycle ${model.cycles}, RTL ${sr.cycles}`);
  }
  return diffs;
}

export async function runCase(c: CosimCase, opts: RunCaseOptions = {}): Promise<CosimReport> {
  const spec: CosimSpec = {
    dir: opts.dir ?? generateCaseDesign(c),
    stimulus: (seed) => c.stimulus(seed),
    golden: (s) => c.golden(s),
    stalls: opts.stalls ?? c.stalls,
    seeds: opts.seeds ?? seedList(c.seeds ?? 3),
    maxCycles: c.maxCycles,
    simulator: opts.simulator,
    icarus: opts.icarus,
    workDir: opts.workDir,
    waveform: opts.waveform,
    cacheDir: opts.cacheDir,
  };
  const report = await runCosim(spec);
  if (!report.ok || !c.cycles) return report;
  const diffs = await cycleModelDiffs(c, report, spec.stalls);
  if (diffs.length === 0) return report;
  const message = [`${c.name}: the values match the golden model but the timing does not match the cycle model:`, ...diffs.slice(0, 10).map((d) => `  ${d}`)].join('\n');
  const seeds = report.seeds.map((sr) => {
    const own = diffs.filter((d) => d.startsWith(`seed ${sr.seed}:`));
    return own.length === 0 ? sr : { ...sr, ok: false, message: [`cycle model differs from the RTL:`, ...own.slice(0, 10)].join('\n') };
  });
  return { ...report, ok: false, seeds, message };
}
