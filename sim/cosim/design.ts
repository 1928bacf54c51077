// A generated design folder as the simulators see it: manifest, top module, the simulation
// layout of its ports, and the Verilog sources in filelist order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest, ManifestModule } from '../../generator/emit/design.ts';
import { DcgenError } from '../../generator/errors.ts';
import { type Layout, LayoutError, layoutOf } from '../stimulus/layout.ts';

export interface SourceFile {
  /** Path relative to the design folder, as in the filelist. */
  name: string;
  /** Absolute path. */
  path: string;
  text: string;
}

export interface SimDesign {
  /** Absolute design folder. */
  dir: string;
  manifest: Manifest;
  top: ManifestModule;
  layout: Layout;
  /** Verilog sources, filelist order (leaves first, the top last). */
  sources: SourceFile[];
}

/**
 * A design folder the simulators cannot use (manifest.json or the filelist missing or
 * malformed, a source file missing). A user error: the message names the folder, the file
 * and the rule it breaks, on one line.
 */
export class DesignFolderError extends DcgenError {
  constructor(
    readonly dir: string,
    readonly file: string,
    readonly rule: string,
  ) {
    super(`design folder ${show(dir)}: ${file}: ${rule}`);
  }
}

/** A path quoted for a one-line message (control characters such as newlines escaped). */
function show(p: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(p) ? JSON.stringify(p) : `'${p}'`;
}

function errText(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0];
}

/** Plain file names in the folder: the files are copied into build folders under these names. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const SAFE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why the top's entry cannot describe a simulation layout, or undefined. */
function topShapeProblem(top: Record<string, unknown>): string | undefined {
  if (typeof top.hasClock !== 'boolean') return '"hasClock" must be true or false';
  if (!Array.isArray(top.ports)) return '"ports" must be a list';
  for (const [i, p] of (top.ports as unknown[]).entries()) {
    const q = p as Record<string, unknown> | null;
    if (!q || typeof q.name !== 'string' || !SAFE_IDENT.test(q.name)) return `ports[${i}] needs "name", a Verilog identifier`;
    if (q.direction !== 'input' && q.direction !== 'output') return `ports[${i}] ('${q.name}'): "direction" must be "input" or "output"`;
    if (typeof q.width !== 'number' || !Number.isInteger(q.width) || q.width < 1) return `ports[${i}] ('${q.name}'): "width" must be a whole number of bits >= 1`;
    if (typeof q.signed !== 'boolean') return `ports[${i}] ('${q.name}'): "signed" must be true or false`;
  }
  if (!Array.isArray(top.streams)) return '"streams" must be a list';
  for (const [i, s] of (top.streams as unknown[]).entries()) {
    const t = s as Record<string, unknown> | null;
    if (!t || typeof t.name !== 'string' || typeof t.valid !== 'string' || typeof t.ready !== 'string') return `streams[${i}] needs string "name", "valid" and "ready"`;
    if (t.direction !== 'in' && t.direction !== 'out') return `streams[${i}] ('${t.name}'): "direction" must be "in" or "out"`;
    if (!Array.isArray(t.fields) || !(t.fields as unknown[]).every((f) => typeof f === 'object' && f !== null && typeof (f as Record<string, unknown>).name === 'string' && typeof (f as Record<string, unknown>).port === 'string')) {
      return `streams[${i}] ('${t.name}'): "fields" must be a list of {name, port}`;
    }
  }
  return undefined;
}

/** Read `<dir>/manifest.json` and the Verilog files of its filelist (synchronous reads: small files, and fast on a cache hit). */
export async function loadDesign(dir: string): Promise<SimDesign> {
  const abs = path.resolve(dir);
  const fail = (file: string, rule: string): never => {
    throw new DesignFolderError(abs, file, rule);
  };
  const mpath = path.join(abs, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(mpath, 'utf8')) as Manifest;
  } catch (e) {
    return fail('manifest.json', `expected a readable JSON manifest written by dcgen generate (${errText(e)})`);
  }
  if (typeof manifest !== 'object' || manifest === null) fail('manifest.json', 'expected a JSON object');
  if (typeof manifest.top !== 'string' || !Array.isArray(manifest.modules)) fail('manifest.json', 'expected "top" (a module name) and "modules" (a list)');
  const top = manifest.modules.find((m) => typeof m === 'object' && m !== null && m.name === manifest.top);
  if (!top) return fail('manifest.json', `top module '${manifest.top}' is not among "modules"`);
  const shape = topShapeProblem(top as unknown as Record<string, unknown>);
  if (shape) fail('manifest.json', `module '${top.name}': ${shape}`);
  let names: string[];
  let listed: string;
  if (typeof manifest.filelist === 'string') {
    listed = manifest.filelist;
    let text = '';
    try {
      text = readFileSync(path.join(abs, manifest.filelist), 'utf8');
    } catch (e) {
      fail(manifest.filelist, `expected the filelist named by manifest.json (${errText(e)})`);
    }
    names = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('//') && !l.startsWith('#'));
    if (names.length === 0) fail(manifest.filelist, 'the filelist names no files');
  } else {
    listed = 'manifest.json';
    names = manifest.modules.map((m) => (m as { file?: unknown } | null)?.file as string);
    if (names.some((n) => typeof n !== 'string')) fail('manifest.json', 'without a "filelist", every module needs a string "file"');
  }
  const sources: SourceFile[] = [];
  for (const name of names) {
    // The files are copied into build folders under these names: keep them plain.
    if (!SAFE_NAME.test(name)) fail(listed, `source file ${JSON.stringify(name)}: expected a plain file name in the design folder ([A-Za-z0-9_.-], not starting with '-' or '.')`);
    const p = path.join(abs, name);
    let text = '';
    try {
      text = readFileSync(p, 'utf8');
    } catch (e) {
      fail(listed, `source file ${JSON.stringify(name)}: cannot be read (${errText(e)})`);
    }
    sources.push({ name, path: p, text });
  }
  let layout: Layout;
  try {
    layout = layoutOf(top);
  } catch (e) {
    if (e instanceof LayoutError) return fail('manifest.json', `module '${top.name}': ${e.message}`);
    throw e;
  }
  return { dir: abs, manifest, top, layout, sources };
}
