// Seeded pseudo-random numbers for stimulus and stall schedules: mulberry32 (32-bit state,
// full period 2^32, fast, and the same sequence on every platform). Not for cryptography.

/** A seeded generator. Equal seeds give equal sequences. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`Rng seed must be an integer, got ${seed}`);
    // Scramble the seed once so that small neighbouring seeds start far apart.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Next 32 random bits as an unsigned integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** True with probability `p` (0..1). */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** Uniform integer in [lo, hi] (inclusive, safe integers). */
  int(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) throw new RangeError(`Rng.int(${lo}, ${hi})`);
    return lo + Number(this.below(BigInt(hi - lo + 1)));
  }

  /** `width` uniformly random bits as a non-negative bigint. */
  bits(width: number): bigint {
    let v = 0n;
    let have = 0;
    while (have < width) {
      v |= BigInt(this.u32()) << BigInt(have);
      have += 32;
    }
    return have === width ? v : v & ((1n << BigInt(width)) - 1n);
  }

  /** Uniform bigint in [0, n) (rejection sampling, unbiased). */
  below(n: bigint): bigint {
    if (n <= 0n) throw new RangeError(`Rng.below(${n})`);
    const width = n.toString(2).length;
    for (;;) {
      const v = this.bits(width);
      if (v < n) return v;
    }
  }

  /** A uniformly random value of a `width`-bit port (two's complement range when signed). */
  value(width: number, signed: boolean): bigint {
    const v = this.bits(width);
    return signed ? toSigned(v, width) : v;
  }

  /**
   * A random value biased towards the corners: 1/8 each minimum, maximum, 0, -1/1 (sign-aware),
   * else uniform. Good for catching overflow and sign bugs with few beats.
   */
  edgyValue(width: number, signed: boolean): bigint {
    const r = this.u32() % 8;
    const { min, max } = valueRange(width, signed);
    if (r === 0) return min;
    if (r === 1) return max;
    if (r === 2) return 0n;
    if (r === 3) return signed ? -1n : 1n < max ? 1n : max;
    return this.value(width, signed);
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick of an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** An independent generator derived from this one (for a separate purpose). */
  fork(): Rng {
    return new Rng(this.u32() | 0);
  }
}

/** The representable range of a `width`-bit value. */
export function valueRange(width: number, signed: boolean): { min: bigint; max: bigint } {
  const w = BigInt(width);
  return signed ? { min: -(1n << (w - 1n)), max: (1n << (w - 1n)) - 1n } : { min: 0n, max: (1n << w) - 1n };
}

/** Reinterpret the low `width` bits of `v` as two's complement. */
export function toSigned(v: bigint, width: number): bigint {
  const w = BigInt(width);
  const m = v & ((1n << w) - 1n);
  return m >> (w - 1n) ? m - (1n << w) : m;
}

/** The low `width` bits of `v` (two's complement for negative `v`). */
export function toUnsigned(v: bigint, width: number): bigint {
  return v & ((1n << BigInt(width)) - 1n);
}

/** Combine a base seed with a purpose tag into a new 32-bit seed (stable across runs). */
export function deriveSeed(seed: number, tag: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < tag.length; i++) h = Math.imul(h ^ tag.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}
