// The two layers of `dcgen eval ditto` on a dataset, by the fast path: plain integer arithmetic
// over whole tiles, with the statistics of stats.ts per step (run.ts checks both against the
// golden layer model on a token subset).
//
// LAYERS (the same two for every dataset; weights of data.ts seededWeights):
//   L0  K = 768 → N = 64 (the projection of the tokens), then the VPU: requantiser calibrated
//       on step 1 (output RMS ≈ 32 codes) and a GELU table (in/out scale 1/32)
//   L1  K = 64 → N = 64 on L0's int8 outputs, requantiser calibrated likewise, identity table
// Per layer, over steps 2..T (where a temporal difference exists): the classes, bit operations
// and tile cycles of the difference and the original mode and of the dense baseline.
// Defo (sim/golden/ditto/defo.ts) per layer: step 1 original, step 2 difference, its choice
// from step 3 on; the tile cycles are what it measures.
import { type ClassCounts, denseBops, denseTileCycles } from '../../cycles/ditto/cost.ts';
import { DefoUnit, SAT16 } from '../../golden/ditto/defo.ts';
import type { Mode } from '../../golden/ditto/encoder.ts';
import { type RequantParams, activationTable, lookup, requantize } from '../../golden/ditto/vpu.ts';
import { r6 } from '../common.ts';
import type { DittoEvalOptions } from './options.ts';
import { type ModeFractions, fractions, tileStats } from './stats.ts';

/** Requantiser calibration target: RMS of the int8 output codes at step 1. */
export const TARGET_RMS = 32;
/** Activation table scale (codes → real): 1/32 in and out. */
export const ACT_SCALE = 1 / 32;

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

/** A layer's evaluation, and what the next layer and the golden check need of it. */
export interface LayerRun {
  eval: LayerEval;
  outputs: Int8Array[];
  W: Int8Array;
  rq: RequantParams;
  tab: Int8Array;
}

export function runLayer(name: string, steps: Int8Array[], M: number, K: number, N: number, W: Int8Array, activation: 'gelu' | 'identity', o: DittoEvalOptions): LayerRun {
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
