// A cosimulation test case: a design at a parameter point, a seeded stimulus generator, the
// golden model and stall settings. One definition serves the vitest block tests and
// `dcgen regress`; cases are named `<design>.<case>` (`common.fifo.depth1`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findDesign } from '../../generator/designs/index.ts';
import { type ParamValue, configHash, emitDesign } from '../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { DcgenError } from '../../generator/errors.ts';
import { resolveParams } from '../../generator/params/schema.ts';
import { type CosimReport, type CosimSpec, type Expected, type Stimulus, runCosim } from '../cosim/index.ts';
import type { StallProbabilities } from '../stimulus/schedule.ts';
import { cacheDir } from '../verilator/cache.ts';

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
}

export class UnknownCaseDesignError extends DcgenError {}

export function defineCase(c: CosimCase): CosimCase {
  return c;
}

/** Folder where generated designs for cases are kept (beside the Verilator build cache). */
export function caseDesignRoot(): string {
  return path.join(path.dirname(cacheDir()), 'designs');
}

/** Generate the case's design once per configuration; returns its folder. */
export function generateCaseDesign(c: Pick<CosimCase, 'design' | 'params'>, root = caseDesignRoot()): string {
  const def = findDesign(c.design);
  if (!def) throw new UnknownCaseDesignError(`case design '${c.design}' is not registered`);
  const params = resolveParams(def.name, def.params, c.params ?? {});
  def.check?.(params);
  const values = params as Record<string, ParamValue>;
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
  waveform?: boolean;
  cacheDir?: string;
  /** Override the case's stall probabilities. */
  stalls?: StallProbabilities;
}

/** Seeds 1..n, the default seed list of a case. */
export function seedList(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
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
  return runCosim(spec);
}
