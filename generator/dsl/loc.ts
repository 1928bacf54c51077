// Where in the user's DSL code a construct was written, for error messages and the optional
// `// dsl: file:line` comments. The first stack frame outside the DSL's own files is the user's.
//
// Every DSL call asks for its location, so this is hot: a 64 x 64 array makes ~10^5 calls. A
// formatted `new Error().stack` source-maps every frame of the trace (tsx, vitest), which made
// it most of the build time. Instead the trace is captured as V8 call sites (cheap) and each
// distinct frame position is formatted once, by the same `Error.prepareStackTrace` the
// formatted stack would have used (so the same source maps apply), then remembered.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { SrcLoc } from '../ir/types.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dslDir = path.dirname(fileURLToPath(import.meta.url));

const framePattern = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):\d+\)?$/;

/** A user location, or `null` for a frame to skip (the DSL's own files, node internals, packages). */
type FrameLoc = SrcLoc | null;

/** One formatted frame line (`at f (file:line:col)`) → its location, or null to skip it. */
function frameLoc(frame: string): FrameLoc {
  const m = framePattern.exec(frame.trim());
  if (!m) return null;
  let file = m[1];
  if (file.startsWith('file://')) file = fileURLToPath(file);
  if (!path.isAbsolute(file) || file.startsWith(dslDir + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) return null;
  const rel = path.relative(repoRoot, file);
  return { file: rel.startsWith('..') ? file : rel.split(path.sep).join('/'), line: Number(m[2]) };
}

/** Raw frame position (`file:line:col` before source maps) → its location. */
const frameCache = new Map<string, FrameLoc>();

type PrepareStackTrace = (err: Error, sites: NodeJS.CallSite[]) => unknown;

/** The frame as the installed formatter prints it in a stack (V8's own format when none is). */
function formatFrame(format: PrepareStackTrace | undefined, site: NodeJS.CallSite): string {
  if (!format) return `    at ${String(site)}`;
  const text = format(new Error(), [site]);
  const lines = String(text).split('\n');
  return lines[lines.length - 1];
}

/** The call sites of the current stack (this function's caller's frame first), at most `limit`. */
function captureSites(limit: number): NodeJS.CallSite[] {
  const format = Error.prepareStackTrace;
  const prevLimit = Error.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  let stack: unknown;
  try {
    Error.prepareStackTrace = (_err, s) => s;
    Error.stackTraceLimit = limit;
    Error.captureStackTrace(holder);
    // read here: V8 formats the trace on first access, with the formatter installed then
    stack = holder.stack;
  } finally {
    // (Object.assign: the declared type has no `undefined`, but restoring "none" must be possible)
    Object.assign(Error, { prepareStackTrace: format });
    Error.stackTraceLimit = prevLimit;
  }
  // [0] is captureSites itself: drop it, so the trace starts where `new Error()` in callerLoc would
  return Array.isArray(stack) ? (stack as NodeJS.CallSite[]).slice(1) : [];
}

/** Frames looked at first: the user's frame is nearly always within the first few DSL frames. */
const SHORT_TRACE = 6;

function firstUserLoc(sites: NodeJS.CallSite[], format: PrepareStackTrace | undefined): SrcLoc | undefined {
  for (const site of sites) {
    const file = site.getFileName();
    const key = file === undefined || file === null ? undefined : `${file}:${site.getLineNumber()}:${site.getColumnNumber()}`;
    let loc = key === undefined ? undefined : frameCache.get(key);
    if (loc === undefined) {
      loc = frameLoc(formatFrame(format, site));
      if (key !== undefined) frameCache.set(key, loc);
    }
    if (loc) return { file: loc.file, line: loc.line };
  }
  return undefined;
}

export function callerLoc(): SrcLoc {
  const format = Error.prepareStackTrace as PrepareStackTrace | undefined;
  // The frames `new Error().stack` would show here: Error.stackTraceLimit of them, starting
  // with callerLoc's own. A short capture first; only when the user's frame is not in it, the
  // whole trace (so the answer is the same as looking at the whole trace at once).
  const full = Error.stackTraceLimit;
  const short = Math.min(SHORT_TRACE, full);
  return firstUserLoc(captureSites(short + 1), format) ?? (short < full ? firstUserLoc(captureSites(full + 1), format) : undefined) ?? { file: '<unknown>', line: 0 };
}
