// `dcgen synth <design|dir> [--target generic|ice40|asic] [--engine native|wasm] [--dsp]
//   [--liberty file.lib] [--clock-ns ns] [--memories macros|flops] [--place]` and
// `dcgen sweep <design> --vary name=v1,v2,... [--vary ...] [--target ...] [--jobs n] [--shard k/n]` and
// `dcgen sweep --merge a.csv b.csv ... [--out file.csv]` (join the shares of a sharded sweep).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ParamValue } from '../generator/emit/design.ts';
import { DEFAULT_MEMORY_MAPPING, MAX_CLOCK_NS, MEMORY_MAPPINGS, MIN_CLOCK_NS, type MemoryMapping, SWEEP_TARGETS, SYNTH_ENGINES, SYNTH_TARGETS, type SynthEngine, type SynthReport, type SynthTarget, readLiberty, sweep, synthesize } from '../eda/synth/index.ts';
import { FlowOptionError } from '../generator/emit/flows.ts';
import { sweepFileStem } from '../eda/synth/sweep.ts';
import { checkPlaceLibrary } from '../eda/synth/place.ts';
import { mergeSweepShares, readSweepShare } from '../eda/synth/sweep-merge.ts';
import { parseSetArgs } from '../generator/params/schema.ts';
import { quoteValue } from '../generator/params/decimal.ts';
import { type CommandSpec, type ParsedArgs, intOption, optValue, optValues } from './args.ts';
import { type Io, defaultOutDir, displayPath, requireDesign } from './common.ts';
import { resolveOutputFile, resolveWorkFolder, writeFileAtomic } from '../generator/io/output.ts';
import { parseShardOption } from './regress.ts';
import { UsageError } from './errors.ts';
import { generateDesign } from './generate.ts';

export const synthSpec: CommandSpec = {
  name: 'synth',
  summary: 'Synthesise a design: generic Yosys cell counts, iCE40 place and route with Fmax, or ASIC area and Fmax on a cell library.',
  positionals: [{ name: 'design|dir', help: 'a folder written by dcgen generate, or a design name (generated at defaults into rtl-out/<design>)' }],
  options: [
    { name: 'target', value: 'generic|ice40|asic', help: 'generic: yosys synth + stat; ice40: synth_ice40 + nextpnr-ice40; asic: yosys on a Liberty library + OpenSTA (default generic)' },
    { name: 'engine', value: 'native|wasm', help: 'native tools, or WebAssembly: @yowasp/yosys, and @yowasp/nextpnr-ice40 for ice40 (default native)' },
    { name: 'dsp', help: 'ice40: map multipliers to SB_MAC16 DSPs' },
    { name: 'liberty', value: 'file.lib', help: 'asic: the standard-cell library (default OSU 0.18 um, Debian package qflow-tech-osu018)' },
    { name: 'clock-ns', value: 'ns', help: `asic: clock period for abc and OpenSTA, plain decimal from ${MIN_CLOCK_NS} to ${MAX_CLOCK_NS} (default 10)` },
    { name: 'memories', value: 'macros|flops', help: `asic: memory modules (<top>.mems.json) as black-box SRAM macros, outside the area and timed at their pins, or mapped to flip-flops (default ${DEFAULT_MEMORY_MAPPING})` },
    { name: 'place', help: 'asic: then place and route with qflow (graywolf, qrouter; default library only) and time the routed netlist with its wires' },
  ],
  notes: [
    'Writes report.json and report.md (and the tool logs) into the design folder.',
    'asic: area (um2) from yosys stat -liberty; worst register-to-register path and Fmax from OpenSTA with an ideal\n' +
      'clock on clk and input/output delays of 0 ns. Adds synth-asic.log, sta.log and netlist-asic.v.',
    'asic --memories macros (default): every memory module with synchronous reads is a black box, cut out of the\n' +
      'netlist: its pins become ports timed at 0 ns to the clock and count as registers; the report lists each macro.\n' +
      'Memories with an asynchronous read, and all of them with --memories flops, become flip-flops and logic.',
    'asic --place: die area, utilisation and the worst path again after qflow placed and routed the netlist as mapped\n' +
      '(no fanout buffering), OpenSTA reading qrouter\'s wire parasitics. Adds qflow.log, netlist-routed.v, routed.def,\n' +
      'routed.spef and sta-routed.log.',
    '--engine wasm with --target ice40 runs both Yosys and nextpnr-ice40 in WebAssembly: no native tool is needed.',
  ],
};

export const sweepSpec: CommandSpec = {
  name: 'sweep',
  summary: 'Generate and synthesise every point of a parameter sweep; write a CSV and an SVG chart.',
  positionals: [{ name: 'design', help: 'a design name from dcgen list' }],
  options: [
    { name: 'vary', value: 'name=v1,v2,...', repeat: true, help: 'a parameter and its values (repeatable: the cross product is swept)' },
    { name: 'set', value: 'name=value', repeat: true, help: 'hold a parameter at one value' },
    { name: 'target', value: 'generic|ice40|asic', help: 'default generic' },
    { name: 'engine', value: 'native|wasm', help: 'default native' },
    { name: 'liberty', value: 'file.lib', help: 'asic: the standard-cell library (default OSU 0.18 um)' },
    { name: 'clock-ns', value: 'ns', help: 'asic: clock period for abc and OpenSTA (default 10)' },
    { name: 'memories', value: 'macros|flops', help: 'asic: memory modules as black-box SRAM macros or mapped to flip-flops (default macros)' },
    { name: 'jobs', value: 'n', help: 'points synthesised at once (default 1; 1 to 64, plain decimal)' },
    { name: 'shard', value: 'k/n', help: 'run share k of n: the points numbered i (0-based, cross-product order) with i mod n = k-1; 1 <= k <= n' },
    { name: 'merge', value: 'file.csv', variadic: true, standalone: true, help: 'join the share CSVs of one sharded sweep into one CSV and SVG (no <design>, runs nothing)' },
    { name: 'out', value: 'file.csv', help: 'with --merge: the joined CSV (the SVG beside it); default rtl-out/sweeps/<design>-<hash>.csv' },
  ],
  notes: [
    'Every point is checked (parameter ranges, plain-decimal integers, the design\'s rules) before any runs;\n' +
      'one invalid point refuses the sweep. Writes rtl-out/sweeps/<design>-<hash>.csv and .svg; a point whose\n' +
      'generation or synthesis fails is reported and the sweep goes on.',
    'asic: the CSV gives asic_area_um2, asic_worst_path_ns and fmax_mhz (1000 / worst path) per point, the chart\n' +
      'plots the three; cells and flip_flops are then standard cells.',
    'With --shard k/n the share writes rtl-out/sweeps/<design>-<hash>-shard<k>of<n>.csv and .svg. Each row names its\n' +
      'sweep (design, target, sweep_hash, sweep_points). dcgen sweep --merge a.csv b.csv ... refuses shares of\n' +
      'different sweeps (exit 2), and points missing or in two files (exit 1, nothing written); it writes the CSV\n' +
      'and SVG an unsharded run writes. Exit 1 also when a point failed.',
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
  const a = r.asic;
  if (a) {
    const p = a.worstPath ?? a.worstConstrainedPath;
    const macros = a.macros ?? [];
    const boxed = macros.length ? ` (logic only: ${macros.reduce((s, m) => s + m.instances.length, 0)} memory macro(s) of ${macros.reduce((s, m) => s + m.totalBits, 0)} bits black-boxed)` : '';
    lines.push(`asic ${a.liberty.library}: area ${a.areaUm2.toFixed(1)} um2${boxed}, ${a.cells} cells, ${a.flipFlops} flip-flops`);
    lines.push(
      `asic timing at ${a.clockNs} ns: worst ${a.fmaxFrom === 'all-paths' ? 'I/O' : 'register-to-register'} path ${a.worstPathNs?.toFixed(3) ?? '-'} ns` +
        `${p ? ` (${p.startRegister ?? p.startpoint} -> ${p.endRegister ?? p.endpoint}, slack ${p.slackNs.toFixed(3)} ns)` : ''}, Fmax ${a.fmaxMHz?.toFixed(2) ?? '-'} MHz` +
        `${a.fmaxFrom === 'register-to-register' && a.constrainedFmaxMHz !== null ? `; I/O paths included: ${a.worstConstrainedPathNs?.toFixed(3)} ns, ${a.constrainedFmaxMHz.toFixed(2)} MHz` : ''}`,
    );
    const pr = a.placed;
    if (pr) {
      lines.push(
        `asic placed and routed (qflow, ${pr.seconds.toFixed(0)} s): die ${pr.dieWidthUm.toFixed(1)} x ${pr.dieHeightUm.toFixed(1)} um = ${pr.dieAreaUm2.toFixed(0)} um2, utilisation ${pr.utilisation === null ? '-' : `${(100 * pr.utilisation).toFixed(1)} %`}` +
          `${pr.failedRoutes ? `, ${pr.failedRoutes} net(s) unrouted` : ', all nets routed'}; worst path ${pr.worstPathNs?.toFixed(3) ?? '-'} ns, Fmax ${pr.fmaxMHz?.toFixed(2) ?? '-'} MHz with the wires` +
          `${pr.constrainedFmaxMHz !== null && pr.fmaxFrom === 'register-to-register' ? `; I/O paths included: ${pr.worstConstrainedPathNs?.toFixed(3)} ns, ${pr.constrainedFmaxMHz.toFixed(2)} MHz` : ''}`,
      );
    }
  }
  for (const m of r.messages) lines.push(m);
  return lines;
}

/** `--clock-ns`: a plain decimal (digits, an optional fraction) within the bounds, or an error. */
export function parseSynthClockNs(raw: string): number {
  const v = Number(raw);
  if (!/^(0|[1-9]\d*)(\.\d+)?$/.test(raw) || !(v >= MIN_CLOCK_NS && v <= MAX_CLOCK_NS)) {
    throw new FlowOptionError('clock-ns', raw, `a clock period in nanoseconds from ${MIN_CLOCK_NS} to ${MAX_CLOCK_NS}, in plain decimal (digits and an optional fraction, e.g. 2.5)`);
  }
  return v;
}

export async function runSynth(args: ParsedArgs, io: Io): Promise<number> {
  const target = choice<SynthTarget>(args, 'target', SYNTH_TARGETS, 'generic');
  const engine = choice<SynthEngine>(args, 'engine', SYNTH_ENGINES, 'native');
  const liberty = optValue(args, 'liberty');
  const clockText = optValue(args, 'clock-ns');
  if (target !== 'asic') {
    const stray = ['liberty', 'clock-ns', 'memories'].find((o) => args.values.has(o)) ?? (args.flags.has('place') ? 'place' : undefined);
    if (stray) throw new UsageError(`--${stray} is for --target asic only`);
  } else if (args.flags.has('dsp')) throw new UsageError('--dsp is for --target ice40 only');
  const memories = args.values.has('memories') ? choice<MemoryMapping>(args, 'memories', MEMORY_MAPPINGS, DEFAULT_MEMORY_MAPPING) : undefined;
  // Every option is checked before a design is generated or a tool runs.
  const clockNs = clockText === undefined ? undefined : parseSynthClockNs(clockText);
  if (liberty !== undefined) {
    const lib = await readLiberty(liberty);
    if (args.flags.has('place')) checkPlaceLibrary(lib);
  }
  const arg = args.positionals[0];
  let dir = arg;
  if (!existsSync(path.join(arg, 'manifest.json'))) {
    const design = requireDesign(arg);
    dir = defaultOutDir(design.name);
    generateDesign({ design, overrides: {}, outDir: dir });
  }
  const report = await synthesize(path.resolve(dir), {
    target,
    engine,
    dsp: args.flags.has('dsp'),
    ...(liberty !== undefined ? { liberty: path.resolve(liberty) } : {}),
    ...(clockNs !== undefined ? { clockNs } : {}),
    place: args.flags.has('place'),
    ...(memories !== undefined ? { memories } : {}),
    onProgress: (l) => io.err(`  ${l}`),
  });
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
  if (args.values.has('merge')) return runSweepMerge(args, io);
  if (args.values.has('out')) throw new UsageError('--out is for --merge only (a sweep writes rtl-out/sweeps/<design>-<hash>.csv and .svg)');
  const design = requireDesign(args.positionals[0]);
  const target = choice<SynthTarget>(args, 'target', SWEEP_TARGETS, 'generic');
  const engine = choice<SynthEngine>(args, 'engine', SYNTH_ENGINES, 'native');
  const liberty = optValue(args, 'liberty');
  const clockText = optValue(args, 'clock-ns');
  if (target !== 'asic') {
    const stray = ['liberty', 'clock-ns', 'memories'].find((o) => args.values.has(o));
    if (stray) throw new UsageError(`--${stray} is for --target asic only`);
  }
  const memories = args.values.has('memories') ? choice<MemoryMapping>(args, 'memories', MEMORY_MAPPINGS, DEFAULT_MEMORY_MAPPING) : undefined;
  const clockNs = clockText === undefined ? undefined : parseSynthClockNs(clockText);
  if (liberty !== undefined) await readLiberty(liberty);
  const jobs = intOption(args, 'jobs', { min: 1, max: 64 }) ?? 1;
  const shardText = optValue(args, 'shard');
  const shard = shardText === undefined ? undefined : parseShardOption(shardText, 'point');
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
    ...(shard ? { shard } : {}),
    ...(liberty !== undefined ? { liberty: path.resolve(liberty) } : {}),
    ...(clockNs !== undefined ? { clockNs } : {}),
    ...(memories !== undefined ? { memories } : {}),
    outDir: sweepsDir,
    generate: async (params: Record<string, ParamValue>) => {
      const tag = Object.entries(params).map(([k, v]) => `${k}-${v}`).join('_').replace(/[^A-Za-z0-9_.-]/g, '');
      const outDir = path.join(pointsRoot, `${design.name}_${tag}`);
      return generateDesign({ design, overrides: params, outDir }).outDir;
    },
    onProgress: (l) => io.err(l),
  });
  const share = result.shard ? ` (share ${result.shard.k}/${result.shard.n} of ${result.total})` : '';
  io.out([`sweep ${design.name}: ${result.points.length} points${share}, ${result.failed} failed`, `csv: ${displayPath(result.csvPath)}`, `svg: ${displayPath(result.svgPath)}`].join('\n'));
  return result.failed > 0 ? 1 : 0;
}

/** `--out x.csv` → x.svg beside it (any other name: name.svg). */
function svgBeside(csv: string): string {
  return csv.endsWith('.csv') ? `${csv.slice(0, -4)}.svg` : `${csv}.svg`;
}

/**
 * `dcgen sweep --merge a.csv b.csv ... [--out file.csv]`: join the shares of one sharded sweep
 * (eda/synth/sweep.ts has the rules). Exit 0, 1 when points are missing or given twice (nothing
 * written) or a point failed (written), 2 for unusable files or shares of different sweeps.
 */
async function runSweepMerge(args: ParsedArgs, io: Io): Promise<number> {
  const other = sweepSpec.options.find((o) => o.name !== 'merge' && o.name !== 'out' && (args.values.has(o.name) || args.flags.has(o.name)));
  if (other) throw new UsageError(`--${other.name} cannot be combined with --merge, which takes the share CSVs and --out <file.csv> only (dcgen sweep --help shows the usage)`);
  const out = optValue(args, 'out');
  if (out !== undefined) {
    resolveOutputFile('--out', out);
    resolveOutputFile('--out (its SVG)', svgBeside(out));
  } else resolveWorkFolder('sweep output folder', path.join('rtl-out', 'sweeps'));
  const shares = optValues(args, 'merge').map(readSweepShare);
  const merged = mergeSweepShares(shares);
  const csvPath = out ?? path.join('rtl-out', 'sweeps', `${sweepFileStem(merged.sweep.design, merged.sweep.hash)}.csv`);
  const svgPath = svgBeside(csvPath);
  const lines = [
    `sweep --merge: ${shares.length} file${shares.length === 1 ? '' : 's'} of sweep ${merged.sweep.design}-${merged.sweep.hash} (${merged.sweep.target}, ${merged.sweep.total} points)`,
    ...shares.map((s) => `  ${displayPath(s.file)}  ${s.rows.length} point${s.rows.length === 1 ? '' : 's'}`),
  ];
  if (merged.problems.length) {
    io.out([...lines, '', 'cannot merge: the files do not hold every point of the sweep exactly once:', ...merged.problems.map((p) => `  - ${p}`), `nothing written to ${displayPath(csvPath)}`].join('\n'));
    return 1;
  }
  if (out === undefined) resolveOutputFile('sweep output', csvPath);
  writeFileAtomic(csvPath, merged.csv!);
  writeFileAtomic(svgPath, merged.svg!);
  const failed = merged.points.filter((p) => !p.ok).length;
  io.out([...lines, `sweep ${merged.sweep.design}: ${merged.points.length} points, ${failed} failed`, `csv: ${displayPath(csvPath)}`, `svg: ${displayPath(svgPath)}`].join('\n'));
  return failed > 0 ? 1 : 0;
}
