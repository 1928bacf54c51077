// Cosimulation cases of common.fifo against sim/golden/common/fifo.ts (the identity): default
// (16 x 32), the smallest (depth 1, half rate), depth 2 x 1 bit, a non-power-of-two depth
// with 100-bit data and, under `full`, depth 4096 and 512-bit data. Stall profiles: balanced,
// fill (output mostly not ready: the FIFO fills to full, then drains when the input runs
// out), drain (input mostly idle: it runs empty), none (back to back). The occupancy output
// `count` is checked cycle by cycle in test/blocks/common/fifo.test.ts.
import { fifoDesign } from '../../../generator/blocks/common/fifo.ts';
import type { ParamValue } from '../../../generator/emit/design.ts';
import { type Beat, type StallProbabilities, type Stimulus, Rng, valueRange } from '../../cosim/index.ts';
import type { CosimCase } from '../case.ts';
import { fifoStream } from '../../golden/common/fifo.ts';
import { fifoCycles } from '../../cycles/common/fifo.ts';
import { inOutCase } from './in_out.ts';
import type { TopExpected as FifoExpected } from '../../bindings/common_fifo.ports.ts';

const DESIGN = fifoDesign.name;
const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };
export const FIFO_FILL: StallProbabilities = { inIdle: 0.05, outStall: 0.85 };
const DRAIN: StallProbabilities = { inIdle: 0.7, outStall: 0.1 };
const NO_STALLS: StallProbabilities = { inIdle: 0, outStall: 0 };

export function fifoConfig(params: Record<string, ParamValue> = {}) {
  return fifoDesign.resolve(params);
}
type Config = ReturnType<typeof fifoConfig>;

/** all ones, zero, alternating bit patterns, single bits at both ends, then a count. */
export function fifoDirected(p: Config, count = 2 * p.depth + 8): Beat[] {
  const { max } = valueRange(p.width, false);
  const w = BigInt(p.width);
  let alt = 0n;
  for (let i = 0n; i < w; i += 2n) alt |= 1n << i;
  const pats = [max, 0n, alt, max ^ alt, 1n, 1n << (w - 1n), max, max];
  // the sequence number in the low bits, its complement above: distinct neighbours even at 1 bit
  const seq = Array.from({ length: count }, (_, i) => BigInt(i) & max);
  return [...pats, ...seq].map((data) => ({ data }));
}

export function fifoRandom(p: Config, rng: Rng, count: number): Beat[] {
  return Array.from({ length: count }, () => ({ data: rng.edgyValue(p.width, false) }));
}

export function fifoGolden() {
  // Typed by the RTL's bindings: an expected field the module does not have fails tsc.
  return (stim: Stimulus): FifoExpected => ({ streams: { out: fifoStream(stim.streams?.in ?? []).map((b) => ({ data: b.data! })) } });
}

interface Opts {
  stalls?: StallProbabilities;
  full?: boolean;
  random?: number;
  directed?: number;
  beats?: (p: Config) => Beat[];
}

function fifoCase(short: string, params: Record<string, ParamValue>, o: Opts = {}): CosimCase {
  const p = fifoConfig(params);
  return inOutCase(DESIGN, short, params, {
    stalls: o.stalls ?? STALLS,
    full: o.full,
    fixed: o.beats && (() => o.beats!(p)),
    generate: (rng) => [...fifoDirected(p, o.directed), ...fifoRandom(p, rng, o.random ?? 300)],
    golden: fifoGolden(),
    cycles: (n, idle, stall) => fifoCycles(n, p.depth, idle, stall),
  });
}

export const fifoCases: CosimCase[] = [
  // defaults: 16 x u32
  { ...fifoCase('default', {}), smoke: true },
  fifoCase('fill_drain', {}, { stalls: FIFO_FILL, random: 200 }),
  fifoCase('drain', {}, { stalls: DRAIN, random: 200 }),
  fifoCase('nostall', {}, { stalls: NO_STALLS, random: 500 }),
  fifoCase('single', {}, { beats: () => [{ data: 0x5a5a5a5an }] }),
  fifoCase('depth1', { depth: 1, width: 8 }),
  fifoCase('depth1_fill_drain', { depth: 1, width: 8 }, { stalls: FIFO_FILL, random: 50 }),
  fifoCase('depth1_nostall', { depth: 1, width: 8 }, { stalls: NO_STALLS, random: 100 }),
  fifoCase('depth2_w1', { depth: 2, width: 1 }),
  fifoCase('depth2_w1_fill_drain', { depth: 2, width: 1 }, { stalls: FIFO_FILL, random: 100 }),
  fifoCase('depth5', { depth: 5, width: 100 }),
  fifoCase('depth5_fill_drain', { depth: 5, width: 100 }, { stalls: FIFO_FILL, random: 100 }),
  fifoCase('depth5_nostall', { depth: 5, width: 100 }, { stalls: NO_STALLS, random: 200 }),
  fifoCase('depth4096', { depth: 4096, width: 32 }, { full: true, stalls: FIFO_FILL, directed: 8200, random: 2000 }),
  fifoCase('depth4096_balanced', { depth: 4096, width: 32 }, { full: true, random: 3000 }),
  fifoCase('depth17_w512', { depth: 17, width: 512 }, { full: true }),
  fifoCase('depth17_w512_fill_drain', { depth: 17, width: 512 }, { full: true, stalls: FIFO_FILL }),
  fifoCase('depth3_w7', { depth: 3, width: 7 }, { full: true }),
];
