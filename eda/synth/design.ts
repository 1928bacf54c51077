// A generated design folder as the synthesis flows see it: its manifest, its top module and
// the Verilog files of its filelist (in the filelist's order). The folder is read and checked
// by generator/emit/manifest.ts's readDesignFolder (one contract for every reader).
import { type Manifest, type ManifestModule, SAFE_FILE, SAFE_IDENT, readDesignFolder } from '../../generator/emit/manifest.ts';

export interface DesignFolder {
  dir: string;
  manifest: Manifest;
  top: ManifestModule;
  /** Verilog file name → text, in the filelist's order (leaves first). */
  files: Map<string, string>;
}

/** File names that may be spliced into a Yosys script (no spaces, quotes, `;` or folders). */
export { SAFE_FILE };
/** Verilog identifiers (module names) that may be spliced into a script or passed to a tool. */
export { SAFE_IDENT };

/** Read and check the design folder `dir` (throws DesignFolderError). */
export async function readDesign(dir: string): Promise<DesignFolder> {
  const d = readDesignFolder(dir, { texts: true });
  const files = new Map<string, string>();
  d.names.forEach((name, i) => files.set(name, d.texts![i]));
  return { dir: d.dir, manifest: d.manifest, top: d.top, files };
}
