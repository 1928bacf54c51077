// Golden model of the Ditto vector processing unit (SPEC §1.5):
//   1. Y_t = Y_{t+1} + Y_Δ                       int32 (wraps; exact in range)
//   2. p = Y_t · M                                64-bit signed, M unsigned ≤ 16 bits
//      q = (p + 2^(S−1)) >>> S   (S ≥ 1),  q = p (S = 0),  S ≤ 40
//      y = clamp(q + zp_out, −128, 127)
//   3. y → table[y] (256-entry int8 → int8 activation table)
// The activation tables come from generator/spec/ditto/activations.ts, which the RTL
// generator uses too, so the two agree by construction.
import { clampInt8, lookup } from '../../../generator/spec/ditto/activations.ts';
export { ACTIVATIONS, type ActivationKind, type TableSpec, activationFn, activationTable, clampInt8, erf, lookup, roundHalfAway, tableByPattern } from '../../../generator/spec/ditto/activations.ts';

export const INT32_MIN = -(2 ** 31);

export function int32(v: number): number {
  return v | 0;
}

/** Step 1: Y_t = Y_{t+1} + Y_Δ in int32. */
export function addPrevious(yPrev: number, yDelta: number): number {
  return int32(yPrev + yDelta);
}

export interface RequantParams {
  /** multiplier, unsigned, 0 ≤ M < 2^16 */
  M: number;
  /** shift, 0 ≤ S ≤ 40 */
  S: number;
  /** output zero point, int8 */
  zpOut: number;
}

export function checkRequant(p: RequantParams): void {
  if (!Number.isInteger(p.M) || p.M < 0 || p.M > 0xffff) throw new RangeError(`requant M must be an unsigned 16-bit integer, found ${p.M}`);
  if (!Number.isInteger(p.S) || p.S < 0 || p.S > 40) throw new RangeError(`requant S must be 0..40, found ${p.S}`);
  if (!Number.isInteger(p.zpOut) || p.zpOut < -128 || p.zpOut > 127) throw new RangeError(`requant zp_out must be int8, found ${p.zpOut}`);
}

/** The rounding shift alone: q from p (64-bit signed). */
export function roundingShift(p: bigint, S: number): bigint {
  if (S === 0) return p;
  return BigInt.asIntN(64, p + (1n << BigInt(S - 1))) >> BigInt(S);
}

/** Step 2: the requantiser of §1.5 on an int32 Y. */
export function requantize(Y: number, p: RequantParams): number {
  checkRequant(p);
  if (!Number.isInteger(Y) || Y < INT32_MIN || Y > 2 ** 31 - 1) throw new RangeError(`Y must be int32, found ${Y}`);
  const prod = BigInt.asIntN(64, BigInt(Y) * BigInt(p.M));
  const q = roundingShift(prod, p.S);
  return clampInt8(q + BigInt(p.zpOut));
}

/** The whole VPU on one element: act(requant(Y_{t+1} + Y_Δ)). Returns Y_t too (stored for the next step). */
export function vpuElement(yPrev: number, yDelta: number, rq: RequantParams, table: Int8Array): { Yt: number; y: number } {
  const Yt = addPrevious(yPrev, yDelta);
  return { Yt, y: lookup(table, requantize(Yt, rq)) };
}
