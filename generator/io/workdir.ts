// Work folders that dcgen fills and later removes (a regression case's stimulus and waveforms, a
// mutant's sources). Each carries a marker file from its creation, and only a folder with that
// marker is ever removed: a user's folder that happens to have the same name is refused, never
// deleted.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DcgenError } from '../errors.ts';
import { asUserError, shownPath } from './errors.ts';
import { makeDir, removePath, writeFileDurable } from './fs.ts';

/** The marker file of a dcgen work folder. */
export const WORK_MARKER = '.dcgen-work';

export class ForeignFolderError extends DcgenError {
  constructor(readonly dir: string) {
    super(`'${shownPath(dir)}': expected a work folder that dcgen made (with its ${WORK_MARKER} marker) or no folder; found a folder dcgen did not make, which it will not remove`);
  }
}

export function isWorkFolder(dir: string): boolean {
  return existsSync(path.join(dir, WORK_MARKER));
}

/** Remove the work folder `dir` if present; refuse (ForeignFolderError) a folder without the marker. */
export function removeWorkFolder(dir: string): void {
  if (!existsSync(dir)) return;
  if (!isWorkFolder(dir)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // not a folder: refused below
    }
    if (names.length > 0 || !existsSync(dir)) throw new ForeignFolderError(dir);
  }
  try {
    removePath(dir);
  } catch (e) {
    throw asUserError(e, 'remove', dir);
  }
}

/** A fresh, empty (but for its marker) work folder at `dir`; an earlier dcgen work folder there is removed. */
export function freshWorkFolder(dir: string): string {
  removeWorkFolder(dir);
  try {
    makeDir(dir, true);
    writeFileDurable(path.join(dir, WORK_MARKER), 'A work folder of dcgen: dcgen may remove it.\n');
  } catch (e) {
    throw asUserError(e, undefined, dir);
  }
  return dir;
}
