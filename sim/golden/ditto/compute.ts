// Golden model of the Ditto compute unit at transaction level (SPEC §1.4):
// Y[m][n] = Σ_k D[m][k] · W[k][n] (int32), computed from the encoder's words the way a row of
// PEs does it (PE n reads W[k][n] for each valid slot's k), checked against the dense product.
// Costs: a vector takes max(words, ceil(K / L)) cycles on a row (packing bound or ingest
// bound); the dense A8W8 baseline on the same PEs takes ceil(K / 2) cycles per vector (every
// element FULL, nothing skipped).
import { type Mode, type Word, encodeVector } from './encoder.ts';
import { type PeSlot, type PeWord, peStream } from './pe.ts';

export type Matrix = number[][];

function int32(v: number): number {
  return v | 0;
}

export function shape(a: Matrix): [number, number] {
  return [a.length, a.length === 0 ? 0 : a[0].length];
}

/** Dense integer product, int32 wrap (exact for the ranges of SPEC §1). */
export function denseMatmul(a: Matrix, b: Matrix): Matrix {
  const [M, K] = shape(a);
  const [K2, N] = shape(b);
  if (K !== K2) throw new RangeError(`matmul: ${M}x${K} by ${K2}x${N}`);
  const out: Matrix = [];
  for (let m = 0; m < M; m++) {
    const row = new Array<number>(N).fill(0);
    for (let k = 0; k < K; k++) {
      const x = a[m][k];
      if (x === 0) continue;
      const wr = b[k];
      for (let n = 0; n < N; n++) row[n] += x * wr[n];
    }
    out.push(row.map(int32));
  }
  return out;
}

export function transpose(a: Matrix): Matrix {
  const [R, C] = shape(a);
  return Array.from({ length: C }, (_, c) => Array.from({ length: R }, (_, r) => a[r][c]));
}

export function matAdd(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => int32(v + b[i][j])));
}

export function matSub(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => v - b[i][j]));
}

export function matEqual(a: Matrix, b: Matrix): boolean {
  return a.length === b.length && a.every((row, i) => row.length === b[i].length && row.every((v, j) => v === b[i][j]));
}

/** The PE words PE `n` sees for one vector's encoded words. */
export function peWordsFor(words: readonly Word[], W: Matrix, n: number): PeWord[] {
  return words.map((wd) => ({
    slots: wd.slots.map((sl): PeSlot => ({ valid: sl.valid, s: sl.s, n: sl.n, h: sl.h, w: sl.valid ? W[sl.k][n] : 0 })) as PeWord['slots'],
    clear: 0,
    last: wd.last,
  }));
}

/** One output row from one vector's words, through the PE model (accBits = 32). */
export function rowFromWords(words: readonly Word[], W: Matrix): number[] {
  const N = W.length === 0 ? 0 : W[0].length;
  const row: number[] = [];
  for (let n = 0; n < N; n++) {
    const out = peStream(peWordsFor(words, W, n), 32);
    if (out.length !== 1) throw new Error(`a vector's words must end with exactly one last word (found ${out.length})`);
    row.push(Number(out[0]));
  }
  return row;
}

export interface EncodedMatrix {
  /** words per row of the activation-side matrix */
  rows: Word[][];
  K: number;
}

/** Encode the rows of A (differences A − Aprev, or originals when Aprev is undefined). */
export function encodeRows(A: Matrix, Aprev: Matrix | undefined, mode: Mode): EncodedMatrix {
  const rows = A.map((row, m) => encodeVector(row, Aprev ? Aprev[m] : undefined, mode));
  return { rows, K: shape(A)[1] };
}

/** Y = D · W from encoded rows. */
export function computeFromWords(enc: EncodedMatrix, W: Matrix): Matrix {
  if (W.length !== enc.K) throw new RangeError(`W has ${W.length} rows, K = ${enc.K}`);
  return enc.rows.map((words) => rowFromWords(words, W));
}

export interface CostStats {
  vectors: number;
  words: number;
  /** Σ max(words, ceil(K/L)) */
  cycles: number;
  /** Σ ceil(K/2) */
  denseCycles: number;
  /** valid slots (4-bit × 8-bit multiplies) */
  slots: number;
  nzero: number;
  nlow: number;
  nfull: number;
  /** bit operations: 4·8 per valid slot */
  bops: number;
  /** dense A8W8 bit operations: 8·8 per element */
  denseBops: number;
}

export function vectorCycles(words: number, K: number, lanes: number): number {
  return Math.max(words, Math.ceil(K / lanes));
}

export function denseVectorCycles(K: number): number {
  return Math.ceil(K / 2);
}

export function costOf(enc: EncodedMatrix, lanes: number): CostStats {
  const st: CostStats = { vectors: 0, words: 0, cycles: 0, denseCycles: 0, slots: 0, nzero: 0, nlow: 0, nfull: 0, bops: 0, denseBops: 0 };
  for (const words of enc.rows) {
    st.vectors++;
    st.words += words.length;
    st.cycles += vectorCycles(words.length, enc.K, lanes);
    st.denseCycles += denseVectorCycles(enc.K);
    for (const w of words) for (const sl of w.slots) st.slots += sl.valid;
    const last = words[words.length - 1];
    st.nzero += last.nzero;
    st.nlow += last.nlow;
    st.nfull += last.nfull;
    st.denseBops += enc.K * 64;
  }
  st.bops = st.slots * 32;
  return st;
}

export function addCosts(a: CostStats, b: CostStats): CostStats {
  const r = { ...a };
  for (const key of Object.keys(b) as (keyof CostStats)[]) r[key] += b[key];
  return r;
}

export function zeroCosts(): CostStats {
  return { vectors: 0, words: 0, cycles: 0, denseCycles: 0, slots: 0, nzero: 0, nlow: 0, nfull: 0, bops: 0, denseBops: 0 };
}

/**
 * Y = (A − Aprev) · W (or A · W in original mode) through the encoder and the PEs, plus the
 * check that it equals the dense product of the same operands.
 */
export function computeChecked(A: Matrix, Aprev: Matrix | undefined, W: Matrix, mode: Mode, lanes = 4): { Y: Matrix; cost: CostStats; equalsDense: boolean } {
  if (mode === 'diff' && !Aprev) throw new Error('computeChecked: difference mode needs the previous step (Aprev)');
  const enc = encodeRows(A, mode === 'diff' ? Aprev : undefined, mode);
  const Y = computeFromWords(enc, W);
  const D = mode === 'diff' ? matSub(A, Aprev!) : A;
  return { Y, cost: costOf(enc, lanes), equalsDense: matEqual(Y, denseMatmul(D, W)) };
}
