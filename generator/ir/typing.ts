// The strict width and signedness rules, in one place. The DSL calls these to build nodes
// (so a user's mistake is reported at the line that made it) and the width pass calls them
// again over the finished IR (so no node can carry a type these rules would not give it).
//
//   add, sub      same signedness; width max(a, b) + 1        (full width, never overflows;
//                 for unsigned operands the bits of a − b are the two's complement of the
//                 true difference: read a possibly negative one with .asSigned())
//   mul           same signedness; width a + b                (full width)
//   neg           width a + 1, always signed
//   and, or, xor  same type; not: same type
//   compare       same signedness, any widths; 1-bit unsigned
//   shl by n      width a + n;  shr by n: width a − n (arithmetic for signed), exact
//   shl/shr by s  width a (bits shifted out are lost: the one truncating operator, by intent)
//   mux           1-bit unsigned select; both arms the same type
//   concat, slice unsigned
//   extend        to a width ≥ a (zero for unsigned, sign for signed); trunc to ≤ a
//   cast          same width, other signedness
import { ConstantRangeError, DslUsageError, SignednessError, WidthMismatchError, fmtType } from './errors.ts';
import type { BinaryOp, CompareOp, HwType, IrExpr, SrcLoc } from './types.ts';

export const MAX_WIDTH = 4096;

export function hwType(width: number, signed: boolean): HwType {
  return { width, signed };
}

export function sameType(a: HwType, b: HwType): boolean {
  return a.width === b.width && a.signed === b.signed;
}

/** Where a typing rule is applied: for messages. */
export interface TypingSite {
  module: string;
  what: string;
  loc: SrcLoc | undefined;
}

function checkWidth(site: TypingSite, width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw new WidthMismatchError(site.module, site.what, `a width from 1 to ${MAX_WIDTH}`, String(width), site.loc);
  }
}

function checkSameSign(site: TypingSite, a: HwType, b: HwType): void {
  if (a.signed !== b.signed) {
    throw new SignednessError(site.module, site.what, 'operands of the same signedness (cast one with .asSigned() or .asUnsigned())', `${fmtType(a)} and ${fmtType(b)}`, site.loc);
  }
}

function checkSameType(site: TypingSite, a: HwType, b: HwType): void {
  checkSameSign(site, a, b);
  if (a.width !== b.width) {
    throw new WidthMismatchError(site.module, site.what, 'operands of the same width (use .ext/.zext/.sext/.trunc)', `${fmtType(a)} and ${fmtType(b)}`, site.loc);
  }
}

export function binaryType(site: TypingSite, op: BinaryOp, a: HwType, b: HwType): HwType {
  switch (op) {
    case 'add':
    case 'sub':
      checkSameSign(site, a, b);
      return resultType(site, Math.max(a.width, b.width) + 1, a.signed);
    case 'mul':
      checkSameSign(site, a, b);
      return resultType(site, a.width + b.width, a.signed);
    case 'and':
    case 'or':
    case 'xor':
      checkSameType(site, a, b);
      return a;
  }
}

function resultType(site: TypingSite, width: number, signed: boolean): HwType {
  checkWidth(site, width);
  return hwType(width, signed);
}

export function compareType(site: TypingSite, _op: CompareOp, a: HwType, b: HwType): HwType {
  checkSameSign(site, a, b);
  return hwType(1, false);
}

export function negType(site: TypingSite, a: HwType): HwType {
  return resultType(site, a.width + 1, true);
}

export function shiftConstType(site: TypingSite, op: 'shl' | 'shr', a: HwType, amount: number): HwType {
  if (!Number.isInteger(amount) || amount < 0) {
    throw new DslUsageError(site.module, site.what, 'a shift amount that is a non-negative integer', String(amount), site.loc);
  }
  if (op === 'shl') return resultType(site, a.width + amount, a.signed);
  if (amount >= a.width) {
    throw new WidthMismatchError(site.module, site.what, `a right shift smaller than the operand width ${a.width}`, String(amount), site.loc);
  }
  return hwType(a.width - amount, a.signed);
}

export function shiftDynType(site: TypingSite, a: HwType, amount: HwType): HwType {
  if (amount.signed) {
    throw new SignednessError(site.module, site.what, 'an unsigned shift amount', fmtType(amount), site.loc);
  }
  return a;
}

export function muxType(site: TypingSite, sel: HwType, t: HwType, f: HwType): HwType {
  checkBool(site, sel);
  checkSameType(site, t, f);
  return t;
}

export function checkBool(site: TypingSite, t: HwType): void {
  if (t.width !== 1 || t.signed) {
    throw new WidthMismatchError(site.module, site.what, 'a 1-bit unsigned condition (use .orR() or a compare)', fmtType(t), site.loc);
  }
}

export function concatType(site: TypingSite, parts: HwType[]): HwType {
  if (parts.length === 0) throw new DslUsageError(site.module, site.what, 'at least one part', 'none', site.loc);
  return resultType(site, parts.reduce((s, p) => s + p.width, 0), false);
}

export function sliceType(site: TypingSite, a: HwType, hi: number, lo: number): HwType {
  if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= a.width) {
    throw new WidthMismatchError(site.module, site.what, `bit indices with ${a.width - 1} >= hi >= lo >= 0`, `[${hi}:${lo}]`, site.loc);
  }
  return hwType(hi - lo + 1, false);
}

export function extendType(site: TypingSite, a: HwType, width: number, kind: 'ext' | 'zext' | 'sext'): HwType {
  if (kind === 'zext' && a.signed) {
    throw new SignednessError(site.module, site.what, 'an unsigned operand for zext (use .sext, or .asUnsigned() first)', fmtType(a), site.loc);
  }
  if (kind === 'sext' && !a.signed) {
    throw new SignednessError(site.module, site.what, 'a signed operand for sext (use .zext, or .asSigned() first)', fmtType(a), site.loc);
  }
  checkWidth(site, width);
  if (width < a.width) {
    throw new WidthMismatchError(site.module, site.what, `an extension to at least ${a.width} bits (use .trunc to narrow)`, String(width), site.loc);
  }
  return hwType(width, a.signed);
}

export function truncType(site: TypingSite, a: HwType, width: number): HwType {
  checkWidth(site, width);
  if (width > a.width) {
    throw new WidthMismatchError(site.module, site.what, `a truncation to at most ${a.width} bits (use .ext to widen)`, String(width), site.loc);
  }
  return hwType(width, a.signed);
}

export function checkAssign(site: TypingSite, target: HwType, value: HwType): void {
  if (target.signed !== value.signed) {
    throw new SignednessError(site.module, site.what, fmtType(target), fmtType(value), site.loc);
  }
  if (target.width !== value.width) {
    throw new WidthMismatchError(site.module, site.what, fmtType(target), fmtType(value), site.loc);
  }
}

/** The value range of a type, as bigints. */
export function typeRange(t: HwType): { min: bigint; max: bigint } {
  const w = BigInt(t.width);
  return t.signed ? { min: -(1n << (w - 1n)), max: (1n << (w - 1n)) - 1n } : { min: 0n, max: (1n << w) - 1n };
}

export function checkConstFits(site: TypingSite, t: HwType, value: bigint): void {
  const { min, max } = typeRange(t);
  if (value < min || value > max) {
    throw new ConstantRangeError(site.module, site.what, `a value of ${fmtType(t)} (${min}..${max})`, String(value), site.loc);
  }
}

/** The narrowest type of the given signedness that holds `value`. */
export function minimalType(value: bigint, signed: boolean): HwType {
  let width = 1;
  while (true) {
    const t = hwType(width, signed);
    const { min, max } = typeRange(t);
    if (value >= min && value <= max) return t;
    width++;
    if (width > MAX_WIDTH) throw new RangeError(`constant ${value} wider than ${MAX_WIDTH} bits`);
  }
}

/** Recompute the type of a node from its operands by the rules above (used by the width pass). */
export function deriveType(site: TypingSite, e: IrExpr): HwType {
  switch (e.kind) {
    case 'ref':
      return e.signal.type;
    case 'const':
      checkConstFits(site, e.type, e.value);
      return e.type;
    case 'memRead':
      return e.memory.type;
    case 'not':
      return e.a.type;
    case 'neg':
      return negType(site, e.a.type);
    case 'binary':
      return binaryType(site, e.op, e.a.type, e.b.type);
    case 'compare':
      return compareType(site, e.op, e.a.type, e.b.type);
    case 'shiftConst':
      return shiftConstType(site, e.op, e.a.type, e.amount);
    case 'shiftDyn':
      return shiftDynType(site, e.a.type, e.amount.type);
    case 'mux':
      return muxType(site, e.sel.type, e.whenTrue.type, e.whenFalse.type);
    case 'concat':
      return concatType(site, e.parts.map((p) => p.type));
    case 'slice':
      return sliceType(site, e.a.type, e.hi, e.lo);
    case 'reduce':
      return hwType(1, false);
    case 'extend':
      return extendType(site, e.a.type, e.type.width, 'ext');
    case 'trunc':
      return truncType(site, e.a.type, e.type.width);
    case 'cast':
      return hwType(e.a.type.width, e.type.signed);
  }
}
