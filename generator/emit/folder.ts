// Which folders are dcgen's design folders. A folder is dcgen's only when it holds a dcgen
// manifest.json and nothing but the files that manifest lists, plus the reports and logs that
// dcgen's own commands add to a design folder (synth, lint). Only such a folder is ever
// replaced; a user's folder that merely holds a copied manifest.json is not.
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { manifestFiles, readOwnManifest } from './manifest.ts';

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
  'synth-asic.log',
  'sta.log',
  'netlist-asic.v',
  // dcgen synth --target asic --place (eda/synth/place.ts ASIC_PLACE_FILES)
  'qflow.log',
  'netlist-routed.v',
  'routed.def',
  'routed.spef',
  'sta-routed.log',
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
  const manifest = readOwnManifest(dir);
  if (!manifest) return existsSync(path.join(dir, 'manifest.json')) ? 'its manifest.json was not written by dcgen' : 'found files and no dcgen manifest.json';
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
