// Cosimulation cases of ditto.compute: weight load, then R independent word streams of
// encoder words (random activation differences with a realistic ZERO/LOW/FULL mix, plus
// directed vectors: K = 1, all-ZERO, all-FULL, a FULL that would straddle a word, hand-made
// words the encoder never forms), against Y = D·W from sim/golden/ditto/compute.ts (through
// the PE model) cross-checked with the dense product, and the cycle model
// sim/cycles/ditto/compute.ts.
import { computeGroup, type ComputeParams } from '../../../generator/spec/ditto/compute.ts';
import { encoderIndexBits } from '../../../generator/spec/ditto/encoder.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { type Matrix, denseMatmul, rowFromWords } from '../../golden/ditto/compute.ts';
import { EMPTY_SLOT, type Mode, type Slot, type Word, decodeWords, encodeVector } from '../../golden/ditto/encoder.ts';
import { computeCycles } from '../../cycles/ditto/compute.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { ALL_FULL, ALL_LOW, ALL_ZERO, DENSE, type CycleExpectation, type DittoCase, REAL, type StreamSchedule, caseParams, randomMix, randomPairs, randomWeight } from './common.ts';

type P = Pick<ComputeParams, 'rows' | 'cols' | 'kMax' | 'wGroup' | 'stages'>;

// ---- beats ----

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

export function beatWord(b: Beat): Word {
  const num = (k: string) => Number(b[k]);
  const slots = [0, 1, 2, 3].map((i): Slot => ({ valid: num(`v${i}`), s: num(`s${i}`), n: num(`n${i}`), h: num(`h${i}`), k: num(`k${i}`) }));
  return { slots: slots as Word['slots'], last: num('last'), nzero: 0, nlow: 0, nfull: 0 };
}

/** Weight-load beats for W (kMax × C, rows ≥ K unused), in the given (k, group) order; the last one marked. */
export function weightBeats(W: Matrix, G: number, order: [number, number][]): Beat[] {
  return order.map(([k, g], i) => {
    const b: Beat = { k, g, last: i === order.length - 1 ? 1 : 0 };
    for (let j = 0; j < G; j++) b[`d_${j}`] = W[k][g * G + j];
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

export function computeCaseCycles(p: P) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule): CycleExpectation => {
    const wLasts = (stim.streams?.w ?? []).map((b) => Number(b.last) === 1);
    const rowLasts = Array.from({ length: p.rows }, (_, r) => (stim.streams?.[`in${r}`] ?? []).map((b) => Number(b.last) === 1));
    const res = computeCycles(wLasts, rowLasts, { stages: p.stages }, idle, stall);
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

function computeCase(name: string, params: Partial<P>, o: ComputeStimOptions, extra: { stalls?: StallProbabilities; full?: boolean; seeds?: number } = {}): DittoCase {
  const p = caseParams({ design: 'ditto.compute', params }) as unknown as P;
  return {
    name: `ditto.compute.${name}`,
    design: 'ditto.compute',
    params,
    stimulus: computeStimulus(p, o),
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
  // big arrays (regress --full): 8 rows x 64 columns, and the largest K with 4 rows
  computeCase('r8c64', { rows: 8, cols: 64, kMax: 512, wGroup: 16 }, { K: 512, vectors: 8, directed: true, shuffle: true }, { stalls: STALLS, full: true }),
  computeCase('kmax_r4', { rows: 4, cols: 8, kMax: 65536 }, { K: 65536, vectors: 2, mix: REAL }, { stalls: STALLS, full: true, seeds: 2 }),
];
