// Cosimulation cases of ditto.pe_a8w8 (the dense A8W8 baseline PE): every int8 × int8 pair on
// each lane (65,536 words per seed, each drained on its own) then random sums; random
// accumulate/clear/drain sequences with long sums of large same-sign products that wrap
// narrow accumulators; directed words (the extreme products, clear and last together, clear
// in the middle of a sum, sums that wrap the default 32-bit accumulator both ways, `clear`
// changing from word to word while drained sums wait for the output register); all with
// random stalls over several seeds, against sim/golden/ditto/pe_a8w8.ts and, cycle-exactly,
// the cycle model sim/cycles/ditto/pe_a8w8.ts.
import type { PeDenseParams } from '../../../generator/blocks/ditto/pe_a8w8.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { type DenseWord, denseStream } from '../../golden/ditto/pe_a8w8.ts';
import { peA8w8Cycles } from '../../cycles/ditto/pe_a8w8.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { type DittoCase, type StreamSchedule, caseParams, inOut } from './common.ts';

const DESIGN = 'ditto.pe_a8w8';

export function denseBeat(w: DenseWord): Beat {
  return { a0: w.a[0], w0: w.w[0], a1: w.a[1], w1: w.w[1], clear: w.clear, last: w.last };
}

export function fromDenseBeat(b: Beat): DenseWord {
  return { a: [Number(b.a0), Number(b.a1)], w: [Number(b.w0), Number(b.w1)], clear: Number(b.clear), last: Number(b.last) };
}

const word = (a0: number, w0: number, a1: number, w1: number, clear = 0, last = 1): DenseWord => ({ a: [a0, a1], w: [w0, w1], clear, last });

/** Every (a, w) int8 pair on lane 0, and every pair in a seeded permuted order on lane 1; each word drained alone. */
export function exhaustiveDenseWords(seed: number): DenseWord[] {
  const rng = new Rng(seed);
  const mul = 2 * rng.int(0, 32767) + 1; // odd → a bijection mod 2^16
  const add = rng.int(0, 65535);
  const pair = (c: number): [number, number] => [(c & 255) - 128, (c >> 8) - 128];
  const words: DenseWord[] = [];
  for (let j = 0; j < 65536; j++) {
    const [a0, w0] = pair(j);
    const [a1, w1] = pair((j * mul + add) & 65535);
    words.push(word(a0, w0, a1, w1, rng.chance(0.5) ? 1 : 0, 1));
  }
  return words;
}

/** Random words (half of the values at the int8 extremes), sums of random length, occasional clear. */
export function randomDenseWords(rng: Rng, n: number, opts: { lastP: number; clearP: number }): DenseWord[] {
  const v = () => (rng.chance(0.5) ? rng.pick([-128, 127, -127]) : rng.int(-128, 127));
  const words: DenseWord[] = [];
  for (let j = 0; j < n; j++) {
    words.push(word(v(), v(), v(), v(), rng.chance(opts.clearP) ? 1 : 0, rng.chance(opts.lastP) || j === n - 1 ? 1 : 0));
  }
  return words;
}

/** Long sums of large same-sign products (±127·±127, −128·−128): ~32k per word, so 600 of them wrap a 24-bit accumulator. */
export function wrappingDenseWords(rng: Rng, sums: number, len: number): DenseWord[] {
  const words: DenseWord[] = [];
  for (let s = 0; s < sums; s++) {
    const neg = rng.chance(0.5);
    for (let j = 0; j < len; j++) {
      const big = (): [number, number] => (neg ? [127, -128] : rng.pick<[number, number]>([[127, 127], [-128, -128], [-127, -128]]));
      const [a0, w0] = big();
      const [a1, w1] = big();
      words.push(word(a0, w0, a1, w1, 0, j === len - 1 ? 1 : 0));
    }
  }
  return words;
}

/**
 * Short sums (1 to 3 words) of non-zero words, `clear` random on every word: whenever a sum's
 * last word waits at the accumulator (the output register still full), the word offered behind
 * it mostly has another `clear`, so a `clear` register that is not held while the pipeline
 * stalls (its enable dropped) takes the wrong one, and the running sum is wrongly kept or lost.
 */
export function clearUnderStallWords(rng: Rng, sums: number): DenseWord[] {
  const nz = () => (rng.chance(0.5) ? 1 : -1) * rng.int(1, 127);
  const words: DenseWord[] = [];
  for (let s = 0; s < sums; s++) {
    const len = rng.int(1, 3);
    for (let j = 0; j < len; j++) words.push(word(nz(), nz(), nz(), nz(), rng.chance(0.5) ? 1 : 0, j === len - 1 ? 1 : 0));
  }
  return words;
}

/** A sum of `n` copies of one word, drained by the last one. */
function repeated(n: number, a0: number, w0: number, a1: number, w1: number): DenseWord[] {
  return Array.from({ length: n }, (_, j) => word(a0, w0, a1, w1, 0, j === n - 1 ? 1 : 0));
}

/**
 * Directed words: the extreme products on each lane alone and on both, zero words, clear and
 * last together, clear in the middle of a sum and on a sum's first word, two sums that wrap a
 * 32-bit accumulator (65,537 × 2^15 = 2^31 + 2^15 up; 66,053 × −32,512 below −2^31), then
 * short sums with `clear` changing from word to word (clearUnderStallWords).
 */
export function directedDenseWords(): DenseWord[] {
  const ext = [-128, -127, -1, 0, 1, 126, 127];
  const words: DenseWord[] = [];
  // every extreme pair on lane 0, then on lane 1, then the same pair on both lanes
  for (const a of ext) for (const w of ext) words.push(word(a, w, 0, 0), word(0, 0, a, w), word(a, w, a, w), word(a, w, a === -128 ? 127 : 0 - a, w));
  words.push(
    word(0, 0, 0, 0),
    word(-128, -128, -128, -128), // the largest word: 2^15
    word(127, -128, -128, 127), // the smallest: −32,512
    // clear and last together: the word alone
    word(100, 100, 0, 0, 0, 0),
    word(3, 5, -7, 2, 1, 1),
    // clear in the middle of a sum discards what came before
    word(50, 50, 50, 50, 0, 0),
    word(-20, 20, 0, 0, 0, 0),
    word(1, 1, 1, 1, 1, 0),
    word(-2, 3, 4, -5, 0, 1),
    // clear on a sum's first word (the accumulator is 0 there anyway)
    word(7, 7, 7, 7, 1, 0),
    word(-128, 127, 127, -128, 0, 1),
  );
  words.push(...repeated(65_537, -128, -128, -128, -128));
  words.push(...repeated(66_053, 127, -128, -128, 127));
  // each sign of a one-word sum right after the wrapped ones (the accumulator restarted at 0)
  words.push(word(-1, 1, 0, 0), word(1, 1, 0, 0));
  words.push(...clearUnderStallWords(new Rng(77), 1500));
  return words;
}

type P = Pick<PeDenseParams, 'accBits' | 'stages'>;

export function peA8w8Golden(p: P) {
  return (stim: Stimulus) => ({ streams: { out: denseStream((stim.streams?.in ?? []).map(fromDenseBeat), p.accBits).map((acc) => ({ acc })) } });
}

export function peA8w8CaseCycles(p: P) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule) =>
    inOut('in', 'out', (i, s) => peA8w8Cycles((stim.streams?.in ?? []).map((b) => Number(b.last) === 1), p.stages, i, s))(idle, stall);
}

function peA8w8Case(name: string, params: Partial<P>, words: (seed: number) => DenseWord[], extra: { stalls?: StallProbabilities; full?: boolean; seeds?: number } = {}): DittoCase {
  const p = caseParams({ design: DESIGN, params }) as unknown as P;
  return { name: `${DESIGN}.${name}`, design: DESIGN, params, stimulus: (seed) => ({ streams: { in: words(seed).map(denseBeat) } }), golden: peA8w8Golden(p), cycles: peA8w8CaseCycles(p), ...extra };
}

/**
 * Short random sums with clears, long random sums, sums of 600 large same-sign products (they
 * wrap a 24-bit accumulator), then short sums with `clear` on every other word or so.
 */
export function wrapDenseWords(seed: number): DenseWord[] {
  const rng = new Rng(seed + 10);
  return [
    ...randomDenseWords(rng, 2000, { lastP: 0.3, clearP: 0.05 }),
    ...randomDenseWords(rng, 3000, { lastP: 0.004, clearP: 0 }),
    ...wrappingDenseWords(rng, 4, 600),
    ...clearUnderStallWords(rng, 1500),
  ];
}

/** 500 words, output always ready: one word per cycle, latency stages + 1. */
export function denseBackToBackWords(): DenseWord[] {
  return randomDenseWords(new Rng(5), 500, { lastP: 0.5, clearP: 0.1 });
}

const WRAP_STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.5 };

export const peA8w8Cases: DittoCase[] = [
  peA8w8Case('exhaustive', {}, (seed) => [...exhaustiveDenseWords(seed), ...randomDenseWords(new Rng(seed * 7919 + 1), 3000, { lastP: 0.1, clearP: 0.03 })], { stalls: { inIdle: 0.25, outStall: 0.25 }, seeds: 2 }),
  peA8w8Case('directed', {}, () => directedDenseWords(), { stalls: { inIdle: 0.2, outStall: 0.6 }, seeds: 2 }),
  peA8w8Case('s0_a24', { stages: 0, accBits: 24 }, wrapDenseWords, { stalls: WRAP_STALLS, seeds: 3 }),
  peA8w8Case('s3_a48', { stages: 3, accBits: 48 }, wrapDenseWords, { stalls: WRAP_STALLS, seeds: 2 }),
  peA8w8Case('s1_a32', { stages: 1, accBits: 32 }, wrapDenseWords, { stalls: WRAP_STALLS, seeds: 2 }),
  { ...peA8w8Case('back_to_back', {}, () => denseBackToBackWords(), { seeds: 1 }), smoke: true },
];
