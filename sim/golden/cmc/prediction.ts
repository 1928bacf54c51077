// Golden model of CMC prediction (SPEC §2.2, §2.3): inter-matrix (token) prediction over
// segments of G matrices, intra-matrix (vector) prediction over row segments of G_v rows, and
// the tables ITT / N-ITT (inter) and IVT / N-IVT (intra).
//
// Inter: the T matrices (one per frame, N tokens each) are cut into consecutive segments of G
// (the last one may be shorter); the I matrix of a segment of length g is the one at index
// floor((g − 1)/2) within it (a short last segment uses its own g). Every token of the I
// matrix is informative. Token i of a P matrix t is searched among the I tokens (sim/golden/
// cmc/search.ts: full search or radius R, ties to the lowest j) and is informative iff
// SADmin ≥ Thr_T, else non-informative with reference (t_I, j*).
// Intra: within each matrix the rows are cut into segments of G_v; the reference row of a
// segment of length g is index floor((g − 1)/2) within it; every other row r is compared with
// it alone (SAD) and is non-informative iff SAD < Thr_V. A reference row is informative.
// A layer uses one kind or the other, so a reference is always an informative row: references
// never chain.
// Tables: ITT (IVT) lists the informative (t, i) in ascending (t, i); N-ITT (N-IVT) lists
// (t, i, j*) — the non-informative token and its reference index within the reference matrix
// (the segment's I matrix; for intra, the same matrix t) — in ascending (t, i).
import { sad } from './sad.ts';
import { type SearchWindow, type TokenGrid, candidates, searchToken } from './search.ts';

/** A token / row: matrix t, index i. */
export interface RowId {
  t: number;
  i: number;
}

/** A non-informative entry (t, i, j*): its reference is row j* of matrix `tRef`. */
export interface NittEntry extends RowId {
  j: number;
  /** the reference matrix (the segment's I matrix for inter, t itself for intra) */
  tRef: number;
  /** the SAD that decided it (SADmin for inter, SAD to the reference row for intra) */
  sad: number;
}

export interface Segment {
  start: number;
  len: number;
  /** index (absolute) of the reference matrix / row: start + floor((len − 1)/2) */
  ref: number;
}

/** Consecutive segments of `g` items over `count` items; the last may be shorter. */
export function segments(count: number, g: number): Segment[] {
  if (!Number.isInteger(g) || g < 1) throw new RangeError(`segment length G = ${g}`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`item count ${count}`);
  const out: Segment[] = [];
  for (let s = 0; s < count; s += g) {
    const len = Math.min(g, count - s);
    out.push({ start: s, len, ref: s + Math.floor((len - 1) / 2) });
  }
  return out;
}

export interface Prediction {
  /** informative[t][i] */
  informative: boolean[][];
  /** the reference of every row: itself when informative */
  ref: RowId[][];
  /** ascending (t, i) */
  itt: RowId[];
  /** ascending (t, i) */
  nitt: NittEntry[];
  /** informative / total rows */
  informativeFraction: number;
}

function finish(T: number, N: number, informative: boolean[][], nitt: NittEntry[]): Prediction {
  const itt: RowId[] = [];
  const ref: RowId[][] = Array.from({ length: T }, (_, t) => Array.from({ length: N }, (_, i) => ({ t, i })));
  for (let t = 0; t < T; t++) for (let i = 0; i < N; i++) if (informative[t][i]) itt.push({ t, i });
  nitt.sort((a, b) => a.t - b.t || a.i - b.i);
  for (const e of nitt) ref[e.t][e.i] = { t: e.tRef, i: e.j };
  const total = T * N;
  return { informative, ref, itt, nitt, informativeFraction: total === 0 ? 1 : itt.length / total };
}

function shape(X: readonly (readonly ArrayLike<number>[])[]): { T: number; N: number } {
  const T = X.length;
  const N = T === 0 ? 0 : X[0].length;
  for (const m of X) if (m.length !== N) throw new RangeError(`every matrix needs ${N} tokens, found ${m.length}`);
  return { T, N };
}

export interface InterOptions {
  /** segment length G (default 4) */
  G?: number;
  /** Thr_T: informative iff SADmin ≥ thr */
  thr: number;
  /** token grid for radius search (required for a radius window; H·W = N) */
  grid?: TokenGrid;
  /** default: full search */
  window?: SearchWindow;
}

/** Inter-matrix prediction of X[t][i] (T matrices × N tokens × n elements). */
export function predictInter(X: readonly (readonly ArrayLike<number>[])[], o: InterOptions): Prediction {
  const { T, N } = shape(X);
  const win = o.window ?? { kind: 'full' };
  const grid = o.grid ?? { H: 1, W: N };
  if (grid.H * grid.W !== N) throw new RangeError(`grid ${grid.H}×${grid.W} does not hold N = ${N} tokens`);
  const informative = Array.from({ length: T }, () => Array.from({ length: N }, () => true));
  const nitt: NittEntry[] = [];
  for (const seg of segments(T, o.G ?? 4)) {
    const iTokens = X[seg.ref];
    for (let t = seg.start; t < seg.start + seg.len; t++) {
      if (t === seg.ref) continue;
      for (let i = 0; i < N; i++) {
        const r = searchToken(X[t][i], iTokens, candidates(i, grid, win), o.thr);
        if (!r.informative) {
          informative[t][i] = false;
          nitt.push({ t, i, j: r.jStar, tRef: seg.ref, sad: r.sadMin });
        }
      }
    }
  }
  return finish(T, N, informative, nitt);
}

export interface IntraOptions {
  /** row segment length G_v */
  Gv: number;
  /** Thr_V: non-informative iff SAD < thr */
  thr: number;
}

/** Intra-matrix prediction of every matrix X[t] (rows = tokens). */
export function predictIntra(X: readonly (readonly ArrayLike<number>[])[], o: IntraOptions): Prediction {
  const { T, N } = shape(X);
  const informative = Array.from({ length: T }, () => Array.from({ length: N }, () => true));
  const nitt: NittEntry[] = [];
  for (let t = 0; t < T; t++) {
    for (const seg of segments(N, o.Gv)) {
      for (let r = seg.start; r < seg.start + seg.len; r++) {
        if (r === seg.ref) continue;
        const s = sad(X[t][r], X[t][seg.ref]);
        if (s < o.thr) {
          informative[t][r] = false;
          nitt.push({ t, i: r, j: seg.ref, tRef: t, sad: s });
        }
      }
    }
  }
  return finish(T, N, informative, nitt);
}

/** IVT / N-IVT are the ITT / N-ITT of an intra prediction (same shapes, other names). */
export function vectorTables(p: Prediction): { ivt: RowId[]; nivt: NittEntry[] } {
  return { ivt: p.itt, nivt: p.nitt };
}
