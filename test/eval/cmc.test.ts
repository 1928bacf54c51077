// sim/eval/cmc/: a tiny prediction worked out by hand, the fast SAD search against the golden
// prediction model, the SAD-engine and GEMM cycle formulas, and determinism.
import { describe, expect, it } from 'vitest';
import { predictInter, predictIntra } from '../../sim/golden/cmc/prediction.ts';
import { sad } from '../../sim/golden/cmc/sad.ts';
import { Rng } from '../../sim/stimulus/rng.ts';
import {
  type CmcEvalOptions,
  cmcDefaults,
  gemmArrayCycles,
  interJobsPerFrame,
  interMinima,
  intraJobsPerFrame,
  intraMinima,
  isInformative,
  runCmcEval,
  sadMatrix,
  windowsOf,
} from '../../sim/eval/cmc/index.ts';
import { sadCyclesFree } from '../../sim/cycles/cmc/sad.ts';

function randomFrames(T: number, N: number, n: number, seed: number): Int32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: T }, () => Int32Array.from({ length: N * n }, () => rng.int(0, 255)));
}

describe('hand-computed prediction', () => {
  // 4 frames of a 2×2 grid, tokens of 2 elements; G = 4 → I frame 1.
  const I = [
    [10, 10],
    [20, 20],
    [30, 30],
    [40, 40],
  ];
  const f0 = [
    [10, 10], // = I token 0: SAD 0
    [20, 22], // I token 1: SAD 2
    [35, 30], // I token 2: SAD 5
    [0, 0], // nearest I token 0: SAD 20
  ];
  const f2 = [
    [20, 20], // = I token 1 (SAD 0), full search; within R = 0 only itself (SAD 20)
    [20, 20],
    [30, 30],
    [40, 44], // SAD 4 to token 3
  ];
  const f3 = I;
  const frames = [f0, I, f2, f3].map((f) => Int32Array.from(f.flat()));
  const wins = windowsOf([0]);
  const mins = interMinima(frames, 4, 2, { H: 2, W: 2 }, [4], wins);

  it('SADmin and j* per token', () => {
    const full = mins.get('full/G4')!;
    expect(Array.from(full.sadMin)).toEqual([0, 2, 5, 20, -1, -1, -1, -1, 0, 0, 0, 4, 0, 0, 0, 0]);
    expect(Array.from(full.jStar)).toEqual([0, 1, 2, 0, -1, -1, -1, -1, 1, 1, 2, 3, 0, 1, 2, 3]);
    const r0 = mins.get('R0/G4')!;
    expect(r0.sadMin[8]).toBe(20); // token 0 of frame 2 against I token 0 only
  });

  it('informative fraction at a threshold', () => {
    const full = mins.get('full/G4')!;
    const frac = (thr: number) => Array.from(full.sadMin).filter((s) => isInformative(s, thr)).length / 16;
    expect(frac(0)).toBe(1); // SADmin ≥ 0 always
    expect(frac(1)).toBe((4 + 3 + 1) / 16); // I frame + f0 tokens 1..3 + f2 token 3
    expect(frac(5)).toBe((4 + 2) / 16); // SAD 5 and 20
    expect(frac(21)).toBe(4 / 16);
  });

  it('agrees with the golden predictInter', () => {
    const X = [f0, I, f2, f3];
    const p = predictInter(X, { G: 4, thr: 5, grid: { H: 2, W: 2 } });
    const full = mins.get('full/G4')!;
    p.informative.forEach((row, t) => row.forEach((inf, i) => expect(inf).toBe(isInformative(full.sadMin[t * 4 + i], 5))));
    for (const e of p.nitt) expect(full.jStar[e.t * 4 + e.i]).toBe(e.j);
  });
});

describe('fast search = golden model on random data', () => {
  it('sadMatrix equals sad() (N not a multiple of 4)', () => {
    const [A, B] = randomFrames(2, 7, 13, 5);
    const D = sadMatrix(A, B, 7, 13);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect(D[i * 7 + j]).toBe(sad(A.subarray(i * 13, i * 13 + 13), B.subarray(j * 13, j * 13 + 13)));
  });

  it('inter (full, R1, R2, G 3 and 4, with ties) and intra minima', () => {
    const T = 7;
    const N = 12; // 3×4 grid
    const n = 5;
    const rng = new Rng(11);
    // few distinct values, so equal SADs (ties) are common
    const frames = Array.from({ length: T }, () => Int32Array.from({ length: N * n }, () => rng.int(0, 3)));
    const grid = { H: 3, W: 4 };
    const wins = windowsOf([1, 2]);
    const mins = interMinima(frames, N, n, grid, [3, 4], wins);
    const X = frames.map((f) => Array.from({ length: N }, (_, i) => Array.from(f.subarray(i * n, i * n + n))));
    for (const G of [3, 4]) {
      for (const w of wins) {
        const m = mins.get(`${w.name}/G${G}`)!;
        const p = predictInter(X, { G, thr: Number.MAX_SAFE_INTEGER, grid, window: w.window });
        const predicted = new Set(p.nitt.map((e) => e.t * N + e.i));
        for (const e of p.nitt) {
          expect(m.sadMin[e.t * N + e.i]).toBe(e.sad);
          expect(m.jStar[e.t * N + e.i]).toBe(e.j);
        }
        for (let e = 0; e < T * N; e++) expect(m.sadMin[e] >= 0).toBe(predicted.has(e));
      }
    }
    const intra = intraMinima(frames, N, n, 4);
    const pi = predictIntra(X, { Gv: 4, thr: Number.MAX_SAFE_INTEGER });
    expect(pi.nitt).toHaveLength(T * 9);
    for (const e of pi.nitt) {
      expect(intra.sadMin[e.t * N + e.i]).toBe(e.sad);
      expect(intra.jStar[e.t * N + e.i]).toBe(e.j);
    }
  });
});

describe('cycle formulas', () => {
  const o = cmcDefaults(true);

  it('SAD jobs: ceil(candidates / P) per predicted token', () => {
    const grid = { H: 14, W: 14 };
    expect(interJobsPerFrame(196, grid, { kind: 'full' }, 4)).toEqual({ jobs: 196 * 49, candidates: 196 * 196 });
    // R = 1: 4 corners (4 candidates, 1 job), 48 edge tokens (6, 2 jobs), 144 inner tokens (9, 3 jobs)
    expect(interJobsPerFrame(196, grid, { kind: 'radius', R: 1 }, 4)).toEqual({ jobs: 4 + 96 + 432, candidates: 16 + 288 + 1296 });
    // G_v = 4: 49 row segments of 3 candidates, one job each
    expect(intraJobsPerFrame(196, 4, 4)).toEqual({ jobs: 49, candidates: 147 });
  });

  it('SAD engine: 48 beats per job at the block defaults, latency treeStages + 1', () => {
    expect(o.sad).toEqual({ m: 256, lanes: 4, elemsPerBeat: 16, treeStages: 2 });
    expect(sadCyclesFree(1, { n: 768, elemsPerBeat: 16, treeStages: 2 })).toBe(48 + 3);
    expect(sadCyclesFree(28812, { n: 768, elemsPerBeat: 16, treeStages: 2 })).toBe(28812 * 48 + 3);
  });

  it('GEMM array: ceil(rows/32)·ceil(768/32)·768 + 64', () => {
    expect(gemmArrayCycles(0, o.gemm)).toBe(0);
    expect(gemmArrayCycles(1, o.gemm)).toBe(24 * 768 + 64);
    expect(gemmArrayCycles(32, o.gemm)).toBe(24 * 768 + 64);
    expect(gemmArrayCycles(33, o.gemm)).toBe(2 * 24 * 768 + 64);
    expect(gemmArrayCycles(784, o.gemm)).toBe(25 * 24 * 768 + 64);
  });
});

describe('a short run on a real clip', () => {
  const o: CmcEvalOptions = { ...cmcDefaults(true), frames: 3, Gs: [2], clips: ['vtest'] };
  it('is deterministic and self-consistent', () => {
    const a = runCmcEval(o);
    expect(JSON.stringify(runCmcEval(o))).toBe(JSON.stringify(a));
    const cl = a.clips[0];
    expect(cl.check).toMatchObject({ ran: true, agree: true });
    expect(cl).toMatchObject({ T: 3, N: 196, n: 768 });
    for (const s of cl.settings) {
      // τ = 0: every token informative, condensed = dense, no recovery
      expect(s.byThreshold[0]).toMatchObject({ fraction: 1, recoveryCycles: 0, ratio: 1 });
      // fractions never grow with the threshold
      for (let k = 1; k < s.byThreshold.length; k++) expect(s.byThreshold[k].fraction).toBeLessThanOrEqual(s.byThreshold[k - 1].fraction);
      for (const b of s.byThreshold) expect(b.recoveryCycles).toBe(b.rows - b.informative);
    }
  });
});
