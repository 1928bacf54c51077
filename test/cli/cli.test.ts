// The dcgen command line, run as users run it: `node bin/dcgen.mjs ...` in a child process,
// with a temporary folder as the current folder (so the default rtl-out/<design> lands there).
// Spawning tsx costs ~0.5 s, so independent runs go in parallel within a test.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, type Run, dcgen, expectUserError, snapshot, tempRoot } from '../support/cli.ts';

const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const T = 60_000;

const root = tempRoot('dcgen-cli-');

/** dcgen in `cwd` (the test's temporary root unless given). */
function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return dcgen(args, { cwd: opts.cwd ?? root, env: opts.env });
}

/** A fresh folder under the test's temporary root. */
function fresh(name: string): string {
  const d = path.join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe('usage', () => {
  it('prints usage for --help and every command --help; refuses unknown commands and options', async () => {
    const [top, list, gen, lint, start, cmd, opt, none] = await Promise.all([
      run(['--help']),
      run(['list', '--help']),
      run(['generate', '--help']),
      run(['lint', '-h']),
      run(['start', '--help']),
      run(['frobnicate']),
      run(['list', '--bogus']),
      run([]),
    ]);
    for (const r of [top, list, gen, lint, start]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: dcgen/m);
    }
    for (const c of ['list', 'generate', 'lint', 'start']) expect(top.stdout).toContain(`dcgen ${c}`);
    expect(gen.stdout).toContain('--set <name=value>');
    expect(gen.stdout).toContain('--src-comments');
    expectUserError(cmd, /unknown command 'frobnicate'/, /list, generate, lint, start/);
    expectUserError(opt, /unknown option '--bogus'/);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: dcgen/m);
  }, T);
});

describe('list', () => {
  it('--json lists every design with typed parameters and ranges, including common.adder_tree', async () => {
    const [json, text] = await Promise.all([run(['list', '--json']), run(['list'])]);
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as { name: string; description: string; params: Record<string, unknown>[] }[];
    for (const d of list) {
      expect(typeof d.description).toBe('string');
      for (const p of d.params) {
        expect(typeof p.doc).toBe('string');
        if (p.kind === 'int') expect(p).toMatchObject({ min: expect.any(Number), max: expect.any(Number) });
        if (p.kind === 'enum') expect(Array.isArray(p.values)).toBe(true);
      }
      expect(text.stdout).toContain(d.name);
    }
    const tree = list.find((d) => d.name === 'common.adder_tree');
    expect(tree).toBeDefined();
    expect(tree!.params).toEqual([
      { name: 'top', kind: 'ident', default: 'common_adder_tree', doc: expect.any(String) },
      { name: 'n', kind: 'int', default: 8, min: 1, max: 256, doc: 'number of inputs' },
      { name: 'width', kind: 'int', default: 8, min: 1, max: 64, doc: expect.any(String) },
      { name: 'signed', kind: 'bool', default: true, doc: expect.any(String) },
      { name: 'stages', kind: 'int', default: 1, min: 0, max: 9, doc: expect.any(String) },
    ]);
    expect(text.stdout).toMatch(/^\s+n\s+= 8\s+integer 1\.\.256\s+number of inputs$/m);
  }, T);
});

describe('generate', () => {
  it('writes <top>.v, <top>.f and manifest.json into ./rtl-out/<design> at defaults', async () => {
    const cwd = fresh('defaults');
    const r = await run(['generate', 'common.adder_tree'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = path.join(cwd, 'rtl-out/common.adder_tree');
    expect(readdirSync(out).sort()).toEqual(['build.tcl', 'common_adder_tree.core', 'common_adder_tree.f', 'common_adder_tree.mems.json', 'common_adder_tree.ports.ts', 'common_adder_tree.sdc', 'common_adder_tree.v', 'config.json', 'manifest.json', 'synth.ys']);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { configHash: string; top: string; params: Record<string, unknown> };
    expect(manifest).toMatchObject({ top: 'common_adder_tree', params: { n: 8, width: 8, signed: true, stages: 1 } });
    expect(manifest.configHash).toMatch(/^[0-9a-f]{16}$/);
    const v = readFileSync(path.join(out, 'common_adder_tree.v'), 'utf8');
    const header = v.split('\n').slice(0, 3).join('\n');
    expect(header).toContain(`dcgen ${VERSION}`);
    expect(header).toContain(manifest.configHash);
    expect(v).toMatch(/^module common_adder_tree \(/m);
    expect(v).not.toContain('// dsl:');
    expect(readFileSync(path.join(out, 'common_adder_tree.f'), 'utf8')).toBe('common_adder_tree.v\n');
    // One line per file with its size, then the config hash.
    for (const f of readdirSync(out)) {
      const size = statSync(path.join(out, f)).size;
      expect(r.stdout).toMatch(new RegExp(`^wrote rtl-out/common\\.adder_tree/${f.replace(/\./g, '\\.')}\\s+${size} bytes$`, 'm'));
    }
    expect(r.stdout).toContain(`config hash ${manifest.configHash}`);
  }, T);

  it('is deterministic: same config, any --set order or config file, gives byte-identical files; --src-comments adds // dsl: comments', async () => {
    const cwd = fresh('determinism');
    writeFileSync(path.join(cwd, 'cfg.json'), JSON.stringify({ n: 5, width: 12 }));
    writeFileSync(path.join(cwd, 'cfg.ts'), 'const cfg: Record<string, number> = { n: 5, width: 12 };\nexport default cfg;\n');
    writeFileSync(path.join(cwd, 'base.json'), JSON.stringify({ n: 5, width: 3, stages: 1 }));
    const g = (out: string, ...args: string[]) => run(['generate', 'common.adder_tree', '--out', out, ...args], { cwd });
    const runs = await Promise.all([
      g('a', '--set', 'n=5', '--set', 'width=12'),
      g('b', '--set', 'width=12', '--set', 'n=5'),
      g('c', '--config', 'cfg.json'),
      g('d', '--config', 'cfg.ts'),
      g('e', '--config', 'base.json', '--set', 'width=12'), // --set overrides the config file
      g('f', '--set', 'n=5', '--set', 'width=12', '--src-comments'),
      g('g'),
    ]);
    for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const a = snapshot(path.join(cwd, 'a'));
    for (const d of ['b', 'c', 'd', 'e']) expect(snapshot(path.join(cwd, d)), d).toEqual(a);
    const hash = (d: string) => (JSON.parse(readFileSync(path.join(cwd, d, 'manifest.json'), 'utf8')) as { configHash: string }).configHash;
    expect(hash('g')).not.toBe(hash('a'));
    const fv = readFileSync(path.join(cwd, 'f/common_adder_tree.v'), 'utf8');
    expect(fv).toMatch(/\/\/ dsl: generator\/blocks\/common\/adder_tree\.ts:\d+/);
    expect(a['common_adder_tree.v']).not.toContain('// dsl:');
  }, T);

  it('refuses bad input with exit 2, one error line naming the problem, no stack, and writes nothing', async () => {
    interface Case {
      name: string;
      args: string[];
      expect: RegExp[];
      setup?: (dir: string) => void;
      /** Leave out `--out out` (the default ./rtl-out/<design> must stay unwritten too). */
      defaultOut?: boolean;
    }
    const G = ['generate', 'common.adder_tree'];
    const cases: Case[] = [
      { name: 'unknown design', args: ['generate', 'no.such_design'], defaultOut: true, expect: [/unknown design 'no\.such_design'/, /known designs: .*common\.adder_tree/] },
      { name: 'set without =', args: [...G, '--set', 'n'], expect: [/--set 'n'/, /name=value/] },
      { name: 'out of range, default out', args: [...G, '--set', 'n=0'], defaultOut: true, expect: [/parameter 'n'/, /from 1 to 256/, /found 0/] },
      { name: 'unknown parameter', args: [...G, '--set', 'depth=4'], expect: [/unknown parameter 'depth'/, /top, n, width, signed, stages/] },
      { name: 'non-integer', args: [...G, '--set', 'n=eight'], expect: [/parameter 'n'/, /integer/, /"eight"/] },
      { name: 'fractional', args: [...G, '--set', 'width=1.5'], expect: [/parameter 'width'/, /integer/, /"1\.5"/] },
      { name: 'out of range', args: [...G, '--set', 'n=300'], expect: [/parameter 'n'/, /from 1 to 256/, /300/] },
      { name: 'ident digit', args: [...G, '--set', 'top=1bad'], expect: [/parameter 'top'/, /Verilog identifier/, /"1bad"/] },
      { name: 'ident keyword', args: [...G, '--set', 'top=module'], expect: [/parameter 'top'/, /keyword/, /"module"/] },
      { name: 'ident injection', args: [...G, '--set', 'top=a;b'], expect: [/parameter 'top'/, /Verilog identifier/, /"a;b"/] },
      { name: 'cross-parameter rule', args: [...G, '--set', 'n=4', '--set', 'stages=9'], expect: [/parameter 'stages' = 9/, /at most/, /n = 4/] },
      {
        name: 'out under a file',
        args: [...G, '--out', 'file.txt/out'],
        setup: (d) => writeFileSync(path.join(d, 'file.txt'), 'not a folder\n'),
        expect: [/--out 'file\.txt\/out'/, /file\.txt' is a file/],
      },
      {
        name: 'out not written by dcgen',
        args: [...G, '--out', 'mine'],
        setup: (d) => {
          mkdirSync(path.join(d, 'mine'));
          writeFileSync(path.join(d, 'mine/notes.txt'), 'keep me\n');
        },
        expect: [/--out 'mine'/, /will not replace/],
      },
      { name: 'config missing', args: [...G, '--config', 'nope.json'], expect: [/--config 'nope\.json'/, /not found/] },
      {
        name: 'config bad JSON',
        args: [...G, '--config', 'bad.json'],
        setup: (d) => writeFileSync(path.join(d, 'bad.json'), '{"n": 4,'),
        expect: [/--config 'bad\.json'/, /JSON/],
      },
      {
        name: 'config not an object',
        args: [...G, '--config', 'list.json'],
        setup: (d) => writeFileSync(path.join(d, 'list.json'), '[4]'),
        expect: [/--config 'list\.json'/, /object/, /array/],
      },
      {
        name: 'config extension',
        args: [...G, '--config', 'cfg.yaml'],
        setup: (d) => writeFileSync(path.join(d, 'cfg.yaml'), 'n: 4\n'),
        expect: [/--config 'cfg\.yaml'/, /\.json/, /\.ts/],
      },
      { name: 'unknown option', args: [...G, '--outdir', 'x'], expect: [/unknown option '--outdir'/] },
      { name: 'missing option value', args: [...G, '--out'], expect: [/'--out'/, /needs a value/] },
    ];
    const dirs = cases.map((c, i) => {
      const d = fresh(`bad-${i}`);
      c.setup?.(d);
      return { d, before: snapshot(d) };
    });
    const runs = await Promise.all(cases.map((c, i) => run([...c.args, ...(c.defaultOut || c.args.includes('--out') ? [] : ['--out', 'out'])], { cwd: dirs[i].d })));
    for (const [i, c] of cases.entries()) {
      const r = runs[i];
      expect.soft(() => expectUserError(r, ...c.expect), `${c.name}: ${JSON.stringify(r)}`).not.toThrow();
      // Nothing written: the folder holds exactly what it held before (no out/, rtl-out/ or temp folder).
      expect.soft(snapshot(dirs[i].d), c.name).toEqual(dirs[i].before);
    }
  }, T);

  it('is atomic: a failing run leaves the previous output byte-identical; a good run replaces it', async () => {
    const cwd = fresh('atomic');
    const first = await run(['generate', 'common.adder_tree', '--out', 'out', '--set', 'n=6'], { cwd });
    expect(first.code).toBe(0);
    const before = snapshot(cwd);
    const bad = await Promise.all([
      run(['generate', 'common.adder_tree', '--out', 'out', '--set', 'n=999'], { cwd }),
      run(['generate', 'common.adder_tree', '--out', 'out', '--set', 'n=2', '--set', 'stages=5'], { cwd }),
      run(['generate', 'common.adder_tree', '--out', 'out', '--set', 'top=wire'], { cwd }),
    ]);
    for (const r of bad) expectUserError(r);
    expect(snapshot(cwd)).toEqual(before);
    const again = await run(['generate', 'common.adder_tree', '--out', 'out', '--set', 'n=7', '--set', 'top=tree7'], { cwd });
    expect(again.code).toBe(0);
    expect(readdirSync(cwd)).toEqual(['out']); // no temp or old folder left beside it
    expect(readdirSync(path.join(cwd, 'out')).sort()).toEqual(['build.tcl', 'config.json', 'manifest.json', 'synth.ys', 'tree7.core', 'tree7.f', 'tree7.mems.json', 'tree7.ports.ts', 'tree7.sdc', 'tree7.v']);
  }, T);
});

describe('lint', () => {
  it('lints a generated folder with verilator, iverilog and yosys; a design name is generated first; a missing tool is a user error', async () => {
    const cwd = fresh('lint');
    const g = await run(['generate', 'common.adder_tree', '--out', 'tree', '--set', 'n=3', '--set', 'stages=2'], { cwd });
    expect(g.code).toBe(0);
    const [dir, byName, noTools, notADesign] = await Promise.all([
      run(['lint', 'tree'], { cwd }),
      run(['lint', 'common.adder_tree'], { cwd }),
      run(['lint', 'tree'], { cwd, env: { PATH: path.join(cwd, 'no-such-bin') } }),
      run(['lint', 'no.such_design'], { cwd }),
    ]);
    for (const r of [dir, byName]) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      for (const tool of ['verilator', 'iverilog', 'yosys']) expect(r.stdout).toMatch(new RegExp(`^${tool}\\s+common_adder_tree\\s+ok$`, 'm'));
      expect(r.stdout).toMatch(/all 3 checks passed/);
    }
    expect(existsSync(path.join(cwd, 'rtl-out/common.adder_tree/manifest.json'))).toBe(true);
    expectUserError(noTools, /not found: install the Debian package/);
    expectUserError(notADesign, /unknown design 'no\.such_design'/, /common\.adder_tree/);
  }, T);

  it('exits 1 and prints the diagnostics when a check fails', async () => {
    const cwd = fresh('lint-fail');
    expect((await run(['generate', 'common.adder_tree', '--out', 'tree'], { cwd })).code).toBe(0);
    // A stray undeclared net: `default_nettype none makes every tool reject it.
    const v = path.join(cwd, 'tree/common_adder_tree.v');
    writeFileSync(v, readFileSync(v, 'utf8').replace(/^endmodule/m, '  assign stray_net = 1\'b0;\nendmodule'));
    const r = await run(['lint', 'tree'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^verilator\s+common_adder_tree\s+FAIL\s+%/m);
    expect(r.stdout).toMatch(/FAILED/);
  }, T);
});
