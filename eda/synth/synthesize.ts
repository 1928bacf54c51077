// synthesize(dir): run a generated design through Yosys (generic gates), through the iCE40
// flow (Yosys synth_ice40 + nextpnr-ice40 place and route) or through the ASIC flow (Yosys on a
// Liberty library + OpenSTA), and write report.json / report.md beside it. See report.ts for
// the report's schema, ice40.ts for the wrapper, asic.ts for the ASIC flow.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DcgenError } from '../../generator/errors.ts';
import { readDesign } from './design.ts';
import { synthGeneric } from './generic.ts';
import { DEFAULT_ICE40_FREQ_MHZ, synthIce40 } from './ice40.ts';
import { DEFAULT_ASIC_CLOCK_NS, MEMORY_MAPPINGS, type MemoryMapping, synthAsic } from './asic.ts';
import { REPORT_JSON, REPORT_MD, SYNTH_REPORT_SCHEMA, SYNTH_REPORT_VERSION, writeReport, type AsicSynth, type GenericSynth, type Ice40Synth, type SynthReport, type SynthTarget } from './report.ts';
import type { SynthEngine } from './run.ts';

export interface SynthesizeOptions {
  target: SynthTarget;
  /** Which Yosys runs: the native binary, or @yowasp/yosys (WebAssembly) for machines without it. */
  engine: SynthEngine;
  /** iCE40 only: map multipliers to SB_MAC16 DSPs (`synth_ice40 -dsp`). */
  dsp?: boolean;
  /** iCE40 only: nextpnr --freq target in MHz (default 12). */
  freqMhz?: number;
  /** asic only: the Liberty file (any path; default OSU018 from the Debian package qflow-tech-osu018). */
  liberty?: string;
  /** asic only: the clock period in ns that STA checks and abc aims at (default 10). */
  clockNs?: number;
  /** asic only: also place and route with qflow and time the routed netlist (place.ts). */
  place?: boolean;
  /** asic only: memory modules as black-boxed macros (default) or mapped to flip-flops (asic.ts). */
  memories?: MemoryMapping;
  /** Per-tool-run time limit (default one hour). */
  timeoutMs?: number;
  /** Each step and tool headline, one line at a time ("yosys: 4.1. Executing ABC pass"). */
  onProgress?: (line: string) => void;
}

export class SynthOptionError extends DcgenError {}

export const SYNTH_TARGETS: readonly SynthTarget[] = ['generic', 'ice40', 'asic'];
/** The targets a sweep runs (all of them). */
export const SWEEP_TARGETS: readonly SynthTarget[] = ['generic', 'ice40', 'asic'];
/** --clock-ns bounds: whole picoseconds for abc -D, and a sane upper end. */
export const MIN_CLOCK_NS = 0.001;
export const MAX_CLOCK_NS = 1e6;
export const SYNTH_ENGINES: readonly SynthEngine[] = ['native', 'wasm'];

/**
 * Synthesise the design in `dir` and write report.json + report.md there (atomically; on a
 * tool failure no report is written and the previous one, if any, stays). Logs
 * (`synth-<target>.log`, `nextpnr.log`, `sta.log`) are kept in `dir` either way.
 * Throws ToolMissingError (YosysMissingError for native Yosys) or ToolFailedError; the asic
 * target also LibertyError for an unusable --liberty file (asic.ts) and, with `place`, PlaceError
 * for a library qflow has no layouts for (place.ts).
 */
export async function synthesize(dir: string, opts: SynthesizeOptions): Promise<SynthReport> {
  if (!SYNTH_TARGETS.includes(opts.target)) throw new SynthOptionError(`--target ${JSON.stringify(opts.target)}: expected one of ${SYNTH_TARGETS.join(', ')}`);
  if (!SYNTH_ENGINES.includes(opts.engine)) throw new SynthOptionError(`--engine ${JSON.stringify(opts.engine)}: expected one of ${SYNTH_ENGINES.join(', ')}`);
  const freqMhz = opts.freqMhz ?? DEFAULT_ICE40_FREQ_MHZ;
  if (!Number.isFinite(freqMhz) || freqMhz <= 0) throw new SynthOptionError(`--freq ${JSON.stringify(opts.freqMhz)}: expected a frequency in MHz greater than 0`);
  const clockNs = opts.clockNs ?? DEFAULT_ASIC_CLOCK_NS;
  if (typeof clockNs !== 'number' || !Number.isFinite(clockNs) || clockNs < MIN_CLOCK_NS || clockNs > MAX_CLOCK_NS) {
    throw new SynthOptionError(`--clock-ns ${JSON.stringify(opts.clockNs)}: expected a clock period in nanoseconds from ${MIN_CLOCK_NS} to ${MAX_CLOCK_NS}`);
  }
  if (opts.target !== 'asic' && (opts.liberty !== undefined || opts.clockNs !== undefined || opts.place || opts.memories !== undefined)) {
    throw new SynthOptionError(`--${opts.liberty !== undefined ? 'liberty' : opts.clockNs !== undefined ? 'clock-ns' : opts.place ? 'place' : 'memories'} is for --target asic only`);
  }
  if (opts.memories !== undefined && !MEMORY_MAPPINGS.includes(opts.memories)) {
    throw new SynthOptionError(`--memories ${JSON.stringify(opts.memories)}: expected one of ${MEMORY_MAPPINGS.join(', ')}`);
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const d = await readDesign(dir);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'dcgen-synth-'));
  const messages: string[] = [];
  const files: string[] = [];
  let generic: GenericSynth | null = null;
  let ice40: Ice40Synth | null = null;
  let asic: AsicSynth | null = null;
  let yosys = '';
  let nextpnr: string | null = null;
  let sta: string | null = null;
  try {
    const runGeneric = async () => {
      opts.onProgress?.(`yosys: synth -flatten -top ${d.manifest.top} (${opts.engine})`);
      const g = await synthGeneric(d, { engine: opts.engine, workDir, logPath: path.join(d.dir, 'synth-generic.log'), onProgress: opts.onProgress, timeoutMs: opts.timeoutMs });
      files.push('synth-generic.log');
      yosys = g.version;
      return g.result;
    };
    if (opts.target === 'generic') {
      generic = await runGeneric();
    } else if (opts.target === 'asic') {
      const r = await synthAsic(d, { engine: opts.engine, liberty: opts.liberty, clockNs, workDir, onProgress: opts.onProgress, timeoutMs: opts.timeoutMs, place: opts.place ?? false, ...(opts.memories ? { memories: opts.memories } : {}) });
      asic = r.result;
      yosys = r.yosysVersion;
      sta = r.staVersion;
      files.push(...r.files);
      messages.push(...r.messages);
    } else {
      const r = await synthIce40(d, { engine: opts.engine, dsp: opts.dsp ?? false, freqMhz, workDir, onProgress: opts.onProgress, timeoutMs: opts.timeoutMs });
      ice40 = r.result;
      yosys = r.yosysVersion;
      nextpnr = r.nextpnrVersion;
      files.push(...r.files);
      if (!r.result.fits) {
        messages.push(`${r.result.message}. The generic (technology-independent) figures are given instead.`);
        opts.onProgress?.(`ice40: ${r.result.message}`);
        generic = await runGeneric();
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  if (opts.engine === 'wasm') yosys = `${yosys} [WebAssembly, @yowasp/yosys]`;
  const report: SynthReport = {
    schema: SYNTH_REPORT_SCHEMA,
    version: SYNTH_REPORT_VERSION,
    design: d.manifest.design,
    top: d.manifest.top,
    configHash: d.manifest.configHash,
    params: d.manifest.params,
    target: opts.target,
    engine: opts.engine,
    tools: { yosys, nextpnr, sta },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    generic,
    ice40,
    asic,
    messages,
    files: [REPORT_JSON, REPORT_MD, ...files],
  };
  await writeReport(d.dir, report);
  opts.onProgress?.(`report: ${path.join(d.dir, REPORT_JSON)}`);
  return report;
}
