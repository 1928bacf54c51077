// Out-of-tree designs (docs/new-block.md): a plugin is an ES module (.ts, .mts, .js, .mjs;
// a .ts file outside a "type": "module" package must be named .mts) whose default
// export is `definePlugin({ designs, cases })`. The CLI loads every file given with `--plugin
// <file>` (repeatable; list, generate, lint, start, regress, mutate, synth, sweep) and every
// file in $DCGEN_PLUGINS (separated by ':', ';' on Windows), relative to the current folder,
// before the command runs; its designs and cases then work as the built-in ones do. Anything
// wrong with a plugin is a PluginError (exit 2) naming the file.
//
// The module must be loaded into the same module graph as dcgen (plain `import()`, with tsx
// registered by bin/dcgen.mjs), not through tsx's isolated `tsImport`: the plugin's blocks throw
// dcgen's own error classes, which the CLI recognises as user errors.
import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CosimCase } from '../sim/cases/case.ts';
import { registerCases } from '../sim/cases/index.ts';
import { DcgenError, isUserError } from '../generator/errors.ts';
import { registerDesign } from '../generator/designs/index.ts';
import type { DesignSpec } from '../generator/designs/registry.ts';

export interface DcgenPlugin {
  /** Designs to register (each named `<family>.<block>`, not taken; defineDesign's or plain objects). */
  designs?: readonly DesignSpec[];
  /** Their cosimulation cases (`<design>.<case>`), for regress, mutate and start. */
  cases?: readonly CosimCase[];
}

export function definePlugin(p: DcgenPlugin): DcgenPlugin {
  return p;
}

/** A plugin file that cannot be loaded or used. */
export class PluginError extends DcgenError {
  constructor(file: string, problem: string) {
    super(`plugin '${file}': ${problem}`);
  }
}

/** The environment variable that lists plugin files. */
export const PLUGINS_ENV = 'DCGEN_PLUGINS';

/** Register a plugin's designs, then its cases (a user error if a name is taken or malformed). */
export async function registerPlugin(p: DcgenPlugin): Promise<void> {
  for (const d of p.designs ?? []) registerDesign(d);
  await registerCases(p.cases ?? []);
}

const loaded = new Set<string>();

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '(no message)';
}

/** Load and register one plugin file (once per process, however often it is named). */
export async function loadPlugin(file: string): Promise<void> {
  const abs = path.resolve(file);
  if (loaded.has(abs)) return;
  let isFile = false;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    throw new PluginError(file, 'file not found');
  }
  if (!isFile) throw new PluginError(file, 'expected a file, found a folder');
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    // tsx compiles a .ts file outside a "type": "module" package as CommonJS, which cannot
    // import dcgen's ES modules.
    const hint = /require\(\)/.test(firstLine(e)) && path.extname(abs) === '.ts' ? ' (outside a "type": "module" package, name the file .mts)' : '';
    throw new PluginError(file, `cannot load the module: ${firstLine(e)}${hint}`);
  }
  const p = mod.default;
  const arrayOrAbsent = (v: unknown) => v === undefined || Array.isArray(v);
  if (typeof p !== 'object' || p === null || Array.isArray(p) || !arrayOrAbsent((p as DcgenPlugin).designs) || !arrayOrAbsent((p as DcgenPlugin).cases)) {
    throw new PluginError(file, 'expected a default export `definePlugin({ designs: [...], cases: [...] })` (generator/designs/plugins.ts)');
  }
  try {
    await registerPlugin(p as DcgenPlugin);
  } catch (e) {
    if (isUserError(e)) throw new PluginError(file, e.message);
    throw e;
  }
  loaded.add(abs);
}

/** The plugin files of a command: $DCGEN_PLUGINS first, then the `--plugin` values. */
export function pluginFiles(options: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env[PLUGINS_ENV] ?? '').split(path.delimiter).filter((f) => f !== '');
  return [...fromEnv, ...options];
}

export async function loadPlugins(files: readonly string[]): Promise<void> {
  for (const f of files) await loadPlugin(f);
}
