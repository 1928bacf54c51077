// Cosimulation cases of ditto.compute: weight load, then R independent word streams of
// encoder words (random activation differences with a realistic ZERO/LOW/FULL mix, plus
// directed vectors: K = 1, all-ZERO, all-FULL, a FULL that would straddle a word, hand-made
// words the encoder never forms), against Y = D·W from sim/golden/ditto/compute.ts (through
// the PE model) cross-checked with the dense product, and the cycle model
// sim/cycles/ditto/compute.ts.
//
// banks = 2 (the `banks*` cases, computeBankStimulus): the weight stream loads bank 0 (W0,
// K0 rows) and bank 1 (W1, K1 rows), optionally beat-interleaved, then reloads the banks in
// turn; each row runs tiles of vectors that alternate between the banks (row r starts with bank
// r mod 2), plus vectors whose words read both banks. The cosim drives every stream on its own
// schedule, so the words of a row and the weight beats have no fixed relative timing: the only
// order is the RTL's per-bank gate (a word of bank b is accepted only while loaded[b], i.e.
// after b's first load has completed and outside any later load of b). The result is therefore
// timing-independent under this RULE, which computeGolden checks on every stimulus (an error
// otherwise): every weight entry (bank, k, column group) that some word reads (any slot's k,
// valid or not: an invalid slot's product is 0, but an unwritten entry is X in Icarus) holds
// its final value once its bank's first load is complete — written by that first load, and
// every later write to it (a reload) writes the same value. Reloads may write other values only
// to entries no word reads (k ≥ the bank's K). So a reload exercises the gate (the bank's words
// wait while it runs; the other bank's words flow) and any write that goes to the wrong bank or
// address is seen, while the golden output of every word comes from the weights its bank holds
// (a bank is in effect loaded once; a real tile schedule that reuses a bank for new weights must
// order that load after the last word of the bank's previous tile, e.g. ditto_top's sequencer).
import { computeGroup, type ComputeParams } from '../../../generator/spec/ditto/compute.ts';
import { encoderIndexBits } from '../../../generator/spec/ditto/encoder.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { type Matrix, denseMatmul, peWordsFor, rowFromWords } from '../../golden/ditto/compute.ts';
import { peStream } from '../../golden/ditto/pe.ts';
import { EMPTY_SLOT, type Mode, type Slot, type Word, decodeWords, encodeVector } from '../../golden/ditto/encoder.ts';
import { computeCycles } from '../../cycles/ditto/compute.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { ALL_FULL, ALL_LOW, ALL_ZERO, DENSE, type CycleExpectation, type DittoCase, REAL, type StreamSchedule, caseParams, randomMix, randomPairs, randomWeight } from './common.ts';

type P = Pick<ComputeParams, 'rows' | 'cols' | 'kMax' | 'wGroup' | 'stages'> & { banks?: number };

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

/**
 * The golden model on a stimulus: W from the load, then per row and vector the PE-model row
 * (rowFromWords), checked against the dense product of the decoded differences (an error if
 * they differ: the stimulus or a model is broken).
 */
export function computeGolden(p: P) {
  const C = p.cols;
  const G = computeGroup(p);
  if ((p.banks ?? 1) === 2) return computeBankGolden(p);
  return (stim: Stimulus) => {
    const W = weightsFromBeats(stim.streams?.w ?? [], p.kMax, C, G);
    const streams: Record<string, Beat[]> = {};
    for (let r = 0; r < p.rows; r++) {
      const vectors = splitVectors((stim.streams?.[`in${r}`] ?? []).map(beatWord));
      streams[`out${r}`] = vectors.map((words, v) => {
        const y = rowFromWords(words, W);
        const dense = denseMatmul([decodeWords(words, p.kMax)], W)[0];
        if (y.some((x, n) => x !== dense[n])) throw new Error(`compute golden: row ${r} vector ${v}: PE model ${y} differs from the dense product ${dense}`);
        return Object.fromEntries(y.map((x, n) => [`y_${n}`, x]));
      });
    }
    return { streams };
  };
}

/** Per bank (banks = 2), W after the bank's first complete load, checked against the RULE of the header (an error if a read entry is unwritten then or rewritten with another value later). */
export function bankWeights(p: P, stim: Stimulus): Matrix[] {
  const C = p.cols;
  const G = computeGroup(p);
  const beats = stim.streams?.w ?? [];
  const W: Matrix[] = [0, 1].map(() => Array.from({ length: p.kMax }, () => new Array<number>(C).fill(0)));
  const written = [0, 1].map(() => new Set<string>());
  const firstDone = [false, false];
  const later: { bank: number; k: number; g: number; d: number[]; beat: number }[] = [];
  beats.forEach((b, i) => {
    const bank = Number(b.b);
    const k = Number(b.k);
    const g = Number(b.g);
    const d = Array.from({ length: G }, (_, j) => Number(b[`d_${j}`]));
    if (firstDone[bank]) later.push({ bank, k, g, d, beat: i });
    else {
      for (let j = 0; j < G; j++) W[bank][k][g * G + j] = d[j];
      written[bank].add(`${k},${g}`);
      if (Number(b.last) === 1) firstDone[bank] = true;
    }
  });
  const reads = [0, 1].map(() => new Set<number>());
  for (let r = 0; r < p.rows; r++) {
    for (const b of stim.streams?.[`in${r}`] ?? []) {
      const bank = Number(b.b);
      if (!firstDone[bank]) throw new Error(`compute golden: row ${r} has words of bank ${bank}, which is never completely loaded`);
      // every slot's k (an invalid slot still reads its entry; its nibble 0 zeroes the product,
      // but an unwritten entry would be X in an event simulator)
      for (let i = 0; i < 4; i++) reads[bank].add(Number(b[`k${i}`]));
    }
  }
  const NG = C / G;
  for (let bank = 0; bank < 2; bank++) {
    for (const k of reads[bank]) for (let g = 0; g < NG; g++) if (!written[bank].has(`${k},${g}`)) throw new Error(`compute golden: bank ${bank} entry k ${k} group ${g} is read but not written by the bank's first load`);
  }
  for (const x of later) {
    if (reads[x.bank].has(x.k) && x.d.some((v, j) => v !== W[x.bank][x.k][x.g * G + j])) {
      throw new Error(`compute golden: weight beat ${x.beat} rewrites bank ${x.bank} entry k ${x.k} group ${x.g}, which words read, with another value (the result would depend on the timing)`);
    }
  }
  return W;
}

/** The golden model with two banks: each word's weights from its bank (per-word, so a vector may mix banks). */
function computeBankGolden(p: P) {
  return (stim: Stimulus) => {
    const W = bankWeights(p, stim);
    const streams: Record<string, Beat[]> = {};
    for (let r = 0; r < p.rows; r++) {
      const beats = stim.streams?.[`in${r}`] ?? [];
      const words = beats.map((b) => ({ word: beatWord(b), bank: Number(b.b) }));
      const vectors: (typeof words)[] = [];
      let cur: typeof words = [];
      for (const w of words) {
        cur.push(w);
        if (w.word.last) {
          vectors.push(cur);
          cur = [];
        }
      }
      if (cur.length > 0) throw new Error(`compute golden: row ${r}: the word stream does not end with a last word`);
      streams[`out${r}`] = vectors.map((vec, v) => {
        const y = Array.from({ length: p.cols }, (_, n) => {
          const out = peStream(vec.map(({ word, bank }) => peWordsFor([word], W[bank], n)[0]), 32);
          if (out.length !== 1) throw new Error('compute golden: a vector must end with exactly one last word');
          return Number(out[0]);
        });
        const dense = new Array<number>(p.cols).fill(0);
        for (const bank of [0, 1]) {
          const part = denseMatmul([decodeWords(vec.filter((w) => w.bank === bank).map((w) => w.word), p.kMax)], W[bank])[0];
          part.forEach((x, n) => (dense[n] = (dense[n] + x) | 0));
        }
        if (y.some((x, n) => x !== dense[n])) throw new Error(`compute golden: row ${r} vector ${v}: PE model ${y} differs from the dense product ${dense}`);
        return Object.fromEntries(y.map((x, n) => [`y_${n}`, x]));
      });
    }
    return { streams };
  };
}

export function computeCaseCycles(p: P) {
  const banked = (p.banks ?? 1) === 2;
  const beat = (b: Beat) => (banked ? { last: Number(b.last) === 1, bank: Number(b.b) } : Number(b.last) === 1);
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule): CycleExpectation => {
    const wBeats = (stim.streams?.w ?? []).map(beat);
    const rowBeats = Array.from({ length: p.rows }, (_, r) => (stim.streams?.[`in${r}`] ?? []).map(beat));
    const res = computeCycles(wBeats, rowBeats, { stages: p.stages }, idle, stall);
    const accepted: Record<string, number[]> = { w: res.wAccepted };
    const emitted: Record<string, number[]> = {};
    res.rows.forEach((row, r) => {
      accepted[`in${r}`] = row.accepted;
      emitted[`out${r}`] = row.emitted;
    });
    return { accepted, emitted, cycles: res.cycles };
  };
}

// ---- stimulus ----

function slot(valid: number, s: number, n: number, h: number, k: number): Slot {
  return { valid, s, n, h, k };
}

/** Hand-made words the encoder never forms (FULL in slots 2/3 only, LOW in odd slots, gaps, invalid slots with junk). */
function oddWords(rng: Rng, K: number): Word[] {
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
function lowGapWords(rng: Rng, K: number): Word[] {
  const k = () => rng.int(0, K - 1);
  return [
    { slots: [slot(0, 1, 15, 0, k()), slot(1, 0, 7, 0, k()), slot(1, 1, 3, 0, k()), slot(1, 0, 15, 0, k())], last: 0, nzero: 0, nlow: 0, nfull: 0 },
    { slots: [slot(0, 0, 9, 0, k()), { ...EMPTY_SLOT }, slot(1, 1, 1, 0, k()), { ...EMPTY_SLOT }], last: 1, nzero: 0, nlow: 0, nfull: 0 },
  ];
}

/** `n` random hand-made words (every slot field random, k < K), the last one ending a vector. */
function randomHandWords(rng: Rng, K: number, n: number): Word[] {
  return Array.from({ length: n }, (_, i) => ({
    slots: [0, 1, 2, 3].map((j) => slot(rng.chance(0.8) ? 1 : 0, rng.int(0, 1), rng.int(0, 15), j % 2 === 1 ? rng.int(0, 1) : 0, rng.int(0, K - 1))) as Word['slots'],
    last: i === n - 1 ? 1 : 0,
    nzero: 0,
    nlow: 0,
    nfull: 0,
  }));
}

interface Vec {
  xt: number[];
  xp: number[];
  mode: Mode;
}

/** Directed vectors for a K: K = 1 (each class), all-ZERO, all-FULL, all-LOW, FULL after 3 LOW (would straddle), extremes. */
function directedVectors(K: number): Vec[] {
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

export interface ComputeStimOptions {
  /** vector length (≤ kMax) of the random vectors */
  K: number;
  /** random vectors per row */
  vectors: number;
  /** prepend the directed vectors and hand-made words */
  directed?: boolean;
  /** load order: shuffled (k, group) pairs instead of ascending */
  shuffle?: boolean;
  /** fixed mix instead of a random mix per vector */
  mix?: typeof REAL;
  /** column 0 of W all −128 and one vector of d = +255 everywhere: the largest |Σ| (no overflow up to K = 65536) */
  extremes?: boolean;
  /** an all-ZERO vector (one word, no valid slot) and LOW-only hand-made words with slot 0 invalid, before the random vectors */
  gaps?: boolean;
  /** short random vectors (1..6 elements, 1..2 words) appended after the random ones: back-to-back drains, so output back-pressure stalls the row pipeline while its stages hold different words */
  shortTail?: number;
  /** the hand-made words again after every this many random vectors (slots 2/3 valid at K = 1, which the encoder never forms) */
  oddEvery?: number;
}

export function computeStimulus(p: P, o: ComputeStimOptions) {
  const C = p.cols;
  const G = computeGroup(p);
  const NG = C / G;
  const K = o.K;
  if (K > p.kMax) throw new RangeError(`K ${K} > kMax ${p.kMax}`);
  const kMask = 2 ** encoderIndexBits(p.kMax) - 1;
  return (seed: number): Stimulus => {
    const rng = new Rng(seed * 7717 + K);
    const W: Matrix = Array.from({ length: K }, () => Array.from({ length: C }, (_, n) => (o.extremes && n === 0 ? -128 : randomWeight(rng))));
    const order: [number, number][] = [];
    for (let k = 0; k < K; k++) for (let g = 0; g < NG; g++) order.push([k, g]);
    if (o.shuffle) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    const streams: Record<string, Beat[]> = { w: weightBeats(W, G, order) };
    for (let r = 0; r < p.rows; r++) {
      const words: Word[] = [];
      const add = (ws: Word[]) => {
        for (const w of ws) words.push(w);
      };
      if (o.directed) {
        for (const v of directedVectors(K)) add(encodeVector(v.xt, v.xp, v.mode));
        add(oddWords(rng, K));
      }
      if (o.extremes) add(encodeVector(new Array<number>(K).fill(127), new Array<number>(K).fill(-128), 'diff'));
      if (o.gaps) {
        add(encodeVector(new Array<number>(K).fill(3), new Array<number>(K).fill(3), 'diff'));
        add(lowGapWords(rng, K));
      }
      for (let i = 0; i < o.vectors; i++) {
        const mode: Mode = rng.chance(0.2) ? 'orig' : 'diff';
        const len = rng.chance(0.7) ? K : rng.int(1, K);
        const { xt, xp } = randomPairs(rng, len, o.mix ?? randomMix(rng), mode);
        add(encodeVector(xt, xp, mode));
        if (o.oddEvery && (i + 1) % o.oddEvery === 0) add(oddWords(rng, K));
      }
      for (let i = 0; i < (o.shortTail ?? 0); i++) {
        const mode: Mode = rng.chance(0.2) ? 'orig' : 'diff';
        // DENSE for FULL pairs (h3 = 1 in slot 3), REAL for all-ZERO vectors (words with v0 = 0)
        const { xt, xp } = randomPairs(rng, rng.int(1, Math.min(6, K)), rng.chance(0.5) ? DENSE : REAL, mode);
        add(encodeVector(xt, xp, mode));
      }
      for (const w of words) for (const s of w.slots) if (s.k > kMask) throw new Error('k out of range');
      streams[`in${r}`] = words.map(wordBeat);
    }
    return { streams };
  };
}

export interface ComputeBankStimOptions {
  /** vector lengths of the banks: bank b holds W_b (K[b] × C), its words read k < K[b] */
  K: [number, number];
  /** tiles per row (row r's tile t reads bank (t + r) mod 2) */
  tiles: number;
  /** random vectors per tile */
  vectorsPerTile: number;
  /** reloads after both first loads, banks in turn (from bank 0): the RULE of the header */
  reloads: number;
  /** first loads and reloads in shuffled (k, group) order */
  shuffle?: boolean;
  /** the two first loads beat-interleaved (bank 0, bank 1, bank 0, ...) instead of one after the other */
  interleave?: boolean;
  /** prepend the directed vectors and hand-made words to each row's first tile */
  directed?: boolean;
  /** hand-made words at the end of every tile (oddWords, lowGapWords, a vector of random words: 3- and 4-slot words at K = 1, invalid slot 0, any n/h/s per slot) */
  odd?: boolean;
  /** vectors whose words read both banks (each word a random bank), after random tiles */
  mixed?: number;
  /** short random vectors (1..6 elements) at the end, each word of a random bank */
  shortTail?: number;
}

/** banks = 2: two first loads, reloads that keep every read entry, alternating tiles (header). */
export function computeBankStimulus(p: P, o: ComputeBankStimOptions) {
  const C = p.cols;
  const G = computeGroup(p);
  const NG = C / G;
  if (o.K.some((K) => K < 1 || K > p.kMax)) throw new RangeError(`K ${o.K} not in 1..kMax ${p.kMax}`);
  const Kmin = Math.min(...o.K);
  return (seed: number): Stimulus => {
    const rng = new Rng(seed * 7717 + o.K[0] * 31 + o.K[1]);
    const shuffle = <T>(a: T[]): T[] => {
      for (let i = a.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    };
    // W_b: kMax rows (rows ≥ K[b] are only ever written by reloads, with junk: no word reads them)
    const W: Matrix[] = o.K.map((K) => Array.from({ length: p.kMax }, (_, k) => Array.from({ length: C }, () => (k < K ? randomWeight(rng) : 0))));
    const loadOrder = (bank: number): [number, number][] => {
      const order: [number, number][] = [];
      for (let k = 0; k < o.K[bank]; k++) for (let g = 0; g < NG; g++) order.push([k, g]);
      return o.shuffle ? shuffle(order) : order;
    };
    const first = [0, 1].map((b) => weightBeats(W[b], G, loadOrder(b), b));
    const w: Beat[] = [];
    if (o.interleave) {
      for (let i = 0; i < Math.max(first[0].length, first[1].length); i++) for (const b of [0, 1]) if (i < first[b].length) w.push(first[b][i]);
    } else w.push(...first[0], ...first[1]);
    for (let i = 0; i < o.reloads; i++) {
      const bank = i % 2;
      const K = o.K[bank];
      // 1 beat (a quarter of them: loaded[bank] stays 1) or 2..max(4, 2·K·NG) (at most 48), each to an entry
      // words read (the same value) or, now and then, a spare entry k ≥ K (a junk value)
      const n = rng.chance(0.25) ? 1 : rng.int(2, Math.min(Math.max(4, 2 * K * NG), 48));
      const order: [number, number][] = [];
      const Wr: Matrix = W[bank].map((row) => row.slice());
      for (let j = 0; j < n; j++) {
        if (K < p.kMax && rng.chance(0.15)) {
          const k = rng.int(K, p.kMax - 1);
          for (let c = 0; c < C; c++) Wr[k][c] = randomWeight(rng);
          order.push([k, rng.int(0, NG - 1)]);
        } else order.push([rng.int(0, K - 1), rng.int(0, NG - 1)]);
      }
      // one beat per entry carries its (final) value: spare entries written twice keep the last
      w.push(...weightBeats(Wr, G, order, bank));
    }
    const streams: Record<string, Beat[]> = { w };
    for (let r = 0; r < p.rows; r++) {
      const beats: Beat[] = [];
      const add = (ws: Word[], bank: number | (() => number)) => {
        for (const wd of ws) beats.push(bankWordBeat(wd, typeof bank === 'number' ? bank : bank()));
      };
      const randomVector = (K: number, mix = randomMix(rng)) => {
        const mode: Mode = rng.chance(0.2) ? 'orig' : 'diff';
        const len = rng.chance(0.7) ? K : rng.int(1, K);
        const { xt, xp } = randomPairs(rng, len, mix, mode);
        return encodeVector(xt, xp, mode);
      };
      const mixedAfter = Array.from({ length: o.mixed ?? 0 }, () => rng.int(0, o.tiles - 1));
      const randomBank = () => rng.int(0, 1);
      for (let t = 0; t < o.tiles; t++) {
        const bank = (t + r) % 2;
        const K = o.K[bank];
        if (t < 2 && o.directed) {
          for (const v of directedVectors(K)) add(encodeVector(v.xt, v.xp, v.mode), bank);
          add(oddWords(rng, K), bank);
        }
        for (let i = 0; i < o.vectorsPerTile; i++) add(randomVector(K), bank);
        if (o.odd) {
          add(oddWords(rng, K), bank);
          add(lowGapWords(rng, K), bank);
          add(randomHandWords(rng, K, rng.int(2, 8)), bank);
        }
        for (const m of mixedAfter) if (m === t) add(randomVector(Kmin, DENSE), randomBank);
      }
      for (let i = 0; i < (o.shortTail ?? 0); i++) {
        const mode: Mode = rng.chance(0.2) ? 'orig' : 'diff';
        const { xt, xp } = randomPairs(rng, rng.int(1, Math.min(6, Kmin)), rng.chance(0.5) ? DENSE : REAL, mode);
        add(encodeVector(xt, xp, mode), randomBank);
      }
      streams[`in${r}`] = beats;
    }
    return { streams };
  };
}

function computeCase(name: string, params: Partial<P>, o: ComputeStimOptions | ComputeBankStimOptions, extra: { stalls?: StallProbabilities; full?: boolean; seeds?: number } = {}): DittoCase {
  const p = caseParams({ design: 'ditto.compute', params }) as unknown as P;
  return {
    name: `ditto.compute.${name}`,
    design: 'ditto.compute',
    params,
    stimulus: 'tiles' in o ? computeBankStimulus(p, o) : computeStimulus(p, o),
    golden: computeGolden(p),
    cycles: computeCaseCycles(p),
    ...extra,
  };
}

const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };

export const computeCases: DittoCase[] = [
  // defaults (2 rows x 4 columns, K up to 256): random mixes + directed vectors, stalls
  { ...computeCase('random', {}, { K: 256, vectors: 24, directed: true, shuffle: true }, { stalls: STALLS }), smoke: true },
  // the same with input always offered and output always ready: back-to-back words
  computeCase('free', {}, { K: 256, vectors: 16, directed: true }),
  // heavy output back-pressure with short vectors (the drain stall path)
  computeCase('backpressure', {}, { K: 6, vectors: 300, mix: DENSE }, { stalls: { inIdle: 0.05, outStall: 0.7 } }),
  // K = 1 at the smallest unit: 1 x 1 PE, kMax 1, no adder-tree register
  computeCase('k1', { rows: 1, cols: 1, kMax: 1, stages: 0 }, { K: 1, vectors: 200, directed: true, oddEvery: 5 }, { stalls: STALLS }),
  // column groups, 3 rows, a non-power-of-two kMax, deepest adder tree
  computeCase('groups', { rows: 3, cols: 6, wGroup: 2, kMax: 300, stages: 3 }, { K: 300, vectors: 8, directed: true, shuffle: true, shortTail: 60 }, { stalls: STALLS }),
  // all-FULL, all-ZERO and all-LOW streams (allzero and alllow end with short mixed vectors under
  // stalls: their configurations are exercised by no other case, so their arithmetic and enables need it)
  computeCase('allfull', { rows: 1, cols: 3, kMax: 64, stages: 1 }, { K: 64, vectors: 40, mix: ALL_FULL }, { stalls: STALLS }),
  computeCase('allzero', { rows: 1, cols: 3, kMax: 64, stages: 0 }, { K: 64, vectors: 40, mix: ALL_ZERO, shortTail: 60 }, { stalls: STALLS }),
  computeCase('alllow', { rows: 1, cols: 3, kMax: 64 }, { K: 64, vectors: 40, mix: ALL_LOW, gaps: true, shortTail: 60 }, { stalls: STALLS }),
  // the largest K: one row, 2 columns, K = 65536 (3 vectors of realistic differences)
  computeCase('kmax', { rows: 1, cols: 2, kMax: 65536 }, { K: 65536, vectors: 3, extremes: true, mix: REAL, shortTail: 200 }, { stalls: { inIdle: 0.1, outStall: 0.1 }, seeds: 1 }),
  // banks = 2 (double-buffered weights; the RULE of the header): tiles alternating between the
  // banks on every row (row 1 starts with bank 1, waiting for its load while row 0 computes
  // with bank 0), reloads of each bank while the other computes, vectors mixing the banks,
  // hand-made words, and a tail of short vectors (back-to-back drains: the drain stall path)
  computeCase('banks', { banks: 2 }, { K: [256, 192], tiles: 6, vectorsPerTile: 2, reloads: 16, directed: true, odd: true, shuffle: true, mixed: 2, shortTail: 80 }, { stalls: STALLS }),
  // the weights slow (the rows wait for loads), interleaved first loads, 3 rows, column groups,
  // a non-power-of-two kMax (600-word copies), deepest adder tree, short mixed-bank tail
  computeCase(
    'banks_wait',
    { rows: 3, cols: 6, wGroup: 2, kMax: 300, stages: 3, banks: 2 },
    { K: [300, 137], tiles: 5, vectorsPerTile: 2, reloads: 10, shuffle: true, interleave: true, odd: true, mixed: 3, shortTail: 40 },
    { stalls: { inIdle: 0.3, outStall: 0.3, perStream: { w: 0.5 } } },
  ),
  // K = 1 at the smallest unit (2-word copies addressed by the bank alone): many short tiles and
  // reloads (several beats to the one entry: the bank's words wait), hand-made words in every
  // tile (the only 3- and 4-slot words at K = 1), output back-pressure
  computeCase('banks_k1', { rows: 2, cols: 1, kMax: 1, stages: 0, banks: 2 }, { K: [1, 1], tiles: 40, vectorsPerTile: 3, reloads: 40, directed: true, odd: true, mixed: 10, shortTail: 40 }, { stalls: { inIdle: 0.3, outStall: 0.5 } }),
  // no stalls: a load of bank 1 overlaps row 0's words of bank 0 (throughput check in the test)
  computeCase('banks_free', { banks: 2 }, { K: [64, 64], tiles: 4, vectorsPerTile: 3, reloads: 0 }),
  // big arrays (regress --full): 8 rows x 64 columns, and the largest K with 4 rows
  computeCase('r8c64', { rows: 8, cols: 64, kMax: 512, wGroup: 16 }, { K: 512, vectors: 8, directed: true, shuffle: true }, { stalls: STALLS, full: true }),
  computeCase('kmax_r4', { rows: 4, cols: 8, kMax: 65536 }, { K: 65536, vectors: 2, mix: REAL }, { stalls: STALLS, full: true, seeds: 2 }),
];
