// Absolute difference |a − b| of two W-bit operands of either signedness, exact, as a W-bit
// unsigned value. The bound: for unsigned a, b in [0, 2^W − 1], a − b is in [−(2^W − 1), 2^W − 1];
// for signed a, b in [−2^(W−1), 2^(W−1) − 1], a − b is in [−2^(W−1) − (2^(W−1) − 1),
// 2^(W−1) − 1 + 2^(W−1)] = [−(2^W − 1), 2^W − 1] as well (the extreme a = −2^(W−1),
// b = 2^(W−1) − 1 gives −(2^W − 1)). Either way the difference fits W + 1 bits signed and never
// equals −2^W, so its magnitude is at most 2^W − 1: W bits unsigned, nothing lost.
//
// Hardware: one W+1-bit subtractor, then a conditional negate of its low W bits by its sign
// bit ((d ^ {W{s}}) + s, kept to W bits), instead of two subtractors and a comparator.
import { type Expr, type ModuleBuilder, fmtType, module, repeat, sint, uint } from '../../dsl/index.ts';
import { bool, ident, int, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { pipeRegs, stallPipeline } from './pipeline.ts';

export const absDiffParams = {
  top: ident({ default: 'common_abs_diff', doc: 'name of the generated top module' }),
  width: int({ default: 8, min: 1, max: 32, doc: 'operand width W in bits; the result d is W bits unsigned' }),
  signed: bool({ default: false, doc: "operands are two's complement" }),
  registered: bool({ default: true, doc: 'one pipeline register on the output (stall pipeline); false = combinational' }),
};

/**
 * |a − b| inside module `m` (names start with `name`): `a` and `b` of one type (W bits, signed
 * or unsigned); returns a W-bit unsigned Expr, exact for every pair of operands.
 */
export function absDiff(m: ModuleBuilder, name: string, a: Expr, b: Expr): Expr {
  if (a.width !== b.width || a.signed !== b.signed) {
    m.fail(`absDiff '${name}'`, 'two operands of one type', `${fmtType(a.type)} and ${fmtType(b.type)}`);
  }
  const w = a.width;
  // W+1 bits: signed for signed operands; for unsigned ones the top bit is the borrow, which
  // is the sign of the (W+1-bit two's complement) difference since |a − b| < 2^W.
  const diff = m.wire(`${name}_diff`, a.sub(b));
  const neg = diff.bit(w);
  const low = diff.slice(w - 1, 0);
  const flipped = low.xor(repeat(neg, w));
  // (low ^ {W{neg}}) + neg = −d mod 2^W when negative, d when not; the carry out is dropped.
  return m.wire(`${name}_mag`, flipped.add(neg).trunc(w));
}

export function commonAbsDiff(p: Params<typeof absDiffParams>, name = p.top) {
  const t = p.signed ? sint(p.width) : uint(p.width);
  return module(
    name,
    (m) => {
      const inp = m.inStream('in', { a: t, b: t });
      const out = m.outStream('out', { d: uint(p.width) });
      const d = absDiff(m, 'ad', inp.data.a, inp.data.b);
      if (!p.registered) {
        m.assign(out.valid, inp.valid);
        m.assign(inp.ready, out.ready);
        m.assign(out.data.d, d);
        return;
      }
      const pipe = stallPipeline(m, '', inp.valid, out.ready, 1);
      m.assign(inp.ready, pipe.inReady);
      m.assign(out.valid, pipe.outValid);
      m.assign(out.data.d, pipeRegs(m, 'd_q', [d], pipe.advance)[0]);
    },
    {
      doc: [
        `Absolute difference: |a - b| of two ${p.signed ? 's' : 'u'}${p.width} operands -> u${p.width} (exact).`,
        p.registered
          ? 'Latency 1 cycle: a stall pipeline register (in_ready = !out_valid || out_ready); one beat per cycle.'
          : 'Combinational: out_valid = in_valid, in_ready = out_ready.',
      ].join('\n'),
      params: { width: p.width, signed: p.signed, registered: p.registered },
    },
  );
}

export const absDiffDesign = defineDesign({
  name: 'common.abs_diff',
  description: 'Absolute difference |a - b| (valid/ready), exact, W-bit unsigned result',
  params: absDiffParams,
  check() {
    // No rules across parameters: every width, signedness and registering in range is valid.
  },
  build: (p) => commonAbsDiff(p),
});
