// `dcgen eval cmc`: CMC's informative-token fractions on the real clips, the SAD-engine cycles
// of the prediction and the condensed-GEMM cycles against the dense GEMM (SPEC §2, §3, §4).
// Definitions and results: docs/eval.md.
//
// INPUT: each clip's first T frames (224×224 yuv444p), 196 tokens per frame of 768 unsigned
// bytes (sim/video/y4m.ts: 16×16 patches, planar Y/Cb/Cr), element = pixel (E = 8, unsigned).
// PREDICTION (sim/golden/cmc/prediction.ts semantics, computed here with typed arrays and
// checked against the golden predictInter / predictIntra on the first segment of each clip):
//   inter  segments of G ∈ {4, 8} frames, I frame floor((g−1)/2) of each; every P token's
//          SADmin over the I tokens of the window (full search, or Chebyshev radius R ∈ {1, 2}
//          on the 14×14 grid), ties to the lowest j; informative iff SADmin ≥ Thr.
//   intra  G_v = 4: rows (tokens, raster order) in segments of 4 within each frame, reference
//          row floor((g−1)/2); a row is non-informative iff SAD(row, reference) < Thr.
//   Thr = round(τ · 768), τ ∈ {0, 0.25, 0.5, 1, 2, 4, 8, 16} (a mean absolute difference per element;
//   τ = 0 makes every token informative, by the ≥ rule). Fractions are over all T·196 tokens
//   (I tokens and reference rows count as informative).
// SAD ENGINE (sim/cycles/cmc/sad.ts, block defaults of generator/blocks/cmc/sad.ts: m = 256,
//   P = 4 candidate lanes, e = 16 elements per beat, treeStages = 2): a job is one reference
//   token against P candidates and takes B = ceil(n/e) = 48 beats; free running, J jobs take
//   J·B − 1 + (treeStages + 1) + 1 cycles. Inter: a P token with c candidates needs ceil(c/P)
//   jobs (full search: 49; R = 1: 1..3; R = 2: 3..7 by position); a segment of g frames has
//   g − 1 P frames. Intra: a row segment of g rows is one job group, the reference row as the
//   job's reference and its g − 1 other rows as candidates: ceil((g−1)/P) jobs (1 for G_v = 4).
//   One continuous job stream per segment (per 4-frame batch for intra).
// GEMM (a simple array model, the same array for both): an output-stationary array of
//   Ra × Ca MACs (32 × 32) computes a rows × K by K × Nout product (768 → 768) as
//   ceil(rows/Ra) · ceil(Nout/Ca) tiles of K cycles each, back to back, plus Ra + Ca cycles of
//   fill and drain: cycles(rows) = ceil(rows/Ra)·ceil(Nout/Ca)·K + Ra + Ca (0 rows: 0).
//   Dense: every row of the batch (a segment of G frames; 4 frames for intra). Condensed:
//   the informative rows of the batch (in ITT order), plus recovery at one N-ITT entry per
//   cycle (SPEC §2.4). ratio = (condensed + recovery) / dense.
import { sadParams } from '../../generator/blocks/cmc/sad.ts';
import { sadBeatsPerJob, sadCyclesFree, sadLatency } from '../cycles/cmc/sad.ts';
import { predictInter, predictIntra, segments } from '../golden/cmc/prediction.ts';
import { type SearchWindow, candidates } from '../golden/cmc/search.ts';
import type { CmcRtlResult } from './cmc_rtl.ts';
import { CLIPS, type ClipTokens, EvalInputError, clipPath, loadClipTokens, pct, r6, table, times, videoDir } from './common.ts';

export const CMC_PAPER = {
  skippedPct: 46,
  informativePct: 54,
  G: 8,
  source: 'CMC (ASPLOS 2024) re-implementations, SPEC §4: about 46 % of tokens skipped with segments of 8 frames on video-language workloads',
} as const;

export interface CmcEvalOptions {
  frames: number;
  /** thresholds per element τ (Thr = round(τ · n)) */
  taus: readonly number[];
  Gs: readonly number[];
  radii: readonly number[];
  /** intra row segment length */
  Gv: number;
  /** SAD engine */
  sad: { m: number; lanes: number; elemsPerBeat: number; treeStages: number };
  /** GEMM array and projection */
  gemm: { arrayRows: number; arrayCols: number; K: number; Nout: number };
  videoDir: string;
  /** clips to run (default both) */
  clips?: readonly string[];
  /** run the golden-model agreement check (default true) */
  check?: boolean;
}

export function cmcDefaults(quick = false): CmcEvalOptions {
  return {
    frames: quick ? 8 : 32,
    taus: [0, 0.25, 0.5, 1, 2, 4, 8, 16],
    Gs: [4, 8],
    radii: [1, 2],
    Gv: 4,
    sad: { m: sadParams.m.default, lanes: sadParams.lanes.default, elemsPerBeat: sadParams.elemsPerBeat.default, treeStages: sadParams.treeStages.default },
    gemm: { arrayRows: 32, arrayCols: 32, K: 768, Nout: 768 },
    videoDir: videoDir(),
  };
}

export const CMC_DEFINITIONS: Record<string, string> = {
  tokens: '16×16×3 patches of a 224×224 yuv444p frame, 196 per frame, 768 unsigned bytes (planar Y, Cb, Cr)',
  threshold: 'Thr = round(τ · 768) (τ = mean absolute difference per element); informative iff SADmin ≥ Thr (inter) / SAD ≥ Thr (intra)',
  fraction: 'informative tokens / all T·196 tokens; I-frame tokens and intra reference rows are informative',
  inter: 'segments of G frames, I frame floor((g−1)/2); full search over 196 I tokens or Chebyshev radius R on the 14×14 grid; ties to the lowest j',
  intra: 'G_v = 4 rows per segment within a frame, reference row floor((g−1)/2), each other row compared with it alone',
  sadCycles: 'SAD engine m = 256, P = 4 lanes, e = 16 elements/beat, treeStages = 2: a job (1 reference × P candidates) = ceil(768/16) = 48 beats; J jobs = 48·J + treeStages + 1 cycles; inter ceil(candidates/P) jobs per P token; intra ceil((G_v − 1)/P) jobs per row segment',
  gemm: 'array Ra × Ca = 32 × 32 MACs; cycles(rows) = ceil(rows/Ra)·ceil(Nout/Ca)·K + Ra + Ca for a 768 → 768 projection; dense = all rows of a batch (a segment; 4 frames for intra), condensed = informative rows + recovery (1 cycle per non-informative row)',
};

// ---- SAD ----

/** SAD of every token of frame A (rows) against every token of frame B: D[i·N + j]. */
export function sadMatrix(A: Int32Array, B: Int32Array, N: number, n: number): Int32Array {
  const D = new Int32Array(N * N);
  const N4 = N - (N % 4);
  for (let i = 0; i < N; i++) {
    const ao = i * n;
    let j = 0;
    for (; j < N4; j += 4) {
      const b0 = j * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < n; k++) {
        const x = A[ao + k];
        s0 += Math.abs(x - B[b0 + k]);
        s1 += Math.abs(x - B[b1 + k]);
        s2 += Math.abs(x - B[b2 + k]);
        s3 += Math.abs(x - B[b3 + k]);
      }
      D[i * N + j] = s0;
      D[i * N + j + 1] = s1;
      D[i * N + j + 2] = s2;
      D[i * N + j + 3] = s3;
    }
    for (; j < N; j++) {
      const bo = j * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.abs(A[ao + k] - B[bo + k]);
      D[i * N + j] = s;
    }
  }
  return D;
}

/** SAD of token i of frame A with token j of frame B. */
export function sadOne(A: Int32Array, i: number, B: Int32Array, j: number, n: number): number {
  let s = 0;
  const ao = i * n;
  const bo = j * n;
  for (let k = 0; k < n; k++) s += Math.abs(A[ao + k] - B[bo + k]);
  return s;
}

export interface WindowSpec {
  name: string;
  window: SearchWindow;
}

export function windowsOf(radii: readonly number[]): WindowSpec[] {
  return [{ name: 'full', window: { kind: 'full' } }, ...radii.map((R) => ({ name: `R${R}`, window: { kind: 'radius', R } as SearchWindow }))];
}

/** Per token (t, i): SADmin (−1 for I tokens) and j* (−1 for I tokens). */
export interface MinMap {
  sadMin: Int32Array;
  jStar: Int32Array;
}

/**
 * Inter prediction minima for every window and every G: one SAD matrix per (P frame, I
 * frame) pair (shared by the windows, and by the G values that share the pair).
 */
export function interMinima(frames: readonly Int32Array[], N: number, n: number, grid: { H: number; W: number }, Gs: readonly number[], wins: readonly WindowSpec[]): Map<string, MinMap> {
  const T = frames.length;
  const cands = wins.map((w) => Array.from({ length: N }, (_, i) => candidates(i, grid, w.window)));
  const cache = new Map<string, Int32Array>();
  const matrix = (t: number, r: number): Int32Array => {
    const key = `${t},${r}`;
    let D = cache.get(key);
    if (!D) {
      D = sadMatrix(frames[t], frames[r], N, n);
      cache.set(key, D);
    }
    return D;
  };
  const out = new Map<string, MinMap>();
  for (const G of Gs) {
    const maps = wins.map(() => ({ sadMin: new Int32Array(T * N).fill(-1), jStar: new Int32Array(T * N).fill(-1) }));
    for (const seg of segments(T, G)) {
      for (let t = seg.start; t < seg.start + seg.len; t++) {
        if (t === seg.ref) continue;
        const D = matrix(t, seg.ref);
        for (let i = 0; i < N; i++) {
          wins.forEach((_, w) => {
            let best = -1;
            let bj = -1;
            for (const j of cands[w][i]) {
              const s = D[i * N + j];
              if (best < 0 || s < best) {
                best = s;
                bj = j;
              }
            }
            maps[w].sadMin[t * N + i] = best;
            maps[w].jStar[t * N + i] = bj;
          });
        }
      }
    }
    wins.forEach((w, k) => out.set(`${w.name}/G${G}`, maps[k]));
  }
  return out;
}

/** Intra minima: per (t, row) the SAD to its segment's reference row (−1 for reference rows). */
export function intraMinima(frames: readonly Int32Array[], N: number, n: number, Gv: number): MinMap {
  const T = frames.length;
  const m: MinMap = { sadMin: new Int32Array(T * N).fill(-1), jStar: new Int32Array(T * N).fill(-1) };
  for (let t = 0; t < T; t++) {
    for (const seg of segments(N, Gv)) {
      for (let r = seg.start; r < seg.start + seg.len; r++) {
        if (r === seg.ref) continue;
        m.sadMin[t * N + r] = sadOne(frames[t], r, frames[t], seg.ref, n);
        m.jStar[t * N + r] = seg.ref;
      }
    }
  }
  return m;
}

/** Informative iff not a reference-free token (−1) and SADmin ≥ thr. */
export function isInformative(sadMin: number, thr: number): boolean {
  return sadMin < 0 || sadMin >= thr;
}

// ---- cycle models ----

export function gemmCycles(rows: number, g: CmcEvalOptions['gemm']): number {
  if (rows === 0) return 0;
  return Math.ceil(rows / g.arrayRows) * Math.ceil(g.Nout / g.arrayCols) * g.K + g.arrayRows + g.arrayCols;
}

export function sadTiming(o: CmcEvalOptions, n: number) {
  return { n, elemsPerBeat: o.sad.elemsPerBeat, treeStages: o.sad.treeStages };
}

/** SAD jobs of one P frame (inter, a window): Σ_i ceil(|candidates(i)| / P). */
export function interJobsPerFrame(N: number, grid: { H: number; W: number }, win: SearchWindow, lanes: number): { jobs: number; candidates: number } {
  let jobs = 0;
  let cands = 0;
  for (let i = 0; i < N; i++) {
    const c = candidates(i, grid, win).length;
    cands += c;
    jobs += Math.ceil(c / lanes);
  }
  return { jobs, candidates: cands };
}

/** SAD jobs of one frame (intra): Σ over row segments of ceil((g − 1) / P). */
export function intraJobsPerFrame(N: number, Gv: number, lanes: number): { jobs: number; candidates: number } {
  let jobs = 0;
  let cands = 0;
  for (const seg of segments(N, Gv)) {
    cands += seg.len - 1;
    jobs += Math.ceil((seg.len - 1) / lanes);
  }
  return { jobs, candidates: cands };
}

// ---- evaluation ----

export interface ThresholdResult {
  tau: number;
  thr: number;
  informative: number;
  rows: number;
  fraction: number;
  denseCycles: number;
  condensedCycles: number;
  recoveryCycles: number;
  /** (condensed + recovery) / dense */
  ratio: number;
  speedup: number;
}

export interface SettingResult {
  /** e.g. inter-full-G4, intra-Gv4 */
  setting: string;
  predictor: 'inter' | 'intra';
  window: string;
  G: number;
  Gv?: number;
  /** frames per GEMM batch (G for inter, 4 for intra) */
  batchFrames: number;
  byThreshold: ThresholdResult[];
  sad: SadSettingCycles;
}

export interface SadSettingCycles {
  /** average candidates per predicted token (P token / non-reference row) */
  candidatesPerToken: number;
  jobsPerToken: number;
  /** jobs and cycles of one full segment (G frames; 4 frames for intra) */
  jobsPerSegment: number;
  cyclesPerSegment: number;
  /** Σ over the clip's segments (each a continuous job stream) */
  cyclesPerClip: number;
  /** the clip's dense 768 → 768 GEMM cycles (same batches), for scale */
  denseGemmCyclesPerClip: number;
}

export interface ClipResult {
  name: string;
  file: string;
  note: string;
  T: number;
  N: number;
  n: number;
  settings: SettingResult[];
  check: { ran: boolean; agree: boolean; tokens: number; what: string };
}

export interface CmcEvalResult {
  kind: 'dcgen-eval-cmc';
  version: 1;
  config: Omit<CmcEvalOptions, 'videoDir' | 'clips' | 'check'> & { sadBeatsPerJob: number; sadLatency: number; gemmFill: number };
  paper: typeof CMC_PAPER;
  definitions: Record<string, string>;
  clips: ClipResult[];
  /** with --rtl: whole segments through the cmc_top RTL (sim/eval/cmc_rtl.ts) */
  rtl?: CmcRtlResult;
}

function settingResult(setting: string, predictor: 'inter' | 'intra', window: string, G: number, batchFrames: number, mins: MinMap, T: number, N: number, n: number, o: CmcEvalOptions, jobsPerFrame: { jobs: number; candidates: number }, Gv?: number): SettingResult {
  const batches = segments(T, batchFrames);
  const byThreshold = o.taus.map((tau): ThresholdResult => {
    const thr = Math.round(tau * n);
    let informative = 0;
    let dense = 0;
    let cond = 0;
    let rec = 0;
    for (const b of batches) {
      let inf = 0;
      for (let e = b.start * N; e < (b.start + b.len) * N; e++) if (isInformative(mins.sadMin[e], thr)) inf++;
      informative += inf;
      dense += gemmCycles(b.len * N, o.gemm);
      cond += gemmCycles(inf, o.gemm);
      rec += b.len * N - inf;
    }
    return { tau, thr, informative, rows: T * N, fraction: r6(informative / (T * N)), denseCycles: dense, condensedCycles: cond, recoveryCycles: rec, ratio: r6((cond + rec) / dense), speedup: r6(dense / (cond + rec)) };
  });
  // SAD engine: predicted frames per batch (inter: g − 1 P frames; intra: every frame)
  const timing = sadTiming(o, n);
  const predFrames = (len: number) => (predictor === 'inter' ? len - 1 : len);
  const full = predFrames(batchFrames);
  let perClip = 0;
  let denseClip = 0;
  for (const b of batches) {
    perClip += sadCyclesFree(predFrames(b.len) * jobsPerFrame.jobs, timing);
    denseClip += gemmCycles(b.len * N, o.gemm);
  }
  const predictedPerFrame = predictor === 'inter' ? N : N - segments(N, Gv ?? 1).length;
  return {
    setting,
    predictor,
    window,
    G,
    ...(Gv !== undefined ? { Gv } : {}),
    batchFrames,
    byThreshold,
    sad: {
      candidatesPerToken: r6(jobsPerFrame.candidates / predictedPerFrame),
      jobsPerToken: r6(jobsPerFrame.jobs / predictedPerFrame),
      jobsPerSegment: full * jobsPerFrame.jobs,
      cyclesPerSegment: sadCyclesFree(full * jobsPerFrame.jobs, timing),
      cyclesPerClip: perClip,
      denseGemmCyclesPerClip: denseClip,
    },
  };
}

/** The golden models on the first segment (G = Gs[0]) of every window, and intra on its frames. */
function goldenCheck(c: ClipTokens, mins: Map<string, MinMap>, intra: MinMap, o: CmcEvalOptions, wins: readonly WindowSpec[]): ClipResult['check'] {
  const G = o.Gs[0];
  const seg = segments(c.T, G)[0];
  const X = c.frames.slice(seg.start, seg.start + seg.len).map((f) => Array.from({ length: c.N }, (_, i) => f.subarray(i * c.n, i * c.n + c.n)));
  const huge = Number.MAX_SAFE_INTEGER; // every P token non-informative: N-ITT lists every SADmin and j*
  let agree = true;
  let tokens = 0;
  for (const w of wins) {
    const m = mins.get(`${w.name}/G${G}`)!;
    const p = predictInter(X, { G, thr: huge, grid: { H: c.H, W: c.W }, window: w.window });
    const seen = new Set<number>();
    for (const e of p.nitt) {
      const idx = (seg.start + e.t) * c.N + e.i;
      seen.add(idx);
      if (m.sadMin[idx] !== e.sad || m.jStar[idx] !== e.j || e.tRef !== seg.ref - seg.start) agree = false;
      tokens++;
    }
    for (let e = seg.start * c.N; e < (seg.start + seg.len) * c.N; e++) if ((m.sadMin[e] >= 0) !== seen.has(e)) agree = false;
  }
  const pi = predictIntra(X, { Gv: o.Gv, thr: huge });
  for (const e of pi.nitt) {
    const idx = (seg.start + e.t) * c.N + e.i;
    if (intra.sadMin[idx] !== e.sad || intra.jStar[idx] !== e.j) agree = false;
    tokens++;
  }
  return { ran: true, agree, tokens, what: `first segment (G = ${G}, frames ${seg.start}..${seg.start + seg.len - 1}): sim/golden/cmc/prediction.ts predictInter (${wins.map((w) => w.name).join(', ')}) and predictIntra (G_v = ${o.Gv}), SADmin and j* of every predicted token` };
}

export function evalClip(name: string, file: string, note: string, o: CmcEvalOptions): ClipResult {
  const c = loadClipTokens(file, o.frames);
  const frames = c.frames.map((f) => Int32Array.from(f));
  const grid = { H: c.H, W: c.W };
  const wins = windowsOf(o.radii);
  const mins = interMinima(frames, c.N, c.n, grid, o.Gs, wins);
  const intra = intraMinima(frames, c.N, c.n, o.Gv);
  const settings: SettingResult[] = [];
  for (const w of wins) {
    const jobs = interJobsPerFrame(c.N, grid, w.window, o.sad.lanes);
    for (const G of o.Gs) settings.push(settingResult(`inter-${w.name}-G${G}`, 'inter', w.name, G, G, mins.get(`${w.name}/G${G}`)!, c.T, c.N, c.n, o, jobs));
  }
  const intraBatch = 4;
  settings.push(settingResult(`intra-Gv${o.Gv}`, 'intra', '-', intraBatch, intraBatch, intra, c.T, c.N, c.n, o, intraJobsPerFrame(c.N, o.Gv, o.sad.lanes), o.Gv));
  const check = o.check === false ? { ran: false, agree: false, tokens: 0, what: 'not run' } : goldenCheck(c, mins, intra, o, wins);
  return { name, file, note, T: c.T, N: c.N, n: c.n, settings, check };
}

export function checkCmcOptions(o: CmcEvalOptions): void {
  if (!Number.isInteger(o.frames) || o.frames < 2 || o.frames > 32) throw new EvalInputError(`--frames ${o.frames}: expected 2..32 (the clips have 32 frames)`);
  if (o.sad.m % o.sad.elemsPerBeat !== 0) throw new EvalInputError(`SAD engine: elemsPerBeat ${o.sad.elemsPerBeat} must divide m = ${o.sad.m}`);
}

export function runCmcEval(o: CmcEvalOptions): CmcEvalResult {
  checkCmcOptions(o);
  const want = o.clips ?? CLIPS.map((c) => c.name);
  const clips = want.map((name) => {
    const clip = CLIPS.find((c) => c.name === name);
    if (!clip) throw new EvalInputError(`unknown clip '${name}' (expected ${CLIPS.map((c) => c.name).join(', ')})`);
    return evalClip(name, clipPath(o.videoDir, clip), clip.note, o);
  });
  const { videoDir: _v, clips: _c, check: _k, ...cfg } = o;
  const n = clips[0]?.n ?? 768;
  return {
    kind: 'dcgen-eval-cmc',
    version: 1,
    config: { ...cfg, sadBeatsPerJob: sadBeatsPerJob(sadTiming(o, n)), sadLatency: sadLatency(o.sad), gemmFill: o.gemm.arrayRows + o.gemm.arrayCols },
    paper: CMC_PAPER,
    definitions: CMC_DEFINITIONS,
    clips,
  };
}

// ---- tables ----

export function cmcTables(r: CmcEvalResult): string[] {
  const c = r.config;
  const out: string[] = [];
  const tauHead = c.taus.map((t) => `τ=${t}`);
  out.push(`CMC informative tokens (%) over ${c.frames} frames x 196 tokens; Thr = round(τ·768) (τ per element); informative iff SADmin ≥ Thr`);
  out.push('');
  const t1 = [['clip', 'setting', ...tauHead]];
  for (const cl of r.clips) for (const s of cl.settings) t1.push([cl.name, s.setting, ...s.byThreshold.map((b) => pct(b.fraction, 1))]);
  out.push(...table(t1, 2), `paper (re-implementations, G = ${r.paper.G}): about ${r.paper.skippedPct} % of tokens skipped (about ${r.paper.informativePct} % informative) on video-language workloads`, '');
  out.push(
    `Condensed GEMM (${c.gemm.K} -> ${c.gemm.Nout}, ${c.gemm.arrayRows}x${c.gemm.arrayCols} MAC array) + recovery, as % of the dense GEMM cycles on the same array`,
  );
  out.push('');
  const hi = c.taus.includes(4) ? c.taus.indexOf(4) : c.taus.length - 1;
  const t2 = [['clip', 'setting', ...tauHead, `speedup τ=${c.taus[hi]}`]];
  for (const cl of r.clips) {
    for (const s of cl.settings) {
      t2.push([cl.name, s.setting, ...s.byThreshold.map((b) => pct(b.ratio, 1)), times(s.byThreshold[hi].speedup)]);
    }
  }
  out.push(...table(t2, 2), '');
  out.push(
    `SAD engine (m = ${c.sad.m}, P = ${c.sad.lanes}, ${c.sad.elemsPerBeat} elements/beat, treeStages = ${c.sad.treeStages}): ${c.sadBeatsPerJob} beats per job; cycles = jobs x ${c.sadBeatsPerJob} + ${c.sadLatency}`,
  );
  out.push('');
  const t3 = [['setting', 'cands/token', 'jobs/token', 'jobs/segment', 'cycles/segment', 'cycles/clip', 'dense GEMM/clip', 'SAD/GEMM']];
  const first = r.clips[0];
  if (first) {
    for (const s of first.settings) {
      t3.push([s.setting, s.sad.candidatesPerToken.toFixed(2), s.sad.jobsPerToken.toFixed(2), String(s.sad.jobsPerSegment), String(s.sad.cyclesPerSegment), String(s.sad.cyclesPerClip), String(s.sad.denseGemmCyclesPerClip), times(s.sad.cyclesPerClip / s.sad.denseGemmCyclesPerClip)]);
    }
  }
  out.push(...table(t3, 1), '');
  for (const cl of r.clips) out.push(`golden check (${cl.name}): ${cl.check.ran ? (cl.check.agree ? 'yes' : 'NO') : 'not run'} — ${cl.check.tokens} tokens; ${cl.check.what}`);
  return out;
}
