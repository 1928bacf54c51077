// Per-cycle idle / not-ready patterns drawn from stall probabilities with a seeded Rng.
// Both simulators read the same patterns from the stimulus file (see format.ts).
import type { Layout } from './layout.ts';
import { type Schedule, type Schedules, NEVER } from './format.ts';
import { Rng, deriveSeed } from './rng.ts';

export interface StallProbabilities {
  /** Probability that an input stream stays idle in a cycle where it could offer a new beat. */
  inIdle: number;
  /** Probability that an output stream's ready is low in a cycle. */
  outStall: number;
  /** Per stream name, a probability that replaces inIdle / outStall for that stream. */
  perStream?: Record<string, number>;
}

/** A random pattern of `length` cycles, each set with probability `p`. */
export function randomSchedule(rng: Rng, p: number, length: number): Schedule {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`stall probability must be in 0..1, got ${p}`);
  if (p === 0 || length === 0) return NEVER;
  if (p === 1) throw new RangeError('stall probability 1 would never let a beat through');
  const bits = new Uint32Array(Math.ceil(length / 32));
  for (let i = 0; i < length; i++) if (rng.float() < p) bits[i >> 5]! |= 1 << (i & 31);
  return { length, bits };
}

/** Default pattern period: long enough not to look periodic to a small block. */
export const DEFAULT_SCHEDULE_LENGTH = 1 << 16;

/** Independent patterns for every stream of `layout`, derived from `seed` and the stream names. */
export function makeSchedules(layout: Layout, seed: number, p: StallProbabilities, length = DEFAULT_SCHEDULE_LENGTH): Schedules {
  const idle: Record<string, Schedule> = {};
  const stall: Record<string, Schedule> = {};
  const names = [...layout.inStreams, ...layout.outStreams].map((s) => s.name);
  for (const k of Object.keys(p.perStream ?? {})) {
    if (!names.includes(k)) throw new RangeError(`stall rate for stream '${k}': the design has no such stream (streams: ${names.join(', ')})`);
  }
  for (const s of layout.inStreams) idle[s.name] = randomSchedule(new Rng(deriveSeed(seed, `idle:${s.name}`)), p.perStream?.[s.name] ?? p.inIdle, length);
  for (const s of layout.outStreams) stall[s.name] = randomSchedule(new Rng(deriveSeed(seed, `stall:${s.name}`)), p.perStream?.[s.name] ?? p.outStall, length);
  return { idle, stall };
}
