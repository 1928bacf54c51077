// Golden model of CMC min-SAD search and thresholding (SPEC §2.2) and of the search RTL
// `cmc_search` (generator/blocks/cmc/search.ts), bit for bit.
//
// Candidates of token i of a P matrix: every token of the I matrix (full search), or, with a
// search radius R on the H×W token grid (token j at row floor(j/W), column j mod W), the
// tokens within Chebyshev distance R of i's position — max(|Δrow|, |Δcol|) ≤ R — in
// ascending j; windows are clipped at the grid edges (a corner token with R = 1 has 4
// candidates). SADmin = min_j SAD(x_i, x_j); ties go to the lowest j; the token is
// informative iff SADmin ≥ Thr, otherwise it is non-informative with reference j*.
//
// Search stream (cmc_search): per token, its candidates' SADs in beats of P lanes — fields
// `sad_k` (the SAD), `j_k` (the candidate's token index), `keep` (bit k: lane k holds a
// candidate) and `last` (the token's last beat). The block keeps the lexicographic minimum of
// (sad, j) over the kept lanes of the token's beats — which is "the minimum SAD, ties to the
// lowest j" whatever order the candidates come in — and emits `{informative, jstar, sadmin}`
// with informative = (sadmin ≥ thr). A token whose beats keep no lane at all gives
// informative = 1, sadmin = 2^SW − 1 and jstar = 2^JW − 1 (all ones; never happens for a
// real search, which always has at least one candidate).
import type { SearchParams } from '../../../generator/spec/cmc/search.ts';
import { sad } from './sad.ts';

export interface TokenGrid {
  /** rows of the token grid */
  H: number;
  /** columns of the token grid */
  W: number;
}

/** Search window: full search, or radius R (Chebyshev) on the grid. */
export type SearchWindow = { kind: 'full' } | { kind: 'radius'; R: number };

/** The candidate I-token indices of token i, ascending. */
export function candidates(i: number, grid: TokenGrid, win: SearchWindow): number[] {
  const N = grid.H * grid.W;
  if (!Number.isInteger(i) || i < 0 || i >= N) throw new RangeError(`token ${i} outside a ${grid.H}×${grid.W} grid`);
  if (win.kind === 'full') return Array.from({ length: N }, (_, j) => j);
  if (!Number.isInteger(win.R) || win.R < 0) throw new RangeError(`search radius ${win.R}`);
  const r = Math.floor(i / grid.W);
  const c = i % grid.W;
  const out: number[] = [];
  for (let rr = Math.max(0, r - win.R); rr <= Math.min(grid.H - 1, r + win.R); rr++) {
    for (let cc = Math.max(0, c - win.R); cc <= Math.min(grid.W - 1, c + win.R); cc++) out.push(rr * grid.W + cc);
  }
  return out; // row-major over the clipped window = ascending j
}

export interface SearchResult {
  sadMin: number;
  /** the reference candidate: lowest j among the minima */
  jStar: number;
  informative: boolean;
}

/** Min over (sad, j) pairs, ties to the lowest j, and the threshold decision. */
export function pickMin(pairs: readonly { sad: number; j: number }[], thr: number): SearchResult {
  if (pairs.length === 0) throw new RangeError('a search needs at least one candidate');
  let best = pairs[0];
  for (const p of pairs) if (p.sad < best.sad || (p.sad === best.sad && p.j < best.j)) best = p;
  return { sadMin: best.sad, jStar: best.j, informative: best.sad >= thr };
}

/** Search token `x` among the I-matrix tokens `iTokens[j]` for j in `cands` (ascending). */
export function searchToken(x: ArrayLike<number>, iTokens: readonly ArrayLike<number>[], cands: readonly number[], thr: number): SearchResult {
  return pickMin(
    cands.map((j) => ({ sad: sad(x, iTokens[j]), j })),
    thr,
  );
}

// ---- the search block stream ----

/** The block's parameters that shape its stream: candidate lanes per beat P, SAD width SW, index width JW. */
export type SearchConfig = Pick<SearchParams, 'lanes' | 'sadBits' | 'jBits'>;

export type SearchBeat = Record<string, number | bigint>;

/** The beats of one token: its candidates (sad, j) in order, P per beat, keep = prefix mask. */
export function searchTokenBeats(pairs: readonly { sad: number; j: number }[], c: SearchConfig, filler: (k: number) => { sad: number; j: number } = () => ({ sad: 0, j: 0 })): SearchBeat[] {
  const beats: SearchBeat[] = [];
  const nb = Math.max(1, Math.ceil(pairs.length / c.lanes));
  for (let b = 0; b < nb; b++) {
    const beat: SearchBeat = { keep: 0, last: b === nb - 1 ? 1 : 0 };
    let keep = 0;
    for (let k = 0; k < c.lanes; k++) {
      const p = pairs[b * c.lanes + k];
      const v = p ?? filler(k);
      beat[`sad_${k}`] = v.sad;
      beat[`j_${k}`] = v.j;
      if (p) keep |= 1 << k;
    }
    beat.keep = keep;
    beats.push(beat);
  }
  return beats;
}

export type SearchOut = {
  informative: number;
  jstar: number;
  sadmin: number;
};

/** The block as a stream: beats (with `last`) in, one result per token out; `thr` held constant. */
export function searchStream(beats: readonly SearchBeat[], thr: number, c: SearchConfig): SearchOut[] {
  const out: SearchOut[] = [];
  let pairs: { sad: number; j: number }[] = [];
  for (const b of beats) {
    const keep = Number(b.keep);
    for (let k = 0; k < c.lanes; k++) if ((keep >> k) & 1) pairs.push({ sad: Number(b[`sad_${k}`]), j: Number(b[`j_${k}`]) });
    if (Number(b.last)) {
      if (pairs.length === 0) out.push({ informative: 1, jstar: 2 ** c.jBits - 1, sadmin: 2 ** c.sadBits - 1 });
      else {
        const r = pickMin(pairs, thr);
        out.push({ informative: r.informative ? 1 : 0, jstar: r.jStar, sadmin: r.sadMin });
      }
      pairs = [];
    }
  }
  return out;
}
