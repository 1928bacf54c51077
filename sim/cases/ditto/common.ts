// Shared pieces of the Ditto cosimulation cases: a runner that also works before the Ditto
// designs are in the registry, and the stimulus helpers (activation pairs of a chosen class
// mix).
//
// Every Ditto case has a `cycles` model (sim/cycles/ditto/*.ts): runCase (sim/cases/case.ts)
// then checks that every input beat is accepted, and every output beat leaves, in exactly the
// cycle the model predicts, and fails the case otherwise — in `dcgen regress` and in the
// vitest block tests alike.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DesignDef } from '../../../generator/designs/registry.ts';
import { findDesign } from '../../../generator/designs/index.ts';
import { type ParamValue, configHash, emitDesign } from '../../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../../generator/emit/write.ts';
import { resolveParams } from '../../../generator/params/schema.ts';
import { dittoComputeDesign } from '../../../generator/blocks/ditto/compute.ts';
import { dittoDefoDesign } from '../../../generator/blocks/ditto/defo.ts';
import { dittoEncoderDesign } from '../../../generator/blocks/ditto/encoder.ts';
import { dittoPeDesign } from '../../../generator/blocks/ditto/pe.ts';
import { dittoVpuDesign } from '../../../generator/blocks/ditto/vpu.ts';
import type { CosimReport } from '../../cosim/index.ts';
import { Rng } from '../../stimulus/rng.ts';
import { cacheDir } from '../../verilator/cache.ts';
import { type CosimCase, type CycleExpectation, type RunCaseOptions, type StreamSchedule, runCase } from '../case.ts';
import type { Mode } from '../../golden/ditto/encoding.ts';

export type { CycleExpectation, StreamSchedule };

/** A Ditto case: a CosimCase whose cycle model is always given. */
export type DittoCase = CosimCase & { cycles: NonNullable<CosimCase['cycles']> };

/** The Ditto designs (to be registered in generator/designs/index.ts too). */
export const dittoDesigns: readonly DesignDef[] = [
  dittoEncoderDesign as unknown as DesignDef,
  dittoPeDesign as unknown as DesignDef,
  dittoComputeDesign as unknown as DesignDef,
  dittoVpuDesign as unknown as DesignDef,
  dittoDefoDesign as unknown as DesignDef,
];

function designFor(name: string): DesignDef {
  const d = findDesign(name) ?? dittoDesigns.find((x) => x.name === name);
  if (!d) throw new Error(`case design '${name}' is not registered`);
  return d;
}

/** Resolved (and checked) parameters of a case's design. */
export function caseParams(c: Pick<CosimCase, 'design' | 'params'>): Record<string, ParamValue> {
  const def = designFor(c.design);
  const p = resolveParams(def.name, def.params, c.params ?? {});
  def.check?.(p);
  return p as Record<string, ParamValue>;
}

/** As sim/cases/case.ts generateCaseDesign, also for Ditto designs not (yet) in the registry. */
export function generateDittoCaseDesign(c: Pick<CosimCase, 'design' | 'params'>, root = path.join(path.dirname(cacheDir()), 'designs')): string {
  const def = designFor(c.design);
  const values = caseParams(c);
  const dir = path.join(root, `${def.name}-${configHash(def.name, values)}`);
  const emitted = emitDesign(def.build(values as never), { design: def.name, params: values });
  if (existsSync(path.join(dir, 'manifest.json')) && [...emitted.files].every(([name, text]) => existsSync(path.join(dir, name)) && readFileSync(path.join(dir, name), 'utf8') === text)) {
    return dir;
  }
  writeFilesAtomically(dir, emitted.files);
  return dir;
}

/** runCase (values against the golden model, cycles against the cycle model) for a Ditto case. */
export async function runDittoCase(c: CosimCase, opts: RunCaseOptions = {}): Promise<CosimReport> {
  return runCase(c, { ...opts, dir: opts.dir ?? generateDittoCaseDesign(c) });
}

/** A one-input, one-output block's cycle model as a case's `cycles`. */
export function inOut(inName: string, outName: string, model: (idle: (c: number) => boolean, stall: (c: number) => boolean) => { accepted: number[]; emitted: number[]; cycles: number }): (idle: StreamSchedule, stall: StreamSchedule) => CycleExpectation {
  return (idle, stall) => {
    const r = model((c) => idle(inName, c), (c) => stall(outName, c));
    return { accepted: { [inName]: r.accepted }, emitted: { [outName]: r.emitted }, cycles: r.cycles };
  };
}

// ---- activation pairs of a chosen class mix ----

export type Cls = 'zero' | 'low' | 'full';
export interface Mix {
  zero: number;
  low: number;
}
/** Temporal differences: 45 % ZERO, 50 % LOW, 5 % FULL (SPEC §4's figures, roughly). */
export const REAL: Mix = { zero: 0.45, low: 0.5 };
export const DENSE: Mix = { zero: 0.1, low: 0.3 };
export const ALL_FULL: Mix = { zero: 0, low: 0 };
export const ALL_ZERO: Mix = { zero: 1, low: 0 };
export const ALL_LOW: Mix = { zero: 0, low: 1 };

export function pickClass(rng: Rng, mix: Mix): Cls {
  const r = rng.float();
  return r < mix.zero ? 'zero' : r < mix.zero + mix.low ? 'low' : 'full';
}

/** A pair (x_t, x_{t+1}) whose encoded value (difference, or x_t in original mode) has class `cls`. */
export function pairOfClass(rng: Rng, mode: Mode, cls: Cls): [number, number] {
  const maxMag = mode === 'orig' ? 128 : 255;
  const mag = cls === 'zero' ? 0 : cls === 'low' ? rng.int(1, 15) : rng.chance(0.2) ? rng.pick([16, maxMag, 127, 128].filter((v) => v <= maxMag)) : rng.int(16, maxMag);
  let d = rng.chance(0.5) ? mag : -mag;
  if (mode === 'orig') {
    if (d === 128) d = -128;
    return [d, rng.int(-128, 127)];
  }
  const lo = Math.max(-128, -128 - d);
  const hi = Math.min(127, 127 - d);
  const xp = rng.int(lo, hi);
  return [xp + d, xp];
}

/** A random vector of K pairs with the given mix. */
export function randomPairs(rng: Rng, K: number, mix: Mix, mode: Mode): { xt: number[]; xp: number[] } {
  const xt: number[] = [];
  const xp: number[] = [];
  for (let k = 0; k < K; k++) {
    const [a, b] = pairOfClass(rng, mode, pickClass(rng, mix));
    xt.push(a);
    xp.push(b);
  }
  return { xt, xp };
}

/** A random mix: mostly real temporal differences, some dense, all-FULL and all-ZERO vectors. */
export function randomMix(rng: Rng): Mix {
  const r = rng.float();
  return r < 0.6 ? REAL : r < 0.8 ? DENSE : r < 0.9 ? ALL_FULL : ALL_ZERO;
}

/** An int8 weight, the extremes more often than uniform. */
export function randomWeight(rng: Rng): number {
  return rng.chance(0.1) ? rng.pick([-128, 127, -1, 0, 1]) : rng.int(-128, 127);
}
