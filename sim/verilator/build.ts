// Build (or find in the cache) the Verilator harness executable of a design.
//
//   verilator --cc --exe --build -O2 -j 2 --x-assign unique --x-initial unique
//             --top-module <top> --prefix Vdut -Mdir obj -o Vsim harness.cpp src/<files>
//             [--trace-fst]
//
// run in a fresh temp folder inside the cache folder (sources copied in, relative paths, so
// ccache — used through OBJCACHE when installed — sees identical compiler inputs across
// builds). GNU Make cannot build in a folder whose path holds spaces or shell/make
// metacharacters (and Verilator expands `$` in paths), so when the cache folder's path has any,
// the build runs in a temp folder under $TMPDIR and its results are copied into the cache.
// The cache key hashes the Verilog sources, the harness (template text + view model, which
// determine its source), the flags and `verilator --version` (memoised on disk by the tool's
// file stamps); a hit costs reading the design, one hash, reading entry.json and checking
// Vsim's size and sha256 (hashed once per process), with no process spawned.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ToolFailedError, ToolMissingError } from '../../eda/tools/errors.ts';
import { requireTool } from '../../eda/tools/which.ts';
import { type SimDesign, loadDesign } from '../cosim/design.ts';
import type { Layout } from '../stimulus/layout.ts';
import { type EnsureOptions, cacheDir, ensureEntry, ensureRootMarker, exeIntact, fileDigest } from './cache.ts';
import { HARNESS_TEMPLATE, harnessView, renderHarness } from './harness.ts';
import { templatePath } from '../../generator/emit/templates.ts';

/** Bump when the entry layout or the harness protocol changes (2: entry.json records Vsim's size and sha256). */
export const CACHE_FORMAT = 2;

/** The fixed Verilator flags (before --top-module / sources). */
export const VERILATOR_FLAGS: readonly string[] = ['--cc', '--exe', '--build', '-O2', '-j', '2', '--x-assign', 'unique', '--x-initial', 'unique'];
export const TRACE_FLAGS: readonly string[] = ['--trace-fst'];

const BUILD_TIMEOUT_MS = 20 * 60 * 1000;
const EXE = 'Vsim';

export interface BuildOptions {
  /** Build with --trace-fst (for waveform reruns). Default false. */
  trace?: boolean;
  /** Cache folder; default cacheDir() ($DCGEN_CACHE_DIR or <repo>/.cache/verilator). */
  cacheDir?: string;
  /** Use ccache when installed (default true). */
  ccache?: boolean;
  /** Waiting for another process's build of the same entry: poll/progress intervals, limit, progress callback. */
  wait?: Pick<EnsureOptions, 'pollMs' | 'progressMs' | 'waitLimitMs' | 'onWait'>;
}

export interface HarnessBuild {
  /** Absolute path of the harness executable. */
  exe: string;
  /** True when no Verilator run was needed (cache hit, or built by a concurrent process). */
  cached: boolean;
  /** Full content hash (hex). */
  key: string;
  /** The cache entry folder. */
  entry: string;
  /** True when a corrupt entry (Vsim truncated or replaced, entry.json missing or unreadable) was rebuilt. */
  replaced: boolean;
  trace: boolean;
  /** Wall time of this call in ms (hashing + stat on a hit, the whole build otherwise). */
  ms: number;
  design: SimDesign;
  layout: Layout;
}

const versionMemo = new Map<string, Promise<string>>();
const VERSION_FILE = '.verilator-version.json';

/** Identity of the installed Verilator: path, size and mtime of `verilator` and `verilator_bin` beside it. */
function toolStamp(exe: string): string {
  const parts: string[] = [];
  for (const p of [exe, path.join(path.dirname(realpathSync(exe)), 'verilator_bin')]) {
    try {
      const st = statSync(p);
      parts.push(`${realpathSync(p)}:${st.size}:${st.mtimeMs}`);
    } catch {
      parts.push(`${p}:-`);
    }
  }
  return parts.join('|');
}

/**
 * `verilator --version`, memoised per process and, keyed by the tool's file stamps, in
 * `<cache>/.verilator-version.json` (so a cache hit in a fresh process spawns nothing).
 */
export function verilatorVersion(exe: string, root?: string): Promise<string> {
  const stamp = toolStamp(exe);
  let v = versionMemo.get(stamp);
  if (v) return v;
  const file = root ? path.join(root, VERSION_FILE) : undefined;
  if (file) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { stamp?: string; version?: string };
      if (saved.stamp === stamp && typeof saved.version === 'string') {
        v = Promise.resolve(saved.version);
        versionMemo.set(stamp, v);
        return v;
      }
    } catch {
      // absent or unreadable: ask the tool
    }
  }
  v = execa(exe, ['--version'], { reject: false, all: true, timeout: 60_000, stdin: 'ignore' }).then((r) => {
    const text = String(r.all ?? '').trim();
    if (r.exitCode !== 0 || text === '') {
      versionMemo.delete(stamp);
      throw new ToolFailedError('verilator', { exitCode: r.exitCode, output: text, reason: '--version failed' });
    }
    if (file) {
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify({ stamp, version: text }) + '\n');
        renameSync(tmp, file);
      } catch {
        // the memo file is an optimisation only
      }
    }
    return text;
  });
  versionMemo.set(stamp, v);
  return v;
}

async function findCcache(): Promise<string | undefined> {
  try {
    return await requireTool('ccache');
  } catch (e) {
    if (e instanceof ToolMissingError) return undefined;
    throw e;
  }
}

let templateMemo: string | undefined;
function templateText(): string {
  templateMemo ??= readFileSync(templatePath(HARNESS_TEMPLATE), 'utf8');
  return templateMemo;
}

/** What a build writes into entry.json (besides the informative fields). */
interface EntryMeta {
  format: number;
  key: string;
  exe: { size: number; sha256: string };
}

/** Whether `dir` is a complete entry for `key` whose Vsim still has the recorded size and sha256. */
function entryReady(dir: string, key: string): boolean {
  let meta: Partial<EntryMeta>;
  try {
    meta = JSON.parse(readFileSync(path.join(dir, 'entry.json'), 'utf8')) as Partial<EntryMeta>;
  } catch {
    return false;
  }
  if (typeof meta !== 'object' || meta === null || meta.format !== CACHE_FORMAT || meta.key !== key) return false;
  const exe = meta.exe;
  if (typeof exe !== 'object' || exe === null || typeof exe.size !== 'number' || typeof exe.sha256 !== 'string') return false;
  return exeIntact(path.join(dir, EXE), exe);
}

/** Characters GNU Make and Verilator handle in a build folder's path. */
const MAKE_SAFE = /^[A-Za-z0-9_./+-]+$/;

/** Where to run Verilator for a cache temp folder `tmp`: itself, or a fresh folder under $TMPDIR when its path is unsafe. */
async function buildFolder(tmp: string): Promise<string> {
  if (MAKE_SAFE.test(tmp)) return tmp;
  for (const base of [os.tmpdir(), '/tmp', '/var/tmp']) {
    if (!MAKE_SAFE.test(base) || !existsSync(base)) continue;
    try {
      return await mkdtemp(path.join(base, 'dcgen-vbuild-'));
    } catch {
      // not writable: try the next
    }
  }
  throw new ToolFailedError('verilator', {
    reason: `GNU Make cannot build in '${tmp}' (spaces or special characters in the path), and no temp folder with a plain path is writable: set TMPDIR to one (letters, digits, _ . / + - only)`,
  });
}

/** Hash of everything that decides the executable (`harness`: its source, or template + view model). */
export function buildKey(parts: { top: string; flags: readonly string[]; version: string; harness: string; sources: { name: string; text: string }[] }): string {
  const h = createHash('sha256');
  const put = (s: string) => {
    h.update(String(Buffer.byteLength(s)));
    h.update(':');
    h.update(s);
  };
  put(`dcgen-verilator-cache-${CACHE_FORMAT}`);
  put(parts.top);
  put(parts.flags.join('\0'));
  put(parts.version);
  put(parts.harness);
  for (const s of parts.sources) {
    put(s.name);
    put(s.text);
  }
  return h.digest('hex');
}

/**
 * The harness executable for the design in `dirOrDesign` (a design folder or a loaded
 * design), from the cache or freshly built. Throws ToolMissingError without Verilator and
 * ToolFailedError (with the last lines of the log) when the build fails.
 */
export async function buildHarness(dirOrDesign: string | SimDesign, opts: BuildOptions = {}): Promise<HarnessBuild> {
  const t0 = performance.now();
  const design = typeof dirOrDesign === 'string' ? await loadDesign(dirOrDesign) : dirOrDesign;
  const exe = await requireTool('verilator');
  const root = path.resolve(opts.cacheDir ?? cacheDir());
  ensureRootMarker(root, 'builds');
  const version = await verilatorVersion(exe, root);
  const trace = opts.trace ?? false;
  const top = design.top.name;
  const flags = [...VERILATOR_FLAGS, ...(trace ? TRACE_FLAGS : []), '--top-module', top, '--prefix', 'Vdut', '-Mdir', 'obj', '-o', EXE];
  // The harness is a pure function of template and view model: hash those, and render only
  // when building (compiling the template is the slowest part of a cache hit otherwise).
  const harnessSpec = `${templateText()}\0${JSON.stringify(harnessView(design.layout))}`;
  const key = buildKey({ top, flags, version, harness: harnessSpec, sources: design.sources });
  const name = `${top}-${key.slice(0, 20)}${trace ? '-fst' : ''}`;
  const build = async (tmp: string) => {
    const tb = performance.now();
    const dir = await buildFolder(tmp);
    try {
      await writeFile(path.join(dir, 'harness.cpp'), renderHarness(design.layout));
      await mkdir(path.join(dir, 'src'));
      for (const s of design.sources) await copyFile(s.path, path.join(dir, 'src', s.name));
      const env: Record<string, string> = { LC_ALL: 'C' };
      const ccache = (opts.ccache ?? true) ? await findCcache() : undefined;
      if (ccache) {
        env.OBJCACHE = ccache;
        env.CCACHE_BASEDIR = dir;
        env.CCACHE_NOHASHDIR = '1';
      } else env.OBJCACHE = '';
      // Relative paths only, run in the build folder: nothing of the cache folder's path reaches Verilator or make.
      const args = [...flags, 'harness.cpp', ...design.sources.map((s) => `src/${s.name}`)];
      const r = await execa(exe, args, { cwd: dir, env, reject: false, all: true, stdin: 'ignore', timeout: BUILD_TIMEOUT_MS });
      const log = `$ verilator ${args.join(' ')}\n${String(r.all ?? '')}\n`;
      await writeFile(path.join(tmp, 'build.log'), log);
      if (r.exitCode !== 0 || !existsSync(path.join(dir, 'obj', EXE))) {
        // Keep the log next to the cache for inspection (the temp folder goes away).
        const logPath = path.join(root, `${name}.failed.log`);
        await writeFile(logPath, log);
        throw new ToolFailedError('verilator', { exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, output: String(r.all ?? r.message), logPath, reason: `building the harness of ${top} failed` });
      }
      if (dir === tmp) {
        await rename(path.join(tmp, 'obj', EXE), path.join(tmp, EXE));
        await rm(path.join(tmp, 'obj'), { recursive: true, force: true });
      } else {
        await copyFile(path.join(dir, 'harness.cpp'), path.join(tmp, 'harness.cpp'));
        await cp(path.join(dir, 'src'), path.join(tmp, 'src'), { recursive: true });
        await copyFile(path.join(dir, 'obj', EXE), path.join(tmp, EXE));
        await chmod(path.join(tmp, EXE), statSync(path.join(dir, 'obj', EXE)).mode & 0o7777);
      }
      const meta: EntryMeta & Record<string, unknown> = {
        format: CACHE_FORMAT,
        key,
        exe: fileDigest(path.join(tmp, EXE)),
        top,
        design: design.manifest.design,
        designDir: design.dir,
        flags,
        verilator: version,
        ccache: ccache ?? null,
        buildMs: Math.round(performance.now() - tb),
        built: new Date().toISOString(),
        sources: design.sources.map((s) => s.name),
      };
      await writeFile(path.join(tmp, 'entry.json'), JSON.stringify(meta, null, 2) + '\n');
    } finally {
      if (dir !== tmp) await rm(dir, { recursive: true, force: true });
    }
  };
  const res = await ensureEntry(root, name, (d) => entryReady(d, key), build, opts.wait ?? {});
  return { exe: path.join(res.path, EXE), cached: res.cached, key, entry: res.path, replaced: res.replaced ?? false, trace, ms: performance.now() - t0, design, layout: design.layout };
}
