// Cosimulation cases of common.adder_tree against sim/golden/common/adder_tree.ts: default,
// smallest (n = 1, 1 bit), non-power-of-two unsigned, signed 64-bit (66-bit sum) and, under
// `full`, n = 256. Directed beats (all-min, all-max, alternating, one-hot extremes, repeats)
// lead every stimulus; random beats are biased to the corners (Rng.edgyValue).
import { adderTreeDesign } from '../../../generator/blocks/common/adder_tree.ts';
import type { ParamValue } from '../../../generator/emit/design.ts';
import { type Beat, type Expected, type StallProbabilities, type Stimulus, Rng, valueRange } from '../../cosim/index.ts';
import { adderTreeStream } from '../../golden/common/adder_tree.ts';
import type { CosimCase } from '../case.ts';
import { stallPipelineCycles } from '../../cycles/common/pipeline.ts';
import { inOutCase } from './in_out.ts';

const DESIGN = adderTreeDesign.name;
const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };
const NO_STALLS: StallProbabilities = { inIdle: 0, outStall: 0 };

/** Every parameter of a case (defaults filled in). */
export function adderTreeConfig(params: Record<string, ParamValue> = {}) {
  return adderTreeDesign.resolve(params);
}
type Config = ReturnType<typeof adderTreeConfig>;

function row(n: number, f: (i: number) => bigint): Beat {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, f(i)]));
}

/** Positions worth a one-hot beat: all of them for small n, else the ends and the middle. */
function positions(n: number): number[] {
  return n <= 16 ? Array.from({ length: n }, (_, i) => i) : [...new Set([0, 1, n >> 1, n - 2, n - 1])];
}

/** Corners: all max/min/0/±1, alternating, one-hot extremes, three equal beats back to back. */
export function adderTreeDirected(p: Config): Beat[] {
  const { n, width, signed } = p;
  const { min, max } = valueRange(width, signed);
  const one = signed ? -1n : 1n < max ? 1n : max;
  const beats = [row(n, () => max), row(n, () => min), row(n, () => 0n), row(n, () => one), row(n, (i) => (i % 2 ? max : min)), row(n, (i) => (i % 2 ? min : max))];
  for (const k of positions(n)) beats.push(row(n, (i) => (i === k ? max : min)), row(n, (i) => (i === k ? min : max)));
  beats.push(row(n, () => max), row(n, () => max), row(n, () => max));
  return beats;
}

export function adderTreeRandom(p: Config, rng: Rng, count: number): Beat[] {
  const { min, max } = valueRange(p.width, p.signed);
  return Array.from({ length: count }, () =>
    // a quarter of the beats only from {min, max}: sums near the extremes of the output range
    rng.chance(0.25) ? row(p.n, () => (rng.chance(0.5) ? max : min)) : row(p.n, () => rng.edgyValue(p.width, p.signed)),
  );
}

export function adderTreeGolden(p: Config) {
  return (stim: Stimulus): Expected => {
    const beats = (stim.streams?.in ?? []).map((b) => Array.from({ length: p.n }, (_, i) => BigInt(b[`x${i}`]!)));
    return { streams: { out: adderTreeStream(beats).map((sum) => ({ sum })) } };
  };
}

interface Opts {
  stalls?: StallProbabilities;
  full?: boolean;
  /** Random beats after the directed ones (0: directed only). */
  random?: number;
  directed?: boolean;
  /** Replace the stimulus: a fixed list of beats. */
  beats?: (p: Config) => Beat[];
}

function adderCase(short: string, params: Record<string, ParamValue>, o: Opts = {}): CosimCase {
  const p = adderTreeConfig(params);
  return inOutCase(DESIGN, short, params, {
    stalls: o.stalls ?? STALLS,
    full: o.full,
    fixed: o.beats && (() => o.beats!(p)),
    generate: (rng) => [...(o.directed === false ? [] : adderTreeDirected(p)), ...adderTreeRandom(p, rng, o.random ?? 300)],
    golden: adderTreeGolden(p),
    cycles: (n, idle, stall) => stallPipelineCycles(n, p.stages, idle, stall),
  });
}

export const adderTreeCases: CosimCase[] = [
  // defaults: n 8, s8, 1 stage
  { ...adderCase('default', {}), smoke: true },
  adderCase('directed', {}, { random: 0 }),
  adderCase('nostall', {}, { stalls: NO_STALLS, random: 500 }),
  adderCase('single', {}, { beats: (p) => [row(p.n, () => valueRange(p.width, p.signed).max)] }),
  adderCase('heavy_stall', {}, { stalls: { inIdle: 0.1, outStall: 0.8 }, random: 200 }),
  adderCase('unsigned_n5', { n: 5, width: 7, signed: false, stages: 3 }),
  adderCase('signed_w64', { n: 3, width: 64, signed: true, stages: 0 }),
  adderCase('n1', { n: 1, width: 1, signed: true, stages: 1 }),
  adderCase('n1_unsigned', { n: 1, width: 1, signed: false, stages: 1 }, { full: true }),
  adderCase('n256', { n: 256, width: 64, signed: false, stages: 9 }, { full: true, random: 200 }),
  adderCase('n100', { n: 100, width: 16, signed: true, stages: 2 }, { full: true }),
  adderCase('unsigned_w64_max_stages', { n: 6, width: 64, signed: false, stages: 4 }, { full: true }),
];
