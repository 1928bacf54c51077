// Golden model of CMC condensed GEMM, scatter and recovery at the matrix level (SPEC §2.4),
// and the whole condensed projection over a video segment (SPEC §3).
//
//   condensed GEMM  Y_c = X_c · W on the informative rows only, in ITT order: int8 × int8
//                   products summed in int32 (exact for K ≤ 131,072: |Y| ≤ K · 2^14), then the
//                   §1.5 requantiser (sim/golden/ditto/vpu.ts `requantize`) per element → int8.
//   scatter         the value of output column (PE column / adder tree) j for streamed row (t, i)
//                   goes to bank j, entry e(t, i) — its original position; e(t, i) = t·N + i.
//   recovery        for each N-ITT entry (t, i, j*): copy the whole entry e(t_ref, j*) (every
//                   bank) to entry e(t, i).
// End to end: the recovered buffer read row by row equals the dense result with every
// non-informative row replaced by its reference's computed row (references are informative,
// never chained), and every informative row exact.
import { requantize, type RequantParams } from '../ditto/vpu.ts';
import type { NittEntry, Prediction, RowId } from './prediction.ts';

export type Matrix = number[][];

function checkInt8(v: number, what: string): void {
  if (!Number.isInteger(v) || v < -128 || v > 127) throw new RangeError(`${what} = ${v} is not int8`);
}

/** int32 row · W (K × Nout): exact sums, wrapped to int32 (cannot wrap for K ≤ 131,072). */
export function rowTimesW(x: ArrayLike<number>, W: Matrix): number[] {
  const K = W.length;
  if (x.length !== K) throw new RangeError(`row of ${x.length} elements against W with K = ${K}`);
  const Nout = K === 0 ? 0 : W[0].length;
  const y = new Array<number>(Nout).fill(0);
  for (let k = 0; k < K; k++) {
    checkInt8(x[k], `x[${k}]`);
    const wk = W[k];
    for (let c = 0; c < Nout; c++) y[c] += x[k] * wk[c];
  }
  return y.map((v) => v | 0);
}

export interface GemmRow {
  id: RowId;
  /** int32 accumulators */
  acc: number[];
  /** requantised int8 */
  y: number[];
}

/** The condensed GEMM: the informative rows of X (in ITT order) times W, requantised. */
export function condensedGemm(X: readonly (readonly ArrayLike<number>[])[], itt: readonly RowId[], W: Matrix, rq: RequantParams): GemmRow[] {
  for (const row of W) for (const v of row) checkInt8(v, 'W');
  return itt.map((id) => {
    const acc = rowTimesW(X[id.t][id.i], W);
    return { id, acc, y: acc.map((v) => requantize(v, rq)) };
  });
}

/** A banked buffer: banks[j][entry], undefined = never written. */
export type Banks = (number | undefined)[][];

export function emptyBanks(banks: number, entries: number): Banks {
  return Array.from({ length: banks }, () => new Array<number | undefined>(entries).fill(undefined));
}

/** Entry of row (t, i) in the buffer: t·N + i. */
export function entryOf(id: RowId, N: number): number {
  return id.t * N + id.i;
}

/** Scatter: column j of streamed row (t, i) to bank j, entry e(t, i). */
export function scatter(buf: Banks, rows: readonly { id: RowId; y: readonly number[] }[], N: number): void {
  for (const r of rows) {
    if (r.y.length !== buf.length) throw new RangeError(`a row of ${r.y.length} columns into ${buf.length} banks`);
    const e = entryOf(r.id, N);
    r.y.forEach((v, j) => {
      if (e >= buf[j].length) throw new RangeError(`entry ${e} beyond ${buf[j].length} entries`);
      buf[j][e] = v;
    });
  }
}

/** Recovery: for each (t, i, j*), entry e(t_ref, j*) of every bank → entry e(t, i). */
export function recover(buf: Banks, nitt: readonly NittEntry[], N: number): void {
  for (const n of nitt) {
    const src = entryOf({ t: n.tRef, i: n.j }, N);
    const dst = entryOf(n, N);
    for (const bank of buf) {
      const v = bank[src];
      if (v === undefined) throw new RangeError(`recovery of (${n.t}, ${n.i}) reads entry ${src}, never written (a chained or missing reference)`);
      bank[dst] = v;
    }
  }
}

/** Read the buffer back as a T·N × banks matrix (every entry must be written). */
export function readBanks(buf: Banks, rows: number): Matrix {
  return Array.from({ length: rows }, (_, e) =>
    buf.map((bank, j) => {
      const v = bank[e];
      if (v === undefined) throw new RangeError(`entry ${e} of bank ${j} never written`);
      return v;
    }),
  );
}

export interface CondensedProjection {
  /** the recovered output, T·N rows (row e(t, i)) × Nout int8 */
  Y: Matrix;
  /** the dense reference: every row computed */
  dense: Matrix;
  /** the dense reference with every non-informative row replaced by its reference's row */
  expected: Matrix;
  gemmRows: number;
  denseRows: number;
}

/** The whole condensed projection of a segment: GEMM on informative rows, scatter, recovery. */
export function condensedProjection(X: readonly (readonly ArrayLike<number>[])[], W: Matrix, rq: RequantParams, pred: Prediction): CondensedProjection {
  const T = X.length;
  const N = T === 0 ? 0 : X[0].length;
  const Nout = W.length === 0 ? 0 : W[0].length;
  const rows = condensedGemm(X, pred.itt, W, rq);
  const buf = emptyBanks(Nout, T * N);
  scatter(buf, rows, N);
  recover(buf, pred.nitt, N);
  const dense: Matrix = [];
  for (let t = 0; t < T; t++) for (let i = 0; i < N; i++) dense.push(rowTimesW(X[t][i], W).map((v) => requantize(v, rq)));
  const expected = dense.map((_, e) => {
    const r = pred.ref[Math.floor(e / N)][e % N];
    return dense[entryOf(r, N)];
  });
  return { Y: readBanks(buf, T * N), dense, expected, gemmRows: rows.length, denseRows: T * N };
}
