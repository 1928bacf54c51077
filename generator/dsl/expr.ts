// Expressions with strict widths. Every operator returns a new Expr whose type follows the
// rules in generator/ir/typing.ts; nothing truncates or extends implicitly.
import type { BinaryOp, CompareOp, HwType, IrExpr, IrMemory, IrSignal, ReduceOp, SrcLoc } from '../ir/types.ts';
import { ConstantRangeError, DslUsageError } from '../ir/errors.ts';
import * as typing from '../ir/typing.ts';
import { callerLoc } from './loc.ts';

/** The module an expression belongs to, for messages and for catching cross-module use. */
export interface ExprOwner {
  readonly name: string;
}

export type ExprLike = Expr | number | bigint;

export class Expr {
  /** @internal */
  constructor(
    readonly node: IrExpr,
    /** @internal */ readonly owner: ExprOwner | undefined,
  ) {}

  get type(): HwType {
    return this.node.type;
  }
  get width(): number {
    return this.node.type.width;
  }
  get signed(): boolean {
    return this.node.type.signed;
  }

  // arithmetic (full width)
  add(b: ExprLike): Expr {
    return this.binary('add', b);
  }
  sub(b: ExprLike): Expr {
    return this.binary('sub', b);
  }
  mul(b: ExprLike): Expr {
    return this.binary('mul', b);
  }
  neg(): Expr {
    const site = this.site('neg');
    return this.make({ kind: 'neg', type: typing.negType(site, this.type), a: this.node });
  }

  // bitwise (same type)
  and(b: ExprLike): Expr {
    return this.binary('and', b);
  }
  or(b: ExprLike): Expr {
    return this.binary('or', b);
  }
  xor(b: ExprLike): Expr {
    return this.binary('xor', b);
  }
  not(): Expr {
    return this.make({ kind: 'not', type: this.type, a: this.node });
  }

  // compares (1-bit unsigned)
  eq(b: ExprLike): Expr {
    return this.compare('eq', b);
  }
  ne(b: ExprLike): Expr {
    return this.compare('ne', b);
  }
  lt(b: ExprLike): Expr {
    return this.compare('lt', b);
  }
  le(b: ExprLike): Expr {
    return this.compare('le', b);
  }
  gt(b: ExprLike): Expr {
    return this.compare('gt', b);
  }
  ge(b: ExprLike): Expr {
    return this.compare('ge', b);
  }

  // shifts: by a constant they are exact (shl widens, shr narrows); by a signal they keep the width
  shl(amount: number | Expr): Expr {
    return this.shift('shl', amount);
  }
  shr(amount: number | Expr): Expr {
    return this.shift('shr', amount);
  }

  // bits
  slice(hi: number, lo: number): Expr {
    const site = this.site(`slice [${hi}:${lo}]`);
    return this.make({ kind: 'slice', type: typing.sliceType(site, this.type, hi, lo), a: this.node, hi, lo });
  }
  bit(i: number): Expr {
    return this.slice(i, i);
  }
  msb(): Expr {
    return this.bit(this.width - 1);
  }
  andR(): Expr {
    return this.reduce('and');
  }
  orR(): Expr {
    return this.reduce('or');
  }
  xorR(): Expr {
    return this.reduce('xor');
  }

  // explicit width and sign changes
  /** Extend by the operand's signedness. */
  ext(width: number): Expr {
    return this.extend(width, 'ext');
  }
  zext(width: number): Expr {
    return this.extend(width, 'zext');
  }
  sext(width: number): Expr {
    return this.extend(width, 'sext');
  }
  /** To exactly `width` bits: extend by the operand's signedness, or truncate (address arithmetic). */
  resize(width: number): Expr {
    return width >= this.width ? this.ext(width) : this.trunc(width);
  }
  trunc(width: number): Expr {
    const site = this.site(`trunc(${width})`);
    const type = typing.truncType(site, this.type, width);
    return width === this.width ? this : this.make({ kind: 'trunc', type, a: this.node });
  }
  asSigned(): Expr {
    return this.cast(true);
  }
  asUnsigned(): Expr {
    return this.cast(false);
  }

  private extend(width: number, kind: 'ext' | 'zext' | 'sext'): Expr {
    const site = this.site(`${kind}(${width})`);
    const type = typing.extendType(site, this.type, width, kind);
    return width === this.width ? this : this.make({ kind: 'extend', type, a: this.node });
  }

  private cast(signed: boolean): Expr {
    if (this.signed === signed) return this;
    return this.make({ kind: 'cast', type: typing.hwType(this.width, signed), a: this.node });
  }

  private binary(op: BinaryOp, bLike: ExprLike): Expr {
    const site = this.site(op, callerLoc(), bLike);
    checkOwners(site, this, bLike);
    // Arithmetic with a number takes the narrowest constant; bitwise ops need the same type.
    const b = op === 'add' || op === 'sub' || op === 'mul' ? this.arithOperand(bLike, site) : this.sameTypeOperand(bLike, site);
    return new Expr({ kind: 'binary', op, type: typing.binaryType(site, op, this.type, b.type), a: this.node, b: b.node }, this.owner ?? b.owner);
  }

  private compare(op: CompareOp, bLike: ExprLike): Expr {
    const site = this.site(op, callerLoc(), bLike);
    checkOwners(site, this, bLike);
    const b = this.sameTypeOperand(bLike, site);
    return new Expr({ kind: 'compare', op, type: typing.compareType(site, op, this.type, b.type), a: this.node, b: b.node }, this.owner ?? b.owner);
  }

  private shift(op: 'shl' | 'shr', amount: number | Expr): Expr {
    const site = this.site(op);
    if (!(amount instanceof Expr) && typeof amount !== 'number') {
      throw new DslUsageError(site.module, site.what, 'a shift amount: a non-negative integer, or an unsigned Expr', describeValue(amount), site.loc);
    }
    if (typeof amount === 'number') {
      if (amount === 0) return this;
      return this.make({ kind: 'shiftConst', op, type: typing.shiftConstType(site, op, this.type, amount), a: this.node, amount });
    }
    checkOwners(site, this, amount);
    return this.make({ kind: 'shiftDyn', op, type: typing.shiftDynType(site, this.type, amount.type), a: this.node, amount: amount.node });
  }

  private reduce(op: ReduceOp): Expr {
    return this.make({ kind: 'reduce', op, type: typing.hwType(1, false), a: this.node });
  }

  private arithOperand(b: ExprLike, site: typing.TypingSite): Expr {
    if (b instanceof Expr) return b;
    const v = toInteger(site, b, OPERAND);
    if (!this.signed && v < 0n) {
      throw new ConstantRangeError(this.owner?.name ?? '<none>', `constant operand of ${describe(this.node)}`, 'a non-negative constant for an unsigned operand (use .sub, or cast with .asSigned())', String(v), callerLoc());
    }
    const widest = typing.typeRange(typing.hwType(typing.MAX_WIDTH, this.signed));
    if (v < widest.min || v > widest.max) {
      throw new ConstantRangeError(site.module, `constant operand of ${describe(this.node)}`, `a constant of at most ${typing.MAX_WIDTH} bits`, String(v), site.loc);
    }
    return constant(typing.minimalType(v, this.signed), v, this.owner);
  }

  private sameTypeOperand(b: ExprLike, site: typing.TypingSite): Expr {
    if (b instanceof Expr) return b;
    const v = toInteger(site, b, OPERAND);
    typing.checkConstFits(site, this.type, v);
    return constant(this.type, v, this.owner);
  }

  /** @internal */
  site(what: string, loc: SrcLoc | undefined = callerLoc(), other?: ExprLike): typing.TypingSite {
    const owner = this.owner ?? (other instanceof Expr ? other.owner : undefined);
    return { module: owner?.name ?? '<none>', what: `${what} on ${describe(this.node)}`, loc };
  }

  /** @internal */
  make(node: IrExpr): Expr {
    return new Expr(node, this.owner);
  }
}

const OPERAND = 'an Expr or an integer (a number or a bigint)';

/** A value a DSL call was given, for the `found` part of a message. */
export function describeValue(v: unknown): string {
  if (v instanceof Expr) return `the expression ${describe(v.node)}`;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/** An integer given to the DSL (a number or a bigint) as a bigint; anything else is a DslUsageError. */
export function toInteger(site: typing.TypingSite, v: unknown, expected = 'an integer (a number or a bigint)'): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new DslUsageError(site.module, site.what, expected, describeValue(v), site.loc);
}

/** `v` must be an Expr (a signal or an expression built with the DSL). */
export function expectExpr(site: typing.TypingSite, v: unknown, expected = 'an Expr'): asserts v is Expr {
  if (!(v instanceof Expr)) throw new DslUsageError(site.module, site.what, expected, describeValue(v), site.loc);
}

/** `t` must be a type made by uint(w), sint(w) or bit(), w from 1 to MAX_WIDTH. */
export function expectType(site: typing.TypingSite, t: unknown): asserts t is HwType {
  const ok = typeof t === 'object' && t !== null && typeof (t as HwType).signed === 'boolean' && Number.isInteger((t as HwType).width);
  if (!ok) throw new DslUsageError(site.module, site.what, 'a type made by uint(w), sint(w) or bit()', describeValue(t), site.loc);
  const w = (t as HwType).width;
  if (w < 1 || w > typing.MAX_WIDTH) throw new DslUsageError(site.module, site.what, `a width from 1 to ${typing.MAX_WIDTH}`, String(w), site.loc);
}

/** Operands must come from one module: a foreign signal would print as an undeclared name. */
function checkOwners(site: typing.TypingSite, ...xs: ExprLike[]): void {
  const owners = new Set(xs.map((x) => (x instanceof Expr ? x.owner : undefined)).filter((o) => o !== undefined));
  if (owners.size > 1) {
    const names = [...owners].map((o) => `'${o.name}'`);
    throw new DslUsageError(site.module, site.what, 'operands of one module', `operands of modules ${names.join(' and ')}`, site.loc);
  }
}

export function describe(e: IrExpr): string {
  switch (e.kind) {
    case 'ref':
      return `'${e.signal.name}'`;
    case 'const':
      return `constant ${e.value}`;
    case 'memRead':
      return `'${e.memory.name}[...]'`;
    default:
      return `a ${e.type.width}-bit ${e.type.signed ? 'signed' : 'unsigned'} ${e.kind}`;
  }
}

/** A constant of an explicit type. */
export function constant(type: HwType, value: number | bigint, owner?: ExprOwner): Expr {
  const site = { module: owner?.name ?? '<none>', what: 'constant', loc: callerLoc() };
  expectType(site, type);
  const v = toInteger(site, value);
  typing.checkConstFits(site, type, v);
  return new Expr({ kind: 'const', type, value: v }, owner);
}

export function ref(signal: IrSignal, owner: ExprOwner): Expr {
  return new Expr({ kind: 'ref', type: signal.type, signal }, owner);
}

export function memRead(memory: IrMemory, addr: Expr, owner: ExprOwner): Expr {
  return new Expr({ kind: 'memRead', type: memory.type, memory, addr: addr.node }, owner);
}

function ownerOf(...xs: ExprLike[]): ExprOwner | undefined {
  for (const x of xs) if (x instanceof Expr && x.owner) return x.owner;
  return undefined;
}

function toExpr(x: ExprLike, like: HwType, owner: ExprOwner | undefined): Expr {
  return x instanceof Expr ? x : constant(like, x, owner);
}

/** `sel ? whenTrue : whenFalse`; numbers take the other arm's type. */
export function mux(sel: Expr, whenTrue: ExprLike, whenFalse: ExprLike): Expr {
  const loc = callerLoc();
  const owner = ownerOf(sel, whenTrue, whenFalse);
  const module = owner?.name ?? '<none>';
  expectExpr({ module, what: 'mux select', loc }, sel, 'a 1-bit unsigned Expr');
  const arms = [
    ['true', whenTrue],
    ['false', whenFalse],
  ] as const;
  for (const [arm, x] of arms) {
    if (!(x instanceof Expr)) toInteger({ module, what: `mux ${arm} arm`, loc }, x, OPERAND);
  }
  const like = whenTrue instanceof Expr ? whenTrue.type : whenFalse instanceof Expr ? whenFalse.type : undefined;
  if (!like) {
    throw new DslUsageError(module, 'mux arms', 'at least one arm an Expr (a number takes the other arm\'s type; give two constants a type with constant(type, value))', `two numbers, ${whenTrue} and ${whenFalse}`, loc);
  }
  const t = toExpr(whenTrue, like, owner);
  const f = toExpr(whenFalse, like, owner);
  const site = sel.site('mux', loc, whenTrue);
  checkOwners(site, sel, t, f);
  const type = typing.muxType(site, sel.type, t.type, f.type);
  return new Expr({ kind: 'mux', type, sel: sel.node, whenTrue: t.node, whenFalse: f.node }, owner);
}

/** Concatenation, most significant part first (as Verilog `{a, b}`); unsigned. */
export function cat(...parts: Expr[]): Expr {
  const loc = callerLoc();
  const owner = ownerOf(...parts);
  parts.forEach((p, i) => expectExpr({ module: owner?.name ?? '<none>', what: `cat part ${i}`, loc }, p, 'an Expr (give a number a type with constant(type, value))'));
  if (parts.length === 1) return parts[0].asUnsigned();
  const site = { module: owner?.name ?? '<none>', what: 'cat', loc };
  checkOwners(site, ...parts);
  return new Expr({ kind: 'concat', type: typing.concatType(site, parts.map((p) => p.type)), parts: parts.map((p) => p.node) }, owner);
}

/** `n` copies of `e`, concatenated. */
export function repeat(e: Expr, n: number): Expr {
  const loc = callerLoc();
  const module = e instanceof Expr ? (e.owner?.name ?? '<none>') : '<none>';
  expectExpr({ module, what: 'repeat', loc }, e);
  if (!Number.isInteger(n) || n < 1) throw new DslUsageError(module, `repeat of ${describe(e.node)}`, 'a count that is an integer of at least 1', describeValue(n), loc);
  return cat(...Array.from({ length: n }, () => e));
}
