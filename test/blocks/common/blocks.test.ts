// DSL-level sanity of the common blocks: schemas, interfaces (port names, widths, streams),
// the `top` parameter, and the in-module builders' argument checks. No tools run here.
import { describe, expect, it } from 'vitest';
import type { DesignDef } from '../../../generator/designs/registry.ts';
import { designs } from '../../../generator/designs/index.ts';
import { absDiff, absDiffDesign } from '../../../generator/blocks/common/abs_diff.ts';
import { argminDesign, argminIndexWidth, argminTree } from '../../../generator/blocks/common/argmin.ts';
import { fifo, fifoCountWidth, fifoDesign } from '../../../generator/blocks/common/fifo.ts';
import { pipeRegs, stallPipeline } from '../../../generator/blocks/common/pipeline.ts';
import { skidBuffer, skidBufferDesign } from '../../../generator/blocks/common/skid_buffer.ts';
import { sramBank, sramDesign } from '../../../generator/blocks/common/sram.ts';
import { bit, module, sint, uint } from '../../../generator/dsl/index.ts';
import { emitDesign, type ManifestPort, type ParamValue } from '../../../generator/emit/design.ts';
import { DslUsageError } from '../../../generator/ir/errors.ts';
import { evalExpr } from '../../../generator/ir/eval.ts';
import type { IrExpr, IrModule, IrSignal } from '../../../generator/ir/types.ts';

function build(d: DesignDef, overrides: Record<string, unknown> = {}) {
  const params = d.resolve(overrides);
  const { manifest, files } = emitDesign(d.build(params), { design: d.name, params: params as Record<string, ParamValue> });
  const top = manifest.modules[manifest.modules.length - 1];
  const port = (name: string): ManifestPort | undefined => top.ports.find((x) => x.name === name);
  return { manifest, files, top, port };
}

/** Evaluate the outputs of a combinational module (continuous assignments only) for `inputs`. */
function combEval(ir: IrModule, inputs: Record<string, bigint>): (output: string) => bigint {
  const drivers = new Map<IrSignal, IrExpr>();
  for (const p of ir.processes) {
    const s = p.body[0];
    if (p.kind === 'comb' && p.body.length === 1 && s.kind === 'assign') drivers.set(s.target, s.value);
  }
  const cache = new Map<IrSignal, bigint>();
  const env = (sig: IrSignal): bigint => {
    if (sig.kind === 'input') return inputs[sig.name] ?? 0n;
    let v = cache.get(sig);
    if (v === undefined) {
      const e = drivers.get(sig);
      if (!e) throw new Error(`no continuous driver for '${sig.name}'`);
      v = evalExpr(e, env);
      cache.set(sig, v);
    }
    return v;
  };
  return (output) => env(ir.ports.find((x) => x.name === output)!);
}

/** A small deterministic PRNG (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const common = designs.filter((d) => d.name.startsWith('common.'));

describe('schemas', () => {
  it.each(common.map((d) => [d.name, d] as const))('%s: documented params, a top ident defaulting to common_<block>, defaults in range', (name, d) => {
    expect(d.params.top).toMatchObject({ kind: 'ident', default: `common_${name.slice('common.'.length)}` });
    for (const [k, spec] of Object.entries(d.params)) {
      expect(spec.doc, k).not.toBe('');
      if (spec.kind === 'int') {
        expect(spec.min, k).toBeLessThanOrEqual(spec.default);
        expect(spec.default, k).toBeLessThanOrEqual(spec.max);
      }
    }
    const b = build(d);
    expect(b.manifest.top).toBe(`common_${name.slice('common.'.length)}`);
  });

  it.each(common.map((d) => [d.name, d] as const))('%s: the top parameter names the module', (_name, d) => {
    expect(build(d, { top: 'my_block' }).manifest.top).toBe('my_block');
  });
});

describe('interfaces', () => {
  it('abs diff: u<W> result for signed and unsigned operands', () => {
    for (const signed of [false, true]) {
      const b = build(absDiffDesign, { width: 12, signed, registered: false });
      expect(b.port('in_a')).toMatchObject({ width: 12, signed });
      expect(b.port('out_d')).toMatchObject({ width: 12, signed: false });
      expect(b.top.hasClock).toBe(false);
    }
    expect(build(absDiffDesign, { registered: true }).top.hasClock).toBe(true);
  });

  it('argmin: index width ceil(log2 n), a 1-bit index for n = 1', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 256].map(argminIndexWidth)).toEqual([1, 1, 2, 2, 3, 3, 4, 8]);
    const b = build(argminDesign, { n: 5, width: 7, signed: true, stages: 2 });
    expect(b.port('in_v4')).toMatchObject({ width: 7, signed: true });
    expect(b.port('in_v5')).toBeUndefined();
    expect(b.port('out_min')).toMatchObject({ width: 7, signed: true });
    expect(b.port('out_index')).toMatchObject({ width: 3, signed: false });
    expect(build(argminDesign, { n: 1, stages: 0 }).port('out_index')).toMatchObject({ width: 1 });
  });

  it('argmin: every tree node prefers the left (lower-index) side on ties', () => {
    const v = build(argminDesign, { n: 4, stages: 0 }).files.get('common_argmin.v')!;
    // right wins only when strictly smaller: `right < left`, never `<=`
    const nodes = v.split('\n').filter((l) => /assign tree_l\d+_\d+_r = /.test(l));
    expect(nodes).toHaveLength(3);
    expect(nodes[0]).toMatch(/= [^<>=]*\bin_v1\b[^<>=]* < [^<>=]*\bin_v0\b[^<>=]*;$/);
    expect(nodes[2]).toMatch(/= [^<>=]*\btree_l1_1_v\b[^<>=]* < [^<>=]*\btree_l1_0_v\b[^<>=]*;$/);
    for (const l of nodes) expect(l).not.toMatch(/<=/);
  });

  it('FIFO: count is clog2(depth + 1) bits; streams in/out with a data field', () => {
    expect([1, 2, 3, 4, 7, 8, 4096].map(fifoCountWidth)).toEqual([1, 2, 2, 3, 3, 4, 13]);
    const b = build(fifoDesign, { depth: 6, width: 9 });
    expect(b.port('count')).toMatchObject({ direction: 'output', width: 3 });
    expect(b.port('in_data')).toMatchObject({ width: 9 });
    expect(b.top.streams.map((s) => [s.name, s.direction])).toEqual([
      ['in', 'in'],
      ['out', 'out'],
    ]);
    // Non-power-of-two depth: the pointers wrap explicitly at depth - 1.
    expect(b.files.get('common_fifo.v')).toMatch(/q_wr_ptr == 3'd5/);
  });

  it('FIFO depth 1 and the skid buffer hold no memory', () => {
    expect(build(fifoDesign, { depth: 1 }).files.get('common_fifo.v')).not.toMatch(/\[0:/);
    expect(build(skidBufferDesign).files.get('common_skid_buffer.v')).not.toMatch(/\[0:/);
  });

  it('SRAM: address width addrBits(depth), a registered read port', () => {
    const b = build(sramDesign, { depth: 1000, width: 24 });
    expect(b.port('wr_addr')).toMatchObject({ width: 10 });
    expect(b.port('rd_addr')).toMatchObject({ width: 10 });
    expect(b.port('rd_data')).toMatchObject({ direction: 'output', width: 24 });
    expect(b.top.doc).toMatch(/read-first/);
    expect(b.top.doc).toMatch(/Addresses 1000\.\.1023 must not be used/);
    expect(build(sramDesign, { depth: 2 }).port('wr_addr')).toMatchObject({ width: 1 });
  });
});

describe('values (IR evaluator, combinational points)', () => {
  it('abs diff is exact for every operand pair, W = 1..6, signed and unsigned', () => {
    for (let w = 1; w <= 6; w++) {
      for (const signed of [false, true]) {
        const ir = absDiffDesign.build(absDiffDesign.resolve({ width: w, signed, registered: false })).ir;
        const lo = signed ? -(1n << BigInt(w - 1)) : 0n;
        const hi = signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
        for (let a = lo; a <= hi; a++) {
          for (let b = lo; b <= hi; b++) {
            const d = combEval(ir, { in_a: a, in_b: b })('out_d');
            expect(d, `w=${w} signed=${signed} a=${a} b=${b}`).toBe(a > b ? a - b : b - a);
          }
        }
      }
    }
  });

  it('abs diff at W = 32: the extremes, incl. a = -2^31, b = 2^31 - 1', () => {
    const next = rng(7);
    for (const signed of [false, true]) {
      const ir = absDiffDesign.build(absDiffDesign.resolve({ width: 32, signed, registered: false })).ir;
      const lo = signed ? -(2n ** 31n) : 0n;
      const hi = signed ? 2n ** 31n - 1n : 2n ** 32n - 1n;
      const pairs: [bigint, bigint][] = [[lo, hi], [hi, lo], [lo, lo], [hi, hi], [0n, hi], [lo, 0n]];
      for (let i = 0; i < 500; i++) pairs.push([lo + (BigInt(next()) % (hi - lo + 1n)), lo + (BigInt(next()) % (hi - lo + 1n))]);
      for (const [a, b] of pairs) expect(combEval(ir, { in_a: a, in_b: b })('out_d'), `a=${a} b=${b}`).toBe(a > b ? a - b : b - a);
    }
  });

  it('argmin returns the minimum and its LOWEST index (ties included)', () => {
    const next = rng(11);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 13, 32]) {
      for (const signed of [false, true]) {
        const w = 3;
        const ir = argminDesign.build(argminDesign.resolve({ n, width: w, signed, stages: 0 })).ir;
        for (let trial = 0; trial < 300; trial++) {
          const vals = Array.from({ length: n }, () => {
            const raw = BigInt(next() % (trial % 2 === 0 ? 2 : 8)); // half the trials: two values only, many ties
            return signed ? raw - 4n : raw;
          });
          const inputs = Object.fromEntries(vals.map((v, i) => [`in_v${i}`, v]));
          const f = combEval(ir, inputs);
          const min = vals.reduce((m, v) => (v < m ? v : m));
          expect(f('out_min'), `n=${n} ${vals}`).toBe(min);
          expect(f('out_index'), `n=${n} ${vals}`).toBe(BigInt(vals.indexOf(min)));
        }
      }
    }
  });
});

describe('in-module builders', () => {
  it('compose inside one module', () => {
    const m = module('uses_all', (m) => {
      const a = m.input('a', sint(6));
      const b = m.input('b', sint(6));
      const go = m.input('go', bit());
      const ready = m.input('ready', bit());
      const d = absDiff(m, 'ad', a, b);
      const pipe = stallPipeline(m, 'p_', go, ready, 2);
      const r = argminTree(m, 'am', [d, d, d], { stages: 2, enable: pipe.advance });
      const f = fifo(m, 'f', { depth: 3, inValid: pipe.outValid, inData: r.min, outReady: ready });
      const s = skidBuffer(m, 's', f.outValid, f.outData, ready);
      const q = sramBank(m, 'ram', { depth: 4, type: uint(6), wrEn: s.outValid, wrAddr: r.index, wrData: s.outData, rdEn: go, rdAddr: r.index });
      m.output('q', q);
      m.output('busy', pipe.inReady.and(f.inReady).and(s.inReady));
      m.output('count', f.count);
    });
    expect(m.ir.memories.map((x) => x.name)).toEqual(['f_mem', 'ram_mem']);
  });

  it('reject bad arguments with DslUsageError', () => {
    expect(() => module('bad1', (m) => void absDiff(m, 'x', m.input('a', uint(4)), m.input('b', sint(4))))).toThrow(DslUsageError);
    expect(() => module('bad2', (m) => void argminTree(m, 'x', [], { stages: 0 }))).toThrow(DslUsageError);
    expect(() => module('bad3', (m) => void argminTree(m, 'x', [m.input('a', uint(4)), m.input('b', uint(5))], { stages: 0 }))).toThrow(DslUsageError);
    expect(() => module('bad4', (m) => void argminTree(m, 'x', [m.input('a', uint(4)), m.input('b', uint(4))], { stages: 1 }))).toThrow(DslUsageError);
    expect(() => module('bad5', (m) => void pipeRegs(m, 'x', [m.input('a', uint(4))], undefined, 1))).toThrow(DslUsageError);
    expect(() => module('bad6', (m) => void stallPipeline(m, 'x', m.input('a', bit()), m.input('b', bit()), 0))).toThrow(DslUsageError);
    expect(() => module('bad7', (m) => void fifo(m, 'x', { depth: 0, inValid: m.input('a', bit()), inData: m.input('d', uint(2)), outReady: m.input('b', bit()) }))).toThrow(DslUsageError);
  });
});
