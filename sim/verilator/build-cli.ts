// Build (or find in the cache) the harness of a design folder and print the result as JSON.
//   npx tsx sim/verilator/build-cli.ts <design-dir> [--trace]
// The cache folder is $DCGEN_CACHE_DIR or <repo>/.cache/verilator.
import { buildHarness } from './build.ts';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
if (!dir || args.some((a) => a.startsWith('--') && a !== '--trace')) {
  process.stderr.write('usage: build-cli.ts <design-dir> [--trace]\n');
  process.exit(2);
}
const b = await buildHarness(dir, { trace: args.includes('--trace') });
process.stdout.write(JSON.stringify({ exe: b.exe, cached: b.cached, key: b.key, entry: b.entry, ms: Math.round(b.ms) }) + '\n');
