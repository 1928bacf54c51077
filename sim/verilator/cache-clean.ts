// `dcgen cache clean`: empty a cache folder of what dcgen wrote there.
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from '../../generator/io/owner.ts';
import { CLEAN_HINT, type CacheKind, CacheDirError, cacheDir, fsWhy, inspectRoot, pidTag } from './cache-folder.ts';
import { lstatOrUndefined } from '../../generator/io/fs.ts';
import { STALE_LOCK_MS, lockIsStale, readLock } from './cache-lock.ts';

async function sizeOf(p: string): Promise<number> {
  const st = await lstat(p).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of await readdir(p).catch(() => [] as string[])) total += await sizeOf(path.join(p, e));
  return total;
}

export interface CacheCleanResult {
  dir: string;
  kind: CacheKind;
  /** Whether the folder carries the marker (false: missing, empty or an older dcgen's cache). */
  marked: boolean;
  /** Entries (and abandoned temp folders / locks) removed. */
  removed: string[];
  /** Builds in progress (a live lock, a temp folder of a live process) left alone. */
  skipped: string[];
  /** Things dcgen did not write, left alone, and why they are not dcgen's. */
  kept: { name: string; why: string }[];
  bytesFreed: number;
}

/**
 * Empty a cache folder of what dcgen wrote there: finished entries, abandoned temp folders,
 * stale locks, logs. Builds in progress (a live lock) are left alone with their locks and temp
 * folders; anything else (not dcgen's) is kept and listed in `kept`. A folder without the
 * marker is refused (CacheDirError) unless it holds nothing but what dcgen writes (an older
 * dcgen's cache); the marker itself stays. `kind` 'designs' cleans the case-design folder
 * (`dir` then defaults to `designs` beside the cache folder).
 */
export async function cacheClean(opts: { dir?: string; kind?: CacheKind } = {}): Promise<CacheCleanResult> {
  const kind = opts.kind ?? 'builds';
  const dir = path.resolve(opts.dir ?? (kind === 'builds' ? cacheDir() : path.join(path.dirname(cacheDir()), 'designs')));
  const result: CacheCleanResult = { dir, kind, marked: false, removed: [], skipped: [], kept: [], bytesFreed: 0 };
  const state = inspectRoot(dir, kind, CLEAN_HINT);
  if (!state.exists) return result;
  result.marked = state.marked;
  const liveLocks = new Set<string>();
  for (const { name, item } of state.items) {
    if (item.type !== 'lock') continue;
    const l = await readLock(path.join(dir, name));
    if (l && !lockIsStale(l)) liveLocks.add(item.entry);
  }
  const remove = async (name: string, asideName?: string) => {
    const p = path.join(dir, name);
    const size = await sizeOf(p);
    let target = p;
    if (asideName) {
      // A finished entry disappears in one rename (a concurrent user sees it or not, never half of it).
      target = path.join(dir, asideName);
      try {
        await rename(p, target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw new CacheDirError(p, `cannot be removed (${fsWhy(e)})`);
      }
    }
    try {
      await rm(target, { recursive: true, force: true });
    } catch (e) {
      throw new CacheDirError(target, `cannot be removed (${fsWhy(e)})`);
    }
    result.bytesFreed += size;
    result.removed.push(name);
  };
  for (const { name, item } of state.items) {
    switch (item.type) {
      case 'marker':
      case 'gone':
        break;
      case 'foreign':
        result.kept.push({ name, why: item.why });
        break;
      case 'lock':
        if (liveLocks.has(item.entry)) result.skipped.push(name);
        else await remove(name);
        break;
      case 'owned-by': {
        const st = lstatOrUndefined(path.join(dir, name));
        const young = st !== undefined && Date.now() - st.mtimeMs < STALE_LOCK_MS;
        if ((item.entry !== undefined && liveLocks.has(item.entry)) || (processAlive(item.pid, null) && young)) result.skipped.push(name);
        else await remove(name);
        break;
      }
      case 'entry':
        await remove(name, kind === 'builds' ? `.stale-${name}-${pidTag()}` : `.${name}.old-${process.pid}-${Date.now().toString(36)}`);
        break;
      case 'removable':
        await remove(name);
        break;
    }
  }
  return result;
}
