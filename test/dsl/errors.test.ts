// Every user error the DSL, the IR passes and the parameter schema can raise, with its message:
// the module, the signal or construct, what was expected, what was found, and the line of the
// offending DSL call in this file (marked `// @tag`).
import { describe, expect, it } from 'vitest';
import { adderTreeDesign, adderTreeParams } from '../../generator/blocks/common/adder_tree.ts';
import { type Expr, type HwModule, type Signal, constant, module, mux, sint, uint } from '../../generator/dsl/index.ts';
import { emitDesign } from '../../generator/emit/design.ts';
import { DcgenError } from '../../generator/errors.ts';
import { findDesign } from '../../generator/designs/index.ts';
import type { DesignSpec } from '../../generator/designs/registry.ts';
import { registerPlugin } from '../../cli/plugins.ts';
import {
  CombinationalLoopError,
  ConnectionError,
  ConstantRangeError,
  DslUsageError,
  HardwareError,
  IdentifierError,
  LatchError,
  ModuleNameClashError,
  MultipleDriverError,
  SignednessError,
  UndrivenSignalError,
  UnusedSignalError,
  WidthMismatchError,
} from '../../generator/ir/errors.ts';
import { ParamRangeError, ParamRuleError, ParamTypeError, SetSyntaxError, UnknownParamError, ident, int, oneOf, parseSetArgs, resolveParams } from '../../generator/params/schema.ts';
import { hardwareErrorChecker, markedLines, thrown } from '../support/markers.ts';

const FILE = 'test/dsl/errors.test.ts';
const lineOf = markedLines(import.meta.url);

const expectError = hardwareErrorChecker(import.meta.url, FILE);

/** A leaf used by the instance and loop tests: y = x (combinational). */
const passThrough = module('pass_through', (m) => {
  const x = m.input('x', uint(8));
  m.output('y', x);
});
/** y = x registered. */
const registered = module('registered', (m) => {
  const x = m.input('x', uint(8));
  const y = m.outputReg('y', uint(8), { reset: 0 });
  m.sync(() => y.set(x));
});
const twoInputs = module('two_inputs', (m) => {
  const a = m.input('a', uint(8));
  const b = m.input('b', uint(8));
  m.output('y', a.xor(b));
});

describe('WidthMismatchError', () => {
  it('assignment of a 9-bit value to an 8-bit output (set and assign)', () => {
    expectError(
      () =>
        module('w_assign', (m) => {
          const a = m.input('a', uint(9));
          const y = m.output('y', uint(8));
          m.comb(() => y.set(a)); // @w-set
        }),
      WidthMismatchError,
      { module: 'w_assign', subject: "assignment to 'y'", expected: '8-bit unsigned', found: '9-bit unsigned', at: 'w-set' },
    );
    expectError(
      () =>
        module('w_assign2', (m) => {
          const a = m.input('a', uint(9));
          const y = m.output('y', uint(8));
          m.assign(y, a); // @w-assign
        }),
      WidthMismatchError,
      { module: 'w_assign2', subject: "assignment to 'y'", expected: '8-bit unsigned', found: '9-bit unsigned', at: 'w-assign' },
    );
  });

  it('bitwise operators of different widths', () => {
    expectError(
      () =>
        module('w_and', (m) => {
          const a = m.input('a', uint(8));
          const b = m.input('b', uint(4));
          m.output('y', a.and(b)); // @w-and
        }),
      WidthMismatchError,
      { module: 'w_and', subject: "and on 'a'", expected: 'operands of the same width', found: '8-bit unsigned and 4-bit unsigned', at: 'w-and' },
    );
    expectError(
      () =>
        module('w_mux', (m) => {
          const c = m.input('c', uint(1));
          const a = m.input('a', sint(8));
          const b = m.input('b', sint(7));
          m.output('y', mux(c, a, b)); // @w-mux
        }),
      WidthMismatchError,
      { module: 'w_mux', subject: "mux on 'c'", expected: 'operands of the same width', found: '8-bit signed and 7-bit signed', at: 'w-mux' },
    );
  });

  it('slice out of range', () => {
    expectError(
      () =>
        module('w_slice', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.slice(8, 1)); // @w-slice
        }),
      WidthMismatchError,
      { module: 'w_slice', subject: "slice [8:1] on 'a'", expected: 'bit indices with 7 >= hi >= lo >= 0', found: '[8:1]', at: 'w-slice' },
    );
    expectError(
      () =>
        module('w_slice2', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.slice(2, 3)); // @w-slice-rev
        }),
      WidthMismatchError,
      { module: 'w_slice2', subject: "slice [2:3] on 'a'", expected: 'hi >= lo', found: '[2:3]', at: 'w-slice-rev' },
    );
    expectError(
      () =>
        module('w_bit', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.bit(8)); // @w-bit
        }),
      WidthMismatchError,
      { module: 'w_bit', subject: "slice [8:8] on 'a'", expected: '7 >= hi', found: '[8:8]', at: 'w-bit' },
    );
  });

  it('trunc to a wider width, ext to a narrower one, shr by the whole width', () => {
    expectError(
      () =>
        module('w_trunc', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.trunc(9)); // @w-trunc
        }),
      WidthMismatchError,
      { module: 'w_trunc', subject: "trunc(9) on 'a'", expected: 'a truncation to at most 8 bits', found: '9', at: 'w-trunc' },
    );
    expectError(
      () =>
        module('w_ext', (m) => {
          const a = m.input('a', sint(8));
          m.output('y', a.ext(4)); // @w-ext
        }),
      WidthMismatchError,
      { module: 'w_ext', subject: "ext(4) on 'a'", expected: 'an extension to at least 8 bits', found: '4', at: 'w-ext' },
    );
    expectError(
      () =>
        module('w_shr', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.shr(8)); // @w-shr
        }),
      WidthMismatchError,
      { module: 'w_shr', subject: "shr on 'a'", expected: 'a right shift smaller than the operand width 8', found: '8', at: 'w-shr' },
    );
  });

  it('a condition that is not 1-bit unsigned', () => {
    expectError(
      () =>
        module('w_cond', (m) => {
          const a = m.input('a', uint(8));
          const y = m.output('y', uint(1));
          m.comb(() => {
            y.set(0);
            m.when(a, () => y.set(1)); // @w-cond
          });
        }),
      WidthMismatchError,
      { module: 'w_cond', subject: 'when condition', expected: 'a 1-bit unsigned condition', found: '8-bit unsigned', at: 'w-cond' },
    );
  });
});

describe('SignednessError', () => {
  it('add of a signed and an unsigned operand', () => {
    expectError(
      () =>
        module('s_add', (m) => {
          const a = m.input('a', uint(8));
          const b = m.input('b', sint(8));
          m.output('y', a.add(b)); // @s-add
        }),
      SignednessError,
      { module: 's_add', subject: "add on 'a'", expected: 'operands of the same signedness', found: '8-bit unsigned and 8-bit signed', at: 's-add' },
    );
  });

  it('zext of a signed operand, sext of an unsigned one', () => {
    expectError(
      () =>
        module('s_zext', (m) => {
          const b = m.input('b', sint(8));
          m.output('y', b.zext(16)); // @s-zext
        }),
      SignednessError,
      { module: 's_zext', subject: "zext(16) on 'b'", expected: 'an unsigned operand for zext', found: '8-bit signed', at: 's-zext' },
    );
    expectError(
      () =>
        module('s_sext', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.sext(16)); // @s-sext
        }),
      SignednessError,
      { module: 's_sext', subject: "sext(16) on 'a'", expected: 'a signed operand for sext', found: '8-bit unsigned', at: 's-sext' },
    );
  });

  it('assignment of a signed value to an unsigned output; compare; shift by a signed amount', () => {
    expectError(
      () =>
        module('s_assign', (m) => {
          const b = m.input('b', sint(8));
          const y = m.output('y', uint(8));
          m.assign(y, b); // @s-assign
        }),
      SignednessError,
      { module: 's_assign', subject: "assignment to 'y'", expected: '8-bit unsigned', found: '8-bit signed', at: 's-assign' },
    );
    expectError(
      () =>
        module('s_cmp', (m) => {
          const a = m.input('a', uint(8));
          const b = m.input('b', sint(8));
          m.output('y', b.lt(a)); // @s-cmp
        }),
      SignednessError,
      { module: 's_cmp', subject: "lt on 'b'", expected: 'operands of the same signedness', found: '8-bit signed and 8-bit unsigned', at: 's-cmp' },
    );
    expectError(
      () =>
        module('s_shift', (m) => {
          const a = m.input('a', uint(8));
          const b = m.input('b', sint(3));
          m.output('y', a.shl(b)); // @s-shift
        }),
      SignednessError,
      { module: 's_shift', subject: "shl on 'a'", expected: 'an unsigned shift amount', found: '3-bit signed', at: 's-shift' },
    );
  });
});

describe('IdentifierError', () => {
  const shape = 'a Verilog identifier ([A-Za-z][A-Za-z0-9_]*';
  it('a name that is not an identifier: "1x"', () => {
    expectError(
      () =>
        module('i_digit', (m) => {
          m.wire('1x', uint(1)); // @i-digit
        }),
      IdentifierError,
      { module: 'i_digit', subject: 'name', expected: shape, found: '"1x"', at: 'i-digit' },
    );
  });
  it('a name starting with "_" (reserved for generated names)', () => {
    expectError(
      () =>
        module('i_underscore', (m) => {
          m.input('_x', uint(1)); // @i-underscore
        }),
      IdentifierError,
      { module: 'i_underscore', subject: 'name', expected: 'a leading _ is reserved for generated names', found: '"_x"', at: 'i-underscore' },
    );
  });
  it('a duplicate name', () => {
    expectError(
      () =>
        module('i_dup', (m) => {
          m.input('a', uint(1));
          m.reg('a', uint(1)); // @i-dup
        }),
      IdentifierError,
      { module: 'i_dup', subject: 'name', expected: 'a name not declared before in this module', found: '"a"', at: 'i-dup' },
    );
  });
  it('the implicit clk and rst', () => {
    expectError(
      () =>
        module('i_clk', (m) => {
          m.input('clk', uint(1)); // @i-clk
        }),
      IdentifierError,
      { module: 'i_clk', subject: 'name', expected: 'a name other than the implicit clk and rst', found: '"clk"', at: 'i-clk' },
    );
    expectError(
      () =>
        module('i_rst', (m) => {
          m.wire('rst', uint(1)); // @i-rst
        }),
      IdentifierError,
      { module: 'i_rst', subject: 'name', expected: 'a name other than the implicit clk and rst', found: '"rst"', at: 'i-rst' },
    );
  });
  it('a port named after a Verilog keyword ("module"), reported at its declaration', () => {
    expectError(
      () =>
        module('i_port_kw', (m) => {
          const x = m.input('module', uint(1)); // @i-port-kw
          m.output('y', x);
        }),
      IdentifierError,
      { module: 'i_port_kw', subject: "port 'module'", expected: 'a port name that is not a Verilog keyword', found: "the keyword 'module'", at: 'i-port-kw' },
    );
    expectError(
      () =>
        module('i_port_sv', (m) => {
          m.input('x', uint(1));
          m.output('logic', uint(1)); // @i-port-sv
        }),
      IdentifierError,
      { module: 'i_port_sv', subject: "port 'logic'", expected: 'not a Verilog keyword', found: "the keyword 'logic'", at: 'i-port-sv' },
    );
  });
  it('bad module names: not an identifier, a keyword', () => {
    expectError(() => module('2fast', () => {}), IdentifierError, { module: '2fast', subject: 'module name', expected: shape, found: '"2fast"', at: 'i-mod-shape' }); // @i-mod-shape
    expectError(() => module('always', () => {}), IdentifierError, { module: 'always', subject: 'module name', expected: 'a name that is not a Verilog keyword', found: "'always'", at: 'i-mod-kw' }); // @i-mod-kw
  });
  it('an instance output wire that collides with a declared name', () => {
    expectError(
      () =>
        module('i_inst_out', (m) => {
          const u_y = m.input('u_y', uint(8));
          const o = m.instance(passThrough, 'u', { x: u_y }); // @i-inst-out
          m.output('y', o.y);
        }),
      IdentifierError,
      { module: 'i_inst_out', subject: 'name', expected: 'a name not declared before', found: '"u_y"', at: 'i-inst-out' },
    );
  });
});

describe('keyword legalisation of internal names', () => {
  it('a wire named `reg` or `logic` is emitted as `reg_v` / `logic_v`; a taken `_v` name gets `_v2`', () => {
    const top = module('kw_names', (m) => {
      const a = m.input('a', uint(8));
      const r = m.wire('reg', a.not());
      const l = m.wire('logic', r.xor(a));
      const taken = m.wire('begin_v', l.and(a));
      const b = m.wire('begin', taken.or(r));
      const mem = m.memory('end', { depth: 4, type: uint(8) });
      m.sync(() => mem.write(a.slice(1, 0), b));
      const o = m.instance(passThrough, 'wire', { x: mem.read(a.slice(3, 2)) });
      m.output('y', o.y);
    });
    const ir = top.ir;
    expect(ir.signals.map((s) => s.name)).toEqual(['reg_v', 'logic_v', 'begin_v', 'begin_v2', 'wire_y']);
    expect(ir.memories[0].name).toBe('end_v');
    expect(ir.instances[0].name).toBe('wire_v');
    const v = emitDesign(top, { design: 'test.kw', params: {} }).files.get('kw_names.v')!;
    expect(v).toMatch(/^ {2}wire \[7:0\] reg_v;$/m);
    expect(v).toMatch(/^ {2}wire \[7:0\] logic_v;$/m);
    expect(v).toMatch(/^ {2}wire \[7:0\] begin_v2;$/m);
    expect(v).toMatch(/^ {2}dcgen_mem_4x8_1r1w_r0 end_v \($/m); // the memory: an instance of its memory module
    expect(v).toMatch(/^ {2}pass_through wire_v \($/m);
    expect(v).toContain('assign reg_v = ~a;');
    expect(v).toContain('assign logic_v = reg_v ^ a;');
    // no keyword is used as a name anywhere: not declared, assigned, indexed or instantiated
    const kws = '(reg|logic|begin|end|wire)';
    expect(v).not.toMatch(new RegExp(`\\b${kws}\\s*(=|<=)`));
    expect(v).not.toMatch(new RegExp(`\\b${kws};`));
    expect(v).not.toMatch(new RegExp(`\\b${kws}\\s*\\[[^\\]]*\\]\\s*(=|<=)`));
    expect(v).not.toMatch(new RegExp(`[ (]${kws}\\)`));
    expect(v).not.toMatch(new RegExp(`pass_through ${kws} \\(`));
  });
});

describe('ConstantRangeError', () => {
  it('a constant that does not fit its type', () => {
    expectError(
      () =>
        module('c_const', (m) => {
          m.output('y', m.const(uint(4), 16)); // @c-const
        }),
      ConstantRangeError,
      { module: 'c_const', subject: 'constant', expected: 'a value of 4-bit unsigned (0..15)', found: '16', at: 'c-const' },
    );
    expectError(
      () =>
        module('c_const_s', (m) => {
          m.output('y', m.const(sint(4), -9)); // @c-const-s
        }),
      ConstantRangeError,
      { module: 'c_const_s', subject: 'constant', expected: 'a value of 4-bit signed (-8..7)', found: '-9', at: 'c-const-s' },
    );
  });
  it('a number operand, a reset value, an assigned number and a case value out of range', () => {
    expectError(
      () =>
        module('c_cmp', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.eq(256)); // @c-cmp
        }),
      ConstantRangeError,
      { module: 'c_cmp', subject: "eq on 'a'", expected: 'a value of 8-bit unsigned (0..255)', found: '256', at: 'c-cmp' },
    );
    expectError(
      () =>
        module('c_reset', (m) => {
          m.reg('r', sint(4), { reset: 8 }); // @c-reset
        }),
      ConstantRangeError,
      { module: 'c_reset', subject: "reset value of 'r'", expected: 'a value of 4-bit signed (-8..7)', found: '8', at: 'c-reset' },
    );
    expectError(
      () =>
        module('c_set', (m) => {
          const y = m.output('y', uint(3));
          m.comb(() => y.set(8)); // @c-set
        }),
      ConstantRangeError,
      { module: 'c_set', subject: 'constant', expected: 'a value of 3-bit unsigned (0..7)', found: '8', at: 'c-set' },
    );
    expectError(
      () =>
        module('c_case', (m) => {
          const s = m.input('s', uint(2));
          const y = m.output('y', uint(1));
          m.comb(() => {
            y.set(0);
            m.switch(s, (sw) => {
              sw.is(4, () => y.set(1)); // @c-case
            });
          });
        }),
      ConstantRangeError,
      { module: 'c_case', subject: "switch case on 's'", expected: 'a value of 2-bit unsigned (0..3)', found: '4', at: 'c-case' },
    );
  });
});

describe('DslUsageError', () => {
  it('assignment to an input', () => {
    expectError(
      () =>
        module('u_input', (m) => {
          const a = m.input('a', uint(1));
          m.comb(() => a.set(1)); // @u-input
        }),
      DslUsageError,
      { module: 'u_input', subject: "signal 'a'", expected: 'a wire, output or register to assign', found: 'an input port', at: 'u-input' },
    );
  });
  it('a register assigned in comb, an output register too', () => {
    expectError(
      () =>
        module('u_reg_comb', (m) => {
          const r = m.reg('r', uint(1));
          m.comb(() => r.set(1)); // @u-reg-comb
        }),
      DslUsageError,
      { module: 'u_reg_comb', subject: "register 'r'", expected: 'an assignment inside m.sync()', found: 'one inside m.comb()', at: 'u-reg-comb' },
    );
    expectError(
      () =>
        module('u_oreg_comb', (m) => {
          const q = m.outputReg('q', uint(1));
          m.assign(q, 1); // @u-oreg-comb
        }),
      DslUsageError,
      { module: 'u_oreg_comb', subject: "register 'q'", expected: 'an assignment inside m.sync()', found: 'one inside m.comb()', at: 'u-oreg-comb' },
    );
  });
  it('a wire or an output assigned in sync', () => {
    expectError(
      () =>
        module('u_wire_sync', (m) => {
          const w = m.wire('w', uint(1));
          m.sync(() => w.set(1)); // @u-wire-sync
        }),
      DslUsageError,
      { module: 'u_wire_sync', subject: "signal 'w'", expected: 'an assignment inside m.comb() or m.assign() (it is not a register)', found: 'one inside m.sync()', at: 'u-wire-sync' },
    );
    expectError(
      () =>
        module('u_out_sync', (m) => {
          const y = m.output('y', uint(1));
          m.sync(() => {
            y.set(1); // @u-out-sync
          });
        }),
      DslUsageError,
      { module: 'u_out_sync', subject: "signal 'y'", expected: 'it is not a register', found: 'one inside m.sync()', at: 'u-out-sync' },
    );
  });
  it('statements outside a process', () => {
    expectError(
      () =>
        module('u_outside', (m) => {
          const w = m.wire('w', uint(1));
          w.set(1); // @u-outside
        }),
      DslUsageError,
      { module: 'u_outside', subject: "assignment to 'w'", expected: 'a statement inside m.comb() or m.sync()', found: 'one outside any process', at: 'u-outside' },
    );
    expectError(
      () =>
        module('u_when_outside', (m) => {
          const c = m.input('c', uint(1));
          m.when(c, () => {}); // @u-when-outside
        }),
      DslUsageError,
      { module: 'u_when_outside', subject: 'when', expected: 'a statement inside m.comb() or m.sync()', found: 'one outside any process', at: 'u-when-outside' },
    );
  });
  it('nested processes and a continuous assignment inside a process', () => {
    expectError(
      () =>
        module('u_nested', (m) => {
          m.comb(() => {
            m.sync(() => {}); // @u-nested
          });
        }),
      DslUsageError,
      { module: 'u_nested', subject: 'm.sync()', expected: 'a process at the top level of the module', found: 'one nested in another process', at: 'u-nested' },
    );
    expectError(
      () =>
        module('u_assign_in', (m) => {
          const w = m.wire('w', uint(1));
          m.comb(() => {
            m.assign(w, 1); // @u-assign-in
          });
        }),
      DslUsageError,
      { module: 'u_assign_in', subject: "m.assign('w')", expected: 'a continuous assignment at the top level', found: 'one inside a process (use .set())', at: 'u-assign-in' },
    );
  });
  it('memory address of the wrong width (read and write), a memory written in comb', () => {
    expectError(
      () =>
        module('u_mem_addr', (m) => {
          const mem = m.memory('mem', { depth: 16, type: uint(8) });
          const a = m.input('a', uint(3));
          m.output('y', mem.read(a)); // @u-mem-addr
        }),
      DslUsageError,
      { module: 'u_mem_addr', subject: "address of memory 'mem' (depth 16)", expected: '4-bit unsigned', found: '3-bit unsigned', at: 'u-mem-addr' },
    );
    expectError(
      () =>
        module('u_mem_waddr', (m) => {
          const mem = m.memory('mem', { depth: 5, type: uint(8) });
          const a = m.input('a', uint(4));
          m.sync(() => mem.write(a, 0)); // @u-mem-waddr
        }),
      DslUsageError,
      { module: 'u_mem_waddr', subject: "address of memory 'mem' (depth 5)", expected: '3-bit unsigned', found: '4-bit unsigned', at: 'u-mem-waddr' },
    );
    expectError(
      () =>
        module('u_mem_comb', (m) => {
          const mem = m.memory('mem', { depth: 2, type: uint(8) });
          const a = m.input('a', uint(1));
          m.comb(() => mem.write(a, 0)); // @u-mem-comb
        }),
      DslUsageError,
      { module: 'u_mem_comb', subject: "memory 'mem'", expected: 'a write inside m.sync()', found: 'one inside m.comb()', at: 'u-mem-comb' },
    );
  });
  it('switch cases that are not constants or repeat a value', () => {
    expectError(
      () =>
        module('u_case_dup', (m) => {
          const s = m.input('s', uint(2));
          const y = m.output('y', uint(1));
          m.comb(() => {
            y.set(0);
            m.switch(s, (sw) => {
              sw.is([0, 1], () => y.set(1));
              sw.is(1, () => y.set(1)); // @u-case-dup
            });
          });
        }),
      DslUsageError,
      { module: 'u_case_dup', subject: 'switch case', expected: 'each case value once', found: '1 twice', at: 'u-case-dup' },
    );
    expectError(
      () =>
        module('u_case_expr', (m) => {
          const s = m.input('s', uint(2));
          const y = m.output('y', uint(1));
          m.comb(() => {
            y.set(0);
            m.switch(s, (sw) => {
              sw.is(s, () => y.set(1)); // @u-case-expr
            });
          });
        }),
      DslUsageError,
      { module: 'u_case_expr', subject: 'switch case', expected: 'constant case values', found: 'a non-constant expression', at: 'u-case-expr' },
    );
  });
  it('an expression of another module assigned here; bad shift amounts and widths', () => {
    let foreign!: Expr;
    module('u_other', (m) => {
      foreign = m.input('secret', uint(8));
    });
    expectError(
      () =>
        module('u_foreign', (m) => {
          m.output('y', foreign); // @u-foreign
        }),
      DslUsageError,
      { module: 'u_foreign', subject: "assignment to 'y'", expected: 'an expression of this module', found: "one built in module 'u_other'", at: 'u-foreign' },
    );
    expectError(
      () =>
        module('u_shift', (m) => {
          const a = m.input('a', uint(8));
          m.output('y', a.shl(-1)); // @u-shift
        }),
      DslUsageError,
      { module: 'u_shift', subject: "shl on 'a'", expected: 'a shift amount that is a non-negative integer', found: '-1', at: 'u-shift' },
    );
    expectError(
      () =>
        module('u_width', (m) => {
          m.input('a', uint(0)); // @u-width
        }),
      DslUsageError,
      { module: 'u_width', subject: "signal 'a'", expected: 'a width from 1 to 4096', found: '0', at: 'u-width' },
    );
    expectError(
      () =>
        module('u_depth', (m) => {
          m.memory('mem', { depth: 0, type: uint(8) }); // @u-depth
        }),
      DslUsageError,
      { module: 'u_depth', subject: "memory 'mem'", expected: 'a depth from 1 to 2^24', found: '0', at: 'u-depth' },
    );
  });
});

describe('ConnectionError', () => {
  it('a missing input', () => {
    expectError(
      () =>
        module('k_missing', (m) => {
          const a = m.input('a', uint(8));
          const o = m.instance(twoInputs, 'u', { a }); // @k-missing
          m.output('y', o.y);
        }),
      ConnectionError,
      { module: 'k_missing', subject: "instance 'u' of 'two_inputs'", expected: 'every input connected', found: "unconnected 'b'", at: 'k-missing' },
    );
  });
  it('an unknown port, an output port given as a connection', () => {
    expectError(
      () =>
        module('k_unknown', (m) => {
          const a = m.input('a', uint(8));
          const o = m.instance(twoInputs, 'u', { a, b: a, c: a }); // @k-unknown
          m.output('y', o.y);
        }),
      ConnectionError,
      { module: 'k_unknown', subject: "instance 'u' of 'two_inputs'", expected: 'a port of two_inputs (a, b, y)', found: "'c'", at: 'k-unknown' },
    );
    expectError(
      () =>
        module('k_output', (m) => {
          const a = m.input('a', uint(8));
          const o = m.instance(twoInputs, 'u', { a, b: a, y: a }); // @k-output
          m.output('y', o.y);
        }),
      ConnectionError,
      { module: 'k_output', subject: "instance 'u' port 'y'", expected: 'an input port to connect', found: 'an output', at: 'k-output' },
    );
  });
  it('a connection of the wrong width or signedness', () => {
    expectError(
      () =>
        module('k_width', (m) => {
          const a = m.input('a', uint(8));
          const n = m.input('n', uint(7));
          const o = m.instance(twoInputs, 'u', { a, b: n }); // @k-width
          m.output('y', o.y);
        }),
      ConnectionError,
      { module: 'k_width', subject: "instance 'u' port 'b'", expected: '8-bit unsigned', found: '7-bit unsigned', at: 'k-width' },
    );
    expectError(
      () =>
        module('k_sign', (m) => {
          const a = m.input('a', sint(8));
          const o = m.instance(passThrough, 'u', { x: a }); // @k-sign
          m.output('y', o.y);
        }),
      ConnectionError,
      { module: 'k_sign', subject: "instance 'u' port 'x'", expected: '8-bit unsigned', found: '8-bit signed', at: 'k-sign' },
    );
  });
});

describe('MultipleDriverError', () => {
  it('a wire assigned by two processes names both lines', () => {
    const e = expectError(
      () =>
        module('d_two', (m) => {
          const a = m.input('a', uint(1));
          const w = m.wire('w', uint(1));
          m.assign(w, a); // @d-first
          m.comb(() => w.set(a.not())); // @d-second
          m.output('y', w);
        }),
      MultipleDriverError,
      { module: 'd_two', subject: "wire 'w'", expected: 'exactly one driver', found: '2, at', at: 'd-second' },
    );
    expect(e.found).toBe(`2, at ${FILE}:${lineOf('d-first')} and ${FILE}:${lineOf('d-second')}`);
  });
  it('an instance output also assigned by a process', () => {
    expectError(
      () =>
        module('d_inst', (m) => {
          const a = m.input('a', uint(8));
          const o = m.instance(passThrough, 'u', { x: a }); // @d-inst
          m.comb(() => o.y.set(a)); // @d-inst-comb
          m.output('y', o.y);
        }),
      MultipleDriverError,
      { module: 'd_inst', subject: "wire 'u_y'", expected: 'exactly one driver', found: `2, at ${FILE}:`, at: 'd-inst' },
    );
  });
  it('a memory written from two processes', () => {
    expectError(
      () =>
        module('d_mem', (m) => {
          const a = m.input('a', uint(2));
          const mem = m.memory('mem', { depth: 4, type: uint(2) });
          m.sync(() => mem.write(a, a));
          m.sync(() => mem.write(a.not(), a)); // @d-mem
          m.output('y', mem.read(a));
        }),
      MultipleDriverError,
      { module: 'd_mem', subject: "memory 'mem'", expected: 'writes from one m.sync() process', found: '2 processes', at: 'd-mem' },
    );
  });
});

describe('UndrivenSignalError', () => {
  it('a wire, an output and a register that nothing drives, at their declarations', () => {
    expectError(
      () =>
        module('n_wire', (m) => {
          const w = m.wire('w', uint(1)); // @n-wire
          m.output('y', w);
        }),
      UndrivenSignalError,
      { module: 'n_wire', subject: "wire 'w'", expected: 'one driver (an assignment in m.comb()/m.assign() or an instance output)', found: 'none', at: 'n-wire' },
    );
    expectError(
      () =>
        module('n_out', (m) => {
          m.output('y', uint(1)); // @n-out
        }),
      UndrivenSignalError,
      { module: 'n_out', subject: "output 'y'", expected: 'one driver', found: 'none', at: 'n-out' },
    );
    expectError(
      () =>
        module('n_reg', (m) => {
          const r = m.reg('r', uint(1)); // @n-reg
          m.output('y', r);
        }),
      UndrivenSignalError,
      { module: 'n_reg', subject: "reg 'r'", expected: 'one driver (an assignment in m.sync())', found: 'none', at: 'n-reg' },
    );
  });
});

describe('UnusedSignalError', () => {
  it('a wire and a register nothing reads, at their declarations', () => {
    expectError(
      () =>
        module('x_wire', (m) => {
          const a = m.input('a', uint(1));
          m.wire('w', a.not()); // @x-wire
          m.output('y', a);
        }),
      UnusedSignalError,
      { module: 'x_wire', subject: "wire 'w'", expected: 'a signal that something reads (or m.sink() it)', found: 'no reader', at: 'x-wire' },
    );
    expectError(
      () =>
        module('x_reg', (m) => {
          const a = m.input('a', uint(1));
          const r = m.reg('r', uint(1)); // @x-reg
          m.sync(() => r.set(a));
        }),
      UnusedSignalError,
      { module: 'x_reg', subject: "reg 'r'", expected: 'a signal that something reads', found: 'no reader', at: 'x-reg' },
    );
    expectError(
      () =>
        module('x_inst', (m) => {
          const a = m.input('a', uint(8));
          m.instance(passThrough, 'u', { x: a }); // @x-inst
        }),
      UnusedSignalError,
      { module: 'x_inst', subject: "wire 'u_y'", expected: 'a signal that something reads', found: 'no reader', at: 'x-inst' },
    );
    expectError(
      () =>
        module('x_mem', (m) => {
          const a = m.input('a', uint(1));
          const mem = m.memory('mem', { depth: 2, type: uint(1) }); // @x-mem
          m.sync(() => mem.write(a, a));
        }),
      UnusedSignalError,
      { module: 'x_mem', subject: "memory 'mem'", expected: 'a memory that something reads', found: 'no read port', at: 'x-mem' },
    );
  });
  it('m.sink() marks bits as unused on purpose; unused inputs are fine', () => {
    expect(() =>
      module('x_sink', (m) => {
        const a = m.input('a', uint(4));
        m.input('spare', uint(3));
        const sum = m.wire('sum', a.add(a));
        m.output('y', sum.trunc(4));
        const w = m.wire('w', a.not());
        m.sink(w);
      }),
    ).not.toThrow();
  });
});

describe('LatchError', () => {
  it('an if without else in comb, reported at the process', () => {
    expectError(
      () =>
        module('l_if', (m) => {
          const c = m.input('c', uint(1));
          const y = m.output('y', uint(1));
          m.comb(() => { // @l-if
            m.when(c, () => y.set(1));
          });
        }),
      LatchError,
      { module: 'l_if', subject: "signal 'y'", expected: 'an assignment on every path of its m.comb() process', found: 'a path that leaves it unassigned, which would infer a latch', at: 'l-if' },
    );
  });
  it('an elseWhen chain without otherwise; one branch of two targets', () => {
    expectError(
      () =>
        module('l_chain', (m) => {
          const c = m.input('c', uint(2));
          const y = m.output('y', uint(1));
          const z = m.output('z', uint(1));
          m.comb(() => { // @l-chain
            z.set(0);
            m.when(c.eq(0), () => {
              y.set(1);
              z.set(1);
            }).elseWhen(c.eq(1), () => y.set(0));
          });
        }),
      LatchError,
      { module: 'l_chain', subject: "signal 'y'", expected: 'every path', found: 'latch', at: 'l-chain' },
    );
  });
  it('a switch without default that does not cover every value', () => {
    expectError(
      () =>
        module('l_switch', (m) => {
          const s = m.input('s', uint(2));
          const y = m.output('y', uint(2));
          m.comb(() => { // @l-switch
            m.switch(s, (sw) => {
              sw.is(0, () => y.set(3));
              sw.is([1, 2], () => y.set(2));
            });
          });
        }),
      LatchError,
      { module: 'l_switch', subject: "signal 'y'", expected: 'every path', found: 'latch', at: 'l-switch' },
    );
  });
  it('a switch whose default does not assign', () => {
    expectError(
      () =>
        module('l_default', (m) => {
          const s = m.input('s', uint(2));
          const y = m.output('y', uint(2));
          const z = m.output('z', uint(1));
          m.comb(() => { // @l-default
            m.switch(s, (sw) => {
              sw.is(0, () => y.set(3));
              sw.otherwise(() => z.set(1));
            });
            z.set(0);
          });
        }),
      LatchError,
      { module: 'l_default', subject: "signal 'y'", expected: 'every path', found: 'latch', at: 'l-default' },
    );
  });
  it('accepts: a default assignment first, when/otherwise, a switch covering all 2^w values without default', () => {
    expect(() =>
      module('l_ok', (m) => {
        const c = m.input('c', uint(1));
        const s = m.input('s', sint(2));
        const y = m.output('y', uint(1));
        const z = m.output('z', uint(2));
        const w = m.output('w', uint(2));
        m.comb(() => {
          y.set(0);
          m.when(c, () => y.set(1));
        });
        m.comb(() => {
          m.when(c, () => z.set(1)).otherwise(() => z.set(2));
        });
        m.comb(() => {
          m.switch(s, (sw) => {
            sw.is([-2, -1], () => w.set(0));
            sw.is(0, () => w.set(1));
            sw.is(1, () => w.set(2));
          });
        });
      }),
    ).not.toThrow();
  });
});

describe('CombinationalLoopError', () => {
  it('a -> b -> a, printing the loop', () => {
    const e = expectError(
      () =>
        module('o_ab', (m) => {
          const a = m.wire('a', uint(1)); // @o-a
          const b = m.wire('b', uint(1));
          m.assign(a, b.not());
          m.assign(b, a.not());
          m.output('y', a);
        }),
      CombinationalLoopError,
      { module: 'o_ab', subject: "signal 'a'", expected: 'no combinational loop', found: 'the loop a -> b -> a', at: 'o-a' },
    );
    expect((e as CombinationalLoopError).loop).toEqual(['a', 'b', 'a']);
  });
  it('a signal depending on itself through a comb process', () => {
    expectError(
      () =>
        module('o_self', (m) => {
          const c = m.input('c', uint(1));
          const w = m.wire('w', uint(4)); // @o-self
          m.comb(() => {
            w.set(0);
            m.when(c, () => w.set(w.add(1).trunc(4)));
          });
          m.output('y', w);
        }),
      CombinationalLoopError,
      { module: 'o_self', subject: "signal 'w'", expected: 'no combinational loop', found: 'the loop w -> w', at: 'o-self' },
    );
  });
  it('a loop through the combinational path of a child instance', () => {
    expectError(
      () =>
        module('o_child', (m) => {
          const w = m.wire('w', uint(8)); // @o-child
          const o = m.instance(passThrough, 'u', { x: w });
          m.assign(w, o.y.add(1).trunc(8));
          m.output('y', w);
        }),
      CombinationalLoopError,
      { module: 'o_child', subject: "signal 'w'", expected: 'no combinational loop', found: 'the loop w -> u_y -> w', at: 'o-child' },
    );
  });
  it('a loop through two levels of hierarchy', () => {
    const mid = module('o_mid', (m) => {
      const x = m.input('x', uint(8));
      const o = m.instance(passThrough, 'p', { x });
      m.output('y', o.y.not());
    });
    expectError(
      () =>
        module('o_deep', (m) => {
          const w = m.wire('w', uint(8)); // @o-deep
          const o = m.instance(mid, 'u', { x: w });
          m.assign(w, o.y);
          m.output('y', w);
        }),
      CombinationalLoopError,
      { module: 'o_deep', subject: "signal 'w'", expected: 'no combinational loop', found: 'the loop w -> u_y -> w', at: 'o-deep' },
    );
  });
  it('no loop through a register (in the module or in a child)', () => {
    expect(() =>
      module('o_reg', (m) => {
        const r = m.reg('r', uint(8), { reset: 0 });
        const w = m.wire('w', r.add(1).trunc(8));
        m.sync(() => r.set(w));
        m.output('y', w);
      }),
    ).not.toThrow();
    expect(() =>
      module('o_reg_child', (m) => {
        const w = m.wire('w', uint(8));
        const o = m.instance(registered, 'u', { x: w });
        m.assign(w, o.y.add(1).trunc(8));
        m.output('y', w);
      }),
    ).not.toThrow();
  });
});

describe('ModuleNameClashError', () => {
  function leaf(invert: boolean): HwModule {
    return module('leaf', (m) => { // @clash-leaf
      const x = m.input('x', uint(8));
      m.output('y', invert ? x.not() : x);
    });
  }
  it('two different modules with one name in a design, via emitDesign', () => {
    const plain = leaf(false);
    const inverted = leaf(true);
    const top = module('clash_top', (m) => {
      const x = m.input('x', uint(8));
      const a = m.instance(plain, 'u0', { x });
      const b = m.instance(inverted, 'u1', { x });
      m.output('y', a.y.xor(b.y));
    });
    expectError(() => emitDesign(top, { design: 'test.clash', params: {} }), ModuleNameClashError, {
      module: 'leaf',
      subject: 'module name',
      expected: 'one definition per module name',
      found: 'two different modules with this name',
      at: 'clash-leaf',
    });
  });
  it('the same module built twice is emitted once', () => {
    const a = leaf(true);
    const b = leaf(true);
    const top = module('noclash_top', (m) => {
      const x = m.input('x', uint(8));
      const p = m.instance(a, 'u0', { x });
      const q = m.instance(b, 'u1', { x });
      m.output('y', p.y.xor(q.y));
    });
    const { files, manifest } = emitDesign(top, { design: 'test.noclash', params: {} });
    expect([...files.keys()].filter((f) => f.endsWith('.v') || f.endsWith('.f') || f === 'manifest.json').sort()).toEqual(['leaf.v', 'manifest.json', 'noclash_top.f', 'noclash_top.v']);
    expect(manifest.modules.map((m) => m.name)).toEqual(['leaf', 'noclash_top']);
  });
});

describe('parameter errors', () => {
  const D = 'common.adder_tree';
  const thrownP = (f: () => unknown, cls: abstract new (...args: never[]) => Error): Error => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(DcgenError);
    expect(e.name).toBe(cls.name);
    return e;
  };
  it('ParamRangeError', () => {
    expect(thrownP(() => resolveParams(D, adderTreeParams, { n: 0 }), ParamRangeError).message).toBe(`design '${D}', parameter 'n': expected an integer from 1 to 256, found 0`);
    expect(thrownP(() => resolveParams(D, adderTreeParams, { width: '65' }), ParamRangeError).message).toBe(`design '${D}', parameter 'width': expected an integer from 1 to 64, found 65`);
  });
  it('ParamTypeError for int, bool, enum and ident parameters', () => {
    expect(thrownP(() => resolveParams(D, adderTreeParams, { n: 'eight' }), ParamTypeError).message).toBe(`design '${D}', parameter 'n': expected an integer, found "eight"`);
    expect(thrownP(() => resolveParams(D, adderTreeParams, { n: 2.5 }), ParamTypeError).message).toBe(`design '${D}', parameter 'n': expected an integer, found 2.5`);
    expect(thrownP(() => resolveParams(D, adderTreeParams, { signed: 'yes' }), ParamTypeError).message).toBe(`design '${D}', parameter 'signed': expected true or false, found "yes"`);
    expect(thrownP(() => resolveParams(D, adderTreeParams, { top: 'module' }), ParamTypeError).message).toBe(
      `design '${D}', parameter 'top': expected a Verilog identifier: a letter then letters, digits or _, at most 64 characters, not a keyword, found "module"`,
    );
    expect(thrownP(() => resolveParams(D, adderTreeParams, { top: 'a b' }), ParamTypeError).message).toContain('found "a b"');
    const schema = { mode: oneOf(['fast', 'small'] as const, { default: 'fast', doc: 'm' }) };
    expect(thrownP(() => resolveParams('x', schema, { mode: 'tiny' }), ParamTypeError).message).toBe(`design 'x', parameter 'mode': expected one of fast, small, found "tiny"`);
  });
  it('accepted spellings: integers in plain decimal only', () => {
    expect(resolveParams(D, adderTreeParams, { n: '16', signed: 'false', stages: 0, top: 'my_tree' })).toEqual({ top: 'my_tree', n: 16, width: 8, signed: false, stages: 0 });
    expect(resolveParams(D, adderTreeParams, { signed: '1' }).signed).toBe(true);
    for (const bad of [' 0x10 ', '0x10', ' 4', '4 ', '016', '-0', '1e3', '+4', '', '4.0']) {
      expect(() => resolveParams(D, adderTreeParams, { n: bad }), JSON.stringify(bad)).toThrow(ParamTypeError);
    }
  });
  it('a negative int in plain decimal is accepted; in hex it is not', () => {
    const schema = { off: int({ default: 0, min: -100, max: 100, doc: 'offset' }) };
    expect(resolveParams('x', schema, { off: '-16' }).off).toBe(-16);
    expect(thrownP(() => resolveParams('x', schema, { off: '-0x10' }), ParamTypeError).message).toBe(
      `design 'x', parameter 'off': expected an integer in plain decimal (digits, with a leading - for a negative number; no +, spaces, leading zeros, 0x, exponent or fraction), found "-0x10"`,
    );
  });
  it('UnknownParamError', () => {
    expect(thrownP(() => resolveParams(D, adderTreeParams, { nn: 3 }), UnknownParamError).message).toBe(`design '${D}': unknown parameter 'nn'; expected one of: top, n, width, signed, stages`);
    expect(thrownP(() => resolveParams('empty', {}, { a: 1 }), UnknownParamError).message).toBe(`design 'empty': unknown parameter 'a'; expected one of: (none)`);
    expect(thrownP(() => resolveParams(D, adderTreeParams, { toString: 1 }), UnknownParamError).message).toContain("unknown parameter 'toString'");
  });
  it('ParamRuleError: resolve runs the cross-parameter check, after the name, type and range checks', () => {
    expect(thrownP(() => adderTreeDesign.resolve({ n: 8, stages: 5 }), ParamRuleError).message).toBe(`design '${D}', parameter 'stages' = 5: expected at most ceil(log2 n) + 1 = 4 register levels for n = 8`);
    expect(adderTreeDesign.resolve({ n: '8', stages: '4' })).toEqual(resolveParams(D, adderTreeParams, { n: 8, stages: 4 }));
    expect(thrownP(() => adderTreeDesign.resolve({ n: 8, stages: 5, width: 65 }), ParamRangeError).message).toBe(`design '${D}', parameter 'width': expected an integer from 1 to 64, found 65`);
    expect(thrownP(() => adderTreeDesign.resolve({ n: 8, stages: 5, signed: 'yes' }), ParamTypeError).message).toContain("parameter 'signed'");
    expect(thrownP(() => adderTreeDesign.resolve({ n: 8, stages: 5, nn: 1 }), UnknownParamError).message).toContain("unknown parameter 'nn'");
  });
  it('a plugin design written without defineDesign is registered with resolve, which runs its rule', async () => {
    const name = 'test.resolve_rule';
    const rule = (b: number, a: number) => new ParamRuleError(name, 'b', b, `expected at most a = ${a}`);
    const params = { a: int({ default: 4, min: 1, max: 8, doc: 'a' }), b: int({ default: 1, min: 0, max: 8, doc: 'b' }) };
    const spec: DesignSpec<typeof params> = {
      name,
      description: 'a plain object: no resolve',
      params,
      check(p) {
        if (p.b > p.a) throw rule(p.b, p.a);
      },
      build: () => passThrough,
    };
    await registerPlugin({ designs: [spec] });
    const def = findDesign(name)!;
    expect(typeof def.resolve).toBe('function');
    expect(def.resolve({ b: '3' })).toEqual({ a: 4, b: 3 });
    expect(thrownP(() => def.resolve({ a: 2, b: 3 }), ParamRuleError).message).toBe(`design '${name}', parameter 'b' = 3: expected at most a = 2`);
    expect(thrownP(() => def.resolve({ a: 2, b: 9 }), ParamRangeError).message).toBe(`design '${name}', parameter 'b': expected an integer from 0 to 8, found 9`);
  });
  it('SetSyntaxError', () => {
    const msg = (a: string) => `--set '${a}': expected name=value (name a parameter, value a number, true/false or a word)`;
    for (const bad of ['n', 'n=', '=4', '1n=4', 'a-b=1']) {
      expect(thrownP(() => parseSetArgs([bad]), SetSyntaxError).message).toBe(msg(bad));
    }
    expect(parseSetArgs(['n=4', 'top=x_y', 'note=a=b'])).toEqual({ n: '4', top: 'x_y', note: 'a=b' });
  });
  it('ident() and int() builders give the schema kinds', () => {
    expect(ident({ default: 'x', doc: '' }).kind).toBe('ident');
    expect(int({ default: 1, min: 0, max: 2, doc: '' }).kind).toBe('int');
  });
});

describe('user mistakes reported as user errors (once bugs)', () => {
  it('an unsigned operand plus a negative number is a ConstantRangeError', () => {
    // Expr.arithOperand calls minimalType(-1n, false), which loops to 4096 bits and throws a
    // plain RangeError("constant -1 wider than 4096 bits"): the CLI would print it as a crash.
    const e = thrown(() =>
      module('b_neg_num', (m) => {
        const a = m.input('a', uint(8));
        m.output('y', a.add(-1));
      }),
    );
    expect(e).toBeInstanceOf(DcgenError);
  });
  it('an expression of another module used as an operand is rejected', () => {
    // Only the assigned value's owner is checked (the owner of its first operand). Here the
    // foreign input is the second operand: the module builds and its Verilog reads an undeclared
    // `secret` (or, if this module had a signal of that name, silently the wrong one).
    let foreign!: Signal;
    module('b_other', (m) => {
      foreign = m.input('secret', uint(8));
    });
    const e = thrown(() =>
      module('b_leak', (m) => {
        const x = m.input('x', uint(8));
        m.output('y', x.add(foreign));
      }),
    );
    expect(e).toBeInstanceOf(DslUsageError);
  });
  it('an expression of another module connected to an instance input is rejected', () => {
    let foreign!: Signal;
    module('b_other2', (m) => {
      foreign = m.input('secret', uint(8));
    });
    const e = thrown(() =>
      module('b_leak2', (m) => {
        const o = m.instance(passThrough, 'u', { x: foreign });
        m.output('y', o.y);
      }),
    );
    expect(e).toBeInstanceOf(ConnectionError);
  });
  it("an error in an expression that starts with an ownerless constant() names the operand's module", () => {
    const e = thrown(() =>
      module('b_owner', (m) => {
        const a = m.input('a', uint(8));
        m.output('y', constant(uint(4), 3).and(a));
      }),
    ) as HardwareError;
    expect(e).toBeInstanceOf(WidthMismatchError);
    expect(e.module).toBe('b_owner');
  });
});
