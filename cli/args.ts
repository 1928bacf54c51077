// A small argument parser (no dependencies): each command declares its positionals and
// options, and gets back what was given, or a UsageError that names the bad argument.
//
//   --name value | --name=value     an option with a value (`repeat: true` collects every one;
//                                   any other option given twice is an error, even with equal values)
//   --flag | -f                     a flag (given twice: an error too)
//   --name v1 v2 ...                a `variadic` option: every following argument up to the next
//                                   option (or `--`) is one of its values
//   -h | --help                     anywhere before `--`: show the command's help (wins over errors)
//   --                              everything after is positional
import { parseDecimalInt, quoteValue } from '../generator/params/decimal.ts';
import { UsageError } from './errors.ts';

export interface OptionSpec {
  /** Long name without the dashes: `out` for `--out`. */
  name: string;
  /** One-letter alias without the dash. */
  short?: string;
  /** Placeholder for the value (`dir`); absent for a flag. */
  value?: string;
  /** May be given more than once (values are kept in order); otherwise giving it twice is a UsageError. */
  repeat?: boolean;
  /** Takes one or more values: the arguments after it up to the next option or `--` (`--merge a.csv b.csv`). */
  variadic?: boolean;
  /**
   * Selects another form of the command that takes no positionals (`dcgen sweep --merge a.csv b.csv`):
   * with it given, the command's positionals are neither required nor accepted.
   */
  standalone?: boolean;
  help: string;
}

export interface PositionalSpec {
  name: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** One line for `dcgen --help`. */
  summary: string;
  /** Required positionals, in order (every command here takes a fixed number). */
  positionals: PositionalSpec[];
  options: OptionSpec[];
  /** Paragraphs printed after the option list. */
  notes?: string[];
}

export interface ParsedArgs {
  help: boolean;
  positionals: string[];
  flags: Set<string>;
  /** Option name → values, in command-line order. */
  values: Map<string, string[]>;
}

const HELP: OptionSpec = { name: 'help', short: 'h', help: 'show this help' };

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = [...spec.options, HELP];
  const out: ParsedArgs = { help: false, positionals: [], flags: new Set(), values: new Map() };
  const where = `'dcgen ${spec.name}'`;
  const hint = `(dcgen ${spec.name} --help shows the usage)`;
  let firstError: UsageError | undefined;
  const fail = (msg: string) => {
    firstError ??= new UsageError(`${msg} ${hint}`);
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.positionals.push(a);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let opt: OptionSpec | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
      opt = options.find((o) => o.name === name);
    } else {
      name = a.slice(1);
      opt = options.find((o) => o.short !== undefined && o.short === name);
    }
    if (!opt) {
      fail(`unknown option '${a.startsWith('--') ? `--${name}` : a}' for ${where}`);
      continue;
    }
    if (opt.value === undefined) {
      if (inline !== undefined) fail(`option '--${opt.name}' of ${where} takes no value, found '${a}'`);
      else if (opt === HELP) out.help = true;
      else if (out.flags.has(opt.name)) fail(`option '--${opt.name}' of ${where} given twice; give it once`);
      else out.flags.add(opt.name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      // A following option is never taken as the value: `--out --set x=1` is a missing value.
      if (next === undefined || (next.startsWith('-') && next !== '-')) {
        fail(`option '--${opt.name}' of ${where} needs a value: --${opt.name} <${opt.value}>`);
        continue;
      }
      value = next;
      i++;
    }
    if (value === '') {
      fail(`option '--${opt.name}' of ${where} needs a non-empty value: --${opt.name} <${opt.value}>`);
      continue;
    }
    const list = out.values.get(opt.name) ?? [];
    if (!opt.repeat && list.length > 0) {
      // Which one was meant is not guessed (no "the last one wins").
      fail(`option '--${opt.name}' of ${where} given twice (${quoteValue(list[0])} and ${quoteValue(value)}); it takes one value`);
      continue;
    }
    list.push(value);
    if (opt.variadic) {
      // The arguments up to the next option are values too (a lone `-` is a value, as above).
      while (i + 1 < argv.length && !(argv[i + 1].startsWith('-') && argv[i + 1] !== '-')) {
        const more = argv[++i];
        if (more === '') fail(`option '--${opt.name}' of ${where} needs non-empty values: --${opt.name} <${opt.value}>...`);
        else list.push(more);
      }
    }
    out.values.set(opt.name, list);
  }
  out.positionals.push(...argv.slice(i));
  if (out.help) return out;
  if (firstError) throw firstError;
  const standalone = spec.options.find((o) => o.standalone && out.values.has(o.name));
  const want = standalone ? [] : spec.positionals;
  if (standalone && out.positionals.length > 0) {
    throw new UsageError(`unexpected argument '${out.positionals[0]}' for 'dcgen ${spec.name} --${standalone.name}' (it takes no <${spec.positionals.map((p) => p.name).join('> <') || 'argument'}>) ${hint}`);
  }
  if (out.positionals.length < want.length) {
    const missing = want.slice(out.positionals.length).map((p) => `<${p.name}>`);
    throw new UsageError(`${where} needs ${missing.join(' ')} ${hint}`);
  }
  if (out.positionals.length > want.length) {
    throw new UsageError(`unexpected argument '${out.positionals[want.length]}' for ${where} ${hint}`);
  }
  return out;
}

/** The value of a single-valued option (parseArgs refuses one given twice). */
export function optValue(p: ParsedArgs, name: string): string | undefined {
  const v = p.values.get(name);
  return v?.[v.length - 1];
}

/**
 * An integer option: plain decimal (generator/params/decimal.ts) from `min` to `max`, or a
 * DecimalIntError naming the option, the rule and the value; undefined when absent.
 */
export function intOption(p: ParsedArgs, name: string, range: { min: number; max: number }): number | undefined {
  const v = optValue(p, name);
  return v === undefined ? undefined : parseDecimalInt(v, `--${name}`, range);
}

export function optValues(p: ParsedArgs, name: string): string[] {
  return p.values.get(name) ?? [];
}

/** `Usage:` block of one command, generated from its spec. */
export function commandUsage(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => ` <${p.name}>`).join('');
  const opts = spec.options.map((o) => {
    const v = o.value ? ` <${o.value}>${o.variadic ? '...' : ''}` : '';
    return ` [--${o.name}${v}]${o.repeat ? '...' : ''}`;
  });
  const lines = [`Usage: dcgen ${spec.name}${pos}${opts.join('')}`, '', spec.summary];
  const rows: [string, string][] = [
    ...spec.positionals.map((p): [string, string] => [`<${p.name}>`, p.help]),
    ...[...spec.options, HELP].map((o): [string, string] => [
      `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` <${o.value}>${o.variadic ? '...' : ''}` : ''}`,
      o.help + (o.repeat ? ' (repeatable)' : ''),
    ]),
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  lines.push('', ...rows.map(([l, r]) => `  ${l.padEnd(w)}  ${r}`));
  for (const n of spec.notes ?? []) lines.push('', n);
  return lines.join('\n') + '\n';
}
