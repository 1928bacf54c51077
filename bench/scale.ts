// bench/scale.ts: how `dcgen generate` scales with the size of an array — generate time and peak
// memory against the number of PEs (ditto.compute R x C), SAD lanes (cmc.sad P) and GEMM
// multipliers (cmc.gemm B columns x e elements per beat). Prints a table and writes
// rtl-out/scale/scale.csv. Figures only: nothing is asserted.
//
//   npx tsx bench/scale.ts                 # every point, best of 2 (~1-2 min on 2 cores)
//   npx tsx bench/scale.ts --reps=1 --quick
//   npx tsx bench/scale.ts --verilate      # also: Verilator build of the largest compute point
//   npx tsx bench/scale.ts --lint          # also: `dcgen lint` of the largest compute point
//   (--verilate=N, --lint=N: the N x N compute unit instead of 64 x 64; --only: skip the
//   generate points, run only --verilate / --lint)
//
// Each point runs `dcgen generate` as a fresh process (bin/dcgen.mjs, as a user runs it), so the
// peak memory is that process's max RSS and the wall time includes node + tsx start-up and
// module loading (~1 s, the same for every point). The phases come from one more run of the same
// steps in a child of this bench (`--child`: resolve + DSL build with the IR checks, emit =
// lowering + templates + manifest, bindings = `<top>.ports.ts`, write = the atomic folder write).
// "ms/unit" is the marginal cost: (generate time − the 1-unit point's) / (units − 1), which is
// constant when growth is linear (given from 64 units on: below, the difference is noise).
// --verilate builds the harness of the 64 x 64 compute unit with sim/verilator/build.ts (as
// `dcgen regress` builds it: the harness flags, dcgen.vlt, the row module as a library) in a
// fresh cache folder with ccache off, and reports the wall time of the whole build and the CPU
// time of its processes (Verilator, make, g++: user + system of the waited-for children of
// this process, from /proc/self/stat, so Linux only).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DCGEN = path.join(REPO, 'bin', 'dcgen.mjs');
const run = promisify(execFile);

interface Point {
  design: string;
  /** `--set` values. */
  sets: Record<string, number>;
  /** The scaled quantity: PEs, lanes or multipliers. */
  units: number;
  label: string;
}

function points(quick: boolean): Point[] {
  const compute = (quick ? [1, 4, 16, 64] : [1, 2, 4, 8, 16, 32, 64]).flatMap((n) => {
    const sq: Point = { design: 'ditto.compute', sets: { rows: n, cols: n }, units: n * n, label: `${n} x ${n}` };
    return n >= 8 && !quick ? [{ design: 'ditto.compute', sets: { rows: n / 2, cols: n }, units: (n / 2) * n, label: `${n / 2} x ${n}` }, sq] : [sq];
  });
  const sad = (quick ? [1, 4, 16] : [1, 2, 4, 8, 16]).map((p): Point => ({ design: 'cmc.sad', sets: { lanes: p }, units: p, label: `${p} lanes` }));
  // k and nOut the smallest legal multiples (two tiles of two beats): the array is what scales
  const gemm = (quick ? [1, 8, 32] : [1, 4, 8, 16, 32]).map((n): Point => ({ design: 'cmc.gemm', sets: { cols: n, elemsPerBeat: n, k: 2 * n, nOut: 2 * n }, units: n * n, label: `${n} x ${n}` }));
  return [...compute, ...sad, ...gemm];
}

interface Phases {
  build: number;
  emit: number;
  bindings: number;
  write: number;
}

interface Measured {
  point: Point;
  /** Wall time of the whole `dcgen generate` process (ms), best of the repetitions. */
  wallMs: number;
  /** Peak resident memory of that process (MB). */
  peakMb: number;
  phases: Phases;
  verilogLines: number;
  bytes: number;
}

async function measure(p: Point, reps: number, out: string): Promise<Measured> {
  const dir = path.join(out, `${p.design}-${p.units}`);
  let best: { wallMs: number; peakMb: number } | undefined;
  for (let r = 0; r < reps; r++) {
    const sets = Object.entries(p.sets).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
    const res = await run('/usr/bin/time', ['-f', '%e %M', process.execPath, DCGEN, 'generate', p.design, ...sets, '--out', dir], { maxBuffer: 64 << 20 });
    const [secs, kb] = (res.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    if (!best || secs * 1000 < best.wallMs) best = { wallMs: secs * 1000, peakMb: kb / 1024 };
  }
  let lines = 0;
  let bytes = 0;
  for (const f of readdirSync(dir)) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    bytes += Buffer.byteLength(text);
    if (f.endsWith('.v')) lines += text.split('\n').length - 1;
  }
  // the phases of `reps` fresh processes, each phase's best (one run is at the mercy of the load)
  let phases: Phases | undefined;
  for (let r = 0; r < reps; r++) {
    // (a folder of its own: its file set differs from the CLI's, which lists the bindings in the manifest)
    const childDir = `${dir}-phases${r}`;
    const child = await run(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', p.design, JSON.stringify(p.sets), childDir], { maxBuffer: 64 << 20 });
    rmSync(childDir, { recursive: true, force: true });
    const ph = JSON.parse(child.stdout) as Phases;
    phases = phases ? { build: Math.min(phases.build, ph.build), emit: Math.min(phases.emit, ph.emit), bindings: Math.min(phases.bindings, ph.bindings), write: Math.min(phases.write, ph.write) } : ph;
  }
  rmSync(dir, { recursive: true, force: true });
  return { point: p, wallMs: best!.wallMs, peakMb: best!.peakMb, phases: phases!, verilogLines: lines, bytes };
}

/** `--child <design> <sets json> <dir>`: generate's steps, timed one by one; prints the Phases as JSON. */
async function child(design: string, sets: Record<string, number>, dir: string): Promise<void> {
  const { findDesign } = await import('../generator/designs/index.ts');
  const { emitDesign } = await import('../generator/emit/design.ts');
  const { bindingsFor } = await import('../generator/emit/bindings.ts');
  const { writeFilesAtomically } = await import('../generator/emit/write.ts');
  const d = findDesign(design);
  if (!d) throw new Error(`no design ${design}`);
  const t0 = performance.now();
  const params = d.resolve(sets);
  const top = d.build(params);
  const t1 = performance.now();
  const { manifest, files } = emitDesign(top, { design: d.name, params: params as Record<string, number | string | boolean> });
  const t2 = performance.now();
  const b = bindingsFor(manifest);
  files.set(b.file, b.text);
  const t3 = performance.now();
  writeFilesAtomically(dir, files);
  const t4 = performance.now();
  const phases: Phases = { build: t1 - t0, emit: t2 - t1, bindings: t3 - t2, write: t4 - t3 };
  process.stdout.write(JSON.stringify(phases));
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ')} |`;
  return [line(head), `| ${w.map((x, i) => (i < 2 ? '-'.repeat(x) : `${'-'.repeat(x - 1)}:`)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

/** CPU seconds (user, system) of the waited-for children of this process (/proc/self/stat cutime, cstime); undefined off Linux. */
function childCpu(): { user: number; system: number } | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // fields after the `(comm)`: state is field 3, cutime 16 and cstime 17 (in clock ticks, 100 a second on Linux)
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[16 - 3]) / 100, system: Number(f[17 - 3]) / 100 };
  } catch {
    return undefined;
  }
}

async function verilate(out: string, n: number): Promise<void> {
  const { buildHarness, libraryModules, repeatedModules } = await import('../sim/verilator/build.ts');
  const dir = path.join(out, `verilate-${n}x${n}`);
  await run(process.execPath, [DCGEN, 'generate', 'ditto.compute', '--set', `rows=${n}`, '--set', `cols=${n}`, '--out', dir], { maxBuffer: 64 << 20 });
  const cache = mkdtempSync(path.join(os.tmpdir(), 'dcgen-scale-vl-'));
  try {
    const cpu0 = childCpu();
    const b = await buildHarness(dir, { cacheDir: cache, ccache: false });
    const cpu1 = childCpu();
    const cpu = cpu0 && cpu1 ? ` wall, ${(cpu1.user - cpu0.user).toFixed(0)} s user + ${(cpu1.system - cpu0.system).toFixed(0)} s system CPU` : ' wall';
    console.log(`\nVerilator build of the ditto.compute ${n} x ${n} harness (${n * n} PEs; harness flags, ccache off): ${(b.ms / 1000).toFixed(1)} s${cpu} (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
    console.log(`  repeated modules (dcgen.vlt: no_inline, public inputs unless built as a library): ${repeatedModules(b.design).join(', ')}`);
    console.log(`  built as libraries (--lib-create): ${libraryModules(b.design).join(', ') || 'none'}`);
    const log = readFileSync(path.join(b.entry, 'build.log'), 'utf8');
    console.log(`  Verilator runs: ${log.split('\n').filter((l) => l.startsWith('$ verilator')).length}`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

async function lint(out: string, n: number): Promise<void> {
  const dir = path.join(out, `lint-${n}x${n}`);
  await run(process.execPath, [DCGEN, 'generate', 'ditto.compute', '--set', `rows=${n}`, '--set', `cols=${n}`, '--out', dir], { maxBuffer: 64 << 20 });
  const t = performance.now();
  const r = await run(process.execPath, [DCGEN, 'lint', dir], { maxBuffer: 64 << 20 }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
  console.log(`\ndcgen lint of ditto.compute ${n} x ${n}: ${((performance.now() - t) / 1000).toFixed(1)} s\n${r.stdout}${r.stderr}`);
  rmSync(dir, { recursive: true, force: true });
}

/** The table of the generate points, and rtl-out/scale/scale.csv. */
function report(results: Measured[], reps: number): void {
  const base = new Map<string, Measured>();
  for (const m of results) if (!base.has(m.point.design)) base.set(m.point.design, m);
  const f = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toFixed(d));
  const rows = results.map((m) => {
    const b = base.get(m.point.design)!;
    // below ~64 units the difference is within the start-up's noise: no figure
    const marginal = m.point.units >= 64 && m.point.units > b.point.units ? (m.wallMs - b.wallMs) / (m.point.units - b.point.units) : undefined;
    return [m.point.design, m.point.label, m.point.units, f(m.wallMs), f(m.phases.build), f(m.phases.emit), f(m.phases.bindings), f(m.phases.write), f(marginal, 2), f(m.peakMb), m.verilogLines, f(m.bytes / 1024)];
  });
  const head = ['design', 'size', 'units', 'generate ms', 'build ms', 'emit ms', 'bindings ms', 'write ms', 'ms/unit', 'peak MB', 'Verilog lines', 'output KB'];
  console.log(`\n${table(head, rows)}`);
  console.log(`\n(units: PEs for ditto.compute, lanes for cmc.sad, multipliers B x e for cmc.gemm; best of ${reps}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
  const csvDir = path.join(REPO, 'rtl-out', 'scale');
  mkdirSync(csvDir, { recursive: true });
  const csv = [head.map((h) => h.replace(/ /g, '_')).join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
  writeFileSync(path.join(csvDir, 'scale.csv'), csv);
  console.log(`wrote ${path.relative(process.cwd(), path.join(csvDir, 'scale.csv'))}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const reps = Number(opt('reps') ?? 2);
  const quick = args.includes('--quick');
  const only = args.includes('--only');
  const out = mkdtempSync(path.join(os.tmpdir(), 'dcgen-scale-'));
  const results: Measured[] = [];
  try {
    for (const p of only ? [] : points(quick)) {
      const m = await measure(p, reps, out);
      results.push(m);
      process.stderr.write(`  ${p.design} ${p.label}: ${(m.wallMs / 1000).toFixed(2)} s, ${m.peakMb.toFixed(0)} MB\n`);
    }
    if (!only) report(results, reps);
    // --verilate / --lint: the 64 x 64 point, or --verilate=N for N x N
    const size = (name: string) => (args.includes(`--${name}`) ? 64 : opt(name) !== undefined ? Number(opt(name)) : undefined);
    const vn = size('verilate');
    if (vn !== undefined) await verilate(out, vn);
    const ln = size('lint');
    if (ln !== undefined) await lint(out, ln);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1], JSON.parse(argv[2]) as Record<string, number>, argv[3]);
else await main();
