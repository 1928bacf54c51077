// `dcgen eval ditto --rtl`: real clip tokens through the Ditto engine RTL (design `ditto`,
// ditto_top) in Verilator. For each clip, the first `--frames` frames as steps (all 196 tokens
// of 768 values, pixel − 128), both layers of `dcgen eval ditto` (L0 768 → 64 with its
// GELU table, L1 64 → 64 identity, the same seeded weights and requantisers), step 1 original
// and every later step on differences, at the engine's default parameters (the x and Y buffers
// sized to the workload). One simulation per clip: every output must equal the golden model
// (bit-exact) in the cycle the cycle model predicts (cycle-exact). The host packs each layer's
// column tiles by K into as few weight loads as fit in a bank (pack 'fit': L0 one tile per load,
// L1 all eight in one), so the next step's first L0 load overlaps the whole of L1.
//
// Measured per (step, layer): the cycles from the previous (step, layer)'s last output to this
// one's last output (the first one from cycle 0: table loads and the first weight load), so
// the spans add up to the run. Next to them, per (step, layer), with R rows, L lanes, C columns
// and N/C column tiles that each stream every token once:
//   bound = N/C · max over rows r of Σ_{token m on row r} max(words_m, ceil(K/L))   (SPEC §1.4)
//   dense = N/C · ceil(M/R) · ceil(K/2)                                           (A8W8, same rows)
import { vectorStats, expectedWordCount, type Mode } from '../../golden/ditto/encoder.ts';
import { tileCycles, vectorCyclesOf } from '../../cycles/ditto/cost.ts';
import type { Matrix } from '../../golden/ditto/compute.ts';
import { runCase } from '../../cases/case.ts';
import { type TopActivation, type TopWorkload, resolveTopParams, tilesPerLoad, topCaseCycles, topStream, topWorkloadFrom } from '../../cases/ditto/top.ts';
import type { CosimCase } from '../../cases/case.ts';
import { CLIPS, clipPath, r6 } from '../common.ts';
import { clipSteps, seededWeights, subSeed } from './data.ts';
import { ACT_SCALE, runLayer } from './layer.ts';
import type { DittoEvalOptions } from './options.ts';

export interface DittoRtlLayer {
  layer: string;
  K: number;
  N: number;
  /** per step (1..T): the measured span, the bound and the dense cycles */
  perStep: { step: number; mode: Mode; rtl: number; bound: number; dense: number }[];
  /** Σ over the difference steps 2..T */
  diff: { rtl: number; bound: number; dense: number; rtlVsBound: number; speedupVsDense: number; boundSpeedupVsDense: number };
}

export interface DittoRtlClip {
  clip: string;
  bitExact: boolean;
  message?: string;
  /** every acceptance and output cycle equals the cycle model's (checked once the values match) */
  cycleModelExact: boolean;
  rtlCycles: number;
  layers: DittoRtlLayer[];
}

export interface DittoRtlResult {
  /** tilesPerLoad: column tiles per weight load of L0 and L1 (the host packs a layer's tiles by K) */
  config: { params: Record<string, number | string>; steps: number; tokens: number; outputs: number; tilesPerLoad: number[] };
  clips: DittoRtlClip[];
}

const ACTS: TopActivation[] = [
  { kind: 'gelu', scale: ACT_SCALE },
  { kind: 'identity', scale: ACT_SCALE },
];

function rowsOf(x: Int8Array, M: number, K: number): Matrix {
  return Array.from({ length: M }, (_, m) => Array.from(x.subarray(m * K, m * K + K)));
}

/** Per token, SPEC §1.4's max(words, ceil(K/L)) of step i (differences against step i − 1 in difference mode). */
function vectorCosts(w: TopWorkload, l: number, i: number): number[] {
  const x = w.inputs[l][i];
  const xp = i > 0 ? w.inputs[l][i - 1] : undefined;
  const mode = w.results[l][i].mode;
  return x.map((row, m) => {
    const st = vectorStats(row, mode === 'diff' ? xp![m] : undefined, mode);
    return vectorCyclesOf(expectedWordCount(st.nlow, st.nfull), row.length, w.params.lanes);
  });
}

export async function runDittoRtl(o: Pick<DittoEvalOptions, 'videoDir' | 'seed' | 'outputs' | 'frames'>): Promise<DittoRtlResult> {
  const N = o.outputs;
  const T = o.frames;
  const clips: DittoRtlClip[] = [];
  let params: Record<string, number | string> = {};
  let packing: number[] = [];
  let tokens = 0;
  for (const clip of CLIPS) {
    const data = clipSteps(clipPath(o.videoDir, clip), clip.name, T);
    const M = data.M;
    const K = data.K;
    tokens = M;
    // the engine at its defaults; the x and Y buffers hold the workload
    const base = resolveTopParams({});
    const G = Math.ceil(M / base.rows);
    const xEntries = (N / base.cols) * G * (Math.ceil(K / base.lanes) + Math.ceil(N / base.lanes));
    const entries = 2 * N * M;
    const overrides = { xEntries, entries, kMax: Math.max(base.kMax, K) };
    const p = resolveTopParams(overrides);
    params = overrides;
    // the layers of `dcgen eval ditto` (layer.ts): seeded weights, requantiser from step 1
    const W0 = seededWeights(K, N, subSeed(o.seed, 10));
    const W1 = seededWeights(N, N, subSeed(o.seed, 11));
    const opts = { frames: T, seed: o.seed, lanes: p.lanes, rows: p.rows, outputs: N, stages: p.stages, checkSteps: 1, checkTokens: 1, videoDir: o.videoDir };
    const l0 = runLayer('L0', data.steps, M, K, N, W0, 'gelu', opts);
    const l1 = runLayer('L1', l0.outputs, M, N, N, W1, 'identity', opts);
    const runs = [l0, l1];
    const schedule: Mode[] = Array.from({ length: T }, (_, i) => (i === 0 ? 'orig' : 'diff'));
    const w = topWorkloadFrom(
      p,
      { tokens: M, dims: [K, N, N], steps: T, schedule: 'fixed', acts: ACTS, pack: 'fit' },
      data.steps.map((x) => rowsOf(x, M, K)),
      (l) => ({ layer: { W: rowsOf(runs[l].W, l === 0 ? K : N, N), rq: runs[l].rq, tsel: l, table: runs[l].tab }, schedule }),
    );
    packing = w.layers.map((ly) => tilesPerLoad(w.opts.pack, ly.W.length, p.kMax, ly.W[0].length / p.cols));
    const { beats, weights, expected } = topStream(w);
    const c: CosimCase = {
      name: `ditto.eval-${clip.name}`,
      design: 'ditto',
      params: overrides,
      stimulus: () => ({ streams: { in: beats, w: weights } }),
      golden: () => ({ streams: { out: expected } }),
      cycles: topCaseCycles(p),
      stalls: { inIdle: 0, outStall: 0 },
    };
    const report = await runCase(c, { seeds: [1] });
    const sr = report.seeds[0];
    const outCycles = sr?.transactions.out?.map((t) => t.cycle) ?? [];
    let o0 = 0;
    let prevLast = 0;
    const layers: DittoRtlLayer[] = w.layers.map((ly, l) => ({ layer: `L${l}`, K: ly.W.length, N: ly.W[0].length, perStep: [], diff: { rtl: 0, bound: 0, dense: 0, rtlVsBound: 0, speedupVsDense: 0, boundSpeedupVsDense: 0 } }));
    for (let i = 0; i < T; i++) {
      w.layers.forEach((ly, l) => {
        const tiles = ly.W[0].length / p.cols;
        // per column tile, without the pipeline latency: the tiles overlap in the engine
        const bound = tiles * tileCycles(vectorCosts(w, l, i), p.rows, 0);
        const dense = tiles * tileCycles(new Array<number>(M).fill(Math.ceil(ly.W.length / 2)), p.rows, 0);
        o0 += tiles * M;
        const last = outCycles[o0 - 1] ?? Number.NaN;
        layers[l].perStep.push({ step: i + 1, mode: w.results[l][i].mode, rtl: last - prevLast, bound, dense });
        prevLast = last;
      });
    }
    for (const ly of layers) {
      const d = ly.perStep.filter((s) => s.step > 1);
      const rtl = d.reduce((a, s) => a + s.rtl, 0);
      const bound = d.reduce((a, s) => a + s.bound, 0);
      const dense = d.reduce((a, s) => a + s.dense, 0);
      ly.diff = { rtl, bound, dense, rtlVsBound: r6(rtl / bound), speedupVsDense: r6(dense / rtl), boundSpeedupVsDense: r6(dense / bound) };
    }
    clips.push({
      clip: clip.name,
      // runCase checks the values, then (only if they match) every cycle against the case's cycle model
      bitExact: sr !== undefined && sr.mismatch === undefined && sr.stall === undefined,
      ...(report.ok ? {} : { message: report.message }),
      cycleModelExact: report.ok,
      rtlCycles: sr?.cycles ?? -1,
      layers,
    });
  }
  return { config: { params, steps: T, tokens, outputs: N, tilesPerLoad: packing }, clips };
}
