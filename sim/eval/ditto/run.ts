// `dcgen eval ditto`: Ditto's temporal-difference statistics and compute-unit cycles on
// temporally similar data (SPEC §1, §3, §4). Definitions and results: docs/eval.md. The datasets
// are data.ts's, the layers layer.ts's, the per-tile statistics stats.ts's and the cost formulas
// sim/cycles/ditto/cost.ts's; this file runs them per dataset and checks the fast path:
//   exactness: steps 1..checkSteps of both layers through the golden layer model (top.ts
//   runLinearLayer: encoder → PEs → VPU, step 1 original, then differences) on checkTokens
//   tokens, compared with the dense integer result; and the fast statistics of layer.ts
//   compared with the golden encoder's word counts and the golden outputs on the same tokens.
import { computeLatency } from '../../../generator/spec/ditto/compute.ts';
import type { Matrix } from '../../golden/ditto/compute.ts';
import type { Mode } from '../../golden/ditto/encoder.ts';
import { runLinearLayer, totalCost } from '../../golden/ditto/top.ts';
import { DITTO_DATASETS, SYNTH, type StepData, WEIGHT_SIGMA, loadDataset, seededWeights, subSeed } from './data.ts';
import { ACT_SCALE, type LayerEval, type LayerRun, TARGET_RMS, runLayer } from './layer.ts';
import { type DittoEvalOptions, checkDittoOptions } from './options.ts';
import { tileStats } from './stats.ts';
import type { DittoRtlResult } from './rtl.ts';

/** The paper's figures (SPEC §4), averages over 7 models. */
export const DITTO_PAPER = {
  zeroPct: 44.48,
  within4Pct: 96.01,
  bopsReductionPct: 53.3,
  speedupUpTo: 1.5,
  source: 'Ditto (HPCA 2025), SPEC §4: 44.48 % zero, 96.01 % within 4 bits (7-model average), 53.3 % fewer bit operations than the original model, up to 1.5x speedup',
} as const;

export interface DatasetEval {
  name: string;
  source: string;
  steps: number;
  tokens: number;
  layers: LayerEval[];
  check: {
    steps: number;
    tokens: number;
    /** every checked step of both layers equals the dense integer result (Y and y) */
    exact: boolean;
    /** the fast statistics and outputs of layer.ts equal the golden model's on the checked tokens */
    modelsAgree: boolean;
    goldenWords: number;
    fastWords: number;
  };
}

export interface DittoEvalResult {
  kind: 'dcgen-eval-ditto';
  version: 1;
  config: Omit<DittoEvalOptions, 'videoDir' | 'datasets'> & { latency: number; weightSigma: number; targetRms: number; actScale: number; synthetic: typeof SYNTH };
  paper: typeof DITTO_PAPER;
  definitions: Record<string, string>;
  datasets: DatasetEval[];
  /** with --rtl: the clips through the ditto_top RTL (rtl.ts) */
  rtl?: DittoRtlResult;
}

export const DITTO_DEFINITIONS: Record<string, string> = {
  steps: 'step 1 = first frame / first trajectory step in processing order; differences d = x_s − x_{s−1} exist for steps 2..T and every statistic is over those steps',
  classes: 'ZERO |d| = 0, LOW 1..15, FULL ≥ 16 (SPEC §1.1); within 4 bits = ZERO + LOW; original mode classifies d = x_s',
  bops: 'dense A8W8 = 8·8 = 64 per element; A4W8 path: ZERO 0, LOW 4·8 = 32, FULL 2·4·8 = 64',
  cycles: 'per vector max(words, ceil(K/L)), words = max(1, ceil((nLOW + 2·nFULL)/4)); dense ceil(K/2) per vector; vector m on PE row m mod R; tile = max over rows + latency (stages + 2); summed over steps 2..T',
  packing: 'diffPacking / speedupVsDensePacking: the same with L = ∞ (words alone, no ingest bound)',
  defo: 'Defo (SPEC §1.6): step 1 original, step 2 difference, from step 3 exe_diff = cycle_act > cycle_diff (tile cycles, saturated at 65,535)',
  exact: 'steps 1..checkSteps of L0 and L1 through sim/golden/ditto/top.ts runLinearLayer (step 1 original, then differences) on checkTokens evenly spaced tokens: Y and y equal the dense integer result',
};

function toMatrix(x: Int8Array, rows: readonly number[], K: number): Matrix {
  return rows.map((m) => Array.from(x.subarray(m * K, m * K + K)));
}

/** The rows `rows` of an M×K matrix, as a rows.length×K matrix. */
function subRows(x: Int8Array, rows: readonly number[], K: number): Int8Array {
  const out = new Int8Array(rows.length * K);
  rows.forEach((m, r) => out.set(x.subarray(m * K, m * K + K), r * K));
  return out;
}

/** Steps 1..checkSteps of both layers through the golden layer model on a token subset. */
function checkDataset(data: StepData, l0: LayerRun, l1: LayerRun, N: number, o: DittoEvalOptions): DatasetEval['check'] {
  const steps = Math.min(o.checkSteps, data.steps.length);
  const count = Math.min(o.checkTokens, data.M);
  const rows = Array.from({ length: count }, (_, i) => Math.floor((i * data.M) / count));
  const lanes = o.lanes;
  const sched: Mode[] = Array.from({ length: steps }, (_, s) => (s === 0 ? 'orig' : 'diff'));
  const wMat = (W: Int8Array, K: number): Matrix => Array.from({ length: K }, (_, k) => Array.from(W.subarray(k * N, k * N + N)));
  const xs0 = data.steps.slice(0, steps).map((x) => toMatrix(x, rows, data.K));
  const r0 = runLinearLayer({ W: wMat(l0.W, data.K), rq: l0.rq, table: l0.tab, lanes }, xs0, sched);
  const xs1 = r0.map((r) => r.y);
  const r1 = runLinearLayer({ W: wMat(l1.W, N), rq: l1.rq, table: l1.tab, lanes }, xs1, sched);
  const exact = [...r0, ...r1].every((r) => r.exact);
  // the fast path against the golden model: outputs, and word counts of every checked tile
  let agree = true;
  r0.forEach((r, s) => {
    const fast = toMatrix(l0.outputs[s], rows, N);
    if (JSON.stringify(fast) !== JSON.stringify(r.y)) agree = false;
    const y1 = toMatrix(l1.outputs[s], rows, N);
    if (JSON.stringify(y1) !== JSON.stringify(r1[s].y)) agree = false;
  });
  const goldenWords = totalCost(r0).words + totalCost(r1).words;
  let fastWords = 0;
  const sub = (x: Int8Array, K: number) => subRows(x, rows, K);
  for (let s = 0; s < steps; s++) {
    for (const [xs, K] of [
      [data.steps, data.K],
      [l0.outputs, N],
    ] as const) {
      const cur = sub(xs[s], K);
      const prev = s === 0 ? undefined : sub(xs[s - 1], K);
      fastWords += tileStats(cur, prev, count, K, o).words;
    }
  }
  if (goldenWords !== fastWords) agree = false;
  return { steps, tokens: count, exact, modelsAgree: agree, goldenWords, fastWords };
}

export function evalDataset(data: StepData, o: DittoEvalOptions): DatasetEval {
  const N = o.outputs;
  const W0 = seededWeights(data.K, N, subSeed(o.seed, 10));
  const W1 = seededWeights(N, N, subSeed(o.seed, 11));
  const l0 = runLayer('L0', data.steps, data.M, data.K, N, W0, 'gelu', o);
  const l1 = runLayer('L1', l0.outputs, data.M, N, N, W1, 'identity', o);
  return {
    name: data.name,
    source: data.source,
    steps: data.steps.length,
    tokens: data.M,
    layers: [l0.eval, l1.eval],
    check: checkDataset(data, l0, l1, N, o),
  };
}

export function runDittoEval(o: DittoEvalOptions): DittoEvalResult {
  checkDittoOptions(o);
  const want = o.datasets ?? DITTO_DATASETS;
  const datasets: DatasetEval[] = [];
  for (const name of want) datasets.push(evalDataset(loadDataset(name, o), o));
  const { videoDir: _v, datasets: _d, ...cfg } = o;
  return {
    kind: 'dcgen-eval-ditto',
    version: 1,
    config: { ...cfg, latency: computeLatency(o.stages), weightSigma: WEIGHT_SIGMA, targetRms: TARGET_RMS, actScale: ACT_SCALE, synthetic: SYNTH },
    paper: DITTO_PAPER,
    definitions: DITTO_DEFINITIONS,
    datasets,
  };
}
