// Shared pieces of the CMC cosimulation cases: the case type with its cycle model, design
// generation that also works before the lead registers the CMC designs, and real-video tokens.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findDesign } from '../../../generator/designs/index.ts';
import type { DesignDef } from '../../../generator/designs/registry.ts';
import { cmcRecoveryDesign } from '../../../generator/blocks/cmc/recovery.ts';
import { cmcSadDesign } from '../../../generator/blocks/cmc/sad.ts';
import { cmcSearchDesign } from '../../../generator/blocks/cmc/search.ts';
import { type ParamValue, configHash, emitDesign } from '../../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../../generator/emit/write.ts';
import { resolveParams } from '../../../generator/params/schema.ts';
import { type CosimReport, type Stimulus, loadDesign, runCosim } from '../../cosim/index.ts';
import { makeSchedules } from '../../stimulus/schedule.ts';
import { scheduleAt } from '../../stimulus/format.ts';
import { type CosimCase, type RunCaseOptions, caseDesignRoot, seedList } from '../case.ts';
import { readTokens } from '../../video/y4m.ts';

/** The CMC designs (registered by the lead in generator/designs/index.ts). */
export const cmcDesigns: readonly DesignDef[] = [cmcSadDesign, cmcSearchDesign, cmcRecoveryDesign] as unknown as DesignDef[];

/** What the cycle model predicts for one seed. */
export interface CycleExpectation {
  /** per input stream: the cycle each beat is accepted */
  accepted: Record<string, number[]>;
  /** per output stream: the cycle each transaction leaves */
  emitted: Record<string, number[]>;
  /** the cycle in which everything was complete (the harness's `cycles`) */
  cycles: number;
}

/** A CMC case: a cosim case plus the cycle model's prediction for its stimulus. */
export interface CmcCase extends CosimCase {
  cycles(stim: Stimulus, idle: (stream: string, c: number) => boolean, stall: (stream: string, c: number) => boolean): CycleExpectation;
}

export function defineCmcCase(c: CmcCase): CmcCase {
  return c;
}

function designDef(name: string): DesignDef {
  const d = findDesign(name) ?? cmcDesigns.find((x) => x.name === name);
  if (!d) throw new Error(`design '${name}' is neither registered nor a CMC design`);
  return d;
}

/** Resolved parameters of a case's design (defaults + overrides). */
export function caseParams(c: Pick<CosimCase, 'design' | 'params'>): Record<string, ParamValue> {
  const def = designDef(c.design);
  return resolveParams(def.name, def.params, c.params ?? {}) as Record<string, ParamValue>;
}

/** As sim/cases/case.ts generateCaseDesign, falling back to the CMC designs if unregistered. */
export function generateCmcCaseDesign(c: Pick<CosimCase, 'design' | 'params'>, root = caseDesignRoot()): string {
  const def = designDef(c.design);
  const params = resolveParams(def.name, def.params, c.params ?? {});
  def.check?.(params);
  const values = params as Record<string, ParamValue>;
  const dir = path.join(root, `${def.name}-${configHash(def.name, values)}`);
  const emitted = emitDesign(def.build(params), { design: def.name, params: values });
  if (existsSync(path.join(dir, 'manifest.json')) && [...emitted.files].every(([name, text]) => existsSync(path.join(dir, name)) && readFileSync(path.join(dir, name), 'utf8') === text)) return dir;
  writeFilesAtomically(dir, emitted.files);
  return dir;
}

export async function runCmcCase(c: CosimCase, opts: RunCaseOptions = {}): Promise<CosimReport> {
  return runCosim({
    dir: generateCmcCaseDesign(c),
    stimulus: (seed) => c.stimulus(seed),
    golden: (s) => c.golden(s),
    stalls: opts.stalls ?? c.stalls,
    seeds: opts.seeds ?? seedList(c.seeds ?? 3),
    maxCycles: c.maxCycles,
    icarus: opts.icarus,
    workDir: opts.workDir,
  });
}

// ---- real video ----

export const VIDEO_DIR = '/work/shared/data/video';
export const VTEST = path.join(VIDEO_DIR, 'vtest-224-444.y4m');
export const TREE = path.join(VIDEO_DIR, 'tree-224-444.y4m');

const tokenCache = new Map<string, Uint8Array[][]>();

/** Tokens[t][i] (768 bytes, planar, sim/video/y4m.ts) of the first `frames` frames of a clip. */
export function videoTokens(file: string, frames: number): Uint8Array[][] {
  const key = `${file}:${frames}`;
  let t = tokenCache.get(key);
  if (!t) {
    t = readTokens(file, { count: frames }).tokens;
    tokenCache.set(key, t);
  }
  return t;
}

/**
 * Compare every seed of a report with the case's cycle model: acceptance cycles per input
 * stream, transaction cycles per output stream, and the completion cycle. Returns one line per
 * difference (empty: the model is exact on this run).
 */
export async function cycleModelDiffs(c: CmcCase, report: CosimReport): Promise<string[]> {
  const layout = (await loadDesign(report.dir)).layout;
  const diffs: string[] = [];
  for (const sr of report.seeds) {
    const stim = c.stimulus(sr.seed);
    const sched = makeSchedules(layout, sr.seed, c.stalls ?? { inIdle: 0, outStall: 0 });
    const model = c.cycles(
      stim,
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
