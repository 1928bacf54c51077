// Folder and file names with spaces and shell or Verilator metacharacters work in every
// command: generate, lint, synth (generic and iCE40), regress (Verilator and Icarus) and the
// cosimulation of a design folder, with the work folder's path just as odd. A filelist entry
// that is not a plain file name is one `error:` line with exit 2, in every reader of a design
// folder. The tools never see such a path: they run in their own folder on plain names.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DcgenError } from '../../generator/errors.ts';
import { type Stimulus, runCosim } from '../../sim/cosim/index.ts';
import { loadDesign } from '../../sim/cosim/design.ts';
import { DesignFolderError } from '../../generator/emit/manifest.ts';
import { runIcarus } from '../../sim/icarus/run.ts';
import { readDesign } from '../../eda/synth/design.ts';
import { lintDesign } from '../../eda/tools/lint.ts';
import { dcgen, expectUserError, tempRoot } from '../support/cli.ts';

const T = 120_000;
const root = tempRoot('dcgen-paths-');

/** Every name the issue lists in one folder name: space, $HOME, $(x), ;, backtick, quotes, #, *, é. */
const WEIRD = `a b$HOME$(x);c\`d'e"f#g*é`;
/** The work folder (current folder of the commands), and the design folder in it, whose own name starts with '-'. */
const cwd = path.join(root, WEIRD);
const design = path.join(cwd, '-x y');

beforeAll(async () => {
  mkdirSync(cwd, { recursive: true });
  const r = await dcgen(['generate', 'common.fifo', '--set', 'depth=4', '--set', 'width=8', `--out=${design}`], { cwd });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
}, T);

/** A copy of the design folder whose filelist names `entry` (e.g. with a space) instead of the top's file. */
function withFilelistEntry(name: string, entry: string, createFile = true): string {
  const dir = path.join(cwd, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(design, dir, { recursive: true });
  const list = path.join(dir, 'common_fifo.f');
  writeFileSync(list, readFileSync(list, 'utf8').replace('common_fifo.v', entry));
  if (createFile) copyFileSync(path.join(dir, 'common_fifo.v'), path.join(dir, entry.replace(/\//g, '_')));
  return dir;
}

describe('a design folder with an odd path', () => {
  it('lint: every tool runs on it and passes (absolute path, and relative to an odd current folder)', async () => {
    const [abs, rel] = await Promise.all([dcgen(['lint', design], { cwd: root }), dcgen(['lint', './-x y'], { cwd })]);
    for (const r of [abs, rel]) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^verilator +common_fifo +ok$/m);
      expect(r.stdout).toMatch(/^iverilog +common_fifo +ok$/m);
      expect(r.stdout).toMatch(/^yosys +common_fifo +ok$/m);
      expect(r.stdout).toMatch(/^yosys +dcgen_mem_\w+ +ok$/m); // the FIFO's memory, a module of its own
      expect(r.stdout).toMatch(/all 6 checks passed \(2 modules x 3 tools\)/);
    }
  }, T);

  it('synth --target generic writes report.json and keeps its log in the folder', async () => {
    const r = await dcgen(['synth', design], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^generic: \d+ cells/m);
    const report = JSON.parse(readFileSync(path.join(design, 'report.json'), 'utf8')) as { generic: { cells: number; latches: number } };
    expect(report.generic.cells).toBeGreaterThan(0);
    expect(report.generic.latches).toBe(0);
    expect(existsSync(path.join(design, 'synth-generic.log'))).toBe(true);
  }, T);

  it('synth --target ice40 places and routes it', async () => {
    const dir = path.join(cwd, 'ice40 $(y)');
    cpSync(design, dir, { recursive: true });
    const r = await dcgen(['synth', dir, '--target', 'ice40'], { cwd });
    expect({ code: r.code, stdout: r.stdout }).toMatchObject({ code: 0 });
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { ice40: { fits: boolean; fmaxMhz: number | null } };
    expect(report.ice40.fits).toBe(true);
    expect(report.ice40.fmaxMhz).toBeGreaterThan(0);
    expect(existsSync(path.join(dir, 'nextpnr.log'))).toBe(true);
  }, T);

  it('an odd TMPDIR too (iverilog and Yosys ABC put it into shell command lines)', async () => {
    const tmp = path.join(cwd, 'tmp $(t) "q"');
    mkdirSync(tmp, { recursive: true });
    const dir = path.join(cwd, 'tmpdir-design');
    cpSync(design, dir, { recursive: true });
    const env = { TMPDIR: tmp };
    const [l, s] = await Promise.all([dcgen(['lint', dir], { cwd, env }), dcgen(['synth', dir], { cwd, env })]);
    expect({ code: l.code, stderr: l.stderr }).toEqual({ code: 0, stderr: '' });
    expect(l.stdout).toMatch(/all 6 checks passed/);
    expect(s.code).toBe(0);
    expect(existsSync(path.join(dir, 'report.json'))).toBe(true);
  }, T);

  it('a newline in the folder name: lint and synth still work', async () => {
    const dir = path.join(cwd, 'new\nline');
    cpSync(design, dir, { recursive: true });
    const [l, s] = await Promise.all([dcgen(['lint', dir], { cwd }), dcgen(['synth', dir], { cwd })]);
    expect({ code: l.code, stderr: l.stderr }).toEqual({ code: 0, stderr: '' });
    expect(l.stdout).toMatch(/all 6 checks passed/);
    expect(s.code).toBe(0);
    expect(existsSync(path.join(dir, 'report.json'))).toBe(true);
  }, T);
});

describe('a filelist entry that is not a plain file name', () => {
  it('lint and synth: one error line naming the folder, the file and the rule, exit 2', async () => {
    const dir = withFilelistEntry('spaced', 'common fifo.v');
    const [l, s] = await Promise.all([dcgen(['lint', dir], { cwd }), dcgen(['synth', dir], { cwd })]);
    expectUserError(l, /spaced/, /common_fifo\.f/, /"common fifo\.v"/, /plain file name/);
    expectUserError(s, /spaced/, /common_fifo\.f/, /"common fifo\.v"/, /plain file name/);
  }, T);

  it('every reader of a design folder refuses it with a user error, whatever the odd character', async () => {
    for (const entry of ['a b.v', '$HOME.v', '$(x).v', 'a;b.v', 'a`b.v', "a'b.v", 'a"b.v', 'a#b.v', 'a*.v', '-a.v', 'é.v', 'sub/a.v', '../a.v']) {
      const dir = withFilelistEntry('entry', entry, false);
      for (const read of [() => lintDesign(dir), () => readDesign(dir), () => loadDesign(dir)]) {
        const e = await read().then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(e, `${entry}`).toBeInstanceOf(DcgenError);
        expect((e as Error).message).not.toMatch(/\n/);
        expect((e as Error).message).toContain(JSON.stringify(entry));
      }
    }
    const dir0 = withFilelistEntry('entry', 'a b.v', false);
    for (const read of [() => lintDesign(dir0), () => readDesign(dir0), () => loadDesign(dir0)]) {
      const e = await read().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DesignFolderError);
      expect((e as Error).message).toMatch(/^design folder '.*entry': common_fifo\.f: entry "a b\.v": expected a plain file name/);
    }
  });

  it('a filelist entry naming a missing file, and a broken manifest, are user errors too', async () => {
    const dir = withFilelistEntry('missing', 'gone.v', false);
    expectUserError(await dcgen(['lint', dir], { cwd }), /common_fifo\.f/, /"gone\.v"/, /no such file/);
    expectUserError(await dcgen(['synth', dir], { cwd }), /common_fifo\.f/, /"gone\.v"/);
    for (const read of [() => lintDesign(dir), () => readDesign(dir), () => loadDesign(dir)]) {
      const e = await read().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DesignFolderError);
      expect((e as Error).message).toMatch(/common_fifo\.f: entry "gone\.v": no such file in the design folder/);
    }
    const bad = path.join(cwd, 'bad manifest');
    cpSync(design, bad, { recursive: true });
    writeFileSync(path.join(bad, 'manifest.json'), '{"top": "common_fifo", "modules": [null]');
    for (const read of [() => lintDesign(bad), () => readDesign(bad), () => loadDesign(bad)]) await expect(read()).rejects.toBeInstanceOf(DesignFolderError);
    writeFileSync(path.join(bad, 'manifest.json'), '{"top": "common_fifo", "modules": [null], "filelist": "common_fifo.f"}');
    for (const read of [() => lintDesign(bad), () => readDesign(bad), () => loadDesign(bad)]) await expect(read()).rejects.toBeInstanceOf(DesignFolderError);
    const m = JSON.parse(readFileSync(path.join(design, 'manifest.json'), 'utf8')) as { modules: { ports: unknown }[] };
    m.modules[0]!.ports = 'none';
    writeFileSync(path.join(bad, 'manifest.json'), JSON.stringify(m));
    for (const read of [() => lintDesign(bad), () => readDesign(bad), () => loadDesign(bad)]) await expect(read()).rejects.toThrow(/manifest\.json.*"ports" must be a list/);
  });
});

describe('simulation with an odd work folder', () => {
  it('regress from an odd current folder (outputs in its rtl-out/regress, or an odd --out): Verilator and Icarus', async () => {
    const [v, i] = await Promise.all([
      dcgen(['regress', '--filter', 'common.fifo.single', '--seeds', '1'], { cwd }),
      dcgen(['regress', '--filter', 'common.fifo.single', '--seeds', '1', '--sim', 'icarus', '--out', path.join(cwd, 'icarus out')], { cwd }),
    ]);
    for (const r of [v, i]) {
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
      expect(r.stdout).toMatch(/^\[1\/1\] ok +common\.fifo\.single/m);
      expect(r.stdout).toMatch(/all 1 case passed/);
    }
  }, T);

  it('cosim of the odd design folder in an odd work folder: Verilator, Icarus, and a failure waveform', async () => {
    const fifoStim = (seed: number): Stimulus => ({ streams: { in: Array.from({ length: 40 }, (_, k) => ({ data: BigInt((k * 37 + seed) & 0xff) })) } });
    const same = (stim: Stimulus) => ({ streams: { out: stim.streams!.in!.map((b) => ({ data: BigInt(b.data!) })) } });
    const work = path.join(cwd, 'work $PWD é');
    const icarus = await runCosim({ dir: design, seeds: [1], stalls: { inIdle: 0.3, outStall: 0.3 }, stimulus: fifoStim, golden: same, simulator: 'icarus', workDir: path.join(work, 'icarus') });
    expect({ ok: icarus.ok, message: icarus.message }).toMatchObject({ ok: true });
    // Verilator and Icarus on every seed; the golden model is wrong from transaction 5 on.
    const wrong = (stim: Stimulus) => ({ streams: { out: same(stim).streams.out.map((b, k) => (k >= 5 ? { data: (b.data + 1n) & 0xffn } : b)) } });
    const v = await runCosim({ dir: design, seeds: [1], stimulus: fifoStim, golden: wrong, icarus: true, workDir: path.join(work, 'verilator') });
    expect(v.ok).toBe(false);
    const first = v.seeds[0]!;
    expect(first.mismatch).toMatchObject({ stream: 'out', index: 5, kind: 'value' });
    expect(first.icarusDiff).toBeUndefined();
    expect(first.waveform!.startsWith(path.join(work, 'verilator'))).toBe(true);
    expect(readFileSync(first.waveform!).length).toBeGreaterThan(100);
    // Icarus directly, with the stimulus and the response outside its work folder.
    const out = path.join(cwd, 'resp "q".txt');
    const ic = await runIcarus(design, { stimPath: first.stimPath, respPath: out, workDir: path.join(work, 'direct'), expect: { out: 40 }, drain: 16 });
    expect(ic.response.out.out).toHaveLength(40);
    expect(existsSync(out)).toBe(true);
    expect(readdirSync(path.join(work, 'direct'))).toContain('dcgen_tb.vvp');
  }, T);
});
