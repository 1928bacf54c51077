// Output paths given on the command line, checked before any work starts, and files written
// atomically. A symbolic link is written through to what it points to, never replaced; one
// that points nowhere is refused.
import { accessSync, chmodSync, constants, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OutputPathError, asUserError } from './errors.ts';
import { killPoint } from './faults.ts';
import { lstatOrUndefined, makeDir, removePath, renamePath, syncDir, writeFileDurable } from './fs.ts';
import { hostTag, ownerAlive, uniqueTag } from './owner.ts';
import { type FolderClaim, recoverInterrupted } from './replace.ts';

const NAME_MAX = 255;
const PATH_MAX = 4095;

/** Follow a symbolic link at `abs` to the real path; refuse one that points nowhere. */
function throughLinks(option: string, given: string, abs: string): string {
  const st = lstatOrUndefined(abs);
  if (!st?.isSymbolicLink()) {
    // A link further up the path is fine: the kernel follows it, and nothing replaces it.
    return abs;
  }
  try {
    return realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    let to = '?';
    try {
      to = readlinkSync(abs);
    } catch {
      // keep '?'
    }
    if (code === 'ELOOP') throw new OutputPathError(option, given, 'a symbolic link that loops');
    throw new OutputPathError(option, given, `a symbolic link to '${to}', which does not exist; create it or give another path`);
  }
}

function checkNames(option: string, given: string, abs: string): void {
  if (Buffer.byteLength(abs) > PATH_MAX) throw new OutputPathError(option, given, `path too long (${Buffer.byteLength(abs)} bytes; at most ${PATH_MAX})`);
  const long = abs.split(path.sep).find((c) => Buffer.byteLength(c) > NAME_MAX);
  if (long !== undefined) throw new OutputPathError(option, given, `a name in the path is too long (${Buffer.byteLength(long)} bytes; at most ${NAME_MAX})`);
}

/** The nearest existing folder at or above `dir` must be a folder that dcgen may write in. */
function checkWritableAncestor(option: string, given: string, dir: string): void {
  let probe = dir;
  while (!lstatOrUndefined(probe)) probe = path.dirname(probe);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(probe);
  } catch {
    throw new OutputPathError(option, given, `'${probe}' is a symbolic link that points nowhere`);
  }
  if (!st.isDirectory()) throw new OutputPathError(option, given, `expected a folder path, but '${probe}' is a file`);
  try {
    accessSync(probe, constants.W_OK | constants.X_OK);
  } catch {
    throw new OutputPathError(option, given, `cannot write in '${probe}': permission denied`);
  }
}

/**
 * Check an output folder before any work: returns the absolute path to write (through a
 * symbolic link), after recovering what killed runs left beside it. An existing folder must be
 * empty or pass `claim` (else the error names why it is not dcgen's).
 */
export function resolveOutputFolder(option: string, given: string, claim: FolderClaim): string {
  const abs0 = path.resolve(given);
  checkNames(option, given, abs0);
  const abs = throughLinks(option, given, abs0);
  if (path.dirname(abs) === abs) throw new OutputPathError(option, given, 'expected a folder below the root');
  const cwd = process.cwd();
  if (cwd === abs || cwd.startsWith(abs + path.sep)) throw new OutputPathError(option, given, 'expected a folder that does not contain the current folder');
  checkWritableAncestor(option, given, path.dirname(abs));
  try {
    recoverInterrupted(abs, claim);
  } catch (e) {
    throw asUserError(e);
  }
  const st = lstatOrUndefined(abs);
  if (st) {
    if (!st.isDirectory()) throw new OutputPathError(option, given, 'expected a folder, found a file');
    let names: string[];
    try {
      names = readdirSync(abs);
    } catch (e) {
      throw asUserError(e, 'list', abs);
    }
    const why = names.length === 0 ? undefined : claim(abs);
    if (why !== undefined) throw new OutputPathError(option, given, `${why}; dcgen will not replace it`);
  }
  return abs;
}

/** Check an output file before any work; returns the absolute path to write (through a symbolic link). */
export function resolveOutputFile(option: string, given: string): string {
  const abs0 = path.resolve(given);
  checkNames(option, given, abs0);
  const abs = throughLinks(option, given, abs0);
  const st = lstatOrUndefined(abs);
  if (st?.isDirectory()) throw new OutputPathError(option, given, 'expected a file, found a folder');
  if (st && !st.isFile()) throw new OutputPathError(option, given, 'expected a regular file (found a device, pipe or socket)');
  checkWritableAncestor(option, given, path.dirname(abs));
  return abs;
}

const TEMP = /^\.(.+)\.dcgen-([0-9a-f]{6})-(\d+)-[0-9a-f]{8}\.tmp$/;

/** Remove the temporary files that dead dcgen processes left beside `file`. */
function removeDeadTemps(file: string): void {
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const mine = hostTag();
  for (const n of names) {
    const m = TEMP.exec(n);
    if (!m || m[1] !== path.basename(file) || m[2] !== mine) continue;
    if (!ownerAlive({ pid: Number(m[3]), host: os.hostname(), procStart: null })) removePath(path.join(dir, n));
  }
}

/**
 * Write `text` to `file` atomically: a reader sees the old file or the new one, never a part.
 * Creates the folder; keeps an existing file's permissions; writes through a symbolic link.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  let abs = path.resolve(file);
  const tmp0 = () => path.join(path.dirname(abs), `.${path.basename(abs)}.dcgen-${uniqueTag()}.tmp`);
  let tmp: string | undefined;
  try {
    abs = throughLinks('output', file, abs);
    makeDir(path.dirname(abs), true);
    removeDeadTemps(abs);
    tmp = tmp0();
    writeFileDurable(tmp, text);
    const old = lstatOrUndefined(abs);
    if (old?.isFile()) chmodSync(tmp, Number(old.mode) & 0o7777);
    killPoint('file:staged');
    renamePath(tmp, abs);
    tmp = undefined;
    syncDir(path.dirname(abs));
  } catch (e) {
    throw asUserError(e, undefined, abs);
  } finally {
    if (tmp !== undefined) removePath(tmp);
  }
}

/**
 * Check a folder that a command fills with files of its own (work folders, reports) without
 * replacing it: it may exist (as a folder) or be created. Returns the absolute path.
 */
export function resolveWorkFolder(option: string, given: string): string {
  const abs0 = path.resolve(given);
  checkNames(option, given, abs0);
  const abs = throughLinks(option, given, abs0);
  const st = lstatOrUndefined(abs);
  if (st && !st.isDirectory()) throw new OutputPathError(option, given, 'expected a folder, found a file');
  checkWritableAncestor(option, given, abs);
  return abs;
}
