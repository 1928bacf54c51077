// The data of `dcgen eval ditto`: the datasets and the layers' weights, all int8.
//
// DATASETS (each a sequence of T "denoising steps", step 1 first in processing order):
//   vtest, tree  real clips (sim/eval/common.ts CLIPS): step s = frame s − 1; the M = 196
//                16×16×3 patch tokens of a frame (sim/video/y4m.ts, planar Y/Cb/Cr) are the
//                activation vectors, element = pixel − 128 (int8), K = 768.
//   synthetic    a seeded synthetic trajectory (syntheticTrajectory below): M = 196, K = 768,
//                x at step 1 Gaussian with log-normal channel scales, then
//                x_s = clamp(x_{s−1} + round(b_s · a_{s,m} · ℓ)), ℓ ~ Laplace, b_s shrinking
//                geometrically from 6 to 1, a_{s,m} a log-normal per-token activity.
// WEIGHTS: seeded int8, N(0, 24²) rounded and clamped (seededWeights).
import { Rng } from '../../stimulus/rng.ts';
import { CLIPS, EvalInputError, Sampler, clamp, clipPath, loadClipTokens, roundHalfAway } from '../common.ts';
import type { DittoEvalOptions } from './options.ts';

export const DITTO_DATASETS = ['vtest', 'tree', 'synthetic'] as const;

/** Synthetic trajectory parameters (documented in docs/eval.md). */
export const SYNTH = {
  M: 196,
  K: 768,
  /** median channel scale of step 1 (codes) and its log-normal spread */
  channelScale: 20,
  channelSpread: 0.5,
  /** per-step noise scale b_s: geometric from bFirst (step 2) to bLast (step T) */
  bFirst: 6,
  bLast: 1,
  /** log-normal per-token activity a_{s,m} = exp(σ·z − σ²/2), mean 1 */
  activitySpread: 0.75,
} as const;

/** Weight init: round(N(0, σ²)) clamped to int8. */
export const WEIGHT_SIGMA = 24;

/** Derived seeds: one stream per purpose, so adding a purpose does not shift the others. */
export function subSeed(seed: number, tag: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(tag, 0x85ebca6b)) | 0;
}

export interface StepData {
  name: string;
  source: string;
  M: number;
  K: number;
  /** steps[s]: M×K int8 row-major (step s + 1 in processing order) */
  steps: Int8Array[];
}

/** Real clip: step s = frame s − 1, element = pixel − 128. */
export function clipSteps(file: string, name: string, frames: number): StepData {
  const c = loadClipTokens(file, frames);
  const steps = c.frames.map((f) => {
    const x = new Int8Array(f.length);
    for (let i = 0; i < f.length; i++) x[i] = f[i] - 128;
    return x;
  });
  return { name, source: `${file} frames 0..${frames - 1}: ${c.N} tokens of ${c.n} (pixel − 128)`, M: c.N, K: c.n, steps };
}

/** The synthetic trajectory (see SYNTH and the file header). */
export function syntheticTrajectory(T: number, seed: number, M: number = SYNTH.M, K: number = SYNTH.K): StepData {
  const smp = new Sampler(new Rng(subSeed(seed, 1)));
  const scale = Array.from({ length: K }, () => SYNTH.channelScale * Math.exp(SYNTH.channelSpread * smp.normal()));
  const first = new Int8Array(M * K);
  for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) first[m * K + k] = clamp(roundHalfAway(scale[k] * smp.normal()), -128, 127);
  const steps = [first];
  const sa = SYNTH.activitySpread;
  for (let s = 2; s <= T; s++) {
    const b = SYNTH.bFirst * (SYNTH.bLast / SYNTH.bFirst) ** (T <= 2 ? 0 : (s - 2) / (T - 2));
    const prev = steps[steps.length - 1];
    const x = new Int8Array(M * K);
    for (let m = 0; m < M; m++) {
      const a = Math.exp(sa * smp.normal() - (sa * sa) / 2);
      for (let k = 0; k < K; k++) {
        const i = m * K + k;
        x[i] = clamp(prev[i] + roundHalfAway(b * a * smp.laplace()), -128, 127);
      }
    }
    steps.push(x);
  }
  return {
    name: 'synthetic',
    source: `seeded synthetic trajectory (seed ${seed}): ${M} tokens of ${K}, noise scale ${SYNTH.bFirst} → ${SYNTH.bLast}`,
    M,
    K,
    steps,
  };
}

/** The dataset `name` (one of DITTO_DATASETS) with o.frames steps. */
export function loadDataset(name: string, o: Pick<DittoEvalOptions, 'frames' | 'seed' | 'videoDir'>): StepData {
  if (name === 'synthetic') return syntheticTrajectory(o.frames, o.seed);
  const clip = CLIPS.find((c) => c.name === name);
  if (!clip) throw new EvalInputError(`unknown dataset '${name}' (expected ${DITTO_DATASETS.join(', ')})`);
  return clipSteps(clipPath(o.videoDir, clip), name, o.frames);
}

/** K×N int8 weights, round(N(0, σ²)) clamped, row-major. */
export function seededWeights(K: number, N: number, seed: number): Int8Array {
  const smp = new Sampler(new Rng(seed));
  const w = new Int8Array(K * N);
  for (let i = 0; i < w.length; i++) w[i] = clamp(roundHalfAway(WEIGHT_SIGMA * smp.normal()), -128, 127);
  return w;
}
