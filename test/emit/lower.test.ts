// The shape of the emitted Verilog: header, `default_nettype`, no simulation-only constructs,
// deterministic text, the `_unused` sink, `// dsl:` source comments, lint cleanliness of a
// design using every construct, and the emitter bugs found so far (it.fails).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commonAdderTree } from '../../generator/blocks/common/adder_tree.ts';
import { type Expr, type HwModule, type ModuleBuilder, cat, module, sint, uint } from '../../generator/dsl/index.ts';
import { configHash, emitDesign, type ParamValue } from '../../generator/emit/design.ts';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../../generator/version.ts';
import { type LintResult, lintIcarus, lintVerilator } from '../../eda/tools/lint.ts';

const FILE = 'test/emit/lower.test.ts';
const SOURCE = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
function lineOf(tag: string): number {
  const hits = SOURCE.flatMap((l, i) => (l.trimEnd().endsWith(`// @${tag}`) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`marker @${tag}: ${hits.length} lines`);
  return hits[0];
}

const LINT_TIMEOUT = 120_000;

function emit(top: HwModule, params: Record<string, ParamValue> = {}, srcComments = false) {
  return emitDesign(top, { design: 'test.lower', params, srcComments });
}
function text(top: HwModule, params: Record<string, ParamValue> = {}, srcComments = false): string {
  return emit(top, params, srcComments).files.get(`${top.name}.v`)!;
}

/** Write every emitted file to a fresh temporary folder and lint the design's .v files with `tools`. */
async function lint(top: HwModule, tools: ((files: string[], top: string) => Promise<LintResult>)[] = [lintVerilator]): Promise<LintResult[]> {
  const { files } = emit(top);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcgen-lower-'));
  try {
    const vs: string[] = [];
    for (const [name, body] of files) {
      await writeFile(path.join(dir, name), body);
      if (name.endsWith('.v')) vs.push(path.join(dir, name));
    }
    return await Promise.all(tools.map((t) => t(vs, top.name)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A one-output module over inputs; `f` builds the output expression. */
function probe(name: string, inputs: Record<string, ReturnType<typeof uint>>, f: (m: ModuleBuilder, ins: Record<string, Expr>) => Expr): HwModule {
  return module(name, (m) => {
    const ins: Record<string, Expr> = {};
    for (const [k, t] of Object.entries(inputs)) ins[k] = m.input(k, t);
    m.output('y', f(m, ins));
  });
}

// ---- a design that uses every construct ----

const clockedLeaf = module('lw_leaf', (m) => {
  const x = m.input('x', sint(6));
  const q = m.outputReg('q', sint(6), { reset: -1 });
  m.sync(() => q.set(x));
});

function rich(): HwModule {
  return module(
    'lw_rich',
    (m) => {
      const inp = m.inStream('in', { data: uint(8) });
      const out = m.outStream('out', { data: uint(9) });
      const sel = m.input('sel', uint(2));
      const s = m.input('s', sint(6));
      const count = m.reg('count', uint(3), { reset: 0 });
      const acc = m.reg('acc', uint(9));
      const mem = m.memory('mem', { depth: 5, type: uint(8) });
      const full = m.wire('full', count.eq(4));
      m.assign(inp.ready, full.not());
      m.sync(() => {
        m.when(inp.fire, () => {
          mem.write(count, inp.data.data);
          count.set(count.add(1).trunc(3));
        });
        m.switch(sel, (sw) => {
          sw.is(0, () => acc.set(acc.add(1).trunc(9)));
          sw.otherwise(() => acc.set(mem.read(count).zext(9)));
        });
      });
      const logic = m.wire('logic', uint(9));
      m.comb(() => {
        logic.set(acc);
        m.when(sel.eq(1), () => logic.set(acc.shr(sel).not()))
          .elseWhen(sel.eq(2), () => logic.set(0))
          .otherwise(() => logic.set(acc.xor(0x155)));
      });
      const pick = m.wire('pick', uint(9));
      m.comb(() =>
        m.switch(sel, (sw) => {
          sw.is(0, () => pick.set(logic));
          sw.is(1, () => pick.set(acc));
          sw.is([2, 3], () => pick.set(logic.and(acc)));
        }),
      );
      const child = m.instance(clockedLeaf, 'u', { x: s.neg().trunc(6) });
      const prod = m.wire('prod', s.mul(child.q));
      m.assign(out.valid, full.and(prod.msb()));
      m.assign(out.data.data, pick.add(child.q.ext(9).asUnsigned()).trunc(9));
    },
    { doc: 'Every construct:\nstreams, registers, a memory, comb and sync processes, an instance.', params: { depth: 5, mode: 'rich', fast: true } },
  );
}

describe('emitted file shape', () => {
  it('the header names the generator version, the design, the config hash, the module, its doc and parameters', () => {
    const params = { depth: 5, mode: 'rich' };
    const { files, manifest } = emit(rich(), params);
    const v = files.get('lw_rich.v')!;
    const header = v.split('\n').slice(0, v.split('\n').findIndex((l) => !l.startsWith('//')));
    const hash = configHash('test.lower', params);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(manifest.configHash).toBe(hash);
    expect(header[0]).toContain(`Generated by ${GENERATOR_NAME} ${GENERATOR_VERSION}.`);
    expect(header.join('\n')).toContain(`Config hash: ${hash}`);
    expect(header.join('\n')).toContain('Design: test.lower');
    expect(header).toContain('// Module: lw_rich');
    expect(header).toContain('//   Every construct:');
    expect(header).toContain('//   streams, registers, a memory, comb and sync processes, an instance.');
    expect(header).toContain('// Parameters: depth=5, mode=rich, fast=true');
    // every file of the design carries the same banner
    const leaf = files.get('lw_leaf.v')!;
    expect(leaf).toContain(`Config hash: ${hash}`);
    expect(leaf.split('\n')[0]).toBe(header[0]);
    // the hash follows the configuration
    expect(configHash('test.lower', { depth: 6, mode: 'rich' })).not.toBe(hash);
    expect(configHash('test.lower', { mode: 'rich', depth: 5 })).toBe(hash);
    expect(configHash('test.other', params)).not.toBe(hash);
  });

  it('`default_nettype none` comes first (after the header) and `wire` is restored at the end', () => {
    for (const [name, v] of emit(rich()).files) {
      if (!name.endsWith('.v')) continue;
      const lines = v.split('\n');
      const code = lines.filter((l) => l.trim() !== '' && !l.startsWith('//'));
      expect(code[0]).toBe('`default_nettype none');
      expect(code[code.length - 1]).toBe('`default_nettype wire');
      expect(code[1]).toMatch(/^module \w+ \($/);
      expect(v.endsWith('`default_nettype wire\n')).toBe(true);
      expect(v.match(/`default_nettype/g)).toHaveLength(2);
    }
  });

  it('has no initial blocks, no # delays, no tabs, no trailing spaces', () => {
    const designs = [emit(rich()), emit(commonAdderTree({ top: 'lw_tree', n: 5, width: 7, signed: true, stages: 2 }))];
    for (const { files } of designs) {
      for (const [name, v] of files) {
        if (!name.endsWith('.v')) continue;
        expect(v).not.toMatch(/\binitial\b/);
        expect(v).not.toContain('#');
        expect(v).not.toContain('\t');
        expect(v).not.toMatch(/ +$/m);
      }
    }
  });

  it('declares clk and rst only for modules with state; resets only registers that have a reset value', () => {
    const v = text(rich());
    expect(v).toMatch(/^ {2}input {2}wire clk,$/m);
    expect(v).toMatch(/^ {2}input {2}wire rst,$/m);
    // count has a reset, acc has none
    expect(v).toMatch(/always @\(posedge clk\) begin\n {4}if \(rst\) begin\n {6}count <= 3'd0;/);
    expect(v).not.toMatch(/acc <= 9'd0;/);
    expect(text(clockedLeaf)).toMatch(/q <= 6'h3f;/);
    const comb = text(probe('lw_comb', { a: uint(4) }, (_m, i) => i.a.not()));
    expect(comb).not.toMatch(/\bclk\b|\brst\b/);
    expect(comb).not.toContain('always');
  });

  it('is deterministic: building and emitting twice gives byte-identical files', () => {
    const a = emit(rich(), { depth: 5 });
    const b = emit(rich(), { depth: 5 });
    expect([...a.files.keys()]).toEqual([...b.files.keys()]);
    for (const [name, body] of a.files) expect(b.files.get(name)).toBe(body);
    const t1 = emit(commonAdderTree({ top: 'lw_tree', n: 7, width: 5, signed: false, stages: 3 }));
    const t2 = emit(commonAdderTree({ top: 'lw_tree', n: 7, width: 5, signed: false, stages: 3 }));
    expect(t1.files).toEqual(t2.files);
  });
});

describe('the _unused sink', () => {
  it('collects dropped bits (slices, truncations), unread inputs and m.sink() signals', () => {
    const top = module('lw_unused', (m) => {
      const a = m.input('a', uint(8));
      const b = m.input('b', sint(8));
      const c = m.input('c', uint(4));
      const d = m.input('d', uint(8));
      const e = m.input('e', uint(2));
      m.input('spare', uint(3));
      m.output('hi', a.slice(7, 4));
      m.output('lo', b.trunc(3));
      m.output('mid', c.slice(2, 1));
      m.output('carry', d.add(d).slice(8, 8));
      const w = m.wire('w', e.not());
      m.sink(w);
    });
    const v = text(top);
    expect(v).toMatch(/^ {2}wire _unused;$/m);
    const line = v.split('\n').find((l) => l.includes('assign _unused'))!;
    expect(line.trim()).toBe('assign _unused = ^{w, a[3:0], b[7:3], c[3], c[0], spare, _t0[7:0]};');
    expect(v).toContain("assign _t0 = {1'b0, d} + {1'b0, d};");
    expect(v).toContain('assign carry = _t0[8];');
  });

  it('is absent when every bit is used', () => {
    const v = text(probe('lw_all_used', { a: uint(4), b: uint(4) }, (_m, i) => i.a.add(i.b)));
    expect(v).not.toContain('_unused');
  });

  it('makes a module with dropped bits lint-clean', { timeout: LINT_TIMEOUT }, async () => {
    const top = module('lw_unused_lint', (m) => {
      const a = m.input('a', uint(8));
      const b = m.input('b', sint(8));
      m.input('spare', uint(3));
      m.output('hi', a.slice(7, 4));
      m.output('lo', b.trunc(3));
      m.output('p', a.mul(a).slice(15, 12));
    });
    for (const r of await lint(top, [lintVerilator, lintIcarus])) expect(r.messages).toEqual([]);
  });
});

describe('source comments', () => {
  function commented(): HwModule {
    return module('lw_src', (m) => {
      const a = m.input('a', uint(8)); // @src-a
      const c = m.input('c', uint(1));
      const w = m.wire('w', a.not()); // @src-w
      const y = m.output('y', uint(8)); // @src-y
      m.comb(() => { // @src-comb
        y.set(w); // @src-set
        m.when(c, () => y.set(a)); // @src-when
      });
      const r = m.reg('r', uint(8), { reset: 0 }); // @src-r
      m.sync(() => r.set(a)); // @src-sync
      const o = m.instance(clockedLeaf, 'u', { x: r.slice(5, 0).asSigned() }); // @src-inst
      m.output('q', o.q); // @src-q
    });
  }
  const at = (tag: string) => `// dsl: ${FILE}:${lineOf(tag)}`;

  it('with srcComments, ports, declarations, assignments, processes, statements and instances point at the DSL line', () => {
    const v = text(commented(), {}, true);
    expect(v).toContain(`input  wire [7:0] a, ${at('src-a')}`);
    expect(v).toContain(`output reg  [7:0] y, ${at('src-y')}`);
    expect(v).toContain(`output wire signed [5:0] q ${at('src-q')}`);
    expect(v).toContain(`wire [7:0] w; ${at('src-w')}`);
    expect(v).toContain(`reg  [7:0] r; ${at('src-r')}`);
    expect(v).toContain(`assign w = ~a; ${at('src-w')}`);
    expect(v).toContain(`always @(*) begin ${at('src-comb')}`);
    expect(v).toContain(`y = w; ${at('src-set')}`);
    expect(v).toContain(`if (c) begin ${at('src-when')}`);
    expect(v).toContain(`y = a; ${at('src-when')}`);
    expect(v).toContain(`always @(posedge clk) begin ${at('src-sync')}`);
    expect(v).toContain(`lw_leaf u ( ${at('src-inst')}`);
    expect(v).toContain(`assign q = u_q; ${at('src-q')}`);
  });

  it('without srcComments there are none, and the code is otherwise the same', () => {
    const plain = text(commented());
    const withSrc = text(commented(), {}, true);
    expect(plain).not.toContain('// dsl:');
    const body = (v: string) => v.split('\n').filter((l) => !l.startsWith('//')).join('\n');
    expect(body(withSrc).replace(/ \/\/ dsl: \S+/g, '')).toBe(body(plain));
    // the comments change the text, so they are part of the configuration hash
    expect(emit(commented(), {}, true).manifest.configHash).not.toBe(emit(commented()).manifest.configHash);
  });
});

describe('lint', () => {
  it('a design using every construct is clean under verilator -Wall and iverilog -Wall', { timeout: LINT_TIMEOUT }, async () => {
    for (const r of await lint(rich(), [lintVerilator, lintIcarus])) expect({ tool: r.tool, messages: r.messages }).toEqual({ tool: r.tool, messages: [] });
  });

  it('keyword-named internals are lint-clean', { timeout: LINT_TIMEOUT }, async () => {
    const top = module('lw_kw', (m) => {
      const a = m.input('a', uint(4));
      const r = m.wire('reg', a.not());
      const l = m.wire('logic', r.xor(a));
      const mem = m.memory('end', { depth: 4, type: uint(4) });
      m.sync(() => mem.write(a.slice(1, 0), l));
      const o = m.instance(clockedLeaf, 'wire', { x: cat(mem.read(a.slice(3, 2)), l.slice(1, 0)).asSigned() });
      m.output('y', o.q);
    });
    const v = text(top);
    expect(v).toContain('wire [3:0] reg_v;');
    expect(v).toContain('wire [3:0] logic_v;');
    for (const r of await lint(top, [lintVerilator, lintIcarus])) expect(r.messages).toEqual([]);
  });

  it('a switch covering every value without default infers no latch', { timeout: LINT_TIMEOUT }, async () => {
    const top = module('lw_full_case', (m) => {
      const s = m.input('s', sint(2));
      const y = m.output('y', uint(3));
      m.comb(() =>
        m.switch(s, (sw) => {
          sw.is(-2, () => y.set(1));
          sw.is(-1, () => y.set(2));
          sw.is([0, 1], () => y.set(4));
        }),
      );
    });
    const [v] = await lint(top);
    expect(v.messages).toEqual([]);
    expect(v.latches).toBe(0);
  });

  it('signed compares against the bounds of their type are lint-clean', { timeout: LINT_TIMEOUT }, async () => {
    const top = probe('lw_scmp', { b: sint(8) }, (_m, i) => cat(i.b.le(127), i.b.ge(-128)).andR());
    const [v] = await lint(top);
    expect(v.messages).toEqual([]);
  });

  it('dynamic shifts by amounts wider than 32 bits that are not constants are lint-clean', { timeout: LINT_TIMEOUT }, async () => {
    const top = probe('lw_wide_shift', { a: uint(8), s: uint(40) }, (_m, i) => cat(i.a.shl(i.s), i.a.shr(i.s)));
    const [v] = await lint(top);
    expect(v.messages).toEqual([]);
  });
});

describe('regressions: constructs that once were not lint-clean', () => {
  // verilator -Wall warned CMPCONST/UNSIGNED on unsigned ordered compares whose operand is, or
  // folds to, a bound of the type; they are now emitted as `$signed({1'b0, a}) <= $signed({1'b0, b})`.
  // Dynamic shifts by constants >= 2^32 stopped Verilator; only clog2(W+1) amount bits are used now.
  it('u8 <= 255 is lint-clean (no CMPCONST)', { timeout: LINT_TIMEOUT }, async () => {
    const [v] = await lint(probe('lw_bug_cmpconst', { a: uint(8) }, (_m, i) => i.a.le(255)));
    expect(v.messages).toEqual([]);
  });
  it('u8 >= 0 is lint-clean (no UNSIGNED)', { timeout: LINT_TIMEOUT }, async () => {
    const [v] = await lint(probe('lw_bug_unsigned', { a: uint(8) }, (_m, i) => i.a.ge(0)));
    expect(v.messages).toEqual([]);
  });
  it('an unsigned compare with an operand that folds to a bound is lint-clean', { timeout: LINT_TIMEOUT }, async () => {
    const [v] = await lint(probe('lw_bug_fold', { a: uint(8), b: uint(8) }, (_m, i) => i.b.le(i.a.or(0xff))));
    expect(v.messages).toEqual([]);
  });
  // A dynamic shift whose amount is a literal (or folds to a constant) of 2^32 or more is an
  // error in verilator ("Value too wide for 32-bits expected in this context"). Clamping the
  // amount in the emitter (amount >= width ? 0 : a << amount[k:0]) would avoid it.
  it('a dynamic shift by a constant amount >= 2^32 is lint-clean', { timeout: LINT_TIMEOUT }, async () => {
    const [v] = await lint(probe('lw_bug_shift', { a: uint(8) }, (m, i) => i.a.shr(m.const(uint(40), 1n << 32n))));
    expect(v.messages).toEqual([]);
  });
});
