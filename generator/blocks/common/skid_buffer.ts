// Two-entry skid buffer (a fully registered pipeline stage for a valid/ready stream):
//
//   * out_valid is a register (the main entry's valid) and in_ready is a register (the skid
//     entry is empty), so there is no combinational path from in_valid to out_valid nor from
//     out_ready to in_ready: it cuts both the forward and the backward timing paths.
//   * Latency 1 cycle; one beat per cycle at full rate. When the output stalls, the beat that
//     was in flight (in_ready was already high) lands in the skid entry and in_ready drops the
//     next cycle; when the output drains, the skid entry moves into the main entry first, so
//     order is kept and nothing is lost or duplicated.
//   * Data registers have no reset; the two valid flags do.
import { type Expr, type ModuleBuilder, bit, module, mux, uint } from '../../dsl/index.ts';
import { ident, int, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';

export const skidBufferParams = {
  top: ident({ default: 'common_skid_buffer', doc: 'name of the generated top module' }),
  width: int({ default: 32, min: 1, max: 512, doc: 'data width in bits' }),
};

export interface SkidBufferPorts {
  inReady: Expr;
  outValid: Expr;
  outData: Expr;
}

/**
 * A skid buffer inside module `m` (names start with `name`) between an input stream
 * (`inValid`, `inData` of any type) and the output's `outReady`; see the file header.
 */
export function skidBuffer(m: ModuleBuilder, name: string, inValid: Expr, inData: Expr, outReady: Expr): SkidBufferPorts {
  const mainValid = m.reg(`${name}_main_valid`, bit(), { reset: 0 });
  const mainData = m.reg(`${name}_main_data`, inData.type);
  const skidEmpty = m.reg(`${name}_skid_empty`, bit(), { reset: 1 });
  const skidData = m.reg(`${name}_skid_data`, inData.type);
  // The main entry loads whenever it is empty or being read.
  const load = m.wire(`${name}_load`, mainValid.not().or(outReady));
  m.sync(() =>
    m.when(load, () => {
      mainValid.set(skidEmpty.not().or(inValid));
      mainData.set(mux(skidEmpty, inData, skidData));
    }),
  );
  // The skid entry catches the input whenever it is empty (kept only when the main one stalls).
  m.sync(() => m.when(skidEmpty, () => skidData.set(inData)));
  m.sync(() => skidEmpty.set(load.or(skidEmpty.and(inValid.not()))));
  return { inReady: skidEmpty, outValid: mainValid, outData: mainData };
}

export function commonSkidBuffer(p: Params<typeof skidBufferParams>, name = p.top) {
  const t = uint(p.width);
  return module(
    name,
    (m) => {
      const inp = m.inStream('in', { data: t });
      const out = m.outStream('out', { data: t });
      const s = skidBuffer(m, 'sb', inp.valid, inp.data.data, out.ready);
      m.assign(inp.ready, s.inReady);
      m.assign(out.valid, s.outValid);
      m.assign(out.data.data, s.outData);
    },
    {
      doc: [
        `Skid buffer: 2 entries x u${p.width}, latency 1 cycle, one beat per cycle.`,
        'out_valid and in_ready are registers: no combinational path in_valid -> out_valid or out_ready -> in_ready.',
      ].join('\n'),
      params: { width: p.width },
    },
  );
}

export const skidBufferDesign = defineDesign({
  name: 'common.skid_buffer',
  description: 'Two-entry skid buffer (valid/ready), registered valid and ready',
  params: skidBufferParams,
  check() {
    // No rules across parameters: every width in range is valid.
  },
  build: (p) => commonSkidBuffer(p),
});
