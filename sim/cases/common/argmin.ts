// Cosimulation cases of common.argmin against sim/golden/common/argmin.ts (minimum and the
// LOWEST index on ties): default (8 x u16, 3 stages), ties (values from a set of three), one stage,
// signed n = 5 combinational, the smallest (n = 1, 1 bit), n = 13 signed 48-bit with the
// most stages and, under `full`, n = 256. Directed beats: all equal, increasing, decreasing,
// the minimum at each position, a tie at every pair of positions (or sampled pairs for big n).
import { argminDesign } from '../../../generator/blocks/common/argmin.ts';
import type { ParamValue } from '../../../generator/emit/design.ts';
import { type Beat, type Expected, type StallProbabilities, type Stimulus, Rng, valueRange } from '../../cosim/index.ts';
import { argminStream } from '../../golden/common/argmin.ts';
import type { CosimCase } from '../case.ts';
import { stallPipelineCycles } from '../../cycles/common/pipeline.ts';
import { inOutCase } from './in_out.ts';

const DESIGN = argminDesign.name;
const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };
const NO_STALLS: StallProbabilities = { inIdle: 0, outStall: 0 };

export function argminConfig(params: Record<string, ParamValue> = {}) {
  return argminDesign.resolve(params);
}
type Config = ReturnType<typeof argminConfig>;

function row(n: number, f: (i: number) => bigint): Beat {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, f(i)]));
}

function clampTo(v: bigint, min: bigint, max: bigint): bigint {
  return v < min ? min : v > max ? max : v;
}

/** Index pairs (j < k) for tie beats: all of them for small n, else a spread. */
function pairs(n: number, rng: Rng): [number, number][] {
  const out: [number, number][] = [];
  if (n <= 16) {
    for (let j = 0; j < n; j++) for (let k = j + 1; k < n; k++) out.push([j, k]);
    return out;
  }
  out.push([0, 1], [0, n - 1], [n - 2, n - 1], [n >> 1, (n >> 1) + 1], [1, n - 1]);
  for (let i = 0; i < 40; i++) {
    const j = rng.int(0, n - 2);
    out.push([j, rng.int(j + 1, n - 1)]);
  }
  return out;
}

export function argminDirected(p: Config, rng: Rng): Beat[] {
  const { n, width, signed } = p;
  const { min, max } = valueRange(width, signed);
  const mid = clampTo(signed ? 0n : 1n << BigInt(width - 1), min, max);
  const beats: Beat[] = [];
  // all equal: index 0
  for (const v of [min, max, mid, signed ? -1n : clampTo(1n, min, max)]) beats.push(row(n, () => v));
  // increasing (index 0) / decreasing (index n-1), saturating at the range ends
  beats.push(row(n, (i) => clampTo(min + BigInt(i), min, max)), row(n, (i) => clampTo(max - BigInt(i), min, max)));
  // the minimum at one position, the rest max / the rest one above it
  const pos = n <= 32 ? Array.from({ length: n }, (_, i) => i) : [0, 1, n >> 1, n - 2, n - 1, ...Array.from({ length: 20 }, () => rng.int(0, n - 1))];
  for (const k of pos) beats.push(row(n, (i) => (i === k ? min : max)), row(n, (i) => (i === k ? mid : clampTo(mid + 1n, min, max))));
  // ties: two minima at j < k, everything else larger; the answer is j
  for (const [j, k] of pairs(n, rng)) {
    const lo = rng.pick([min, mid, max - 1n < min ? min : max - 1n]);
    beats.push(row(n, (i) => (i === j || i === k ? lo : clampTo(lo + 1n + BigInt(rng.int(0, 3)), min, max))));
  }
  // ties at the highest indices and everything tied but the first
  if (n >= 2) beats.push(row(n, (i) => (i >= n - 2 ? min : max)), row(n, (i) => (i === 0 ? max : min)));
  return beats;
}

/** Random candidates; `tieSet` > 0: drawn from that many distinct values (many ties). */
export function argminRandom(p: Config, rng: Rng, count: number, tieSet = 0): Beat[] {
  const beats: Beat[] = [];
  for (let b = 0; b < count; b++) {
    if (tieSet > 0) {
      const set = Array.from({ length: tieSet }, () => rng.edgyValue(p.width, p.signed));
      beats.push(row(p.n, () => rng.pick(set)));
    } else beats.push(row(p.n, () => rng.edgyValue(p.width, p.signed)));
  }
  return beats;
}

export function argminGolden(p: Config) {
  return (stim: Stimulus): Expected => {
    const beats = (stim.streams?.in ?? []).map((b) => Array.from({ length: p.n }, (_, i) => BigInt(b[`v${i}`]!)));
    return { streams: { out: argminStream(beats).map((r) => ({ min: r.min, index: r.index })) } };
  };
}

interface Opts {
  stalls?: StallProbabilities;
  full?: boolean;
  random?: number;
  tieSet?: number;
  directed?: boolean;
  beats?: (p: Config) => Beat[];
}

function argminCase(short: string, params: Record<string, ParamValue>, o: Opts = {}): CosimCase {
  const p = argminConfig(params);
  return inOutCase(DESIGN, short, params, {
    stalls: o.stalls ?? STALLS,
    full: o.full,
    fixed: o.beats && (() => o.beats!(p)),
    generate: (rng) => [...(o.directed === false ? [] : argminDirected(p, rng)), ...argminRandom(p, rng, o.random ?? 300, o.tieSet ?? 0)],
    golden: argminGolden(p),
    cycles: (n, idle, stall) => stallPipelineCycles(n, p.stages, idle, stall),
  });
}

export const argminCases: CosimCase[] = [
  // defaults: 8 x u16, 3 stages
  { ...argminCase('default', {}), smoke: true },
  argminCase('ties', {}, { tieSet: 3, random: 400 }),
  argminCase('nostall', {}, { stalls: NO_STALLS, random: 500, tieSet: 2 }),
  argminCase('single', {}, { beats: (p) => [row(p.n, () => 5n)] }),
  // the default before issue 13: all three levels ahead of one output register
  argminCase('stages1', { stages: 1 }, { tieSet: 3 }),
  argminCase('signed_n5_comb', { n: 5, width: 4, signed: true, stages: 0 }, { tieSet: 3 }),
  argminCase('n1', { n: 1, width: 1, signed: false, stages: 1 }, { random: 100 }),
  argminCase('signed_n13_w48', { n: 13, width: 48, signed: true, stages: 5 }),
  argminCase('signed_n13_w48_ties', { n: 13, width: 48, signed: true, stages: 5 }, { tieSet: 2, directed: false }),
  argminCase('n256', { n: 256, width: 16, signed: false, stages: 3 }, { full: true, random: 200, tieSet: 4 }),
  argminCase('signed_n256_w48', { n: 256, width: 48, signed: true, stages: 9 }, { full: true, random: 200 }),
  argminCase('n100_comb', { n: 100, width: 8, signed: false, stages: 0 }, { full: true, tieSet: 5 }),
];
