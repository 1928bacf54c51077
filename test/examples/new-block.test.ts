// docs/new-block.md stays true: its worked example (examples/saturating_accumulator/, an
// out-of-tree plugin) loads through the plugin loader, builds, lints clean in Verilator, Icarus
// and Yosys at every configuration its cases use, and cosimulates every case with random stalls
// golden-exact and cycle-exact; a wrong golden or cycle model fails; the CLI takes the plugin
// (--plugin and $DCGEN_PLUGINS) and refuses a bad one with one error line; the design's rule is
// a user error through the CLI; and every file the guide names exists, every snippet the guide
// takes from a file is in that file, line for line.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesignRegistrationError, findDesign, registerDesign } from '../../generator/designs/index.ts';
import { loadPlugin } from '../../cli/plugins.ts';
import { ParamRuleError } from '../../generator/params/schema.ts';
import { type CosimCase, caseParams, runCase } from '../../sim/cases/case.ts';
import { CaseRegistrationError, allCases, registerCases } from '../../sim/cases/index.ts';
import { satAccDesign } from '../../examples/saturating_accumulator/block.ts';
import { satAccCases } from '../../examples/saturating_accumulator/cases.ts';
import { satAccCycles } from '../../examples/saturating_accumulator/cycles.ts';
import { satAccPackets } from '../../examples/saturating_accumulator/golden.ts';
import { cosimCaseTests, designWorkspace, lintMatrixTests } from '../support/blocks.ts';
import { REPO, dcgen, expectUserError, tempRoot } from '../support/cli.ts';

const T = 300_000;
const PLUGIN = 'examples/saturating_accumulator/index.ts';
const GUIDE = path.join(REPO, 'docs/new-block.md');

// The same loader the CLI uses for --plugin (registers the design and its cases).
await loadPlugin(path.join(REPO, PLUGIN));

describe('the plugin registers the example', () => {
  it('design and cases are in the registry, each case at a valid parameter point', async () => {
    expect(findDesign('example.sat_acc')).toBe(satAccDesign);
    const mine = (await allCases()).filter((c) => c.design === 'example.sat_acc');
    expect(mine.map((c) => c.name)).toEqual(satAccCases.map((c) => c.name));
    for (const c of mine) expect(() => caseParams(c)).not.toThrow();
  });

  it('loading it again is a no-op; its check rule refuses accBits < width', async () => {
    await loadPlugin(path.join(REPO, PLUGIN));
    expect(() => satAccDesign.check!({ top: 't', width: 16, accBits: 8, signed: true })).toThrow(ParamRuleError);
    expect(() => findDesign('example.sat_acc')!.resolve({ width: 16, accBits: 8 })).toThrow(ParamRuleError);
  });

  it('registration refuses a malformed or taken design name and cases that do not fit', async () => {
    const c = satAccCases[0]!;
    expect(() => registerDesign({ ...satAccDesign, name: 'example/../x' })).toThrow(DesignRegistrationError);
    expect(() => registerDesign(satAccDesign)).toThrow(/design 'example\.sat_acc' is already registered/);
    await expect(registerCases([{ ...c, name: 'no.such.design.x', design: 'no.such.design' }])).rejects.toThrow(/design 'no\.such\.design' is not registered/);
    await expect(registerCases([{ ...c, name: 'common.fifo.mine' }])).rejects.toThrow(/expected 'example\.sat_acc\.<case>'/);
    await expect(registerCases([c])).rejects.toThrow(CaseRegistrationError);
    expect((await allCases()).filter((x) => x.design === 'example.sat_acc')).toHaveLength(satAccCases.length);
  });

  it('the golden model clamps at every step, in order', () => {
    const p = { width: 8, accBits: 8, signed: true };
    const xs = [127n, 127n, -1n, -128n, -128n, 5n];
    expect(satAccPackets(p, xs.map((x, i) => ({ x, last: i === 2 || i === 5 })))).toEqual([
      { sum: 126n, sat: true }, // 127 + 127 clamps to 127, then - 1
      { sum: -123n, sat: true }, // -128 - 128 clamps to -128, then + 5
    ]);
  });
});

describe('example.sat_acc lints clean (Verilator, Icarus, Yosys)', () => {
  const ws = designWorkspace('example.sat_acc');
  const points = [...new Map(satAccCases.map((c) => [JSON.stringify(c.params ?? {}), c.params ?? {}])).values()];
  lintMatrixTests(ws, points.map((p) => [p]), T);
});

describe('example.sat_acc cosim: every case, random stalls, golden- and cycle-exact', () => {
  cosimCaseTests(satAccCases, T);

  it('nostall: a sample every cycle, each result one cycle after its packet', async () => {
    const c = satAccCases.find((x) => x.name === 'example.sat_acc.nostall')!;
    const r = await runCase(c, { seeds: [1] });
    expect(r.ok, r.message).toBe(true);
    const s = r.seeds[0]!;
    const lastIdx = c.stimulus(1).streams!.in!.flatMap((b, i) => (BigInt(b.last!) === 1n ? [i] : []));
    expect(s.accepted.in).toEqual(s.accepted.in!.map((_, i) => i));
    expect(s.transactions.out!.map((t) => t.cycle)).toEqual(lastIdx.map((i) => i + 1));
  }, T);

  it('a wrong golden model (wrapping instead of clamping) fails on the first clamped packet', async () => {
    const c = satAccCases.find((x) => x.name === 'example.sat_acc.default')!;
    const wrong: CosimCase = {
      ...c,
      golden: (s) => {
        let acc = 0n;
        const out: { sum: bigint; sat: bigint }[] = [];
        for (const b of s.streams!.in!) {
          acc = BigInt.asIntN(12, acc + BigInt(b.x!));
          if (BigInt(b.last!) === 1n) {
            out.push({ sum: acc, sat: 0n });
            acc = 0n;
          }
        }
        return { streams: { out } };
      },
    };
    const r = await runCase(wrong, { seeds: [1], waveform: false });
    expect(r.ok).toBe(false);
    expect(r.seeds[0]!.mismatch).toMatchObject({ stream: 'out', kind: 'value' });
  }, T);

  it('a wrong cycle model (latency 2) fails on timing, naming the stream and transaction', async () => {
    const c = satAccCases.find((x) => x.name === 'example.sat_acc.default')!;
    const wrong: CosimCase = {
      ...c,
      cycles: (s, idle, stall) => {
        const e = c.cycles!(s, idle, stall);
        return { ...e, emitted: { out: e.emitted.out!.map((cy) => cy + 1) } };
      },
    };
    const r = await runCase(wrong, { seeds: [1] });
    expect(r.ok).toBe(false);
    expect(r.message).toContain('the timing does not match the cycle model');
    expect(r.message).toMatch(/output 'out' transaction 0: model cycle \d+, RTL \d+/);
  }, T);

  it('the cycle model holds a last sample while the output is full and stalled', () => {
    // packets [x, last] [last]; out stalled in cycles 2..4: the second last waits until cycle 4
    const r = satAccCycles([false, true, true], () => false, (c) => c >= 2 && c <= 4);
    expect(r).toEqual({ accepted: { in: [0, 1, 5] }, emitted: { out: [5, 6] }, cycles: 7 });
  });
});

describe('the CLI takes the plugin', () => {
  const root = tempRoot('dcgen-new-block-');
  const plugin = path.join(REPO, PLUGIN);

  it('list --plugin and $DCGEN_PLUGINS show the design; regress runs a case', async () => {
    const [list, env, regress] = await Promise.all([
      dcgen(['list', '--plugin', plugin], { cwd: root }),
      dcgen(['list', '--json'], { cwd: root, env: { DCGEN_PLUGINS: plugin } }),
      dcgen(['regress', '--plugin', plugin, '--filter', 'example.sat_acc.nostall', '--seeds', '1'], { cwd: root, env: { CI: 'true' } }),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^example\.sat_acc {2}Saturating packet accumulator/m);
    expect(env.code, env.stderr).toBe(0);
    expect((JSON.parse(env.stdout) as { name: string }[]).map((d) => d.name)).toContain('example.sat_acc');
    expect(regress.code, regress.stdout + regress.stderr).toBe(0);
    expect(regress.stdout).toContain('all 1 case passed');
  }, T);

  it('refuses a bad plugin or parameter point with exit 2 and one error line', async () => {
    const root = tempRoot('dcgen-new-block-bad-');
    writeFileSync(path.join(root, 'not-a-plugin.mjs'), 'export default 42;\n');
    writeFileSync(path.join(root, 'taken.mjs'), "export default { designs: [{ name: 'common.fifo', description: '', params: {}, build() {} }] };\n");
    writeFileSync(path.join(root, 'throws.mjs'), "throw new Error('boom');\n");
    const runs = await Promise.all([
      dcgen(['list', '--plugin', 'missing.ts'], { cwd: root }),
      dcgen(['list', '--plugin', 'not-a-plugin.mjs'], { cwd: root }),
      dcgen(['list', '--plugin', 'taken.mjs'], { cwd: root }),
      dcgen(['list', '--plugin', 'throws.mjs'], { cwd: root }),
      dcgen(['generate', 'example.sat_acc', '--plugin', plugin, '--set', 'width=16', '--set', 'accBits=8'], { cwd: root }),
      dcgen(['generate', 'example.sat_acc'], { cwd: root }),
    ]);
    expectUserError(runs[0]!, /^error: plugin 'missing\.ts': file not found$/);
    expectUserError(runs[1]!, /plugin 'not-a-plugin\.mjs': expected a default export `definePlugin/);
    expectUserError(runs[2]!, /plugin 'taken\.mjs': design 'common\.fifo' is already registered/);
    expectUserError(runs[3]!, /plugin 'throws\.mjs': cannot load the module: boom/);
    // the plugin's own ParamRuleError is dcgen's: a user error, not a crash
    expectUserError(runs[4]!, /design 'example\.sat_acc', parameter 'accBits' = 8: expected at least width = 16 bits/);
    expectUserError(runs[5]!, /unknown design 'example\.sat_acc'/);
    expect(existsSync(path.join(root, 'rtl-out'))).toBe(false);
  }, T);
});

describe('docs/new-block.md', () => {
  const guide = readFileSync(GUIDE, 'utf8');

  it('every file it names exists', () => {
    const named = [...new Set([...guide.matchAll(/\b((?:examples|docs|generator|sim|test|templates|scripts|bin)\/[\w./-]*\w)/g)].map((m) => m[1]!))];
    expect(named.filter((f) => f.startsWith('examples/')).length).toBeGreaterThan(4);
    // a path with a placeholder (<name>) or a glob is not a file
    const missing = named.filter((f) => !/[<*]/.test(f) && !existsSync(path.join(REPO, f)));
    expect(missing).toEqual([]);
  });

  it('every snippet headed `// <file>` is in that file, line for line (`// ...` skips lines)', () => {
    const blocks = [...guide.matchAll(/```ts\n(\/\/ (\S+\.ts)\n[\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const [, body, file] of blocks) {
      const src = readFileSync(path.join(REPO, file!), 'utf8').split('\n').map((l) => l.trimEnd());
      let at = 0;
      for (const line of body!.split('\n').slice(1).map((l) => l.trimEnd())) {
        if (line === '' || line.trim() === '// ...') continue;
        const k = src.indexOf(line, at);
        expect(k, `${file}: snippet line not found (in order): ${line}`).toBeGreaterThanOrEqual(0);
        at = k + 1;
      }
    }
  });

  it('the README points at it', () => {
    expect(readFileSync(path.join(REPO, 'README.md'), 'utf8').includes('docs/new-block.md')).toBe(true);
  });
});
