// `dcgen generate <design> [--set name=value ...] [--config file] [--out dir] [--src-comments]`.
//
// Every check that can refuse runs before anything is written: arguments, config file,
// parameter values and ranges, the design's cross-parameter rules, the output folder, and the
// DSL/IR checks while the design is built. The files then replace the output folder in one
// rename (writeFilesAtomically), so a failure leaves any earlier output byte for byte as it was.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { DesignDef } from '../designs/registry.ts';
import { type Manifest, type ParamValue, emitDesign } from '../emit/design.ts';
import { FlowOptionError } from '../emit/flows.ts';
import { checkOutDir, writeFilesAtomically } from '../emit/write.ts';
import { parseSetArgs, resolveParams } from '../params/schema.ts';
import { GENERATOR_NAME } from '../version.ts';
import { type CommandSpec, type ParsedArgs, optValue, optValues } from './args.ts';
import { type Io, defaultOutDir, displayPath, requireDesign } from './common.ts';
import { ConfigFileError } from './errors.ts';

export const generateSpec: CommandSpec = {
  name: 'generate',
  summary: 'Generate a design: one <module>.v per module, the filelist <top>.f, manifest.json.',
  positionals: [{ name: 'design', help: 'a design name from dcgen list (e.g. common.adder_tree)' }],
  options: [
    { name: 'set', value: 'name=value', repeat: true, help: 'set a parameter; overrides --config' },
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
  const params = resolveParams(design.name, design.params, req.overrides);
  design.check?.(params);
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

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The first line of an error's message (and the next one, when the first ends in ':'). */
function firstLine(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return '(no message)';
  return lines[0].endsWith(':') && lines.length > 1 ? `${lines[0]} ${lines[1]}` : lines[0];
}

/** Parameter values from a `.json` file (or a dcgen manifest.json) or a `.ts` module's default export. */
export async function loadConfig(file: string): Promise<Record<string, unknown>> {
  const abs = path.resolve(file);
  let isFile: boolean;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    throw new ConfigFileError(file, 'file not found');
  }
  if (!isFile) throw new ConfigFileError(file, 'expected a file, found a folder');
  const ext = path.extname(abs);
  let value: unknown;
  if (ext === '.json') {
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new ConfigFileError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? firstLine(e)})`);
    }
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ConfigFileError(file, `expected valid JSON: ${firstLine(e)}`);
    }
  } else if (ext === '.ts') {
    let mod: Record<string, unknown>;
    try {
      // tsImport, not import(): it loads the file as a module wherever it lies (a plain import()
      // of a .ts file outside a "type": "module" package fails as a require() cycle).
      mod = (await tsImport(pathToFileURL(abs).href, import.meta.url)) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigFileError(file, `cannot load the module: ${firstLine(e)}`);
    }
    value = mod.default;
    // Outside an ESM package tsx compiles the file to CommonJS: the export is one level down.
    if (typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true) {
      value = (value as { default?: unknown }).default;
    }
    if (value === undefined) {
      throw new ConfigFileError(file, 'expected a default export: export default { name: value, ... }');
    }
  } else {
    throw new ConfigFileError(file, `expected a .json file or a .ts module, found ${ext ? `a '${ext}' file` : 'no extension'}`);
  }
  // A manifest.json of an earlier generation: regenerate with exactly its parameters.
  if (typeof value === 'object' && value !== null && (value as { generator?: { name?: unknown } }).generator?.name === GENERATOR_NAME) {
    value = (value as { params?: unknown }).params;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigFileError(file, `expected an object of parameter values ({ "name": value, ... }), found ${kindOf(value)}`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') {
      throw new ConfigFileError(file, `parameter '${k}': expected a number, true/false or a string, found ${kindOf(v)}`);
    }
  }
  return { ...(value as Record<string, unknown>) };
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
  if (!/^\d+(\.\d+)?$/.test(raw) || !(v > 0) || v > 1e6) throw new FlowOptionError('clock-ns', raw, 'a clock period in nanoseconds, a number greater than 0 and at most 1000000');
  return v;
}

export async function runGenerate(args: ParsedArgs, io: Io): Promise<number> {
  const design = requireDesign(args.positionals[0]);
  const sets = parseSetArgs(optValues(args, 'set'));
  const configFile = optValue(args, 'config');
  const config = configFile === undefined ? {} : await loadConfig(configFile);
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
