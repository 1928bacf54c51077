// Cosimulation cases of common.abs_diff against sim/golden/common/abs_diff.ts: default (u8,
// registered) with every operand pair, signed 32-bit (the widest), the smallest (signed 1 bit,
// combinational) and a 13-bit unsigned combinational one; directed corners (a = min b = max
// and the reverse, equal operands, 0 against the extremes) lead every random stimulus.
import { absDiffDesign } from '../../../generator/blocks/common/abs_diff.ts';
import type { ParamValue } from '../../../generator/emit/design.ts';
import { type Beat, type StallProbabilities, type Stimulus, Rng, valueRange } from '../../cosim/index.ts';
import { absDiffStream } from '../../golden/common/abs_diff.ts';
import type { CosimCase } from '../case.ts';
import { absDiffStages } from '../../golden/common/abs_diff.ts';
import { stallPipelineCycles } from '../../cycles/common/pipeline.ts';
import { inOutCase } from './in_out.ts';
import type { TopExpected as AbsDiffExpected } from '../../bindings/common_abs_diff.ports.ts';

const DESIGN = absDiffDesign.name;
const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };
const NO_STALLS: StallProbabilities = { inIdle: 0, outStall: 0 };

export function absDiffConfig(params: Record<string, ParamValue> = {}) {
  return absDiffDesign.resolve(params);
}
type Config = ReturnType<typeof absDiffConfig>;

/** a = min b = max and the reverse, equal extremes, 0 and ±1 against the extremes. */
export function absDiffDirected(p: Config): Beat[] {
  const { min, max } = valueRange(p.width, p.signed);
  const vals = [...new Set([min, max, 0n, p.signed ? -1n : 1n, min + 1n, max - 1n].filter((v) => v >= min && v <= max))];
  const beats: Beat[] = [
    { a: min, b: max },
    { a: max, b: min },
    { a: min, b: min },
    { a: max, b: max },
  ];
  for (const a of vals) for (const b of vals) beats.push({ a, b });
  return beats;
}

/** Every operand pair (a outer, b inner), for small widths. */
export function absDiffExhaustive(p: Config): Beat[] {
  const { min, max } = valueRange(p.width, p.signed);
  const beats: Beat[] = [];
  for (let a = min; a <= max; a++) for (let b = min; b <= max; b++) beats.push({ a, b });
  return beats;
}

export function absDiffRandom(p: Config, rng: Rng, count: number): Beat[] {
  return Array.from({ length: count }, () => ({ a: rng.edgyValue(p.width, p.signed), b: rng.edgyValue(p.width, p.signed) }));
}

export function absDiffGolden() {
  return (stim: Stimulus): AbsDiffExpected => {
    const beats = (stim.streams?.in ?? []).map((b) => ({ a: BigInt(b.a!), b: BigInt(b.b!) }));
    return { streams: { out: absDiffStream(beats).map((d) => ({ d })) } };
  };
}

interface Opts {
  stalls?: StallProbabilities;
  full?: boolean;
  random?: number;
  exhaustive?: boolean;
  directed?: boolean;
  beats?: (p: Config) => Beat[];
}

function absCase(short: string, params: Record<string, ParamValue>, o: Opts = {}): CosimCase {
  const p = absDiffConfig(params);
  return inOutCase(DESIGN, short, params, {
    stalls: o.stalls ?? STALLS,
    full: o.full,
    fixed: o.beats && (() => o.beats!(p)),
    generate: (rng) => [...(o.directed === false ? [] : absDiffDirected(p)), ...(o.exhaustive ? absDiffExhaustive(p) : []), ...absDiffRandom(p, rng, o.random ?? 300)],
    golden: absDiffGolden(),
    cycles: (n, idle, stall) => stallPipelineCycles(n, absDiffStages(p.registered), idle, stall),
  });
}

export const absDiffCases: CosimCase[] = [
  // defaults: u8, registered
  { ...absCase('default', {}), smoke: true },
  absCase('exhaustive', {}, { exhaustive: true, random: 0 }),
  absCase('nostall', {}, { stalls: NO_STALLS, random: 500 }),
  absCase('single', {}, { beats: (p) => [{ a: valueRange(p.width, p.signed).min, b: valueRange(p.width, p.signed).max }] }),
  absCase('signed_w32', { width: 32, signed: true }),
  absCase('signed_w32_directed', { width: 32, signed: true }, { random: 0, stalls: { inIdle: 0.1, outStall: 0.7 } }),
  absCase('signed_w1_comb', { width: 1, signed: true, registered: false }, { exhaustive: true, random: 100 }),
  absCase('unsigned_w13_comb', { width: 13, signed: false, registered: false }),
  absCase('signed_w8_exhaustive', { width: 8, signed: true }, { full: true, exhaustive: true, random: 0 }),
  absCase('unsigned_w32_comb', { width: 32, signed: false, registered: false }, { full: true, random: 2000 }),
  absCase('unsigned_w1', { width: 1, signed: false }, { full: true, exhaustive: true, random: 100 }),
];
