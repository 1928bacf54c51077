// Cosimulation cases of ditto.compute: weight load, then R independent word streams of
// encoder words (random activation differences with a realistic ZERO/LOW/FULL mix, plus
// directed vectors: K = 1, all-ZERO, all-FULL, a FULL that would straddle a word, hand-made
// words the encoder never forms), against Y = D·W from sim/golden/ditto/compute.ts (through
// the PE model) cross-checked with the dense product, and the cycle model
// sim/cycles/ditto/compute.ts.
//
// banks = 2: the `banks*` cases, whose stimulus and golden model (and the RULE their stimulus
// follows) are in compute-banks.ts; the words, beats and hand-made words both kinds use are in
// compute-words.ts.
import { computeGroup } from '../../../generator/spec/ditto/compute.ts';
import { encoderIndexBits } from '../../../generator/spec/ditto/encoder.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { type Matrix, denseMatmul, rowFromWords } from '../../golden/ditto/compute.ts';
import { type Mode, type Word, decodeWords, encodeVector } from '../../golden/ditto/encoder.ts';
import { computeCycles } from '../../cycles/ditto/compute.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { ALL_FULL, ALL_LOW, ALL_ZERO, DENSE, type CycleExpectation, type DittoCase, REAL, type StreamSchedule, caseParams, randomMix, randomPairs, randomWeight } from './common.ts';
import { type ComputeCaseParams as P, beatWord, directedVectors, lowGapWords, oddWords, randomHandWords, splitVectors, weightBeats, weightsFromBeats, wordBeat } from './compute-words.ts';
import { type ComputeBankStimOptions, computeBankGolden, computeBankStimulus } from './compute-banks.ts';


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
  /**
   * about this many random hand-made words (randomHandWords: every slot field random, vectors of
   * 1..4 words) after the random vectors: at K = 1 slots 1..3 then carry every nibble, where
   * oddWords gives them 15 alone
   */
  handWords?: number;
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
      for (let i = 0; i < (o.handWords ?? 0); ) {
        const n = rng.int(1, 4);
        add(randomHandWords(rng, K, n));
        i += n;
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
  // the same unit with 8 more weights (one per seed: the 1 x 1 unit holds a single weight) and
  // random hand-made words, so the 4 x 8-bit products of every slot see every nibble against
  // them (k1's seeds draw 1, 21 and 0: no bit 3 or 5 set, so a slot-2 carry of n·w that takes
  // a | c for maj(a, b, c) survived there, mutant m7165)
  computeCase('k1_hand', { rows: 1, cols: 1, kMax: 1, stages: 0 }, { K: 1, vectors: 20, handWords: 120 }, { stalls: STALLS, seeds: 8 }),
  // column groups, 3 rows, a non-power-of-two kMax, deepest adder tree
  computeCase('groups', { rows: 3, cols: 6, wGroup: 2, kMax: 300, stages: 3 }, { K: 300, vectors: 8, directed: true, shuffle: true, shortTail: 60 }, { stalls: STALLS }),
  // all-FULL, all-ZERO and all-LOW streams (allzero and alllow end with short mixed vectors under
  // stalls: their configurations are exercised by no other case, so their arithmetic and enables need it)
  computeCase('allfull', { rows: 1, cols: 3, kMax: 64, stages: 1 }, { K: 64, vectors: 40, mix: ALL_FULL }, { stalls: STALLS }),
  computeCase('allzero', { rows: 1, cols: 3, kMax: 64, stages: 0 }, { K: 64, vectors: 40, mix: ALL_ZERO, shortTail: 60 }, { stalls: STALLS }),
  computeCase('alllow', { rows: 1, cols: 3, kMax: 64 }, { K: 64, vectors: 40, mix: ALL_LOW, gaps: true, shortTail: 60 }, { stalls: STALLS }),
  // the largest K: one row, 2 columns, K = 65536 (3 vectors of realistic differences)
  computeCase('kmax', { rows: 1, cols: 2, kMax: 65536 }, { K: 65536, vectors: 3, extremes: true, mix: REAL, shortTail: 200 }, { stalls: { inIdle: 0.1, outStall: 0.1 }, seeds: 1 }),
  // banks = 2 (double-buffered weights; the RULE in compute-banks.ts): tiles alternating between the
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
