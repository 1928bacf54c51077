// Nothing lost: output folders are dcgen's only when they hold exactly what their manifest
// lists; replacing one is a single step that a killed run cannot leave half done; symbolic
// links are written through; system errors on output paths (ENOSPC, EXDEV, EPERM, EISDIR,
// ENOTDIR, ENAMETOOLONG) are one `error:` line with exit 2, and the old output stays intact.
// Kills and faults come from the test hooks of generator/io/faults.ts.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, type Run, dcgen, expectUserError, snapshot, tempRoot } from '../support/cli.ts';

const T = 120_000;
const root = tempRoot('dcgen-outputs-');

function fresh(name: string): string {
  const d = path.join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function gen(cwd: string, out: string, depth: number, env: Record<string, string> = {}): Promise<Run> {
  return dcgen(['generate', 'common.fifo', '--out', out, '--set', `depth=${depth}`], { cwd, env });
}

/** The fifo depth of a complete design folder, after checking it holds exactly what its manifest lists. */
function completeDepth(dir: string): number {
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: string[]; params: { depth: number } };
  expect(readdirSync(dir).sort()).toEqual(m.files);
  return m.params.depth;
}

/** Names that dcgen's temporary files and locks carry beside an output. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('.'));
}

describe('ownership', () => {
  it('refuses a folder with a copied manifest.json next to the user\'s files, and leaves it as it was', async () => {
    const cwd = fresh('own');
    expect((await gen(cwd, 'mine', 4)).code).toBe(0);
    const user = fresh('own/user');
    writeFileSync(path.join(user, 'manifest.json'), readFileSync(path.join(cwd, 'mine', 'manifest.json')));
    writeFileSync(path.join(user, 'notes.txt'), 'my notes');
    mkdirSync(path.join(user, 'sub'));
    const before = snapshot(user);
    expectUserError(await gen(cwd, 'user', 8), /--out 'user'/, /notes\.txt/, /will not replace/);
    expect(snapshot(user)).toEqual(before);
    // dcgen's own reports beside the listed files keep the folder dcgen's.
    writeFileSync(path.join(cwd, 'mine', 'report.md'), '# report');
    expect((await gen(cwd, 'mine', 8)).code).toBe(0);
    expect(completeDepth(path.join(cwd, 'mine'))).toBe(8);
    // A user's file with a listed name in a subfolder, or a manifest of another tool: refused.
    writeFileSync(path.join(user, 'manifest.json'), '{"generator":{"name":"other"}}');
    expectUserError(await gen(cwd, 'user', 8), /not written by dcgen/);
  }, T);
});

describe('atomic replacement', () => {
  const steps: [string, Record<string, string>][] = [
    ['replace:staged', {}],
    ['replace:exchanged', {}],
    ['replace:staged', { DCGEN_TEST_NO_EXCHANGE: '1' }],
    ['replace:old-moved', { DCGEN_TEST_NO_EXCHANGE: '1' }],
  ];
  for (const [step, mode] of steps) {
    const label = `${step}${mode.DCGEN_TEST_NO_EXCHANGE ? ' (journal mode)' : ''}`;
    it(`a run killed at ${label}: the folder is whole (old or new), and the next run recovers and cleans up`, async () => {
      const cwd = fresh(`kill-${label.replace(/[^a-z]/g, '')}`);
      expect((await gen(cwd, 'out', 4, mode)).code).toBe(0);
      const killed = await gen(cwd, 'out', 8, { ...mode, DCGEN_TEST_KILL_AT: step });
      expect(killed.signal).toBe('SIGKILL');
      if (step === 'replace:old-moved') {
        // Between the two renames the folder is away; the journal lets the next run finish the move.
        expect(existsSync(path.join(cwd, 'out'))).toBe(false);
        expect(leftovers(cwd).some((n) => n.endsWith('.journal'))).toBe(true);
      } else {
        expect([4, 8]).toContain(completeDepth(path.join(cwd, 'out')));
      }
      expect(leftovers(cwd).length).toBeGreaterThan(0);
      const next = await gen(cwd, 'out', 16, mode);
      expect(next.code).toBe(0);
      expect(completeDepth(path.join(cwd, 'out'))).toBe(16);
      expect(leftovers(cwd)).toEqual([]);
    }, T);
  }

  it('a killed run whose target is away is restored by the next run even when that run fails its checks', async () => {
    const cwd = fresh('kill-restore');
    expect((await gen(cwd, 'out', 4, { DCGEN_TEST_NO_EXCHANGE: '1' })).code).toBe(0);
    await gen(cwd, 'out', 8, { DCGEN_TEST_NO_EXCHANGE: '1', DCGEN_TEST_KILL_AT: 'replace:old-moved' });
    // The next run is refused (bad parameter) before it writes, but the output path is checked first.
    const bad = await dcgen(['generate', 'common.fifo', '--out', 'out', '--set', 'depth=0'], { cwd });
    expect(bad.code).toBe(2);
    const ok = await gen(cwd, 'out', 4);
    expect(ok.code).toBe(0);
    expect(completeDepth(path.join(cwd, 'out'))).toBe(4);
    expect(leftovers(cwd)).toEqual([]);
  }, T);

  it("the earlier writer's leftovers (.x.old-<pid>-*, .x.tmp-<pid>-*) of a dead process are restored or removed", async () => {
    const cwd = fresh('legacy');
    expect((await gen(cwd, 'out', 4)).code).toBe(0);
    const dead = (await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])).stdout;
    renameSync(path.join(cwd, 'out'), path.join(cwd, `.out.old-${dead}-abc123`));
    mkdirSync(path.join(cwd, `.out.tmp-${dead}-abc124`));
    expect((await gen(cwd, 'out', 8)).code).toBe(0);
    expect(completeDepth(path.join(cwd, 'out'))).toBe(8);
    expect(leftovers(cwd)).toEqual([]);
  }, T);

  for (const mode of [{}, { DCGEN_TEST_NO_EXCHANGE: '1' }] as Record<string, string>[]) {
    it(`overlapping runs on one folder all succeed and leave one complete folder${mode.DCGEN_TEST_NO_EXCHANGE ? ' (journal mode)' : ''}`, async () => {
      const cwd = fresh(`overlap${Object.keys(mode).length}`);
      const runs = await Promise.all([2, 4, 8, 16].map((d) => gen(cwd, 'out', d, mode)));
      for (const r of runs) expect(r).toMatchObject({ code: 0 });
      expect([2, 4, 8, 16]).toContain(completeDepth(path.join(cwd, 'out')));
      expect(leftovers(cwd)).toEqual([]);
    }, T);
  }
});

describe('symbolic links', () => {
  it('writes through a link to an empty or dcgen folder and keeps the link; refuses a dangling one', async () => {
    const cwd = fresh('links');
    mkdirSync(path.join(cwd, 'real'));
    symlinkSync('real', path.join(cwd, 'link'));
    expect((await dcgen(['generate', 'common.adder_tree', '--out', 'link'], { cwd })).code).toBe(0);
    expect((await gen(cwd, 'link', 8)).code).toBe(0);
    expect(lstatSync(path.join(cwd, 'link')).isSymbolicLink()).toBe(true);
    // The target holds the new design only: no stale file of the previous one.
    expect(completeDepth(path.join(cwd, 'real'))).toBe(8);
    symlinkSync('nowhere', path.join(cwd, 'dangling'));
    expectUserError(await gen(cwd, 'dangling', 8), /--out 'dangling'/, /symbolic link to 'nowhere', which does not exist/);
    expect(existsSync(path.join(cwd, 'nowhere'))).toBe(false);
    expect(lstatSync(path.join(cwd, 'dangling')).isSymbolicLink()).toBe(true);
  }, T);
});

describe('system errors are user errors', () => {
  const faults: [string, RegExp][] = [
    ['write:.v:ENOSPC', /no space left on the device \(ENOSPC\)/],
    ['exchange:*:EXDEV', /cannot move across file systems \(EXDEV\)/],
    ['rename:*:EXDEV', /\(EXDEV\)/],
    ['mkdir:stage:EPERM', /operation not permitted \(EPERM\)/],
    ['open:manifest.json:EACCES', /permission denied \(EACCES\)/],
    ['write:*:EIO', /input\/output error \(EIO\)/],
  ];
  for (const [fault, why] of faults) {
    it(`${fault}: one error line naming the path, the old output intact, nothing left behind`, async () => {
      const cwd = fresh(`fault-${fault.replace(/[^A-Za-z]/g, '')}`);
      expect((await gen(cwd, 'out', 4)).code).toBe(0);
      const before = snapshot(path.join(cwd, 'out'));
      expectUserError(await gen(cwd, 'out', 8, { DCGEN_TEST_FAULTS: fault }), /^error: cannot \w+/, /out/, why);
      expect(snapshot(path.join(cwd, 'out'))).toEqual(before);
      expect(leftovers(cwd)).toEqual([]);
    }, T);
  }

  it('refuses bad output paths before any work: a file, a path under a file, a name too long, the current folder', async () => {
    const cwd = fresh('paths');
    writeFileSync(path.join(cwd, 'afile'), 'x');
    const [file, under, long, here, above] = await Promise.all([
      gen(cwd, 'afile', 4),
      gen(cwd, 'afile/sub', 4),
      gen(cwd, 'x'.repeat(300), 4),
      gen(cwd, '.', 4),
      gen(cwd, '..', 4),
    ]);
    expectUserError(file, /expected a folder, found a file/);
    expectUserError(under, /'.*afile' is a file/);
    expectUserError(long, /name in the path is too long \(300 bytes/);
    expectUserError(here, /does not contain the current folder/);
    expectUserError(above, /does not contain the current folder/);
    expect(readdirSync(cwd)).toEqual(['afile']);
  }, T);

  it('--json and --junit naming a folder are refused before the run starts', async () => {
    const cwd = fresh('reports');
    mkdirSync(path.join(cwd, 'dir'));
    const [junit, json, junitUnder] = await Promise.all([
      dcgen(['regress', '--filter', 'common.abs_diff*', '--junit', 'dir'], { cwd }),
      dcgen(['eval', 'ditto', '--quick', '--json', 'dir'], { cwd }),
      dcgen(['regress', '--filter', 'common.abs_diff*', '--junit', 'dir/x.xml/y.xml'], { cwd, env: {} }),
    ]);
    expectUserError(junit, /--junit 'dir': expected a file, found a folder/);
    expectUserError(json, /--json 'dir': expected a file, found a folder/);
    expect(junitUnder.code).toBe(0); // a missing folder on the way is created
    expect(existsSync(path.join(cwd, 'dir/x.xml/y.xml'))).toBe(true);
    expect(existsSync(path.join(cwd, 'rtl-out'))).toBe(true); // only the regress work folder
    expect(readdirSync(path.join(cwd, 'rtl-out'))).toEqual(['regress']);
  }, T);

  it('a work folder is removed only when dcgen made it: a user folder with a case\'s name is refused and kept', async () => {
    const cwd = fresh('work');
    const mine = fresh('work/rtl-out/regress/common.abs_diff.single');
    writeFileSync(path.join(mine, 'keep.txt'), 'mine');
    const r = await dcgen(['regress', '--filter', 'common.abs_diff.single'], { cwd });
    expectUserError(r, /common\.abs_diff\.single': expected a work folder that dcgen made/);
    expect(readFileSync(path.join(mine, 'keep.txt'), 'utf8')).toBe('mine');
  }, T);

  it('standard output on a full disk (/dev/full) is one error line, exit 2', async () => {
    const r = await execa('bash', ['-c', `"${process.execPath}" "${BIN}" list > /dev/full`], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toBe('error: cannot write to the standard output: ENOSPC');
  }, T);
});
