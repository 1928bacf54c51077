// `dcgen cache clean [--dir path]` and `dcgen cache path`: the Verilator build cache
// (sim/verilator/cache.ts) and the designs generated for the cosim cases beside it. Clean
// removes only what dcgen wrote: a folder without dcgen's `.dcgen-cache` marker is refused
// (unless it holds nothing but cache entries: an older dcgen's cache), and anything in a
// marked folder that is not a cache entry is kept and listed.
import { existsSync } from 'node:fs';
import { type CacheKind, cacheClean, cacheDir, checkCleanable } from '../sim/verilator/cache.ts';
import { caseDesignRoot } from '../sim/cases/case.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import { optValue } from './args.ts';
import { type Io, displayPath } from './common.ts';
import { UsageError } from './errors.ts';

export const cacheSpec: CommandSpec = {
  name: 'cache',
  summary: 'Show or empty the Verilator build cache (and the designs generated for the cosim cases).',
  positionals: [{ name: 'clean|path', help: 'clean: remove every cached harness build and generated case design; path: print the cache folder' }],
  options: [{ name: 'dir', value: 'path', help: 'clean this build cache folder instead (the case designs are then left alone)' }],
  notes: [
    'The cache folder is $DCGEN_CACHE_DIR when set, else <dcgen>/.cache/verilator; the case designs live in\n' +
      '"designs" beside it. Builds in progress in other processes (a live lock) are left alone.',
    'Both folders carry a .dcgen-cache marker; clean refuses a folder without it (unless it holds only cache\n' +
      'entries, as an older dcgen left them) and keeps anything in them that dcgen did not write.',
  ],
};

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

export async function runCacheCommand(args: ParsedArgs, io: Io): Promise<number> {
  const action = args.positionals[0]!;
  const dirOpt = optValue(args, 'dir');
  if (action === 'path') {
    if (dirOpt !== undefined) throw new UsageError("option '--dir' is for 'dcgen cache clean' only (dcgen cache --help shows the usage)");
    io.out(cacheDir());
    return 0;
  }
  if (action !== 'clean') throw new UsageError(`unknown action '${action}' for 'dcgen cache': expected clean or path (dcgen cache --help shows the usage)`);
  const targets: { dir: string; kind: CacheKind; what: string }[] = [{ dir: dirOpt ?? cacheDir(), kind: 'builds', what: 'build cache' }];
  if (dirOpt === undefined) targets.push({ dir: caseDesignRoot(), kind: 'designs', what: 'case designs' });
  // Refuse before removing anything: a folder that is not dcgen's stops the whole command.
  for (const t of targets) checkCleanable(t.dir, t.kind);
  const lines: string[] = [];
  let total = 0;
  let freed = 0;
  let kept = 0;
  for (const { dir, kind, what } of targets) {
    if (!existsSync(dir)) {
      lines.push(`${what} ${displayPath(dir)}: nothing there`);
      continue;
    }
    const r = await cacheClean({ dir, kind });
    total += r.removed.length;
    freed += r.bytesFreed;
    kept += r.kept.length;
    lines.push(`${what} ${displayPath(dir)}: removed ${r.removed.length} entr${r.removed.length === 1 ? 'y' : 'ies'} (${mb(r.bytesFreed)})`);
    for (const n of r.removed) lines.push(`  removed ${JSON.stringify(n).slice(1, -1)}`);
    for (const n of r.skipped) lines.push(`  kept ${JSON.stringify(n).slice(1, -1)} (a build in progress)`);
    for (const k of r.kept) lines.push(`  kept ${JSON.stringify(k.name).slice(1, -1)} (${k.why})`);
  }
  lines.push(`removed ${total} entr${total === 1 ? 'y' : 'ies'}, ${mb(freed)} freed${kept > 0 ? `; kept ${kept} item${kept === 1 ? '' : 's'} dcgen did not write` : ''}`);
  io.out(lines.join('\n'));
  return 0;
}
