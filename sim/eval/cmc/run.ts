// `dcgen eval cmc`: CMC's informative-token fractions on the real clips, the SAD-engine cycles
// of the prediction and the condensed-GEMM cycles against the dense GEMM (SPEC §2, §3, §4).
// Definitions and results: docs/eval.md. The search is search.ts's, the job counts and the GEMM
// model sim/cycles/cmc/cost.ts's; this file runs them per clip, setting and threshold.
//
// INPUT: each clip's first T frames (224×224 yuv444p), 196 tokens per frame of 768 unsigned
// bytes (sim/video/y4m.ts: 16×16 patches, planar Y/Cb/Cr), element = pixel (E = 8, unsigned).
// SAD ENGINE (sim/cycles/cmc/sad.ts, block defaults of generator/blocks/cmc/sad.ts: m = 256,
//   P = 4 candidate lanes, e = 16 elements per beat, treeStages = 2): a job takes
//   B = ceil(n/e) = 48 beats; free running, J jobs take J·B − 1 + (treeStages + 1) + 1 cycles.
//   One continuous job stream per segment (per 4-frame batch for intra).
// GEMM on a 32 × 32 array, 768 → 768: dense, every row of the batch (a segment of G frames;
//   4 frames for intra); condensed, the informative rows of the batch (in ITT order), plus
//   recovery at one N-ITT entry per cycle (SPEC §2.4). ratio = (condensed + recovery) / dense.
import { gemmArrayCycles, interJobsPerFrame, intraJobsPerFrame } from '../../cycles/cmc/cost.ts';
import { sadBeatsPerJob, sadLatency } from '../../../generator/spec/cmc/sad.ts';
import { sadCyclesFree } from '../../cycles/cmc/sad.ts';
import { predictInter, predictIntra, segments } from '../../golden/cmc/prediction.ts';
import { CLIPS, type ClipTokens, EvalInputError, clipPath, loadClipTokens, r6 } from '../common.ts';
import { type CmcEvalOptions, checkCmcOptions } from './options.ts';
import type { CmcRtlResult } from './rtl.ts';
import { type MinMap, type WindowSpec, interMinima, intraMinima, isInformative, windowsOf } from './search.ts';

export const CMC_PAPER = {
  skippedPct: 46,
  informativePct: 54,
  G: 8,
  source: 'CMC (ASPLOS 2024) re-implementations, SPEC §4: about 46 % of tokens skipped with segments of 8 frames on video-language workloads',
} as const;

export const CMC_DEFINITIONS: Record<string, string> = {
  tokens: '16×16×3 patches of a 224×224 yuv444p frame, 196 per frame, 768 unsigned bytes (planar Y, Cb, Cr)',
  threshold: 'Thr = round(τ · 768) (τ = mean absolute difference per element); informative iff SADmin ≥ Thr (inter) / SAD ≥ Thr (intra)',
  fraction: 'informative tokens / all T·196 tokens; I-frame tokens and intra reference rows are informative',
  inter: 'segments of G frames, I frame floor((g−1)/2); full search over 196 I tokens or Chebyshev radius R on the 14×14 grid; ties to the lowest j',
  intra: 'G_v = 4 rows per segment within a frame, reference row floor((g−1)/2), each other row compared with it alone',
  sadCycles: 'SAD engine m = 256, P = 4 lanes, e = 16 elements/beat, treeStages = 2: a job (1 reference × P candidates) = ceil(768/16) = 48 beats; J jobs = 48·J + treeStages + 1 cycles; inter ceil(candidates/P) jobs per P token; intra ceil((G_v − 1)/P) jobs per row segment',
  gemm: 'array Ra × Ca = 32 × 32 MACs; cycles(rows) = ceil(rows/Ra)·ceil(Nout/Ca)·K + Ra + Ca for a 768 → 768 projection; dense = all rows of a batch (a segment; 4 frames for intra), condensed = informative rows + recovery (1 cycle per non-informative row)',
};

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
  /** with --rtl: whole segments through the cmc_top RTL (rtl.ts) */
  rtl?: CmcRtlResult;
}

/** The SAD engine's timing (sim/cycles/cmc/sad.ts) for tokens of n elements. */
function sadTiming(o: CmcEvalOptions, n: number) {
  return { n, elemsPerBeat: o.sad.elemsPerBeat, treeStages: o.sad.treeStages };
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
      dense += gemmArrayCycles(b.len * N, o.gemm);
      cond += gemmArrayCycles(inf, o.gemm);
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
    denseClip += gemmArrayCycles(b.len * N, o.gemm);
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
