// `dcgen start` without tools: the smoke case of every design, and the order in which the
// steps run (every design generated first, then the lints, then the cosimulations, the tool
// steps from both ends of the design list). The real run is measured by hand (README).
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args.ts';
import { type DesignStep, runStart, smokeCase, startSpec } from '../../cli/start.ts';
import { designs } from '../../generator/designs/index.ts';
import type { CosimCase } from '../../sim/cases/case.ts';
import { allCases } from '../../sim/cases/index.ts';
import { PARAMS, capture, golden, stimulus } from '../support/adder_case.ts';

describe('smoke cases', () => {
  it('every design with cases has exactly one smoke case, not a full one', async () => {
    const cases = await allCases();
    for (const d of designs) {
      const mine = cases.filter((c) => c.design === d.name);
      const smoke = mine.filter((c) => c.smoke);
      if (mine.some((c) => !c.full)) expect(smoke.map((c) => c.name), d.name).toHaveLength(1);
      for (const c of smoke) expect(c.full ?? false, c.name).toBe(false);
    }
    // each smoke case is what smokeCase picks
    for (const c of cases.filter((x) => x.smoke)) expect(smokeCase(cases, c.design)).toBe(c);
  });

  it('without a mark: the case with the fewest beats and transactions in seed 1, never a full one', () => {
    const base: CosimCase = { name: 'common.adder_tree.a', design: 'common.adder_tree', params: PARAMS, stimulus, golden };
    const short: CosimCase = { ...base, name: 'common.adder_tree.short', stimulus: (seed) => ({ streams: { in: stimulus(seed).streams!.in!.slice(0, 5) } }) };
    const tiny: CosimCase = { ...base, name: 'common.adder_tree.tiny', full: true, stimulus: (seed) => ({ streams: { in: stimulus(seed).streams!.in!.slice(0, 1) } }) };
    expect(smokeCase([base, tiny, short], 'common.adder_tree')).toBe(short);
    expect(smokeCase([base, { ...base, name: 'common.adder_tree.b' }], 'common.adder_tree')).toBe(base);
    expect(smokeCase([tiny], 'common.adder_tree')).toBeUndefined();
    expect(smokeCase([base], 'common.fifo')).toBeUndefined();
  });
});

describe('dcgen start order', () => {
  function steps(log: string[], failGenerate?: string): DesignStep[] {
    const fake = (name: string, parallel: boolean, ms: number): DesignStep => ({
      name,
      columns: [name],
      parallel,
      async run(r) {
        log.push(`${name} ${r.design.name}`);
        await new Promise((res) => setTimeout(res, ms));
        r.cells[name] = 'ok';
        r.detail = `did ${name}`;
        return !(name === 'generate' && r.design.name === failGenerate);
      },
    });
    return [fake('generate', false, 0), fake('lint', true, 5), fake('cosim', true, 1)];
  }

  it('generates every design first, then lints (front and back of the list at once), then cosimulates', async () => {
    const log: string[] = [];
    const io = capture();
    const code = await runStart(parseArgs(startSpec, []), io, steps(log), { jobs: 2 });
    expect(code, io.text()).toBe(0);
    const names = designs.map((d) => d.name);
    const n = names.length;
    expect(log.slice(0, n)).toEqual(names.map((d) => `generate ${d}`));
    // the first two lints: the first design and the last (the big ones are registered last)
    expect(log.slice(n, n + 2)).toEqual([`lint ${names[0]}`, `lint ${names[n - 1]}`]);
    const lints = log.map((l, i) => (l.startsWith('lint ') ? i : -1)).filter((i) => i >= 0);
    const cosims = log.map((l, i) => (l.startsWith('cosim ') ? i : -1)).filter((i) => i >= 0);
    expect(lints).toHaveLength(n);
    expect(cosims).toHaveLength(n);
    expect(Math.min(...cosims)).toBeGreaterThan(Math.max(...lints));
    const out = io.text();
    // a progress line per step and design, with the time since the start and the step's time
    expect(out).toMatch(new RegExp(`^\\[ *\\d+\\.\\d s\\] generate +1/${n} +${names[0]!.replace(/\./g, '\\.')} +ok +did generate +\\(\\d+\\.\\d s\\)$`, 'm'));
    expect(out.split('\n').filter((l) => / (generate|lint|cosim) +\d+\/\d+ /.test(l))).toHaveLength(3 * n);
    expect(out).toMatch(/^design\s+generate\s+lint\s+cosim\s+time\s+result\s+files in$/m);
    expect(out).toMatch(new RegExp(`^all ${n} of ${n} designs passed in \\d+\\.\\d s$`, 'm'));
    // where the files are and what to run next
    expect(out).toContain('rtl-out/<design>/');
    for (const next of ['dcgen regress', 'dcgen synth <design>', 'dcgen eval ditto|cmc']) expect(out).toContain(`  ${next}`);
  });

  it("a failed step skips the design's later steps, the others go on; exit 1", async () => {
    const log: string[] = [];
    const io = capture();
    const victim = designs[1]!.name;
    const code = await runStart(parseArgs(startSpec, []), io, steps(log, victim), { jobs: 1 });
    expect(code).toBe(1);
    expect(log.filter((l) => l.endsWith(` ${victim}`))).toEqual([`generate ${victim}`]);
    expect(log.filter((l) => l.startsWith('cosim '))).toHaveLength(designs.length - 1);
    expect(io.text()).toMatch(new RegExp(`^${victim.replace(/\./g, '\\.')}\\s+ok\\s+-\\s+-\\s+\\d+\\.\\d s\\s+FAIL \\(generate\\)\\s+-$`, 'm'));
    expect(io.text()).toMatch(new RegExp(`^${designs.length - 1} of ${designs.length} designs passed \\(1 failed\\) in`, 'm'));
  });
});
