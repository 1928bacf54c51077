// The bindings printer (generator/emit/bindings.ts) writes `<top>.ports.ts` directly; until the
// paper-scale arrays it went through ts-morph (structure printers + formatText), which re-parsed
// the growing file after every statement. The direct text must be the same bytes as the
// ts-morph text (test/emit/bindings-tsmorph.ts, the old printer kept as an oracle) for designs
// and corner cases (quotes in parameters, plain ports, a module without streams or clock).
import { describe, expect, it } from 'vitest';
import { findDesign } from '../../generator/designs/index.ts';
import { module, uint } from '../../generator/dsl/index.ts';
import { bindingsFor } from '../../generator/emit/bindings.ts';
import { plainBindingsModule } from '../support/bindings-plain.ts';
import { type Manifest, type ParamValue, emitDesign } from '../../generator/emit/design.ts';
import { bindingsForTsMorph } from './bindings-tsmorph.ts';

function manifestOf(design: string, overrides: Record<string, unknown>): Manifest {
  const d = findDesign(design);
  if (!d) throw new Error(`no design ${design}`);
  const p = d.resolve(overrides);
  return emitDesign(d.build(p), { design: d.name, params: p as Record<string, ParamValue> }).manifest;
}

describe('bindings printer', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['common.adder_tree', {}],
    ['common.adder_tree', { n: 1 }],
    ['common.fifo', {}],
    ['common.sram', {}],
    ['ditto.compute', {}],
    ['ditto.compute', { rows: 3, cols: 5 }],
    ['cmc.search', {}],
  ];
  for (const [design, ov] of cases) {
    it(`${design} ${JSON.stringify(ov)}: the same text as ts-morph's`, { timeout: 60_000 }, () => {
      const m = manifestOf(design, ov);
      expect(bindingsFor(m)).toEqual(bindingsForTsMorph(m));
    });
  }

  it('corner cases: plain ports, a quote in a parameter, a module without streams or clock', { timeout: 60_000 }, () => {
    const top = plainBindingsModule();
    const plain = emitDesign(top, { design: 'test.bindings', params: { mode: "it's", multi: 'a\nb' } }).manifest;
    expect(bindingsFor(plain)).toEqual(bindingsForTsMorph(plain));
    const comb = module('bind_comb', (m) => m.output('y', m.input('a', uint(3)).not()));
    const c = emitDesign(comb, { design: 'test.bindings', params: {} }).manifest;
    expect(bindingsFor(c)).toEqual(bindingsForTsMorph(c));
  });
});
