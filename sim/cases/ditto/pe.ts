// Cosimulation cases of ditto.pe: every (nibble, sign, shift) × every weight on every slot
// (16,384 words per seed, each drained on its own) then random sums, and random
// accumulate/clear/drain sequences that wrap narrow accumulators, with stalls; against
// sim/golden/ditto/pe.ts and the cycle model sim/cycles/ditto/pe.ts.
import type { PeParams } from '../../../generator/spec/ditto/pe.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { type PeSlot, type PeWord, peStream } from '../../golden/ditto/pe.ts';
import { peCycles } from '../../cycles/ditto/pe.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { type DittoCase, type StreamSchedule, caseParams, inOut } from './common.ts';

export function peBeat(w: PeWord): Beat {
  const b: Beat = { clear: w.clear, last: w.last };
  w.slots.forEach((s, i) => {
    b[`v${i}`] = s.valid;
    b[`s${i}`] = s.s;
    b[`n${i}`] = s.n;
    b[`h${i}`] = s.h;
    b[`w${i}`] = s.w;
  });
  return b;
}

export function fromPeBeat(b: Beat): PeWord {
  const num = (k: string) => Number(b[k]);
  const slots = [0, 1, 2, 3].map((i): PeSlot => ({ valid: num(`v${i}`), s: num(`s${i}`), n: num(`n${i}`), h: num(`h${i}`), w: num(`w${i}`) }));
  return { slots: slots as PeWord['slots'], clear: num('clear'), last: num('last') };
}

/** Odd slots (with shifter): 16 nibbles × 2 signs × 2 shifts × 256 weights = 16384 combinations. */
function oddCombo(c: number): PeSlot {
  return { valid: 1, n: c & 15, s: (c >> 4) & 1, h: (c >> 5) & 1, w: (c >> 6) - 128 };
}
/** Even slots (no shifter, h ignored): 16 × 2 × 256 = 8192 combinations; h random. */
function evenCombo(c: number, rng: Rng): PeSlot {
  return { valid: 1, n: c & 15, s: (c >> 4) & 1, h: rng.int(0, 1), w: (c >> 5) - 128 };
}

/** Every combination on every slot, each word drained on its own (one output per word). */
export function exhaustiveWords(seed: number): PeWord[] {
  const rng = new Rng(seed);
  const a1 = 2 * rng.int(0, 8191) + 1; // odd → bijection mod 2^k
  const b1 = rng.int(0, 16383);
  const a2 = 2 * rng.int(0, 4095) + 1;
  const b2 = rng.int(0, 8191);
  const words: PeWord[] = [];
  for (let j = 0; j < 16384; j++) {
    words.push({
      slots: [evenCombo(j & 8191, rng), oddCombo(j), evenCombo((j * a2 + b2) & 8191, rng), oddCombo((j * a1 + b1) & 16383)],
      clear: rng.chance(0.5) ? 1 : 0,
      last: 1,
    });
  }
  return words;
}

/** Random words: random valid/sign/nibble/shift/weight, sums of random length, occasional clear. */
export function randomPeWords(rng: Rng, n: number, opts: { lastP: number; clearP: number }): PeWord[] {
  const words: PeWord[] = [];
  for (let j = 0; j < n; j++) {
    const slots = [0, 1, 2, 3].map((): PeSlot => {
      const big = rng.chance(0.5);
      return { valid: rng.chance(0.8) ? 1 : 0, s: rng.int(0, 1), n: big ? 15 : rng.int(0, 15), h: rng.int(0, 1), w: big ? rng.pick([-128, 127]) : rng.int(-128, 127) };
    });
    words.push({ slots: slots as PeWord['slots'], clear: rng.chance(opts.clearP) ? 1 : 0, last: rng.chance(opts.lastP) || j === n - 1 ? 1 : 0 });
  }
  return words;
}

type P = Pick<PeParams, 'accBits' | 'stages'>;

export function peGolden(p: P) {
  return (stim: Stimulus) => ({ streams: { out: peStream((stim.streams?.in ?? []).map(fromPeBeat), p.accBits).map((acc) => ({ acc })) } });
}

export function peCaseCycles(p: P) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule) =>
    inOut('in', 'out', (i, s) => peCycles((stim.streams?.in ?? []).map((b) => Number(b.last) === 1), p.stages, i, s))(idle, stall);
}

function peCase(name: string, params: Partial<P>, words: (seed: number) => PeWord[], extra: { stalls?: StallProbabilities; full?: boolean; seeds?: number } = {}): DittoCase {
  const p = caseParams({ design: 'ditto.pe', params }) as unknown as P;
  return { name: `ditto.pe.${name}`, design: 'ditto.pe', params, stimulus: (seed) => ({ streams: { in: words(seed).map(peBeat) } }), golden: peGolden(p), cycles: peCaseCycles(p), ...extra };
}

const wrapWords = (seed: number) => {
  const rng = new Rng(seed + 10);
  // short sums with clears, then long sums (lastP small) that wrap a 24-bit accumulator
  return [...randomPeWords(rng, 2000, { lastP: 0.3, clearP: 0.05 }), ...randomPeWords(rng, 3000, { lastP: 0.004, clearP: 0 })];
};

/** 500 words, output always ready: one word per cycle, latency stages + 1. */
export function backToBackWords(): PeWord[] {
  return randomPeWords(new Rng(5), 500, { lastP: 0.5, clearP: 0.1 });
}

export const peCases: DittoCase[] = [
  peCase('exhaustive', {}, (seed) => [...exhaustiveWords(seed), ...randomPeWords(new Rng(seed * 7919 + 1), 3000, { lastP: 0.1, clearP: 0.03 })], { stalls: { inIdle: 0.25, outStall: 0.25 } }),
  peCase('s0_a24', { stages: 0, accBits: 24 }, wrapWords, { stalls: { inIdle: 0.3, outStall: 0.5 }, seeds: 2 }),
  peCase('s3_a48', { stages: 3, accBits: 48 }, wrapWords, { stalls: { inIdle: 0.3, outStall: 0.5 }, seeds: 2 }),
  peCase('s1_a32', { stages: 1, accBits: 32 }, wrapWords, { stalls: { inIdle: 0.3, outStall: 0.5 }, seeds: 2 }),
  { ...peCase('back_to_back', {}, () => backToBackWords(), { seeds: 1 }), smoke: true },
];
