// The Verilator build cache: one folder holding every built harness, one entry per content
// hash (Verilog sources + harness source + flags + `verilator --version`).
//
// Where: env DCGEN_CACHE_DIR if set (absolute, or relative to the working directory), else
// `<repo>/.cache/verilator`. The designs generated for the cosim cases live in `designs`
// beside it (sim/cases/case.ts); both folders are cleaned by `dcgen cache clean`.
//
// Layout of the folder:
//   .dcgen-cache       the marker: JSON {what, kind, format}; says that dcgen owns this folder
//   <name>/            a finished entry (<name> = <top>-<20 hex of the hash>[-fst]); never modified
//     Vsim               the harness executable
//     entry.json         what went into the hash, build time, tool version, Vsim's size and sha256
//     harness.cpp, src/  the exact sources that were built
//     build.log          Verilator + compiler output
//   <name>.lock        held (created with O_EXCL) while one process builds <name>: {pid, host,
//                      procStart (Linux: field 22 of /proc/<pid>/stat), since, token, name}
//   .tmp-<name>-<pid>-<rand>/     a build in progress; renamed to <name> when complete
//   .stale-<name>-<pid>-<rand>/   a corrupt entry moved aside, being removed
//   <name>.failed.log  the log of the last failed build
//   .verilator-version.json       memo of `verilator --version`
//
// Ownership: dcgen builds only in a folder that is new, empty, or carries the marker (an
// unmarked folder that holds nothing but cache entries, the cache of an older dcgen, is adopted
// and marked). `cacheClean` refuses a folder without the marker (unless it holds only cache
// entries), and inside a marked folder removes only what has the cache's names and shapes;
// anything else is kept and reported. The designs folder gets its own marker (kind
// "designs") and the same treatment: only design folders that dcgen generated are removed.
//
// Integrity: entry.json records Vsim's size and sha256; `exeIntact` checks them (memoised per
// process by path, size, mtime, ctime and inode, so a hit hashes the file once per process). A
// complete-looking entry that fails the check (truncated or replaced Vsim, entry.json missing or
// corrupt) is moved aside under the lock, removed, and rebuilt.
//
// Concurrency: a builder takes the lock, re-checks that the entry is still missing, builds in
// its own temp folder and renames it into place, then drops the lock. Others wait for the
// entry (polling) while the lock is held, reporting progress every 10 s. A lock whose owner is
// gone (same host: pid dead, or the pid now belongs to a process started at another time) is
// broken at once; one older than STALE_LOCK_MS is broken whatever its owner. Should two builds
// ever race anyway (e.g. a stale lock broken twice), the rename decides: the first complete
// entry wins, the loser's folder is deleted and the winner used, so an entry is never
// half-written or overwritten.
//
// The code: cache-folder.ts (location, marker, what belongs to a folder), cache-lock.ts (the
// entry locks), cache-clean.ts (`dcgen cache clean`); this file builds and checks entries and
// exports the whole API.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DcgenError } from '../../generator/errors.ts';
import { CacheDirError, fsWhy, looksLikeEntry, pidTag } from './cache-folder.ts';
import { type LockInfo, breakLock, describeOwner, lockIsStale, newLockInfo, readLock, releaseLock, tryLock } from './cache-lock.ts';

export { processStartTime } from '../../generator/io/owner.ts';
export { CACHE_DIR_ENV, CacheDirError, ENTRY_NAME_RE, MARKER, MARKER_FORMAT, REPO_ROOT, cacheDir, checkCleanable, ensureRootMarker, looksLikeEntry } from './cache-folder.ts';
export type { CacheKind } from './cache-folder.ts';
export { STALE_LOCK_MS } from './cache-lock.ts';
export type { LockInfo } from './cache-lock.ts';
export { cacheClean } from './cache-clean.ts';
export type { CacheCleanResult } from './cache-clean.ts';

/** How long a waiter waits for another process's build before giving up. */
export const WAIT_LIMIT_MS = 30 * 60 * 1000;

/** How often a waiter reports that it is still waiting. */
export const PROGRESS_MS = 10_000;

const POLL_MS = 100;

/** Gave up waiting for another process's build. */
export class CacheLockTimeoutError extends DcgenError {}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Entry integrity

const intactMemo = new Map<string, string>();

/** Size and sha256 of a file. */
export function fileDigest(file: string): { size: number; sha256: string } {
  const data = readFileSync(file);
  return { size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

/**
 * Whether `file` is a regular file with the recorded size and sha256. Memoised per process by
 * path + size + mtime + ctime + inode, so a file is hashed once per process.
 */
export function exeIntact(file: string, want: { size: number; sha256: string }): boolean {
  let st;
  try {
    st = statSync(file);
  } catch {
    return false;
  }
  if (!st.isFile() || st.size !== want.size) return false;
  const stamp = `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${want.sha256}`;
  if (intactMemo.get(file) === stamp) return true;
  let sha: string;
  try {
    sha = fileDigest(file).sha256;
  } catch {
    return false;
  }
  if (sha !== want.sha256) return false;
  intactMemo.set(file, stamp);
  return true;
}

// ---------------------------------------------------------------------------------------------
// ensureEntry

export interface LockWait {
  /** The entry waited for. */
  name: string;
  lockPath: string;
  /** The lock's owner, when readable. */
  owner?: LockInfo;
  waitedMs: number;
  /** `waiting for pid N on HOST building NAME (lock PATH), 20 s so far` */
  message: string;
}

export interface EnsureOptions {
  /** How often to look at the lock while waiting (default 100 ms). */
  pollMs?: number;
  /** Report progress this often while waiting on a live lock (default 10 s). */
  progressMs?: number;
  /** Give up waiting after this long (default 30 min). */
  waitLimitMs?: number;
  /** Progress while waiting (default: one line on stderr every progressMs). */
  onWait?: (w: LockWait) => void;
  /** May a folder at the entry's path that is not `ready` be moved aside and removed? Default looksLikeEntry. */
  owned?: (dir: string) => boolean;
}

function defaultOnWait(w: LockWait): void {
  process.stderr.write(`dcgen: ${w.message}\n`);
}

export interface EntryResult {
  /** Absolute path of the finished entry folder. */
  path: string;
  /** True when this call did not build (the entry existed, or another process built it). */
  cached: boolean;
  /** Milliseconds spent waiting for another process's build. */
  waitedMs: number;
  /** Set when a corrupt entry was found, moved aside and rebuilt. */
  replaced?: boolean;
}

/** Move a non-ready folder at `entry` aside (one rename: it disappears at once) and remove it. */
async function moveAside(root: string, name: string, owned: (dir: string) => boolean): Promise<boolean> {
  const entry = path.join(root, name);
  const st = await lstat(entry).catch(() => undefined);
  if (!st) return false;
  if (!st.isDirectory() || !owned(entry)) {
    throw new CacheDirError(entry, `is in the way of a cache entry and does not look like one dcgen wrote (${st.isDirectory() ? 'unexpected contents' : 'not a folder'}); move it away`);
  }
  const away = path.join(root, `.stale-${name}-${pidTag()}`);
  try {
    await rename(entry, away);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new CacheDirError(entry, `is a corrupt cache entry that cannot be moved aside (${fsWhy(e)}); remove it by hand`);
  }
  await rm(away, { recursive: true, force: true });
  return true;
}

/**
 * Return the finished entry `<root>/<name>`, building it with `build(tmpDir)` if missing or
 * corrupt. `build` fills a fresh temp folder and `ready(dir)` says whether a folder is a
 * complete, intact entry. Safe against concurrent callers in this and other processes.
 */
export async function ensureEntry(root: string, name: string, ready: (dir: string) => boolean, build: (tmpDir: string) => Promise<void>, opts: EnsureOptions = {}): Promise<EntryResult> {
  const entry = path.join(root, name);
  if (ready(entry)) return { path: entry, cached: true, waitedMs: 0 };
  try {
    await mkdir(root, { recursive: true });
  } catch (e) {
    throw new CacheDirError(root, `cannot be used as a build cache: creating it failed (${fsWhy(e)})`);
  }
  const lockPath = `${entry}.lock`;
  const pollMs = opts.pollMs ?? POLL_MS;
  const progressMs = opts.progressMs ?? PROGRESS_MS;
  const waitLimitMs = opts.waitLimitMs ?? WAIT_LIMIT_MS;
  const onWait = opts.onWait ?? defaultOnWait;
  const me = newLockInfo(name);
  const t0 = Date.now();
  let nextReport = t0 + progressMs;
  for (;;) {
    if (ready(entry)) return { path: entry, cached: true, waitedMs: Date.now() - t0 };
    if (await tryLock(lockPath, me)) break;
    const l = await readLock(lockPath);
    if (!l) continue; // released meanwhile
    if (lockIsStale(l)) {
      await breakLock(lockPath);
      continue;
    }
    const waited = Date.now() - t0;
    if (waited > waitLimitMs) {
      throw new CacheLockTimeoutError(
        `gave up after ${Math.round(waited / 1000)} s waiting for ${describeOwner(l.info)} to build ${name} (lock ${lockPath}); if that process is stuck, stop it, or if it is gone delete the lock file`,
      );
    }
    if (Date.now() >= nextReport) {
      onWait({ name, lockPath, owner: l.info, waitedMs: waited, message: `waiting for ${describeOwner(l.info)} building ${name} (lock ${lockPath}), ${Math.round(waited / 1000)} s so far` });
      nextReport += progressMs;
    }
    await sleep(pollMs);
  }
  // We hold the lock.
  try {
    if (ready(entry)) return { path: entry, cached: true, waitedMs: Date.now() - t0 };
    // A folder there that is not ready is corrupt (Vsim truncated or replaced, entry.json
    // missing or unreadable): move it aside and rebuild.
    const replaced = await moveAside(root, name, opts.owned ?? looksLikeEntry);
    const tmp = path.join(root, `.tmp-${name}-${pidTag()}`);
    try {
      await mkdir(tmp);
    } catch (e) {
      throw new CacheDirError(root, `cannot be used as a build cache: creating a build folder failed (${fsWhy(e)})`);
    }
    try {
      await build(tmp);
      if (!ready(tmp)) throw new Error(`internal: build of ${name} finished without a complete entry`);
      for (let attempt = 0; ; attempt++) {
        try {
          await rename(tmp, entry);
          break;
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          const race = code === 'ENOTEMPTY' || code === 'EEXIST';
          if (!race || attempt > 0) throw new CacheDirError(entry, `cannot be put in place in the build cache (${fsWhy(e)})`);
          // Lost a race (only possible after a broken lock): keep the winner's entry.
          if (ready(entry)) return { path: entry, cached: true, waitedMs: Date.now() - t0 };
          await moveAside(root, name, opts.owned ?? looksLikeEntry);
        }
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return { path: entry, cached: false, waitedMs: 0, ...(replaced ? { replaced } : {}) };
  } finally {
    await releaseLock(lockPath, me);
  }
}
