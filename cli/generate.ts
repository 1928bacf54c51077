// `dcgen generate <design> [--set name=value ...] [--config file] [--out dir] [--src-comments]`.
//
// Every check that can refuse runs before anything is written: arguments, config file,
// parameter values and ranges, the design's cross-parameter rules, the output folder, and the
// DSL/IR checks while the design is built. The files then replace the output folder in one
// rename (writeFilesAtomically), so a failure leaves any earlier output byte for byte as it was.
import path from 'node:path';
import type { DesignDef } from '../generator/designs/registry.ts';
import { type Manifest, type ParamValue, emitDesign } from '../generator/emit/design.ts';
import { FlowOptionError } from '../generator/emit/flows.ts';
import { checkOutDir, writeFilesAtomically } from '../generator/emit/write.ts';
import { parseSetArgs } from '../generator/params/schema.ts';
import { type CommandSpec, type ParsedArgs, optValue, optValues } from './args.ts';
import { type Io, defaultOutDir, displayPath, requireDesign } from './common.ts';
import { loadConfig } from './config.ts';

export const generateSpec: CommandSpec = {
  name: 'generate',
  summary: 'Generate a design: one <module>.v per module, the filelist <top>.f, manifest.json.',
  positionals: [{ name: 'design', help: 'a design name from dcgen list (e.g. common.adder_tree)' }],
  options: [
    { name: 'set', value: 'name=value', repeat: true, help: 'set a parameter (integers in plain decimal); overrides --config' },
    { name: 'config', value: 'file', help: 'parameter values: a .json object, or a .ts module whose default export is one' },
    { name: 'out', value: 'dir', help: 'output folder (default: rtl-out/<design> under the current folder)' },
    { name: 'src-comments', help: 'add a // dsl: <file>:<line> comment naming the DSL source of each statement' },
    { name: 'clock-ns', value: 'ns', help: 'clock period for the flow files (SDC, OpenLane, Vivado); default 10' },
  ],
  notes: [
    'Parameters not given keep their defaults; the config hash in manifest.json and in every file header\n' +
      'covers the design name and all parameter values, so equal configs give byte-identical files.\n' +
      'The output folder must be empty, absent, or one dcgen wrote before (it is then replaced as a whole).',
  ],
};

export interface GenerateRequest {
  design: DesignDef;
  /** Parameter values by name, as given (strings from --set, JSON values from a config). */
  overrides: Record<string, unknown>;
  outDir: string;
  srcComments?: boolean;
  clockNs?: number;
}

export interface GenerateResult {
  outDir: string;
  manifest: Manifest;
  /** Files written, in write order, with their sizes in bytes. */
  files: { name: string; bytes: number }[];
}

/** Validate, build, emit and write one design; throws a DcgenError (nothing written) on any refusal. */
export function generateDesign(req: GenerateRequest): GenerateResult {
  const { design } = req;
  const params = design.resolve(req.overrides);
  const outDir = checkOutDir(req.outDir);
  const top = design.build(params);
  const { manifest, files } = emitDesign(top, {
    design: design.name,
    params: params as Record<string, ParamValue>,
    srcComments: req.srcComments ?? false,
    clockNs: req.clockNs,
    bindings: true,
  });
  writeFilesAtomically(req.outDir, files);
  return { outDir, manifest, files: [...files].map(([name, text]) => ({ name, bytes: Buffer.byteLength(text, 'utf8') })) };
}

/** The lines `dcgen generate` prints for a result: one per file with its size, then the hash. */
export function formatGenerated(r: GenerateResult): string[] {
  const paths = r.files.map((f) => displayPath(path.join(r.outDir, f.name)));
  const w = Math.max(...paths.map((p) => p.length));
  const bw = Math.max(...r.files.map((f) => String(f.bytes).length));
  const n = r.manifest.modules.length;
  return [
    ...r.files.map((f, i) => `wrote ${paths[i].padEnd(w)}  ${String(f.bytes).padStart(bw)} bytes`),
    `config hash ${r.manifest.configHash}  (design ${r.manifest.design}, top ${r.manifest.top}, ${n} module${n === 1 ? '' : 's'})`,
  ];
}

function parseClockNs(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^(0|[1-9]\d*)(\.\d+)?$/.test(raw) || !(v > 0) || v > 1e6) throw new FlowOptionError('clock-ns', raw, 'a clock period in nanoseconds, a number greater than 0 and at most 1000000');
  return v;
}

export async function runGenerate(args: ParsedArgs, io: Io): Promise<number> {
  const design = requireDesign(args.positionals[0]);
  const sets = parseSetArgs(optValues(args, 'set'));
  const configFile = optValue(args, 'config');
  const config = configFile === undefined ? {} : await loadConfig(configFile, design.name);
  const out = optValue(args, 'out');
  const result = generateDesign({
    design,
    overrides: { ...config, ...sets },
    outDir: out ?? defaultOutDir(design.name),
    srcComments: args.flags.has('src-comments'),
    clockNs: parseClockNs(optValue(args, 'clock-ns')),
  });
  io.out(formatGenerated(result).join('\n'));
  return 0;
}
