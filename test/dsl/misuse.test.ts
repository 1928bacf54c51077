// DSL misuse a block author can cause (wrong argument kinds, non-integer numbers, a mux of two
// numbers, ...) is a DslUsageError — a user error (exit 2), never a TypeError or RangeError that
// the CLI would report as a dcgen bug — naming what was expected and what was found, at the line
// of the offending call in this file (marked `// @tag`). Everything here comes from the public
// DSL surface, generator/dsl/index.ts, which is all a block needs.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConstantRangeError,
  DslUsageError,
  type Expr,
  type HwModule,
  type HwType,
  type ModuleBuilder,
  cat,
  constant,
  module,
  mux,
  repeat,
  uint,
} from '../../generator/dsl/index.ts';
import { REPO } from '../support/cli.ts';
import { type ExpectedError, hardwareErrorChecker, thrown } from '../support/markers.ts';

const FILE = 'test/dsl/misuse.test.ts';

const expectError = hardwareErrorChecker(import.meta.url, FILE);

/** `f` throws a DslUsageError (or the given class) with these parts, at the marked line. */
function misuse(f: () => unknown, x: ExpectedError, cls: typeof DslUsageError | typeof ConstantRangeError = DslUsageError): void {
  expectError(f, cls, x);
}

/** Untyped values, as a JavaScript plugin (or an `any`) could pass them. */
const anyOf = <T>(v: unknown): T => v as T;

describe('mux misuse', () => {
  it('two numbers as arms: no type to give them (was a TypeError, exit 70)', () => {
    misuse(
      () =>
        module('u_mux', (m) => {
          const s = m.input('s', uint(1));
          m.output('y', mux(s, 1, 0)); // @mux-numbers
        }),
      { module: 'u_mux', subject: 'mux arms', expected: 'at least one arm an Expr', found: 'two numbers, 1 and 0', at: 'mux-numbers' },
    );
  });
  it('a select that is not an Expr, an arm that is neither an Expr nor an integer', () => {
    misuse(
      () =>
        module('u_mux2', (m) => {
          const a = m.input('a', uint(4));
          m.output('y', mux(anyOf<Expr>(true), a, 0)); // @mux-sel
        }),
      { module: 'u_mux2', subject: 'mux select', expected: 'a 1-bit unsigned Expr', found: 'true', at: 'mux-sel' },
    );
    misuse(
      () =>
        module('u_mux3', (m) => {
          const s = m.input('s', uint(1));
          const a = m.input('a', uint(4));
          m.output('y', mux(s, a, 1.5)); // @mux-arm
        }),
      { module: 'u_mux3', subject: 'mux false arm', expected: 'an Expr or an integer', found: '1.5', at: 'mux-arm' },
    );
    misuse(
      () =>
        module('u_mux4', (m) => {
          const s = m.input('s', uint(1));
          const a = m.input('a', uint(4));
          m.output('y', mux(s, anyOf<Expr>('3'), a)); // @mux-str
        }),
      { module: 'u_mux4', subject: 'mux true arm', expected: 'an Expr or an integer', found: 'the string "3"', at: 'mux-str' },
    );
  });
});

describe('operands and constants that are not integers (were RangeError / TypeError)', () => {
  it('a fractional operand, a string operand, a bad shift amount', () => {
    misuse(
      () =>
        module('u_op', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.add(2.5)); // @op-frac
        }),
      { module: 'u_op', subject: "add on 'a'", expected: 'an Expr or an integer', found: '2.5', at: 'op-frac' },
    );
    misuse(
      () =>
        module('u_op2', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.and(anyOf<Expr>('x'))); // @op-str
        }),
      { module: 'u_op2', subject: "and on 'a'", expected: 'an Expr or an integer', found: 'the string "x"', at: 'op-str' },
    );
    misuse(
      () =>
        module('u_op3', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.shl(anyOf<number>(undefined))); // @op-shift
        }),
      { module: 'u_op3', subject: "shl on 'a'", expected: 'a shift amount', found: 'undefined', at: 'op-shift' },
    );
  });
  it('a number operand wider than any type is a ConstantRangeError', () => {
    misuse(
      () =>
        module('u_huge', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.add(1n << 5000n)); // @op-huge
        }),
      { module: 'u_huge', subject: "constant operand of 'a'", expected: 'a constant of at most 4096 bits', found: String(1n << 5000n), at: 'op-huge' },
      ConstantRangeError,
    );
  });
  it('constant(): a fractional value, a type that is not a type', () => {
    misuse(() => constant(uint(8), 2.5), { module: '<none>', subject: 'constant', expected: 'an integer', found: '2.5', at: 'const-frac' }); // @const-frac
    misuse(() => constant(anyOf<HwType>(8), 1), { module: '<none>', subject: 'constant', expected: 'a type made by uint(w)', found: '8', at: 'const-type' }); // @const-type
  });
  it('a reset value, a case value, an assigned value and a connection that are not integers', () => {
    misuse(
      () =>
        module('u_reset', (m) => {
          m.reg('r', uint(4), { reset: 0.5 }); // @reset
        }),
      { module: 'u_reset', subject: "reset value of 'r'", expected: 'an integer', found: '0.5', at: 'reset' },
    );
    misuse(
      () =>
        module('u_case', (m) => {
          const a = m.input('a', uint(2));
          const y = m.output('y', uint(1));
          m.comb(() => {
            y.set(0);
            m.switch(a, (s) => s.is(1.5, () => y.set(1))); // @case
          });
        }),
      { module: 'u_case', subject: "switch case on 'a'", expected: 'a constant case value', found: '1.5', at: 'case' },
    );
    misuse(
      () =>
        module('u_set', (m) => {
          const y = m.output('y', uint(4));
          m.comb(() => y.set(Number.NaN)); // @set
        }),
      { module: 'u_set', subject: "assignment to 'y'", expected: 'an Expr or an integer', found: 'NaN', at: 'set' },
    );
    const leaf = module('u_leaf', (m) => {
      const x = m.input('x', uint(4));
      m.output('y', x);
    });
    misuse(
      () =>
        module('u_conn', (m) => {
          const o = m.instance(leaf, 'u', { x: 0.25 }); // @conn
          m.output('y', o.y);
        }),
      { module: 'u_conn', subject: "instance 'u' port 'x'", expected: 'an Expr or an integer', found: '0.25', at: 'conn' },
    );
  });
});

describe('arguments of the wrong kind', () => {
  it('cat of a number, repeat with a bad count', () => {
    misuse(
      () =>
        module('u_cat', (m) => {
          const a = m.input('a', uint(4));
          m.output('y', cat(a, anyOf<Expr>(1))); // @cat
        }),
      { module: 'u_cat', subject: 'cat part 1', expected: 'an Expr', found: '1', at: 'cat' },
    );
    misuse(
      () =>
        module('u_rep', (m) => {
          const a = m.input('a', uint(4));
          m.output('y', repeat(a, 0)); // @rep0
        }),
      { module: 'u_rep', subject: "repeat of 'a'", expected: 'a count that is an integer of at least 1', found: '0', at: 'rep0' },
    );
    misuse(
      () =>
        module('u_rep2', (m) => {
          const a = m.input('a', uint(4));
          m.output('y', repeat(a, 1.5)); // @rep-frac
        }),
      { module: 'u_rep2', subject: "repeat of 'a'", expected: 'a count', found: '1.5', at: 'rep-frac' },
    );
  });
  it('a condition, a body, a type, an address, an instance child that are not what they should be', () => {
    misuse(
      () =>
        module('u_when', (m) => {
          const y = m.output('y', uint(1));
          m.comb(() => {
            y.set(0);
            m.when(anyOf<Expr>(1), () => y.set(1)); // @when
          });
        }),
      { module: 'u_when', subject: 'when condition', expected: 'a 1-bit unsigned Expr', found: '1', at: 'when' },
    );
    misuse(
      () =>
        module('u_body', (m) => {
          m.comb(anyOf<() => void>('y = 1')); // @body
        }),
      { module: 'u_body', subject: 'body of a process or branch', expected: 'a function', found: 'the string "y = 1"', at: 'body' },
    );
    misuse(
      () =>
        module('u_type', (m) => {
          m.input('a', anyOf<HwType>(undefined)); // @type
        }),
      { module: 'u_type', subject: "signal 'a'", expected: 'a type made by uint(w)', found: 'undefined', at: 'type' },
    );
    misuse(
      () =>
        module('u_memtype', (m) => {
          m.memory('mem', { depth: 4, type: uint(0) }); // @memtype
        }),
      { module: 'u_memtype', subject: "memory 'mem'", expected: 'a width from 1 to 4096', found: '0', at: 'memtype' },
    );
    misuse(
      () =>
        module('u_addr', (m) => {
          const mem = m.memory('mem', { depth: 4, type: uint(8) });
          m.output('y', mem.read(anyOf<Expr>(2))); // @addr
        }),
      { module: 'u_addr', subject: "address of memory 'mem'", expected: 'an Expr of 2-bit unsigned', found: '2', at: 'addr' },
    );
    misuse(
      () =>
        module('u_inst', (m) => {
          m.instance(anyOf<HwModule>({}), 'u', {}); // @inst
        }),
      { module: 'u_inst', subject: "instance 'u'", expected: 'a module built with module()', found: 'an object', at: 'inst' },
    );
    misuse(
      () =>
        module('u_arr', (m) => {
          m.inputArray('a', -1, uint(1)); // @arr
        }),
      { module: 'u_arr', subject: "input array 'a'", expected: 'a non-negative integer', found: '-1', at: 'arr' },
    );
  });
});

describe("a block's own checks: m.fail()", () => {
  /** A helper as a block would write it. */
  function evenWidth(m: ModuleBuilder, name: string, e: Expr): Expr {
    if (e.width % 2 !== 0) m.fail(`evenWidth '${name}'`, 'an operand of even width', `${e.width} bits`); // @fail
    return e;
  }
  it('throws a DslUsageError naming the module, the construct, expected and found, at the line of the call', () => {
    misuse(
      () =>
        module('u_fail', (m) => {
          const a = m.input('a', uint(3));
          m.output('y', evenWidth(m, 'h', a));
        }),
      { module: 'u_fail', subject: "evenWidth 'h'", expected: 'an operand of even width', found: '3 bits', at: 'fail' },
    );
  });
});

describe('the public DSL is enough for blocks', () => {
  function files(dir: string): string[] {
    return readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(path.posix.join(dir, e.name)) : /\.(ts|mts|mjs)$/.test(e.name) ? [path.posix.join(dir, e.name)] : [],
    );
  }
  it('no file of generator/blocks imports the IR or the DSL internals (only generator/dsl/index.ts)', () => {
    const bad = files('generator/blocks').filter((f) => /from\s+['"][^'"]*\/(ir\/|dsl\/(?!index\.ts)[^'"]+)['"]/.test(readFileSync(path.join(REPO, f), 'utf8')));
    expect(bad).toEqual([]);
  });
  it('no plain Error, TypeError or RangeError is thrown by the DSL', () => {
    const bad = files('generator/dsl').flatMap((f) =>
      readFileSync(path.join(REPO, f), 'utf8')
        .split('\n')
        .flatMap((l, i) => (/throw new (Type|Range)?Error\b/.test(l) ? [`${f}:${i + 1}`] : [])),
    );
    expect(bad).toEqual([]);
  });
});
