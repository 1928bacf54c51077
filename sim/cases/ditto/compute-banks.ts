// Cosimulation stimulus and golden model of ditto.compute with two weight banks (the `banks*`
// cases of sim/cases/ditto/compute.ts). The weight stream loads bank 0 (W0, K0 rows) and bank 1
// (W1, K1 rows), optionally beat-interleaved, then reloads the banks in turn; each row runs
// tiles of vectors that alternate between the banks (row r starts with bank r mod 2), plus
// vectors whose words read both banks. The cosim drives every stream on its own schedule, so
// the words of a row and the weight beats have no fixed relative timing: the only order is the
// RTL's per-bank gate (a word of bank b is accepted only while loaded[b], i.e. after b's first
// load has completed and outside any later load of b). The result is therefore
// timing-independent under this RULE, which bankWeights checks on every stimulus (an error
// otherwise): every weight entry (bank, k, column group) that some word reads (any slot's k,
// valid or not: an invalid slot's product is 0, but an unwritten entry is X in Icarus) holds
// its final value once its bank's first load is complete — written by that first load, and
// every later write to it (a reload) writes the same value. Reloads may write other values only
// to entries no word reads (k ≥ the bank's K). So a reload exercises the gate (the bank's words
// wait while it runs; the other bank's words flow) and any write that goes to the wrong bank or
// address is seen, while the golden output of every word comes from the weights its bank holds
// (a bank is in effect loaded once; a real tile schedule that reuses a bank for new weights must
// order that load after the last word of the bank's previous tile, e.g. ditto_top's sequencer).
import { computeGroup } from '../../../generator/spec/ditto/compute.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { type Matrix, denseMatmul, peWordsFor } from '../../golden/ditto/compute.ts';
import { peStream } from '../../golden/ditto/pe.ts';
import { type Mode, type Word, decodeWords, encodeVector } from '../../golden/ditto/encoder.ts';
import { Rng } from '../../stimulus/rng.ts';
import { DENSE, REAL, randomMix, randomPairs, randomWeight } from './common.ts';
import { type ComputeCaseParams as P, bankWordBeat, beatWord, directedVectors, lowGapWords, oddWords, randomHandWords, weightBeats } from './compute-words.ts';

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
export function computeBankGolden(p: P) {
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
