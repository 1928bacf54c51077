// The Verilator control file of a harness build (sim/verilator/build.ts `verilatorControl`):
// modules instanced more than once are kept modules with their inputs public, so Verilator
// emits their code once; a design without repeated modules gets none (its cache key is
// unchanged). No Verilator run here: the instance count is read from the generated text.
import { describe, expect, it } from 'vitest';
import { type HwModule, bit, module, uint } from '../../generator/dsl/index.ts';
import { emitDesign } from '../../generator/emit/design.ts';
import { repeatedModules, verilatorControl } from '../../sim/verilator/build.ts';

function simDesign(top: HwModule, srcComments = false) {
  const { manifest, files } = emitDesign(top, { design: 'test.control', params: {}, srcComments });
  const names = files.get(manifest.filelist)!.trim().split('\n');
  return { manifest, sources: names.map((name) => ({ name, path: name, text: files.get(name)! })) };
}

const leaf = module('ctl_leaf', (m) => {
  const a = m.input('a', uint(4));
  const en = m.input('en', bit());
  const q = m.reg('q', uint(4), { reset: 0 });
  m.sync(() => m.when(en, () => q.set(a)));
  m.assign(m.output('y', uint(4)), q);
});
const once = module('ctl_once', (m) => m.assign(m.output('y', uint(4)), m.input('a', uint(4)).not()));

function top(copies: number): HwModule {
  return module(`ctl_top${copies}`, (m) => {
    const a = m.input('a', uint(4));
    const en = m.input('en', bit());
    let acc = m.instance(once, 'o', { a }).y;
    for (let i = 0; i < copies; i++) acc = m.instance(leaf, `l${i}`, { a: acc, en }).y;
    m.assign(m.output('y', uint(4)), acc);
  });
}

describe('Verilator control file', () => {
  it('names the modules instanced more than once, with no_inline and their inputs public', () => {
    for (const src of [false, true]) {
      const d = simDesign(top(3), src);
      expect(repeatedModules(d)).toEqual(['ctl_leaf']);
      expect(verilatorControl(d)).toBe(
        ['`verilator_config', '// dcgen: modules instanced more than once are compiled once (sim/verilator/build.ts)', 'no_inline -module "ctl_leaf"', 'public -module "ctl_leaf" -var "a"', 'public -module "ctl_leaf" -var "en"', ''].join('\n'),
      );
    }
  });

  it('is empty when every module is instanced once', () => {
    const d = simDesign(top(1));
    expect(repeatedModules(d)).toEqual([]);
    expect(verilatorControl(d)).toBe('');
  });
});
