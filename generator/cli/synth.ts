// `dcgen synth <design|dir> [--target generic|ice40] [--engine native|wasm] [--dsp]` and
// `dcgen sweep <design> --vary name=v1,v2,... [--vary ...] [--target ...] [--jobs n]`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ParamValue } from '../emit/design.ts';
import { SYNTH_ENGINES, SYNTH_TARGETS, type SynthEngine, type SynthReport, type SynthTarget, sweep, synthesize } from '../../sim/synth/index.ts';
import { parseSetArgs } from '../params/schema.ts';
import { quoteValue } from '../params/decimal.ts';
import { type CommandSpec, type ParsedArgs, intOption, optValue, optValues } from './args.ts';
import { type Io, defaultOutDir, displayPath, requireDesign } from './common.ts';
import { resolveWorkFolder } from '../io/output.ts';
import { UsageError } from './errors.ts';
import { generateDesign } from './generate.ts';

export const synthSpec: CommandSpec = {
  name: 'synth',
  summary: 'Synthesise a design: generic Yosys cell counts, or iCE40 place and route with Fmax.',
  positionals: [{ name: 'design|dir', help: 'a folder written by dcgen generate, or a design name (generated at defaults into rtl-out/<design>)' }],
  options: [
    { name: 'target', value: 'generic|ice40', help: 'generic: yosys synth + stat; ice40: synth_ice40 + nextpnr-ice40 (default generic)' },
    { name: 'engine', value: 'native|wasm', help: 'native yosys, or @yowasp/yosys in WebAssembly (default native)' },
    { name: 'dsp', help: 'ice40: map multipliers to SB_MAC16 DSPs' },
  ],
  notes: ['Writes report.json and report.md (and the tool logs) into the design folder.'],
};

export const sweepSpec: CommandSpec = {
  name: 'sweep',
  summary: 'Generate and synthesise every point of a parameter sweep; write a CSV and an SVG chart.',
  positionals: [{ name: 'design', help: 'a design name from dcgen list' }],
  options: [
    { name: 'vary', value: 'name=v1,v2,...', repeat: true, help: 'a parameter and its values (repeatable: the cross product is swept)' },
    { name: 'set', value: 'name=value', repeat: true, help: 'hold a parameter at one value' },
    { name: 'target', value: 'generic|ice40', help: 'default generic' },
    { name: 'engine', value: 'native|wasm', help: 'default native' },
    { name: 'jobs', value: 'n', help: 'points synthesised at once (default 1; 1 to 64, plain decimal)' },
  ],
  notes: [
    'Every point is checked (parameter ranges, plain-decimal integers, the design\'s rules) before any runs;\n' +
      'one invalid point refuses the sweep. Writes rtl-out/sweeps/<design>-<hash>.csv and .svg; a point whose\n' +
      'generation or synthesis fails is reported and the sweep goes on.',
  ],
};

function choice<T extends string>(args: ParsedArgs, name: string, values: readonly T[], dflt: T): T {
  const v = optValue(args, name) ?? dflt;
  if (!(values as readonly string[]).includes(v)) throw new UsageError(`--${name} '${v}': expected one of ${values.join(', ')}`);
  return v as T;
}

function summary(r: SynthReport): string[] {
  const lines: string[] = [];
  if (r.generic) lines.push(`generic: ${r.generic.cells} cells, ${r.generic.flipFlops} flip-flops, ${r.generic.latches} latches`);
  const i = r.ice40;
  if (i?.fits) {
    lines.push(`ice40 ${i.device}/${i.package}: ${i.netlist.lut4} LUT4, ${i.netlist.ff} FF (${i.wrapper?.flipFlops ?? 0} in the I/O wrapper), ${i.netlist.dsp} DSP, ${i.netlist.ram} BRAM, Fmax ${i.fmaxMhz?.toFixed(2) ?? '-'} MHz`);
  } else if (i) lines.push(`ice40: ${i.message}`);
  for (const m of r.messages) lines.push(m);
  return lines;
}

export async function runSynth(args: ParsedArgs, io: Io): Promise<number> {
  const target = choice<SynthTarget>(args, 'target', SYNTH_TARGETS, 'generic');
  const engine = choice<SynthEngine>(args, 'engine', SYNTH_ENGINES, 'native');
  const arg = args.positionals[0];
  let dir = arg;
  if (!existsSync(path.join(arg, 'manifest.json'))) {
    const design = requireDesign(arg);
    dir = defaultOutDir(design.name);
    generateDesign({ design, overrides: {}, outDir: dir });
  }
  const report = await synthesize(path.resolve(dir), { target, engine, dsp: args.flags.has('dsp'), onProgress: (l) => io.err(`  ${l}`) });
  io.out([...summary(report), `report: ${displayPath(path.join(dir, 'report.json'))}, ${displayPath(path.join(dir, 'report.md'))}`].join('\n'));
  return 0;
}

function parseVary(specs: string[]): Record<string, string[]> {
  if (specs.length === 0) throw new UsageError('sweep: expected at least one --vary name=v1,v2,...');
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const s of specs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/s.exec(s);
    if (!m) throw new UsageError(`--vary ${quoteValue(s)}: expected name=v1,v2,...`);
    // Values are taken as typed (no trimming): ' 4' is refused by the parameter check, not read as 4.
    const values = m[2].split(',');
    if (values.some((v) => v === '')) throw new UsageError(`--vary ${quoteValue(s)}: expected non-empty values separated by commas`);
    if (Object.hasOwn(out, m[1])) throw new UsageError(`--vary: parameter '${m[1]}' given twice; list all its values in one --vary ${m[1]}=v1,v2,...`);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup !== undefined) throw new UsageError(`--vary ${quoteValue(s)}: value ${quoteValue(dup)} given twice`);
    out[m[1]] = values;
  }
  return { ...out };
}

export async function runSweep(args: ParsedArgs, io: Io): Promise<number> {
  const design = requireDesign(args.positionals[0]);
  const target = choice<SynthTarget>(args, 'target', SYNTH_TARGETS, 'generic');
  const engine = choice<SynthEngine>(args, 'engine', SYNTH_ENGINES, 'native');
  const jobs = intOption(args, 'jobs', { min: 1, max: 64 }) ?? 1;
  const vary = parseVary(optValues(args, 'vary'));
  const fixed = parseSetArgs(optValues(args, 'set'));
  const sweepsDir = path.join('rtl-out', 'sweeps');
  resolveWorkFolder('sweep output folder', sweepsDir);
  const pointsRoot = path.join(sweepsDir, 'points');
  const result = await sweep({
    design,
    vary,
    fixed,
    target,
    engine,
    jobs,
    outDir: sweepsDir,
    generate: async (params: Record<string, ParamValue>) => {
      const tag = Object.entries(params).map(([k, v]) => `${k}-${v}`).join('_').replace(/[^A-Za-z0-9_.-]/g, '');
      const outDir = path.join(pointsRoot, `${design.name}_${tag}`);
      return generateDesign({ design, overrides: params, outDir }).outDir;
    },
    onProgress: (l) => io.err(l),
  });
  io.out([`sweep ${design.name}: ${result.points.length} points, ${result.failed} failed`, `csv: ${displayPath(result.csvPath)}`, `svg: ${displayPath(result.svgPath)}`].join('\n'));
  return result.failed > 0 ? 1 : 0;
}
