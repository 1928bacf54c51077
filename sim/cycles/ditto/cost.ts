// Cost formulas of the Ditto compute unit for whole tiles (SPEC §1.4), used by `dcgen eval ditto`
// (sim/eval/ditto/) where simulating every cycle of every tile would be far too slow. They rest on
// the exact models: the encoder's word count (golden/ditto/encoder.ts expectedWordCount) and the
// compute unit's latency (generator/spec/ditto/compute.ts computeLatency).
//   bit operations (BOPs): dense A8W8 = 8·8 = 64 per element; the A4W8 path = 0 per ZERO,
//   4·8 = 32 per LOW, 2·4·8 = 64 per FULL (= 32 per valid slot, golden/ditto/compute.ts costOf).
//   cycles: R rows of N PEs (one output column each), vector m on row m mod R; a vector costs
//   max(words, ceil(K/L)) cycles, words = max(1, ceil((nL + 2·nF)/4)); dense baseline ceil(K/2)
//   per vector; a tile (one layer, one step) costs max over rows of the row's sum + the pipeline
//   latency stages + 2.
import { computeLatency } from '../../../generator/spec/ditto/compute.ts';

/** Elements of a vector (or a tile) per class of SPEC §1.1: ZERO |d| = 0, LOW 1..15, FULL ≥ 16. */
export interface ClassCounts {
  nzero: number;
  nlow: number;
  nfull: number;
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

/** The dense baseline: every one of M vectors of K elements costs ceil(K/2) cycles. */
export function denseTileCycles(M: number, K: number, o: { rows: number; stages: number }): number {
  return tileCycles(new Array<number>(M).fill(Math.ceil(K / 2)), o.rows, computeLatency(o.stages));
}
