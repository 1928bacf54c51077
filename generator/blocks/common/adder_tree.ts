// Pipelined adder tree: N inputs summed pairwise over ceil(log2 N) levels, full width
// (W + ceil(log2 N) bits, nothing can overflow), with `stages` register levels spread evenly
// over the tree. As a stream block the whole pipeline stalls while the output is held
// (`in_ready = !out_valid || out_ready`), so it keeps every beat and its order.
import { type Expr, type ModuleBuilder, type Signal, clog2, module, sint, uint } from '../../dsl/index.ts';
import { ParamRuleError, bool, ident, int, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';

export const adderTreeParams = {
  top: ident({ default: 'common_adder_tree', doc: 'name of the generated top module' }),
  n: int({ default: 8, min: 1, max: 256, doc: 'number of inputs' }),
  width: int({ default: 8, min: 1, max: 64, doc: 'input width in bits' }),
  signed: bool({ default: true, doc: 'inputs are two\'s complement' }),
  stages: int({ default: 1, min: 0, max: 9, doc: 'register levels (0 = combinational; at most ceil(log2 n) + 1)' }),
};

/** The tree levels after which a register sits, for `stages` registers over `levels` levels. */
export function registerLevels(levels: number, stages: number): number[] {
  if (stages === 0) return [];
  if (levels === 0) return [0];
  // Spread evenly; the last register always sits on the output.
  return Array.from({ length: stages }, (_, i) => Math.max(0, Math.round(((i + 1) * levels) / stages)));
}

export interface AdderTreeOptions {
  stages: number;
  /** Register enable (pipeline advance); required when stages > 0. */
  enable?: Expr;
}

/**
 * Sum `terms` (all the same type) in a balanced tree inside module `m`; names start with
 * `name`. Returns the full-width sum (width + ceil(log2 n)) after `stages` register levels.
 */
export function adderTree(m: ModuleBuilder, name: string, terms: Expr[], opts: AdderTreeOptions): Expr {
  const levels = clog2(terms.length);
  const regAfter = registerLevels(levels, opts.stages);
  const outWidth = terms[0].width + levels;
  let level: Expr[] = terms;
  const stage = (values: Expr[], l: number, copies: number): Expr[] => {
    let out = values;
    for (let c = 0; c < copies; c++) {
      out = out.map((v, i) => {
        const r: Signal = m.reg(`${name}_s${l}_${c}_${i}`, v.type);
        m.sync(() => m.when(opts.enable!, () => r.set(v)));
        return r;
      });
    }
    return out;
  };
  const count = (l: number) => regAfter.filter((x) => x === l).length;
  level = stage(level, 0, count(0));
  for (let l = 1; l <= levels; l++) {
    const next: Expr[] = [];
    for (let i = 0; i < level.length; i += 2) {
      // An odd element out is widened by one bit so every node of a level has one type.
      const sum = i + 1 < level.length ? level[i].add(level[i + 1]) : level[i].ext(level[i].width + 1);
      next.push(m.wire(`${name}_l${l}_${i / 2}`, sum));
    }
    level = stage(next, l, count(l));
  }
  return level[0].ext(outWidth);
}

export function commonAdderTree(p: Params<typeof adderTreeParams>, name = p.top) {
  const levels = clog2(p.n);
  const t = p.signed ? sint(p.width) : uint(p.width);
  return module(
    name,
    (m) => {
      const inp = m.inStream('in', Object.fromEntries(Array.from({ length: p.n }, (_, i) => [`x${i}`, t])));
      const out = m.outStream('out', { sum: p.signed ? sint(p.width + levels) : uint(p.width + levels) });
      if (p.stages === 0) {
        m.assign(out.valid, inp.valid);
        m.assign(inp.ready, out.ready);
        m.assign(out.data.sum, adderTree(m, 'tree', Object.values(inp.data), { stages: 0 }));
        return;
      }
      // Stall pipeline: everything advances together when the output slot is free.
      const advance = m.wire('advance', out.valid.not().or(out.ready));
      m.assign(inp.ready, advance);
      const sum = adderTree(m, 'tree', Object.values(inp.data), { stages: p.stages, enable: advance });
      let valid: Expr = inp.valid;
      for (let s = 0; s < p.stages; s++) {
        const v = m.reg(`valid_s${s}`, uint(1), { reset: 0 });
        m.sync(() => m.when(advance, () => v.set(valid)));
        valid = v;
      }
      m.assign(out.valid, valid);
      m.assign(out.data.sum, sum);
    },
    { doc: `Adder tree: ${p.n} x ${p.signed ? 's' : 'u'}${p.width} -> ${p.signed ? 's' : 'u'}${p.width + levels}, ${p.stages} pipeline stage(s)`, params: { n: p.n, width: p.width, signed: p.signed, stages: p.stages } },
  );
}

export const adderTreeDesign = defineDesign({
  name: 'common.adder_tree',
  description: 'Pipelined adder tree (valid/ready), full-width sum',
  params: adderTreeParams,
  check(p) {
    const max = clog2(p.n) + 1;
    if (p.stages > max) throw new ParamRuleError('common.adder_tree', 'stages', p.stages, `expected at most ceil(log2 n) + 1 = ${max} register levels for n = ${p.n}`);
  },
  build: (p) => commonAdderTree(p),
});
