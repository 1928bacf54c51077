// The Verilator build cache: hits without a Verilator run, one folder, atomic entries,
// concurrent builders (in-process and across processes), stale locks, cleaning.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonAdderTree } from '../../generator/blocks/common/adder_tree.ts';
import { emitDesign } from '../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { buildHarness, buildKey } from '../../sim/verilator/build.ts';
import { CACHE_DIR_ENV, MARKER, REPO_ROOT, cacheClean, cacheDir, ensureEntry } from '../../sim/verilator/cache.ts';

const T = 240_000;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '../../sim/verilator/build-cli.ts');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dcgen-cache-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ready = (d: string) => existsSync(path.join(d, 'done'));

describe('cache folder', () => {
  it('is <repo>/.cache/verilator unless DCGEN_CACHE_DIR says otherwise', () => {
    const saved = process.env[CACHE_DIR_ENV];
    try {
      delete process.env[CACHE_DIR_ENV];
      expect(cacheDir()).toBe(path.join(REPO_ROOT, '.cache', 'verilator'));
      process.env[CACHE_DIR_ENV] = '/some/where';
      expect(cacheDir()).toBe('/some/where');
    } finally {
      if (saved === undefined) delete process.env[CACHE_DIR_ENV];
      else process.env[CACHE_DIR_ENV] = saved;
    }
  });

  it('the key covers sources, harness, flags and tool version', () => {
    const base = { top: 't', flags: ['-O2'], version: 'Verilator 5.006', harness: 'int main(){}', sources: [{ name: 't.v', text: 'module t; endmodule' }] };
    const k = buildKey(base);
    expect(buildKey({ ...base })).toBe(k);
    expect(buildKey({ ...base, flags: ['-O3'] })).not.toBe(k);
    expect(buildKey({ ...base, version: 'Verilator 5.008' })).not.toBe(k);
    expect(buildKey({ ...base, harness: 'int main(){ }' })).not.toBe(k);
    expect(buildKey({ ...base, sources: [{ name: 't.v', text: 'module t;  endmodule' }] })).not.toBe(k);
    expect(buildKey({ ...base, sources: [{ name: 'u.v', text: 'module t; endmodule' }] })).not.toBe(k);
  });
});

describe('ensureEntry (no Verilator)', () => {
  it('concurrent callers build once; the others wait and share the entry', async () => {
    const dir = path.join(root, 'unit1');
    let builds = 0;
    const build = async (tmp: string) => {
      builds++;
      await sleep(300);
      await writeFile(path.join(tmp, 'done'), 'x');
    };
    const rs = await Promise.all([1, 2, 3, 4].map(() => ensureEntry(dir, 'e', ready, build)));
    expect(builds).toBe(1);
    expect(rs.filter((r) => !r.cached)).toHaveLength(1);
    expect(rs.filter((r) => r.cached && r.waitedMs > 0)).toHaveLength(3);
    expect(readdirSync(dir)).toEqual(['e']); // no temp folder, no lock left
  });

  it('breaks the lock of a dead builder', async () => {
    const dir = path.join(root, 'unit2');
    await mkdir(dir, { recursive: true });
    // a pid that cannot be alive (above the kernel's pid_max)
    await writeFile(path.join(dir, 'e.lock'), JSON.stringify({ pid: 2 ** 30, host: os.hostname(), started: Date.now() }));
    const r = await ensureEntry(dir, 'e', ready, async (tmp) => writeFile(path.join(tmp, 'done'), 'x'));
    expect(r.cached).toBe(false);
    expect(readdirSync(dir)).toEqual(['e']);
  });

  it('a failed build leaves nothing behind and the next caller builds', async () => {
    const dir = path.join(root, 'unit3');
    await expect(ensureEntry(dir, 'e', ready, async () => Promise.reject(new Error('compiler exploded')))).rejects.toThrow('compiler exploded');
    expect(readdirSync(dir)).toEqual([]);
    const r = await ensureEntry(dir, 'e', ready, async (tmp) => writeFile(path.join(tmp, 'done'), 'x'));
    expect(r.cached).toBe(false);
  });

  it('losing a rename race keeps the winner\'s entry intact', async () => {
    const dir = path.join(root, 'unit4');
    const r = await ensureEntry(dir, 'e', ready, async (tmp) => {
      // another builder (which ignored the lock) finishes first
      await mkdir(path.join(dir, 'e'));
      await writeFile(path.join(dir, 'e', 'done'), 'winner');
      await writeFile(path.join(tmp, 'done'), 'loser');
    });
    expect(r.cached).toBe(true);
    expect(await readFile(path.join(dir, 'e', 'done'), 'utf8')).toBe('winner');
    expect(readdirSync(dir)).toEqual(['e']);
  });
});

describe('Verilator builds', () => {
  let design: string;
  let cache: string;
  beforeAll(async () => {
    design = path.join(root, 'design');
    cache = path.join(root, 'cache');
    writeFilesAtomically(design, emitDesign(commonAdderTree({ top: 'cache_test_adder', n: 3, width: 5, signed: false, stages: 1 }), { design: 'test.cache', params: {} }).files);
  });

  it('builds once, then hits the cache without running Verilator (well under 0.2 s)', async () => {
    const a = await buildHarness(design, { cacheDir: cache });
    expect(a.cached).toBe(false);
    expect(existsSync(a.exe)).toBe(true);
    const b = await buildHarness(design, { cacheDir: cache });
    expect(b.cached).toBe(true);
    expect(b.exe).toBe(a.exe);
    expect(b.ms).toBeLessThan(200);
    const meta = JSON.parse(await readFile(path.join(a.entry, 'entry.json'), 'utf8')) as { flags: string[]; verilator: string };
    expect(meta.flags).toEqual(expect.arrayContaining(['--x-assign', 'unique', '--x-initial', 'unique', '-O2']));
    expect(meta.verilator).toMatch(/^Verilator 5/);
    // the entry holds only the executable and what it was built from (no object files)
    expect(readdirSync(a.entry).sort()).toEqual(['Vsim', 'build.log', 'entry.json', 'harness.cpp', 'src']);
  }, T);

  it('two processes building the same entry at once: one builds, the other waits for it', async () => {
    const env = { [CACHE_DIR_ENV]: cache };
    const run = () => execa(process.execPath, ['--import', 'tsx', CLI, design, '--trace'], { cwd: REPO_ROOT, env, timeout: T });
    const [p, q] = await Promise.all([run(), run()]);
    const rs = [p, q].map((r) => JSON.parse(String(r.stdout)) as { exe: string; cached: boolean });
    expect(rs.map((r) => r.cached).sort()).toEqual([false, true]);
    expect(rs[0]!.exe).toBe(rs[1]!.exe);
    expect(rs[0]!.exe).toMatch(/-fst[/\\]Vsim$/);
    // nothing half-built or locked is left in the one cache folder (besides the memo of
    // `verilator --version`, which spares a cache hit from spawning Verilator, and the marker)
    const names = readdirSync(cache).filter((n) => n !== '.verilator-version.json' && n !== MARKER);
    expect(names.filter((n) => n.startsWith('.') || n.endsWith('.lock'))).toEqual([]);
    expect(names).toHaveLength(2);
    const again = await buildHarness(design, { cacheDir: cache, trace: true });
    expect(again.cached).toBe(true);
    expect(again.exe).toBe(rs[0]!.exe);
  }, T);

  it('cacheClean empties the folder (the marker stays)', async () => {
    const r = await cacheClean({ dir: cache });
    expect(r.removed.filter((n) => !n.startsWith('.'))).toHaveLength(2);
    expect(r.bytesFreed).toBeGreaterThan(0);
    expect(r.kept).toEqual([]);
    expect(readdirSync(cache)).toEqual([MARKER]);
    expect((await cacheClean({ dir: path.join(root, 'nope') })).removed).toEqual([]);
  }, T);
});
