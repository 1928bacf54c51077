// What every command shares: where output goes, and looking up a design by name.
import path from 'node:path';
import { designs, findDesign } from '../generator/designs/index.ts';
import type { DesignDef } from '../generator/designs/registry.ts';
import { UsageError } from './errors.ts';

/** Output sinks; each call prints one or more whole lines. Relative paths are relative to process.cwd(). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/**
 * Default output folder of a design: `rtl-out/<design>` under the current folder (not under the
 * package: an installed dcgen must not write into node_modules; `npm start` runs in the repo root).
 */
export function defaultOutDir(design: string): string {
  return path.join('rtl-out', design);
}

/** `p` relative to the current folder when it lies inside it, else absolute. */
export { shownPath as displayPath } from '../generator/io/errors.ts';

export function knownDesignNames(): string {
  return designs.map((d) => d.name).join(', ') || '(none registered)';
}

export function requireDesign(name: string): DesignDef {
  const d = findDesign(name);
  if (!d) throw new UsageError(`unknown design '${name}'; known designs: ${knownDesignNames()} (dcgen list shows their parameters)`);
  return d;
}
