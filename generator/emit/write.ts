// Atomic output: files go to a fresh sibling folder that then replaces the output folder in
// one rename, so a failed generation leaves the previous output untouched. A folder that
// dcgen did not write (no dcgen manifest.json) is never replaced.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DcgenError } from '../errors.ts';
import { GENERATOR_NAME } from '../version.ts';

export class OutputPathError extends DcgenError {
  constructor(
    readonly outDir: string,
    readonly rule: string,
  ) {
    super(`--out '${outDir}': ${rule}`);
  }
}

function ownedByDcgen(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { generator?: { name?: string } };
    return m.generator?.name === GENERATOR_NAME;
  } catch {
    return false;
  }
}

/** Check that `outDir` may be (re)written, before anything is generated or written. */
export function checkOutDir(outDir: string): string {
  const abs = path.resolve(outDir);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new OutputPathError(outDir, 'expected a folder, found a file');
    if (readdirSync(abs).length > 0 && !ownedByDcgen(abs)) {
      throw new OutputPathError(outDir, 'expected an empty folder or one dcgen generated (with its manifest.json); found other files, which dcgen will not replace');
    }
  }
  let probe = path.dirname(abs);
  while (!existsSync(probe)) probe = path.dirname(probe);
  if (!statSync(probe).isDirectory()) throw new OutputPathError(outDir, `expected a folder path, but '${probe}' is a file`);
  return abs;
}

/** Write `files` (name → contents) as the whole content of `outDir`, atomically. */
export function writeFilesAtomically(outDir: string, files: Map<string, string>): void {
  const abs = checkOutDir(outDir);
  const parent = path.dirname(abs);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = path.join(parent, `.${path.basename(abs)}.tmp-${tag}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(tmp);
  } catch (e) {
    throw new OutputPathError(outDir, `expected a writable place, but cannot create a folder there (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    for (const [name, text] of files) {
      if (name.includes('/') || name.startsWith('.')) throw new Error(`internal: output file name '${name}'`);
      writeFileSync(path.join(tmp, name), text);
    }
    const old = path.join(parent, `.${path.basename(abs)}.old-${tag}`);
    const hadOld = existsSync(abs);
    if (hadOld) renameSync(abs, old);
    try {
      renameSync(tmp, abs);
    } catch (e) {
      if (hadOld) renameSync(old, abs);
      throw e;
    }
    if (hadOld) rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
