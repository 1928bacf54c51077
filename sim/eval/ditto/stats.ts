// The statistics of one vector and of one tile (one layer, one step) in `dcgen eval ditto`,
// counted straight from the int8 activations: computing them through the golden encoder for every
// step of every dataset would be far too slow, so run.ts checks them against it on a token subset.
//   classes of d = x_s − x_{s−1} (difference mode) and of d = x_s (original mode): ZERO /
//   LOW / FULL fractions (SPEC §1.1); within 4 bits = ZERO + LOW (|d| ≤ 15).
//   words per vector: golden/ditto/encoder.ts expectedWordCount; bit operations and cycles:
//   sim/cycles/ditto/cost.ts.
import { computeLatency } from '../../../generator/spec/ditto/compute.ts';
import { type ClassCounts, bopsOf, tileCycles, vectorCyclesOf } from '../../cycles/ditto/cost.ts';
import { expectedWordCount } from '../../golden/ditto/encoder.ts';
import { r6 } from '../common.ts';
import type { DittoEvalOptions } from './options.ts';

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

export interface ModeFractions {
  zero: number;
  low: number;
  full: number;
  within4: number;
}

export function fractions(c: ClassCounts): ModeFractions {
  const tot = c.nzero + c.nlow + c.nfull;
  const f = (v: number) => (tot === 0 ? 0 : v / tot);
  return { zero: r6(f(c.nzero)), low: r6(f(c.nlow)), full: r6(f(c.nfull)), within4: r6(f(c.nzero + c.nlow)) };
}
