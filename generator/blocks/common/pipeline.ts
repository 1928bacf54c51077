// Shared pipeline helpers: a stall-style valid/ready pipeline (every stage advances together
// while the output slot is free, as in the adder tree), register copies of a list of values
// behind one enable (abs_diff, argmin, cmc.search), and a beat's valid and last bits through the
// register levels of a datapath that advances on its own enable (cmc.search, the Ditto compute
// row).
import { type Expr, type ModuleBuilder, type Signal, bit, uint } from '../../dsl/index.ts';

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

/**
 * A beat's valid and last bits through `stages` register levels (`valid_s<i>`, reset 0, and
 * `last_s<i>`), loading on `advance` beside a datapath's own pipeline registers; returns the
 * [valid, last] after the last level (the inputs themselves for 0 stages).
 */
export function validLastStages(m: ModuleBuilder, valid: Expr, last: Expr, advance: Expr, stages: number): [Expr, Expr] {
  let v: Expr = valid;
  let l: Expr = last;
  for (let s = 0; s < stages; s++) {
    const vr: Signal = m.reg(`valid_s${s}`, bit(), { reset: 0 });
    const lr: Signal = m.reg(`last_s${s}`, bit());
    const [pv, pl] = [v, l];
    m.sync(() =>
      m.when(advance, () => {
        vr.set(pv);
        lr.set(pl);
      }),
    );
    v = vr;
    l = lr;
  }
  return [v, l];
}
