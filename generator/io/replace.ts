// Replacing an output folder as one step: at every instant its path holds either the complete
// old folder or the complete new one, and a run killed at any point loses nothing.
//
// The new contents are written into a staging folder beside the target; then, under a lock,
// renameat2(RENAME_EXCHANGE) swaps the two in one step and the old contents, now in the staging
// folder, are removed. Where the exchange is unavailable, two renames do it (target → old,
// staging → target) recorded in a journal, and the next run that writes beside the target
// finishes or undoes what a killed run left. Every temporary name is claimed by a journal
// (owner: host, pid, pid start time) written before the folder exists, so recovery only ever
// touches what a dead dcgen process wrote:
//
//   .<name>.dcgen-<tag>.journal   {target, stage, old, owner, state}
//   .<name>.dcgen-<tag>.stage     the new contents (after an exchange: the old ones)
//   .<name>.dcgen-<tag>.old       journal mode: the old contents while the new move in
//   .<name>.dcgen-lock            held while committing or recovering
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { asUserError } from './errors.ts';
import { killPoint } from './faults.ts';
import { exchangePaths, lstatOrUndefined, makeDir, removePath, renameNoReplace, renamePath, syncDir, writeFileDurable } from './fs.ts';
import { withLock } from './lock.ts';
import { type ProcessOwner, currentOwner, ownerAlive, parseOwner, uniqueTag } from './owner.ts';

/** Why `dir` (an existing, non-empty folder) may not be replaced; undefined when it may. */
export type FolderClaim = (dir: string) => string | undefined;

/** A replacement refused because the existing folder is not dcgen's (or became so meanwhile). */
export class FolderNotOursError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

interface Journal {
  kind: 'dcgen-replace';
  target: string;
  stage: string;
  old: string;
  owner: ProcessOwner;
  /** staging: the target is untouched; staged: the stage is complete and may move in. */
  state: 'staging' | 'staged';
}

const JOURNAL = /^\.(.+)\.dcgen-([0-9a-f]{6}-\d+-[0-9a-f]{8})\.journal$/;
/** The previous writer's temporary names: `.<name>.tmp-<pid>-<base36>`, `.<name>.old-<pid>-<base36>`. */
const LEGACY = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-z]+$/;

function exists(p: string): boolean {
  return lstatOrUndefined(p) !== undefined;
}

function isEmptyFolder(p: string): boolean {
  try {
    return readdirSync(p).length === 0;
  } catch {
    return false;
  }
}

function writeJournal(file: string, j: Journal): void {
  const tmp = `${file}.new`;
  try {
    writeFileDurable(tmp, JSON.stringify(j));
    renamePath(tmp, file);
  } finally {
    removePath(tmp);
  }
}

function readJournal(file: string): Journal | undefined {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Journal;
    const owner = parseOwner(j.owner);
    if (j.kind !== 'dcgen-replace' || !owner || typeof j.stage !== 'string' || typeof j.old !== 'string' || typeof j.target !== 'string') return undefined;
    return { ...j, owner };
  } catch {
    return undefined;
  }
}

/**
 * Finish or undo what killed runs left beside `target` (call with its lock held): a missing
 * target gets back its complete new contents (journal state `staged`) or its old ones; the
 * temporary folders of dead owners are removed. Returns the names recovered or removed.
 */
function recoverBeside(target: string, claim: FolderClaim): string[] {
  const parent = path.dirname(target);
  const base = path.basename(target);
  const done: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return done;
  }
  for (const n of names) {
    const m = JOURNAL.exec(n);
    if (!m || m[1] !== base) continue;
    const file = path.join(parent, n);
    const j = readJournal(file);
    if (j && ownerAlive(j.owner)) continue;
    const stage = path.join(parent, j ? path.basename(j.stage) : `.${base}.dcgen-${m[2]}.stage`);
    const old = path.join(parent, j ? path.basename(j.old) : `.${base}.dcgen-${m[2]}.old`);
    if (!exists(target)) {
      if (j?.state === 'staged' && exists(stage)) renamePath(stage, target);
      else if (exists(old)) renamePath(old, target);
      if (exists(target)) done.push(`restored ${base}`);
    }
    for (const p of [stage, old]) {
      if (exists(p)) {
        removePath(p);
        done.push(`removed ${path.basename(p)}`);
      }
    }
    removePath(file);
  }
  // Leftovers of the previous writer (two renames, no journal): restore a lost target, remove the rest.
  for (const n of names) {
    const m = LEGACY.exec(n);
    if (!m || m[1] !== base || ownerAlive({ pid: Number(m[3]), host: currentOwner().host, procStart: null })) continue;
    const p = path.join(parent, n);
    if (!exists(target) && m[2] === 'old' && claim(p) === undefined) {
      renamePath(p, target);
      done.push(`restored ${base}`);
    } else if (isEmptyFolder(p) || claim(p) === undefined) {
      removePath(p);
      done.push(`removed ${n}`);
    }
  }
  return done;
}

function lockPathOf(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.dcgen-lock`);
}

/** Recover what killed runs left beside `target` (see recoverBeside); safe to call any time. */
export function recoverInterrupted(target: string, claim: FolderClaim): string[] {
  if (!exists(path.dirname(target))) return [];
  return withLock(lockPathOf(target), () => recoverBeside(target, claim));
}

/**
 * Make `target` hold exactly what `fill(stage)` writes into an empty staging folder, replacing
 * an existing folder in one step. `claim` decides whether an existing folder may be replaced
 * (checked again at the moment of the swap). Throws FolderNotOursError when it may not.
 */
export function replaceFolder(target: string, fill: (stage: string) => void, claim: FolderClaim): void {
  const parent = path.dirname(target);
  const base = path.basename(target);
  const tag = uniqueTag();
  const journalPath = path.join(parent, `.${base}.dcgen-${tag}.journal`);
  const journal: Journal = {
    kind: 'dcgen-replace',
    target,
    stage: path.join(parent, `.${base}.dcgen-${tag}.stage`),
    old: path.join(parent, `.${base}.dcgen-${tag}.old`),
    owner: currentOwner(),
    state: 'staging',
  };
  let committed = false;
  try {
    if (!exists(parent)) makeDir(parent, true);
    writeJournal(journalPath, journal);
    makeDir(journal.stage);
    fill(journal.stage);
    syncDir(journal.stage);
    killPoint('replace:staged');
    withLock(lockPathOf(target), () => {
      recoverBeside(target, claim);
      for (;;) {
        if (!exists(target)) {
          if (renameNoReplace(journal.stage, target)) break;
          continue; // it appeared meanwhile: replace it below
        }
        const st = lstatSync(target);
        if (!st.isDirectory()) throw new FolderNotOursError('expected a folder, found a file');
        if (!isEmptyFolder(target)) {
          const why = claim(target);
          if (why !== undefined) throw new FolderNotOursError(why);
        }
        if (exchangePaths(journal.stage, target)) {
          killPoint('replace:exchanged');
          break;
        }
        // Journal mode: a run killed between the two renames is finished by the next one.
        writeJournal(journalPath, { ...journal, state: 'staged' });
        renamePath(target, journal.old);
        killPoint('replace:old-moved');
        try {
          renamePath(journal.stage, target);
        } catch (e) {
          renamePath(journal.old, target);
          throw e;
        }
        break;
      }
      committed = true;
      syncDir(parent);
    });
  } catch (e) {
    throw asUserError(e);
  } finally {
    // Before the commit the stage holds the unused new contents; after it, the old ones.
    try {
      removePath(journal.stage);
      removePath(journal.old);
      removePath(journalPath);
    } catch (e) {
      // The outputs are complete; a leftover is recovered by the next run. Only report a
      // failed cleanup when nothing else failed.
      if (committed) throw asUserError(e);
    }
  }
}
