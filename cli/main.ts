// The dcgen command line: `dcgen <command> [options]`. bin/dcgen.mjs registers tsx and calls
// `main`, whose result is the exit status:
//   0   done
//   1   a check failed (lint, a design in `dcgen start`, a regress case, a surviving mutant)
//   2   a user error: bad arguments, parameters, config file or output folder, a hardware rule
//       the design breaks, a missing EDA tool. Printed as one `error: <message>`, no stack.
//   70  anything else: a bug in dcgen. Printed with its stack.
import path from 'node:path';
import { isUserError } from '../generator/errors.ts';
import { asUserError } from '../generator/io/errors.ts';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../generator/version.ts';
import { ToolMissingError } from '../eda/tools/errors.ts';
import { type CommandSpec, type OptionSpec, type ParsedArgs, commandUsage, optValues, parseArgs } from './args.ts';
import { PLUGINS_ENV, loadPlugins, pluginFiles } from './plugins.ts';
import { type Io, processIo } from './common.ts';
import { UsageError } from './errors.ts';
import { generateSpec, runGenerate } from './generate.ts';
import { lintSpec, runLint } from './lint.ts';
import { listSpec, runList } from './list.ts';
import { runStart, startSpec } from './start.ts';
import { regressSpec, runRegressCommand } from './regress.ts';
import { mutateSpec, runMutateCommand } from './mutate.ts';
import { cacheSpec, runCacheCommand } from './cache.ts';
import { runSweep, runSynth, sweepSpec, synthSpec } from './synth.ts';
import { evalSpec, runEvalCommand } from './eval.ts';

interface Command {
  spec: CommandSpec;
  run(args: ParsedArgs, io: Io): Promise<number>;
  /** Argument syntax shown in the top-level usage. */
  synopsis: string;
  /** Takes `--plugin <file>` (and $DCGEN_PLUGINS): out-of-tree designs and cases, loaded before it runs. */
  plugins?: true;
}

const PLUGIN_OPTION: OptionSpec = {
  name: 'plugin',
  value: 'file',
  repeat: true,
  help: `load out-of-tree designs and cases from a module (default export definePlugin({...}); docs/new-block.md); also $${PLUGINS_ENV}`,
};

const COMMANDS: readonly Command[] = [
  { spec: listSpec, run: runList, synopsis: 'list [--json]', plugins: true },
  { spec: generateSpec, run: runGenerate, synopsis: 'generate <design> [--set name=value]... [--config file] [--out dir] [--src-comments] [--clock-ns ns]', plugins: true },
  { spec: lintSpec, run: runLint, synopsis: 'lint <design|dir>', plugins: true },
  { spec: startSpec, run: (a, io) => runStart(a, io), synopsis: 'start', plugins: true },
  { spec: regressSpec, run: (a, io) => runRegressCommand(a, io), synopsis: 'regress [--filter glob]... [--seeds n] [--jobs n] [--shard k/n] [--junit file] [--sim verilator|icarus] [--full] [--waves] | regress --merge-junit file... --out file', plugins: true },
  { spec: mutateSpec, run: (a, io) => runMutateCommand(a, io), synopsis: 'mutate <design|case-glob> [--max n] [--seed s] [--jobs n]', plugins: true },
  { spec: synthSpec, run: runSynth, synopsis: 'synth <design|dir> [--target generic|ice40|asic] [--engine native|wasm] [--dsp] [--liberty file.lib] [--clock-ns ns] [--memories macros|flops] [--place]', plugins: true },
  { spec: sweepSpec, run: runSweep, synopsis: 'sweep <design> --vary name=v1,v2,... [--vary ...] [--set name=value]... [--target generic|ice40|asic] [--liberty file.lib] [--clock-ns ns] [--memories macros|flops] [--jobs n] [--shard k/n] | sweep --merge file.csv... [--out file.csv]', plugins: true },
  { spec: cacheSpec, run: runCacheCommand, synopsis: 'cache clean [--dir path] | cache path' },
  { spec: evalSpec, run: runEvalCommand, synopsis: 'eval ditto|cmc [--json file] [--frames n] [--quick] [--rtl] [--seed n] [--lanes n] [--video-dir dir]' },
];

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USER_ERROR = 2;
export const EXIT_INTERNAL = 70;

export function mainUsage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  return [
    `${GENERATOR_NAME} ${GENERATOR_VERSION}: TypeScript hardware generator (typed DSL -> IR -> Verilog-2005)`,
    '',
    'Usage: dcgen <command> [options]',
    '',
    ...COMMANDS.map((c) => `  dcgen ${c.synopsis}`),
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(w)}  ${c.spec.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help; dcgen <command> --help shows a command\'s options',
    '  -V, --version  print the version',
    `  --plugin <file>  (after list, generate, lint, start, regress, mutate, synth, sweep) load out-of-tree`,
    `                 designs and cases from a module; also $${PLUGINS_ENV} (files separated by '${path.delimiter}'); docs/new-block.md`,
    '',
    'Exit status: 0 ok, 1 a check failed (lint, cosim case, surviving mutant), 2 a user error (arguments,',
    'parameters, config, output folder, design rules, missing tool), 70 an internal error (a bug in dcgen).',
    '',
  ].join('\n');
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(mainUsage());
    return EXIT_USER_ERROR;
  }
  if (first === '-h' || first === '--help') {
    io.out(mainUsage());
    return EXIT_OK;
  }
  if (first === '-V' || first === '--version') {
    io.out(`${GENERATOR_NAME} ${GENERATOR_VERSION}`);
    return EXIT_OK;
  }
  const names = COMMANDS.map((c) => c.spec.name).join(', ');
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'; expected a command (${names}), --help or --version`);
  const cmd = COMMANDS.find((c) => c.spec.name === first);
  if (!cmd) throw new UsageError(`unknown command '${first}'; expected one of: ${names} (dcgen --help shows the usage)`);
  const spec = cmd.plugins ? { ...cmd.spec, options: [...cmd.spec.options, PLUGIN_OPTION] } : cmd.spec;
  const args = parseArgs(spec, rest);
  if (args.help) {
    io.out(commandUsage(spec));
    return EXIT_OK;
  }
  if (cmd.plugins) await loadPlugins(pluginFiles(optValues(args, 'plugin')));
  return cmd.run(args, io);
}

/** Print an exception the way the exit-status contract says; returns the status. */
export function reportError(thrown: unknown, io: Io): number {
  // A full disk, a read-only folder, a name too long...: the user's to fix, wherever it arose.
  const e = asUserError(thrown);
  if (isUserError(e) || e instanceof ToolMissingError) {
    io.err(`error: ${e.message}`);
    return EXIT_USER_ERROR;
  }
  const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  io.err(`internal error (a bug in dcgen, please report it):\n${text}`);
  return EXIT_INTERNAL;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    return reportError(e, io);
  }
}
