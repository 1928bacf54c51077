#!/usr/bin/env node
// dcgen's command line. Registers tsx (with the package's own tsconfig, whatever the current
// folder) so the TypeScript sources and `--config file.ts` load directly, then runs the CLI.
// Exit status: see cli/main.ts.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });

// `dcgen list | head` closes the pipe early: that is not an error. Output to a full disk
// (`dcgen list > /dev/full`) is the user's to fix: one error line, exit 2.
for (const [stream, name] of [[process.stdout, 'output'], [process.stderr, 'error']]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream !== process.stderr) process.stderr.write(`error: cannot write to the standard ${name}: ${e.code ?? e.message}\n`);
    process.exit(2);
  });
}

try {
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Only reached if the CLI itself fails to load (main() reports every other error itself).
  process.stderr.write(`internal error (a bug in dcgen, please report it):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 70;
}
