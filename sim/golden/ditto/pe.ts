// Golden model of the Ditto PE (SPEC §1.2), bit-accurate with the RTL `ditto_pe`
// (generator/blocks/ditto/pe.ts).
//
// A slot (valid, s, n, h, w) is worth (−1)^s · n · w · (h ? 16 : 1), an invalid slot 0. Per
// accepted word the PE adds the sum of its 4 slot values to an accumulator of `accBits` bits
// (two's complement, wrapping; 32 by default, where K ≤ 65,536 cannot overflow).
// Control per word: `clear` = start from 0 (discard the running sum) before adding this word;
// `last` = after adding this word, emit the sum as an output beat and restart from 0.

export interface PeSlot {
  valid: number;
  s: number;
  /** magnitude nibble 0..15 */
  n: number;
  /** shift flag (×16); only meaningful on slots 1 and 3 (the RTL has shifters there only) */
  h: number;
  /** int8 weight */
  w: number;
}

export interface PeWord {
  slots: [PeSlot, PeSlot, PeSlot, PeSlot];
  clear: number;
  last: number;
}

export function slotValue(sl: PeSlot): number {
  if (!sl.valid) return 0;
  if (sl.n < 0 || sl.n > 15 || !Number.isInteger(sl.n)) throw new RangeError(`slot nibble ${sl.n}`);
  if (sl.w < -128 || sl.w > 127 || !Number.isInteger(sl.w)) throw new RangeError(`slot weight ${sl.w}`);
  return (sl.s ? -1 : 1) * sl.n * sl.w * (sl.h ? 16 : 1);
}

/** The value of one PE cycle: Σ of the 4 slot values (|Σ| ≤ 2·1920 + 2·30720 < 2^16). */
export function wordSum(slots: readonly PeSlot[]): number {
  if (slots.length !== 4) throw new RangeError(`a PE word has 4 slots, found ${slots.length}`);
  // The RTL shifts slots 1 and 3 only: a shift flag on slot 0 or 2 is ignored there.
  return slots.reduce((a, sl, i) => a + slotValue(i % 2 === 1 ? sl : { ...sl, h: 0 }), 0);
}

/** Wrap to `bits`-bit two's complement. */
export function wrapSigned(v: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, v);
}

/** acc + Σ slots, wrapped to accBits. */
export function peStep(acc: bigint, slots: readonly PeSlot[], accBits = 32): bigint {
  return wrapSigned(acc + BigInt(wordSum(slots)), accBits);
}

/** The PE as a stream: one output (the accumulated sum) per word with `last`. */
export function peStream(words: readonly PeWord[], accBits = 32): bigint[] {
  const out: bigint[] = [];
  let acc = 0n;
  for (const w of words) {
    const base = w.clear ? 0n : acc;
    const next = peStep(base, w.slots, accBits);
    if (w.last) {
      out.push(next);
      acc = 0n;
    } else acc = next;
  }
  return out;
}
