// A lock file, created with O_EXCL, that records its owner (host, pid, pid start time). A lock
// whose owner is gone is broken; a live one is waited for, with a progress line now and then.
// Synchronous: it guards steps of milliseconds (the commit of an output folder).
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { DcgenError } from '../errors.ts';
import { writeFileDurable } from './fs.ts';
import { type ProcessOwner, currentOwner, ownerAlive, parseOwner, uniqueTag } from './owner.ts';

export class LockTimeoutError extends DcgenError {
  constructor(
    readonly lockPath: string,
    readonly owner: ProcessOwner | undefined,
    waitedMs: number,
  ) {
    const who = owner ? `pid ${owner.pid} on ${owner.host}` : 'an unknown process';
    super(`waited ${Math.round(waitedMs / 1000)} s for ${who} to release the lock '${lockPath}'; if that process is gone, delete the lock`);
  }
}

export interface LockOptions {
  /** Give up after this long (default 120 s). */
  timeoutMs?: number;
  /** Called about every `progressMs` while waiting (default 10 s). */
  onWait?: (owner: ProcessOwner | undefined, waitedMs: number) => void;
  progressMs?: number;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** The owner recorded in a lock file, undefined if it is unreadable or half-written. */
export function readLockOwner(lockPath: string): ProcessOwner | undefined {
  try {
    return parseOwner(JSON.parse(readFileSync(lockPath, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Break a lock whose owner is gone: rename it away first, so only one breaker wins. */
function breakLock(lockPath: string): void {
  const away = `${lockPath}.broken-${uniqueTag()}`;
  try {
    renameSync(lockPath, away);
    rmSync(away, { force: true });
  } catch {
    // someone else broke or released it
  }
}

/** Take `lockPath`, run `fn`, release. */
export function withLock<T>(lockPath: string, fn: () => T, opts: LockOptions = {}): T {
  const timeout = opts.timeoutMs ?? 120_000;
  const progress = opts.progressMs ?? 10_000;
  const t0 = Date.now();
  let nextReport = t0 + progress;
  let unreadableSince: number | undefined;
  for (;;) {
    try {
      writeFileDurable(lockPath, JSON.stringify(currentOwner()));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readLockOwner(lockPath);
    if (owner && !ownerAlive(owner)) {
      breakLock(lockPath);
      continue;
    }
    // A lock without a readable owner is being written; after 5 s it is an abandoned one.
    if (!owner) {
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince > 5_000) {
        breakLock(lockPath);
        continue;
      }
    } else unreadableSince = undefined;
    const waited = Date.now() - t0;
    if (waited > timeout) throw new LockTimeoutError(lockPath, owner, waited);
    if (Date.now() >= nextReport) {
      opts.onWait?.(owner, waited);
      nextReport += progress;
    }
    sleepSync(20);
  }
  try {
    return fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
