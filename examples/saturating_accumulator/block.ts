// example.sat_acc: a saturating packet accumulator, the worked example of docs/new-block.md.
//
// Ports (valid/ready streams):
//   in  { x: W bits (signed or not), last: 1 bit }   samples; `last` marks a packet's final one
//   out { sum: A bits, same signedness, sat: 1 bit } one beat per packet
// Arithmetic: acc ← clamp(acc + x) at every sample, clamp to the A-bit range [min_A, max_A];
// `sum` is the value after the packet's last sample, `sat` says whether any step clamped.
// The clamp acts at each step, so the order of the samples matters (as in any saturating
// hardware accumulator): +max then −1 gives max − 1, not max.
// Timing: a sample that is not `last` is taken in any cycle it is offered (it only updates the
// accumulator); a `last` sample loads the output register, so it is taken only while that
// register is empty or being emptied: in_ready = !in_last || !out_valid || out_ready. The
// packet's result leaves one cycle after its last sample at the earliest (latency 1).
import { type Expr, module, mux, sint, uint } from '../../generator/dsl/index.ts';
import { defineDesign } from '../../generator/designs/registry.ts';
import { ParamRuleError, bool, ident, int, type Params } from '../../generator/params/schema.ts';

export const DESIGN = 'example.sat_acc';

export const satAccParams = {
  top: ident({ default: 'example_sat_acc', doc: 'name of the generated top module' }),
  width: int({ default: 8, min: 1, max: 32, doc: 'sample width W in bits' }),
  accBits: int({ default: 12, min: 1, max: 64, doc: 'accumulator and result width A in bits (at least W)' }),
  signed: bool({ default: true, doc: "samples and sum are two's complement" }),
};
export type SatAccParams = Params<typeof satAccParams>;

/** Smallest and largest A-bit value, as the DSL's constants need them. */
function accRange(p: SatAccParams): { min: bigint; max: bigint } {
  const a = BigInt(p.accBits);
  return p.signed ? { min: -(1n << (a - 1n)), max: (1n << (a - 1n)) - 1n } : { min: 0n, max: (1n << a) - 1n };
}

export function satAcc(p: SatAccParams) {
  const tx = p.signed ? sint(p.width) : uint(p.width);
  const ta = p.signed ? sint(p.accBits) : uint(p.accBits);
  const { min, max } = accRange(p);
  return module(
    p.top,
    (m) => {
      const inp = m.inStream('in', { x: tx, last: uint(1) });
      const out = m.outStream('out', { sum: ta, sat: uint(1) });

      const acc = m.reg('acc', ta, { reset: 0 });
      const sticky = m.reg('sticky', uint(1), { reset: 0 });
      const outValid = m.reg('out_valid_q', uint(1), { reset: 0 });
      const sumQ = m.reg('sum_q', ta); // no reset: qualified by out_valid
      const satQ = m.reg('sat_q', uint(1));

      // acc + x is A + 1 bits (A >= W): it overflows the A-bit range exactly when its two top
      // bits differ (signed), or when its top bit is set (unsigned).
      const full = m.wire('full', acc.add(inp.data.x));
      const top = full.bit(p.accBits);
      const over: Expr = m.wire('over', p.signed ? top.xor(full.bit(p.accBits - 1)) : top);
      const low = full.slice(p.accBits - 1, 0);
      const inRange = p.signed ? low.asSigned() : low;
      // Signed: a negative sum (top bit set) clamps to min, a positive one to max.
      const limit = p.signed ? mux(top, m.const(ta, min), m.const(ta, max)) : m.const(ta, max);
      const next = m.wire('next', mux(over, limit, inRange));
      const satNext = m.wire('sat_next', sticky.or(over));

      const ready = m.wire('ready', inp.data.last.not().or(outValid.not()).or(out.ready));
      m.assign(inp.ready, ready);
      const take = m.wire('take', inp.valid.and(ready));
      const closes = m.wire('closes', take.and(inp.data.last));

      m.sync(() => {
        m.when(take, () => {
          m.when(inp.data.last, () => {
            acc.set(0);
            sticky.set(0);
          }).otherwise(() => {
            acc.set(next);
            sticky.set(satNext);
          });
        });
        m.when(closes, () => {
          sumQ.set(next);
          satQ.set(satNext);
        });
        m.when(closes, () => outValid.set(1)).elseWhen(out.ready, () => outValid.set(0));
      });
      m.assign(out.valid, outValid);
      m.assign(out.data.sum, sumQ);
      m.assign(out.data.sat, satQ);
    },
    {
      doc: [
        `Saturating packet accumulator: ${p.signed ? 's' : 'u'}${p.width} samples -> ${p.signed ? 's' : 'u'}${p.accBits} sum per packet, clamped at every step; sat = any step clamped.`,
        'Latency 1 cycle after the last sample; in_ready = !in_last || !out_valid || out_ready.',
      ].join('\n'),
      params: { width: p.width, accBits: p.accBits, signed: p.signed },
    },
  );
}

export const satAccDesign = defineDesign({
  name: DESIGN,
  description: 'Saturating packet accumulator (valid/ready): clamped running sum, one result per packet',
  params: satAccParams,
  check(p) {
    // A rule across parameters: one sample must fit the accumulator.
    if (p.accBits < p.width) {
      throw new ParamRuleError(DESIGN, 'accBits', p.accBits, `expected at least width = ${p.width} bits (one sample must fit the accumulator)`);
    }
  },
  build: (p) => satAcc(p),
});
