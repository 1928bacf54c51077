// The module-level IR passes (generator/ir/passes), run directly on IR: hand-corrupted nodes
// that the DSL would never build, the order of the passes, name legalisation, the recorded
// combinational port dependencies, and the latch rule on its own.
import { describe, expect, it } from 'vitest';
import { commonAdderTree } from '../../generator/blocks/common/adder_tree.ts';
import { type HwModule, module, sint, uint } from '../../generator/dsl/index.ts';
import {
  CombinationalLoopError,
  ConstantRangeError,
  HardwareError,
  IdentifierError,
  LatchError,
  SignednessError,
  UndrivenSignalError,
  WidthMismatchError,
} from '../../generator/ir/errors.ts';
import { runModulePasses } from '../../generator/ir/passes/index.ts';
import { assignedOnAllPaths } from '../../generator/ir/passes/latches.ts';
import { LoopContext, checkLoops, combPortDeps } from '../../generator/ir/passes/loops.ts';
import { legaliseNames } from '../../generator/ir/passes/names.ts';
import { checkWidths } from '../../generator/ir/passes/widths.ts';
import type { IrExpr, IrModule, IrSignal, IrStmt } from '../../generator/ir/types.ts';

function thrown(f: () => unknown): HardwareError {
  try {
    f();
  } catch (e) {
    return e as HardwareError;
  }
  throw new Error('expected an error, none was thrown');
}

/** The value assigned to output `name` by its continuous assignment. */
function assigned(ir: IrModule, name: string): Extract<IrStmt, { kind: 'assign' }> {
  for (const p of ir.processes) for (const s of p.body) if (s.kind === 'assign' && s.target.name === name) return s;
  throw new Error(`no assignment to ${name}`);
}

function adder(): HwModule {
  return module('p_add', (m) => {
    const a = m.input('a', uint(8));
    const b = m.input('b', uint(8));
    const c = m.input('c', sint(4));
    m.output('y', a.add(b));
    m.output('z', c.lt(-1));
  });
}

describe('width pass on hand-corrupted IR', () => {
  it('a node whose type is not the one the rules derive', () => {
    const top = adder();
    const s = assigned(top.ir, 'y');
    (s.value as { type: unknown }).type = uint(8);
    const e = thrown(() => checkWidths(top.ir));
    expect(e).toBeInstanceOf(WidthMismatchError);
    expect(e.module).toBe('p_add');
    expect(e.subject).toBe('binary expression');
    expect(e.expected).toBe('9-bit unsigned');
    expect(e.found).toBe('8-bit unsigned');
    expect(e.loc).toEqual(s.loc);
  });
  it('an assignment whose target no longer matches', () => {
    const top = adder();
    const s = assigned(top.ir, 'y');
    (s.target as IrSignal).type = uint(10);
    const e = thrown(() => runModulePasses(top.ir));
    expect(e).toBeInstanceOf(WidthMismatchError);
    expect(e.message).toContain("module 'p_add', assignment to 'y': expected 10-bit unsigned, found 9-bit unsigned");
  });
  it('a constant out of its type, a compare of mixed signedness', () => {
    const top = adder();
    const z = assigned(top.ir, 'z').value as Extract<IrExpr, { kind: 'compare' }>;
    expect(z.b.kind).toBe('const');
    (z.b as { value: bigint }).value = 8n;
    const e1 = thrown(() => checkWidths(top.ir));
    expect(e1).toBeInstanceOf(ConstantRangeError);
    expect(e1.message).toContain("module 'p_add', const expression: expected a value of 4-bit signed (-8..7), found 8");

    const top2 = adder();
    const z2 = assigned(top2.ir, 'z').value as Extract<IrExpr, { kind: 'compare' }>;
    z2.b = { kind: 'const', type: uint(4), value: 1n };
    const e2 = thrown(() => checkWidths(top2.ir));
    expect(e2).toBeInstanceOf(SignednessError);
    expect(e2.message).toContain("module 'p_add', compare expression: expected operands of the same signedness");
    expect(e2.message).toContain('found 4-bit signed and 4-bit unsigned');
  });
  it('checks sinks and instance connections too', () => {
    const leaf = module('p_leaf', (m) => m.output('y', m.input('x', uint(4)).not()));
    const top = module('p_inst', (m) => {
      const a = m.input('a', uint(4));
      const o = m.instance(leaf, 'u', { x: a.not() });
      m.output('y', o.y);
      m.sink(a.add(a));
    });
    const sink = top.ir.sinks[0] as { type: unknown };
    sink.type = uint(4);
    expect(thrown(() => checkWidths(top.ir)).loc).toEqual(top.ir.loc);
    sink.type = uint(5);
    checkWidths(top.ir);
    const conn = top.ir.instances[0].inputs.get('x') as { type: unknown };
    conn.type = sint(4);
    const e = thrown(() => checkWidths(top.ir));
    expect(e).toBeInstanceOf(WidthMismatchError);
    expect(e.loc).toEqual(top.ir.instances[0].loc);
  });
});

describe('pass order', () => {
  it('drivers before latches before loops before unused', () => {
    // undriven `u` and unused `v`: the drivers pass reports first
    const e1 = thrown(() =>
      module('p_order1', (m) => {
        const u = m.wire('u', uint(1));
        m.wire('v', m.input('a', uint(1)));
        m.output('y', u);
      }),
    );
    expect(e1).toBeInstanceOf(UndrivenSignalError);
    // a latch on `l` and a loop on `a`/`b`: the latch pass reports first
    const e2 = thrown(() =>
      module('p_order2', (m) => {
        const c = m.input('c', uint(1));
        const a = m.wire('a', uint(1));
        const b = m.wire('b', uint(1));
        const l = m.output('l', uint(1));
        m.assign(a, b);
        m.assign(b, a);
        m.comb(() => m.when(c, () => l.set(a)));
      }),
    );
    expect(e2).toBeInstanceOf(LatchError);
    // a loop and an unused wire: the loop pass reports first
    const e3 = thrown(() =>
      module('p_order3', (m) => {
        const a = m.wire('a', uint(1));
        m.wire('unused', a);
        m.assign(a, a.not());
      }),
    );
    expect(e3).toBeInstanceOf(CombinationalLoopError);
  });
  it('the passes can run again on a finished module (idempotent, names stay put)', () => {
    const tree = commonAdderTree({ top: 'p_tree', n: 5, width: 6, signed: true, stages: 2 });
    const kw = module('p_kw', (m) => {
      const a = m.input('a', uint(2));
      m.output('y', m.wire('reg', a));
    });
    for (const t of [tree, kw]) {
      const names = t.ir.signals.map((s) => s.name);
      runModulePasses(t.ir);
      runModulePasses(t.ir);
      expect(t.ir.signals.map((s) => s.name)).toEqual(names);
    }
    expect(kw.ir.signals.map((s) => s.name)).toEqual(['reg_v']);
  });
});

describe('name legalisation', () => {
  function bare(name: string): IrModule {
    const loc = { file: 'x.ts', line: 1 };
    const sig = (n: string, kind: IrSignal['kind']): IrSignal => ({ name: n, kind, type: uint(1), loc });
    return {
      name,
      doc: '',
      params: {},
      hasClock: false,
      ports: [sig('a', 'input')],
      signals: [sig('logic', 'wire'), sig('logic_v', 'wire'), sig('logic_v2', 'wire'), sig('int', 'wire')],
      memories: [{ name: 'bit', depth: 2, type: uint(1), loc }],
      instances: [],
      streams: [],
      sinks: [],
      processes: [],
      loc,
    };
  }
  it('suffixes _v, then _v2, _v3, ... past names that are taken', () => {
    const ir = bare('p_names');
    legaliseNames(ir);
    expect(ir.signals.map((s) => s.name)).toEqual(['logic_v3', 'logic_v', 'logic_v2', 'int_v']);
    expect(ir.memories[0].name).toBe('bit_v');
  });
  it('rejects keyword ports and module names, which are interfaces', () => {
    const ir = bare('p_names2');
    ir.ports[0].name = 'input';
    const e = thrown(() => legaliseNames(ir));
    expect(e).toBeInstanceOf(IdentifierError);
    expect(e.message).toBe("module 'p_names2', port 'input': expected a port name that is not a Verilog keyword, found the keyword 'input' (at x.ts:1)");
    const e2 = thrown(() => legaliseNames(bare('endmodule')));
    expect(e2.message).toBe("module 'endmodule', module name: expected a name that is not a Verilog keyword, found 'endmodule' (at x.ts:1)");
  });
});

describe('combinational port dependencies (for the loop check of parents)', () => {
  it('records which inputs reach each output combinationally', () => {
    const leaf = module('p_dep_leaf', (m) => {
      const x = m.input('x', uint(4));
      const k = m.input('k', uint(4));
      m.output('y', x.xor(k));
    });
    const top = module('p_deps', (m) => {
      const a = m.input('a', uint(4));
      const b = m.input('b', uint(4));
      const c = m.input('c', uint(4));
      const d = m.input('d', uint(1));
      const r = m.reg('r', uint(4), { reset: 0 });
      m.sync(() => r.set(a));
      const o = m.instance(leaf, 'u', { x: c, k: r });
      m.output('sum', a.add(b));
      m.output('held', r);
      m.output('via', o.y);
      const q = m.output('q', uint(4));
      m.comb(() => {
        q.set(0);
        m.when(d, () => q.set(b));
      });
      m.output('one', m.const(uint(1), 1));
    });
    const deps = combPortDeps(top.ir);
    const sorted = (n: string) => [...(deps.get(n) ?? [])].sort();
    expect(sorted('sum')).toEqual(['a', 'b']);
    expect(sorted('held')).toEqual([]);
    expect(sorted('via')).toEqual(['c']);
    expect(sorted('q')).toEqual(['b', 'd']);
    expect(sorted('one')).toEqual([]);
  });
});

describe('loop pass state: recorded in the IR or per run, never global', () => {
  const leaf = () =>
    module('p_ctx_leaf', (m) => {
      const x = m.input('x', uint(4));
      m.output('y', x);
    });
  it("a checked child's port dependencies are recorded in its IR; an unchecked one's are computed once per context", () => {
    const child = leaf();
    expect([...(child.ir.combDeps?.get('y') ?? [])]).toEqual(['x']); // recorded by its own loop pass
    const top = module('p_ctx_top', (m) => {
      const a = m.input('a', uint(4));
      const o = m.instance(child, 'u', { x: a });
      m.output('y', o.y);
    });
    expect([...(combPortDeps(top.ir).get('y') ?? [])]).toEqual(['a']);
    // a hand-built copy without the record: derived from its IR by the run's context, once
    const bare = { ...child.ir, combDeps: undefined };
    const ctx = new LoopContext();
    const d = ctx.portDeps(bare);
    expect([...(d.get('y') ?? [])]).toEqual(['x']);
    expect(ctx.portDeps(bare)).toBe(d);
    expect(new LoopContext().portDeps(bare)).not.toBe(d); // a fresh run shares nothing with it
  });
  it('a loop through a child is found from the IR alone, with a fresh context per run', () => {
    const child = leaf();
    const top = module('p_ctx_ok', (m) => {
      const a = m.input('a', uint(4));
      const o = m.instance(child, 'u', { x: a });
      m.output('y', o.y);
    });
    // a child module no pass has run on (a copy of the IR), and the instance input rewired to its
    // own output: the loop is seen from the IR alone, not from a record of an earlier run
    const inst = top.ir.instances[0];
    inst.module = { ...child.ir };
    inst.inputs.set('x', { kind: 'ref', type: uint(4), signal: inst.outputs.get('y')! });
    const e = thrown(() => checkLoops(top.ir));
    expect(e).toBeInstanceOf(CombinationalLoopError);
    expect(e.message).toContain('the loop u_y -> u_y');
  });
});

describe('latch rule', () => {
  const loc = { file: 'x.ts', line: 1 };
  const t: IrSignal = { name: 't', kind: 'wire', type: uint(1), loc };
  const sel: IrExpr = { kind: 'const', type: uint(2), value: 0n };
  const c1: IrExpr = { kind: 'const', type: uint(1), value: 1n };
  const set: IrStmt = { kind: 'assign', target: t, value: c1, loc };
  const sw = (cases: bigint[][], def?: IrStmt[]): IrStmt => ({ kind: 'switch', subject: sel, cases: cases.map((values) => ({ values, body: [set] })), default: def, loc });
  it('if needs both arms; a later full assignment covers an earlier partial one', () => {
    expect(assignedOnAllPaths([{ kind: 'if', cond: c1, then: [set], else: [], loc }], t)).toBe(false);
    expect(assignedOnAllPaths([{ kind: 'if', cond: c1, then: [set], else: [set], loc }], t)).toBe(true);
    expect(assignedOnAllPaths([{ kind: 'if', cond: c1, then: [set], else: [], loc }, set], t)).toBe(true);
    expect(assignedOnAllPaths([], t)).toBe(false);
  });
  it('a switch is full with a default or with all 2^w values, counted over multi-value cases', () => {
    expect(assignedOnAllPaths([sw([[0n], [1n], [2n]])], t)).toBe(false);
    expect(assignedOnAllPaths([sw([[0n, 3n], [1n], [2n]])], t)).toBe(true);
    expect(assignedOnAllPaths([sw([[0n]], [set])], t)).toBe(true);
    expect(assignedOnAllPaths([sw([[0n]], [])], t)).toBe(false);
  });
});

describe('memories', () => {
  it('a memory that is read but never written is an UndrivenSignalError', () => {
    // A never-written memory cannot be initialised either (no `initial`); verilator -Wall
    // would report "%Warning-UNDRIVEN: Signal is not driven: 'mem'".
    const e = thrown(() =>
      module('p_rom', (m) => {
        const mem = m.memory('mem', { depth: 4, type: uint(8) });
        m.output('q', mem.read(m.input('a', uint(2))));
      }),
    );
    expect(e).toBeInstanceOf(UndrivenSignalError);
  });
});
