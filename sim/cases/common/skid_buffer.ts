// Cosimulation cases of common.skid_buffer against sim/golden/common/skid_buffer.ts (the
// identity): default (32 bits), 1 bit, 100 bits and, under `full`, 512 bits; balanced stalls,
// a mostly stalled output (the skid entry fills on nearly every stall), no stalls (back to
// back), and a single beat. Timing is checked cycle by cycle in the block test.
import { skidBufferDesign } from '../../../generator/blocks/common/skid_buffer.ts';
import type { ParamValue } from '../../../generator/emit/design.ts';
import { type Beat, type StallProbabilities, type Stimulus, Rng, valueRange } from '../../cosim/index.ts';
import { skidBufferStream } from '../../golden/common/skid_buffer.ts';
import type { CosimCase } from '../case.ts';
import { skidBufferCycles } from '../../cycles/common/skid_buffer.ts';
import { inOutCase } from './in_out.ts';
import type { TopExpected as SkidExpected } from '../../bindings/common_skid_buffer.ports.ts';

const DESIGN = skidBufferDesign.name;
const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };
const HEAVY: StallProbabilities = { inIdle: 0.05, outStall: 0.7 };
const NO_STALLS: StallProbabilities = { inIdle: 0, outStall: 0 };

export function skidBufferConfig(params: Record<string, ParamValue> = {}) {
  return skidBufferDesign.resolve(params);
}
type Config = ReturnType<typeof skidBufferConfig>;

/** all ones, zero, alternating bit patterns, single bits at both ends, then a count. */
export function skidDirected(p: Config, count = 64): Beat[] {
  const { max } = valueRange(p.width, false);
  const w = BigInt(p.width);
  let alt = 0n;
  for (let i = 0n; i < w; i += 2n) alt |= 1n << i;
  const pats = [max, 0n, alt, max ^ alt, 1n, 1n << (w - 1n), max, max];
  return [...pats, ...Array.from({ length: count }, (_, i) => BigInt(i) & max)].map((data) => ({ data }));
}

export function skidRandom(p: Config, rng: Rng, count: number): Beat[] {
  return Array.from({ length: count }, () => ({ data: rng.edgyValue(p.width, false) }));
}

export function skidBufferGolden() {
  return (stim: Stimulus): SkidExpected => ({ streams: { out: skidBufferStream(stim.streams?.in ?? []).map((b) => ({ data: b.data! })) } });
}

interface Opts {
  stalls?: StallProbabilities;
  full?: boolean;
  random?: number;
  beats?: (p: Config) => Beat[];
}

function skidCase(short: string, params: Record<string, ParamValue>, o: Opts = {}): CosimCase {
  const p = skidBufferConfig(params);
  return inOutCase(DESIGN, short, params, {
    stalls: o.stalls ?? STALLS,
    full: o.full,
    fixed: o.beats && (() => o.beats!(p)),
    generate: (rng) => [...skidDirected(p), ...skidRandom(p, rng, o.random ?? 300)],
    golden: skidBufferGolden(),
    cycles: (n, idle, stall) => skidBufferCycles(n, idle, stall),
  });
}

export const skidBufferCases: CosimCase[] = [
  // defaults: u32
  { ...skidCase('default', {}), smoke: true },
  skidCase('heavy_stall', {}, { stalls: HEAVY }),
  skidCase('nostall', {}, { stalls: NO_STALLS, random: 500 }),
  skidCase('single', {}, { beats: () => [{ data: 0xdeadbeefn }] }),
  skidCase('w1', { width: 1 }),
  skidCase('w1_heavy_stall', { width: 1 }, { stalls: HEAVY }),
  skidCase('w100', { width: 100 }),
  skidCase('w100_nostall', { width: 100 }, { stalls: NO_STALLS }),
  skidCase('w512', { width: 512 }, { full: true }),
  skidCase('w512_heavy_stall', { width: 512 }, { full: true, stalls: HEAVY }),
];
