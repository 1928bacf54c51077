// Golden model of the dense A8W8 baseline PE (ditto.pe_a8w8), bit-accurate with the RTL
// `ditto_pe_a8w8` (generator/blocks/ditto/pe_a8w8.ts).
//
// A word carries two int8 activations a0, a1 and two int8 weights w0, w1; its value is
// a0·w0 + a1·w1 (|Σ| ≤ 2·128·128 = 2^15, exact in the RTL's s17 sum). Per accepted word the
// PE adds it to an accumulator of `accBits` bits (two's complement, wrapping; 32 by default).
// Control per word, as ditto.pe (sim/golden/ditto/pe.ts): `clear` = start from 0 (discard the
// running sum) before adding this word; `last` = after adding this word, emit the sum as an
// output beat and restart from 0.

export interface DenseWord {
  /** int8 activations of lanes 0 and 1 */
  a: [number, number];
  /** int8 weights of lanes 0 and 1 */
  w: [number, number];
  clear: number;
  last: number;
}

function int8(v: number): number {
  if (!Number.isInteger(v) || v < -128 || v > 127) throw new RangeError(`not an int8: ${v}`);
  return v;
}

/** The value of one word: a0·w0 + a1·w1 (exact). */
export function denseWordSum(w: Pick<DenseWord, 'a' | 'w'>): number {
  return int8(w.a[0]) * int8(w.w[0]) + int8(w.a[1]) * int8(w.w[1]);
}

/** acc + the word's value, wrapped to accBits. */
export function denseStep(acc: bigint, w: Pick<DenseWord, 'a' | 'w'>, accBits = 32): bigint {
  return BigInt.asIntN(accBits, acc + BigInt(denseWordSum(w)));
}

/** The PE as a stream: one output (the accumulated, wrapped sum) per word with `last`. */
export function denseStream(words: readonly DenseWord[], accBits = 32): bigint[] {
  const out: bigint[] = [];
  let acc = 0n;
  for (const w of words) {
    const next = denseStep(w.clear ? 0n : acc, w, accBits);
    if (w.last) {
      out.push(next);
      acc = 0n;
    } else acc = next;
  }
  return out;
}

/** Number of drained sums whose true (unwrapped) value does not fit `accBits` bits. */
export function denseWrapCount(words: readonly DenseWord[], accBits: number): number {
  let n = 0;
  let acc = 0n;
  for (const w of words) {
    acc = (w.clear ? 0n : acc) + BigInt(denseWordSum(w));
    if (w.last) {
      if (BigInt.asIntN(accBits, acc) !== acc) n++;
      acc = 0n;
    }
  }
  return n;
}
