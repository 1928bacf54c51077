// Running the synthesis tools: native processes through execa (argument arrays, no shell),
// or Yosys compiled to WebAssembly (@yowasp/yosys, run by wasm.ts). Either way the whole
// output goes to a log file, each line goes to `onLine`, and a failure becomes a
// ToolFailedError carrying the log's tail and path.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { ToolFailedError, ToolMissingError } from '../tools/errors.ts';
import { requireTool, toolEnv } from '../tools/which.ts';
import { YosysMissingError } from './errors.ts';
import { runWasm } from './wasm.ts';

export type SynthEngine = 'native' | 'wasm';

/** Time limit for one tool run (native: the process is killed; wasm: the worker is stopped). */
export const DEFAULT_TOOL_TIMEOUT_MS = 60 * 60 * 1000;

const TAIL_KEEP = 200;

/** Collects lines into a log file and a short tail; feeds each line to `onLine`. */
class LineSink {
  private readonly tail: string[] = [];
  private readonly stream: WriteStream;
  private pending = '';

  constructor(
    readonly logPath: string,
    header: string,
    private readonly onLine?: (line: string) => void,
    append = false,
  ) {
    this.stream = createWriteStream(logPath, { flags: append ? 'a' : 'w' });
    this.stream.write(`${header}\n`);
  }

  line(l: string): void {
    const text = l.replace(/\r$/, '');
    this.stream.write(`${text}\n`);
    this.tail.push(text);
    if (this.tail.length > TAIL_KEEP) this.tail.shift();
    this.onLine?.(text);
  }

  chunk(s: string): void {
    this.pending += s;
    let i: number;
    while ((i = this.pending.indexOf('\n')) >= 0) {
      this.line(this.pending.slice(0, i));
      this.pending = this.pending.slice(i + 1);
    }
  }

  async close(): Promise<string> {
    if (this.pending !== '') this.line(this.pending);
    this.pending = '';
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    return this.tail.join('\n');
  }
}

export interface NativeRunOptions {
  cwd: string;
  logPath: string;
  onLine?: (line: string) => void;
  timeoutMs?: number;
  /** Append to the log instead of replacing it. */
  append?: boolean;
  /** Extra comment lines written after the command line at the top of the log. */
  header?: string;
}

export interface NativeRunResult {
  exitCode: number;
  /** Last lines of the combined output. */
  tail: string;
}

/**
 * Run `exe args` in `cwd` with stdout+stderr streamed to `logPath`. Returns the exit code
 * (the caller decides what a non-zero code means); throws ToolFailedError on a timeout, a
 * signal or a failure to start.
 */
export async function runNative(tool: string, exe: string, args: string[], opts: NativeRunOptions): Promise<NativeRunResult> {
  await mkdir(path.dirname(opts.logPath), { recursive: true });
  const head = `# ${tool} ${args.join(' ')}${opts.header ? `\n${opts.header}` : ''}`;
  const sink = new LineSink(opts.logPath, head, opts.onLine, opts.append ?? false);
  const sub = execa(exe, args, {
    cwd: opts.cwd,
    reject: false,
    all: true,
    buffer: false,
    stdin: 'ignore',
    timeout: opts.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    env: toolEnv(),
  });
  sub.all?.setEncoding('utf8');
  sub.all?.on('data', (d: string) => sink.chunk(d));
  const r = await sub;
  const tail = await sink.close();
  if (r.timedOut || r.exitCode === undefined) {
    throw new ToolFailedError(tool, {
      timedOut: r.timedOut,
      signal: r.signal,
      output: tail || r.message,
      logPath: opts.logPath,
      reason: r.failed && !r.timedOut && !r.signal ? r.shortMessage : undefined,
    });
  }
  return { exitCode: r.exitCode, tail };
}

export interface YosysRunOptions {
  engine: SynthEngine;
  /** Work folder: the inputs are written here and the outputs read back from here. */
  workDir: string;
  /** File name → contents, written into workDir (names without folders). */
  inputs: Map<string, string>;
  /** The Yosys script (one command a line). */
  script: string;
  /** Files the script writes (relative to workDir) that the caller needs. */
  outputs: string[];
  logPath: string;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

export interface YosysRunResult {
  /** Output name → contents. */
  outputs: Map<string, string>;
  /** "Yosys 0.23 (git sha1 ...)" as printed in the log banner, or the package version (wasm). */
  version: string;
}

const SCRIPT_NAME = 'dcgen-run.ys';

/** The script, as comment lines at the top of the log. */
function scriptHeader(script: string): string {
  return [`# ${SCRIPT_NAME}:`, ...script.trimEnd().split('\n').map((l) => `#   ${l}`)].join('\n');
}

function yosysFailed(engine: SynthEngine, info: { exitCode?: number; output: string; logPath: string; reason?: string; timedOut?: boolean }): ToolFailedError {
  return new ToolFailedError(engine === 'wasm' ? 'yosys (wasm)' : 'yosys', info);
}

function bannerVersion(tail: string, log: string): string | undefined {
  const m = /Yosys \d+\.\d+[^\n]*?\((git sha1 [0-9a-f]+)?[^\n)]*\)/.exec(log) ?? /Yosys \d+\.\d+\S*/.exec(tail);
  return m?.[0];
}

export async function runYosysScript(o: YosysRunOptions): Promise<YosysRunResult> {
  for (const name of o.inputs.keys()) {
    if (name.includes('/') || name.startsWith('.')) throw new Error(`internal: yosys input name '${name}'`);
  }
  return o.engine === 'native' ? runNativeYosys(o) : runWasmYosys(o);
}

async function runNativeYosys(o: YosysRunOptions): Promise<YosysRunResult> {
  let exe: string;
  try {
    exe = await requireTool('yosys');
  } catch (e) {
    if (e instanceof ToolMissingError) throw new YosysMissingError();
    throw e;
  }
  await mkdir(o.workDir, { recursive: true });
  for (const [name, text] of o.inputs) await writeFile(path.join(o.workDir, name), text);
  await writeFile(path.join(o.workDir, SCRIPT_NAME), o.script);
  const { exitCode, tail } = await runNative('yosys', exe, ['-s', SCRIPT_NAME], {
    header: scriptHeader(o.script), cwd: o.workDir, logPath: o.logPath, onLine: o.onLine, timeoutMs: o.timeoutMs });
  if (exitCode !== 0) throw yosysFailed('native', { exitCode, output: tail, logPath: o.logPath });
  const outputs = new Map<string, string>();
  for (const name of o.outputs) {
    try {
      outputs.set(name, await readFile(path.join(o.workDir, name), 'utf8'));
    } catch {
      throw yosysFailed('native', { exitCode, output: tail, logPath: o.logPath, reason: `the script did not write ${name}` });
    }
  }
  const log = await readFile(o.logPath, 'utf8').catch(() => '');
  return { outputs, version: bannerVersion(tail, log.slice(0, 4000)) ?? 'yosys (version unknown)' };
}

async function runWasmYosys(o: YosysRunOptions): Promise<YosysRunResult> {
  const files: Record<string, string> = Object.fromEntries(o.inputs);
  files[SCRIPT_NAME] = o.script;
  const run = await runWasm({
    pkg: '@yowasp/yosys',
    tool: 'yosys (wasm)',
    args: ['-s', SCRIPT_NAME],
    files,
    outputs: o.outputs,
    logPath: o.logPath,
    header: `# yosys (wasm, @yowasp/yosys) -s ${SCRIPT_NAME}\n${scriptHeader(o.script)}`,
    onLine: o.onLine,
    timeoutMs: o.timeoutMs,
  });
  const tail = run.tail;
  if (run.error !== undefined) throw yosysFailed('wasm', { output: `${tail}\n${run.error}`, logPath: o.logPath, reason: 'the WebAssembly run crashed' });
  if (run.exitCode !== 0) throw yosysFailed('wasm', { exitCode: run.exitCode, output: tail, logPath: o.logPath });
  const outputs = new Map<string, string>();
  await mkdir(o.workDir, { recursive: true });
  for (const name of o.outputs) {
    const text = run.outputs[name];
    if (typeof text !== 'string') throw yosysFailed('wasm', { exitCode: 0, output: tail, logPath: o.logPath, reason: `the script did not write ${name}` });
    outputs.set(name, text);
    // The outputs go on disk too, as with the native engine (nextpnr reads the netlist there).
    await writeFile(path.join(o.workDir, name), text);
  }
  const log = await readFile(o.logPath, 'utf8').catch(() => '');
  return { outputs, version: bannerVersion(tail, log.slice(0, 4000)) ?? `Yosys (@yowasp/yosys ${run.version})` };
}
