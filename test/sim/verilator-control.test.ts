// The Verilator control file of a harness build (sim/verilator/build.ts `verilatorControl`):
// modules instanced more than once are kept modules with their inputs public, so Verilator
// emits their code once; a design without repeated modules gets none (its cache key is
// unchanged). The library rule (sim/verilator/libraries.ts): a leaf instanced >= 128 times, a
// repeated non-leaf module whose instances x leaf instances reach it (ditto.compute's row at
// 64 x 64, nothing at its defaults), never one with >= 128 instances of a module inside (its
// children then), nothing for trace builds; a library's build gets its own control file. No
// Verilator run here: the instance counts are read from the generated text (test/sim/
// verilator-library.test.ts builds and cosimulates a row library).
import { describe, expect, it } from 'vitest';
import { type HwModule, bit, module, uint } from '../../generator/dsl/index.ts';
import { emitDesign } from '../../generator/emit/design.ts';
import { dittoComputeDesign } from '../../generator/blocks/ditto/compute.ts';
import { LIB_INSIDE_MAX, LIB_MIN_INSTANCES, buildPlan, libraryModules, repeatedModules, verilatorControl } from '../../sim/verilator/build.ts';

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

/** top → `copies` instances of a middle module holding `leaves` instances of ctl_leaf each. */
function nested(copies: number, leaves: number): HwModule {
  const mid = module(`ctl_mid${leaves}`, (m) => {
    const a = m.input('a', uint(4));
    const en = m.input('en', bit());
    let acc: ReturnType<typeof m.input> = a;
    for (let i = 0; i < leaves; i++) acc = m.instance(leaf, `l${i}`, { a: acc, en }).y;
    m.assign(m.output('y', uint(4)), acc);
  });
  return module(`ctl_nest${copies}x${leaves}`, (m) => {
    const a = m.input('a', uint(4));
    const en = m.input('en', bit());
    let acc: ReturnType<typeof m.input> = a;
    for (let i = 0; i < copies; i++) acc = m.instance(mid, `r${i}`, { a: acc, en }).y;
    m.assign(m.output('y', uint(4)), acc);
  });
}

function computeDesign(params: Record<string, unknown>) {
  const p = dittoComputeDesign.resolve(params);
  const { manifest, files } = emitDesign(dittoComputeDesign.build(p), { design: 'ditto.compute', params: p as Record<string, number | string> });
  const names = files.get(manifest.filelist)!.trim().split('\n');
  return { manifest, sources: names.map((name) => ({ name, path: name, text: files.get(name)! })) };
}

describe('Verilator libraries', () => {
  it('a leaf instanced LIB_MIN_INSTANCES times is a library; one fewer is not', () => {
    expect(libraryModules(simDesign(top(LIB_MIN_INSTANCES)))).toEqual(['ctl_leaf']);
    expect(libraryModules(simDesign(top(LIB_MIN_INSTANCES - 1)))).toEqual([]);
  });

  it('a repeated non-leaf module with instances x leaves >= LIB_MIN_INSTANCES is one library, with its own control file', () => {
    const d = simDesign(nested(LIB_MIN_INSTANCES / 2, 2));
    const plan = buildPlan(d);
    expect(plan.libraries.map((l) => l.top)).toEqual(['ctl_mid2']);
    // the library verilates the middle module and its leaf, the leaf un-inlined with public inputs
    expect(plan.libraries[0].files).toEqual(['ctl_leaf.v', 'ctl_mid2.v']);
    expect(plan.libraries[0].control).toContain('no_inline -module "ctl_leaf"\npublic -module "ctl_leaf" -var "a"');
    // the main build sees the top and the wrapper alone: no_inline, no public inputs
    expect(plan.main.files).toEqual([`ctl_nest${LIB_MIN_INSTANCES / 2}x2.v`]);
    expect(plan.main.libraries).toEqual(['ctl_mid2']);
    expect(verilatorControl(d)).toBe(['`verilator_config', '// dcgen: modules instanced more than once are compiled once (sim/verilator/build.ts)', 'no_inline -module "ctl_mid2"', ''].join('\n'));
    // trace builds: no library, every repeated module kept with public inputs
    expect(libraryModules(d, true)).toEqual([]);
    expect(repeatedModules(d, true)).toEqual(['ctl_leaf', 'ctl_mid2']);
    expect(verilatorControl(d, true)).toContain('public -module "ctl_leaf" -var "en"');
    // below the threshold: nothing
    expect(libraryModules(simDesign(nested(LIB_MIN_INSTANCES / 2 - 1, 2)))).toEqual([]);
  });

  it('not a module with LIB_INSIDE_MAX instances of a module inside: its children are built as libraries instead', () => {
    const d = simDesign(nested(2, LIB_INSIDE_MAX));
    expect(libraryModules(d)).toEqual(['ctl_leaf']);
    const plan = buildPlan(d);
    expect(plan.main.files).toEqual([`ctl_mid${LIB_INSIDE_MAX}.v`, `ctl_nest2x${LIB_INSIDE_MAX}.v`]);
    expect(plan.main.repeated).toEqual(['ctl_leaf', `ctl_mid${LIB_INSIDE_MAX}`]);
  });

  it('ditto.compute: the row module at 64 x 64 (64 rows of 64 PEs and 4 weight copies), nothing at the defaults', () => {
    const big = computeDesign({ rows: 64, cols: 64 });
    const plan = buildPlan(big);
    expect(plan.libraries.map((l) => l.top)).toEqual(['ditto_compute_row']);
    expect(plan.libraries[0].files).toEqual(['dcgen_mem_256x512_1r1w_r1.v', 'ditto_compute_pe.v', 'ditto_compute_row.v']);
    expect(plan.libraries[0].repeated).toEqual(['dcgen_mem_256x512_1r1w_r1', 'ditto_compute_pe']);
    expect(plan.main.files).toEqual(['ditto_compute.v']);
    expect(plan.main.repeated).toEqual(['ditto_compute_row']);
    const small = computeDesign({});
    expect(libraryModules(small)).toEqual([]);
    expect(repeatedModules(small)).toEqual(['dcgen_mem_256x32_1r1w_r1', 'ditto_compute_pe', 'ditto_compute_row']);
  }, 60_000);
});
