// The few file-system operations through which dcgen writes its outputs. Each one passes the
// test hooks of faults.ts first (so a test can make it fail with ENOSPC, EXDEV, EPERM, ...), and
// files are flushed to disk before they are renamed into place.
//
// `exchange` is renameat2(RENAME_EXCHANGE): two paths swap their contents in one atomic step.
// Node has no binding for it; it is called in glibc through koffi (an FFI whose npm package
// ships its binaries, so nothing is compiled at install). Where the kernel, the file system or
// the C library lacks it, `exchange` says so and the callers fall back to a journal.
import { type Stats, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { exchangeDisabled, injectFault } from './faults.ts';

type Renameat2 = (olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number) => number;

const AT_FDCWD = -100;
const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;

let renameat2: { call: Renameat2; errno: () => number } | null | undefined;

function loadRenameat2(): typeof renameat2 {
  if (renameat2 !== undefined) return renameat2;
  renameat2 = null;
  if (process.platform !== 'linux') return renameat2;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as {
      load(lib: string): { func(decl: string): Renameat2 };
      errno(): number;
    };
    const call = koffi.load('libc.so.6').func('int renameat2(int, const char *, int, const char *, unsigned int)');
    renameat2 = { call, errno: () => koffi.errno() };
  } catch {
    renameat2 = null; // no glibc with renameat2 (musl before 1.2.3, other systems): journal mode
  }
  return renameat2;
}

const errnoNames = new Map<number, string>(Object.entries(constants.errno as Record<string, number>).map(([k, v]) => [v, k]));

function systemError(errno: number, syscall: string, from: string, to: string): Error {
  const code = errnoNames.get(errno) ?? `E${errno}`;
  return Object.assign(new Error(`${code}: ${syscall} '${from}' -> '${to}'`), { code, errno: -errno, syscall, path: from, dest: to });
}

/** The lstat of `p` (links not followed), or undefined when nothing is there. */
export function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** Write `data` to a new file and flush it to disk; on failure the file is gone again. */
export function writeFileDurable(file: string, data: string | Uint8Array): void {
  injectFault('open', file);
  const fd = openSync(file, 'wx');
  try {
    injectFault('write', file);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw e;
  }
  closeSync(fd);
}

export function makeDir(dir: string, recursive = false): void {
  injectFault('mkdir', dir);
  mkdirSync(dir, { recursive });
}

export function renamePath(from: string, to: string): void {
  injectFault('rename', from);
  renameSync(from, to);
}

/** Remove a file or a folder tree (no error when absent). */
export function removePath(p: string): void {
  injectFault('rm', p);
  rmSync(p, { recursive: true, force: true });
}

/** Flush a folder's entries (a rename inside it) to disk; best effort where folders cannot be opened. */
export function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a folder: nothing more to do
  } finally {
    closeSync(fd);
  }
}

/**
 * Swap the contents of two existing paths atomically. Returns false (nothing done) where
 * renameat2(RENAME_EXCHANGE) is not available for these paths.
 */
export function exchangePaths(a: string, b: string): boolean {
  injectFault('exchange', a);
  const r = exchangeDisabled() ? null : loadRenameat2();
  if (!r) return false;
  if (r.call(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) === 0) return true;
  const errno = r.errno();
  if (errno === constants.errno.EINVAL || errno === constants.errno.ENOSYS || errno === constants.errno.EOPNOTSUPP) return false;
  throw systemError(errno, 'rename', a, b);
}

/**
 * Rename `from` to `to` unless `to` exists. Returns false when `to` exists (nothing done). Without
 * renameat2 a plain rename does it (which would replace an empty folder at `to`: harmless here).
 */
export function renameNoReplace(from: string, to: string): boolean {
  injectFault('rename', from);
  const r = exchangeDisabled() ? null : loadRenameat2();
  if (r) {
    if (r.call(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) === 0) return true;
    const errno = r.errno();
    if (errno === constants.errno.EEXIST) return false;
    if (errno !== constants.errno.EINVAL && errno !== constants.errno.ENOSYS) throw systemError(errno, 'rename', from, to);
  }
  try {
    renameSync(from, to);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw e;
  }
}
