// `dcgen eval ditto|cmc`: the algorithm-level evaluations of sim/eval (docs/eval.md) — Ditto's
// temporal-difference statistics and compute-unit cycles, CMC's informative-token fractions,
// SAD-engine and condensed-GEMM cycles — printed as tables and written as JSON (atomically).
import path from 'node:path';
import { CMC_RTL_FRAMES, type CmcEvalResult, checkCmcOptions, cmcDefaults, cmcRtlTable, cmcTables, runCmcEval, runCmcRtl } from '../sim/eval/cmc/index.ts';
import { checkClips, writeJsonAtomic } from '../sim/eval/common.ts';
import { type DittoEvalResult, checkDittoOptions, dittoDefaults, dittoRtlTable, dittoTables, runDittoEval, runDittoRtl } from '../sim/eval/ditto/index.ts';
import { type CommandSpec, type ParsedArgs, intOption, optValue } from './args.ts';
import { type Io, displayPath } from './common.ts';
import { resolveOutputFile } from '../generator/io/output.ts';
import { UsageError } from './errors.ts';

export const EVAL_TARGETS = ['ditto', 'cmc'] as const;

export const evalSpec: CommandSpec = {
  name: 'eval',
  summary: 'Algorithm-level evaluation on real clips and synthetic data: Ditto difference statistics and cycles, CMC informative tokens and cycles.',
  positionals: [{ name: 'which', help: 'ditto or cmc' }],
  options: [
    { name: 'json', value: 'file', help: 'write the results here (default rtl-out/eval/<which>.json); written atomically' },
    { name: 'frames', value: 'n', help: 'frames (Ditto: steps) of each clip to use, default 32 (--quick: ditto 6, cmc 8); ditto 3..32, cmc 2..32' },
    { name: 'quick', help: 'a small run for tests and smoke checks (fewer frames, fewer tokens in the golden check)' },
    { name: 'seed', value: 'n', help: 'ditto: seed of the weights and of the synthetic trajectory (default 1; 0 to 2147483647)' },
    { name: 'lanes', value: 'n', help: 'ditto: encoder lanes per beat L of the cycle model (default 4; 1 to 64)' },
    { name: 'rtl', help: 'also run real clips through the engine RTL in Verilator (bit- and cycle-exact checks): ditto: the --frames steps of each clip, both layers, through ditto_top (cycles next to the dense engine and the packing bound); cmc: the --frames frames of each clip as consecutive 4-frame segments through cmc_top (cycles per phase and against GEMM + recovery)' },
    { name: 'video-dir', value: 'dir', help: 'folder of vtest-224-444.y4m and tree-224-444.y4m: 224x224, C444, progressive, at least --frames frames (default $DCGEN_VIDEO_DIR, else the data/video folder of the dcgen package)' },
  ],
  notes: [
    'Definitions, the exact data and the reference figures are in docs/eval.md. The JSON holds no\n' +
      'timestamps or run times: the same options give the same file.',
    'Exit status 0 when the built-in checks pass (Ditto: the difference path equals the dense integer\n' +
      'result; CMC: the fast search equals the golden prediction model, and with --rtl the RTL segments are\n' +
      'bit- and cycle-exact), 1 when one fails, 2 for bad options (numbers in plain decimal: digits only)\n' +
      'or a missing or unusable clip (checked before any work: size, colour space, interlacing, length).',
  ],
};

export async function runEvalCommand(args: ParsedArgs, io: Io): Promise<number> {
  const which = args.positionals[0];
  if (!(EVAL_TARGETS as readonly string[]).includes(which)) throw new UsageError(`unknown evaluation '${which}'; expected ${EVAL_TARGETS.join(' or ')} (dcgen eval --help shows the usage)`);
  const quick = args.flags.has('quick');
  const frames = intOption(args, 'frames', { min: 1, max: 32 });
  const seed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 });
  const lanes = intOption(args, 'lanes', { min: 1, max: 64 });
  const dir = optValue(args, 'video-dir');
  const jsonFile = optValue(args, 'json') ?? path.join('rtl-out', 'eval', `${which}.json`);
  resolveOutputFile('--json', jsonFile);
  if (which === 'cmc') {
    for (const o of ['seed', 'lanes']) if (optValue(args, o) !== undefined) throw new UsageError(`--${o} applies to 'dcgen eval ditto' only`);
  }
  const t0 = Date.now();
  let lines: string[];
  let result: DittoEvalResult | CmcEvalResult;
  let ok: boolean;
  if (which === 'ditto') {
    const o = dittoDefaults(quick);
    if (frames !== undefined) o.frames = frames;
    if (seed !== undefined) o.seed = seed;
    if (lanes !== undefined) o.lanes = lanes;
    if (dir !== undefined) o.videoDir = dir;
    checkDittoOptions(o);
    checkClips(o.videoDir, o.frames); // every clip's header and length before any work
    const r = runDittoEval(o);
    result = r;
    lines = dittoTables(r);
    ok = r.datasets.every((d) => d.check.exact && d.check.modelsAgree);
    if (args.flags.has('rtl')) {
      r.rtl = await runDittoRtl(o);
      lines.push('', ...dittoRtlTable(r.rtl));
      ok &&= r.rtl.clips.every((c) => c.bitExact && c.cycleModelExact);
    }
  } else {
    const o = cmcDefaults(quick);
    if (frames !== undefined) o.frames = frames;
    if (dir !== undefined) o.videoDir = dir;
    checkCmcOptions(o);
    checkClips(o.videoDir, Math.max(o.frames, args.flags.has('rtl') ? CMC_RTL_FRAMES : 0));
    const r: CmcEvalResult = runCmcEval(o);
    result = r;
    lines = cmcTables(r);
    ok = r.clips.every((c) => !c.check.ran || c.check.agree);
    if (args.flags.has('rtl')) {
      r.rtl = await runCmcRtl({ videoDir: o.videoDir, tau: 4, frames: o.frames });
      lines.push('', ...cmcRtlTable(r.rtl));
      ok &&= r.rtl.clips.every((c) => c.bitExact && c.cycleModelExact);
    }
  }
  writeJsonAtomic(jsonFile, result);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  io.out([...lines, '', `JSON: ${displayPath(jsonFile)}`, `dcgen eval ${which}${quick ? ' --quick' : ''}: ${ok ? 'checks passed' : 'A CHECK FAILED'} in ${secs} s`].join('\n'));
  return ok ? 0 : 1;
}
