// `dcgen cache clean [--dir path]` and `dcgen cache path`: the Verilator build cache
// (sim/verilator/cache.ts) and the designs generated for the cosim cases beside it.
import { existsSync } from 'node:fs';
import { cacheClean, cacheDir } from '../../sim/verilator/cache.ts';
import { caseDesignRoot } from '../../sim/cases/case.ts';
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
  const lines: string[] = [];
  let total = 0;
  let freed = 0;
  const clean = async (dir: string, what: string) => {
    if (!existsSync(dir)) {
      lines.push(`${what} ${displayPath(dir)}: nothing there`);
      return;
    }
    const r = await cacheClean({ dir });
    total += r.removed.length;
    freed += r.bytesFreed;
    lines.push(`${what} ${displayPath(dir)}: removed ${r.removed.length} entr${r.removed.length === 1 ? 'y' : 'ies'} (${mb(r.bytesFreed)})`);
    for (const n of r.removed) lines.push(`  removed ${n}`);
    for (const n of r.skipped) lines.push(`  kept ${n} (a build in progress)`);
  };
  await clean(dirOpt ?? cacheDir(), 'build cache');
  if (dirOpt === undefined) await clean(caseDesignRoot(), 'case designs');
  lines.push(`removed ${total} entr${total === 1 ? 'y' : 'ies'}, ${mb(freed)} freed`);
  io.out(lines.join('\n'));
  return 0;
}
