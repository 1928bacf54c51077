// Who owns a lock, a journal or a temporary folder: a process, named by host, pid and the
// kernel's start time of that pid (so a recycled pid is not taken for the owner).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface ProcessOwner {
  pid: number;
  host: string;
  /** Start time of the pid in clock ticks since boot (Linux /proc/<pid>/stat field 22); null elsewhere. */
  procStart: string | null;
  /** Wall-clock time the owner took the lock or wrote the journal (ms since the epoch). */
  since: number;
}

/** Field 22 of /proc/<pid>/stat, or null when the process does not exist or /proc is absent. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses; fields restart after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

export function currentOwner(): ProcessOwner {
  return { pid: process.pid, host: os.hostname(), procStart: processStartTime(process.pid), since: Date.now() };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process `pid` of this host may still be the one started at `procStart`: false only
 * when the pid is dead or now belongs to a process started at another time (with `procStart`
 * null: whether the pid exists). Our own pid gets the same check, so a file left by an earlier
 * process that had our pid counts as that (gone) process's.
 */
export function processAlive(pid: number, procStart: string | null): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !pidExists(pid)) return false;
  if (procStart === null) return true;
  const now = processStartTime(pid);
  return now === null || now === procStart;
}

/**
 * False only when the owner is certainly gone: on this host, its pid is dead or now belongs to
 * a process started at another time. An owner on another host is taken as alive.
 */
export function ownerAlive(o: Pick<ProcessOwner, 'pid' | 'host' | 'procStart'>): boolean {
  return o.host !== os.hostname() || processAlive(o.pid, o.procStart);
}

/** Parse a ProcessOwner written by JSON.stringify(currentOwner()); undefined when malformed. */
export function parseOwner(v: unknown): ProcessOwner | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.since !== 'number') return undefined;
  if (o.procStart !== null && typeof o.procStart !== 'string') return undefined;
  return { pid: o.pid, host: o.host, procStart: o.procStart, since: o.since };
}

/** A short tag of this host for file names (hostnames may hold characters unfit for names). */
export function hostTag(host = os.hostname()): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 6);
}

/** A name part unique to this process and call: `<host tag>-<pid>-<random>`. */
export function uniqueTag(): string {
  return `${hostTag()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
