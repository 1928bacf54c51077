// A generated design folder as the synthesis flows see it: its manifest, its top module and
// the Verilog files of its filelist (in the filelist's order).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest, ManifestModule } from '../../generator/emit/design.ts';
import { NotADesignError } from './errors.ts';

export interface DesignFolder {
  dir: string;
  manifest: Manifest;
  top: ManifestModule;
  /** Verilog file name → text, in the filelist's order (leaves first). */
  files: Map<string, string>;
}

/** File names that may be spliced into a Yosys script (no spaces, quotes, `;` or folders). */
export const SAFE_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Verilog identifiers (module names) that may be spliced into a script or passed to a tool. */
export const SAFE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why the top's ports cannot be wrapped for place and route, or undefined. */
function topPortsProblem(top: Record<string, unknown>): string | undefined {
  if (typeof top.hasClock !== 'boolean') return '"hasClock" must be true or false';
  if (!Array.isArray(top.ports)) return '"ports" must be a list';
  for (const [i, p] of (top.ports as unknown[]).entries()) {
    const q = p as Record<string, unknown> | null;
    if (!q || typeof q.name !== 'string' || !SAFE_IDENT.test(q.name)) return `ports[${i}] needs "name", a plain Verilog identifier`;
    if (q.direction !== 'input' && q.direction !== 'output') return `ports[${i}] ('${q.name}'): "direction" must be "input" or "output"`;
    if (typeof q.width !== 'number' || !Number.isInteger(q.width) || q.width < 1) return `ports[${i}] ('${q.name}'): "width" must be a whole number of bits >= 1`;
  }
  return undefined;
}

export async function readDesign(dir: string): Promise<DesignFolder> {
  const abs = path.resolve(dir);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(abs, 'manifest.json'), 'utf8')) as Manifest;
  } catch (e) {
    throw new NotADesignError(dir, `expected a readable manifest.json, in JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!manifest || typeof manifest.top !== 'string' || !Array.isArray(manifest.modules) || typeof manifest.filelist !== 'string') {
    throw new NotADesignError(dir, 'manifest.json lacks top, modules or filelist');
  }
  if (!SAFE_IDENT.test(manifest.top)) throw new NotADesignError(dir, `manifest.json: top module name ${JSON.stringify(manifest.top)} is not a plain Verilog identifier`);
  for (const [i, m] of (manifest.modules as unknown[]).entries()) {
    const o = m as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || typeof o.name !== 'string' || !SAFE_IDENT.test(o.name)) {
      throw new NotADesignError(dir, `manifest.json: modules[${i}] needs "name", a plain Verilog identifier`);
    }
  }
  const top = manifest.modules.find((m) => m.name === manifest.top);
  if (!top) throw new NotADesignError(dir, `manifest.json has no module named its top '${manifest.top}'`);
  const portProblem = topPortsProblem(top as unknown as Record<string, unknown>);
  if (portProblem) throw new NotADesignError(dir, `manifest.json: module '${top.name}': ${portProblem}`);
  let list: string;
  try {
    list = await readFile(path.join(abs, manifest.filelist), 'utf8');
  } catch (e) {
    throw new NotADesignError(dir, `expected the filelist ${JSON.stringify(manifest.filelist)} named by manifest.json (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const names = list.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('//'));
  if (names.length === 0) throw new NotADesignError(dir, `the filelist ${JSON.stringify(manifest.filelist)} names no files`);
  const files = new Map<string, string>();
  for (const name of names) {
    if (!SAFE_FILE.test(name)) throw new NotADesignError(dir, `${manifest.filelist}: entry ${JSON.stringify(name)}: expected a plain file name in the folder ([A-Za-z0-9_.-], not starting with '-' or '.')`);
    try {
      files.set(name, await readFile(path.join(abs, name), 'utf8'));
    } catch (e) {
      throw new NotADesignError(dir, `${manifest.filelist}: entry ${JSON.stringify(name)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return { dir: abs, manifest, top, files };
}
