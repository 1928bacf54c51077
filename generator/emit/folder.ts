// Which folders are dcgen's design folders. A folder is dcgen's only when it holds a dcgen
// manifest.json and nothing but the files that manifest lists, plus the reports and logs that
// dcgen's own commands add to a design folder (synth, lint). Only such a folder is ever
// replaced; a user's folder that merely holds a copied manifest.json is not.
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { GENERATOR_NAME } from '../version.ts';
import { type Manifest, manifestFiles } from './manifest.ts';

export { manifestFiles };

/** Files that dcgen's commands add to a generated design folder (dcgen synth's reports and logs). */
export const DESIGN_FOLDER_EXTRAS: readonly string[] = [
  'report.json',
  'report.md',
  'synth-generic.log',
  'synth-ice40.log',
  'synth-ice40-nodsp.log',
  'nextpnr.log',
  'nextpnr-report.json',
  'ice40-wrap.v',
];

function listSome(names: string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/**
 * Why the non-empty folder `dir` is not a design folder that dcgen wrote, or undefined when it
 * is one (and may be replaced by a new generation).
 */
export function notDcgenFolder(dir: string): string | undefined {
  let manifest: Partial<Manifest> & { generator?: { name?: unknown } };
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    return 'found files and no dcgen manifest.json';
  }
  if (typeof manifest !== 'object' || manifest === null || manifest.generator?.name !== GENERATOR_NAME) return 'its manifest.json was not written by dcgen';
  const listed = manifestFiles(manifest);
  if (!listed) return 'its manifest.json does not list the files of the folder';
  const allowed = new Set([...listed, ...DESIGN_FOLDER_EXTRAS]);
  const names = readdirSync(dir);
  const foreign = names.filter((n) => !allowed.has(n));
  if (foreign.length > 0) return `found files dcgen did not write (${listSome(foreign)})`;
  const folders = names.filter((n) => {
    try {
      return !lstatSync(path.join(dir, n)).isFile();
    } catch {
      return true;
    }
  });
  if (folders.length > 0) return `found folders or links where dcgen writes files (${listSome(folders)})`;
  return undefined;
}
