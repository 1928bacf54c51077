// The random expression generator (test/support/exprgen.ts) against the DSL, the IR passes,
// the evaluator and verilator: a few hundred well-typed expressions mixing every operator.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitDesign } from '../../generator/emit/design.ts';
import { evalExpr } from '../../generator/ir/eval.ts';
import type { HwType, IrExpr, IrModule, IrSignal } from '../../generator/ir/types.ts';
import { lintVerilator } from '../../eda/tools/lint.ts';
import {
  type GenNode,
  type GenOptions,
  arbExprCase,
  arbValue,
  evalTree,
  exprModule,
  fmtType,
  genExprTrees,
  genInputTypes,
  inRange,
  opsOf,
  randValue,
  seededRand,
  showTree,
} from '../support/exprgen.ts';

/** The value expression driving each output `y<k>`, in output order. */
function outputExprs(ir: IrModule): { port: IrSignal; value: IrExpr }[] {
  return ir.ports
    .filter((p) => p.kind === 'output')
    .map((port) => {
      const proc = ir.processes.find((p) => p.body.length === 1 && p.body[0].kind === 'assign' && p.body[0].target === port);
      if (!proc || proc.body[0].kind !== 'assign') throw new Error(`no continuous assignment to ${port.name}`);
      return { port, value: proc.body[0].value };
    });
}

function envFor(ir: IrModule, values: readonly bigint[]) {
  const inputs = ir.ports.filter((p) => p.kind === 'input');
  return (s: IrSignal): bigint => {
    const i = inputs.indexOf(s);
    if (i < 0) throw new Error(`expression reads non-input ${s.name}`);
    return values[i];
  };
}

interface GenCase {
  seed: number;
  inputs: HwType[];
  trees: GenNode[];
}

function makeCase(seed: number, count: number, opts: GenOptions): GenCase {
  const r = seededRand(seed);
  const inputs = genInputTypes(r, r.int(1, 6));
  return { seed, inputs, trees: genExprTrees(r, inputs, count, opts) };
}

/** Every operator tag `opsOf` can report: the generator must reach all of them. */
const ALL_TAGS = [
  'in', 'const', 'const#neg', 'const#wide', 'const#neg#wide',
  'add', 'sub', 'mul', 'add#num', 'sub#num', 'mul#num', 'neg',
  'and', 'or', 'xor', 'and#num', 'or#num', 'xor#num', 'not',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'eq#num', 'ne#num', 'lt#num', 'le#num', 'gt#num', 'ge#num',
  'shl', 'shr', 'shl#dyn', 'shr#dyn',
  'slice', 'bit', 'msb', 'andR', 'orR', 'xorR',
  'ext', 'zext', 'sext', 'trunc', 'asSigned', 'asUnsigned',
  'mux', 'mux#num', 'cat', 'repeat',
];

describe('exprgen: a few hundred random expressions', () => {
  const MODULES = 20;
  const PER_MODULE = 20;
  const VECTORS = 24;
  const opts: GenOptions = { maxDepth: 5, maxWidth: 128 };
  const cases = Array.from({ length: MODULES }, (_, i) => makeCase(1000 + i, PER_MODULE, opts));

  it('covers every operator, with >64-bit and negative constants, inputs of 1..70 bits', () => {
    const tags = new Set<string>();
    for (const c of cases) for (const t of c.trees) opsOf(t, tags);
    expect([...ALL_TAGS].filter((t) => !tags.has(t))).toEqual([]);
    const widths = cases.flatMap((c) => c.inputs.map((t) => t.width));
    expect(Math.min(...widths)).toBe(1);
    expect(Math.max(...widths)).toBeGreaterThan(64);
    expect(cases.some((c) => c.inputs.some((t) => t.signed)) && cases.some((c) => c.inputs.some((t) => !t.signed))).toBe(true);
  });

  it('builds modules that pass the IR passes, with every node typed as the generator predicted and at most 128 bits', () => {
    for (const c of cases) {
      // exprModule checks each node's DSL type against the generator's (and throws otherwise);
      // module() runs the passes.
      const top = exprModule(`gen_${c.seed}`, c.inputs, c.trees);
      for (const { port, value } of outputExprs(top.ir)) {
        expect(port.type.width).toBeLessThanOrEqual(128);
        const stack: IrExpr[] = [value];
        while (stack.length) {
          const e = stack.pop()!;
          expect(e.type.width).toBeLessThanOrEqual(128);
          if ('a' in e) stack.push(e.a);
          if ('b' in e) stack.push(e.b);
        }
      }
    }
  });

  it('evalExpr gives values in the output type’s range, equal to the tree oracle', () => {
    let checked = 0;
    for (const c of cases) {
      const top = exprModule(`gen_${c.seed}`, c.inputs, c.trees);
      const outs = outputExprs(top.ir);
      const r = seededRand(c.seed * 7 + 1);
      for (let v = 0; v < VECTORS; v++) {
        const values = c.inputs.map((t) => randValue(r, t));
        const env = envFor(top.ir, values);
        const memo = new Map<GenNode, bigint>();
        outs.forEach(({ port, value }, k) => {
          const got = evalExpr(value, env);
          const want = evalTree(c.trees[k], values, memo);
          if (!inRange(got, port.type) || got !== want) {
            throw new Error(`seed ${c.seed} y${k} (${fmtType(port.type)}) for inputs [${values.join(', ')}] of [${c.inputs.map(fmtType).join(', ')}]: evalExpr ${got}, oracle ${want}\n  ${showTree(c.trees[k])}`);
          }
          checked++;
        });
      }
    }
    expect(checked).toBe(MODULES * PER_MODULE * VECTORS);
  });

  it('emitted Verilog is clean under verilator --lint-only -Wall', { timeout: 180_000 }, async () => {
    const lintCases = Array.from({ length: MODULES }, (_, i) => makeCase(2000 + i, PER_MODULE, { ...opts }));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dcgen-exprgen-'));
    try {
      const failures: string[] = [];
      const run = async (c: GenCase) => {
        const name = `gen_${c.seed}`;
        const top = exprModule(name, c.inputs, c.trees);
        const { files } = emitDesign(top, { design: 'test.exprgen', params: { seed: c.seed } });
        const file = path.join(dir, `${name}.v`);
        await writeFile(file, files.get(`${name}.v`)!);
        const res = await lintVerilator([file], name);
        if (!res.ok) failures.push(`${name}: ${res.messages.join('\n    ')}`);
      };
      for (let i = 0; i < lintCases.length; i += 4) await Promise.all(lintCases.slice(i, i + 4).map(run));
      expect(failures).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('exprgen: fast-check arbitraries', () => {
  it('DSL typing, evalExpr and the tree oracle agree on arbitrary cases', () => {
    const arb = arbExprCase({ maxDepth: 4, count: 4 }).chain((c) => fc.tuple(fc.constant(c), fc.tuple(...c.inputs.map(arbValue))));
    fc.assert(
      fc.property(arb, ([c, values]) => {
        const top = exprModule('prop', c.inputs, c.exprs);
        const env = envFor(top.ir, values);
        outputExprs(top.ir).forEach(({ port, value }, k) => {
          const got = evalExpr(value, env);
          expect(inRange(got, port.type)).toBe(true);
          expect(got).toBe(evalTree(c.exprs[k], values));
        });
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('respects maxWidth and maxDepth', () => {
    const depth = (n: GenNode | { num: bigint }): number => {
      if ('num' in n) return 0;
      const kids: (GenNode | { num: bigint })[] = [];
      if ('a' in n) kids.push(n.a);
      if ('b' in n) kids.push(n.b);
      if ('sel' in n) kids.push(n.sel);
      if ('parts' in n) kids.push(...n.parts);
      if ('by' in n && typeof n.by !== 'number') kids.push(n.by);
      return kids.length ? 1 + Math.max(...kids.map(depth)) : 0;
    };
    const widest = (n: GenNode | { num: bigint }): number => {
      if ('num' in n) return 0;
      const kids: (GenNode | { num: bigint })[] = [];
      if ('a' in n) kids.push(n.a);
      if ('b' in n) kids.push(n.b);
      if ('sel' in n) kids.push(n.sel);
      if ('parts' in n) kids.push(...n.parts);
      if ('by' in n && typeof n.by !== 'number') kids.push(n.by);
      return Math.max(n.t.width, ...kids.map(widest));
    };
    fc.assert(
      fc.property(arbExprCase({ maxDepth: 3, maxWidth: 40, count: 3, inputs: { maxWidth: 40 } }), (c) => {
        for (const t of c.exprs) {
          expect(widest(t)).toBeLessThanOrEqual(40);
          // each generated operator may bring its operands' coercions (cast + resize, or the
          // compare work-around): at most 4 nodes per level
          expect(depth(t)).toBeLessThanOrEqual(3 * 4);
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
