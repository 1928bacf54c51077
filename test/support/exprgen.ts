// Random well-typed DSL expressions, for property tests of the typing rules, the evaluator
// (generator/ir/eval.ts) and the Verilog emitter.
//
// An expression is generated as a plain, printable tree (`GenNode`) over a list of input types;
// every node carries the type the DSL must give it. `buildExpr` turns a tree into a DSL `Expr`
// inside a module builder (checking that the DSL agrees on every node's type), `evalTree`
// evaluates a tree directly (an oracle independent of the IR and of generator/ir/eval.ts), and
// `showTree` prints it as DSL code for failure reports.
//
// Every operator of the DSL appears: add/sub/mul (also with number operands), neg,
// and/or/xor (also with numbers), not, the six compares (also with numbers), shl/shr by
// constants (incl. 0) and by signals, slice/bit/msb, andR/orR/xorR, ext/zext/sext/trunc,
// asSigned/asUnsigned, mux (also with a number arm), cat, repeat, typed constants (incl.
// negative and >64-bit ones). Operands are cast/extended/truncated as the strict rules require,
// no node is wider than `maxWidth`, and no path is longer than `maxDepth` operators. Trees may
// share subtrees (a DAG), which `buildExpr` keeps shared.
//
// Two ways to draw: `genExprTree(rand, ...)` with any `Rand` (e.g. `seededRand(seed)`), and
// fast-check arbitraries (`arbExprTree`, `arbExprCase`, `arbValue`) built on `fc.gen()`, which
// shrink by shrinking the recorded random choices.
import fc from 'fast-check';
import { type Expr, type HwModule, type ModuleBuilder, cat, module, mux, repeat } from '../../generator/dsl/index.ts';
import type { HwType } from '../../generator/ir/types.ts';

// ---------------------------------------------------------------------------------------------
// Trees

export type ArithOp = 'add' | 'sub' | 'mul';
export type BitOp = 'and' | 'or' | 'xor';
export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type UnaryOp = 'neg' | 'not' | 'andR' | 'orR' | 'xorR' | 'msb' | 'asSigned' | 'asUnsigned';
export type ResizeOp = 'ext' | 'zext' | 'sext' | 'trunc';

/** A number operand (`a.add(5)`): passed to the DSL as a JS number when safe, else as a bigint. */
export type NumOperand = { num: bigint };

export type GenNode =
  | { op: 'in'; t: HwType; index: number }
  | { op: 'const'; t: HwType; value: bigint }
  | { op: ArithOp; t: HwType; a: GenNode; b: GenNode | NumOperand }
  | { op: BitOp; t: HwType; a: GenNode; b: GenNode | NumOperand }
  | { op: CmpOp; t: HwType; a: GenNode; b: GenNode | NumOperand }
  | { op: UnaryOp; t: HwType; a: GenNode }
  | { op: 'shl' | 'shr'; t: HwType; a: GenNode; by: number | GenNode }
  | { op: 'slice'; t: HwType; a: GenNode; hi: number; lo: number }
  | { op: 'bit'; t: HwType; a: GenNode; i: number }
  | { op: ResizeOp; t: HwType; a: GenNode; width: number }
  | { op: 'mux'; t: HwType; sel: GenNode; a: GenNode | NumOperand; b: GenNode | NumOperand }
  | { op: 'cat'; t: HwType; parts: GenNode[] }
  | { op: 'repeat'; t: HwType; a: GenNode; n: number };

const ARITH: readonly string[] = ['add', 'sub', 'mul'];
const BITWISE: readonly string[] = ['and', 'or', 'xor'];
const COMPARES: readonly string[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

function isNum(x: GenNode | NumOperand): x is NumOperand {
  return 'num' in x;
}

// ---------------------------------------------------------------------------------------------
// Types and values

const ut = (w: number): HwType => ({ width: w, signed: false });
const st = (w: number): HwType => ({ width: w, signed: true });
const ty = (w: number, signed: boolean): HwType => ({ width: w, signed });

export function fmtType(t: HwType): string {
  return `${t.signed ? 's' : 'u'}${t.width}`;
}

export function rangeOf(t: HwType): { min: bigint; max: bigint } {
  const w = BigInt(t.width);
  return t.signed ? { min: -(1n << (w - 1n)), max: (1n << (w - 1n)) - 1n } : { min: 0n, max: (1n << w) - 1n };
}

export function inRange(v: bigint, t: HwType): boolean {
  const { min, max } = rangeOf(t);
  return v >= min && v <= max;
}

/** The narrowest type of a signedness that holds `v` (the DSL's type for a number operand). */
export function minimalType(v: bigint, signed: boolean): HwType {
  for (let w = 1; ; w++) if (inRange(v, ty(w, signed))) return ty(w, signed);
}

// ---------------------------------------------------------------------------------------------
// Randomness

export interface Rand {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A bigint in [min, max]. */
  big(min: bigint, max: bigint): bigint;
}

/** A small deterministic PRNG (mulberry32) as a `Rand`. */
export function seededRand(seed: number): Rand {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const big = (min: bigint, max: bigint): bigint => {
    const span = max - min + 1n;
    const bits = span.toString(2).length + 16;
    let r = 0n;
    for (let i = 0; i < bits; i += 16) r = (r << 16n) | BigInt(int(0, 0xffff));
    return min + (r % span);
  };
  return { int, big };
}

/** A `Rand` drawing from a fast-check `fc.gen()` value (so its choices shrink). */
export function genRand(g: fc.GeneratorValue): Rand {
  return {
    int: (min, max) => (min === max ? min : g(fc.integer, { min, max })),
    big: (min, max) => (min === max ? min : g(fc.bigInt, { min, max })),
  };
}

/** A value of type `t`, biased to the interesting ones (0, ±1, the extremes, one-hot, all-ones). */
export function randValue(r: Rand, t: HwType): bigint {
  const { min, max } = rangeOf(t);
  const w = BigInt(t.width);
  switch (r.int(0, 9)) {
    case 0:
      return 0n;
    case 1:
      return min;
    case 2:
      return max;
    case 3:
      return t.signed ? -1n : 1n;
    case 4: {
      // one bit set (as a bit pattern read with the type's signedness)
      const bits = 1n << BigInt(r.int(0, t.width - 1));
      return t.signed && bits >> (w - 1n) === 1n ? bits - (1n << w) : bits;
    }
    case 5:
      // small magnitudes
      return r.big(t.signed ? (min > -8n ? min : -8n) : 0n, max < 8n ? max : 8n);
    default:
      return r.big(min, max);
  }
}

/** A value of type `t` as a fast-check arbitrary (biased as `randValue`). */
export function arbValue(t: HwType): fc.Arbitrary<bigint> {
  const { min, max } = rangeOf(t);
  return fc.oneof(fc.constantFrom(0n, min, max, t.signed ? -1n : 1n), fc.bigInt({ min, max }));
}

// ---------------------------------------------------------------------------------------------
// Generation

export interface GenOptions {
  /** Longest operator path from the root to a leaf (coercions inserted for typing not counted). */
  maxDepth: number;
  /** No node wider than this (default 128). */
  maxWidth?: number;
  /** Widest constant leaf (default 70). */
  maxConstWidth?: number;
  /**
   * Generate unsigned ordered compares (lt/le/gt/ge) as signed compares of operands zero-extended
   * by one bit. Works around the emitter bug in which `verilator -Wall` warns CMPCONST/UNSIGNED
   * on unsigned compares with a (folded) constant at the type's bounds; see test/emit/lower.test.ts.
   */
  lintSafeCompares?: boolean;
  /**
   * Keep dynamic shift amounts at most 32 bits wide. Works around the emitter bug in which a
   * shift amount wider than 32 bits that verilator folds to a constant ≥ 2^32 is a lint error
   * ("Value too wide for 32-bits expected in this context"); see test/emit/lower.test.ts.
   */
  narrowShiftAmounts?: boolean;
}

type Op = GenNode['op'];

const OPS: readonly Op[] = [
  'add', 'sub', 'mul', 'neg',
  'and', 'or', 'xor', 'not',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'shl', 'shr',
  'slice', 'bit', 'msb', 'andR', 'orR', 'xorR',
  'ext', 'zext', 'sext', 'trunc', 'asSigned', 'asUnsigned',
  'mux', 'cat', 'repeat',
];

class Generator {
  private readonly maxW: number;
  private readonly maxConstW: number;
  /** Generated subtrees with their height, for sharing. */
  private readonly pool: { node: GenNode; height: number }[] = [];

  constructor(
    private readonly r: Rand,
    private readonly inputs: readonly HwType[],
    private readonly opts: GenOptions,
  ) {
    this.maxW = opts.maxWidth ?? 128;
    this.maxConstW = Math.min(opts.maxConstWidth ?? 70, this.maxW);
    for (const t of inputs) if (t.width > this.maxW) throw new Error(`exprgen: input ${fmtType(t)} wider than maxWidth ${this.maxW}`);
  }

  private chance(percent: number): boolean {
    return this.r.int(0, 99) < percent;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.r.int(0, xs.length - 1)];
  }

  /** A random tree of height ≤ depth. */
  gen(depth: number): GenNode {
    if (depth > 0 && this.pool.length > 0 && this.chance(8)) {
      const fits = this.pool.filter((p) => p.height <= depth);
      if (fits.length) return this.pick(fits).node;
    }
    const node = depth <= 0 || this.chance(15) ? this.leaf() : this.op(depth);
    if (node.op !== 'in' && node.op !== 'const') this.pool.push({ node, height: depth });
    return node;
  }

  leaf(): GenNode {
    if (this.inputs.length > 0 && this.chance(70)) {
      const index = this.r.int(0, this.inputs.length - 1);
      return { op: 'in', t: this.inputs[index], index };
    }
    const width = this.chance(60) ? this.r.int(1, 12) : this.r.int(1, this.maxConstW);
    const t = ty(width, this.chance(50));
    return { op: 'const', t, value: randValue(this.r, t) };
  }

  private num(t: HwType): NumOperand {
    return { num: randValue(this.r, t) };
  }

  // ---- coercions (not counted in the depth) ----

  cast(x: GenNode, signed: boolean): GenNode {
    if (x.t.signed === signed) return this.chance(10) ? { op: signed ? 'asSigned' : 'asUnsigned', t: x.t, a: x } : x;
    return { op: signed ? 'asSigned' : 'asUnsigned', t: ty(x.t.width, signed), a: x };
  }

  resize(x: GenNode, width: number): GenNode {
    if (x.t.width === width) return x;
    if (x.t.width > width) return { op: 'trunc', t: ty(width, x.t.signed), a: x, width };
    const op: ResizeOp = this.chance(50) ? 'ext' : x.t.signed ? 'sext' : 'zext';
    return { op, t: ty(width, x.t.signed), a: x, width };
  }

  /** `x` as exactly type `t`, casting before or after resizing. */
  coerce(x: GenNode, t: HwType): GenNode {
    return this.chance(50) ? this.resize(this.cast(x, t.signed), t.width) : this.cast(this.resize(x, t.width), t.signed);
  }

  /** `x` no wider than `w`. */
  fit(x: GenNode, w: number): GenNode {
    return x.t.width > w ? this.resize(x, w) : x;
  }

  /** A 1-bit unsigned condition made from `x`. */
  toBool(x: GenNode): GenNode {
    if (x.t.width === 1 && !x.t.signed && this.chance(70)) return x;
    const b = ut(1);
    switch (this.r.int(0, 5)) {
      case 0:
        return { op: 'orR', t: b, a: x };
      case 1:
        return { op: 'andR', t: b, a: x };
      case 2:
        return { op: 'xorR', t: b, a: x };
      case 3:
        return { op: 'msb', t: b, a: x };
      case 4:
        return { op: 'bit', t: b, a: x, i: this.r.int(0, x.t.width - 1) };
      default:
        return this.compare(this.pick(['eq', 'ne', 'lt', 'ge'] as CmpOp[]), x, this.num(x.t));
    }
  }

  /** An unsigned shift amount from `x`: usually narrow (so shifts are in range), sometimes wide. */
  amount(x: GenNode): GenNode {
    let a = this.cast(x, false);
    if (this.chance(75)) a = this.fit(a, this.r.int(1, 7));
    if (this.opts.narrowShiftAmounts) a = this.fit(a, 32);
    return a;
  }

  private compare(op: CmpOp, a: GenNode, b: GenNode | NumOperand): GenNode {
    const bit = ut(1);
    if (!isNum(b)) b = this.cast(b, a.t.signed);
    if (this.opts.lintSafeCompares && !a.t.signed && op !== 'eq' && op !== 'ne') {
      // a < b  as  $signed({0, a}) < $signed({0, b}), the form verilator does not warn about
      const bn: GenNode = isNum(b) ? { op: 'const', t: a.t, value: b.num } : b;
      const wa = this.fit(a, this.maxW - 1);
      const wb = this.fit(bn, this.maxW - 1);
      const sa: GenNode = { op: 'asSigned', t: st(wa.t.width + 1), a: { op: 'zext', t: ut(wa.t.width + 1), a: wa, width: wa.t.width + 1 } };
      const sb: GenNode = { op: 'asSigned', t: st(wb.t.width + 1), a: { op: 'zext', t: ut(wb.t.width + 1), a: wb, width: wb.t.width + 1 } };
      return { op, t: bit, a: sa, b: sb };
    }
    return { op, t: bit, a, b };
  }

  op(depth: number): GenNode {
    const d = depth - 1;
    const maxW = this.maxW;
    const op = this.pick(OPS);
    switch (op) {
      case 'add':
      case 'sub':
      case 'mul': {
        let a = this.gen(d);
        if (this.chance(20)) {
          // number operand: the DSL gives it the narrowest type of a's signedness
          const v = a.t.signed ? this.r.big(-(1n << 20n), 1n << 20n) : this.r.big(0n, 1n << 20n);
          const bw = minimalType(v, a.t.signed).width;
          a = this.fit(a, op === 'mul' ? maxW - bw : maxW - 1);
          const w = op === 'mul' ? a.t.width + bw : Math.max(a.t.width, bw) + 1;
          return { op, t: ty(w, a.t.signed), a, b: { num: v } };
        }
        let b = this.cast(this.gen(d), a.t.signed);
        if (op === 'mul') {
          if (a.t.width + b.t.width > maxW) {
            a = this.fit(a, this.r.int(1, maxW - 1));
            b = this.fit(b, maxW - a.t.width);
          }
          return { op, t: ty(a.t.width + b.t.width, a.t.signed), a, b };
        }
        a = this.fit(a, maxW - 1);
        b = this.fit(b, maxW - 1);
        return { op, t: ty(Math.max(a.t.width, b.t.width) + 1, a.t.signed), a, b };
      }
      case 'neg': {
        const a = this.fit(this.gen(d), maxW - 1);
        return { op, t: st(a.t.width + 1), a };
      }
      case 'and':
      case 'or':
      case 'xor': {
        const a = this.gen(d);
        if (this.chance(25)) return { op, t: a.t, a, b: this.num(a.t) };
        return { op, t: a.t, a, b: this.coerce(this.gen(d), a.t) };
      }
      case 'not': {
        const a = this.gen(d);
        return { op, t: a.t, a };
      }
      case 'eq':
      case 'ne':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge': {
        const a = this.gen(d);
        return this.compare(op, a, this.chance(25) ? this.num(a.t) : this.gen(d));
      }
      case 'shl':
      case 'shr': {
        let a = this.gen(d);
        if (this.chance(50)) return { op, t: a.t, a, by: this.amount(this.gen(d)) };
        if (op === 'shl') {
          a = this.fit(a, maxW - 1);
          const n = this.chance(10) ? 0 : this.r.int(1, Math.min(12, maxW - a.t.width));
          return { op, t: ty(a.t.width + n, a.t.signed), a, by: n };
        }
        if (a.t.width === 1) return { op, t: a.t, a, by: 0 };
        const n = this.chance(10) ? 0 : this.r.int(1, a.t.width - 1);
        return { op, t: ty(a.t.width - n, a.t.signed), a, by: n };
      }
      case 'slice': {
        const a = this.gen(d);
        const lo = this.r.int(0, a.t.width - 1);
        const hi = this.r.int(lo, a.t.width - 1);
        return { op, t: ut(hi - lo + 1), a, hi, lo };
      }
      case 'bit': {
        const a = this.gen(d);
        return { op, t: ut(1), a, i: this.r.int(0, a.t.width - 1) };
      }
      case 'msb':
      case 'andR':
      case 'orR':
      case 'xorR':
        return { op, t: ut(1), a: this.gen(d) };
      case 'asSigned':
      case 'asUnsigned': {
        const a = this.gen(d);
        return { op, t: ty(a.t.width, op === 'asSigned'), a };
      }
      case 'ext':
      case 'zext':
      case 'sext': {
        let a = this.gen(d);
        if (op !== 'ext') a = this.cast(a, op === 'sext');
        const width = this.r.int(a.t.width, Math.min(maxW, a.t.width + (this.chance(50) ? 4 : 40)));
        return { op, t: ty(width, a.t.signed), a, width };
      }
      case 'trunc': {
        const a = this.gen(d);
        const width = this.r.int(1, a.t.width);
        return { op, t: ty(width, a.t.signed), a, width };
      }
      case 'mux': {
        const sel = this.toBool(this.gen(d));
        const a = this.gen(d);
        if (this.chance(20)) {
          const n = this.num(a.t);
          return this.chance(50) ? { op, t: a.t, sel, a, b: n } : { op, t: a.t, sel, a: n, b: a };
        }
        return { op, t: a.t, sel, a, b: this.coerce(this.gen(d), a.t) };
      }
      case 'cat': {
        const n = this.r.int(2, 4);
        const parts: GenNode[] = [];
        let budget = maxW;
        for (let i = 0; i < n && budget > 0; i++) {
          const p = this.fit(this.gen(d), Math.max(1, Math.floor(budget / (n - i)) + (i === n - 1 ? 0 : this.r.int(0, 8))));
          const q = this.fit(p, budget);
          parts.push(q);
          budget -= q.t.width;
        }
        if (parts.length === 1) return { op: 'asUnsigned', t: ut(parts[0].t.width), a: parts[0] };
        return { op, t: ut(parts.reduce((s, p) => s + p.t.width, 0)), parts };
      }
      case 'repeat': {
        const n = this.r.int(1, 4);
        const a = this.fit(this.gen(d), Math.floor(maxW / n));
        return { op, t: ut(a.t.width * n), a, n };
      }
      default:
        return this.leaf();
    }
  }
}

/** A random tree over inputs of types `inputs` (referenced by index). */
export function genExprTree(r: Rand, inputs: readonly HwType[], opts: GenOptions): GenNode {
  return new Generator(r, inputs, opts).gen(opts.maxDepth);
}

/** `n` trees over the same inputs, which may share subtrees with each other. */
export function genExprTrees(r: Rand, inputs: readonly HwType[], n: number, opts: GenOptions): GenNode[] {
  const g = new Generator(r, inputs, opts);
  return Array.from({ length: n }, () => g.gen(opts.maxDepth));
}

/** Random input types: `n` of them, widths 1..maxWidth (default 70, biased to small), mixed signedness. */
export function genInputTypes(r: Rand, n: number, maxWidth = 70): HwType[] {
  return Array.from({ length: n }, () => {
    const k = r.int(0, 9);
    const w = k < 5 ? r.int(1, 8) : k < 8 ? r.int(9, 64) : r.int(65, maxWidth);
    return ty(Math.min(w, maxWidth), r.int(0, 1) === 1);
  });
}

export function arbInputTypes(opts: { min?: number; max?: number; maxWidth?: number } = {}): fc.Arbitrary<HwType[]> {
  const maxWidth = opts.maxWidth ?? 70;
  const width = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: maxWidth }));
  return fc.array(fc.record({ width, signed: fc.boolean() }), { minLength: opts.min ?? 1, maxLength: opts.max ?? 6 });
}

/** A tree over `inputs`, as a fast-check arbitrary. */
export function arbExprTree(inputs: readonly HwType[], opts: GenOptions): fc.Arbitrary<GenNode> {
  return fc.gen().map((g) => genExprTree(genRand(g), inputs, opts));
}

export interface ExprCase {
  inputs: HwType[];
  exprs: GenNode[];
}

/** Input types and `count` trees over them (sharing subtrees), as a fast-check arbitrary. */
export function arbExprCase(opts: GenOptions & { count: number; inputs?: { min?: number; max?: number; maxWidth?: number } }): fc.Arbitrary<ExprCase> {
  return arbInputTypes(opts.inputs).chain((inputs) =>
    fc.gen().map((g) => ({ inputs, exprs: genExprTrees(genRand(g), inputs, opts.count, opts) })),
  );
}

// ---------------------------------------------------------------------------------------------
// Building DSL expressions

function numArg(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * The DSL expression for `node` in module `m`, reading `inputs[i]` for input `i`. Shared
 * subtrees are built once (pass the same `memo` to share across several roots). Throws if the
 * DSL gives a node a type other than the one the generator computed.
 */
export function buildExpr(node: GenNode, m: ModuleBuilder, inputs: readonly Expr[], memo: Map<GenNode, Expr> = new Map()): Expr {
  const known = memo.get(node);
  if (known) return known;
  const b = (x: GenNode): Expr => buildExpr(x, m, inputs, memo);
  const operand = (x: GenNode | NumOperand): Expr | number | bigint => (isNum(x) ? numArg(x.num) : b(x));
  let e: Expr;
  switch (node.op) {
    case 'in':
      e = inputs[node.index];
      break;
    case 'const':
      e = m.const(node.t, node.value);
      break;
    case 'add':
    case 'sub':
    case 'mul':
    case 'and':
    case 'or':
    case 'xor':
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      e = b(node.a)[node.op](operand(node.b));
      break;
    case 'neg':
    case 'not':
    case 'andR':
    case 'orR':
    case 'xorR':
    case 'msb':
    case 'asSigned':
    case 'asUnsigned':
      e = b(node.a)[node.op]();
      break;
    case 'shl':
    case 'shr':
      e = b(node.a)[node.op](typeof node.by === 'number' ? node.by : b(node.by));
      break;
    case 'slice':
      e = b(node.a).slice(node.hi, node.lo);
      break;
    case 'bit':
      e = b(node.a).bit(node.i);
      break;
    case 'ext':
    case 'zext':
    case 'sext':
    case 'trunc':
      e = b(node.a)[node.op](node.width);
      break;
    case 'mux':
      e = mux(b(node.sel), operand(node.a), operand(node.b));
      break;
    case 'cat':
      e = cat(...node.parts.map(b));
      break;
    case 'repeat':
      e = repeat(b(node.a), node.n);
      break;
  }
  if (e.width !== node.t.width || e.signed !== node.t.signed) {
    throw new Error(`exprgen: the DSL typed ${node.op} as ${fmtType(e.type)}, the generator as ${fmtType(node.t)}: ${showTree(node)}`);
  }
  memo.set(node, e);
  return e;
}

/** Input port names used by `exprModule`. */
export function inputName(i: number): string {
  return `i${i}`;
}
export function outputName(k: number): string {
  return `y${k}`;
}

/** A combinational module with inputs `i0..` of types `inputs` and one output `y<k>` per tree. */
export function exprModule(name: string, inputs: readonly HwType[], exprs: readonly GenNode[]): HwModule {
  return module(name, (m) => {
    const ins = inputs.map((t, i) => m.input(inputName(i), t));
    const memo = new Map<GenNode, Expr>();
    exprs.forEach((x, k) => m.output(outputName(k), buildExpr(x, m, ins, memo)));
  });
}

// ---------------------------------------------------------------------------------------------
// An oracle over trees: the DSL semantics, computed on bit patterns.

const maskOf = (w: number): bigint => (1n << BigInt(w)) - 1n;
/** Bits → the value of type t. */
function valueOf(bits: bigint, t: HwType): bigint {
  const b = bits & maskOf(t.width);
  return t.signed && (b >> BigInt(t.width - 1)) & 1n ? b - (1n << BigInt(t.width)) : b;
}

/**
 * The value of `node` (normalised to `node.t`) for input values `values` (of the input types).
 * Written against the typing rules' documentation, independently of generator/ir/eval.ts.
 */
export function evalTree(node: GenNode, values: readonly bigint[], memo: Map<GenNode, bigint> = new Map()): bigint {
  const known = memo.get(node);
  if (known !== undefined) return known;
  const ev = (x: GenNode): bigint => evalTree(x, values, memo);
  const opnd = (x: GenNode | NumOperand): bigint => (isNum(x) ? x.num : ev(x));
  const t = node.t;
  let v: bigint;
  switch (node.op) {
    case 'in':
      v = valueOf(values[node.index], t);
      break;
    case 'const':
      v = node.value;
      break;
    case 'add':
      v = ev(node.a) + opnd(node.b);
      break;
    case 'sub':
      // unsigned: max(a, b) + 1 bits, modulo 2^w when the difference is negative
      v = valueOf(ev(node.a) - opnd(node.b), t);
      break;
    case 'mul':
      v = ev(node.a) * opnd(node.b);
      break;
    case 'neg':
      v = -ev(node.a);
      break;
    case 'and':
    case 'or':
    case 'xor': {
      const w = t.width;
      const x = ev(node.a) & maskOf(w);
      const y = opnd(node.b) & maskOf(w);
      v = valueOf(node.op === 'and' ? x & y : node.op === 'or' ? x | y : x ^ y, t);
      break;
    }
    case 'not':
      v = valueOf(maskOf(t.width) ^ (ev(node.a) & maskOf(t.width)), t);
      break;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const x = ev(node.a);
      const y = opnd(node.b);
      const r = { eq: x === y, ne: x !== y, lt: x < y, le: x <= y, gt: x > y, ge: x >= y }[node.op];
      v = r ? 1n : 0n;
      break;
    }
    case 'shl':
    case 'shr': {
      const x = ev(node.a);
      const w = node.a.t.width;
      if (typeof node.by === 'number') {
        // exact: multiply / floor-divide by 2^n
        const p = 1n << BigInt(node.by);
        v = node.op === 'shl' ? x * p : x >= 0n ? x / p : -((-x + p - 1n) / p);
        break;
      }
      const s = ev(node.by);
      if (node.op === 'shl') {
        v = s >= BigInt(w) ? 0n : valueOf((x & maskOf(w)) << s, t);
      } else if (!t.signed) {
        v = s >= BigInt(w) ? 0n : x >> s;
      } else {
        // arithmetic: the bits shifted in are copies of the sign bit
        const k = s >= BigInt(w) ? w : Number(s);
        const fill = x < 0n ? maskOf(k) << BigInt(w - k) : 0n;
        v = valueOf(((x & maskOf(w)) >> BigInt(k)) | fill, t);
      }
      break;
    }
    case 'slice':
      v = (ev(node.a) & maskOf(node.a.t.width)) >> BigInt(node.lo) & maskOf(node.hi - node.lo + 1);
      break;
    case 'bit':
      v = ((ev(node.a) & maskOf(node.a.t.width)) >> BigInt(node.i)) & 1n;
      break;
    case 'msb':
      v = ((ev(node.a) & maskOf(node.a.t.width)) >> BigInt(node.a.t.width - 1)) & 1n;
      break;
    case 'andR':
      v = (ev(node.a) & maskOf(node.a.t.width)) === maskOf(node.a.t.width) ? 1n : 0n;
      break;
    case 'orR':
      v = (ev(node.a) & maskOf(node.a.t.width)) !== 0n ? 1n : 0n;
      break;
    case 'xorR': {
      let bits = ev(node.a) & maskOf(node.a.t.width);
      let p = 0n;
      while (bits) {
        p ^= bits & 1n;
        bits >>= 1n;
      }
      v = p;
      break;
    }
    case 'ext':
    case 'zext':
    case 'sext': {
      // zero fill for unsigned, copies of the sign bit for signed, by the operand's signedness
      const x = ev(node.a) & maskOf(node.a.t.width);
      const neg = node.a.t.signed && (x >> BigInt(node.a.t.width - 1)) & 1n;
      v = valueOf(neg ? x | (maskOf(node.width) ^ maskOf(node.a.t.width)) : x, t);
      break;
    }
    case 'trunc':
    case 'asSigned':
    case 'asUnsigned':
      v = valueOf(ev(node.a), t);
      break;
    case 'mux':
      v = ev(node.sel) !== 0n ? opnd(node.a) : opnd(node.b);
      break;
    case 'cat': {
      let acc = 0n;
      for (const p of node.parts) acc = (acc << BigInt(p.t.width)) | (ev(p) & maskOf(p.t.width));
      v = acc;
      break;
    }
    case 'repeat': {
      const x = ev(node.a) & maskOf(node.a.t.width);
      let acc = 0n;
      for (let i = 0; i < node.n; i++) acc = (acc << BigInt(node.a.t.width)) | x;
      v = acc;
      break;
    }
  }
  if (!inRange(v, t)) throw new Error(`evalTree: ${node.op} gave ${v}, outside ${fmtType(t)}`);
  memo.set(node, v);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Printing

/** The tree as DSL code (inputs as i0, i1, ...), e.g. `i0.add(i1.asSigned()).trunc(4)`. */
export function showTree(node: GenNode): string {
  const o = (x: GenNode | NumOperand): string => (isNum(x) ? `${x.num}` : showTree(x));
  switch (node.op) {
    case 'in':
      return inputName(node.index);
    case 'const':
      return `m.const(${node.t.signed ? 'sint' : 'uint'}(${node.t.width}), ${node.value}n)`;
    case 'neg':
    case 'not':
    case 'andR':
    case 'orR':
    case 'xorR':
    case 'msb':
    case 'asSigned':
    case 'asUnsigned':
      return `${showTree(node.a)}.${node.op}()`;
    case 'shl':
    case 'shr':
      return `${showTree(node.a)}.${node.op}(${typeof node.by === 'number' ? node.by : showTree(node.by)})`;
    case 'slice':
      return `${showTree(node.a)}.slice(${node.hi}, ${node.lo})`;
    case 'bit':
      return `${showTree(node.a)}.bit(${node.i})`;
    case 'ext':
    case 'zext':
    case 'sext':
    case 'trunc':
      return `${showTree(node.a)}.${node.op}(${node.width})`;
    case 'mux':
      return `mux(${showTree(node.sel)}, ${o(node.a)}, ${o(node.b)})`;
    case 'cat':
      return `cat(${node.parts.map(showTree).join(', ')})`;
    case 'repeat':
      return `repeat(${showTree(node.a)}, ${node.n})`;
    default:
      return `${showTree(node.a)}.${node.op}(${o(node.b)})`;
  }
}

/** Every operator kind in a tree (for coverage checks). */
export function opsOf(node: GenNode, into: Set<string> = new Set()): Set<string> {
  const seen = new Set<GenNode>();
  const walk = (x: GenNode | NumOperand): void => {
    if (isNum(x) || seen.has(x)) return;
    seen.add(x);
    let tag: string = x.op;
    if ((ARITH.includes(x.op) || BITWISE.includes(x.op) || COMPARES.includes(x.op)) && 'b' in x && isNum(x.b)) tag += '#num';
    if ((x.op === 'shl' || x.op === 'shr') && typeof x.by !== 'number') tag += '#dyn';
    if (x.op === 'const' && x.value < 0n) tag += '#neg';
    if (x.op === 'const' && x.t.width > 64) tag += '#wide';
    if (x.op === 'mux' && (isNum(x.a) || isNum(x.b))) tag += '#num';
    into.add(tag);
    switch (x.op) {
      case 'in':
      case 'const':
        return;
      case 'mux':
        walk(x.sel);
        walk(x.a);
        walk(x.b);
        return;
      case 'cat':
        x.parts.forEach(walk);
        return;
      case 'shl':
      case 'shr':
        walk(x.a);
        if (typeof x.by !== 'number') walk(x.by);
        return;
      default:
        walk(x.a);
        if ('b' in x) walk(x.b);
    }
  };
  walk(node);
  return into;
}

/** The number of distinct nodes in a tree (shared subtrees counted once). */
export function sizeOf(node: GenNode): number {
  const seen = new Set<GenNode>();
  const walk = (x: GenNode | NumOperand): void => {
    if (isNum(x) || seen.has(x)) return;
    seen.add(x);
    if ('a' in x) walk(x.a);
    if ('b' in x) walk(x.b);
    if ('sel' in x) walk(x.sel);
    if ('parts' in x) x.parts.forEach(walk);
    if ('by' in x && typeof x.by !== 'number') walk(x.by);
  };
  walk(node);
  return seen.size;
}

