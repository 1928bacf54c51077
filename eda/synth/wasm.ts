// Tools compiled to WebAssembly (YoWASP npm packages), for machines without the native ones:
// @yowasp/yosys (Yosys) and @yowasp/nextpnr-ice40 (nextpnr-ice40). Each runs in a worker thread
// on an in-memory file tree: the inputs go in, the requested outputs come back, each line of
// output goes to a log file and to `onLine`.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ToolFailedError } from '../tools/errors.ts';
import { WasmToolMissingError } from './errors.ts';

/** The packages, and the function of each that runs its tool. */
export const WASM_TOOLS = {
  '@yowasp/yosys': 'runYosys',
  '@yowasp/nextpnr-ice40': 'runNextpnrIce40',
} as const;
export type WasmPackage = keyof typeof WASM_TOOLS;

/** Time limit for one run when none is given (the worker is stopped). */
const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;
const TAIL_KEEP = 200;

// The worker is plain JavaScript (eval'd), so it needs no build step. A worker is kept
// (unreferenced, so it never holds the process open) and reused for the next run of the same
// package: the first run in a worker compiles the WebAssembly, later ones are several times faster.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const loading = import(workerData.url);
parentPort.on('message', async (job) => {
  let mod;
  try {
    mod = await loading;
  } catch (e) {
    parentPort.postMessage({ kind: 'done', id: job.id, loadError: String((e && e.stack) || e) });
    return;
  }
  const dec = new TextDecoder();
  let buf = '';
  const out = (bytes) => {
    if (bytes === null) return;
    buf += dec.decode(bytes, { stream: true });
    let i;
    while ((i = buf.indexOf('\\n')) >= 0) {
      parentPort.postMessage({ kind: 'line', id: job.id, line: buf.slice(0, i) });
      buf = buf.slice(i + 1);
    }
  };
  const flush = () => { if (buf !== '') parentPort.postMessage({ kind: 'line', id: job.id, line: buf }); buf = ''; };
  try {
    const tree = await mod[workerData.command](job.args, job.files, { stdout: out, stderr: out, decodeASCII: true });
    flush();
    const outputs = {};
    for (const n of job.outputs) outputs[n] = typeof tree[n] === 'string' ? tree[n] : null;
    parentPort.postMessage({ kind: 'done', id: job.id, version: mod.version, exitCode: 0, outputs });
  } catch (e) {
    flush();
    const code = e && typeof e.code === 'number' ? e.code : undefined;
    parentPort.postMessage({ kind: 'done', id: job.id, version: mod.version, exitCode: code, error: code === undefined ? String((e && e.stack) || e) : undefined });
  }
});
`;

interface WorkerDone {
  kind: 'done';
  id: number;
  loadError?: string;
  version?: string;
  exitCode?: number;
  error?: string;
  outputs?: Record<string, string | null>;
}
type WorkerMessage = { kind: 'line'; id: number; line: string } | WorkerDone;

const urls = new Map<WasmPackage, string>();
function packageUrl(pkg: WasmPackage): string {
  let url = urls.get(pkg);
  if (!url) {
    try {
      url = pathToFileURL(createRequire(import.meta.url).resolve(pkg)).href;
    } catch {
      throw new WasmToolMissingError(pkg);
    }
    urls.set(pkg, url);
  }
  return url;
}

/** Idle workers per package, ready for the next run. */
const idleWorkers = new Map<WasmPackage, Worker[]>();
let nextJobId = 1;

function acquireWorker(pkg: WasmPackage): Worker {
  const w = idleWorkers.get(pkg)?.pop() ?? new Worker(WORKER_CODE, { eval: true, workerData: { url: packageUrl(pkg), command: WASM_TOOLS[pkg] } });
  w.ref();
  return w;
}

function releaseWorker(pkg: WasmPackage, w: Worker): void {
  w.removeAllListeners('message');
  w.removeAllListeners('error');
  w.removeAllListeners('exit');
  w.on('error', () => undefined);
  const idle = idleWorkers.get(pkg) ?? [];
  idleWorkers.set(pkg, idle);
  w.once('exit', () => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  });
  w.unref();
  idle.push(w);
}

export interface WasmRunOptions {
  pkg: WasmPackage;
  /** The tool's name in errors ("yosys (wasm)"). */
  tool: string;
  args: string[];
  /** File name → contents: the tool's whole file system (names without folders). */
  files: Record<string, string>;
  /** Files the run writes that the caller needs. */
  outputs: string[];
  logPath: string;
  /** Comment lines at the top of the log (the command line first). */
  header: string;
  /** Append to the log instead of replacing it. */
  append?: boolean;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

export interface WasmRunResult {
  /** The tool's exit code (0 when it returned normally). */
  exitCode: number;
  /** Last lines of the output. */
  tail: string;
  /** Output name → contents, or null when the run did not write it. */
  outputs: Record<string, string | null>;
  /** The package's version. */
  version: string;
  /** Set when the tool threw something else than an exit (then exitCode is -1). */
  error?: string;
}

/**
 * Run the package's tool on `files`. Returns the exit code (the caller decides what a non-zero
 * code means); throws ToolFailedError on a timeout or a crashed worker, WasmToolMissingError
 * when the package is not installed, and Error when it cannot be loaded.
 */
export async function runWasm(o: WasmRunOptions): Promise<WasmRunResult> {
  await mkdir(path.dirname(o.logPath), { recursive: true });
  const stream: WriteStream = createWriteStream(o.logPath, { flags: o.append ? 'a' : 'w' });
  stream.write(`${o.header}\n`);
  const tail: string[] = [];
  const line = (l: string) => {
    const text = l.replace(/\r$/, '');
    stream.write(`${text}\n`);
    tail.push(text);
    if (tail.length > TAIL_KEEP) tail.shift();
    o.onLine?.(text);
  };
  const close = async () => {
    await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    return tail.join('\n');
  };
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const id = nextJobId++;
  let worker: Worker;
  try {
    worker = acquireWorker(o.pkg);
  } catch (e) {
    await close();
    throw e;
  }
  let timedOut = false;
  let healthy = false;
  type Outcome = WorkerDone | { kind: 'crash'; error: string };
  const done = await new Promise<Outcome>((resolve) => {
    let settled = false;
    const finish = (v: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      void worker.terminate();
      finish({ kind: 'crash', error: 'timed out' });
    }, timeoutMs);
    worker.on('message', (m: WorkerMessage) => {
      if (m.id !== id) return;
      if (m.kind === 'line') line(m.line);
      else {
        healthy = true;
        finish(m);
      }
    });
    worker.on('error', (e) => finish({ kind: 'crash', error: String(e.stack ?? e) }));
    worker.on('exit', (code) => finish({ kind: 'crash', error: `worker exited with code ${code} before finishing` }));
    worker.postMessage({ id, args: o.args, files: o.files, outputs: o.outputs });
  });
  // A worker that answered is reused; one that crashed or timed out is stopped.
  if (healthy && done.kind === 'done' && !done.loadError) releaseWorker(o.pkg, worker);
  else await worker.terminate();
  const text = await close();
  if (done.kind === 'crash') {
    throw new ToolFailedError(o.tool, { output: `${text}\n${done.error}`, logPath: o.logPath, timedOut, reason: timedOut ? undefined : 'the WebAssembly run crashed' });
  }
  if (done.loadError) throw new Error(`cannot load ${o.pkg} (--engine wasm): ${done.loadError}`);
  return {
    exitCode: done.exitCode ?? -1,
    tail: text,
    outputs: done.outputs ?? {},
    version: done.version ?? '?',
    ...(done.error !== undefined ? { error: done.error } : {}),
  };
}

/** The installed package's version (its package.json); throws WasmToolMissingError when it is not installed. */
export async function wasmPackageVersion(pkg: WasmPackage): Promise<string> {
  // The packages export only their bundle (gen/bundle.js): package.json is two folders up.
  const bundle = new URL(packageUrl(pkg));
  const json = JSON.parse(await readFile(new URL('../package.json', new URL('.', bundle)), 'utf8')) as { version?: string };
  return json.version ?? '?';
}
