// The Verilator build cache: one folder holding every built harness, one entry per content
// hash (Verilog sources + harness source + flags + `verilator --version`).
//
// Where: env DCGEN_CACHE_DIR if set (absolute, or relative to the working directory), else
// `<repo>/.cache/verilator`. `cacheClean()` empties it (the future `dcgen cache clean`).
//
// Layout of the folder:
//   <name>/            a finished entry (<name> = <top>-<hash prefix>); never modified again
//     Vsim               the harness executable
//     entry.json         what went into the hash, build time, tool version
//     harness.cpp, src/  the exact sources that were built
//     build.log          Verilator + compiler output
//   <name>.lock        held (created with O_EXCL) while one process builds <name>
//   .tmp-<name>-<pid>-<rand>/   a build in progress; renamed to <name> when complete
//
// Concurrency: a builder takes the lock, re-checks that the entry is still missing, builds in
// its own temp folder and renames it into place, then drops the lock. Others wait for the
// entry (polling) while the lock is held. A lock whose owner died (same host, pid gone, or
// older than STALE_LOCK_MS) is broken. Should two builds ever race anyway (e.g. a stale lock
// broken twice), the rename decides: the first complete entry wins, the loser's folder is
// deleted and the winner used, so an entry is never half-written or overwritten.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Env variable that moves the cache folder. */
export const CACHE_DIR_ENV = 'DCGEN_CACHE_DIR';

/** A lock older than this is considered abandoned even if its owner seems alive. */
export const STALE_LOCK_MS = 60 * 60 * 1000;

/** How long a waiter waits for another process's build before giving up. */
export const WAIT_LIMIT_MS = 30 * 60 * 1000;

const POLL_MS = 100;

/** The cache folder: $DCGEN_CACHE_DIR, else <repo>/.cache/verilator. */
export function cacheDir(): string {
  const env = process.env[CACHE_DIR_ENV];
  return env && env.trim() !== '' ? path.resolve(env) : path.join(REPO_ROOT, '.cache', 'verilator');
}

export class CacheLockTimeoutError extends Error {
  override readonly name = 'CacheLockTimeoutError';
}

interface LockInfo {
  pid: number;
  host: string;
  started: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(lockPath: string): Promise<{ info?: LockInfo; mtimeMs: number } | undefined> {
  try {
    const st = await stat(lockPath);
    let info: LockInfo | undefined;
    try {
      info = JSON.parse(await readFile(lockPath, 'utf8')) as LockInfo;
    } catch {
      info = undefined; // being written right now, or garbage
    }
    return { info, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

function lockIsStale(l: { info?: LockInfo; mtimeMs: number }): boolean {
  const age = Date.now() - l.mtimeMs;
  if (age > STALE_LOCK_MS) return true;
  // A lock with unreadable content younger than a few seconds is being written.
  if (!l.info) return age > 10_000;
  return l.info.host === os.hostname() && !pidAlive(l.info.pid);
}

/** Break a stale lock: rename it away (atomic, so only one breaker wins), then delete. */
async function breakLock(lockPath: string): Promise<void> {
  const away = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, away);
    await rm(away, { force: true });
  } catch {
    // someone else broke or released it
  }
}

async function tryLock(lockPath: string): Promise<boolean> {
  try {
    const fh = await open(lockPath, 'wx');
    try {
      await fh.writeFile(JSON.stringify({ pid: process.pid, host: os.hostname(), started: Date.now() } satisfies LockInfo));
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

export interface EntryResult {
  /** Absolute path of the finished entry folder. */
  path: string;
  /** True when this call did not build (the entry existed, or another process built it). */
  cached: boolean;
  /** Milliseconds spent waiting for another process's build. */
  waitedMs: number;
}

/**
 * Return the finished entry `<root>/<name>`, building it with `build(tmpDir)` if missing.
 * `build` fills a fresh temp folder and `ready(dir)` says whether a folder is a complete
 * entry. Safe against concurrent callers in this and other processes.
 */
export async function ensureEntry(
  root: string,
  name: string,
  ready: (dir: string) => boolean,
  build: (tmpDir: string) => Promise<void>,
): Promise<EntryResult> {
  const entry = path.join(root, name);
  if (ready(entry)) return { path: entry, cached: true, waitedMs: 0 };
  await mkdir(root, { recursive: true });
  const lockPath = `${entry}.lock`;
  const t0 = Date.now();
  for (;;) {
    if (ready(entry)) return { path: entry, cached: true, waitedMs: Date.now() - t0 };
    if (await tryLock(lockPath)) break;
    const l = await readLock(lockPath);
    if (l && lockIsStale(l)) {
      await breakLock(lockPath);
      continue;
    }
    if (Date.now() - t0 > WAIT_LIMIT_MS) {
      throw new CacheLockTimeoutError(`waited ${Math.round((Date.now() - t0) / 1000)} s for another process to build ${entry} (lock ${lockPath}${l?.info ? `, pid ${l.info.pid} on ${l.info.host}` : ''}); delete the lock if that process is gone`);
    }
    await sleep(POLL_MS);
  }
  // We hold the lock.
  try {
    if (ready(entry)) return { path: entry, cached: true, waitedMs: Date.now() - t0 };
    const tmp = path.join(root, `.tmp-${name}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp);
    try {
      await build(tmp);
      if (!ready(tmp)) throw new Error(`internal: build of ${name} finished without a complete entry`);
      try {
        await rename(tmp, entry);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Lost a race (only possible after a broken lock): keep the winner's entry.
        if ((code === 'ENOTEMPTY' || code === 'EEXIST') && ready(entry)) return { path: entry, cached: true, waitedMs: Date.now() - t0 };
        throw e;
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return { path: entry, cached: false, waitedMs: 0 };
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function sizeOf(p: string): Promise<number> {
  const st = await lstat(p).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of await readdir(p)) total += await sizeOf(path.join(p, e));
  return total;
}

export interface CacheCleanResult {
  dir: string;
  /** Entries (and abandoned temp folders / locks) removed. */
  removed: string[];
  /** Builds in progress that were left alone. */
  skipped: string[];
  bytesFreed: number;
}

/**
 * Empty the cache folder: every finished entry, abandoned temp folders and stale locks.
 * Builds in progress (a live lock) are left alone, with their locks and temp folders.
 */
export async function cacheClean(opts: { dir?: string } = {}): Promise<CacheCleanResult> {
  const dir = opts.dir ?? cacheDir();
  const result: CacheCleanResult = { dir, removed: [], skipped: [], bytesFreed: 0 };
  if (!existsSync(dir)) return result;
  const names = await readdir(dir);
  const liveLocks = new Set<string>();
  for (const n of names.filter((x) => x.endsWith('.lock'))) {
    const l = await readLock(path.join(dir, n));
    if (l && !lockIsStale(l)) liveLocks.add(n.slice(0, -'.lock'.length));
  }
  for (const n of names) {
    const p = path.join(dir, n);
    const tmp = /^\.tmp-(.+)-(\d+)-[0-9a-f]+$/.exec(n);
    const entryName = tmp ? tmp[1]! : n.endsWith('.lock') ? n.slice(0, -'.lock'.length) : n.replace(/\.lock\.stale-.*$/, '');
    if ((tmp || n.endsWith('.lock')) && liveLocks.has(entryName)) {
      result.skipped.push(n);
      continue;
    }
    result.bytesFreed += await sizeOf(p);
    await rm(p, { recursive: true, force: true });
    result.removed.push(n);
  }
  return result;
}
