// A bit-accurate evaluator of IR expressions: the reference model the emitted Verilog is
// checked against. It implements the rules at the top of generator/ir/typing.ts:
//
//   add, sub, mul   exact (full width: the result always fits the node's type), except that
//                   an unsigned sub that goes negative wraps modulo 2^w (see the sub case)
//   neg             exact, signed, one bit wider
//   not, and/or/xor bitwise on the two's complement bits
//   compare         numeric (both operands have one signedness; widths may differ)
//   shiftConst      shl: × 2^n (exact, wider); shr: floor(a / 2^n) (exact, narrower)
//   shiftDyn        width kept: shl drops the bits shifted out; shr is arithmetic for signed
//   mux             1-bit select
//   concat, slice   unsigned bit fields
//   reduce          and/or/xor of all bits, 1-bit unsigned
//   extend          value kept (zero or sign extension by the operand's signedness)
//   trunc           the low bits, read with the node's (= the operand's) signedness
//   cast            the same bits, read with the other signedness
//
// Values are bigints normalised to the node's type: 0 .. 2^w − 1 for unsigned types and
// −2^(w−1) .. 2^(w−1) − 1 for signed ones. The values supplied for signals and memory words
// are normalised to their declared types first (so raw bit patterns may be passed).
//
// The exact operators are not wrapped: if a node's exact result does not fit its type the IR
// is ill-typed (the width pass would reject it), and evalExpr throws an EvalTypeError rather
// than hide the mistake.
import type { HwType, IrExpr, IrMemory, IrSignal } from './types.ts';

/** Internal error: the expression's types break the typing rules, or a read has no source. */
export class EvalTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalTypeError';
  }
}

function mask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

/** `value` reduced modulo 2^width and read as `t` (two's complement for signed types). */
export function normalize(value: bigint, t: HwType): bigint {
  const w = BigInt(t.width);
  const bits = value & ((1n << w) - 1n);
  return t.signed && bits >> (w - 1n) === 1n ? bits - (1n << w) : bits;
}

/** The two's complement bit pattern of `value` in `width` bits, as an unsigned bigint. */
export function toBits(value: bigint, width: number): bigint {
  return value & mask(width);
}

function inRange(value: bigint, t: HwType): boolean {
  const w = BigInt(t.width);
  return t.signed ? value >= -(1n << (w - 1n)) && value < 1n << (w - 1n) : value >= 0n && value < 1n << w;
}

function fmt(t: HwType): string {
  return `${t.signed ? 's' : 'u'}${t.width}`;
}

/** An exact result: it must already fit the node's type. */
function exact(e: IrExpr, value: bigint): bigint {
  if (!inRange(value, e.type)) {
    throw new EvalTypeError(`eval: ${e.kind}${'op' in e ? ` ${e.op}` : ''} result ${value} does not fit its type ${fmt(e.type)} (ill-typed IR)`);
  }
  return value;
}

function popcount(bits: bigint): number {
  let n = 0;
  for (let b = bits; b !== 0n; b &= b - 1n) n++;
  return n;
}

export type SignalEnv = (s: IrSignal) => bigint;
export type MemoryEnv = (m: IrMemory, addr: bigint) => bigint;

/**
 * The value of `e`, normalised to `e.type`, given the values of the signals and memories it
 * reads. Shared subexpressions (one node reached along several paths) are evaluated once.
 */
export function evalExpr(e: IrExpr, env: SignalEnv, mem?: MemoryEnv): bigint {
  const cache = new Map<IrExpr, bigint>();
  const ev = (x: IrExpr): bigint => {
    let v = cache.get(x);
    if (v === undefined) {
      v = evalNode(x, ev, env, mem);
      cache.set(x, v);
    }
    return v;
  };
  return ev(e);
}

function evalNode(e: IrExpr, ev: (x: IrExpr) => bigint, env: SignalEnv, mem: MemoryEnv | undefined): bigint {
  const t = e.type;
  switch (e.kind) {
    case 'ref':
      return normalize(env(e.signal), e.signal.type);
    case 'const':
      return exact(e, e.value);
    case 'memRead': {
      if (!mem) throw new EvalTypeError(`eval: read of memory '${e.memory.name}' without a memory environment`);
      const addr = ev(e.addr);
      return normalize(mem(e.memory, addr), e.memory.type);
    }
    case 'not':
      return normalize(~ev(e.a), t);
    case 'neg':
      if (!t.signed) throw new EvalTypeError(`eval: neg of type ${fmt(t)} (must be signed)`);
      return exact(e, -ev(e.a));
    case 'binary': {
      const a = ev(e.a);
      const b = ev(e.b);
      switch (e.op) {
        case 'add':
          return exact(e, a + b);
        case 'sub':
          // Unsigned sub is the one exception to "full width": u − u can be negative, and the
          // max(a, b) + 1 unsigned bits hold it modulo 2^w (the two's complement of the
          // difference, which .asSigned() reads back exactly). Signed sub is exact.
          return t.signed ? exact(e, a - b) : normalize(a - b, t);
        case 'mul':
          return exact(e, a * b);
        case 'and':
          return normalize(a & b, t);
        case 'or':
          return normalize(a | b, t);
        case 'xor':
          return normalize(a ^ b, t);
      }
      break;
    }
    case 'compare': {
      if (e.a.type.signed !== e.b.type.signed) throw new EvalTypeError(`eval: compare of ${fmt(e.a.type)} and ${fmt(e.b.type)}`);
      const a = ev(e.a);
      const b = ev(e.b);
      let r: boolean;
      switch (e.op) {
        case 'eq':
          r = a === b;
          break;
        case 'ne':
          r = a !== b;
          break;
        case 'lt':
          r = a < b;
          break;
        case 'le':
          r = a <= b;
          break;
        case 'gt':
          r = a > b;
          break;
        case 'ge':
          r = a >= b;
          break;
      }
      return exact(e, r ? 1n : 0n);
    }
    case 'shiftConst': {
      const a = ev(e.a);
      const n = BigInt(e.amount);
      // BigInt >> is a floor division by 2^n: arithmetic for negative (signed) values.
      return exact(e, e.op === 'shl' ? a << n : a >> n);
    }
    case 'shiftDyn': {
      const a = ev(e.a);
      const s = ev(e.amount);
      if (s < 0n) throw new EvalTypeError(`eval: negative shift amount ${s}`);
      const w = BigInt(e.a.type.width);
      if (e.op === 'shl') return s >= w ? normalize(0n, t) : normalize(a << s, t);
      // a is normalised by its signedness, so >> is logical for unsigned and arithmetic for signed
      if (s >= w) return normalize(a < 0n ? -1n : 0n, t);
      return normalize(a >> s, t);
    }
    case 'mux': {
      const sel = ev(e.sel);
      return normalize(sel !== 0n ? ev(e.whenTrue) : ev(e.whenFalse), t);
    }
    case 'concat': {
      let acc = 0n;
      for (const p of e.parts) acc = (acc << BigInt(p.type.width)) | toBits(ev(p), p.type.width);
      return exact(e, acc);
    }
    case 'slice': {
      const bits = toBits(ev(e.a), e.a.type.width);
      return exact(e, (bits >> BigInt(e.lo)) & mask(e.hi - e.lo + 1));
    }
    case 'reduce': {
      const w = e.a.type.width;
      const bits = toBits(ev(e.a), w);
      switch (e.op) {
        case 'and':
          return bits === mask(w) ? 1n : 0n;
        case 'or':
          return bits !== 0n ? 1n : 0n;
        case 'xor':
          return BigInt(popcount(bits) & 1);
      }
      break;
    }
    case 'extend':
      // Zero extension of an unsigned value and sign extension of a signed one keep the value;
      // the result's signedness is the operand's.
      if (t.signed !== e.a.type.signed) throw new EvalTypeError(`eval: extend from ${fmt(e.a.type)} to ${fmt(t)}`);
      return exact(e, ev(e.a));
    case 'trunc':
      return normalize(ev(e.a), t);
    case 'cast':
      return normalize(ev(e.a), t);
  }
}
