// The fast SAD search of `dcgen eval cmc`: every token's SADmin and j* for every window and
// segment length at once, with typed arrays (one SAD matrix per frame pair, shared), since the
// golden model's per-token search would be far too slow for whole clips; run.ts checks it against
// the golden model on the first segment of each clip.
// PREDICTION (sim/golden/cmc/prediction.ts semantics):
//   inter  segments of G ∈ {4, 8} frames, I frame floor((g−1)/2) of each; every P token's
//          SADmin over the I tokens of the window (full search, or Chebyshev radius R ∈ {1, 2}
//          on the 14×14 grid), ties to the lowest j; informative iff SADmin ≥ Thr.
//   intra  G_v = 4: rows (tokens, raster order) in segments of 4 within each frame, reference
//          row floor((g−1)/2); a row is non-informative iff SAD(row, reference) < Thr.
//   Thr = round(τ · 768), τ ∈ {0, 0.25, 0.5, 1, 2, 4, 8, 16} (a mean absolute difference per element;
//   τ = 0 makes every token informative, by the ≥ rule). Fractions are over all T·196 tokens
//   (I tokens and reference rows count as informative).
import { segments } from '../../golden/cmc/prediction.ts';
import { type SearchWindow, candidates } from '../../golden/cmc/search.ts';

/** SAD of every token of frame A (rows) against every token of frame B: D[i·N + j]. */
export function sadMatrix(A: Int32Array, B: Int32Array, N: number, n: number): Int32Array {
  const D = new Int32Array(N * N);
  const N4 = N - (N % 4);
  for (let i = 0; i < N; i++) {
    const ao = i * n;
    let j = 0;
    for (; j < N4; j += 4) {
      const b0 = j * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < n; k++) {
        const x = A[ao + k];
        s0 += Math.abs(x - B[b0 + k]);
        s1 += Math.abs(x - B[b1 + k]);
        s2 += Math.abs(x - B[b2 + k]);
        s3 += Math.abs(x - B[b3 + k]);
      }
      D[i * N + j] = s0;
      D[i * N + j + 1] = s1;
      D[i * N + j + 2] = s2;
      D[i * N + j + 3] = s3;
    }
    for (; j < N; j++) {
      const bo = j * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.abs(A[ao + k] - B[bo + k]);
      D[i * N + j] = s;
    }
  }
  return D;
}

/** SAD of token i of frame A with token j of frame B. */
export function sadOne(A: Int32Array, i: number, B: Int32Array, j: number, n: number): number {
  let s = 0;
  const ao = i * n;
  const bo = j * n;
  for (let k = 0; k < n; k++) s += Math.abs(A[ao + k] - B[bo + k]);
  return s;
}

export interface WindowSpec {
  name: string;
  window: SearchWindow;
}

export function windowsOf(radii: readonly number[]): WindowSpec[] {
  return [{ name: 'full', window: { kind: 'full' } }, ...radii.map((R) => ({ name: `R${R}`, window: { kind: 'radius', R } as SearchWindow }))];
}

/** Per token (t, i): SADmin (−1 for I tokens) and j* (−1 for I tokens). */
export interface MinMap {
  sadMin: Int32Array;
  jStar: Int32Array;
}

/**
 * Inter prediction minima for every window and every G: one SAD matrix per (P frame, I
 * frame) pair (shared by the windows, and by the G values that share the pair).
 */
export function interMinima(frames: readonly Int32Array[], N: number, n: number, grid: { H: number; W: number }, Gs: readonly number[], wins: readonly WindowSpec[]): Map<string, MinMap> {
  const T = frames.length;
  const cands = wins.map((w) => Array.from({ length: N }, (_, i) => candidates(i, grid, w.window)));
  const cache = new Map<string, Int32Array>();
  const matrix = (t: number, r: number): Int32Array => {
    const key = `${t},${r}`;
    let D = cache.get(key);
    if (!D) {
      D = sadMatrix(frames[t], frames[r], N, n);
      cache.set(key, D);
    }
    return D;
  };
  const out = new Map<string, MinMap>();
  for (const G of Gs) {
    const maps = wins.map(() => ({ sadMin: new Int32Array(T * N).fill(-1), jStar: new Int32Array(T * N).fill(-1) }));
    for (const seg of segments(T, G)) {
      for (let t = seg.start; t < seg.start + seg.len; t++) {
        if (t === seg.ref) continue;
        const D = matrix(t, seg.ref);
        for (let i = 0; i < N; i++) {
          wins.forEach((_, w) => {
            let best = -1;
            let bj = -1;
            for (const j of cands[w][i]) {
              const s = D[i * N + j];
              if (best < 0 || s < best) {
                best = s;
                bj = j;
              }
            }
            maps[w].sadMin[t * N + i] = best;
            maps[w].jStar[t * N + i] = bj;
          });
        }
      }
    }
    wins.forEach((w, k) => out.set(`${w.name}/G${G}`, maps[k]));
  }
  return out;
}

/** Intra minima: per (t, row) the SAD to its segment's reference row (−1 for reference rows). */
export function intraMinima(frames: readonly Int32Array[], N: number, n: number, Gv: number): MinMap {
  const T = frames.length;
  const m: MinMap = { sadMin: new Int32Array(T * N).fill(-1), jStar: new Int32Array(T * N).fill(-1) };
  for (let t = 0; t < T; t++) {
    for (const seg of segments(N, Gv)) {
      for (let r = seg.start; r < seg.start + seg.len; r++) {
        if (r === seg.ref) continue;
        m.sadMin[t * N + r] = sadOne(frames[t], r, frames[t], seg.ref, n);
        m.jStar[t * N + r] = seg.ref;
      }
    }
  }
  return m;
}

/** Informative iff not a reference-free token (−1) and SADmin ≥ thr. */
export function isInformative(sadMin: number, thr: number): boolean {
  return sadMin < 0 || sadMin >= thr;
}
