// Golden model of example.sat_acc (block.ts), in plain arithmetic: no bit tricks, no
// knowledge of the hardware's structure. It says what the block must compute; the cycle model
// (cycles.ts) says when.

export interface SatAccConfig {
  width: number;
  accBits: number;
  signed: boolean;
}

export interface Sample {
  x: bigint;
  last: boolean;
}

export interface PacketResult {
  sum: bigint;
  /** Whether any step of the packet clamped. */
  sat: boolean;
}

/** The A-bit range of the accumulator. */
export function accRange(p: SatAccConfig): { min: bigint; max: bigint } {
  const a = BigInt(p.accBits);
  return p.signed ? { min: -(1n << (a - 1n)), max: (1n << (a - 1n)) - 1n } : { min: 0n, max: (1n << a) - 1n };
}

/** One result per packet (a packet ends at a sample with `last`); samples after the last `last` give none. */
export function satAccPackets(p: SatAccConfig, samples: readonly Sample[]): PacketResult[] {
  const { min, max } = accRange(p);
  const out: PacketResult[] = [];
  let acc = 0n;
  let sat = false;
  for (const { x, last } of samples) {
    const s = acc + x;
    acc = s > max ? max : s < min ? min : s;
    sat ||= s !== acc;
    if (last) {
      out.push({ sum: acc, sat });
      acc = 0n;
      sat = false;
    }
  }
  return out;
}
