// Golden model of the Ditto vector processing unit (SPEC §1.5):
//   1. Y_t = Y_{t+1} + Y_Δ                       int32 (wraps; exact in range)
//   2. p = Y_t · M                                64-bit signed, M unsigned ≤ 16 bits
//      q = (p + 2^(S−1)) >>> S   (S ≥ 1),  q = p (S = 0),  S ≤ 40
//      y = clamp(q + zp_out, −128, 127)
//   3. y → table[y] (256-entry int8 → int8 activation table)
// The fixed activation tables (ditto_vpu tables = 0) come from generator/spec/ditto/activations.ts,
// which the RTL generator uses too, so the two agree by construction. With tables ≥ 1 the tables
// are loaded through the stream (VpuStreamModel below: table-write beats, in order).
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

// ---- the stream-level model of ditto_vpu (generator/blocks/ditto/vpu.ts) ----
// Beats in order. A vector beat (op = 0) computes Y_t per lane (stored back for the next step)
// and one output beat of act(requant(Y_t)) from its table; with tables ≥ 1 a table-write beat
// (op = 1) sets table[tsel][ti] = tv and has no output beat, so a vector beat before it reads
// the old entry and one after it the new entry.

/** One beat of ditto_vpu's `in` stream. */
export interface VpuInBeat {
  /** beat address: lane j is output index addr·P + j */
  addr: number;
  /** 0 = difference (Y_t = Y_{t+1} + Y_Δ), 1 = original (Y_t = Y_Δ) */
  mode: number;
  /** Y_Δ per lane (int32) */
  yd: readonly number[];
  M: number;
  S: number;
  zp: number;
  last: number;
  /** tables ≥ 1: 0 = vector beat (the default), 1 = table write */
  op?: number;
  /** tables ≥ 1: the table a vector beat looks up, or the one a table write writes (0..T−1) */
  tsel?: number;
  /** table write: the entry, the int8 code as unsigned (code & 255) */
  ti?: number;
  /** table write: the value (int8) */
  tv?: number;
}

/** One beat of ditto_vpu's `out` stream (vector beats only). */
export interface VpuOutBeat {
  y: number[];
  Yt: number[];
  last: number;
}

export class VpuStreamModel {
  /** Stored Y_{t+1} per output index (absent: never stored). */
  readonly Y = new Map<number, number>();
  /** tables ≥ 1: entry [t][code & 255] (undefined: never written; reading one is an error: X in RTL). */
  readonly tables: (number | undefined)[][];

  /**
   * `lanes` = P; `table` = the fixed table (tables = 0, by code: lookup()) or `tables` = T ≥ 1
   * loadable tables, all unwritten at reset.
   */
  constructor(
    readonly lanes: number,
    readonly config: { table: Int8Array } | { tables: number },
  ) {
    const T = 'tables' in config ? config.tables : 0;
    if ('tables' in config && (!Number.isInteger(T) || T < 1 || T > 8)) throw new RangeError(`vpu model: tables must be 1..8, found ${T}`);
    this.tables = Array.from({ length: T }, () => new Array<number | undefined>(256).fill(undefined));
  }

  /** The beat's table index, checked against T. */
  private tableIndex(b: VpuInBeat, what: string): number {
    const t = b.tsel ?? 0;
    if (!Number.isInteger(t) || t < 0 || t >= this.tables.length) throw new RangeError(`vpu model: ${what}: tsel ${t} outside 0..${this.tables.length - 1}`);
    return t;
  }

  /** One accepted beat; the output beat of a vector beat, undefined for a table write. */
  step(b: VpuInBeat, where = 'beat'): VpuOutBeat | undefined {
    const fixed = 'table' in this.config ? this.config.table : undefined;
    if ((b.op ?? 0) === 1) {
      if (fixed) throw new RangeError(`vpu model: ${where}: a table write needs tables >= 1`);
      const t = this.tableIndex(b, where);
      const ti = b.ti ?? -1;
      const tv = b.tv ?? NaN;
      if (!Number.isInteger(ti) || ti < 0 || ti > 255) throw new RangeError(`vpu model: ${where}: ti ${ti} outside 0..255`);
      if (!Number.isInteger(tv) || tv < -128 || tv > 127) throw new RangeError(`vpu model: ${where}: tv ${tv} is not int8`);
      this.tables[t][ti] = tv;
      return undefined;
    }
    if ((b.op ?? 0) !== 0) throw new RangeError(`vpu model: ${where}: op ${b.op}`);
    const t = fixed ? 0 : this.tableIndex(b, where);
    const P = this.lanes;
    if (b.yd.length !== P) throw new RangeError(`vpu model: ${where}: ${b.yd.length} lanes, expected ${P}`);
    const out: VpuOutBeat = { y: [], Yt: [], last: b.last };
    b.yd.forEach((yd, j) => {
      const idx = b.addr * P + j;
      let Yt: number;
      if (b.mode === 1) Yt = yd;
      else {
        const prev = this.Y.get(idx);
        if (prev === undefined) throw new Error(`vpu model: ${where} adds to output ${idx}, never stored`);
        Yt = addPrevious(prev, yd);
      }
      this.Y.set(idx, Yt);
      const code = requantize(Yt, { M: b.M, S: b.S, zpOut: b.zp });
      let y: number;
      if (fixed) y = lookup(fixed, code);
      else {
        const v = this.tables[t][code & 255];
        if (v === undefined) throw new Error(`vpu model: ${where}, lane ${j}: reads table ${t} entry ${code & 255} (code ${code}), never written`);
        y = v;
      }
      out.y.push(y);
      out.Yt.push(Yt);
    });
    return out;
  }

  /** Every beat in order; the output beats. */
  run(beats: readonly VpuInBeat[]): VpuOutBeat[] {
    const out: VpuOutBeat[] = [];
    beats.forEach((b, i) => {
      const o = this.step(b, `beat ${i}`);
      if (o) out.push(o);
    });
    return out;
  }
}
