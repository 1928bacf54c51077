// The IR evaluator (generator/ir/eval.ts) on hand-computed cases: the reference model of the
// typing rules at the top of generator/ir/typing.ts.
import { describe, expect, it } from 'vitest';
import { type Expr, type Memory, type Signal, cat, constant, module, mux, repeat, sint, uint } from '../../generator/dsl/index.ts';
import { EvalTypeError, evalExpr, normalize, toBits } from '../../generator/ir/eval.ts';
import type { HwType, IrExpr, IrMemory, IrSignal } from '../../generator/ir/types.ts';

const u = uint;
const s = sint;
const k = (t: HwType, v: number | bigint): Expr => constant(t, v);
const noSignals = (sig: IrSignal): bigint => {
  throw new Error(`no value for ${sig.name}`);
};

/** Value and type of a DSL expression. */
function ev(e: Expr, env: (sig: IrSignal) => bigint = noSignals, mem?: (m: IrMemory, addr: bigint) => bigint): { v: bigint; t: string } {
  return { v: evalExpr(e.node, env, mem), t: `${e.signed ? 's' : 'u'}${e.width}` };
}

// Signals to read: a module with inputs of several types (unused inputs are allowed).
let A!: Signal; // u4
let B!: Signal; // s8
let C!: Signal; // u3
let W!: Signal; // u70
let MEM!: Memory;
let memRead!: Expr;
module('eval_inputs', (m) => {
  A = m.input('a', u(4));
  B = m.input('b', s(8));
  C = m.input('c', u(3));
  W = m.input('w', u(70));
  MEM = m.memory('mem', { depth: 8, type: s(6) });
  const d = m.input('d', s(6));
  m.sync(() => MEM.write(C, d));
  memRead = MEM.read(C);
  m.output('q', memRead);
});
const envOf = (vals: Record<string, bigint>) => (sig: IrSignal): bigint => {
  if (!(sig.name in vals)) throw new Error(`no value for ${sig.name}`);
  return vals[sig.name];
};

describe('normalize', () => {
  it('reduces modulo 2^w and reads two’s complement for signed types', () => {
    expect(normalize(255n, s(8))).toBe(-1n);
    expect(normalize(128n, s(8))).toBe(-128n);
    expect(normalize(127n, s(8))).toBe(127n);
    expect(normalize(-129n, s(8))).toBe(127n);
    expect(normalize(-1n, u(8))).toBe(255n);
    expect(normalize(256n, u(8))).toBe(0n);
    expect(normalize(-256n, u(8))).toBe(0n);
    expect(normalize(1n, s(1))).toBe(-1n);
    expect(normalize(2n, u(1))).toBe(0n);
    expect(normalize((1n << 70n) - 1n, s(70))).toBe(-1n);
    expect(normalize(1n << 69n, s(70))).toBe(-(1n << 69n));
    expect(normalize(1n << 70n, u(70))).toBe(0n);
    expect(toBits(-3n, 4)).toBe(0b1101n);
  });
});

describe('evalExpr: the cases of the brief', () => {
  it('s8 −128 * s8 −128 = 16384 in s16', () => {
    expect(ev(k(s(8), -128).mul(k(s(8), -128)))).toEqual({ v: 16384n, t: 's16' });
  });
  it('neg of u8 255 = −255 in s9', () => {
    expect(ev(k(u(8), 255).neg())).toEqual({ v: -255n, t: 's9' });
  });
  it('s8 −5 shr 1 = −3 in s7 (arithmetic, exact)', () => {
    expect(ev(k(s(8), -5).shr(1))).toEqual({ v: -3n, t: 's7' });
  });
  it('dynamic shl of u4 0b1011 by 2 = 0b1100 (bits shifted out are dropped)', () => {
    expect(ev(k(u(4), 0b1011).shl(k(u(2), 2)))).toEqual({ v: 0b1100n, t: 'u4' });
    expect(ev(A.shl(C), envOf({ a: 0b1011n, c: 2n }))).toEqual({ v: 0b1100n, t: 'u4' });
  });
});

describe('evalExpr: arithmetic (full width)', () => {
  it('add and sub widen by one bit and never overflow (signed)', () => {
    expect(ev(k(u(8), 200).add(k(u(8), 100)))).toEqual({ v: 300n, t: 'u9' });
    expect(ev(k(u(8), 255).add(k(u(3), 7)))).toEqual({ v: 262n, t: 'u9' });
    expect(ev(k(s(8), -128).sub(k(s(8), 127)))).toEqual({ v: -255n, t: 's9' });
    expect(ev(k(s(8), 127).sub(k(s(8), -128)))).toEqual({ v: 255n, t: 's9' });
    expect(ev(k(s(4), -8).add(k(s(8), -128)))).toEqual({ v: -136n, t: 's9' });
  });
  it('unsigned sub that goes negative holds the two’s complement of the difference', () => {
    // 0 − 15 = −15 ≡ 17 (mod 32) in u5; read back exactly with .asSigned()
    expect(ev(k(u(4), 0).sub(k(u(4), 15)))).toEqual({ v: 17n, t: 'u5' });
    expect(ev(k(u(4), 0).sub(k(u(4), 15)).asSigned())).toEqual({ v: -15n, t: 's5' });
    expect(ev(k(u(8), 3).sub(k(u(8), 5)))).toEqual({ v: 510n, t: 'u9' });
    expect(ev(k(u(8), 5).sub(k(u(8), 3)))).toEqual({ v: 2n, t: 'u9' });
  });
  it('mul is full width', () => {
    expect(ev(k(u(8), 255).mul(k(u(8), 255)))).toEqual({ v: 65025n, t: 'u16' });
    expect(ev(k(s(8), -128).mul(k(s(8), 127)))).toEqual({ v: -16256n, t: 's16' });
    expect(ev(k(s(1), -1).mul(k(s(1), -1)))).toEqual({ v: 1n, t: 's2' });
    expect(ev(k(s(4), -8).mul(k(s(3), 3)))).toEqual({ v: -24n, t: 's7' });
  });
  it('numbers take the narrowest type of the operand’s signedness', () => {
    expect(ev(k(u(8), 255).add(1))).toEqual({ v: 256n, t: 'u9' });
    expect(ev(k(s(8), -128).add(-1))).toEqual({ v: -129n, t: 's9' });
    expect(ev(k(s(8), 100).mul(-3))).toEqual({ v: -300n, t: 's11' });
  });
  it('neg widens by one bit and is always signed', () => {
    expect(ev(k(s(8), -128).neg())).toEqual({ v: 128n, t: 's9' });
    expect(ev(k(s(8), 127).neg())).toEqual({ v: -127n, t: 's9' });
    expect(ev(k(u(1), 1).neg())).toEqual({ v: -1n, t: 's2' });
    expect(ev(k(u(8), 0).neg())).toEqual({ v: 0n, t: 's9' });
  });
  it('works above 64 bits', () => {
    const max70 = (1n << 70n) - 1n;
    expect(ev(k(u(70), max70).add(k(u(70), 1)))).toEqual({ v: 1n << 70n, t: 'u71' });
    expect(ev(k(s(70), -(1n << 69n)).mul(k(s(70), -(1n << 69n))))).toEqual({ v: 1n << 138n, t: 's140' });
    expect(ev(k(s(70), -(1n << 69n)).neg())).toEqual({ v: 1n << 69n, t: 's71' });
    expect(ev(W.mul(W), envOf({ w: max70 }))).toEqual({ v: max70 * max70, t: 'u140' });
  });
});

describe('evalExpr: bitwise and reductions', () => {
  it('not, and, or, xor on the two’s complement bits', () => {
    expect(ev(k(u(4), 5).not())).toEqual({ v: 10n, t: 'u4' });
    expect(ev(k(s(4), 5).not())).toEqual({ v: -6n, t: 's4' });
    expect(ev(k(s(4), -8).and(k(s(4), 7)))).toEqual({ v: 0n, t: 's4' });
    expect(ev(k(s(4), -1).xor(k(s(4), 5)))).toEqual({ v: -6n, t: 's4' });
    expect(ev(k(s(4), -8).or(k(s(4), 7)))).toEqual({ v: -1n, t: 's4' });
    expect(ev(k(u(8), 0xf0).or(0x0f))).toEqual({ v: 255n, t: 'u8' });
  });
  it('andR, orR, xorR are 1-bit unsigned', () => {
    expect(ev(k(u(4), 15).andR())).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(u(4), 14).andR())).toEqual({ v: 0n, t: 'u1' });
    expect(ev(k(s(4), -1).andR())).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(u(8), 0).orR())).toEqual({ v: 0n, t: 'u1' });
    expect(ev(k(s(8), -128).orR())).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(u(8), 0b1011).xorR())).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(s(8), -1).xorR())).toEqual({ v: 0n, t: 'u1' });
  });
});

describe('evalExpr: compares', () => {
  it('compare values of one signedness, any widths', () => {
    expect(ev(k(s(4), -1).eq(k(s(8), -1)))).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(u(4), 15).eq(k(u(8), 255)))).toEqual({ v: 0n, t: 'u1' });
    expect(ev(k(u(4), 15).lt(k(u(8), 16)))).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(s(8), -1).lt(k(s(8), 0)))).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(s(8), -1).gt(k(s(4), -8)))).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(s(8), -8).ge(k(s(4), -8)))).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(s(8), -8).le(k(s(4), -8)))).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(u(8), 200).ne(200))).toEqual({ v: 0n, t: 'u1' });
    expect(ev(k(u(8), 200).gt(100))).toEqual({ v: 1n, t: 'u1' });
  });
});

describe('evalExpr: shifts', () => {
  it('by constants: shl widens (exact), shr narrows (floor, arithmetic for signed)', () => {
    expect(ev(k(u(4), 0b1011).shl(3))).toEqual({ v: 0b1011000n, t: 'u7' });
    expect(ev(k(s(4), -3).shl(2))).toEqual({ v: -12n, t: 's6' });
    expect(ev(k(u(8), 0xff).shr(4))).toEqual({ v: 0xfn, t: 'u4' });
    expect(ev(k(s(8), -128).shr(7))).toEqual({ v: -1n, t: 's1' });
    expect(ev(k(s(8), -1).shr(3))).toEqual({ v: -1n, t: 's5' });
    expect(ev(k(s(8), 5).shr(1))).toEqual({ v: 2n, t: 's7' });
  });
  it('by signals: the width is kept; shl drops bits, shr is arithmetic for signed', () => {
    expect(ev(B.shl(C), envOf({ b: 0x40n, c: 1n }))).toEqual({ v: -128n, t: 's8' });
    expect(ev(B.shl(C), envOf({ b: -1n, c: 7n }))).toEqual({ v: -128n, t: 's8' });
    expect(ev(B.shr(C), envOf({ b: -128n, c: 3n }))).toEqual({ v: -16n, t: 's8' });
    expect(ev(B.shr(C), envOf({ b: -5n, c: 1n }))).toEqual({ v: -3n, t: 's8' });
    expect(ev(B.shr(C), envOf({ b: 100n, c: 7n }))).toEqual({ v: 0n, t: 's8' });
    expect(ev(B.asUnsigned().shr(C), envOf({ b: -128n, c: 3n }))).toEqual({ v: 0x10n, t: 'u8' });
    expect(ev(A.shr(C), envOf({ a: 0b1000n, c: 3n }))).toEqual({ v: 1n, t: 'u4' });
    expect(ev(A.shl(C), envOf({ a: 0b1111n, c: 0n }))).toEqual({ v: 15n, t: 'u4' });
  });
  it('by amounts at or beyond the width (also > 64-bit amounts)', () => {
    expect(ev(A.shl(C), envOf({ a: 15n, c: 4n }))).toEqual({ v: 0n, t: 'u4' });
    expect(ev(A.shr(C), envOf({ a: 15n, c: 7n }))).toEqual({ v: 0n, t: 'u4' });
    expect(ev(B.shr(W), envOf({ b: -100n, w: (1n << 70n) - 1n }))).toEqual({ v: -1n, t: 's8' });
    expect(ev(B.shr(W), envOf({ b: 100n, w: 1n << 65n }))).toEqual({ v: 0n, t: 's8' });
    expect(ev(B.shl(W), envOf({ b: -1n, w: 1n << 64n }))).toEqual({ v: 0n, t: 's8' });
    expect(ev(W.shl(W), envOf({ w: 68n }))).toEqual({ v: 0n, t: 'u70' }); // 0b1000100 << 68
    expect(ev(W.shl(W), envOf({ w: 69n }))).toEqual({ v: 1n << 69n, t: 'u70' }); // bit 0 lands on bit 69
    expect(ev(W.shl(W), envOf({ w: 1n }))).toEqual({ v: 2n, t: 'u70' });
    expect(ev(W.shr(W), envOf({ w: 1n << 69n }))).toEqual({ v: 0n, t: 'u70' });
  });
});

describe('evalExpr: bit fields, extension, casts', () => {
  it('slice and bit are unsigned', () => {
    expect(ev(k(s(8), -1).slice(6, 3))).toEqual({ v: 15n, t: 'u4' });
    expect(ev(k(s(8), -128).bit(7))).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(s(8), -128).msb())).toEqual({ v: 1n, t: 'u1' });
    expect(ev(k(u(8), 0b10110100).slice(5, 2))).toEqual({ v: 0b1101n, t: 'u4' });
    expect(ev(k(s(8), -2).slice(7, 0))).toEqual({ v: 254n, t: 'u8' });
    expect(ev(k(u(70), 1n << 69n).slice(69, 66))).toEqual({ v: 8n, t: 'u4' });
  });
  it('cat and repeat are unsigned, most significant part first', () => {
    expect(ev(cat(k(u(4), 0xa), k(s(4), -1)))).toEqual({ v: 0xafn, t: 'u8' });
    expect(ev(cat(k(s(3), -4), k(u(1), 0), k(u(2), 3)))).toEqual({ v: 0b100011n, t: 'u6' });
    expect(ev(cat(k(s(4), -1)))).toEqual({ v: 15n, t: 'u4' });
    expect(ev(repeat(k(u(2), 0b10), 3))).toEqual({ v: 0b101010n, t: 'u6' });
    expect(ev(cat(k(u(64), (1n << 64n) - 1n), k(u(8), 1)))).toEqual({ v: (((1n << 64n) - 1n) << 8n) | 1n, t: 'u72' });
  });
  it('extension keeps the value (by the operand’s signedness)', () => {
    expect(ev(k(s(4), -3).ext(8))).toEqual({ v: -3n, t: 's8' });
    expect(ev(k(s(4), -3).sext(8))).toEqual({ v: -3n, t: 's8' });
    expect(ev(k(u(4), 13).zext(8))).toEqual({ v: 13n, t: 'u8' });
    expect(ev(k(u(4), 13).ext(70))).toEqual({ v: 13n, t: 'u70' });
    expect(ev(k(s(4), -3).ext(70).asUnsigned())).toEqual({ v: (1n << 70n) - 3n, t: 'u70' });
    // zext after a cast: the bits of −3 in 4 bits, zero-extended
    expect(ev(k(s(4), -3).asUnsigned().zext(8))).toEqual({ v: 13n, t: 'u8' });
  });
  it('resize extends (by signedness) or truncates to exactly the width', () => {
    expect(ev(k(u(4), 13).resize(8))).toEqual({ v: 13n, t: 'u8' });
    expect(ev(k(s(4), -3).resize(8))).toEqual({ v: -3n, t: 's8' });
    expect(ev(k(u(8), 0xfd).resize(4))).toEqual({ v: 13n, t: 'u4' });
    expect(ev(k(u(4), 13).resize(4))).toEqual({ v: 13n, t: 'u4' });
  });
  it('trunc keeps the low bits and the signedness', () => {
    expect(ev(k(s(8), -3).trunc(4))).toEqual({ v: -3n, t: 's4' });
    expect(ev(k(s(8), 100).trunc(4))).toEqual({ v: 4n, t: 's4' });
    expect(ev(k(s(8), 8).trunc(4))).toEqual({ v: -8n, t: 's4' });
    expect(ev(k(u(8), 0xff).trunc(4))).toEqual({ v: 15n, t: 'u4' });
    expect(ev(k(s(8), -128).trunc(1))).toEqual({ v: 0n, t: 's1' });
    expect(ev(k(s(8), -127).trunc(1))).toEqual({ v: -1n, t: 's1' });
  });
  it('asSigned / asUnsigned reinterpret the bits', () => {
    expect(ev(k(s(8), -3).asUnsigned())).toEqual({ v: 253n, t: 'u8' });
    expect(ev(k(u(8), 200).asSigned())).toEqual({ v: -56n, t: 's8' });
    expect(ev(k(u(8), 100).asSigned())).toEqual({ v: 100n, t: 's8' });
    expect(ev(k(u(1), 1).asSigned())).toEqual({ v: -1n, t: 's1' });
  });
});

describe('evalExpr: mux, signals, memories', () => {
  it('mux selects by a 1-bit condition', () => {
    expect(ev(mux(k(u(1), 1), k(s(4), -2), k(s(4), 3)))).toEqual({ v: -2n, t: 's4' });
    expect(ev(mux(k(u(1), 0), k(s(4), -2), 5))).toEqual({ v: 5n, t: 's4' });
    expect(ev(mux(A.eq(3), B, B.not()), envOf({ a: 3n, b: 9n }))).toEqual({ v: 9n, t: 's8' });
    expect(ev(mux(A.eq(3), B, B.not()), envOf({ a: 4n, b: 9n }))).toEqual({ v: -10n, t: 's8' });
  });
  it('normalises the values given for signals to their types', () => {
    expect(ev(B, envOf({ b: 0xffn }))).toEqual({ v: -1n, t: 's8' });
    expect(ev(A, envOf({ a: -1n }))).toEqual({ v: 15n, t: 'u4' });
    expect(ev(B.add(A.zext(5).asSigned()), envOf({ a: 15n, b: -128n }))).toEqual({ v: -113n, t: 's9' });
  });
  it('reads memories through the memory environment', () => {
    const mem = (m: IrMemory, addr: bigint): bigint => {
      expect(m.name).toBe('mem');
      return addr === 5n ? 0x3fn : 7n; // raw bits: 0x3f is −1 in s6
    };
    expect(ev(memRead, envOf({ c: 5n }), mem)).toEqual({ v: -1n, t: 's6' });
    expect(ev(memRead, envOf({ c: 4n }), mem)).toEqual({ v: 7n, t: 's6' });
    expect(() => ev(memRead, envOf({ c: 4n }))).toThrow(EvalTypeError);
  });
});

describe('evalExpr: ill-typed IR', () => {
  const c = (t: HwType, value: bigint): IrExpr => ({ kind: 'const', type: t, value });
  it('refuses exact results that do not fit the node’s type', () => {
    const add: IrExpr = { kind: 'binary', op: 'add', type: u(8), a: c(u(8), 255n), b: c(u(8), 1n) };
    expect(() => evalExpr(add, noSignals)).toThrow(EvalTypeError);
    const mul: IrExpr = { kind: 'binary', op: 'mul', type: s(8), a: c(s(8), -128n), b: c(s(8), -128n) };
    expect(() => evalExpr(mul, noSignals)).toThrow(/mul result 16384 does not fit its type s8/);
    const neg: IrExpr = { kind: 'neg', type: u(9), a: c(u(8), 1n) };
    expect(() => evalExpr(neg, noSignals)).toThrow(EvalTypeError);
    const cst: IrExpr = c(u(4), 16n);
    expect(() => evalExpr(cst, noSignals)).toThrow(EvalTypeError);
    const cc: IrExpr = { kind: 'concat', type: u(4), parts: [c(u(4), 15n), c(u(1), 1n)] };
    expect(() => evalExpr(cc, noSignals)).toThrow(EvalTypeError);
  });
  it('wraps where the rules say bits are dropped (trunc, cast, dynamic shl) even on hand-built IR', () => {
    const tr: IrExpr = { kind: 'trunc', type: s(3), a: c(u(8), 0b1101n) };
    expect(evalExpr(tr, noSignals)).toBe(-3n);
    const sh: IrExpr = { kind: 'shiftDyn', op: 'shl', type: u(4), a: c(u(4), 0b1011n), amount: c(u(2), 2n) };
    expect(evalExpr(sh, noSignals)).toBe(0b1100n);
  });
});

describe('evalExpr: shared subexpressions', () => {
  it('evaluates a deeply shared DAG once per node', () => {
    // x_{i+1} = x_i * x_i (truncated): 60 levels, 2^60 paths, 60 distinct nodes
    let x: Expr = A;
    for (let i = 0; i < 60; i++) x = x.mul(x).trunc(4);
    let reads = 0;
    const env = (sig: IrSignal): bigint => {
      reads++;
      return sig.name === 'a' ? 3n : 0n;
    };
    // 3^(2^60) mod 16: 3^2 = 9, 9^2 = 81 ≡ 1, then 1 forever
    expect(evalExpr(x.node, env)).toBe(1n);
    expect(reads).toBe(1);
  });
});
