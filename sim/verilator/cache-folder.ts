// The cache folders themselves: where the build cache is, the marker that says dcgen owns a
// folder, and which items of a folder dcgen wrote (by name and shape). The layout and the rules
// are described in cache.ts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DcgenError } from '../../generator/errors.ts';
import { quotedPath } from '../../generator/io/errors.ts';
import { lstatOrUndefined } from '../../generator/io/fs.ts';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../../generator/version.ts';
import { manifestFiles, readOwnManifest } from '../../generator/emit/manifest.ts';

/** The repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Env variable that moves the cache folder. */
export const CACHE_DIR_ENV = 'DCGEN_CACHE_DIR';

/** The marker file of a folder that dcgen owns (the build cache, the case designs). */
export const MARKER = '.dcgen-cache';
export const MARKER_FORMAT = 1;

/** What a marked folder holds: Verilator harness builds, or the designs generated for the cosim cases. */
export type CacheKind = 'builds' | 'designs';

const KIND_LABEL: Record<CacheKind, string> = { builds: 'dcgen build cache', designs: 'dcgen case-design folder' };
const KIND_WHAT: Record<CacheKind, string> = {
  builds: 'dcgen Verilator build cache (one folder per harness build); `dcgen cache clean` removes only the entries dcgen wrote here',
  designs: 'dcgen case designs (one folder per generated design); `dcgen cache clean` removes only the design folders dcgen wrote here',
};

/** The cache folder: $DCGEN_CACHE_DIR, else <repo>/.cache/verilator. */
export function cacheDir(): string {
  const env = process.env[CACHE_DIR_ENV];
  return env && env.trim() !== '' ? path.resolve(env) : path.join(REPO_ROOT, '.cache', 'verilator');
}


function listSome(names: string[]): string {
  const shown = names.slice(0, 3).map(quotedPath).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** A cache folder dcgen may not use or clean (not its own, unreadable, in the way). */
export class CacheDirError extends DcgenError {
  constructor(
    readonly dir: string,
    readonly why: string,
  ) {
    super(`${quotedPath(dir)} ${why}`);
  }
}

export function fsWhy(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message ?? String(e);
}

/**
 * `<pid>-<8 hex>`: the tail of the cache's temporary names (locks broken, entries moved aside,
 * builds in progress, markers being written). `classify` reads the pid back, so that
 * `cacheClean` leaves the items of a live writer alone.
 */
export function pidTag(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// Markers and what belongs to a cache folder

/** What a finished Verilator cache entry folder may hold (obj/ only in folders of older versions). */
const ENTRY_FILES = new Set(['Vsim', 'entry.json', 'harness.cpp', 'src', 'build.log', 'obj']);
const ENTRY = '[A-Za-z_][A-Za-z0-9_]*-[0-9a-f]{20}(?:-fst)?';
/** The name of a cache entry: `<top>-<20 hex>[-fst]`. */
export const ENTRY_NAME_RE = new RegExp(`^${ENTRY}$`);

/** A real folder (no link) whose children are all among `allowed` (when given) and none a link. */
function folderOf(p: string, allowed?: Set<string>, filesOnly = false): boolean {
  const st = lstatOrUndefined(p);
  if (!st?.isDirectory()) return false;
  let names: string[];
  try {
    names = readdirSync(p);
  } catch {
    return false;
  }
  for (const n of names) {
    if (allowed && !allowed.has(n)) return false;
    const c = lstatOrUndefined(path.join(p, n));
    if (!c || c.isSymbolicLink() || (filesOnly && !c.isFile())) return false;
  }
  return true;
}

/** Whether `dir` has the shape of a cache entry folder (so it may be moved aside and removed). */
export function looksLikeEntry(dir: string): boolean {
  return folderOf(dir, ENTRY_FILES);
}

interface Marker {
  what: string;
  kind: CacheKind;
  format: number;
  generator: string;
  created: string;
}

export type Item =
  | { type: 'marker' }
  | { type: 'gone' } // removed meanwhile
  | { type: 'removable' } // finished entries, logs, memos, temp files of dead writers
  | { type: 'entry' } // a finished entry or design folder: moved aside, then removed
  | { type: 'lock'; entry: string }
  | { type: 'owned-by'; pid: number; entry?: string } // temp folders/files: kept while their writer lives
  | { type: 'foreign'; why: string };

/** Design folder names: `<design>-<16 hex config hash>`. */
const DESIGN = '([A-Za-z][A-Za-z0-9_.]*)-([0-9a-f]{16})';
const DESIGN_RE = new RegExp(`^${DESIGN}$`);

/** Why `dir` is not a design folder that dcgen generated for `design`/`hash`, or undefined when it is. */
function notGeneratedDesign(dir: string, design: string, hash: string): string | undefined {
  if (!folderOf(dir, undefined, true)) return 'not a folder of plain files';
  const m = readOwnManifest(dir);
  if (!m) return existsSync(path.join(dir, 'manifest.json')) ? 'its manifest.json was not written by dcgen' : 'no readable manifest.json';
  if (m.design !== design || m.configHash !== hash) return 'its manifest.json is for another design or configuration';
  const listed = manifestFiles(m);
  if (!listed) return 'its manifest.json lists no files';
  const names = readdirSync(dir).sort();
  if (Array.isArray(m.files)) return [...listed].sort().join('\0') === names.join('\0') ? undefined : 'its files are not exactly those its manifest.json lists';
  // Manifests written before `files` existed: the filelist and every module file must be there,
  // and nothing but the files manifestFiles derives.
  const needed = ['manifest.json', m.filelist!, ...m.modules!.map((x) => x.file)];
  if (!needed.every((n) => names.includes(n))) return 'files its manifest.json lists are missing';
  if (!names.every((n) => listed.includes(n))) return 'it holds files its manifest.json does not account for';
  return undefined;
}

function classify(dir: string, n: string, kind: CacheKind): Item {
  const p = path.join(dir, n);
  const st = lstatOrUndefined(p);
  if (!st) return { type: 'gone' };
  const isFile = st.isFile();
  const smallFile = isFile && st.size <= 4096;
  if (n === MARKER) return isFile ? { type: 'marker' } : { type: 'foreign', why: 'a marker that is not a file' };
  if (st.isSymbolicLink()) return { type: 'foreign', why: 'a symbolic link (dcgen writes none)' };
  if (/^\.dcgen-cache\.\d+-[0-9a-f]+\.tmp$/.test(n) && smallFile) return { type: 'removable' };
  let m: RegExpExecArray | null;
  if (kind === 'builds') {
    if (ENTRY_NAME_RE.test(n)) return looksLikeEntry(p) ? { type: 'entry' } : { type: 'foreign', why: 'named like a cache entry, but holds files dcgen did not write' };
    if ((n === '.verilator-version.json' || /^\.verilator-version\.json\.\d+\.tmp$/.test(n)) && smallFile) return { type: 'removable' };
    if ((m = new RegExp(`^(${ENTRY})\\.lock$`).exec(n)) && smallFile) return { type: 'lock', entry: m[1]! };
    if ((m = new RegExp(`^(${ENTRY})\\.lock\\.stale-(\\d+)-[0-9a-f]+$`).exec(n)) && smallFile) return { type: 'owned-by', pid: Number(m[2]), entry: m[1]! };
    if (new RegExp(`^${ENTRY}\\.failed\\.log$`).test(n) && isFile) return { type: 'removable' };
    if ((m = new RegExp(`^\\.(tmp|stale)-(${ENTRY})-(\\d+)-[0-9a-f]+$`).exec(n)) && looksLikeEntry(p)) return { type: 'owned-by', pid: Number(m[3]), entry: m[1] === 'tmp' ? m[2]! : undefined };
    return { type: 'foreign', why: 'not a dcgen cache entry' };
  }
  if ((m = DESIGN_RE.exec(n))) {
    const why = notGeneratedDesign(p, m[1]!, m[2]!);
    return why === undefined ? { type: 'entry' } : { type: 'foreign', why: `named like a generated design, but ${why}` };
  }
  // Temporary names of the design writers (generator/emit/write.ts): `.<name>.tmp-<pid>-<b36>`,
  // `.<name>.old-<pid>-<b36>` (older), `.<name>.dcgen-<host>-<pid>-<hex>.{stage,old,journal}`,
  // `.<name>.dcgen-lock` and its `.broken-<host>-<pid>-<hex>` leftovers.
  if ((m = new RegExp(`^\\.${DESIGN}\\.(?:tmp|old)-(\\d+)-[0-9a-z]+$`).exec(n)) && folderOf(p, undefined, true)) return { type: 'owned-by', pid: Number(m[3]) };
  if ((m = new RegExp(`^\\.${DESIGN}\\.dcgen-[0-9a-f]{6}-(\\d+)-[0-9a-f]{8}\\.(?:stage|old)$`).exec(n)) && folderOf(p, undefined, true)) return { type: 'owned-by', pid: Number(m[3]) };
  if ((m = new RegExp(`^\\.${DESIGN}\\.dcgen-[0-9a-f]{6}-(\\d+)-[0-9a-f]{8}\\.journal(?:\\.new)?$`).exec(n)) && smallFile) return { type: 'owned-by', pid: Number(m[3]) };
  if ((m = new RegExp(`^\\.(${DESIGN})\\.dcgen-lock$`).exec(n)) && smallFile) return { type: 'lock', entry: m[1]! };
  if ((m = new RegExp(`^\\.${DESIGN}\\.dcgen-lock\\.broken-[0-9a-f]{6}-(\\d+)-[0-9a-f]{8}$`).exec(n)) && smallFile) return { type: 'owned-by', pid: Number(m[3]) };
  return { type: 'foreign', why: 'not a design folder dcgen generated' };
}

function readMarker(dir: string): { kind: CacheKind } | { why: string } | undefined {
  const p = path.join(dir, MARKER);
  const st = lstatOrUndefined(p);
  if (!st) return undefined;
  if (!st.isFile()) return { why: `its ${MARKER} marker is not a file` };
  let m: Partial<Marker>;
  try {
    m = JSON.parse(readFileSync(p, 'utf8')) as Partial<Marker>;
  } catch {
    return { why: `its ${MARKER} marker is unreadable` };
  }
  if (typeof m !== 'object' || m === null || (m.kind !== 'builds' && m.kind !== 'designs') || typeof m.format !== 'number') return { why: `its ${MARKER} marker is unreadable` };
  if (m.format > MARKER_FORMAT) return { why: `its ${MARKER} marker has format ${m.format}, newer than this dcgen knows (${MARKER_FORMAT})` };
  return { kind: m.kind };
}

export interface RootState {
  exists: boolean;
  marked: boolean;
  items: { name: string; item: Item }[];
}

/**
 * What the folder `dir` holds, checked to be a `kind` folder dcgen owns: marked with a marker of
 * this kind, or unmarked but holding nothing that dcgen did not write (new, empty, or from an
 * older dcgen). Throws CacheDirError (with `hint` appended) otherwise.
 */
export function inspectRoot(dir: string, kind: CacheKind, hint: string): RootState {
  const label = KIND_LABEL[kind];
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, marked: false, items: [] };
    throw new CacheDirError(dir, `cannot be used as a ${label} (${fsWhy(e)})`);
  }
  if (!st.isDirectory()) throw new CacheDirError(dir, `is not a ${label}: not a folder${hint}`);
  const marker = readMarker(dir);
  if (marker && 'why' in marker) throw new CacheDirError(dir, `is not a ${label}: ${marker.why}${hint}`);
  if (marker && marker.kind !== kind) throw new CacheDirError(dir, `is not a ${label}: its ${MARKER} marker marks a ${KIND_LABEL[marker.kind]}${hint}`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new CacheDirError(dir, `cannot be read (${fsWhy(e)})`);
  }
  const items = names.map((name) => ({ name, item: classify(dir, name, kind) }));
  if (!marker) {
    const foreign = items.filter((i) => i.item.type === 'foreign').map((i) => i.name);
    if (foreign.length > 0) throw new CacheDirError(dir, `is not a ${label}: no ${MARKER} marker, and it holds ${foreign.length === 1 ? 'an item' : `${foreign.length} items`} dcgen did not write (${listSome(foreign)})${hint}`);
  }
  return { exists: true, marked: marker !== undefined, items };
}

const USE_HINT = '; dcgen uses only a new or empty folder, or one it marked (set DCGEN_CACHE_DIR to another folder)';
export const CLEAN_HINT = '; nothing was removed (if it is an old cache, delete it by hand)';

function writeMarker(dir: string, kind: CacheKind): void {
  const marker: Marker = { what: KIND_WHAT[kind], kind, format: MARKER_FORMAT, generator: `${GENERATOR_NAME} ${GENERATOR_VERSION}`, created: new Date().toISOString() };
  const tmp = path.join(dir, `${MARKER}.${pidTag()}.tmp`);
  try {
    writeFileSync(tmp, JSON.stringify(marker, null, 2) + '\n');
    renameSync(tmp, path.join(dir, MARKER));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CacheDirError(dir, `cannot be used as a ${KIND_LABEL[kind]}: writing its ${MARKER} marker failed (${fsWhy(e)})`);
  }
}

/**
 * Make sure `dir` is a `kind` folder dcgen owns, creating and marking it when new (or empty, or
 * an older dcgen's unmarked cache holding nothing else). Costs one small read when marked.
 * Throws CacheDirError for a folder that is not dcgen's.
 */
export function ensureRootMarker(dir: string, kind: CacheKind): void {
  const m = readMarker(dir);
  if (m && 'kind' in m && m.kind === kind) return;
  const state = inspectRoot(dir, kind, USE_HINT);
  if (!state.exists) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new CacheDirError(dir, `cannot be used as a ${KIND_LABEL[kind]}: creating it failed (${fsWhy(e)})`);
    }
  }
  if (!state.marked) writeMarker(dir, kind);
}

/** Throws CacheDirError unless `dir` is missing or a `kind` folder that `cacheClean` may clean. */
export function checkCleanable(dir: string, kind: CacheKind = 'builds'): void {
  inspectRoot(path.resolve(dir), kind, CLEAN_HINT);
}
