// File-system failures the user can cause or fix (a full disk, a read-only folder, a name too
// long, a file where a folder should be) as user errors: one line naming the path and the
// cause. Anything the operating system reports with another code stays a bug (exit 70).
import path from 'node:path';
import { DcgenError } from '../errors.ts';

/** errno codes whose cause lies with the user's files, disk or permissions, and what they mean. */
const USER_FIXABLE: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'a folder is where a file was expected',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENAMETOOLONG: 'name too long',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder not empty',
  EXDEV: 'cannot move across file systems',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'resource busy',
  ETXTBSY: 'file busy',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ESTALE: 'stale network file handle',
};

/** `p` relative to the current folder when it lies inside it, else absolute. */
export function shownPath(p: string): string {
  const abs = path.resolve(p);
  const rel = path.relative(process.cwd(), abs);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

/** A path quoted for a one-line message: in single quotes, or JSON-escaped when it holds control characters (a newline). */
export function quotedPath(p: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(p) ? JSON.stringify(p) : `'${p}'`;
}

/** A file-system operation failed for a reason outside dcgen. */
export class FileSystemError extends DcgenError {
  constructor(
    readonly action: string,
    readonly file: string,
    readonly code: string,
  ) {
    super(`cannot ${action} '${shownPath(file)}': ${USER_FIXABLE[code] ?? code} (${code})`);
  }
}

/** An output path given on the command line (`--out`, `--json`, `--junit`, ...) that cannot be used. */
export class OutputPathError extends DcgenError {
  constructor(
    readonly option: string,
    readonly target: string,
    readonly rule: string,
  ) {
    super(`${option} '${target}': ${rule}`);
  }
}

interface ErrnoLike {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

function errnoOf(e: unknown): ErrnoLike | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? (e as Error & ErrnoLike) : undefined;
}

/** The errno code of a Node system error, if `e` is one. */
export function errnoCode(e: unknown): string | undefined {
  return errnoOf(e)?.code;
}

/** True for a system error the user can fix (see USER_FIXABLE). */
export function isUserFixable(e: unknown): boolean {
  const code = errnoCode(e);
  return code !== undefined && code in USER_FIXABLE;
}

const VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  write: 'write',
  read: 'read',
  mkdir: 'create the folder',
  rmdir: 'remove',
  rm: 'remove',
  unlink: 'remove',
  rename: 'rename',
  scandir: 'list',
  stat: 'read',
  lstat: 'read',
  fsync: 'write',
  copyfile: 'copy',
  symlink: 'link',
  spawn: 'run',
};

/**
 * A user-fixable system error as a FileSystemError naming the path it concerns (`file` when the
 * error itself names none); anything else unchanged. Callers rethrow the result.
 */
export function asUserError(e: unknown, action?: string, file?: string): unknown {
  if (e instanceof DcgenError) return e;
  const err = errnoOf(e);
  if (!err || !(err.code in USER_FIXABLE)) return e;
  const where = err.path ?? file;
  if (where === undefined) return e;
  const verb = action ?? VERBS[(err.syscall ?? '').replace(/^spawn .*/, 'spawn')] ?? err.syscall ?? 'use';
  return new FileSystemError(verb, where, err.code);
}
