// The lock of a cache entry being built: `<name>.lock`, created with O_EXCL, holding its owner
// (see cache.ts for when a lock is waited for and when it is broken).
import { randomBytes } from 'node:crypto';
import { lstat, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type ProcessOwner, currentOwner, ownerAlive, parseOwner } from '../../generator/io/owner.ts';
import { CacheDirError, fsWhy, pidTag } from './cache-folder.ts';

/** A lock older than this is considered abandoned even if its owner seems alive. */
export const STALE_LOCK_MS = 60 * 60 * 1000;

export interface LockInfo extends ProcessOwner {
  /** Random, to tell this lock from a later one at the same path. */
  token?: string;
  /** The entry being built. */
  name?: string;
}

function parseLock(v: unknown): LockInfo | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  // Locks of older dcgen versions hold `started` instead of `since`, and no procStart.
  const procStart = typeof o.procStart === 'string' ? o.procStart : null;
  const since = typeof o.since === 'number' ? o.since : typeof o.started === 'number' ? o.started : 0;
  const owner = parseOwner({ ...o, procStart, since });
  if (!owner || !Number.isInteger(owner.pid) || owner.pid <= 0) return undefined;
  return { ...owner, token: typeof o.token === 'string' ? o.token : undefined, name: typeof o.name === 'string' ? o.name : undefined };
}

export function newLockInfo(name: string): LockInfo {
  return { ...currentOwner(), token: randomBytes(8).toString('hex'), name };
}

export interface LockState {
  info?: LockInfo;
  mtimeMs: number;
}

export async function readLock(lockPath: string): Promise<LockState | undefined> {
  try {
    const st = await lstat(lockPath);
    let info: LockInfo | undefined;
    try {
      info = parseLock(JSON.parse(await readFile(lockPath, 'utf8')));
    } catch {
      info = undefined; // being written right now, or garbage
    }
    return { info, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

export function lockIsStale(l: LockState): boolean {
  const age = Date.now() - l.mtimeMs;
  if (age > STALE_LOCK_MS) return true;
  // A lock with unreadable content younger than a few seconds is being written.
  if (!l.info) return age > 10_000;
  return !ownerAlive(l.info);
}

/** Break a stale lock: rename it away (atomic, so only one breaker wins), then delete. */
export async function breakLock(lockPath: string): Promise<void> {
  const away = `${lockPath}.stale-${pidTag()}`;
  try {
    await rename(lockPath, away);
    await rm(away, { force: true });
  } catch {
    // someone else broke or released it
  }
}

export async function tryLock(lockPath: string, info: LockInfo): Promise<boolean> {
  try {
    const fh = await open(lockPath, 'wx');
    try {
      await fh.writeFile(JSON.stringify(info));
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new CacheDirError(path.dirname(lockPath), `cannot be used as a build cache: creating the lock ${path.basename(lockPath)} failed (${fsWhy(e)})`);
  }
}

/** Drop our lock, unless it was broken meanwhile and is now someone else's. */
export async function releaseLock(lockPath: string, info: LockInfo): Promise<void> {
  const l = await readLock(lockPath);
  if (l?.info && l.info.token !== undefined && l.info.token !== info.token) return;
  await rm(lockPath, { force: true });
}

export function describeOwner(info: LockInfo | undefined): string {
  return info ? `pid ${info.pid} on ${info.host}` : 'an unknown process';
}
