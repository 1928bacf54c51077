// Golden model of CMC condensed GEMM, scatter and recovery at the matrix level (SPEC §2.4),
// and the whole condensed projection over a video segment (SPEC §3).
//
//   condensed GEMM  Y_c = X_c · W on the informative rows only, in ITT order: int8 × int8
//                   products summed in int32 (exact for K < 131,072: |Y| ≤ K · 2^14 < 2^31), then the
//                   §1.5 requantiser (sim/golden/ditto/vpu.ts `requantize`) per element → int8.
//   scatter         the value of output column (PE column / adder tree) j for streamed row (t, i)
//                   goes to bank j, entry e(t, i) — its original position; e(t, i) = t·N + i.
//   recovery        for each N-ITT entry (t, i, j*): copy the whole entry e(t_ref, j*) (every
//                   bank) to entry e(t, i).
// End to end: the recovered buffer read row by row equals the dense result with every
// non-informative row replaced by its reference's computed row (references are informative,
// never chained), and every informative row exact.
import { gemmGeometry } from '../../../generator/spec/cmc/gemm.ts';
import { requantize, type RequantParams } from '../ditto/vpu.ts';
import type { NittEntry, Prediction, RowId } from './prediction.ts';

export type Matrix = number[][];

function checkInt8(v: number, what: string): void {
  if (!Number.isInteger(v) || v < -128 || v > 127) throw new RangeError(`${what} = ${v} is not int8`);
}

/** int32 row · W (K × Nout): exact sums, wrapped to int32 (cannot wrap for K < 131,072). */
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

// ---- the GEMM engine's streams (generator/blocks/cmc/gemm.ts, module cmc_gemm) ----
//
// e elements per beat, B PE columns, K inputs, nOut outputs; KB = K/e beats per tile,
// U = nOut/B tiles. A weight load is U·B·KB `w` beats in order (u, j, b): beat (u, j, b)
// carries W[b·e + kk][u·B + j] in d_kk. A row is U tiles of KB `x` beats: beat b of tile u
// carries x[b·e + kk] in d_kk, and the tile's final beat carries `entry` and `last`. Each tile
// gives one `out` beat: acc_j = Σ_k x_k·W[k][u·B + j] (int32, wraps), y_j = requantize(acc_j),
// entry, u, last.

export interface GemmEngineConfig {
  /** elements per beat */
  e: number;
  /** PE columns (output banks) */
  B: number;
  /** input length (a multiple of e) */
  K: number;
  /** outputs (a multiple of B) */
  nOut: number;
}

export type GemmBeat = Record<string, number>;
/** A beat as read back (stimulus values may be bigint). */
export type GemmBeatIn = Readonly<Record<string, number | bigint>>;

/** The block's geometry (generator/spec/cmc/gemm.ts): KB = K/e beats per tile, U = nOut/B tiles. */
function gemmShape(c: GemmEngineConfig): { KB: number; U: number } {
  if (c.K % c.e !== 0 || c.nOut % c.B !== 0) throw new RangeError(`GEMM engine: K = ${c.K} must be a multiple of e = ${c.e}, nOut = ${c.nOut} of B = ${c.B}`);
  return gemmGeometry({ elemsPerBeat: c.e, cols: c.B, k: c.K, nOut: c.nOut });
}

/** Beats per weight load (U·B·KB) and per row (U·KB). */
export function gemmBeatsPerLoad(c: GemmEngineConfig): number {
  const { KB, U } = gemmShape(c);
  return U * c.B * KB;
}
export function gemmBeatsPerRow(c: GemmEngineConfig): number {
  const { KB, U } = gemmShape(c);
  return U * KB;
}

/** The `w` beats of one weight load of W (K × nOut int8), in (u, j, b) order. */
export function gemmWeightBeats(W: Matrix, c: GemmEngineConfig): GemmBeat[] {
  const { KB, U } = gemmShape(c);
  if (W.length !== c.K || W.some((r) => r.length !== c.nOut)) throw new RangeError(`W must be ${c.K} x ${c.nOut}`);
  for (const row of W) for (const v of row) checkInt8(v, 'W');
  const beats: GemmBeat[] = [];
  for (let u = 0; u < U; u++)
    for (let j = 0; j < c.B; j++)
      for (let b = 0; b < KB; b++) beats.push(Object.fromEntries(Array.from({ length: c.e }, (_, kk) => [`d_${kk}`, W[b * c.e + kk][u * c.B + j]])));
  return beats;
}

/**
 * The `x` beats of one row (K int8): U tiles of KB beats. Every tile's final beat carries
 * `entry` and `last`; the other beats carry `filler()` (default 0 and 0: ignored by the block).
 */
export function gemmRowBeats(x: ArrayLike<number>, c: GemmEngineConfig, entry: number, last: number, filler: () => { entry: number; last: number } = () => ({ entry: 0, last: 0 })): GemmBeat[] {
  const { KB, U } = gemmShape(c);
  if (x.length !== c.K) throw new RangeError(`row of ${x.length} elements, K = ${c.K}`);
  for (let k = 0; k < c.K; k++) checkInt8(x[k], `x[${k}]`);
  const beats: GemmBeat[] = [];
  for (let u = 0; u < U; u++)
    for (let b = 0; b < KB; b++) {
      const tag = b === KB - 1 ? { entry, last } : filler();
      beats.push({ ...Object.fromEntries(Array.from({ length: c.e }, (_, kk) => [`d_${kk}`, x[b * c.e + kk]])), ...tag });
    }
  return beats;
}

/** W (K × nOut) back from the beats of one load. */
export function gemmWeightsOfBeats(beats: readonly GemmBeatIn[], c: GemmEngineConfig): Matrix {
  const { KB, U } = gemmShape(c);
  if (beats.length !== U * c.B * KB) throw new RangeError(`a load is ${U * c.B * KB} beats, found ${beats.length}`);
  const W: Matrix = Array.from({ length: c.K }, () => new Array<number>(c.nOut).fill(0));
  let q = 0;
  for (let u = 0; u < U; u++) for (let j = 0; j < c.B; j++) for (let b = 0; b < KB; b++, q++) for (let kk = 0; kk < c.e; kk++) W[b * c.e + kk][u * c.B + j] = Number(beats[q][`d_${kk}`]);
  return W;
}

/**
 * For each row, how many whole loads the block accepted before the row's first beat, from the
 * cycles the beats were accepted (a load never splits a row, nor a row a load).
 */
export function gemmLoadsBefore(wAccepted: readonly number[], xAccepted: readonly number[], c: GemmEngineConfig): number[] {
  const perLoad = gemmBeatsPerLoad(c);
  const perRow = gemmBeatsPerRow(c);
  const loadEnds = wAccepted.filter((_, i) => i % perLoad === perLoad - 1);
  const rows = Math.floor(xAccepted.length / perRow);
  return Array.from({ length: rows }, (_, r) => loadEnds.filter((cy) => cy < xAccepted[r * perRow]).length);
}

/**
 * The `out` beats of the engine for `w` and `x` beat streams. `loadsBefore[r]`: whole loads
 * accepted before row r (default: every load before every row — exact when the loads come
 * first and w always wins, e.g. a single load offered from cycle 0 without idle cycles). A row
 * before any load reads the never-written weight memory: only an all-zero row is defined then
 * (acc 0), anything else throws.
 */
export function gemmEngineStream(w: readonly GemmBeatIn[], x: readonly GemmBeatIn[], c: GemmEngineConfig, rq: RequantParams, loadsBefore?: readonly number[]): GemmBeat[] {
  const { KB, U } = gemmShape(c);
  const perLoad = gemmBeatsPerLoad(c);
  const perRow = gemmBeatsPerRow(c);
  if (w.length % perLoad !== 0) throw new RangeError(`${w.length} w beats: not whole loads of ${perLoad}`);
  if (x.length % perRow !== 0) throw new RangeError(`${x.length} x beats: not whole rows of ${perRow}`);
  const loads = Array.from({ length: w.length / perLoad }, (_, l) => gemmWeightsOfBeats(w.slice(l * perLoad, (l + 1) * perLoad), c));
  const out: GemmBeat[] = [];
  for (let r = 0; r < x.length / perRow; r++) {
    const before = loadsBefore ? loadsBefore[r] : loads.length;
    const beats = x.slice(r * perRow, (r + 1) * perRow);
    for (let u = 0; u < U; u++) {
      const tile = beats.slice(u * KB, (u + 1) * KB);
      const xs = tile.flatMap((bt) => Array.from({ length: c.e }, (_, kk) => Number(bt[`d_${kk}`])));
      let acc: number[];
      if (before === 0) {
        if (xs.some((v) => v !== 0)) throw new RangeError(`row ${r} is accepted before any weight load (only an all-zero row is defined then)`);
        acc = new Array<number>(c.B).fill(0);
      } else {
        // tile u of the row as sent (every tile carries the whole row) times columns u·B .. u·B + B − 1
        acc = rowTimesW(xs, loads[before - 1]).slice(u * c.B, (u + 1) * c.B);
      }
      const fin = tile[KB - 1];
      const beat: GemmBeat = {};
      acc.forEach((v, j) => (beat[`y_${j}`] = requantize(v, rq)));
      acc.forEach((v, j) => (beat[`acc_${j}`] = v));
      Object.assign(beat, { entry: Number(fin.entry), u, last: Number(fin.last) });
      out.push(beat);
    }
  }
  return out;
}
