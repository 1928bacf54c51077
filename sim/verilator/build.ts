// Build (or find in the cache) the Verilator harness executable of a design.
//
//   [verilator --cc --build -O2 -j 2 --x-assign unique --x-initial unique --lib-create <m>
//              --top-module <m> --prefix Vlib_<m> -Mdir lib_<m> [lib_<m>.vlt] src/<m's subtree>]...
//   verilator --cc --exe --build -O2 -j 2 --x-assign unique --x-initial unique
//             --top-module <top> --prefix Vdut -Mdir obj -o Vsim harness.cpp
//             [--trace-fst] [dcgen.vlt] [lib_<m>/<m>.sv ...] src/<files> [lib_<m>/lib<m>.a ...]
//
// Modules instanced more than once (the rows and PEs of ditto.compute, the lane of cmc.sad,
// memory copies) are compiled once. By default Verilator folds each instance's port
// connections (`rd_data[15:8]`, a row's registers) into that instance's copy of the module's
// code, so every instance is compiled on its own (a 64 x 64 ditto.compute with its 4096 PEs
// in the top: > 4 min and > 11 GB still in Verilator, ~1 GB of C++ to come). Two measures
// (which modules get which: sim/verilator/libraries.ts):
//  * dcgen.vlt, a Verilator control file: each repeated module stays a module (`no_inline`)
//    with its inputs kept (`public`), so its code is the same for every instance and
//    Verilator emits it once. Verilator still schedules every instance's logic (its scheduling
//    is global): ~0.15 s per PE instance of ditto.compute.
//  * a repeated module whose instances x leaf instances below reach LIB_MIN_INSTANCES (a leaf
//    instanced >= 128 times; the row module of a 64 x 64 ditto.compute, 64 instances of 64 PEs
//    and 4 weight copies each) is verilated alone into a library (`--lib-create`, the same
//    flags, with its subtree's sources and a control file of its own for the modules repeated
//    inside it) and the design sees only the wrapper Verilator writes for it (calls into the
//    library per evaluation, no logic to schedule). The 64 x 64 design: the row library
//    verilates and compiles in 6-10 s (its 64 PEs un-inlined: 0.9 MB of C++; inlined they
//    would be 16 MB), the top with its 64 row wrappers in about a minute: ~70 s for the whole
//    build, ~70 s of CPU (with the PE and the memory as the libraries and the 4096 PE wrappers
//    in the top: ~230 s wall, ~400 s CPU). Not for --trace-fst builds (a library's inside
//    cannot be traced) — those keep dcgen.vlt only. Verilator's hierarchical mode does the
//    same, but 5.006 writes `input signed logic [7:0]` into its wrappers and then rejects
//    that; here the wrapper is corrected before the design reads it.
// The builds run in a fresh temp folder inside the cache folder (sources copied in, relative
// paths, so ccache — used through OBJCACHE when installed — sees identical compiler inputs across
// builds). GNU Make cannot build in a folder whose path holds spaces or shell/make
// metacharacters (and Verilator expands `$` in paths), so when the cache folder's path has any,
// the build runs in a temp folder under $TMPDIR and its results are copied into the cache.
// The cache key hashes the Verilog sources, the harness (template text + view model, which
// determine its source), the flags, the control files and libraries (sources and control of
// each) and `verilator --version` (memoised on disk by the tool's file stamps); a hit costs reading the design, one hash, reading entry.json and checking
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
import { type DesignText, buildPlan } from './libraries.ts';

/** Bump when the entry layout or the harness protocol changes (2: entry.json records Vsim's size and sha256). */
export const CACHE_FORMAT = 2;

/** The fixed Verilator flags (before --top-module / sources). */
export const VERILATOR_FLAGS: readonly string[] = ['--cc', '--exe', '--build', '-O2', '-j', '2', '--x-assign', 'unique', '--x-initial', 'unique'];
export const TRACE_FLAGS: readonly string[] = ['--trace-fst'];

const BUILD_TIMEOUT_MS = 20 * 60 * 1000;

/** The control file's name in the build folder (given to Verilator before the sources). */
const CONTROL_FILE = 'dcgen.vlt';

export { LIB_MIN_INSTANCES, LIB_INSIDE_MAX, buildPlan, type BuildPlan, type BuildUnit } from './libraries.ts';

/** Modules instanced more than once in the main build (counted in the sources it reads), by name, sorted: `no_inline` in dcgen.vlt. */
export function repeatedModules(design: DesignText, trace = false): string[] {
  return buildPlan(design, trace).main.repeated;
}

/** The modules built as libraries (see sim/verilator/libraries.ts), sorted; none for trace builds. */
export function libraryModules(design: DesignText, trace = false): string[] {
  return buildPlan(design, trace).libraries.map((l) => l.top).sort();
}

/** The main build's Verilator control file (see the header), or '' when no module repeats in it. */
export function verilatorControl(design: DesignText, trace = false): string {
  return buildPlan(design, trace).main.control;
}

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
  // The control file counts as a source (hashed after the Verilog), and only when there is
  // one, so the key of a design without repeated modules is what it was before it existed.
  const plan = buildPlan(design, trace);
  const control = plan.main.control;
  const libs = plan.libraries.map((l) => l.top);
  const keySources = [
    ...design.sources,
    ...(control ? [{ name: CONTROL_FILE, text: control }] : []),
    // (the library flags are the harness's, already hashed; the libraries, their sources and
    // control files decide the build)
    ...(libs.length ? [{ name: 'dcgen-libraries', text: plan.libraries.map((l) => [l.top, ...l.files, l.control].join('\n')).join('\0') }] : []),
  ];
  const key = buildKey({ top, flags, version, harness: harnessSpec, sources: keySources });
  const name = `${top}-${key.slice(0, 20)}${trace ? '-fst' : ''}`;
  const build = async (tmp: string) => {
    const tb = performance.now();
    const dir = await buildFolder(tmp);
    try {
      await writeFile(path.join(dir, 'harness.cpp'), renderHarness(design.layout));
      await mkdir(path.join(dir, 'src'));
      for (const s of design.sources) await copyFile(s.path, path.join(dir, 'src', s.name));
      if (control) await writeFile(path.join(dir, CONTROL_FILE), control);
      const env: Record<string, string> = { LC_ALL: 'C' };
      const ccache = (opts.ccache ?? true) ? await findCcache() : undefined;
      if (ccache) {
        env.OBJCACHE = ccache;
        env.CCACHE_BASEDIR = dir;
        env.CCACHE_NOHASHDIR = '1';
      } else env.OBJCACHE = '';
      // Relative paths only, run in the build folder: nothing of the cache folder's path reaches Verilator or make.
      let log = '';
      for (const { top: lib, files, control: libControl } of plan.libraries) {
        // the library's own control file (its repeated modules), beside the main one
        const libVlt = `lib_${lib}.vlt`;
        if (libControl) await writeFile(path.join(dir, libVlt), libControl);
        const libArgs = [
          ...VERILATOR_FLAGS.filter((f) => f !== '--exe'),
          ...['--lib-create', lib, '--top-module', lib, '--prefix', `Vlib_${lib}`, '-Mdir', `lib_${lib}`],
          ...(libControl ? [libVlt] : []),
          ...files.map((f) => `src/${f}`),
        ];
        const lr = await execa(exe, libArgs, { cwd: dir, env, reject: false, all: true, stdin: 'ignore', timeout: BUILD_TIMEOUT_MS });
        log += `$ verilator ${libArgs.join(' ')}\n${String(lr.all ?? '')}\n`;
        const wrapper = path.join(dir, `lib_${lib}`, `${lib}.sv`);
        if (lr.exitCode !== 0 || !existsSync(wrapper)) {
          const logPath = path.join(root, `${name}.failed.log`);
          await writeFile(logPath, log);
          throw new ToolFailedError('verilator', { exitCode: lr.exitCode, signal: lr.signal, timedOut: lr.timedOut, output: String(lr.all ?? lr.message), logPath, reason: `building module ${lib} of ${top} as a library failed` });
        }
        // Verilator 5.006 writes `signed logic`, which its parser rejects: `logic signed`
        await writeFile(wrapper, readFileSync(wrapper, 'utf8').replace(/\bsigned logic\b/g, 'logic signed'));
      }
      const args = [
        ...flags,
        'harness.cpp',
        ...(control ? [CONTROL_FILE] : []),
        ...libs.map((lib) => `lib_${lib}/${lib}.sv`),
        ...plan.main.files.map((f) => `src/${f}`),
        // (linked by make inside obj/: relative to there)
        ...libs.map((lib) => `../lib_${lib}/lib${lib}.a`),
      ];
      const r = await execa(exe, args, { cwd: dir, env, reject: false, all: true, stdin: 'ignore', timeout: BUILD_TIMEOUT_MS });
      log += `$ verilator ${args.join(' ')}\n${String(r.all ?? '')}\n`;
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
        for (const lib of libs) await rm(path.join(tmp, `lib_${lib}`), { recursive: true, force: true });
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
        ...(control ? { noInline: plan.main.repeated } : {}),
        ...(libs.length ? { libraries: libs } : {}),
      };
      await writeFile(path.join(tmp, 'entry.json'), JSON.stringify(meta, null, 2) + '\n');
    } finally {
      if (dir !== tmp) await rm(dir, { recursive: true, force: true });
    }
  };
  const res = await ensureEntry(root, name, (d) => entryReady(d, key), build, opts.wait ?? {});
  return { exe: path.join(res.path, EXE), cached: res.cached, key, entry: res.path, replaced: res.replaced ?? false, trace, ms: performance.now() - t0, design, layout: design.layout };
}
