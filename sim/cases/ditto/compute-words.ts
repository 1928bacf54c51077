// Words and beats of the ditto.compute cases (sim/cases/ditto/compute.ts, compute-banks.ts):
// encoder words as `in<r>` beats and back, weight beats, and the directed vectors and hand-made
// words (slot patterns the encoder never forms) that both kinds of stimulus use.
import type { ComputeParams } from '../../../generator/spec/ditto/compute.ts';
import type { Beat } from '../../cosim/index.ts';
import type { Matrix } from '../../golden/ditto/compute.ts';
import { EMPTY_SLOT, type Mode, type Slot, type Word } from '../../golden/ditto/encoder.ts';
import { Rng } from '../../stimulus/rng.ts';

/** The parameters of ditto.compute that its cases read (banks 1 unless given). */
export type ComputeCaseParams = Pick<ComputeParams, 'rows' | 'cols' | 'kMax' | 'wGroup' | 'stages'> & { banks?: number };

// ---- beats ----

/** A word's beat (one parameter: safe as a map callback). */
export function wordBeat(w: Word): Beat {
  const b: Beat = { last: w.last };
  w.slots.forEach((s, i) => {
    b[`v${i}`] = s.valid;
    b[`s${i}`] = s.s;
    b[`n${i}`] = s.n;
    b[`h${i}`] = s.h;
    b[`k${i}`] = s.k;
  });
  return b;
}

/** banks = 2: a word's beat reading `bank` (field b). */
export function bankWordBeat(w: Word, bank: number): Beat {
  return { ...wordBeat(w), b: bank };
}

export function beatWord(b: Beat): Word {
  const num = (k: string) => Number(b[k]);
  const slots = [0, 1, 2, 3].map((i): Slot => ({ valid: num(`v${i}`), s: num(`s${i}`), n: num(`n${i}`), h: num(`h${i}`), k: num(`k${i}`) }));
  return { slots: slots as Word['slots'], last: num('last'), nzero: 0, nlow: 0, nfull: 0 };
}

/** Weight-load beats for W (kMax × C, rows ≥ K unused), in the given (k, group) order; the last one marked; `bank` (banks = 2 only): field b. */
export function weightBeats(W: Matrix, G: number, order: [number, number][], bank?: number): Beat[] {
  return order.map(([k, g], i) => {
    const b: Beat = { k, g, last: i === order.length - 1 ? 1 : 0 };
    for (let j = 0; j < G; j++) b[`d_${j}`] = W[k][g * G + j];
    if (bank !== undefined) b.b = bank;
    return b;
  });
}

/** W from the weight beats (unwritten entries 0). */
export function weightsFromBeats(beats: readonly Beat[], kMax: number, C: number, G: number): Matrix {
  const W: Matrix = Array.from({ length: kMax }, () => new Array<number>(C).fill(0));
  for (const b of beats) {
    const k = Number(b.k);
    const g = Number(b.g);
    for (let j = 0; j < G; j++) W[k][g * G + j] = Number(b[`d_${j}`]);
  }
  return W;
}

/** Split a word stream into vectors (each ending with a last word). */
export function splitVectors(words: readonly Word[]): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  for (const w of words) {
    cur.push(w);
    if (w.last) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) throw new Error('word stream does not end with a last word');
  return out;
}

// ---- stimulus ----

export function slot(valid: number, s: number, n: number, h: number, k: number): Slot {
  return { valid, s, n, h, k };
}

/** Hand-made words the encoder never forms (FULL in slots 2/3 only, LOW in odd slots, gaps, invalid slots with junk). */
export function oddWords(rng: Rng, K: number): Word[] {
  const k = () => rng.int(0, K - 1);
  const words: Word[] = [
    { slots: [{ ...EMPTY_SLOT }, slot(1, 1, 15, 0, k()), { ...EMPTY_SLOT }, slot(1, 0, 1, 0, k())], last: 0, nzero: 0, nlow: 0, nfull: 0 },
    { slots: [slot(0, 1, 9, 0, k()), slot(0, 1, 15, 1, k()), slot(1, 0, 15, 0, K - 1), slot(1, 0, 15, 1, K - 1)], last: 0, nzero: 0, nlow: 0, nfull: 0 },
    { slots: [slot(1, 1, 15, 0, 0), slot(1, 1, 15, 1, 0), slot(1, 1, 15, 0, K - 1), slot(1, 1, 15, 1, K - 1)], last: 1, nzero: 0, nlow: 0, nfull: 0 },
  ];
  return words;
}

/**
 * LOW-only hand-made words with slot 0 invalid (junk in its fields) — the encoder forms slot-0-
 * invalid words only for an all-ZERO vector, and LOW-only streams otherwise never have one: an
 * invalid slot 0 must contribute exactly 0 (mutant m0682 of the alllow configuration).
 */
export function lowGapWords(rng: Rng, K: number): Word[] {
  const k = () => rng.int(0, K - 1);
  return [
    { slots: [slot(0, 1, 15, 0, k()), slot(1, 0, 7, 0, k()), slot(1, 1, 3, 0, k()), slot(1, 0, 15, 0, k())], last: 0, nzero: 0, nlow: 0, nfull: 0 },
    { slots: [slot(0, 0, 9, 0, k()), { ...EMPTY_SLOT }, slot(1, 1, 1, 0, k()), { ...EMPTY_SLOT }], last: 1, nzero: 0, nlow: 0, nfull: 0 },
  ];
}

/** `n` random hand-made words (every slot field random, k < K), the last one ending a vector. */
export function randomHandWords(rng: Rng, K: number, n: number): Word[] {
  return Array.from({ length: n }, (_, i) => ({
    slots: [0, 1, 2, 3].map((j) => slot(rng.chance(0.8) ? 1 : 0, rng.int(0, 1), rng.int(0, 15), j % 2 === 1 ? rng.int(0, 1) : 0, rng.int(0, K - 1))) as Word['slots'],
    last: i === n - 1 ? 1 : 0,
    nzero: 0,
    nlow: 0,
    nfull: 0,
  }));
}

export interface Vec {
  xt: number[];
  xp: number[];
  mode: Mode;
}

/** Directed vectors for a K: K = 1 (each class), all-ZERO, all-FULL, all-LOW, FULL after 3 LOW (would straddle), extremes. */
export function directedVectors(K: number): Vec[] {
  const v: Vec[] = [];
  const fill = (f: (k: number) => [number, number], mode: Mode = 'diff'): Vec => {
    const xt: number[] = [];
    const xp: number[] = [];
    for (let k = 0; k < K; k++) {
      const [a, b] = f(k);
      xt.push(a);
      xp.push(b);
    }
    return { xt, xp, mode };
  };
  v.push({ xt: [0], xp: [0], mode: 'diff' }); // K = 1, ZERO
  v.push({ xt: [9], xp: [0], mode: 'diff' }); // K = 1, LOW
  v.push({ xt: [127], xp: [-128], mode: 'diff' }); // K = 1, FULL +255
  v.push({ xt: [-128], xp: [0], mode: 'orig' }); // K = 1, original −128
  v.push(fill(() => [5, 5])); // all ZERO
  v.push(fill((k) => (k % 2 ? [127, -128] : [-128, 127]))); // all FULL ±255
  v.push(fill((k) => (k % 3 ? [-15, 0] : [15, 0]))); // all LOW
  v.push(fill((k) => (k % 4 === 3 ? [100, 0] : [(k % 4) + 1, 0]))); // LOW LOW LOW FULL ... (packed FULL-first, never split)
  v.push(fill((k) => [k % 2 ? 127 : -128, 0], 'orig')); // original extremes
  return v;
}
