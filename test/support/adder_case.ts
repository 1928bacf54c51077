// The small design the CLI tests (`regress`, `mutate`) run for real: common.adder_tree at n = 4,
// 8-bit signed, one register stage; corner rows then edgy random rows; its golden sums; and an
// Io that captures what a command prints.
import type { Io } from '../../cli/common.ts';
import { type Beat, Rng, type Stimulus, valueRange } from '../../sim/cosim/index.ts';

export const N = 4;
export const W = 8;
export const PARAMS = { n: N, width: W, signed: true, stages: 1 };

export function stimulus(seed: number): Stimulus {
  const r = new Rng(seed);
  const { min, max } = valueRange(W, true);
  const row = (f: (i: number) => bigint): Beat => Object.fromEntries(Array.from({ length: N }, (_, i) => [`x${i}`, f(i)]));
  return { streams: { in: [row(() => max), row(() => min), row((i) => (i % 2 ? max : min)), ...Array.from({ length: 30 }, () => row(() => r.edgyValue(W, true)))] } };
}

export const sum = (b: Beat) => Array.from({ length: N }, (_, i) => BigInt(b[`x${i}`]!)).reduce((a, c) => a + c, 0n);

export const golden = (s: Stimulus) => ({ streams: { out: s.streams!.in!.map((b) => ({ sum: sum(b) })) } });

export function capture(): Io & { text(): string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(`ERR ${t}`), text: () => lines.join('\n') };
}
