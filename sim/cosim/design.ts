// A generated design folder as the simulators see it: manifest, top module, the simulation
// layout of its ports, and the Verilog sources in filelist order. The folder is read and
// checked by generator/emit/manifest.ts's readDesignFolder (one contract for every reader).
import type { Manifest, ManifestModule } from '../../generator/emit/manifest.ts';
import { DesignFolderError, readDesignFolder } from '../../generator/emit/manifest.ts';
import { type Layout, LayoutError, layoutOf } from '../stimulus/layout.ts';

export { DesignFolderError };

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

/** Read `<dir>/manifest.json` and the Verilog files of its filelist (synchronous reads: small files, and fast on a cache hit). Throws DesignFolderError. */
export async function loadDesign(dir: string): Promise<SimDesign> {
  const d = readDesignFolder(dir, { texts: true });
  const sources: SourceFile[] = d.names.map((name, i) => ({ name, path: d.paths[i], text: d.texts![i] }));
  let layout: Layout;
  try {
    layout = layoutOf(d.top);
  } catch (e) {
    if (e instanceof LayoutError) throw new DesignFolderError(d.dir, 'manifest.json', `module '${d.top.name}': ${e.message}`);
    throw e;
  }
  return { dir: d.dir, manifest: d.manifest, top: d.top, layout, sources };
}
