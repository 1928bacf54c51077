// Shared pieces of the Ditto cosimulation cases: a runner that also works before the Ditto
// designs are in the registry, and the stimulus helpers (activation pairs of a chosen class
// mix).
//
// Every Ditto case has a `cycles` model (sim/cycles/ditto/*.ts): runCase (sim/cases/case.ts)
// then checks that every input beat is accepted, and every output beat leaves, in exactly the
// cycle the model predicts, and fails the case otherwise — in `dcgen regress` and in the
// vitest block tests alike.
import { Rng } from '../../stimulus/rng.ts';
import type { CosimCase, CycleExpectation, StreamSchedule } from '../case.ts';
import type { Mode } from '../../golden/ditto/encoder.ts';

export type { CycleExpectation, StreamSchedule };

/** A Ditto case: a CosimCase whose cycle model is always given. */
export type DittoCase = CosimCase & { cycles: NonNullable<CosimCase['cycles']> };

export { caseParams } from '../case.ts';

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
