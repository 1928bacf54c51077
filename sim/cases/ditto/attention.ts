// Cosimulation cases of attention by differences (SPEC §1.7) on the RTL compute unit
// `ditto.compute` (default parameters: 2 rows × 4 columns, kMax 256, one Verilator build).
//
// One seeded sequence of int8 matrices over STEPS time steps (processing order; step i + 1 is
// "t" and step i is "t+1" of the SPEC): Q_t, K_t, V_t (TOKENS × DIMS, temporally coherent:
// mostly ZERO/LOW differences, some FULL ones, and directed ±255 jumps) and P_t (TOKENS ×
// TOKENS), a quantised score: P_t = clamp(round(Q_t·K_tᵀ / 2^8)).
//
// Each product kind of §1.7 is one case (one weight load, then word streams):
//   qk_dq  step 1: Q_1·K_1ᵀ (original mode);   step t > 1: ΔQ·K_{t+1}ᵀ   (ΔQ = Q_t − Q_{t+1})
//   qk_dk  step t > 1: ΔK·Q_tᵀ        — the difference ΔK on the activation side, Q_t (int8) as weights
//   pv_dp  step 1: P_1·V_1 (original mode);    step t > 1: ΔP·V_{t+1}
//   pv_dv  step t > 1: ΔVᵀ·P_tᵀ = (P_t·ΔV)ᵀ — ΔV on the activation side, P_t (int8) as weights
// Activations are the golden encoder's words (encodeVector) built from the (x_t, x_{t+1}) pairs
// in difference mode (9-bit differences, −255..255), or from x_t in original mode.
//
// LAYOUT. The cosim streams are independent (a second weight load could overtake words still
// in flight), so a case loads its weights once: every (step, column tile) job of the kind gets
// its own block of weight rows k ∈ [base, base + K) (column tiles of width C = cols; a weight
// matrix wider than C, V_{t+1} with DIMS = 8 columns, is split into tiles, narrower ones are
// padded with zero columns). A job's activation vector is the encoder vector of length
// base + K whose first `base` elements are ZERO (x_t = x_{t+1} = 0, dropped by the encoder, no
// word slot), so its slots carry k = base + j and read the job's block only. Vectors go to the
// rows round-robin; every vector yields one output beat on its row.
//
// The cosim checks every output beat against the golden compute model (PE model, cross-checked
// with the dense product; sim/cases/ditto/compute.ts computeGolden) and every cycle against
// sim/cycles/ditto/compute.ts. `attentionProducts` reads the RTL's products back from a
// report's transactions, so the test (test/blocks/ditto/attention.test.ts) can assemble
// S_t = S_{t+1} + ΔQ·K_{t+1}ᵀ + (ΔK·Q_tᵀ)ᵀ and O_t = O_{t+1} + ΔP·V_{t+1} + P_t·ΔV from them and
// compare with the direct products at every step.
import { type ComputeParams, computeGroup } from '../../../generator/spec/ditto/compute.ts';
import type { Transaction } from '../../stimulus/format.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { type Matrix, denseMatmul, transpose } from '../../golden/ditto/compute.ts';
import { type Mode, type Word, encodeVector } from '../../golden/ditto/encoder.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { DENSE, type DittoCase, type Mix, REAL, caseParams, pickClass } from './common.ts';
import { computeCaseCycles, computeGolden } from './compute.ts';
import { weightBeats, wordBeat } from './compute-words.ts';

type P = Pick<ComputeParams, 'rows' | 'cols' | 'kMax' | 'wGroup' | 'stages'>;

export const ATTENTION_TOKENS = 4;
export const ATTENTION_DIMS = 8;
export const ATTENTION_STEPS = 5;
/** P_t = clamp(round(S_t / 2^P_SHIFT), −128, 127) */
export const P_SHIFT = 8;

// ---- the sequence ----

export interface AttentionSequence {
  /** index i = processing step i + 1 */
  Qs: Matrix[];
  Ks: Matrix[];
  Vs: Matrix[];
  Ps: Matrix[];
}

function clamp8(v: number): number {
  return Math.max(-128, Math.min(127, v));
}

function randomInt8Matrix(rng: Rng, R: number, C: number): Matrix {
  return Array.from({ length: R }, () => Array.from({ length: C }, () => (rng.chance(0.1) ? rng.pick([-128, 127, 0]) : rng.int(-128, 127))));
}

/** The next step's matrix: per element a difference of the mix's class, kept in the int8 range. */
function evolve(rng: Rng, prev: Matrix, mix: Mix): Matrix {
  return prev.map((row) =>
    row.map((xp) => {
      const cls = pickClass(rng, mix);
      if (cls === 'zero') return xp;
      let mag = cls === 'low' ? rng.int(1, 15) : rng.int(16, 255);
      const up = 127 - xp;
      const down = xp + 128;
      let sign = rng.chance(0.5) ? 1 : -1;
      if ((sign > 0 ? up : down) < mag) sign = -sign;
      mag = Math.min(mag, sign > 0 ? up : down); // up + down = 255: the larger room is ≥ 128
      return xp + sign * mag;
    }),
  );
}

/** P = clamp(round(S / 2^P_SHIFT)): a quantised score. */
export function quantisedScore(S: Matrix): Matrix {
  return S.map((row) => row.map((v) => clamp8(Math.floor((v + 2 ** (P_SHIFT - 1)) / 2 ** P_SHIFT))));
}

/** The seeded sequence (the same for every product kind of a seed). */
export function attentionSequence(seed: number, steps = ATTENTION_STEPS, tokens = ATTENTION_TOKENS, dims = ATTENTION_DIMS): AttentionSequence {
  const rng = new Rng(seed * 104729 + 17);
  const Qs: Matrix[] = [randomInt8Matrix(rng, tokens, dims)];
  const Ks: Matrix[] = [randomInt8Matrix(rng, tokens, dims)];
  const Vs: Matrix[] = [randomInt8Matrix(rng, tokens, dims)];
  for (let i = 1; i < steps; i++) {
    Qs.push(evolve(rng, Qs[i - 1], rng.pick([REAL, REAL, DENSE])));
    Ks.push(evolve(rng, Ks[i - 1], rng.pick([REAL, REAL, DENSE])));
    Vs.push(evolve(rng, Vs[i - 1], rng.pick([REAL, REAL, DENSE])));
  }
  // directed full-range jumps: d = +255 / −255 on each of Q, K, V (−128 ↔ 127 on alternate steps)
  for (let i = 0; i < steps; i++) {
    const ext = i % 2 === 0 ? -128 : 127;
    Qs[i][0][0] = ext;
    Ks[i][tokens - 1][dims - 1] = -1 - ext;
    Vs[i][1 % tokens][2 % dims] = ext;
  }
  const Ps = Qs.map((Q, i) => quantisedScore(denseMatmul(Q, transpose(Ks[i]))));
  return { Qs, Ks, Vs, Ps };
}

// ---- product jobs and their layout on the compute unit ----

export type AttentionKind = 'qk_dq' | 'qk_dk' | 'pv_dp' | 'pv_dv';
export const ATTENTION_KINDS: readonly AttentionKind[] = ['qk_dq', 'qk_dk', 'pv_dp', 'pv_dv'];

/** One product Y = D·W with D = A − Aprev (difference mode) or A (original mode). */
export interface ProductJob {
  /** processing step (1-based) */
  step: number;
  mode: Mode;
  A: Matrix;
  Aprev?: Matrix;
  /** K × N int8 weights */
  W: Matrix;
}

/** The products of one kind over the sequence's steps. */
export function attentionJobs(kind: AttentionKind, seq: AttentionSequence): ProductJob[] {
  const { Qs, Ks, Vs, Ps } = seq;
  const jobs: ProductJob[] = [];
  for (let i = 0; i < Qs.length; i++) {
    const step = i + 1;
    if (kind === 'qk_dq') {
      jobs.push(i === 0 ? { step, mode: 'orig', A: Qs[0], W: transpose(Ks[0]) } : { step, mode: 'diff', A: Qs[i], Aprev: Qs[i - 1], W: transpose(Ks[i - 1]) });
    } else if (kind === 'pv_dp') {
      jobs.push(i === 0 ? { step, mode: 'orig', A: Ps[0], W: Vs[0] } : { step, mode: 'diff', A: Ps[i], Aprev: Ps[i - 1], W: Vs[i - 1] });
    } else if (i > 0 && kind === 'qk_dk') {
      jobs.push({ step, mode: 'diff', A: Ks[i], Aprev: Ks[i - 1], W: transpose(Qs[i]) });
    } else if (i > 0 && kind === 'pv_dv') {
      jobs.push({ step, mode: 'diff', A: transpose(Vs[i]), Aprev: transpose(Vs[i - 1]), W: transpose(Ps[i]) });
    }
  }
  return jobs;
}

interface Tile {
  job: number;
  /** first output column of the tile */
  col: number;
  /** first weight row of the tile's block */
  base: number;
}

export interface AttentionPlan {
  jobs: ProductJob[];
  tiles: Tile[];
  /** per compute row: the (tile, activation row m) of each vector, in stream order */
  rowVectors: { tile: number; m: number }[][];
  stimulus: Stimulus;
}

export function attentionPlan(p: P, kind: AttentionKind, seed: number): AttentionPlan {
  const C = p.cols;
  const G = computeGroup(p);
  const NG = C / G;
  const jobs = attentionJobs(kind, attentionSequence(seed));
  const tiles: Tile[] = [];
  let base = 0;
  jobs.forEach((job, j) => {
    const N = job.W[0].length;
    for (let col = 0; col < N; col += C) {
      tiles.push({ job: j, col, base });
      base += job.W.length;
    }
  });
  if (base > p.kMax) throw new RangeError(`attention ${kind}: ${base} weight rows > kMax ${p.kMax}`);
  const Wall: Matrix = Array.from({ length: base }, () => new Array<number>(C).fill(0));
  for (const t of tiles) {
    const W = jobs[t.job].W;
    W.forEach((wr, k) => {
      for (let n = 0; n < C; n++) Wall[t.base + k][n] = t.col + n < wr.length ? wr[t.col + n] : 0;
    });
  }
  const order: [number, number][] = [];
  for (let k = 0; k < base; k++) for (let g = 0; g < NG; g++) order.push([k, g]);
  const rowVectors: { tile: number; m: number }[][] = Array.from({ length: p.rows }, () => []);
  const rowWords: Word[][] = Array.from({ length: p.rows }, () => []);
  let v = 0;
  tiles.forEach((t, ti) => {
    const job = jobs[t.job];
    const pad = new Array<number>(t.base).fill(0);
    job.A.forEach((row, m) => {
      const r = v++ % p.rows;
      const xt = [...pad, ...row];
      const xp = job.mode === 'diff' ? [...pad, ...job.Aprev![m]] : undefined;
      rowWords[r].push(...encodeVector(xt, xp, job.mode));
      rowVectors[r].push({ tile: ti, m });
    });
  });
  const streams: Record<string, Beat[]> = { w: weightBeats(Wall, G, order) };
  rowWords.forEach((ws, r) => {
    streams[`in${r}`] = ws.map(wordBeat);
  });
  return { jobs, tiles, rowVectors, stimulus: { streams } };
}

/** The RTL's product of every job of a plan (M × N), from a seed's output transactions. */
export function attentionProducts(plan: AttentionPlan, transactions: Record<string, Transaction[]>): Matrix[] {
  const Ys: Matrix[] = plan.jobs.map((job) => job.A.map(() => new Array<number>(job.W[0].length).fill(0)));
  plan.rowVectors.forEach((vecs, r) => {
    const tr = transactions[`out${r}`] ?? [];
    if (tr.length !== vecs.length) throw new Error(`row ${r}: ${tr.length} output beats, expected ${vecs.length}`);
    vecs.forEach(({ tile, m }, i) => {
      const t = plan.tiles[tile];
      const row = Ys[t.job][m];
      for (let n = 0; t.col + n < row.length && `y_${n}` in tr[i].fields; n++) row[t.col + n] = Number(tr[i].fields[`y_${n}`]);
    });
  });
  return Ys;
}

// ---- cases ----

const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };

export const ATTENTION_PARAMS = {};

function attentionCase(kind: AttentionKind): DittoCase & { kind: AttentionKind; plan(seed: number): AttentionPlan } {
  const params = ATTENTION_PARAMS;
  const p = caseParams({ design: 'ditto.compute', params }) as unknown as P;
  const plan = (seed: number) => attentionPlan(p, kind, seed);
  return {
    name: `ditto.attention.${kind}`,
    design: 'ditto.compute',
    params,
    kind,
    plan,
    stimulus: (seed) => plan(seed).stimulus,
    golden: computeGolden(p),
    cycles: computeCaseCycles(p),
    stalls: STALLS,
    seeds: 2,
  };
}

export const dittoAttentionCases = ATTENTION_KINDS.map(attentionCase);
