// Cosimulation cases of example.sat_acc: seeded stimulus (directed packets first, then random
// ones), the golden model (golden.ts), the cycle model (cycles.ts) and random idle cycles on
// `in` and not-ready cycles on `out`. Every seed must match the golden model value for value
// and the cycle model cycle for cycle. The same cases run in the example's test
// (test/examples/new-block.test.ts), in `dcgen regress` and under `dcgen mutate`.
import { type CosimCase, defineCase } from '../../sim/cases/case.ts';
import { type Beat, Rng, type StallProbabilities, type Stimulus } from '../../sim/cosim/index.ts';
import { DESIGN, satAccDesign, satAccParams } from './block.ts';
import { satAccCycles } from './cycles.ts';
import { type SatAccConfig, type Sample, accRange, satAccPackets } from './golden.ts';

const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };

function inputRange(p: SatAccConfig): { min: bigint; max: bigint } {
  return accRange({ ...p, accBits: p.width });
}

/** Enough full-scale samples to clamp. */
function clampRun(p: SatAccConfig): number {
  return Math.min(2 ** (p.accBits - p.width + 1) + 2, 64);
}

/** Samples with `last` on the final one. */
function packet(xs: bigint[]): Sample[] {
  return xs.map((x, i) => ({ x, last: i === xs.length - 1 }));
}

/**
 * A packet that does not clamp (it shows the reset values of the accumulator and the clamp
 * flag), then packets that must clamp high and low, come back from a clamp, close back to
 * back, and (with A = W) clamp early and then wait to close.
 */
export function directed(p: SatAccConfig): Sample[] {
  const { min, max } = inputRange(p);
  const over = clampRun(p);
  const minus = p.signed ? -1n : 0n;
  return [
    ...packet([0n]), // 0 and no clamp, unless acc or the clamp flag left reset wrong
    ...packet(Array(over).fill(max)), // clamps at max_A
    ...packet(Array(over).fill(min)), // clamps at min_A (0 unsigned: never clamps)
    ...packet([...Array(over).fill(max), minus, min]), // clamped, then back down: order matters
    ...packet([...Array(over).fill(min), max]),
    ...packet([max]), // one-sample packets, back to back: every sample waits on the output
    ...packet([min]),
    ...packet([0n]),
    ...packet([minus]),
    ...packet([max, min]),
    // With A = W these clamp at the second sample, and the last one (no clamp) often waits on a
    // full output: the clamp flag must hold while it waits.
    ...packet([max, max, minus]),
    ...packet([min, min, 0n]),
    ...packet([max, max, minus]),
    ...packet([min, min, 0n]),
  ];
}

/**
 * Random packets: mixed-sign corner values; one sign only (some of them clamp); or a clamp and
 * then 1 to 3 samples that do not clamp (the clamp flag must hold through idle cycles).
 */
export function random(p: SatAccConfig, rng: Rng, count: number): Sample[] {
  const { min, max } = inputRange(p);
  const longest = Math.min(2 ** (p.accBits - p.width + 1) + 8, 48);
  const up = (v: bigint) => (v < 0n ? -v - 1n : v); // min -> max, -1 -> 0
  const down = (v: bigint) => (v > 0n && p.signed ? -v : v);
  const value = () => rng.edgyValue(p.width, p.signed);
  const out: Sample[] = [];
  while (out.length < count) {
    const kind = rng.pick(['mixed', 'up', 'down', 'turn'] as const);
    if (kind === 'turn') {
      const high = !p.signed || rng.chance(0.5);
      const back = () => (!high ? up(value()) : p.signed ? down(value()) : 0n);
      out.push(...packet([...Array(clampRun(p)).fill(high ? max : min), ...Array.from({ length: rng.int(1, 3) }, back)]));
      continue;
    }
    const len = rng.int(1, longest);
    out.push(...packet(Array.from({ length: len }, () => (kind === 'up' ? up(value()) : kind === 'down' ? down(value()) : value()))));
  }
  return out;
}

interface Opts {
  stalls?: StallProbabilities;
  random?: number;
  seeds?: number;
}

function satAccCase(short: string, params: Partial<Record<keyof typeof satAccParams, number | boolean | string>>, o: Opts = {}): CosimCase {
  const p = satAccDesign.resolve(params);
  const samples = (s: Stimulus): Sample[] => (s.streams?.in ?? []).map((b) => ({ x: BigInt(b.x!), last: BigInt(b.last!) === 1n }));
  return defineCase({
    name: `${DESIGN}.${short}`,
    design: DESIGN,
    params,
    stalls: o.stalls ?? STALLS,
    ...(o.seeds ? { seeds: o.seeds } : {}),
    stimulus: (seed) => ({
      streams: { in: [...directed(p), ...random(p, new Rng(seed), o.random ?? 300)].map((s): Beat => ({ x: s.x, last: s.last ? 1n : 0n })) },
    }),
    golden: (s) => ({ streams: { out: satAccPackets(p, samples(s)).map((r) => ({ sum: r.sum, sat: r.sat ? 1n : 0n })) } }),
    cycles: (s, idle, stall) => satAccCycles(samples(s).map((x) => x.last), (c) => idle('in', c), (c) => stall('out', c)),
  });
}

export const satAccCases: CosimCase[] = [
  satAccCase('default', {}),
  satAccCase('nostall', {}, { stalls: { inIdle: 0, outStall: 0 } }),
  satAccCase('backpressure', {}, { stalls: { inIdle: 0, outStall: 0.8 } }),
  satAccCase('unsigned', { signed: false, accBits: 10 }),
  satAccCase('narrow', { width: 4, accBits: 4 }),
  satAccCase('narrow_backpressure', { width: 4, accBits: 4 }, { stalls: { inIdle: 0, outStall: 0.8 } }),
  satAccCase('wide', { width: 32, accBits: 34 }),
  satAccCase('w1', { width: 1, accBits: 1 }),
];
