// Argmin tree: the minimum of N candidates and its index, in a balanced tree of ceil(log2 N)
// comparison levels. Ties go to the LOWEST index: every node takes its right (higher-index)
// child only when that child is strictly smaller, so on equality the left side wins, and by
// induction each subtree returns the lowest index among its minima. `stages` register levels
// are spread over the tree like the adder tree's (`registerLevels`); as a stream block the
// whole pipeline stalls while the output is held (`in_ready = !out_valid || out_ready`).
// Latency `stages` cycles (sim/cycles/common/pipeline.ts). A level (a carry-chain comparison,
// then a mux whose select fans out to every value bit) costs ~18 ns on an iCE40, so the
// default puts one level in each stage: stages = ceil(log2 n) = 3 at n = 8.
import { type Expr, type ModuleBuilder, cat, clog2, fmtType, module, mux, sint, uint } from '../../dsl/index.ts';
import { ParamRuleError, bool, ident, int, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { registerLevels } from './adder_tree.ts';
import { pipeRegs, stallPipeline } from './pipeline.ts';

export const argminParams = {
  top: ident({ default: 'common_argmin', doc: 'name of the generated top module' }),
  n: int({ default: 8, min: 1, max: 256, doc: 'number of candidates' }),
  width: int({ default: 16, min: 1, max: 48, doc: 'candidate width in bits' }),
  signed: bool({ default: false, doc: "candidates are two's complement" }),
  // 3 at the default n = 8: one comparison level per stage (iCE40 ~55 MHz; 1 stage puts all
  // three levels in one cycle, 22.6 MHz, and 2 stages two of them, 33 MHz)
  stages: int({ default: 3, min: 0, max: 9, doc: 'register levels (0 = combinational; at most ceil(log2 n) + 1; 3 at n = 8: one comparison level per stage)' }),
};

export interface ArgminOptions {
  stages: number;
  /** Register enable (pipeline advance); required when stages > 0. */
  enable?: Expr;
}

export interface ArgminResult {
  /** The smallest value (the candidates' type). */
  min: Expr;
  /** Its lowest index: ceil(log2 n) bits unsigned, a 1-bit zero for n = 1. */
  index: Expr;
}

/** Width of the index output for `n` candidates. */
export function argminIndexWidth(n: number): number {
  return Math.max(1, clog2(n));
}

/**
 * The minimum of `values` (all one type) and its lowest index, in a balanced comparison tree
 * inside module `m` (names start with `name`), after `opts.stages` register levels.
 */
export function argminTree(m: ModuleBuilder, name: string, values: Expr[], opts: ArgminOptions): ArgminResult {
  if (values.length === 0) m.fail(`argminTree '${name}'`, 'at least one candidate', 'none');
  const t = values[0].type;
  const odd = values.find((v) => v.width !== t.width || v.signed !== t.signed);
  if (odd) m.fail(`argminTree '${name}'`, `candidates of one type (${fmtType(t)})`, fmtType(odd.type));
  const levels = clog2(values.length);
  const regAfter = registerLevels(levels, opts.stages);
  const copies = (l: number) => regAfter.filter((x) => x === l).length;

  let vals = pipeRegs(m, `${name}_s0_v`, values, opts.enable, copies(0));
  let idxs: Expr[] = []; // index within each node's subtree: l bits at level l (none at level 0)
  for (let l = 1; l <= levels; l++) {
    const nextVals: Expr[] = [];
    const nextIdxs: Expr[] = [];
    for (let i = 0; i < vals.length; i += 2) {
      const node = `${name}_l${l}_${i / 2}`;
      if (i + 1 < vals.length) {
        // Right (higher indices) only when strictly smaller: ties keep the lower index.
        const right = m.wire(`${node}_r`, vals[i + 1].lt(vals[i]));
        nextVals.push(m.wire(`${node}_v`, mux(right, vals[i + 1], vals[i])));
        nextIdxs.push(m.wire(`${node}_i`, l === 1 ? right : cat(right, mux(right, idxs[i + 1], idxs[i]))));
      } else {
        // The odd node out covers only a left subtree: its index gains a leading 0.
        const zero = m.const(uint(1), 0);
        nextVals.push(vals[i]);
        nextIdxs.push(l === 1 ? zero : cat(zero, idxs[i]));
      }
    }
    vals = pipeRegs(m, `${name}_s${l}_v`, nextVals, opts.enable, copies(l));
    idxs = pipeRegs(m, `${name}_s${l}_i`, nextIdxs, opts.enable, copies(l));
  }
  return { min: vals[0], index: levels === 0 ? m.const(uint(1), 0) : idxs[0] };
}

export function commonArgmin(p: Params<typeof argminParams>, name = p.top) {
  const t = p.signed ? sint(p.width) : uint(p.width);
  const idxW = argminIndexWidth(p.n);
  return module(
    name,
    (m) => {
      const inp = m.inStream('in', Object.fromEntries(Array.from({ length: p.n }, (_, i) => [`v${i}`, t])));
      const out = m.outStream('out', { min: t, index: uint(idxW) });
      const values = Object.values(inp.data);
      if (p.stages === 0) {
        m.assign(out.valid, inp.valid);
        m.assign(inp.ready, out.ready);
        const r = argminTree(m, 'tree', values, { stages: 0 });
        m.assign(out.data.min, r.min);
        m.assign(out.data.index, r.index);
        return;
      }
      const pipe = stallPipeline(m, '', inp.valid, out.ready, p.stages);
      m.assign(inp.ready, pipe.inReady);
      m.assign(out.valid, pipe.outValid);
      const r = argminTree(m, 'tree', values, { stages: p.stages, enable: pipe.advance });
      m.assign(out.data.min, r.min);
      m.assign(out.data.index, r.index);
    },
    {
      doc: [
        `Argmin: ${p.n} x ${p.signed ? 's' : 'u'}${p.width} -> min and index (u${idxW}); ties go to the lowest index.`,
        p.stages === 0
          ? 'Combinational: out_valid = in_valid, in_ready = out_ready.'
          : `Latency ${p.stages} cycle(s): stall pipeline (in_ready = !out_valid || out_ready); one beat per cycle.`,
      ].join('\n'),
      params: { n: p.n, width: p.width, signed: p.signed, stages: p.stages },
    },
  );
}

export const argminDesign = defineDesign({
  name: 'common.argmin',
  description: 'Pipelined argmin tree (valid/ready): minimum and lowest index of N candidates',
  params: argminParams,
  check(p) {
    const max = clog2(p.n) + 1;
    if (p.stages > max) throw new ParamRuleError('common.argmin', 'stages', p.stages, `expected at most ceil(log2 n) + 1 = ${max} register levels for n = ${p.n}`);
  },
  build: (p) => commonArgmin(p),
});
