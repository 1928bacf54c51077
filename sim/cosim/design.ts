// A generated design folder as the simulators see it: manifest, top module, the simulation
// layout of its ports, and the Verilog sources in filelist order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest, ManifestModule } from '../../generator/emit/design.ts';
import { type Layout, layoutOf } from '../stimulus/layout.ts';

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

export class DesignFolderError extends Error {
  override readonly name = 'DesignFolderError';
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Read `<dir>/manifest.json` and the Verilog files of its filelist (synchronous reads: small files, and fast on a cache hit). */
export async function loadDesign(dir: string): Promise<SimDesign> {
  const abs = path.resolve(dir);
  const mpath = path.join(abs, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(mpath, 'utf8')) as Manifest;
  } catch (e) {
    throw new DesignFolderError(`${mpath}: expected a dcgen manifest (${(e as Error).message})`);
  }
  if (typeof manifest.top !== 'string' || !Array.isArray(manifest.modules)) throw new DesignFolderError(`${mpath}: expected "top" and "modules"`);
  const top = manifest.modules.find((m) => m.name === manifest.top);
  if (!top) throw new DesignFolderError(`${mpath}: top module '${manifest.top}' is not among "modules"`);
  const names =
    typeof manifest.filelist === 'string'
      ? readFileSync(path.join(abs, manifest.filelist), 'utf8')
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('//') && !l.startsWith('#'))
      : manifest.modules.map((m) => m.file);
  const sources: SourceFile[] = [];
  for (const name of names) {
    // The files are copied into build folders under these names: keep them plain.
    if (!SAFE_NAME.test(name)) throw new DesignFolderError(`${mpath}: source file name ${JSON.stringify(name)} (expected a plain file name in the design folder)`);
    const p = path.join(abs, name);
    sources.push({ name, path: p, text: readFileSync(p, 'utf8') });
  }
  return { dir: abs, manifest, top, layout: layoutOf(top), sources };
}
