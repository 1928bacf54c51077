// `dcgen eval cmc --rtl`: every whole segment of the real clips through the CMC engine RTL
// (design `cmc`, cmc_top) in Verilator. Each clip's first `frames` frames (all 196 tokens of 768
// bytes) in consecutive segments of 4 frames, one run per clip: a weight load, then the
// segments back to back, inter prediction with search radius 1 at Thr = round(τ·768), a 768 →
// 768 projection on 16 PE columns × 16 MACs, the default CODEC (m = 256, e = 16, P = 4), free
// running. The run must be bit-exact against the golden model (sim/golden/cmc/top.ts: tables
// and recovered rows) and cycle-exact against the cycle model (sim/cycles/cmc/top.ts), whose
// stage times are reported per segment. The engine's stages overlap (segment s + 1 loads and
// predicts while s computes, s − 1 reads out), so the total is set against the back end's
// cycles (GEMM + recovery), and next to a dense GEMM on the same columns (every row computed).
import { runCase } from '../../cases/case.ts';
import { topCase, topConfig } from '../../cases/cmc/top.ts';
import { cmcTopCycles } from '../../cycles/cmc/top.ts';
import type { CmcCommand } from '../../golden/cmc/top.ts';
import { Rng } from '../../stimulus/rng.ts';
import { CLIPS, clipPath, loadClipTokens } from '../common.ts';

/** Frames per segment (the engine's maxFrames). */
export const CMC_RTL_FRAMES = 4;

export const CMC_RTL_PARAMS = { gridH: 14, gridW: 14, window: 'radius', radius: 1, n: 768, elemsPerBeat: 16, m: 256, lanes: 4, nOut: 768, cols: 16, sadStages: 2, gemmStages: 2, maxFrames: CMC_RTL_FRAMES } as const;

export interface CmcRtlSegment {
  /** the segment's first frame */
  frame: number;
  informativeRows: number;
  rows: number;
  /** cycles per phase (from the cycle model, exact against the RTL); the phases of consecutive segments overlap */
  phases: { load: number; predict: number; gemm: number; recover: number; readOut: number };
  /** the same rows through the same 16 columns, every row computed */
  denseGemmCycles: number;
}

export interface CmcRtlClip {
  clip: string;
  bitExact: boolean;
  /** the first mismatch, when not bit-exact */
  message?: string;
  cycleModelExact: boolean;
  rtlCycles: number;
  modelCycles: number;
  /** the weight load before the first segment (one beat per cycle) */
  weightCycles: number;
  segments: CmcRtlSegment[];
  /** Σ (GEMM + recover) over the segments: what the engine cannot hide */
  backEndCycles: number;
  /** rtlCycles / backEndCycles: everything, the weight load, the first load and prediction and the last read-out included */
  totalVsBackEnd: number;
  /** steady state: from the first GEMM to the last recovery's end, over backEndCycles (1 = the back end never waits) */
  steadyVsBackEnd: number;
}

export interface CmcRtlResult {
  config: typeof CMC_RTL_PARAMS & { tau: number; frames: number; requant: { M: number; S: number; zpOut: number }; weights: string };
  clips: CmcRtlClip[];
}

export async function runCmcRtl(o: { videoDir: string; tau: number; frames: number }): Promise<CmcRtlResult> {
  const cfg = topConfig(CMC_RTL_PARAMS);
  const rq = { M: 1 << 12, S: 24, zpOut: 0 };
  const segCount = Math.max(1, Math.floor(o.frames / CMC_RTL_FRAMES));
  const frames = segCount * CMC_RTL_FRAMES;
  const clips: CmcRtlClip[] = [];
  for (const clip of CLIPS) {
    const tok = loadClipTokens(clipPath(o.videoDir, clip), frames);
    const X = tok.frames.map((f) => Array.from({ length: tok.N }, (_, i) => Array.from(f.subarray(i * tok.n, i * tok.n + tok.n))));
    const rng = new Rng(1);
    const W = Array.from({ length: cfg.n }, () => Array.from({ length: cfg.nOut }, () => rng.int(-128, 127)));
    const cmds: CmcCommand[] = [{ kind: 'weights', W }];
    for (let s = 0; s < segCount; s++) cmds.push({ kind: 'segment', X: X.slice(s * CMC_RTL_FRAMES, (s + 1) * CMC_RTL_FRAMES), mode: 'inter', gv: 1, thr: Math.round(o.tau * cfg.n), rq });
    const c = topCase(`eval-${clip.name}`, CMC_RTL_PARAMS, () => cmds, { seeds: 1, stalls: { inIdle: 0, outStall: 0 } });
    const report = await runCase(c, { seeds: [1] });
    const model = cmcTopCycles(cmds, cfg); // runCase checked it against the RTL; here for the stage times
    const rtlCycles = report.seeds[0]?.cycles ?? -1;
    const rows = CMC_RTL_FRAMES * cfg.gridH * cfg.gridW;
    const segments = model.segments.map((s, k) => ({
      frame: k * CMC_RTL_FRAMES,
      informativeRows: s.itt,
      rows,
      phases: { load: s.predict - s.load, predict: s.predictEnd - s.predict, gemm: s.recover - s.gemm, recover: s.recoverEnd - s.recover, readOut: s.idle - s.out },
      denseGemmCycles: rows * (cfg.nOut / cfg.cols) * (cfg.n / cfg.elemsPerBeat),
    }));
    const backEndCycles = segments.reduce((a, s) => a + s.phases.gemm + s.phases.recover, 0);
    const first = model.segments[0];
    const last = model.segments[model.segments.length - 1];
    clips.push({
      clip: clip.name,
      bitExact: report.ok,
      ...(report.ok ? {} : { message: report.message }),
      cycleModelExact: rtlCycles === model.cycles,
      rtlCycles,
      modelCycles: model.cycles,
      weightCycles: first.load,
      segments,
      backEndCycles,
      totalVsBackEnd: rtlCycles / backEndCycles,
      steadyVsBackEnd: (last.recoverEnd - first.gemm) / backEndCycles,
    });
  }
  return { config: { ...CMC_RTL_PARAMS, tau: o.tau, frames, requant: rq, weights: 'uniform int8, Rng(1)' }, clips };
}
