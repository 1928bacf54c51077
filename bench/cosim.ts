// Cosimulation benchmark: Verilator build times (cold, ccache, cache hit), the cost of one small
// cosim case, and the simulation rate of the generated harness (templates/sim/harness.cpp.hbs)
// against a minimal hand-written Verilator loop (bench/handloop/main.cpp, same flags, same
// stimulus file) and against Icarus (same stimulus, fewer cycles, extrapolated), on the adder
// tree; and a whole large case end to end (encode the stimulus, simulate, decode the response,
// compare with the golden sums) against the same two, measured side by side in the same run.
// Prints a markdown table; asserts nothing (the checksums must agree, or it says so).
//
//   npx tsx bench/cosim.ts [--cycles=1000000] [--icarus-cycles=20000] [--reps=5] [--no-cold] [--keep]
//
// See bench/README.md for what each figure means.
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { adderTreeDesign, commonAdderTree } from '../generator/blocks/common/adder_tree.ts';
import { emitDesign } from '../generator/emit/design.ts';
import { writeFilesAtomically } from '../generator/emit/write.ts';
import { type SimDesign, loadDesign } from '../sim/cosim/design.ts';
import { Rng, runCosim } from '../sim/cosim/index.ts';
import { runIcarus } from '../sim/icarus/run.ts';
import { TB_TOP } from '../sim/icarus/tb.ts';
import { firstMismatch } from '../sim/cosim/compare.ts';
import { type Beat, type Response, decodeResponseFile, responseColumns, writeStimulusFile } from '../sim/stimulus/format.ts';
import { requireTool } from '../eda/tools/which.ts';
import { type HarnessBuild, VERILATOR_FLAGS, buildHarness, verilatorVersion } from '../sim/verilator/build.ts';
import { harnessArgs, runHarness } from '../sim/verilator/run.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const CYCLES = opt('cycles', 1_000_000);
const ICARUS_CYCLES = opt('icarus-cycles', 20_000);
const COLD = !args.includes('--no-cold');
const KEEP = args.includes('--keep');
/** Repetitions of each timed simulator run (the smallest time is kept). */
const REPS = opt('reps', 5);

// ---------------------------------------------------------------------------------------------
// helpers

const now = () => performance.now();
async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = now();
  const r = await f();
  return [r, now() - t];
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);
const rate = (n: number, ms: number) => {
  const r = n / (ms / 1000);
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : r >= 1e3 ? `${(r / 1e3).toFixed(1)} k/s` : `${r.toFixed(0)} /s`;
};
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

interface Config {
  label: string;
  n: number;
  width: number;
  stages: number;
}

interface Row {
  figure: string;
  values: string[];
}

/** Beats of the adder tree's `in` stream: seeded, edgy values (numbers: the cosim takes them), and the golden sums. */
function beatsFor(c: Config, count: number, seed: number): { beats: Beat[]; golden: Beat[]; checksum: bigint } {
  const r = new Rng(seed);
  const beats: Beat[] = new Array(count);
  const golden: Beat[] = new Array(count);
  let checksum = 0n;
  const lo = -(2 ** (c.width - 1));
  const hi = 2 ** (c.width - 1) - 1;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const b: Beat = {};
    let one = 0;
    for (let k = 0; k < c.n; k++) {
      const v = r.chance(0.1) ? (r.chance(0.5) ? lo : hi) : r.int(lo, hi);
      b[`x${k}`] = v;
      one += v;
    }
    beats[i] = b;
    golden[i] = { sum: one };
    sum += one;
    if ((i & 0xffff) === 0xffff) {
      checksum += BigInt(sum);
      sum = 0;
    }
  }
  checksum += BigInt(sum);
  return { beats, golden, checksum };
}

/** CPU time (user + system, this process: the encoding and decoding run synchronously) and wall time of `f`, in ms. */
function cpuTimed<T>(f: () => T): [T, number, number] {
  const u = process.cpuUsage();
  const t = now();
  const r = f();
  const c = process.cpuUsage(u);
  return [r, (c.user + c.system) / 1000, now() - t];
}

function writeStim(design: SimDesign, file: string, beats: Beat[]): void {
  writeStimulusFile(file, design.layout, { streams: { in: beats } });
}

/** Build bench/handloop/main.cpp against the design with the harness's Verilator flags. */
async function buildHandLoop(design: SimDesign, c: Config, dir: string): Promise<{ exe: string; ms: number }> {
  const verilator = await requireTool('verilator');
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await copyFile(path.join(REPO, 'bench', 'handloop', 'main.cpp'), path.join(dir, 'main.cpp'));
  for (const src of design.sources) await copyFile(src.path, path.join(dir, 'src', src.name));
  const levels = Math.ceil(Math.log2(c.n));
  const flags = [...VERILATOR_FLAGS, '--top-module', design.top.name, '--prefix', 'Vdut', '-Mdir', 'obj', '-o', 'Vhand', '-CFLAGS', `-DHL_N=${c.n} -DHL_SUM_BITS=${c.width + levels}`];
  let ccache: string | undefined;
  try {
    ccache = await requireTool('ccache');
  } catch {
    ccache = undefined;
  }
  const env: Record<string, string> = { LC_ALL: 'C', OBJCACHE: ccache ?? '', ...(ccache ? { CCACHE_BASEDIR: dir, CCACHE_NOHASHDIR: '1' } : {}) };
  const t = now();
  const r = await execa(verilator, [...flags, 'main.cpp', ...design.sources.map((x) => `src/${x.name}`)], { cwd: dir, env, reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`building the hand loop failed:\n${String(r.all).slice(-3000)}`);
  return { exe: path.join(dir, 'obj', 'Vhand'), ms: now() - t };
}

/** How a process's CPU time is measured: `perf stat` (task-clock, exact), GNU time (10 ms steps), or not at all. */
type CpuMeter = 'perf' | 'time' | 'none';
let meter: CpuMeter = 'none';
async function pickMeter(): Promise<CpuMeter> {
  if ((await execa('perf', ['stat', '-x,', '-e', 'task-clock', 'true'], { reject: false })).exitCode === 0) return 'perf';
  if ((await execa('/usr/bin/time', ['-f', '%U %S', 'true'], { reject: false })).exitCode === 0) return 'time';
  return 'none';
}

interface Measured {
  /** Smallest wall time of the repetitions. */
  wallMs: number;
  /** Smallest CPU time (user + system) of the repetitions, when it can be measured. */
  cpuMs?: number;
}

/** Run `exe args` `reps` times (any exit code), keeping the smallest wall and CPU times: the least disturbed run on a shared machine. */
async function measure(exe: string, argv: string[], reps = REPS): Promise<Measured> {
  let wallMs = Infinity;
  let cpuMs = Infinity;
  for (let i = 0; i < reps; i++) {
    const cmd = meter === 'perf' ? ['perf', 'stat', '-x,', '-e', 'task-clock', '--', exe, ...argv] : meter === 'time' ? ['/usr/bin/time', '-f', 'dcgen-cpu %U %S', exe, ...argv] : [exe, ...argv];
    const [r, ms] = await timed(() => execa(cmd[0]!, cmd.slice(1), { reject: false, env: { LC_ALL: 'C' } }));
    wallMs = Math.min(wallMs, ms);
    const err = String(r.stderr ?? '');
    if (meter === 'perf') {
      const m = /^([\d.]+),msec,task-clock/m.exec(err);
      if (m) cpuMs = Math.min(cpuMs, Number(m[1]));
    } else if (meter === 'time') {
      const m = /dcgen-cpu ([\d.]+) ([\d.]+)/.exec(err);
      if (m) cpuMs = Math.min(cpuMs, 1000 * (Number(m[1]) + Number(m[2])));
    }
  }
  return { wallMs, ...(Number.isFinite(cpuMs) ? { cpuMs } : {}) };
}

/** The figure used for rates: CPU time when measured (robust on a loaded machine), else wall time. */
const basis = (m: Measured) => m.cpuMs ?? m.wallMs;
const showM = (m: Measured) => (m.cpuMs !== undefined ? `${s(m.cpuMs)} CPU (${s(m.wallMs)} wall)` : `${s(m.wallMs)} wall`);

interface HandRun {
  cycles: number;
  transactions: number;
  checksum: bigint;
  loopMs: number;
  wallMs: number;
}

async function runHandLoop(exe: string, stim: string): Promise<HandRun> {
  const [r, wallMs] = await timed(() => execa(exe, [stim], { env: { LC_ALL: 'C' } }));
  const j = JSON.parse(r.stdout.replace(/"checksum": (-?\d+)/, '"checksum": "$1"')) as { cycles: number; transactions: number; checksum: string; loop_ns: number };
  return { cycles: j.cycles, transactions: j.transactions, checksum: BigInt(j.checksum), loopMs: j.loop_ns / 1e6, wallMs };
}

/** Sum of all sums the harness recorded (from the response's columns: no Transaction objects). */
function harnessChecksum(design: SimDesign, r: Response, upTo = Infinity): bigint {
  const s = design.layout.outStreams[0]!;
  const cols = responseColumns(r)?.out[0];
  if (!cols) return (r.out[s.name] ?? []).slice(0, upTo).reduce((a, t) => a + t.fields.sum!, 0n);
  const f = s.fields.find((x) => x.name === 'sum')!;
  const sh = 32 - f.width;
  let c = 0;
  for (let i = 0; i < Math.min(cols.count, upTo); i++) c += (cols.words[i * cols.stride + f.offset]! << sh) >> sh;
  return BigInt(c);
}

// ---------------------------------------------------------------------------------------------
// one configuration

async function benchConfig(c: Config, root: string): Promise<{ values: Map<string, string>; notes: string[] }> {
  const v = new Map<string, string>();
  const notes: string[] = [];
  const p = adderTreeDesign.resolve({ top: `bench_adder_tree_n${c.n}_w${c.width}_s${c.stages}`, n: c.n, width: c.width, stages: c.stages });
  const dir = path.join(root, p.top);
  writeFilesAtomically(dir, emitDesign(commonAdderTree(p), { design: 'common.adder_tree', params: p }).files);
  const design = await loadDesign(dir);
  const work = path.join(root, `${p.top}-work`);
  await mkdir(work, { recursive: true });

  // ---- builds ----
  let build: HarnessBuild;
  const cache = path.join(root, `${p.top}-cache`);
  if (COLD) {
    const [, noCcache] = await timed(() => buildHarness(design, { cacheDir: path.join(root, `${p.top}-cache-noccache`), ccache: false }));
    v.set('build: cold, ccache off', s(noCcache));
    const savedDir = process.env.CCACHE_DIR;
    process.env.CCACHE_DIR = path.join(root, `${p.top}-ccache`);
    try {
      const [, miss] = await timed(() => buildHarness(design, { cacheDir: path.join(root, `${p.top}-cache-miss`) }));
      v.set('build: cold, empty ccache (miss)', s(miss));
      const [b, hit] = await timed(() => buildHarness(design, { cacheDir: cache }));
      v.set('build: cold cache entry, ccache hit', s(hit));
      build = b;
    } finally {
      if (savedDir === undefined) delete process.env.CCACHE_DIR;
      else process.env.CCACHE_DIR = savedDir;
    }
  } else {
    build = await buildHarness(design, { cacheDir: cache });
  }
  const hits: number[] = [];
  for (let i = 0; i < 5; i++) hits.push((await buildHarness(design, { cacheDir: cache })).ms);
  v.set('cached rebuild, same process (median of 5)', s(median(hits)));
  let cliMs = Infinity;
  let cliWall = Infinity;
  for (let i = 0; i < 3; i++) {
    const [cli, wall] = await timed(() =>
      execa(process.execPath, ['--import', 'tsx', path.join(REPO, 'sim/verilator/build-cli.ts'), dir], { cwd: REPO, env: { DCGEN_CACHE_DIR: cache } }),
    );
    const r = JSON.parse(cli.stdout) as { ms: number; cached: boolean };
    if (!r.cached) notes.push('the fresh-process build was not a cache hit');
    cliMs = Math.min(cliMs, r.ms);
    cliWall = Math.min(cliWall, wall);
  }
  v.set('cached rebuild, fresh process (best of 3): the buildHarness call / the whole process', `${s(cliMs)} / ${s(cliWall)}`);

  // ---- one small case, end to end ----
  const small = beatsFor(c, 100, 7).beats;
  const smallGolden = small.map((b) => ({ sum: Object.values(b).reduce((a: number, y) => a + Number(y), 0) }));
  const caseMs: number[] = [];
  const caseSim: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [rep, ms] = await timed(() =>
      runCosim({ dir, seeds: [1], cacheDir: cache, stalls: { inIdle: 0.3, outStall: 0.3 }, stimulus: () => ({ streams: { in: small } }), golden: () => ({ streams: { out: smallGolden } }) }),
    );
    if (!rep.ok) throw new Error(`small case failed: ${rep.message}`);
    caseMs.push(ms);
    caseSim.push(rep.seeds[0]!.simMs);
  }
  v.set('small case: runCosim, 100 beats, 30% stalls, 1 seed (median of 5)', `${s(median(caseMs))} (harness process ${s(median(caseSim))})`);

  // ---- simulation rate: generated harness vs hand loop, same stimulus file ----
  const { beats, golden, checksum } = beatsFor(c, CYCLES, 1);
  const stim = path.join(work, 'big.stim');
  writeStim(design, stim, beats);
  const one = path.join(work, 'one.stim');
  writeStim(design, one, beats.slice(0, 1));
  const runOpts = (file: string, n: number, resp: string) => ({ stimPath: file, respPath: path.join(work, resp), expect: { out: n }, maxCycles: 2 * n + 1000, drain: 0 });
  // one run through the cosim API, decoded and checked; then the timed runs of the same command
  const big = await runHarness(build, runOpts(stim, CYCLES, 'big.resp'));
  const hCycles = big.response.cycles;
  const hTx = big.response.out.out!.length;
  const hOk = harnessChecksum(design, big.response) === checksum;
  const hFull = await measure(build.exe, harnessArgs(build.layout, runOpts(stim, CYCLES, 'big.resp')));
  const hLoad = await measure(build.exe, harnessArgs(build.layout, { ...runOpts(stim, CYCLES, 'load.resp'), maxCycles: 0 }));
  const hOne = await measure(build.exe, harnessArgs(build.layout, runOpts(one, 1, 'one.resp')));
  const hNet = basis(hFull) - basis(hOne);
  v.set(`harness: ${hCycles} cycles`, showM(hFull));
  v.set('harness: startup (1-beat run) / loading the stimulus alone (--max-cycles=0)', `${s(basis(hOne))} / ${s(basis(hLoad))}`);
  v.set('harness: cycles/s; transactions/s (net of startup)', `${rate(hCycles, hNet)}; ${rate(hTx, hNet)}`);

  const hand = await buildHandLoop(design, c, path.join(root, `${p.top}-hand`));
  notes.push(`hand loop build ${s(hand.ms)}`);
  const hr = await runHandLoop(hand.exe, stim);
  const handOk = hr.checksum === checksum && hr.transactions === CYCLES;
  const dFull = await measure(hand.exe, [stim]);
  const dLoad = await measure(hand.exe, [stim, '--load-only']);
  const dOne = await measure(hand.exe, [one]);
  const dNet = basis(dFull) - basis(dOne);
  v.set(`hand loop: ${hr.cycles} cycles`, showM(dFull));
  v.set('hand loop: startup (1-beat run) / loading the stimulus alone', `${s(basis(dOne))} / ${s(basis(dLoad))}`);
  v.set('hand loop: cycles/s (net of startup)', rate(hr.cycles, dNet));
  v.set('**generated harness / hand loop, cycle rate**', `**${x(hCycles / hNet, hr.cycles / dNet)}**`);
  v.set('the same, stimulus loading excluded on both sides', x(hCycles / (basis(hFull) - basis(hLoad)), hr.cycles / (basis(dFull) - basis(dLoad))));
  v.set('checksums (harness, hand loop) = golden', `${hOk ? 'yes' : 'NO'}, ${handOk ? 'yes' : 'NO'}`);
  if (hCycles !== hr.cycles) notes.push(`cycle counts differ: harness ${hCycles}, hand loop ${hr.cycles}`);

  // ---- end to end: the TS side of a case (as runCosim runs it) around the same harness run ----
  // Each TS step timed alone, CPU time, smallest of --reps (the harness's CPU time is the
  // figure above): write the stimulus file (encodeStimulus, chunked), read and decode the
  // response file (columns), compare with the golden sums (firstMismatch).
  const bigResp = path.join(work, 'big.resp');
  let enc = Infinity;
  let dec = Infinity;
  let cmp = Infinity;
  let mat = Infinity;
  let agree = true;
  for (let i = 0; i < REPS; i++) {
    enc = Math.min(enc, cpuTimed(() => writeStim(design, stim, beats))[1]);
    const [r, d] = cpuTimed(() => decodeResponseFile(design.layout, bigResp));
    dec = Math.min(dec, d);
    const [m, k] = cpuTimed(() => firstMismatch(design.layout, { streams: { out: golden } }, r));
    cmp = Math.min(cmp, k);
    agree &&= m === undefined;
    mat = Math.min(mat, cpuTimed(() => r.out.out!.length)[1]);
  }
  const e2e = enc + basis(hFull) - basis(hOne) + dec + cmp;
  v.set('TS: write the stimulus file (encode, chunked); beats/s', `${s(enc)}; ${rate(CYCLES, enc)}`);
  v.set('TS: read + decode the response file; beats/s', `${s(dec)}; ${rate(hTx, dec)}`);
  v.set('TS: compare with the golden model; beats/s', `${s(cmp)}; ${rate(hTx, cmp)}${agree ? '' : ' (MISMATCH)'}`);
  v.set('TS: Transaction objects of the response, built on first read (not part of a run)', s(mat));
  v.set(`end to end: encode + harness + decode + compare, ${CYCLES} beats`, `${s(e2e)}; ${rate(hCycles, e2e)}`);
  v.set('**end to end / hand loop, cycle rate**', `**${x(hCycles / e2e, hr.cycles / dNet)}**`);
  v.set('end to end / generated harness alone, cycle rate', x(hCycles / e2e, hCycles / hNet));
  // The same pipeline through the public API, wall clock: runCosim with these beats and sums.
  let cosimWall = Infinity;
  for (let i = 0; i < Math.min(REPS, 3); i++) {
    const [rep, ms] = await timed(() => runCosim({ dir, seeds: [1], cacheDir: cache, drain: 0, waveform: false, stimulus: () => ({ streams: { in: beats } }), golden: () => ({ streams: { out: golden } }) }));
    if (!rep.ok) throw new Error(`the large case failed: ${rep.message}`);
    cosimWall = Math.min(cosimWall, ms);
  }
  v.set('end to end: runCosim wall (best of 3) / hand loop wall', `${s(cosimWall)} / ${s(dFull.wallMs)}: ${x(hCycles / cosimWall, hr.cycles / dFull.wallMs)}`);

  // ---- Icarus: the same stimulus format, fewer cycles; compiled (and checked) through runIcarus, then vvp timed alone ----
  const ib = beats.slice(0, ICARUS_CYCLES);
  const istim = path.join(work, 'icarus.stim');
  writeStim(design, istim, ib);
  const icarusRun = async (file: string, n: number, name: string) => {
    const o = { ...runOpts(file, n, `${name}.txt`), workDir: path.join(work, name) };
    const [r, ms] = await timed(() => runIcarus(design, o));
    const vvp = await requireTool('vvp');
    const m = await measure(vvp, ['-n', path.join(o.workDir, `${TB_TOP}.vvp`), `+stim=${file}`, `+resp=${o.respPath}`, `+max_cycles=${o.maxCycles}`, '+min_cycles=0', '+drain=0', `+expect_out=${n}`], Math.min(REPS, 3));
    return { r, ms, m };
  };
  const i1 = await icarusRun(one, 1, 'icarus-one');
  const ibig = await icarusRun(istim, ib.length, 'icarus-big');
  const iCycles = ibig.r.response.cycles - i1.r.response.cycles;
  const iNet = basis(ibig.m) - basis(i1.m);
  const iOk = harnessChecksum(design, ibig.r.response) === harnessChecksum(design, big.response, ib.length);
  v.set(`icarus (vvp): ${ibig.r.response.cycles} cycles`, showM(ibig.m));
  v.set('icarus: runIcarus wall, compile included (1-beat run)', `${s(ibig.ms)} (${s(i1.ms)})`);
  v.set('icarus: cycles/s (net of startup)', rate(iCycles, iNet));
  v.set(`icarus: ${CYCLES} cycles, extrapolated`, s((iNet / iCycles) * CYCLES + basis(i1.m)));
  v.set('**generated harness / icarus, cycle rate**', `**${x(hCycles / hNet, iCycles / iNet)}**`);
  v.set('icarus sums = harness sums', iOk ? 'yes' : 'NO');
  return { values: v, notes };
}

// ---------------------------------------------------------------------------------------------

const configs: Config[] = [
  { label: 'adder tree defaults (n=8, w=8, stages=1)', ...pick(adderTreeDesign.resolve({})) },
  { label: 'adder tree n=4, w=8, stages=1', n: 4, width: 8, stages: 1 },
];
function pick(p: { n: number; width: number; stages: number }) {
  return { n: p.n, width: p.width, stages: p.stages };
}

meter = await pickMeter();
const root = await mkdtemp(path.join(os.tmpdir(), 'dcgen-bench-'));
const load0 = os.loadavg()[0]!;
const t0 = now();
const results: { values: Map<string, string>; notes: string[] }[] = [];
try {
  for (const c of configs) {
    process.stderr.write(`bench: ${c.label} ...\n`);
    results.push(await benchConfig(c, root));
  }
} finally {
  if (!KEEP) await rm(root, { recursive: true, force: true });
  else process.stderr.write(`bench: kept ${root}\n`);
}
const verilator = await verilatorVersion(await requireTool('verilator'));
const icarus = (await execa('iverilog', ['-V'], { reject: false })).stdout.split('\n')[0] ?? '';
const ccacheOn = await requireTool('ccache').then(
  () => true,
  () => false,
);
const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model ?? '?';

const rows: Row[] = [];
for (const k of results[0]!.values.keys()) rows.push({ figure: k, values: results.map((r) => r.values.get(k) ?? '-') });
const lines = [
  `dcgen cosim benchmark: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${verilator.split(' ').slice(0, 2).join(' ')}, ${icarus}, ccache ${ccacheOn ? 'installed' : 'absent'}`,
  `${os.cpus().length} CPUs (${cpu}), load average ${load0.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end; ${CYCLES} cycles (icarus ${ICARUS_CYCLES}); total ${s(now() - t0)}`,
  `simulator runs: smallest of ${REPS} (icarus ${Math.min(REPS, 3)}); rates and ratios from ${meter === 'perf' ? 'CPU time (perf stat task-clock)' : meter === 'time' ? 'CPU time (GNU time, 10 ms steps)' : 'wall time'}`,
  '',
  `| figure | ${configs.map((c) => c.label).join(' | ')} |`,
  `| --- | ${configs.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.figure} | ${r.values.join(' | ')} |`),
];
const notes = results.flatMap((r, i) => r.notes.map((n) => `${configs[i]!.label}: ${n}`));
if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
process.stdout.write(lines.join('\n') + '\n');
