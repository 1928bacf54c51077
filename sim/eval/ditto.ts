// `dcgen eval ditto`: Ditto's temporal-difference statistics and compute-unit cycles on
// temporally similar data (SPEC §1, §3, §4). Definitions and results: docs/eval.md.
//
// DATASETS (each a sequence of T "denoising steps", step 1 first in processing order):
//   vtest, tree  real clips (sim/eval/common.ts CLIPS): step s = frame s − 1; the M = 196
//                16×16×3 patch tokens of a frame (sim/video/y4m.ts, planar Y/Cb/Cr) are the
//                activation vectors, element = pixel − 128 (int8), K = 768.
//   synthetic    a seeded synthetic trajectory (syntheticTrajectory below): M = 196, K = 768,
//                x at step 1 Gaussian with log-normal channel scales, then
//                x_s = clamp(x_{s−1} + round(b_s · a_{s,m} · ℓ)), ℓ ~ Laplace, b_s shrinking
//                geometrically from 6 to 1, a_{s,m} a log-normal per-token activity.
// LAYERS (the same two for every dataset; weights seeded int8, N(0, 24²) rounded and clamped):
//   L0  K = 768 → N = 64 (the projection of the tokens), then the VPU: requantiser calibrated
//       on step 1 (output RMS ≈ 32 codes) and a GELU table (in/out scale 1/32)
//   L1  K = 64 → N = 64 on L0's int8 outputs, requantiser calibrated likewise, identity table
// STATISTICS per dataset and layer, over steps 2..T (where a temporal difference exists):
//   classes of d = x_s − x_{s−1} (difference mode) and of d = x_s (original mode): ZERO /
//   LOW / FULL fractions (SPEC §1.1); within 4 bits = ZERO + LOW (|d| ≤ 15).
//   bit operations (BOPs): dense A8W8 = 8·8 = 64 per element; the A4W8 path = 0 per ZERO,
//   4·8 = 32 per LOW, 2·4·8 = 64 per FULL (= 32 per valid slot, compute.ts costOf).
//   cycles of the compute unit (SPEC §1.4): R rows of N PEs (one output column each), vector m
//   on row m mod R; a vector costs max(words, ceil(K/L)) cycles, words = max(1,
//   ceil((nL + 2·nF)/4)) (encoder.ts expectedWordCount); dense baseline ceil(K/2) per vector;
//   a tile (one layer, one step) costs max over rows of the row's sum + the pipeline latency
//   stages + 2 (sim/cycles/ditto/compute.ts computeLatency).
//   Defo (sim/golden/ditto/defo.ts) per layer: step 1 original, step 2 difference, its choice
//   from step 3 on; the tile cycles are what it measures.
//   exactness: steps 1..checkSteps of both layers through the golden layer model (top.ts
//   runLinearLayer: encoder → PEs → VPU, step 1 original, then differences) on checkTokens
//   tokens, compared with the dense integer result; and the fast statistics of this file
//   compared with the golden encoder's word counts and the golden outputs on the same tokens.
import { type Matrix } from '../golden/ditto/compute.ts';
import { DefoUnit, SAT16 } from '../golden/ditto/defo.ts';
import { expectedWordCount, type Mode } from '../golden/ditto/encoder.ts';
import { runLinearLayer, totalCost } from '../golden/ditto/top.ts';
import { type RequantParams, activationTable, lookup, requantize } from '../golden/ditto/vpu.ts';
import { computeLatency } from '../cycles/ditto/compute.ts';
import { Rng } from '../stimulus/rng.ts';
import { CLIPS, EvalInputError, Sampler, clamp, clipPath, loadClipTokens, pct, r6, roundHalfAway, table, times, videoDir } from './common.ts';

/** The paper's figures (SPEC §4), averages over 7 models. */
export const DITTO_PAPER = {
  zeroPct: 44.48,
  within4Pct: 96.01,
  bopsReductionPct: 53.3,
  speedupUpTo: 1.5,
  source: 'Ditto (HPCA 2025), SPEC §4: 44.48 % zero, 96.01 % within 4 bits (7-model average), 53.3 % fewer bit operations than the original model, up to 1.5x speedup',
} as const;

export interface DittoEvalOptions {
  /** steps (frames of each clip, steps of the synthetic trajectory); ≥ 3 so Defo decides */
  frames: number;
  seed: number;
  /** encoder lanes per beat L */
  lanes: number;
  /** PE rows R of the compute array */
  rows: number;
  /** outputs of L0 and L1 (PE columns) */
  outputs: number;
  /** adder-tree register levels of the compute unit (latency stages + 2) */
  stages: number;
  /** steps verified through the golden layer model */
  checkSteps: number;
  /** tokens (evenly spaced) verified through the golden layer model */
  checkTokens: number;
  /** folder of the clips */
  videoDir: string;
  /** datasets to run (default all three) */
  datasets?: readonly string[];
}

export const DITTO_DATASETS = ['vtest', 'tree', 'synthetic'] as const;

export function dittoDefaults(quick = false): DittoEvalOptions {
  return {
    frames: quick ? 6 : 32,
    seed: 1,
    lanes: 4,
    rows: 4,
    outputs: 64,
    stages: 1,
    checkSteps: 3,
    checkTokens: quick ? 16 : 196,
    videoDir: videoDir(),
  };
}

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
/** Requantiser calibration target: RMS of the int8 output codes at step 1. */
export const TARGET_RMS = 32;
/** Activation table scale (codes → real): 1/32 in and out. */
export const ACT_SCALE = 1 / 32;

/** Derived seeds: one stream per purpose, so adding a purpose does not shift the others. */
export function subSeed(seed: number, tag: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(tag, 0x85ebca6b)) | 0;
}

// ---- data ----

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

/** K×N int8 weights, round(N(0, σ²)) clamped, row-major. */
export function seededWeights(K: number, N: number, seed: number): Int8Array {
  const smp = new Sampler(new Rng(seed));
  const w = new Int8Array(K * N);
  for (let i = 0; i < w.length; i++) w[i] = clamp(roundHalfAway(WEIGHT_SIGMA * smp.normal()), -128, 127);
  return w;
}

// ---- the statistics of one vector / one tile ----

export interface ClassCounts {
  nzero: number;
  nlow: number;
  nfull: number;
}

/** Classes of d = x − prev (prev undefined: original mode, d = x) over [off, off + K). */
export function classCounts(x: Int8Array, prev: Int8Array | undefined, off: number, K: number): ClassCounts {
  let nz = 0;
  let nl = 0;
  for (let k = off; k < off + K; k++) {
    const d = prev ? x[k] - prev[k] : x[k];
    const m = d < 0 ? -d : d;
    if (m === 0) nz++;
    else if (m < 16) nl++;
  }
  return { nzero: nz, nlow: nl, nfull: K - nz - nl };
}

/** Bit operations of the A4W8 path: 0 per ZERO, 32 per LOW, 64 per FULL. */
export function bopsOf(c: ClassCounts): number {
  return 32 * c.nlow + 64 * c.nfull;
}

/** Dense A8W8 bit operations: 64 per element. */
export function denseBops(elements: number): number {
  return 64 * elements;
}

/** SPEC §1.4: max(words, ceil(K/L)) (L = Infinity: the packing bound alone). */
export function vectorCyclesOf(words: number, K: number, lanes: number): number {
  return Math.max(words, Number.isFinite(lanes) ? Math.ceil(K / lanes) : 0);
}

/** Tile: vector m on row m mod R; max over rows of the row's sum, plus the latency. */
export function tileCycles(perVector: readonly number[], rows: number, latency: number): number {
  const sums = new Array<number>(rows).fill(0);
  perVector.forEach((c, m) => (sums[m % rows] += c));
  return Math.max(...sums) + latency;
}

export interface TileStats extends ClassCounts {
  vectors: number;
  words: number;
  bops: number;
  /** tile cycles with L lanes */
  cycles: number;
  /** tile cycles at the packing bound (L = ∞) */
  cyclesPacking: number;
}

export function tileStats(x: Int8Array, prev: Int8Array | undefined, M: number, K: number, o: Pick<DittoEvalOptions, 'lanes' | 'rows' | 'stages'>): TileStats {
  const st: TileStats = { vectors: M, nzero: 0, nlow: 0, nfull: 0, words: 0, bops: 0, cycles: 0, cyclesPacking: 0 };
  const perL: number[] = [];
  const perInf: number[] = [];
  for (let m = 0; m < M; m++) {
    const c = classCounts(x, prev, m * K, K);
    st.nzero += c.nzero;
    st.nlow += c.nlow;
    st.nfull += c.nfull;
    st.bops += bopsOf(c);
    const w = expectedWordCount(c.nlow, c.nfull);
    st.words += w;
    perL.push(vectorCyclesOf(w, K, o.lanes));
    perInf.push(w);
  }
  const lat = computeLatency(o.stages);
  st.cycles = tileCycles(perL, o.rows, lat);
  st.cyclesPacking = tileCycles(perInf, o.rows, lat);
  return st;
}

export function denseTileCycles(M: number, K: number, o: Pick<DittoEvalOptions, 'rows' | 'stages'>): number {
  return tileCycles(new Array<number>(M).fill(Math.ceil(K / 2)), o.rows, computeLatency(o.stages));
}

// ---- the layer arithmetic (fast path; checked against the golden model) ----

/** Y = X · W, int32 (M×K by K×N, row-major). */
export function matmulInt(X: Int8Array, W: Int8Array, M: number, K: number, N: number): Int32Array {
  const Y = new Int32Array(M * N);
  const acc = new Float64Array(N);
  for (let m = 0; m < M; m++) {
    acc.fill(0);
    for (let k = 0; k < K; k++) {
      const x = X[m * K + k];
      if (x === 0) continue;
      const wo = k * N;
      for (let n = 0; n < N; n++) acc[n] += x * W[wo + n];
    }
    for (let n = 0; n < N; n++) Y[m * N + n] = acc[n] | 0;
  }
  return Y;
}

/** M and S with M / 2^S ≈ scale, M ≤ 65535, S as large as allowed (≤ 40). */
export function requantFor(scale: number): RequantParams {
  if (!(scale > 0) || !Number.isFinite(scale)) return { M: 1, S: 0, zpOut: 0 };
  let S = Math.min(40, Math.floor(Math.log2(65535 / scale)));
  if (S < 0) S = 0;
  while (S > 0 && Math.round(scale * 2 ** S) > 65535) S--;
  return { M: Math.max(1, Math.min(65535, Math.round(scale * 2 ** S))), S, zpOut: 0 };
}

/** Calibrate on Y of step 1: output RMS ≈ TARGET_RMS codes. */
export function calibrate(Y: Int32Array): RequantParams {
  let s = 0;
  for (const v of Y) s += v * v;
  const rms = Math.sqrt(s / Math.max(1, Y.length));
  return requantFor(rms > 0 ? TARGET_RMS / rms : 1);
}

export function vpuInt8(Y: Int32Array, rq: RequantParams, tab: Int8Array): Int8Array {
  const y = new Int8Array(Y.length);
  for (let i = 0; i < Y.length; i++) y[i] = lookup(tab, requantize(Y[i], rq));
  return y;
}

// ---- evaluation ----

export interface ModeFractions {
  zero: number;
  low: number;
  full: number;
  within4: number;
}

export interface LayerEval {
  layer: string;
  K: number;
  N: number;
  activation: string;
  requant: RequantParams;
  /** over steps 2..T */
  diff: ModeFractions;
  orig: ModeFractions;
  bops: { diff: number; orig: number; dense: number; diffVsDense: number; origVsDense: number; diffReductionPct: number };
  /** Σ over steps 2..T of the tile cycles */
  cycles: { diff: number; orig: number; dense: number; diffPacking: number; speedupVsDense: number; speedupVsOrig: number; speedupVsDensePacking: number; step1Orig: number };
  defo: {
    cycleAct: number;
    cycleDiff: number;
    saturated: boolean;
    exeDiff: number;
    /** the mode of steps 3..T ('n/a' with fewer than 3 steps) */
    picks: Mode | 'n/a';
    /** Σ over steps 1..T */
    scheduleCycles: number;
    allOrigCycles: number;
    allDiffCycles: number;
    denseCycles: number;
  };
  perStep: { step: number; zero: number; low: number; full: number; cyclesDiff: number | null; cyclesOrig: number; cyclesDense: number }[];
}

export interface DatasetEval {
  name: string;
  source: string;
  steps: number;
  tokens: number;
  layers: LayerEval[];
  check: {
    steps: number;
    tokens: number;
    /** every checked step of both layers equals the dense integer result (Y and y) */
    exact: boolean;
    /** the fast statistics and outputs of this file equal the golden model's on the checked tokens */
    modelsAgree: boolean;
    goldenWords: number;
    fastWords: number;
  };
}

export interface DittoEvalResult {
  kind: 'dcgen-eval-ditto';
  version: 1;
  config: Omit<DittoEvalOptions, 'videoDir' | 'datasets'> & { latency: number; weightSigma: number; targetRms: number; actScale: number; synthetic: typeof SYNTH };
  paper: typeof DITTO_PAPER;
  definitions: Record<string, string>;
  datasets: DatasetEval[];
}

export const DITTO_DEFINITIONS: Record<string, string> = {
  steps: 'step 1 = first frame / first trajectory step in processing order; differences d = x_s − x_{s−1} exist for steps 2..T and every statistic is over those steps',
  classes: 'ZERO |d| = 0, LOW 1..15, FULL ≥ 16 (SPEC §1.1); within 4 bits = ZERO + LOW; original mode classifies d = x_s',
  bops: 'dense A8W8 = 8·8 = 64 per element; A4W8 path: ZERO 0, LOW 4·8 = 32, FULL 2·4·8 = 64',
  cycles: 'per vector max(words, ceil(K/L)), words = max(1, ceil((nLOW + 2·nFULL)/4)); dense ceil(K/2) per vector; vector m on PE row m mod R; tile = max over rows + latency (stages + 2); summed over steps 2..T',
  packing: 'diffPacking / speedupVsDensePacking: the same with L = ∞ (words alone, no ingest bound)',
  defo: 'Defo (SPEC §1.6): step 1 original, step 2 difference, from step 3 exe_diff = cycle_act > cycle_diff (tile cycles, saturated at 65,535)',
  exact: 'steps 1..checkSteps of L0 and L1 through sim/golden/ditto/top.ts runLinearLayer (step 1 original, then differences) on checkTokens evenly spaced tokens: Y and y equal the dense integer result',
};

function fractions(c: ClassCounts): ModeFractions {
  const tot = c.nzero + c.nlow + c.nfull;
  const f = (v: number) => (tot === 0 ? 0 : v / tot);
  return { zero: r6(f(c.nzero)), low: r6(f(c.nlow)), full: r6(f(c.nfull)), within4: r6(f(c.nzero + c.nlow)) };
}

function toMatrix(x: Int8Array, rows: readonly number[], K: number): Matrix {
  return rows.map((m) => Array.from(x.subarray(m * K, m * K + K)));
}

/** The rows `rows` of an M×K matrix, as a rows.length×K matrix. */
function subRows(x: Int8Array, rows: readonly number[], K: number): Int8Array {
  const out = new Int8Array(rows.length * K);
  rows.forEach((m, r) => out.set(x.subarray(m * K, m * K + K), r * K));
  return out;
}

interface LayerRun {
  eval: LayerEval;
  outputs: Int8Array[];
  W: Int8Array;
  rq: RequantParams;
  tab: Int8Array;
}

function runLayer(name: string, steps: Int8Array[], M: number, K: number, N: number, W: Int8Array, activation: 'gelu' | 'identity', o: DittoEvalOptions): LayerRun {
  const T = steps.length;
  const Ys = steps.map((x) => matmulInt(x, W, M, K, N));
  const rq = calibrate(Ys[0]);
  const tab = activationTable({ kind: activation, sIn: ACT_SCALE, sOut: ACT_SCALE });
  const outputs = Ys.map((Y) => vpuInt8(Y, rq, tab));
  const dense = denseTileCycles(M, K, o);
  const diffTot: ClassCounts = { nzero: 0, nlow: 0, nfull: 0 };
  const origTot: ClassCounts = { nzero: 0, nlow: 0, nfull: 0 };
  let bDiff = 0;
  let bOrig = 0;
  let cDiff = 0;
  let cOrig = 0;
  let cPack = 0;
  const origTiles: number[] = [];
  const diffTiles: (number | null)[] = [];
  const perStep: LayerEval['perStep'] = [];
  for (let s = 0; s < T; s++) {
    const or = tileStats(steps[s], undefined, M, K, o);
    origTiles.push(or.cycles);
    if (s === 0) {
      diffTiles.push(null);
      perStep.push({ step: 1, zero: r6(or.nzero / (M * K)), low: r6(or.nlow / (M * K)), full: r6(or.nfull / (M * K)), cyclesDiff: null, cyclesOrig: or.cycles, cyclesDense: dense });
      continue;
    }
    const df = tileStats(steps[s], steps[s - 1], M, K, o);
    diffTiles.push(df.cycles);
    for (const key of ['nzero', 'nlow', 'nfull'] as const) {
      diffTot[key] += df[key];
      origTot[key] += or[key];
    }
    bDiff += df.bops;
    bOrig += or.bops;
    cDiff += df.cycles;
    cOrig += or.cycles;
    cPack += df.cyclesPacking;
    perStep.push({ step: s + 1, zero: r6(df.nzero / (M * K)), low: r6(df.nlow / (M * K)), full: r6(df.nfull / (M * K)), cyclesDiff: df.cycles, cyclesOrig: or.cycles, cyclesDense: dense });
  }
  const elems = (T - 1) * M * K;
  const bDense = denseBops(elems);
  const cDense = (T - 1) * dense;
  // Defo over steps 1..T, for this layer alone (entry 0 of a one-entry table per layer is
  // equivalent: entries are independent).
  const defo = new DefoUnit(1);
  let sched = 0;
  let picks: Mode | 'n/a' = 'n/a';
  for (let s = 1; s <= T; s++) {
    const mode = defo.modeFor(0, s);
    if (s === 3) picks = mode;
    const c = mode === 'diff' ? (diffTiles[s - 1] as number) : origTiles[s - 1];
    defo.report(0, s, c);
    sched += c;
  }
  const e = defo.table[0];
  const allOrig = origTiles.reduce((a, b) => a + b, 0);
  const allDiff = origTiles[0] + cDiff;
  return {
    W,
    rq,
    tab,
    outputs,
    eval: {
      layer: name,
      K,
      N,
      activation,
      requant: rq,
      diff: fractions(diffTot),
      orig: fractions(origTot),
      bops: {
        diff: bDiff,
        orig: bOrig,
        dense: bDense,
        diffVsDense: r6(bDiff / bDense),
        origVsDense: r6(bOrig / bDense),
        diffReductionPct: r6(100 * (1 - bDiff / bDense)),
      },
      cycles: {
        diff: cDiff,
        orig: cOrig,
        dense: cDense,
        diffPacking: cPack,
        speedupVsDense: r6(cDense / cDiff),
        speedupVsOrig: r6(cOrig / cDiff),
        speedupVsDensePacking: r6(cDense / cPack),
        step1Orig: origTiles[0],
      },
      defo: {
        cycleAct: e.cycleAct,
        cycleDiff: e.cycleDiff,
        saturated: e.cycleAct === SAT16 || e.cycleDiff === SAT16,
        exeDiff: e.exeDiff,
        picks,
        scheduleCycles: sched,
        allOrigCycles: allOrig,
        allDiffCycles: allDiff,
        denseCycles: T * dense,
      },
      perStep,
    },
  };
}

/** Steps 1..checkSteps of both layers through the golden layer model on a token subset. */
function checkDataset(data: StepData, l0: LayerRun, l1: LayerRun, N: number, o: DittoEvalOptions): DatasetEval['check'] {
  const steps = Math.min(o.checkSteps, data.steps.length);
  const count = Math.min(o.checkTokens, data.M);
  const rows = Array.from({ length: count }, (_, i) => Math.floor((i * data.M) / count));
  const lanes = o.lanes;
  const sched: Mode[] = Array.from({ length: steps }, (_, s) => (s === 0 ? 'orig' : 'diff'));
  const wMat = (W: Int8Array, K: number): Matrix => Array.from({ length: K }, (_, k) => Array.from(W.subarray(k * N, k * N + N)));
  const xs0 = data.steps.slice(0, steps).map((x) => toMatrix(x, rows, data.K));
  const r0 = runLinearLayer({ W: wMat(l0.W, data.K), rq: l0.rq, table: l0.tab, lanes }, xs0, sched);
  const xs1 = r0.map((r) => r.y);
  const r1 = runLinearLayer({ W: wMat(l1.W, N), rq: l1.rq, table: l1.tab, lanes }, xs1, sched);
  const exact = [...r0, ...r1].every((r) => r.exact);
  // the fast path against the golden model: outputs, and word counts of every checked tile
  let agree = true;
  r0.forEach((r, s) => {
    const fast = toMatrix(l0.outputs[s], rows, N);
    if (JSON.stringify(fast) !== JSON.stringify(r.y)) agree = false;
    const y1 = toMatrix(l1.outputs[s], rows, N);
    if (JSON.stringify(y1) !== JSON.stringify(r1[s].y)) agree = false;
  });
  const goldenWords = totalCost(r0).words + totalCost(r1).words;
  let fastWords = 0;
  const sub = (x: Int8Array, K: number) => subRows(x, rows, K);
  for (let s = 0; s < steps; s++) {
    for (const [xs, K] of [
      [data.steps, data.K],
      [l0.outputs, N],
    ] as const) {
      const cur = sub(xs[s], K);
      const prev = s === 0 ? undefined : sub(xs[s - 1], K);
      fastWords += tileStats(cur, prev, count, K, o).words;
    }
  }
  if (goldenWords !== fastWords) agree = false;
  return { steps, tokens: count, exact, modelsAgree: agree, goldenWords, fastWords };
}

export function evalDataset(data: StepData, o: DittoEvalOptions): DatasetEval {
  const N = o.outputs;
  const W0 = seededWeights(data.K, N, subSeed(o.seed, 10));
  const W1 = seededWeights(N, N, subSeed(o.seed, 11));
  const l0 = runLayer('L0', data.steps, data.M, data.K, N, W0, 'gelu', o);
  const l1 = runLayer('L1', l0.outputs, data.M, N, N, W1, 'identity', o);
  return {
    name: data.name,
    source: data.source,
    steps: data.steps.length,
    tokens: data.M,
    layers: [l0.eval, l1.eval],
    check: checkDataset(data, l0, l1, N, o),
  };
}

export function checkDittoOptions(o: DittoEvalOptions): void {
  const bad = (what: string, v: number, rule: string) => {
    throw new EvalInputError(`${what} ${v}: ${rule}`);
  };
  if (!Number.isInteger(o.frames) || o.frames < 3 || o.frames > 32) bad('--frames', o.frames, 'expected 3..32 (the clips have 32 frames; Defo needs 3 steps)');
  if (!Number.isInteger(o.lanes) || o.lanes < 1 || o.lanes > 64) bad('lanes', o.lanes, 'expected 1..64');
  if (!Number.isInteger(o.rows) || o.rows < 1 || o.rows > 196) bad('rows', o.rows, 'expected 1..196');
  if (!Number.isInteger(o.outputs) || o.outputs < 1 || o.outputs > 1024) bad('outputs', o.outputs, 'expected 1..1024');
  if (!Number.isInteger(o.checkSteps) || o.checkSteps < 1) bad('checkSteps', o.checkSteps, 'expected ≥ 1');
  if (!Number.isInteger(o.checkTokens) || o.checkTokens < 1) bad('checkTokens', o.checkTokens, 'expected ≥ 1');
}

export function runDittoEval(o: DittoEvalOptions): DittoEvalResult {
  checkDittoOptions(o);
  const want = o.datasets ?? DITTO_DATASETS;
  const datasets: DatasetEval[] = [];
  for (const name of want) {
    let data: StepData;
    if (name === 'synthetic') data = syntheticTrajectory(o.frames, o.seed);
    else {
      const clip = CLIPS.find((c) => c.name === name);
      if (!clip) throw new EvalInputError(`unknown dataset '${name}' (expected ${DITTO_DATASETS.join(', ')})`);
      data = clipSteps(clipPath(o.videoDir, clip), name, o.frames);
    }
    datasets.push(evalDataset(data, o));
  }
  const { videoDir: _v, datasets: _d, ...cfg } = o;
  return {
    kind: 'dcgen-eval-ditto',
    version: 1,
    config: { ...cfg, latency: computeLatency(o.stages), weightSigma: WEIGHT_SIGMA, targetRms: TARGET_RMS, actScale: ACT_SCALE, synthetic: SYNTH },
    paper: DITTO_PAPER,
    definitions: DITTO_DEFINITIONS,
    datasets,
  };
}

// ---- tables ----

export function dittoTables(r: DittoEvalResult): string[] {
  const c = r.config;
  const out: string[] = [];
  out.push(`Ditto temporal differences: ${c.frames} steps, int8 activations, L0 768→${c.outputs} (GELU) and L1 ${c.outputs}→${c.outputs}; statistics over steps 2..${c.frames}`);
  out.push('');
  const s1 = [['dataset', 'layer', 'K', 'ZERO %', 'LOW %', 'FULL %', '≤4 bits %', 'orig ZERO %', 'orig ≤4 bits %', 'BOPs diff/dense %', 'BOPs saved %', 'BOPs orig/dense %']];
  for (const d of r.datasets) {
    for (const l of d.layers) {
      s1.push([d.name, l.layer, String(l.K), pct(l.diff.zero), pct(l.diff.low), pct(l.diff.full), pct(l.diff.within4), pct(l.orig.zero), pct(l.orig.within4), pct(l.bops.diffVsDense), l.bops.diffReductionPct.toFixed(2), pct(l.bops.origVsDense)]);
    }
  }
  s1.push(['paper (7 models)', '-', '-', r.paper.zeroPct.toFixed(2), '-', '-', r.paper.within4Pct.toFixed(2), '-', '-', (100 - r.paper.bopsReductionPct).toFixed(2), r.paper.bopsReductionPct.toFixed(2), '-']);
  out.push(...table(s1, 2), '');
  out.push(`Compute-unit cycles (SPEC §1.4): ${c.rows} PE rows x ${c.outputs} columns, L = ${c.lanes} lanes, latency ${c.latency} per tile; sums over steps 2..${c.frames}`);
  out.push('');
  const s2 = [['dataset', 'layer', 'diff cycles', 'orig cycles', 'dense cycles', 'diff vs dense', 'diff vs orig', 'diff vs dense (L=inf)']];
  for (const d of r.datasets) {
    for (const l of d.layers) {
      s2.push([d.name, l.layer, String(l.cycles.diff), String(l.cycles.orig), String(l.cycles.dense), times(l.cycles.speedupVsDense), times(l.cycles.speedupVsOrig), times(l.cycles.speedupVsDensePacking)]);
    }
  }
  s2.push(['paper', '-', '-', '-', '-', `up to ${times(r.paper.speedupUpTo, 1)}`, '-', '-']);
  out.push(...table(s2, 2), '');
  out.push(`Defo per layer (step 1 original, step 2 difference, decision from step 3); cycles over steps 1..${c.frames}`);
  out.push('');
  const s3 = [['dataset', 'layer', 'cycle_act', 'cycle_diff', 'picks', 'Defo cycles', 'all-orig', 'all-diff', 'dense']];
  for (const d of r.datasets) {
    for (const l of d.layers) {
      const sat = (v: number) => `${v}${v === SAT16 ? ' (sat)' : ''}`;
      s3.push([d.name, l.layer, sat(l.defo.cycleAct), sat(l.defo.cycleDiff), l.defo.picks, String(l.defo.scheduleCycles), String(l.defo.allOrigCycles), String(l.defo.allDiffCycles), String(l.defo.denseCycles)]);
    }
  }
  out.push(...table(s3, 2), '');
  for (const d of r.datasets) {
    out.push(
      `exact (${d.name}): ${d.check.exact ? 'yes' : 'NO'} — steps 1..${d.check.steps}, ${d.check.tokens} tokens, both layers, golden encoder/PE/VPU vs dense integer; ` +
        `fast statistics = golden model: ${d.check.modelsAgree ? 'yes' : 'NO'} (${d.check.goldenWords} words)`,
    );
  }
  return out;
}
