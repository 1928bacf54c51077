// Cache safety (issue 10): `dcgen cache clean` removes only what dcgen wrote (marker files, strict
// entry shapes), corrupt cache entries are detected and rebuilt, a crashing simulator is a tool
// failure, locks name their owner (pid, start time, host), and cache paths with spaces and shell
// metacharacters work. Each case first reproduces the failure a hostile user reported.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commonAdderTree } from '../../generator/blocks/common/adder_tree.ts';
import { emitDesign } from '../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { DcgenError } from '../../generator/errors.ts';
import { generateCaseDesign } from '../../sim/cases/case.ts';
import { runCosim } from '../../sim/cosim/index.ts';
import { encodeStimulus } from '../../sim/stimulus/format.ts';
import { ToolFailedError } from '../../eda/tools/errors.ts';
import { type HarnessBuild, buildHarness } from '../../sim/verilator/build.ts';
import { CacheDirError, CacheLockTimeoutError, type LockWait, MARKER, cacheClean, ensureEntry, processStartTime } from '../../sim/verilator/cache.ts';
import { runHarness } from '../../sim/verilator/run.ts';
import { PARAMS, golden, stimulus } from '../support/adder_case.ts';
import { type Run, dcgen, expectUserError, snapshot, tempRoot } from '../support/cli.ts';

const T = 120_000;
const root = tempRoot('dcgen-rel-cache-');

/** dcgen in the test's temporary root, with CI set, extra environment variables and a time limit. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return dcgen(args, { cwd: root, env: { CI: 'true', ...env }, timeout: T });
}

/** A folder of a user's files: what `--dir ~` would point at. */
function userFolder(name: string): string {
  const d = path.join(root, name);
  mkdirSync(path.join(d, 'photos'), { recursive: true });
  writeFileSync(path.join(d, 'notes.txt'), 'my notes\n');
  writeFileSync(path.join(d, 'photos', 'cat.jpg'), 'jpeg');
  mkdirSync(path.join(d, 'project-0123456789abcdef0123'), { recursive: true }); // named like an entry, but no entry
  writeFileSync(path.join(d, 'project-0123456789abcdef0123', 'thesis.tex'), 'chapter 1');
  return d;
}

/** A fake finished cache entry (the shape dcgen writes). */
function fakeEntry(cache: string, name: string): void {
  mkdirSync(path.join(cache, name, 'src'), { recursive: true });
  writeFileSync(path.join(cache, name, 'entry.json'), '{}');
  writeFileSync(path.join(cache, name, 'Vsim'), 'x'.repeat(3000));
  writeFileSync(path.join(cache, name, 'src', 'a.v'), 'module a; endmodule\n');
}

describe('cache clean removes only what dcgen wrote', () => {
  it('refuses a folder without the marker (user files intact): --dir and DCGEN_CACHE_DIR through the real CLI', async () => {
    const home = userFolder('home');
    const before = snapshot(home);
    await expect(cacheClean({ dir: home })).rejects.toThrow(CacheDirError);
    await expect(cacheClean({ dir: home })).rejects.toThrow(/not a dcgen build cache: no \.dcgen-cache marker/);
    const byDir = await cli(['cache', 'clean', '--dir', home]);
    expectUserError(byDir, /'.*home' is not a dcgen build cache: no \.dcgen-cache marker/, /notes\.txt/, /nothing was removed/);
    const byEnv = await cli(['cache', 'clean'], { DCGEN_CACHE_DIR: home });
    expectUserError(byEnv, /home' is not a dcgen build cache: no \.dcgen-cache marker/);
    expect(snapshot(home)).toEqual(before);
  }, T);

  it('refuses the whole command when the designs folder beside the cache is not dcgen\'s; the cache is left as it was', async () => {
    const base = path.join(root, 'beside');
    const cache = path.join(base, 'verilator');
    mkdirSync(cache, { recursive: true });
    writeFileSync(path.join(cache, MARKER), JSON.stringify({ kind: 'builds', format: 1 }));
    fakeEntry(cache, 'top-0123456789abcdef0123');
    const designs = userFolder(path.join('beside', 'designs'));
    const before = snapshot(base);
    const r = await cli(['cache', 'clean'], { DCGEN_CACHE_DIR: cache });
    expectUserError(r, /designs' is not a dcgen case-design folder: no \.dcgen-cache marker/);
    expect(snapshot(base)).toEqual(before);
    expect(existsSync(path.join(designs, 'notes.txt'))).toBe(true);
  }, T);

  it('in a marked cache removes the entries and keeps (and reports) everything else', async () => {
    const cache = path.join(root, 'marked', 'verilator');
    const outside = userFolder('outside');
    const outsideBefore = snapshot(outside);
    mkdirSync(cache, { recursive: true });
    writeFileSync(path.join(cache, MARKER), JSON.stringify({ kind: 'builds', format: 1 }));
    fakeEntry(cache, 'top-0123456789abcdef0123');
    fakeEntry(cache, 'top-0123456789abcdef0123-fst');
    writeFileSync(path.join(cache, 'top-0123456789abcdef0123.failed.log'), 'log');
    writeFileSync(path.join(cache, '.verilator-version.json'), '{}');
    mkdirSync(path.join(cache, '.tmp-top-aaaaaaaaaaaaaaaaaaaa-999999999-0badcafe', 'obj'), { recursive: true }); // a dead builder's
    writeFileSync(path.join(cache, 'top-bbbbbbbbbbbbbbbbbbbb.lock'), JSON.stringify({ pid: 2 ** 30, host: os.hostname(), procStart: null, since: 0 }));
    // not dcgen's: a user file, a folder named like an entry holding other files, a link named like an entry
    writeFileSync(path.join(cache, 'README.txt'), 'mine');
    mkdirSync(path.join(cache, 'top-cccccccccccccccccccc'));
    writeFileSync(path.join(cache, 'top-cccccccccccccccccccc', 'thesis.tex'), 'mine');
    symlinkSync(outside, path.join(cache, 'top-dddddddddddddddddddd'));

    const r = await cli(['cache', 'clean'], { DCGEN_CACHE_DIR: cache });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^build cache .*: removed 6 entries/m);
    expect(r.stdout).toMatch(/^ {2}kept README\.txt \(not a dcgen cache entry\)$/m);
    expect(r.stdout).toMatch(/^ {2}kept top-cccccccccccccccccccc \(named like a cache entry, but holds files dcgen did not write\)$/m);
    expect(r.stdout).toMatch(/^ {2}kept top-dddddddddddddddddddd /m);
    expect(r.stdout).toMatch(/kept 3 items dcgen did not write$/m);
    expect(readdirSync(cache).sort()).toEqual([MARKER, 'README.txt', 'top-cccccccccccccccccccc', 'top-dddddddddddddddddddd']);
    expect(readFileSync(path.join(cache, 'top-cccccccccccccccccccc', 'thesis.tex'), 'utf8')).toBe('mine');
    expect(lstatSync(path.join(cache, 'top-dddddddddddddddddddd')).isSymbolicLink()).toBe(true);
    expect(snapshot(outside)).toEqual(outsideBefore);
  }, T);

  it('cleans an unmarked cache of an older dcgen only when it holds nothing but cache entries', async () => {
    const cache = path.join(root, 'legacy');
    fakeEntry(cache, 'top-0123456789abcdef0123');
    writeFileSync(path.join(cache, '.verilator-version.json'), '{}');
    const r = await cacheClean({ dir: cache });
    expect(r.marked).toBe(false);
    expect(r.removed.sort()).toEqual(['.verilator-version.json', 'top-0123456789abcdef0123']);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('the designs folder: removes only design folders dcgen generated; its marker is not a build cache\'s', async () => {
    const designs = path.join(root, 'designs-root');
    const dir = generateCaseDesign({ design: 'common.adder_tree', params: { n: 2, width: 4 } }, designs);
    expect(JSON.parse(readFileSync(path.join(designs, MARKER), 'utf8'))).toMatchObject({ kind: 'designs', format: 1 });
    // a fake (a manifest.json dcgen did not write) and a real design with a file added
    mkdirSync(path.join(designs, 'common.adder_tree-0011223344556677'));
    writeFileSync(path.join(designs, 'common.adder_tree-0011223344556677', 'manifest.json'), '{}');
    const touched = generateCaseDesign({ design: 'common.adder_tree', params: { n: 3, width: 4 } }, designs);
    writeFileSync(path.join(touched, 'my-notes.txt'), 'mine');
    writeFileSync(path.join(designs, 'todo.txt'), 'mine');
    // `--dir` takes a build cache: the designs folder's marker is refused
    expectUserError(await cli(['cache', 'clean', '--dir', designs]), /is not a dcgen build cache: its \.dcgen-cache marker marks a dcgen case-design folder/);
    const r = await cacheClean({ dir: designs, kind: 'designs' });
    expect(r.removed).toEqual([path.basename(dir)]);
    expect(r.kept.map((k) => k.name).sort()).toEqual(['common.adder_tree-0011223344556677', path.basename(touched), 'todo.txt']);
    expect(readFileSync(path.join(touched, 'my-notes.txt'), 'utf8')).toBe('mine');
  });

  it('dcgen does not build in a folder of user files (no marker written, nothing changed)', async () => {
    const home = userFolder('home2');
    const before = snapshot(home);
    const design = path.join(root, 'never-built');
    writeFilesAtomically(design, emitDesign(commonAdderTree({ top: 'rel_never', ...PARAMS }), { design: 'test.rel', params: {} }).files);
    await expect(buildHarness(design, { cacheDir: home })).rejects.toThrow(/home2' is not a dcgen build cache: no \.dcgen-cache marker.*DCGEN_CACHE_DIR/);
    expect(snapshot(home)).toEqual(before);
  });
});

describe('corrupt entries are rebuilt, a crashing simulator is a tool failure', () => {
  let design: string;
  let cache: string;
  let first: HarnessBuild;
  const cosimOk = async () => {
    const rep = await runCosim({ dir: design, cacheDir: cache, seeds: [1], waveform: false, stimulus, golden });
    expect(rep.ok, rep.message).toBe(true);
  };
  beforeAll(async () => {
    design = path.join(root, 'adder');
    cache = path.join(root, 'cache');
    writeFilesAtomically(design, emitDesign(commonAdderTree({ top: 'rel_cache_adder', ...PARAMS }), { design: 'test.rel', params: {} }).files);
    first = await buildHarness(design, { cacheDir: cache });
  }, T);

  it('the entry records Vsim\'s size and sha256, and the cache folder its marker', async () => {
    expect(first.cached).toBe(false);
    const meta = JSON.parse(readFileSync(path.join(first.entry, 'entry.json'), 'utf8')) as { exe: { size: number; sha256: string } };
    expect(meta.exe.size).toBe(lstatSync(first.exe).size);
    expect(meta.exe.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(readFileSync(path.join(cache, MARKER), 'utf8'))).toMatchObject({ kind: 'builds', format: 1 });
    const hit = await buildHarness(design, { cacheDir: cache });
    expect({ cached: hit.cached, replaced: hit.replaced }).toEqual({ cached: true, replaced: false });
  }, T);

  const corruptions: [string, (exe: string, entry: string) => void][] = [
    ['a truncated Vsim', (exe) => truncateSync(exe, Math.floor(lstatSync(exe).size / 2))],
    ['an entry without its entry.json', (_exe, entry) => rmSync(path.join(entry, 'entry.json'))],
    ['a corrupt entry.json', (_exe, entry) => writeFileSync(path.join(entry, 'entry.json'), '{"key": tru')],
    [
      'a Vsim replaced by a script that kills itself with SIGSEGV',
      (exe) => {
        rmSync(exe);
        writeFileSync(exe, '#!/bin/sh\nkill -SEGV $$\n');
        chmodSync(exe, 0o755);
      },
    ],
    [
      'a Vsim of the same size with one byte changed',
      (exe) => {
        const b = readFileSync(exe);
        b[b.length >> 1] = b[b.length >> 1]! ^ 0xff;
        writeFileSync(exe, b);
      },
    ],
  ];
  for (const [what, corrupt] of corruptions) {
    it(`${what}: detected, moved aside and rebuilt; the cosim then passes`, async () => {
      corrupt(first.exe, first.entry);
      const b = await buildHarness(design, { cacheDir: cache });
      expect({ cached: b.cached, replaced: b.replaced, entry: b.entry }).toEqual({ cached: false, replaced: true, entry: first.entry });
      // nothing left aside, no temp folder, no lock
      expect(readdirSync(cache).filter((n) => n.startsWith('.stale-') || n.startsWith('.tmp-') || n.endsWith('.lock'))).toEqual([]);
      await cosimOk();
    }, T);
  }

  it('a simulator killed by SIGSEGV is a ToolFailedError naming the binary, the signal and `dcgen cache clean`', async () => {
    const segv = path.join(root, 'segv-sim');
    writeFileSync(segv, '#!/bin/sh\necho "about to crash" >&2\nkill -SEGV $$\n');
    chmodSync(segv, 0o755);
    const stimPath = path.join(root, 'crash.stim');
    writeFileSync(stimPath, encodeStimulus(first.layout, stimulus(1)));
    const run = (exe: string) => runHarness({ ...first, exe }, { stimPath, respPath: path.join(root, 'crash.resp'), expect: { out: 33 } });
    const e = await run(segv).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ToolFailedError);
    expect(e).toBeInstanceOf(DcgenError);
    expect((e as ToolFailedError).signal).toBe('SIGSEGV');
    expect((e as Error).message).toContain(segv);
    expect((e as Error).message).toMatch(/killed by SIGSEGV: not a design mismatch.*dcgen cache clean.*last output: about to crash/);
    expect((e as Error).message.split('\n')).toHaveLength(1);
    // cannot be executed at all, and an empty "binary" (runs as an empty script, writes no response)
    const missing = await run(path.join(root, 'no-such-sim')).catch((x: unknown) => x);
    expect(missing).toBeInstanceOf(ToolFailedError);
    expect((missing as Error).message).toMatch(/no-such-sim could not be run: cannot execute it \(ENOENT\).*dcgen cache clean/);
    const empty = path.join(root, 'empty-sim');
    writeFileSync(empty, '');
    chmodSync(empty, 0o755);
    const none = await run(empty).catch((x: unknown) => x);
    expect(none).toBeInstanceOf(ToolFailedError);
    expect((none as Error).message).toMatch(/wrote no response file.*dcgen cache clean/);
  }, T);
});

describe('locks name their owner; stale ones are broken at once, live ones report progress', () => {
  const ready = (d: string) => existsSync(path.join(d, 'done'));
  const build = async (tmp: string) => writeFileSync(path.join(tmp, 'done'), 'x');
  let child: ChildProcess;
  beforeAll(() => {
    child = spawn('sleep', ['60'], { stdio: 'ignore' });
  });
  afterAll(() => {
    child.kill();
  });
  const lock = (dir: string, info: object) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'e.lock'), JSON.stringify({ host: os.hostname(), since: Date.now(), ...info }));
  };

  it('a lock of a dead pid, or of a pid now used by another process, is broken without waiting', async () => {
    for (const [name, info] of [
      ['dead', { pid: 2 ** 30, procStart: null }],
      ['reused', { pid: child.pid, procStart: '1' }], // the pid lives, but started at another time than the lock's owner
    ] as const) {
      const dir = path.join(root, `lock-${name}`);
      lock(dir, info);
      const waits: LockWait[] = [];
      const t0 = Date.now();
      const r = await ensureEntry(dir, 'e', ready, build, { progressMs: 1, pollMs: 5, onWait: (w) => waits.push(w) });
      expect(r.cached).toBe(false);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(waits).toEqual([]);
      expect(readdirSync(dir)).toEqual(['e']);
    }
  });

  it('a live lock: progress names pid, host, entry and lock; the waiter goes on when it is released', async () => {
    const dir = path.join(root, 'lock-live');
    const start = processStartTime(child.pid!);
    expect(start).not.toBeNull();
    lock(dir, { pid: child.pid, procStart: start });
    const waits: LockWait[] = [];
    const p = ensureEntry(dir, 'e', ready, build, { progressMs: 40, pollMs: 10, onWait: (w) => waits.push(w) });
    await new Promise((r) => setTimeout(r, 300));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]!.message).toBe(`waiting for pid ${child.pid} on ${os.hostname()} building e (lock ${path.join(dir, 'e.lock')}), 0 s so far`);
    expect(waits[0]!.owner?.pid).toBe(child.pid);
    rmSync(path.join(dir, 'e.lock')); // the owner finished without building: the waiter builds
    const r = await p;
    expect(r.cached).toBe(false);
  });

  it('by default one progress line goes to stderr; giving up is a DcgenError naming pid, host and lock', async () => {
    const dir = path.join(root, 'lock-timeout');
    lock(dir, { pid: child.pid, procStart: processStartTime(child.pid!) });
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let e: unknown;
    let lines: string[];
    try {
      e = await ensureEntry(dir, 'e', ready, build, { progressMs: 50, pollMs: 10, waitLimitMs: 300 }).catch((x: unknown) => x);
    } finally {
      lines = spy.mock.calls.map((c) => String(c[0]));
      spy.mockRestore();
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(new RegExp(`^dcgen: waiting for pid ${child.pid} on .+ building e \\(lock .*e\\.lock\\), \\d+ s so far\\n$`));
    expect(e).toBeInstanceOf(CacheLockTimeoutError);
    expect(e).toBeInstanceOf(DcgenError);
    expect((e as Error).message).toMatch(new RegExp(`waiting for pid ${child.pid} on ${os.hostname()} to build e \\(lock ${path.join(dir, 'e.lock').replace(/[.]/g, '\\.')}\\)`));
    expect(existsSync(path.join(dir, 'e.lock'))).toBe(true); // a live owner's lock is never taken away
  });
});

describe('a cache path with spaces and shell metacharacters', () => {
  it('builds and runs a case (dcgen regress), then cleans, through the real CLI', async () => {
    const base = path.join(root, `we ird $HOME ;x \`id\` "q" 's & |(`);
    const cache = path.join(base, 'verilator');
    const env = { DCGEN_CACHE_DIR: cache };
    const r = await cli(['regress', '--filter', 'common.fifo.depth1', '--seeds', '1'], env);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(existsSync(path.join(cache, MARKER))).toBe(true);
    expect(existsSync(path.join(base, 'designs', MARKER))).toBe(true);
    const entries = readdirSync(cache).filter((n) => /^[A-Za-z_]\w*-[0-9a-f]{20}$/.test(n));
    expect(entries).toHaveLength(1);
    const vsim = path.join(cache, entries[0]!, 'Vsim');
    const size = lstatSync(vsim).size;
    // an emptied simulator (it used to run as an empty shell script and end in a stack trace): rebuilt
    truncateSync(vsim, 0);
    const again = await cli(['regress', '--filter', 'common.fifo.depth1', '--seeds', '1'], env);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(lstatSync(vsim).size).toBe(size);
    const c = await cli(['cache', 'clean'], env);
    expect({ code: c.code, stderr: c.stderr }).toEqual({ code: 0, stderr: '' });
    expect(c.stdout).toMatch(/removed \d+ entries/);
    expect(readdirSync(cache)).toEqual([MARKER]);
    expect(readdirSync(path.join(base, 'designs'))).toEqual([MARKER]);
  }, T);
});
