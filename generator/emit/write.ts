// Writing a design folder: checked before anything is generated, then replaced as a whole in one
// step (generator/io/replace.ts), so a failed or killed generation leaves the previous output as
// it was. Only a folder that dcgen wrote (folder.ts) is ever replaced; a symbolic link given as
// the output folder is written through, never replaced.
import path from 'node:path';
import { OutputPathError, asUserError } from '../io/errors.ts';
import { writeFileDurable } from '../io/fs.ts';
import { resolveOutputFolder } from '../io/output.ts';
import { FolderNotOursError, replaceFolder } from '../io/replace.ts';
import { notDcgenFolder } from './folder.ts';

export { OutputPathError };

/** Check that `outDir` may be (re)written, before anything is generated; returns the folder to write. */
export function checkOutDir(outDir: string, option = '--out'): string {
  return resolveOutputFolder(option, outDir, notDcgenFolder);
}

/** Write `files` (name → contents) as the whole content of `outDir`, atomically. */
export function writeFilesAtomically(outDir: string, files: Map<string, string>, option = '--out'): void {
  const target = checkOutDir(outDir, option);
  for (const name of files.keys()) {
    if (name.includes('/') || name.includes(path.sep) || name.startsWith('.') || name === '') throw new Error(`internal: output file name '${name}'`);
  }
  try {
    replaceFolder(
      target,
      (stage) => {
        for (const [name, text] of files) writeFileDurable(path.join(stage, name), text);
      },
      notDcgenFolder,
    );
  } catch (e) {
    if (e instanceof FolderNotOursError) throw new OutputPathError(option, outDir, `${e.reason}; dcgen will not replace it`);
    throw asUserError(e);
  }
}
