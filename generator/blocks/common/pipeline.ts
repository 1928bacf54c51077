// Shared pipeline helpers for the common blocks: a stall-style valid/ready pipeline (every stage
// advances together while the output slot is free, as in the adder tree) and register copies of
// a list of values behind one enable. Used by abs_diff and argmin; Ditto and CMC blocks may reuse
// them for their own pipelines.
import { type Expr, type ModuleBuilder, type Signal, uint } from '../../dsl/index.ts';

export interface StallPipeline {
  /** `!out_valid || out_ready`: every register of the pipeline loads when this is high. */
  advance: Expr;
  /** The valid bit after `stages` registers (the output stream's valid). */
  outValid: Expr;
  /** The input stream's ready (`advance`). */
  inReady: Expr;
}

/**
 * Valid/ready control of a `stages`-deep stall pipeline inside `m` (`stages` ≥ 1): a chain of
 * valid registers `<prefix>valid_s<i>` (reset 0) and the wire `<prefix>advance`. The data
 * registers of the pipeline must load on `advance` too (see `pipeRegs`). Throughput is one beat
 * per cycle while `out_ready` is high; a stalled output stalls every stage, so no beat is lost
 * and the order is kept. The only combinational path between the streams is
 * `out_ready -> in_ready`.
 */
export function stallPipeline(m: ModuleBuilder, prefix: string, inValid: Expr, outReady: Expr, stages: number): StallPipeline {
  if (!Number.isInteger(stages) || stages < 1) {
    m.fail(`stallPipeline '${prefix}'`, 'at least one stage (wire a 0-stage block straight through)', String(stages));
  }
  const valids: Signal[] = Array.from({ length: stages }, (_, s) => m.reg(`${prefix}valid_s${s}`, uint(1), { reset: 0 }));
  const outValid = valids[stages - 1];
  const advance = m.wire(`${prefix}advance`, outValid.not().or(outReady));
  m.sync(() =>
    m.when(advance, () => {
      valids.forEach((v, s) => v.set(s === 0 ? inValid : valids[s - 1]));
    }),
  );
  return { advance, outValid, inReady: advance };
}

/**
 * `copies` register levels over each of `values` (registers `<name>_<i>` for one copy,
 * `<name>_c<c>_<i>` for several), loading when `enable` is high. No reset: the data of a
 * valid/ready pipeline is qualified by its valid bits.
 */
export function pipeRegs(m: ModuleBuilder, name: string, values: Expr[], enable: Expr | undefined, copies = 1): Expr[] {
  if (copies === 0) return values;
  if (!enable) {
    m.fail(`pipeline registers '${name}'`, 'an enable (the pipeline advance) when there are register stages', 'none');
  }
  let out = values;
  for (let c = 0; c < copies; c++) {
    const regs = out.map((v, i) => m.reg(copies === 1 ? `${name}_${i}` : `${name}_c${c}_${i}`, v.type));
    const from = out;
    m.sync(() => m.when(enable, () => regs.forEach((r, i) => r.set(from[i]))));
    out = regs;
  }
  return out;
}
