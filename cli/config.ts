// `dcgen generate --config <file>`: parameter values from a `.json` object, a `.ts` module's
// default export, or the manifest.json of an earlier generation. Everything that can be wrong
// with the file is a ConfigFileError naming the file, what was expected and what was found:
//   - a missing file, a folder, an unreadable file, bad JSON, an unknown extension;
//   - a `.ts` module that throws while loading (one line: the first line of its error);
//   - a default export that is not a plain object: a Promise, a function, a class instance, an
//     array, null, a number...;
//   - a manifest.json of another design than the one on the command line, one with no `design`
//     field, or one edited by hand (its configHash no longer matches its design and parameters).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { type ParamValue, configHash } from '../generator/emit/design.ts';
import { GENERATOR_NAME } from '../generator/version.ts';
import { ConfigFileError } from './errors.ts';

/** What a value is, in words, for "found ..." (a Promise, an instance of class Foo, an array...). */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return /^class[\s{]/.test(Function.prototype.toString.call(v)) ? `a class (${v.name || 'anonymous'})` : 'a function';
  if (typeof v !== 'object') return `a ${typeof v}`;
  if (v instanceof Promise || typeof (v as { then?: unknown }).then === 'function') return 'a Promise (export the object itself, not a promise of it)';
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return 'an object';
  const ctor = (proto as { constructor?: { name?: string } }).constructor?.name;
  return ctor ? `an instance of ${ctor}` : 'an object with a prototype';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The first line of an error's message (and the next one, when the first ends in ':'). */
export function firstLine(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? e.message : String(e);
  } catch {
    text = '(an exception that cannot be printed)';
  }
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return '(no message)';
  return lines[0].endsWith(':') && lines.length > 1 ? `${lines[0]} ${lines[1]}` : lines[0];
}

/** A dcgen manifest.json (or something shaped like one): it names its generator and has a configHash. */
function looksLikeManifest(v: Record<string, unknown>): boolean {
  const g = v.generator;
  return typeof g === 'object' && g !== null && ((g as { name?: unknown }).name === GENERATOR_NAME || Object.hasOwn(v, 'configHash'));
}

/** The parameters of a manifest.json, checked against the design given on the command line. */
function manifestParams(file: string, m: Record<string, unknown>, design: string): Record<string, unknown> {
  const gen = (m.generator as { name?: unknown }).name;
  if (gen !== GENERATOR_NAME) throw new ConfigFileError(file, `expected a manifest written by ${GENERATOR_NAME}, found generator ${JSON.stringify(gen)}`);
  const named = m.design;
  if (named === undefined) {
    throw new ConfigFileError(file, `a ${GENERATOR_NAME} manifest without a "design" field: expected the design it was generated for ('${design}'); regenerate it, or give the parameters as a plain JSON object`);
  }
  if (typeof named !== 'string') throw new ConfigFileError(file, `manifest field "design": expected a design name, found ${kindOf(named)}`);
  const params = m.params;
  if (!isPlainObject(params)) throw new ConfigFileError(file, `manifest field "params": expected an object of parameter values, found ${kindOf(params)}`);
  // The config hash covers the design name, every parameter and the output options: a manifest
  // edited by hand (its design or a parameter) no longer matches it.
  const hash = m.configHash;
  const clockNs = m.clockNs;
  if (typeof hash !== 'string' || typeof clockNs !== 'number') {
    throw new ConfigFileError(file, `manifest fields "configHash" and "clockNs": expected a hash string and a number, found ${kindOf(hash)} and ${kindOf(clockNs)}`);
  }
  const p = params as Record<string, ParamValue>;
  if (![false, true].some((srcComments) => configHash(named, p, { srcComments, clockNs }) === hash)) {
    throw new ConfigFileError(
      file,
      `manifest edited by hand: its configHash ${hash} does not match its "design" and "params" (expected the manifest as dcgen wrote it; give changed parameters with --set or in a plain JSON config)`,
    );
  }
  if (named !== design) {
    throw new ConfigFileError(file, `expected a manifest of design '${design}' (the design given to dcgen generate), found the manifest of design '${named}' (dcgen generate ${named} --config ${file} regenerates it)`);
  }
  return params;
}

/**
 * Parameter values from a `.json` file (or a dcgen manifest.json of `design`) or a `.ts` module's
 * default export; throws a ConfigFileError (a user error: exit 2) for anything it cannot use.
 */
export async function loadConfig(file: string, design: string): Promise<Record<string, unknown>> {
  const abs = path.resolve(file);
  let isFile: boolean;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    throw new ConfigFileError(file, 'file not found');
  }
  if (!isFile) throw new ConfigFileError(file, 'expected a file, found a folder');
  const ext = path.extname(abs);
  let value: unknown;
  if (ext === '.json') {
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new ConfigFileError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? firstLine(e)})`);
    }
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ConfigFileError(file, `expected valid JSON: ${firstLine(e)}`);
    }
  } else if (ext === '.ts') {
    let mod: Record<string, unknown>;
    try {
      // tsImport, not import(): it loads the file as a module wherever it lies (a plain import()
      // of a .ts file outside a "type": "module" package fails as a require() cycle).
      mod = (await tsImport(pathToFileURL(abs).href, import.meta.url)) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigFileError(file, `cannot load the module: ${firstLine(e)}`);
    }
    value = mod.default;
    // Outside an ESM package tsx compiles the file to CommonJS: the export is one level down.
    if (typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true) {
      value = (value as { default?: unknown }).default;
    }
    if (value === undefined) {
      throw new ConfigFileError(file, 'expected a default export: export default { name: value, ... }');
    }
    // A promise that rejects must not surface later as an unhandled rejection (with its stack).
    if ((typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function') {
      Promise.resolve(value as PromiseLike<unknown>).then(undefined, () => {});
    }
  } else {
    throw new ConfigFileError(file, `expected a .json file or a .ts module, found ${ext ? `a '${ext}' file` : 'no extension'}`);
  }
  // A manifest.json of an earlier generation: regenerate with exactly its parameters.
  if (isPlainObject(value) && looksLikeManifest(value)) value = manifestParams(file, value, design);
  if (!isPlainObject(value)) {
    throw new ConfigFileError(file, `expected a plain object of parameter values ({ "name": value, ... }), found ${kindOf(value)}`);
  }
  let entries: [string, unknown][];
  try {
    entries = Object.entries(value); // a getter of a .ts export may throw
  } catch (e) {
    throw new ConfigFileError(file, `reading its values failed: ${firstLine(e)}`);
  }
  for (const [k, v] of entries) {
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') {
      throw new ConfigFileError(file, `parameter '${k}': expected a number, true/false or a string, found ${kindOf(v)}`);
    }
  }
  return Object.fromEntries(entries); // own data properties only (a "__proto__" key stays a key)
}
