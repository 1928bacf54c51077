// The design-folder contract: the types of manifest.json, and the one reader that every
// consumer of a generated design folder (simulators, lint, synthesis, tests) goes through.
// The reader validates the manifest field by field and the filelist entry by entry, and
// refuses anything else with a DesignFolderError naming the folder, the file and the rule.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DcgenError } from '../errors.ts';
import { quotedPath } from '../io/errors.ts';
import type { IrStream } from '../ir/types.ts';
import { GENERATOR_NAME } from '../version.ts';

export type ParamValue = number | boolean | string;

export interface ManifestPort {
  name: string;
  direction: 'input' | 'output';
  width: number;
  signed: boolean;
}

export interface ManifestModule {
  name: string;
  file: string;
  doc: string;
  params: Record<string, ParamValue>;
  hasClock: boolean;
  ports: ManifestPort[];
  streams: IrStream[];
}

export interface Manifest {
  generator: { name: string; version: string };
  design: string;
  top: string;
  configHash: string;
  params: Record<string, ParamValue>;
  /** Clock period written into the flow files. */
  clockNs: number;
  filelist: string;
  /** Leaves first, the top last (the filelist's order). */
  modules: ManifestModule[];
  /** Every file of the design folder, manifest.json included, sorted: what makes a folder dcgen's. */
  files: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The manifest of `dir` if dcgen wrote it (its "generator" names dcgen), unchecked beyond that:
 * for ownership questions, which must not throw (readDesignFolder checks the whole contract).
 */
export function readOwnManifest(dir: string): (Partial<Manifest> & { generator: { name: string } }) | undefined {
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const g = isObj(m) ? m.generator : undefined;
  return isObj(g) && g.name === GENERATOR_NAME ? (m as Partial<Manifest> & { generator: { name: string } }) : undefined;
}

/** The files a manifest says its folder holds (manifests before `files` existed: derived from the rest). */
export function manifestFiles(m: Partial<Manifest>): string[] | undefined {
  if (Array.isArray(m.files)) return m.files.every((f) => typeof f === 'string') ? m.files : undefined;
  if (typeof m.top !== 'string' || typeof m.filelist !== 'string' || !Array.isArray(m.modules)) return undefined;
  const top = m.top;
  // Lenient, never throws: a module entry without a string "file" makes the list unknown.
  const files = (m.modules as unknown[]).map((x) => (typeof x === 'object' && x !== null ? (x as { file?: unknown }).file : undefined));
  if (!files.every((f): f is string => typeof f === 'string')) return undefined;
  return [
    'manifest.json',
    m.filelist,
    ...files,
    `${top}.sdc`,
    'synth.ys',
    'config.json',
    `${top}.core`,
    'build.tcl',
    `${top}.ports.ts`,
  ];
}

/** Control characters escaped (as in JSON), so that a message stays on one line. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/**
 * A folder that is not a usable generated design folder: manifest.json or the filelist
 * missing or malformed, a source file missing. A user error: the message names the folder,
 * the file and the rule it breaks, on one line.
 */
export class DesignFolderError extends DcgenError {
  constructor(
    readonly dir: string,
    readonly file: string,
    readonly rule: string,
  ) {
    super(`design folder ${quotedPath(dir)}: ${oneLine(file)}: ${oneLine(rule)}`);
  }
}

/** Plain file names in the folder: files are copied into build folders and spliced into tool scripts under these names. */
export const SAFE_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Verilog identifiers (module and port names) that may be passed to a tool or spliced into a script. */
export const SAFE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const FILE_RULE = `expected a plain file name in the design folder ([A-Za-z0-9_.-], not starting with '-' or '.')`;

export interface DesignFolder {
  /** Absolute design folder. */
  dir: string;
  manifest: Manifest;
  top: ManifestModule;
  /** The filelist's entries, in its order (leaves first, the top last): plain file names. */
  names: string[];
  /** The same files, absolute. */
  paths: string[];
  /** Their texts (with `{ texts: true }`). */
  texts?: string[];
}

function errText(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String((e as Error).message).split('\n')[0]!;
}


/** Why a module entry of the manifest breaks the contract, or undefined. */
function moduleProblem(m: Obj): string | undefined {
  if (typeof m.file !== 'string' || !SAFE_FILE.test(m.file)) return `"file" must be ${FILE_RULE.replace(/^expected /, '')}`;
  if (typeof m.hasClock !== 'boolean') return '"hasClock" must be true or false';
  if (!Array.isArray(m.ports)) return '"ports" must be a list';
  for (const [i, p] of (m.ports as unknown[]).entries()) {
    const q = isObj(p) ? p : undefined;
    if (!q || typeof q.name !== 'string' || !SAFE_IDENT.test(q.name)) return `ports[${i}] needs "name", a plain Verilog identifier`;
    if (q.direction !== 'input' && q.direction !== 'output') return `ports[${i}] ('${q.name}'): "direction" must be "input" or "output"`;
    if (typeof q.width !== 'number' || !Number.isInteger(q.width) || q.width < 1) return `ports[${i}] ('${q.name}'): "width" must be a whole number of bits >= 1`;
    if (typeof q.signed !== 'boolean') return `ports[${i}] ('${q.name}'): "signed" must be true or false`;
  }
  if (!Array.isArray(m.streams)) return '"streams" must be a list';
  for (const [i, s] of (m.streams as unknown[]).entries()) {
    const t = isObj(s) ? s : undefined;
    if (!t || typeof t.name !== 'string' || typeof t.valid !== 'string' || typeof t.ready !== 'string') return `streams[${i}] needs string "name", "valid" and "ready"`;
    if (t.direction !== 'in' && t.direction !== 'out') return `streams[${i}] ('${t.name}'): "direction" must be "in" or "out"`;
    if (!Array.isArray(t.fields) || !(t.fields as unknown[]).every((f) => isObj(f) && typeof f.name === 'string' && typeof f.port === 'string')) {
      return `streams[${i}] ('${t.name}'): "fields" must be a list of {name, port}`;
    }
  }
  return undefined;
}

/**
 * Read and check the generated design folder `dir`: `manifest.json` (generator, design, top,
 * modules with their names, files, ports and streams, filelist) and the filelist (every entry a
 * plain file name of an existing file). With `texts`, also reads the files. Synchronous: small
 * files. Throws DesignFolderError.
 */
export function readDesignFolder(dir: string, opts: { texts?: boolean } = {}): DesignFolder {
  const abs = path.resolve(dir);
  const fail = (file: string, rule: string): never => {
    throw new DesignFolderError(abs, file, rule);
  };
  const bad = (rule: string): never => fail('manifest.json', rule);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(abs, 'manifest.json'), 'utf8'));
  } catch (e) {
    return bad(`expected a readable JSON manifest.json written by dcgen generate (${errText(e)})`);
  }
  if (!isObj(raw)) return bad('expected a JSON object');
  const m = raw;
  if (!isObj(m.generator) || m.generator.name !== GENERATOR_NAME) bad(`expected "generator": {"name": "${GENERATOR_NAME}", ...}, written by dcgen generate`);
  if (typeof m.design !== 'string' || m.design === '') bad('expected "design", the name of the design');
  if (typeof m.top !== 'string' || !SAFE_IDENT.test(m.top)) bad(`expected "top", the top module's name, a plain Verilog identifier (found ${JSON.stringify(m.top)})`);
  if (!Array.isArray(m.modules) || m.modules.length === 0) bad('expected "modules", a non-empty list');
  for (const [i, x] of (m.modules as unknown[]).entries()) {
    if (!isObj(x) || typeof x.name !== 'string' || !SAFE_IDENT.test(x.name)) bad(`modules[${i}] needs "name", a plain Verilog identifier`);
    const mod = x as Obj;
    const problem = moduleProblem(mod);
    if (problem) bad(`module '${mod.name as string}': ${problem}`);
  }
  const manifest = m as unknown as Manifest;
  const top = manifest.modules.find((x) => x.name === manifest.top);
  if (!top) return bad(`top module '${manifest.top}' is not among "modules"`);
  if (typeof m.filelist !== 'string' || !SAFE_FILE.test(m.filelist)) bad(`expected "filelist", ${FILE_RULE.replace(/^expected /, '')} (found ${JSON.stringify(m.filelist)})`);
  const listed = manifest.filelist;
  let text = '';
  try {
    text = readFileSync(path.join(abs, listed), 'utf8');
  } catch (e) {
    fail(listed, `expected the filelist named by manifest.json (${errText(e)})`);
  }
  const names = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('//') && !l.startsWith('#'));
  if (names.length === 0) fail(listed, 'the filelist names no files');
  const paths: string[] = [];
  const texts: string[] = [];
  for (const name of names) {
    // The files are copied into build folders and spliced into tool scripts: keep them plain.
    if (!SAFE_FILE.test(name)) fail(listed, `entry ${JSON.stringify(name)}: ${FILE_RULE}`);
    const p = path.join(abs, name);
    let isFile = false;
    let why = '';
    try {
      isFile = statSync(p).isFile();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') why = ` (${errText(e)})`;
    }
    if (!isFile) fail(listed, `entry ${JSON.stringify(name)}: no such file in the design folder${why}`);
    if (opts.texts) {
      try {
        texts.push(readFileSync(p, 'utf8'));
      } catch (e) {
        fail(listed, `entry ${JSON.stringify(name)}: cannot be read (${errText(e)})`);
      }
    }
    paths.push(p);
  }
  return { dir: abs, manifest, top, names, paths, ...(opts.texts ? { texts } : {}) };
}
