// Run a built harness on a stimulus file and decode its response. A harness that crashes (killed
// by a signal), cannot be run, or leaves no readable response is a tool failure (ToolFailedError
// naming the binary, the signal and `dcgen cache clean`), never a design mismatch.
import { execa } from 'execa';
import { ToolFailedError } from '../../eda/tools/errors.ts';
import { type Response, ResponseFormatError, decodeResponseFile } from '../stimulus/format.ts';
import type { Layout } from '../stimulus/layout.ts';
import type { HarnessBuild } from './build.ts';
import { EXIT_CYCLE_LIMIT } from './harness.ts';

const RUN_TIMEOUT_MS = 30 * 60 * 1000;

export interface RunOptions {
  stimPath: string;
  respPath: string;
  /** Expected transactions per output stream (by name; missing streams: 0). */
  expect?: Record<string, number>;
  /** Stop (as a stall) after this many cycles after reset. Default 100000. */
  maxCycles?: number;
  /** Run at least this many cycles (e.g. to sample a combinational module). Default 0. */
  minCycles?: number;
  /** Cycles to keep running after completion, to catch extra outputs. Default 0. */
  drain?: number;
  /** Record the non-stream outputs every cycle. Default false. */
  sample?: boolean;
  /** Seed for Verilator's randomised initial values (+verilator+seed). Default 1. */
  seed?: number;
  /** Write an FST waveform here (needs a build with trace: true). */
  trace?: string;
  timeoutMs?: number;
}

export interface HarnessRun {
  response: Response;
  /** The harness's report when the cycle limit was reached (names the stalled interfaces). */
  stallReport?: string;
  args: string[];
  ms: number;
}

/** +verilator+seed must be a positive 31-bit number. */
export function verilatorSeed(seed: number): number {
  return ((seed >>> 0) % 0x7ffffffe) + 1;
}

export function harnessArgs(layout: Layout, opts: RunOptions): string[] {
  for (const k of Object.keys(opts.expect ?? {})) {
    if (!layout.outStreams.some((s) => s.name === k)) throw new Error(`expect: '${k}' is not an output stream of ${layout.top} (${layout.outStreams.map((s) => s.name).join(', ') || 'none'})`);
  }
  const args = [`--stim=${opts.stimPath}`, `--resp=${opts.respPath}`, `--max-cycles=${opts.maxCycles ?? 100_000}`, `--min-cycles=${opts.minCycles ?? 0}`, `--drain=${opts.drain ?? 0}`];
  if (layout.outStreams.length > 0) args.push(`--expect=${layout.outStreams.map((s) => opts.expect?.[s.name] ?? 0).join(',')}`);
  if (opts.sample) args.push('--sample');
  if (opts.trace) args.push(`--trace=${opts.trace}`);
  args.push('+verilator+rand+reset+2', `+verilator+seed+${verilatorSeed(opts.seed ?? 1)}`);
  return args;
}

/** Signals of a crashing program (not a kill from outside or a timeout). */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGABRT', 'SIGFPE', 'SIGSYS', 'SIGTRAP']);

const CLEAN_HINT = 'not a design mismatch: the simulator binary is broken (run `dcgen cache clean` to rebuild it) or crashed';

function lastLine(text: string): string | undefined {
  const l = text.trim().split(/\r?\n/).at(-1)?.trim();
  return l ? (l.length > 200 ? `${l.slice(0, 200)}...` : l) : undefined;
}

/** Run the harness. A cycle-limit stop is a normal result (`response.status`), not an error. */
export async function runHarness(build: HarnessBuild, opts: RunOptions): Promise<HarnessRun> {
  if (opts.trace && !build.trace) throw new Error('runHarness: trace requested from a build without trace (buildHarness(..., { trace: true }))');
  const args = harnessArgs(build.layout, opts);
  const t0 = performance.now();
  const r = await execa(build.exe, args, { reject: false, stdin: 'ignore', timeout: opts.timeoutMs ?? RUN_TIMEOUT_MS, env: { LC_ALL: 'C' } });
  const ms = performance.now() - t0;
  const stderr = String(r.stderr ?? '');
  const tool = `simulator ${build.exe}`;
  if (r.signal && !r.timedOut && CRASH_SIGNALS.has(r.signal)) {
    const last = lastLine(`${String(r.stdout ?? '')}\n${stderr}`);
    throw new ToolFailedError(tool, { signal: r.signal, reason: `${CLEAN_HINT}${last ? `; last output: ${last}` : ''}` });
  }
  if (r.exitCode === undefined && !r.signal && !r.timedOut) {
    // It never ran: missing, not executable, not a program (spawn ENOENT / EACCES / ENOEXEC).
    const code = (r as { code?: string }).code;
    throw new ToolFailedError(tool, { reason: `cannot execute it${code ? ` (${code})` : ''}; ${CLEAN_HINT}` });
  }
  if (r.exitCode !== 0 && r.exitCode !== EXIT_CYCLE_LIMIT) {
    throw new ToolFailedError(`harness ${build.exe}`, {
      exitCode: r.exitCode,
      signal: r.signal,
      timedOut: r.timedOut,
      output: `${String(r.stdout ?? '')}\n${stderr}`,
      reason: `args: ${args.join(' ')}`,
    });
  }
  // Decoded in chunks straight from the file (sim/stimulus/response.ts): a missing file is the
  // harness's failure, so is an unreadable one.
  let response: Response;
  try {
    response = decodeResponseFile(build.layout, opts.respPath);
  } catch (e) {
    if (e instanceof ResponseFormatError) {
      throw new ToolFailedError(tool, { exitCode: r.exitCode, reason: `wrote an unreadable response file ${opts.respPath} (${e.message}); ${CLEAN_HINT}` });
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    throw new ToolFailedError(tool, { exitCode: r.exitCode, reason: `wrote no response file ${opts.respPath} (${code}); ${CLEAN_HINT}` });
  }
  return { response, stallReport: r.exitCode === EXIT_CYCLE_LIMIT ? stderr.trim() : undefined, args, ms };
}
