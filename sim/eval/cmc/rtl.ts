// `dcgen eval cmc --rtl`: whole real segments through the CMC engine RTL (design `cmc`,
// cmc_top) in Verilator. The first 4 frames of each clip (all 196 tokens of 768 bytes), inter
// prediction with search radius 1 at Thr = round(τ·768), a 768 → 768 projection on 16 PE
// columns × 16 MACs, the default CODEC (m = 256, e = 16, P = 4), free running. Each segment
// must be bit-exact against the golden model (sim/golden/cmc/top.ts: tables and recovered
// rows) and cycle-exact against the cycle model (sim/cycles/cmc/top.ts), whose phase split is
// reported next to a dense GEMM on the same columns (every row computed).
import { runCase } from '../../cases/case.ts';
import { topCase, topConfig } from '../../cases/cmc/top.ts';
import { cmcTopCycles } from '../../cycles/cmc/top.ts';
import type { CmcCommand } from '../../golden/cmc/top.ts';
import { Rng } from '../../stimulus/rng.ts';
import { CLIPS, clipPath, loadClipTokens } from '../common.ts';

export const CMC_RTL_FRAMES = 4;

export const CMC_RTL_PARAMS = { gridH: 14, gridW: 14, window: 'radius', radius: 1, n: 768, elemsPerBeat: 16, m: 256, lanes: 4, nOut: 768, cols: 16, sadStages: 2, gemmStages: 2, maxFrames: CMC_RTL_FRAMES } as const;

export interface CmcRtlSegment {
  clip: string;
  bitExact: boolean;
  /** the first mismatch, when not bit-exact */
  message?: string;
  cycleModelExact: boolean;
  informativeRows: number;
  rows: number;
  /** cycles per phase (from the cycle model, whose total equals the RTL's) */
  phases: { load: number; predict: number; gemm: number; recover: number; readOut: number };
  rtlCycles: number;
  modelCycles: number;
  /** the same rows through the same 16 columns, every row computed */
  denseGemmCycles: number;
}

export interface CmcRtlResult {
  config: typeof CMC_RTL_PARAMS & { tau: number; requant: { M: number; S: number; zpOut: number }; weights: string };
  segments: CmcRtlSegment[];
}

export async function runCmcRtl(o: { videoDir: string; tau: number }): Promise<CmcRtlResult> {
  const cfg = topConfig(CMC_RTL_PARAMS);
  const rq = { M: 1 << 12, S: 24, zpOut: 0 };
  const segs: CmcRtlSegment[] = [];
  for (const clip of CLIPS) {
    const tok = loadClipTokens(clipPath(o.videoDir, clip), CMC_RTL_FRAMES);
    const X = tok.frames.map((f) => Array.from({ length: tok.N }, (_, i) => Array.from(f.subarray(i * tok.n, i * tok.n + tok.n))));
    const rng = new Rng(1);
    const W = Array.from({ length: cfg.n }, () => Array.from({ length: cfg.nOut }, () => rng.int(-128, 127)));
    const cmds: CmcCommand[] = [
      { kind: 'weights', W },
      { kind: 'segment', X, mode: 'inter', gv: 1, thr: Math.round(o.tau * cfg.n), rq },
    ];
    const c = topCase(`eval-${clip.name}`, CMC_RTL_PARAMS, () => cmds, { seeds: 1, stalls: { inIdle: 0, outStall: 0 } });
    const report = await runCase(c, { seeds: [1] });
    const model = cmcTopCycles(cmds, cfg); // runCase checked it against the RTL; here for the phases
    const s = model.segments[0];
    const rtlCycles = report.seeds[0]?.cycles ?? -1;
    const rows = X.length * cfg.gridH * cfg.gridW;
    segs.push({
      clip: clip.name,
      bitExact: report.ok,
      ...(report.ok ? {} : { message: report.message }),
      cycleModelExact: rtlCycles === model.cycles,
      informativeRows: s.itt,
      rows,
      phases: { load: s.predict - s.load, predict: s.gemm - s.predict, gemm: s.recover - s.gemm, recover: s.out - s.recover, readOut: s.idle - s.out },
      rtlCycles,
      modelCycles: model.cycles,
      denseGemmCycles: rows * (cfg.nOut / cfg.cols) * (cfg.n / cfg.elemsPerBeat),
    });
  }
  return { config: { ...CMC_RTL_PARAMS, tau: o.tau, requant: rq, weights: 'uniform int8, Rng(1)' }, segments: segs };
}
