// Cosimulation cases of ditto.encoder: random vectors (realistic, dense, all-FULL, all-ZERO
// mixes; both modes; partial keep masks; long vectors) after directed vectors (±255, ±16, ±15,
// ±1, 0, x = −128, all-ZERO, all-FULL, FULLs that would straddle a word, empty beats), with
// and without stalls, against sim/golden/ditto/encoder.ts (words bit for bit) and
// sim/cycles/ditto/encoder.ts (the cycle of every accepted beat and every word). The `_packing`
// cases (one per configuration) reach every reorder-buffer state × beat class combination and
// run the FIFO full (write pointer lapping the read pointer) under backpressure.
import { encoderDepth, encoderIndexBits, type EncoderParams } from '../../../generator/spec/ditto/encoder.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { type EncoderBeat, type Mode, encodeBeats, modeBit, wordFields } from '../../golden/ditto/encoder.ts';
import { encoderCycles } from '../../cycles/ditto/encoder.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { ALL_FULL, ALL_LOW, ALL_ZERO, type Cls, DENSE, type DittoCase, type Mix, REAL, type StreamSchedule, caseParams, inOut, pairOfClass, pickClass } from './common.ts';

export function randomVector(rng: Rng, L: number, mix: Mix, nBeats: number, mode: Mode, keepP = 0.85): EncoderBeat[] {
  const beats: EncoderBeat[] = [];
  for (let b = 0; b < nBeats; b++) {
    const xt: number[] = [];
    const xp: number[] = [];
    let keep = 0;
    for (let j = 0; j < L; j++) {
      const [a, c] = pairOfClass(rng, mode, pickClass(rng, mix));
      xt.push(a);
      xp.push(c);
      if (rng.float() < keepP) keep |= 1 << j;
    }
    if (keepP >= 1) keep = 2 ** L - 1;
    beats.push({ xt, xp, keep, last: b === nBeats - 1, mode });
  }
  return beats;
}

/** One vector from explicit (x_t, x_{t+1}) pairs, split into beats of L (tail lanes not kept). */
function vectorOf(pairs: [number, number][], L: number, mode: Mode): EncoderBeat[] {
  const beats: EncoderBeat[] = [];
  const n = Math.max(1, Math.ceil(pairs.length / L));
  for (let b = 0; b < n; b++) {
    const xt: number[] = [];
    const xp: number[] = [];
    let keep = 0;
    for (let j = 0; j < L; j++) {
      const p = pairs[b * L + j];
      xt.push(p ? p[0] : 0);
      xp.push(p ? p[1] : 0);
      if (p) keep |= 1 << j;
    }
    beats.push({ xt, xp, keep, last: b === n - 1, mode });
  }
  return beats;
}

/** The directed cases: ±255, ±16, ±15, ±1, 0, x = −128, all-ZERO, all-FULL, straddling FULLs. */
export function directedBeats(L: number): EncoderBeat[] {
  const out: EncoderBeat[] = [];
  const diffPairs: [number, number][] = [
    [127, -128], // +255
    [-128, 127], // −255
    [16, 0],
    [0, 16],
    [15, 0],
    [-15, 0],
    [1, 0],
    [0, 1],
    [5, 5],
    [-128, -128],
    [127, 127],
  ];
  out.push(...vectorOf(diffPairs, L, 'diff'));
  out.push(...vectorOf([[-128, 0], [127, 0], [0, 0], [-1, 0], [15, 0], [16, 0], [-16, 0], [-15, 0]], L, 'orig'));
  out.push(...vectorOf([[0, 0]], L, 'diff')); // one-element all-zero vector
  out.push(...vectorOf(Array.from({ length: 3 * L + 1 }, (): [number, number] => [7, 7]), L, 'diff')); // all ZERO
  out.push(...vectorOf(Array.from({ length: 3 * L + 1 }, (_, i): [number, number] => [i % 2 ? -100 : 100, 0]), L, 'diff')); // all FULL
  // LOW LOW LOW FULL ...: the FULL would straddle a word boundary if packed in order
  out.push(...vectorOf([[1, 0], [2, 0], [3, 0], [50, 0], [4, 0], [60, 0], [70, 0], [5, 0], [6, 0]], L, 'diff'));
  out.push(...vectorOf([[1, 0], [50, 0], [2, 0], [3, 0], [60, 0]], L, 'diff'));
  out.push(...vectorOf([[40, 0]], L, 'diff')); // a lone FULL
  out.push(...vectorOf([[0, 0], [0, 0], [0, 0], [0, 0], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0]], L, 'diff'));
  // an empty beat (no kept lane) ending a vector, and one inside a vector
  out.push({ xt: Array(L).fill(1), xp: Array(L).fill(0), keep: 0, last: true, mode: 'diff' });
  out.push({ xt: Array(L).fill(1), xp: Array(L).fill(0), keep: 0, last: false, mode: 'diff' });
  out.push({ xt: Array(L).fill(3), xp: Array(L).fill(0), keep: 2 ** L - 1, last: true, mode: 'diff' });
  return out;
}

export function randomBeats(seed: number, L: number, nVectors: number): EncoderBeat[] {
  const rng = new Rng(seed);
  const beats: EncoderBeat[] = [...directedBeats(L)];
  for (let v = 0; v < nVectors; v++) {
    const r = rng.float();
    const mix = r < 0.6 ? REAL : r < 0.8 ? DENSE : r < 0.9 ? ALL_FULL : ALL_ZERO;
    const mode: Mode = rng.chance(0.3) ? 'orig' : 'diff';
    const nBeats = rng.chance(0.1) ? rng.int(20, 40) : rng.int(1, 8);
    beats.push(...randomVector(rng, L, mix, nBeats, mode, rng.chance(0.5) ? 1 : 0.8));
  }
  return beats;
}

/** One beat from explicit lane classes (undefined: lane not kept). */
function beatOfClasses(rng: Rng, cls: (Cls | undefined)[], last: boolean, mode: Mode): EncoderBeat {
  const xt: number[] = [];
  const xp: number[] = [];
  let keep = 0;
  cls.forEach((c, j) => {
    const [a, b] = c === undefined ? [rng.int(-128, 127), rng.int(-128, 127)] : pairOfClass(rng, mode, c);
    xt.push(a);
    xp.push(b);
    if (c !== undefined) keep |= 1 << j;
  });
  return { xt, xp, keep, last, mode };
}

/** Every pending state of the reorder buffer (≤ 4 slots, ≤ 2 FULL), as the elements that leave it. */
const PENDING: Cls[][] = [[], ['low'], ['low', 'low'], ['low', 'low', 'low'], ['low', 'low', 'low', 'low'], ['full'], ['full', 'low'], ['low', 'full', 'low'], ['full', 'full'], ['low', 'low', 'low', 'low', 'full', 'low', 'low']];

/**
 * Packing corners: every pending state (U0 0..4, f0 0..2, after 0 or 1 formed words) followed by
 * a beat of every class combination (all 3^L for L ≤ 4, else a random sample and every split
 * FULLs-then-LOWs and LOWs-then-FULLs), ending the vector
 * or followed by one more random beat; then random vectors of LOW/FULL-heavy mixes, short and
 * long, with sparse keep masks.
 */
export function packingBeats(seed: number, L: number, nRandom: number): EncoderBeat[] {
  const rng = new Rng(seed);
  const beats: EncoderBeat[] = [];
  const classes: Cls[] = ['zero', 'low', 'full'];
  const combos: Cls[][] = [];
  if (L <= 4) for (let c = 0; c < 3 ** L; c++) combos.push(Array.from({ length: L }, (_, j) => classes[Math.floor(c / 3 ** j) % 3]!));
  else {
    for (let c = 0; c < 60; c++) combos.push(Array.from({ length: L }, () => rng.pick(classes)));
    // and the beats that push the most LOWs past the FULLs, and the reverse (every FULL/LOW
    // split): a FULL carried into a late word (FF formed on a FULL lane) with many LOWs after it
    for (let a = 0; a <= L; a++) for (const [x, y] of [['full', 'low'], ['low', 'full']] as const) combos.push(Array.from({ length: L }, (_, j) => (j < a ? x : y)));
  }
  for (const pend of PENDING) {
    for (const combo of combos) {
      const mode: Mode = rng.chance(0.2) ? 'orig' : 'diff';
      // the pending elements in beats of L lanes (the tail of the last beat not kept)
      for (let i = 0; i < pend.length; i += L) beats.push(beatOfClasses(rng, Array.from({ length: L }, (_, j) => pend[i + j]), false, mode));
      const end = rng.chance(0.5);
      beats.push(beatOfClasses(rng, combo, end, mode));
      if (!end) beats.push(beatOfClasses(rng, Array.from({ length: L }, () => (rng.chance(0.8) ? rng.pick(classes) : undefined)), true, mode));
    }
  }
  const mixes: Mix[] = [REAL, DENSE, ALL_FULL, ALL_LOW, { zero: 0, low: 0.5 }, { zero: 0, low: 0.75 }, { zero: 0.2, low: 0.4 }, { zero: 0, low: 0.25 }];
  for (let v = 0; v < nRandom; v++) {
    const mode: Mode = rng.chance(0.3) ? 'orig' : 'diff';
    const nBeats = rng.chance(0.4) ? 1 : rng.chance(0.9) ? rng.int(2, 6) : rng.int(20, 40);
    beats.push(...randomVector(rng, L, rng.pick(mixes), nBeats, mode, rng.pick([1, 1, 0.9, 0.6, 0.3])));
  }
  return beats;
}

export function encoderBeat(b: EncoderBeat, L: number): Beat {
  const beat: Beat = { keep: b.keep, last: b.last ? 1 : 0, mode: modeBit(b.mode) };
  for (let j = 0; j < L; j++) {
    beat[`xt_${j}`] = b.xt[j];
    beat[`xp_${j}`] = b.xp[j];
  }
  return beat;
}

export function fromEncoderBeat(b: Beat, L: number): EncoderBeat {
  const xt: number[] = [];
  const xp: number[] = [];
  for (let j = 0; j < L; j++) {
    xt.push(Number(b[`xt_${j}`]));
    xp.push(Number(b[`xp_${j}`]));
  }
  return { xt, xp, keep: Number(b.keep), last: Number(b.last) === 1, mode: Number(b.mode) === 1 ? 'orig' : 'diff' };
}

type P = Pick<EncoderParams, 'lanes' | 'kMax' | 'depth' | 'stages'>;

export function encoderGolden(p: P) {
  const kBits = encoderIndexBits(p.kMax);
  return (stim: Stimulus) => ({ streams: { out: encodeBeats((stim.streams?.in ?? []).map((b) => fromEncoderBeat(b, p.lanes)), p.lanes, kBits).map(wordFields) } });
}

export function encoderCaseCycles(p: P) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule) => {
    const beats = (stim.streams?.in ?? []).map((b) => fromEncoderBeat(b, p.lanes));
    return inOut('in', 'out', (i, s) => encoderCycles(beats, { lanes: p.lanes, depth: encoderDepth(p), stages: p.stages, kBits: encoderIndexBits(p.kMax) }, i, s))(idle, stall);
  };
}

function encoderCase(name: string, params: Partial<P>, stimulus: (p: P) => (seed: number) => Stimulus, extra: { stalls?: StallProbabilities; full?: boolean; seeds?: number } = {}): DittoCase {
  const p = caseParams({ design: 'ditto.encoder', params }) as unknown as P;
  return { name: `ditto.encoder.${name}`, design: 'ditto.encoder', params, stimulus: stimulus(p), golden: encoderGolden(p), cycles: encoderCaseCycles(p), ...extra };
}

const random = (vectors: number) => (p: P) => (seed: number) => ({ streams: { in: randomBeats(seed * 31 + p.lanes, p.lanes, vectors).map((b) => encoderBeat(b, p.lanes)) } });

/** 40 vectors of 16 full beats (real and dense mixes alternating), back to back: the throughput case. */
export function throughputBeats(L: number): EncoderBeat[] {
  const rng = new Rng(99);
  const beats: EncoderBeat[] = [];
  for (let v = 0; v < 40; v++) beats.push(...randomVector(rng, L, v % 2 ? REAL : DENSE, 16, 'diff', 1));
  return beats;
}

const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.4 };
/** The FIFO mostly full: in_ready follows resv, the write pointer laps the read pointer. */
const BACKPRESSURE: StallProbabilities = { inIdle: 0.05, outStall: 0.75 };

const packing = (vectors: number) => (p: P) => (seed: number) => ({ streams: { in: packingBeats(seed * 57 + p.lanes, p.lanes, vectors).map((b) => encoderBeat(b, p.lanes)) } });

export const encoderCases: DittoCase[] = [
  encoderCase('default', {}, random(300)),
  { ...encoderCase('default_stalls', {}, random(300), { stalls: STALLS }), smoke: true },
  encoderCase('l1', { lanes: 1, kMax: 512 }, random(200)),
  encoderCase('l1_stalls', { lanes: 1, kMax: 512 }, random(200), { stalls: STALLS }),
  encoderCase('l3_d3', { lanes: 3, kMax: 300, depth: 3 }, random(200)),
  encoderCase('l3_d3_stalls', { lanes: 3, kMax: 300, depth: 3 }, random(200), { stalls: STALLS }),
  encoderCase('l8_k64k', { lanes: 8, kMax: 65536 }, random(200)),
  encoderCase('l8_k64k_stalls', { lanes: 8, kMax: 65536 }, random(200), { stalls: STALLS }),
  encoderCase('throughput', {}, (p) => () => ({ streams: { in: throughputBeats(p.lanes).map((b) => encoderBeat(b, p.lanes)) } }), { seeds: 1 }),
  encoderCase('l16_stalls', { lanes: 16, kMax: 65536, depth: 64 }, random(400), { stalls: STALLS, full: true }),
  // the other pipeline depths (stages 0 = the single-cycle scan; 1..3 = subsets of the boundaries)
  encoderCase('s0_stalls', { stages: 0 }, random(200), { stalls: STALLS }),
  encoderCase('s1_l5', { lanes: 5, kMax: 640, stages: 1 }, random(200)),
  encoderCase('s1_l5_stalls', { lanes: 5, kMax: 640, stages: 1 }, random(200), { stalls: STALLS }),
  encoderCase('s2_l2_d4_stalls', { lanes: 2, kMax: 64, stages: 2, depth: 4 }, random(200), { stalls: STALLS }),
  encoderCase('s3_l6_stalls', { lanes: 6, kMax: 1000, stages: 3 }, random(200), { stalls: STALLS }),
  encoderCase('d7_stalls', { depth: 7 }, random(200), { stalls: STALLS }), // depth not a multiple of Wmax: the unbanked FIFO write
  // heavy output backpressure at the defaults: the FIFO runs full, in_ready follows resv
  encoderCase('default_backpressure', {}, random(200), { stalls: { inIdle: 0.05, outStall: 0.85 } }),
  // every pending state × every beat class combination, and LOW/FULL-heavy vectors, at every
  // configuration above, under backpressure (the FIFO full, the pointers lapping)
  encoderCase('default_packing', {}, packing(200), { stalls: BACKPRESSURE }),
  encoderCase('d7_packing', { depth: 7 }, packing(200), { stalls: BACKPRESSURE }),
  encoderCase('l1_packing', { lanes: 1, kMax: 512 }, packing(300), { stalls: BACKPRESSURE }),
  encoderCase('l3_d3_packing', { lanes: 3, kMax: 300, depth: 3 }, packing(200), { stalls: BACKPRESSURE }),
  encoderCase('l8_k64k_packing', { lanes: 8, kMax: 65536 }, packing(200), { stalls: BACKPRESSURE }),
  encoderCase('s0_packing', { stages: 0 }, packing(200), { stalls: BACKPRESSURE }),
  encoderCase('s1_l5_packing', { lanes: 5, kMax: 640, stages: 1 }, packing(200), { stalls: BACKPRESSURE }),
  encoderCase('s2_l2_d4_packing', { lanes: 2, kMax: 64, stages: 2, depth: 4 }, packing(200), { stalls: BACKPRESSURE }),
  encoderCase('s3_l6_packing', { lanes: 6, kMax: 1000, stages: 3 }, packing(200), { stalls: BACKPRESSURE }),
];
