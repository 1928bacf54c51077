// The module the bindings tests share for the corner cases: plain (non-stream) ports, one of
// them 70 bits wide, snake_case stream names.
import { module, sint, uint } from '../../generator/dsl/index.ts';

export function plainBindingsModule() {
  return module('bind_plain', (m) => {
    const a = m.input('a', uint(70));
    const k = m.input('k', sint(5));
    const inp = m.inStream('pix_in', { v: uint(4) });
    const out = m.outStream('pix_out', { w: uint(5) });
    m.assign(out.valid, inp.valid);
    m.assign(inp.ready, out.ready);
    m.assign(out.data.w, inp.data.v.add(1));
    m.output('y', a.add(k.asUnsigned().zext(70)));
  });
}
