// Cosimulation cases of `ditto` (generator/blocks/ditto/top.ts, module ditto_top): a whole
// multi-layer, multi-step workload driven from TypeScript as a host would drive it, in ONE
// simulation, so the VPU's Y buffer carries Y_{t+1} from step to step for real.
//
// Host schedule (one command stream `in`): for every step (processing order t = T..1), every
// layer, every column tile of C outputs: the tile's K weight beats (op = 1), then every token's
// vector (op = 0) as ceil(K/L) beats of x_t, each with its x-buffer entry xaddr (the engine
// stores both x_t and Y_t; the host sends x_t only). Beat b of token m of tile τ of layer l
// always uses x-buffer entry xbase(l) + (τ·M + m)·ceil(K/L) + b, so step t+1 reads exactly what
// step t wrote there (every tile has its own entries: each tile re-sends the layer's vectors,
// and the engine writes x_t on every activation beat). Layer l+1's input at a step is layer l's int8 output y at that step (the
// activation table is the non-linearity between layers). Token m of tile τ of layer l uses the
// Y-buffer beat address base(l) + τ·M + m. The mode per (layer, step) is original at step 1 and
// then a fixed list, or the Defo rule (sim/golden/ditto/defo.ts) fed with the golden model's
// cycle estimates (not RTL-measured cycles).
//
// Golden: every layer is run by runLinearLayer (sim/golden/ditto/top.ts) across the steps; the
// expected output of each vector is that model's Y_t and y_t. The workload also keeps the dense
// reference act(requant(W·x)) of every (layer, step), which the test compares bit for bit.
// Cycles: sim/cycles/ditto/top.ts predicts every command-beat acceptance and output cycle.
import type { TopParams } from '../../../generator/spec/ditto/top.ts';
import { dittoTopDesign } from '../../../generator/blocks/ditto/top.ts';
import { vpuTable } from '../../../generator/spec/ditto/vpu.ts';
import type { ParamValue } from '../../../generator/emit/design.ts';
import type { Beat, Expected, Stimulus } from '../../cosim/index.ts';
import { type Matrix, denseMatmul } from '../../golden/ditto/compute.ts';
import { DefoUnit } from '../../golden/ditto/defo.ts';
import { type Mode, modeBit } from '../../golden/ditto/encoder.ts';
import { type StepResult, runLinearLayer, vpuMatrix } from '../../golden/ditto/top.ts';
import type { RequantParams } from '../../golden/ditto/vpu.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import type { CosimCase, CycleExpectation, StreamSchedule } from '../case.ts';
import { topCycles } from '../../cycles/ditto/top.ts';
import { encoderDepth, encoderIndexBits } from '../../../generator/spec/ditto/encoder.ts';
import { randomWeight } from './common.ts';

export interface TopWorkloadOptions {
  /** tokens (rows of x) per layer */
  tokens: number;
  /** input width of layer 0, then the output width of every layer (a multiple of cols) */
  dims: number[];
  /** time steps */
  steps: number;
  /** 'fixed': original at step 1, difference after; 'defo': the Defo rule per layer */
  schedule: 'fixed' | 'defo';
}

export interface TopLayer {
  W: Matrix;
  rq: RequantParams;
}

export interface TopWorkload {
  params: TopParams;
  opts: TopWorkloadOptions;
  layers: TopLayer[];
  /** layer-0 input per step */
  x0: Matrix[];
  /** results[l][i]: runLinearLayer's result of layer l at step i + 1 */
  results: StepResult[][];
  /** inputs[l][i]: layer l's input at step i + 1 */
  inputs: Matrix[][];
  /** dense reference y = act(requant(W·x)) and Y = W·x per layer and step */
  dense: { Y: Matrix; y: Matrix }[][];
}

export function resolveTopParams(overrides: Partial<TopParams>): TopParams {
  return dittoTopDesign.resolve(overrides);
}

function clamp8(v: number): number {
  return Math.max(-128, Math.min(127, v));
}

/** Layer-0 inputs: a random x_T, then each step a small temporal change (many zeros, a few large). */
function layer0Inputs(rng: Rng, M: number, K: number, T: number): Matrix[] {
  const xs: Matrix[] = [Array.from({ length: M }, () => Array.from({ length: K }, () => rng.int(-90, 90)))];
  for (let t = 1; t < T; t++) {
    xs.push(
      xs[t - 1].map((row) =>
        row.map((v) => {
          const r = rng.float();
          const d = r < 0.5 ? 0 : r < 0.93 ? rng.int(-12, 12) : rng.int(-120, 120);
          return clamp8(v + d);
        }),
      ),
    );
  }
  return xs;
}

/** M and S so that the largest |Y| of the layer's first step maps to about ±100 codes. */
function calibrate(rng: Rng, Ymax: number): RequantParams {
  const M = rng.int(20000, 65535);
  const S = Math.max(0, Math.min(40, Math.ceil(Math.log2(Math.max(1, (Ymax * M) / 100)))));
  return { M, S, zpOut: rng.int(-8, 8) };
}

export function buildTopWorkload(p: TopParams, o: TopWorkloadOptions, seed: number): TopWorkload {
  const rng = new Rng(seed * 7919 + 17);
  const M = o.tokens;
  const table = vpuTable(p);
  const x0 = layer0Inputs(rng, M, o.dims[0], o.steps);
  const defo = new DefoUnit(Math.max(1, o.dims.length - 1));
  const layers: TopLayer[] = [];
  const results: StepResult[][] = [];
  const inputs: Matrix[][] = [];
  const dense: { Y: Matrix; y: Matrix }[][] = [];
  let xs = x0;
  for (let l = 0; l + 1 < o.dims.length; l++) {
    const K = o.dims[l];
    const N = o.dims[l + 1];
    if (K > p.kMax) throw new RangeError(`layer ${l}: K = ${K} > kMax = ${p.kMax}`);
    if (N % p.cols !== 0) throw new RangeError(`layer ${l}: N = ${N} is not a multiple of cols = ${p.cols}`);
    const W = Array.from({ length: K }, () => Array.from({ length: N }, () => randomWeight(rng)));
    const Ymax = Math.max(1, ...denseMatmul(xs[0], W).flat().map(Math.abs));
    const rq = calibrate(rng, Ymax);
    const schedule: Mode[] | { defo: DefoUnit; layer: number } =
      o.schedule === 'fixed' ? Array.from({ length: o.steps }, (_, i): Mode => (i === 0 ? 'orig' : 'diff')) : { defo, layer: l };
    const res = runLinearLayer({ W, rq, table, lanes: p.lanes }, xs, schedule);
    layers.push({ W, rq });
    results.push(res);
    inputs.push(xs);
    dense.push(
      xs.map((x) => {
        const Y = denseMatmul(x, W);
        return { Y, y: vpuMatrix(Y, rq, table) };
      }),
    );
    xs = res.map((r) => r.y);
  }
  return { params: p, opts: o, layers, x0, results, inputs, dense };
}

/** The host's command stream for the whole workload and the expected output beats. */
export function topStream(w: TopWorkload, rng?: Rng): { beats: Beat[]; expected: Beat[] } {
  const p = w.params;
  const L = p.lanes;
  const C = p.cols;
  const M = w.opts.tokens;
  const beats: Beat[] = [];
  const expected: Beat[] = [];
  const idle: Beat = { op: 0, xaddr: 0, keep: 0, last: 0, mode: 0, tlast: 0, addr: 0, m: 0, s: 0, zp: 0, wk: 0, wlast: 0 };
  for (let j = 0; j < L; j++) idle[`xt_${j}`] = 0;
  for (let j = 0; j < C; j++) idle[`wd_${j}`] = 0;
  const bases: number[] = [];
  const xbases: number[] = [];
  let base = 0;
  let xbase = 0;
  w.layers.forEach((ly) => {
    bases.push(base);
    xbases.push(xbase);
    base += (ly.W[0].length / C) * M;
    xbase += (ly.W[0].length / C) * M * Math.ceil(ly.W.length / L);
  });
  if (base > p.entries / C) throw new RangeError(`workload needs ${base} Y-buffer beat addresses, the VPU has ${p.entries / C}`);
  if (xbase > p.xEntries) throw new RangeError(`workload needs ${xbase} x-buffer entries, the engine has ${p.xEntries}`);
  for (let i = 0; i < w.opts.steps; i++) {
    w.layers.forEach((ly, l) => {
      const K = ly.W.length;
      const N = ly.W[0].length;
      const res = w.results[l][i];
      const x = w.inputs[l][i];
      for (let tile = 0; tile < N / C; tile++) {
        for (let k = 0; k < K; k++) {
          const b: Beat = { ...idle, op: 1, wk: k, wlast: k === K - 1 ? 1 : 0 };
          for (let j = 0; j < C; j++) b[`wd_${j}`] = ly.W[k][tile * C + j];
          beats.push(b);
        }
        for (let m = 0; m < M; m++) {
          const nb = Math.ceil(K / L);
          for (let bi = 0; bi < nb; bi++) {
            const last = bi === nb - 1;
            const b: Beat = { ...idle, op: 0, xaddr: xbases[l] + (tile * M + m) * nb + bi, last: last ? 1 : 0, mode: modeBit(res.mode) };
            let keep = 0;
            for (let j = 0; j < L; j++) {
              const k = bi * L + j;
              if (k < K) {
                keep |= 1 << j;
                b[`xt_${j}`] = x[m][k];
              } else if (rng) b[`xt_${j}`] = rng.int(-128, 127); // unused lanes (keep = 0): noise
            }
            b.keep = keep;
            if (last) Object.assign(b, { tlast: m === M - 1 ? 1 : 0, addr: bases[l] + tile * M + m, m: ly.rq.M, s: ly.rq.S, zp: ly.rq.zpOut });
            beats.push(b);
          }
          const e: Beat = { last: m === M - 1 ? 1 : 0 };
          for (let j = 0; j < C; j++) {
            e[`y_${j}`] = res.y[m][tile * C + j];
            e[`yt_${j}`] = res.Y[m][tile * C + j];
          }
          expected.push(e);
        }
      }
    });
  }
  return { beats, expected };
}

const EXPECTED = new WeakMap<Stimulus, Expected>();

export type TopCase = CosimCase & { workload(seed: number): TopWorkload; cycles: NonNullable<CosimCase['cycles']> };

/** The case's cycle model (sim/cycles/ditto/top.ts) at the design's parameters. */
export function topCaseCycles(p: TopParams) {
  const t = { lanes: p.lanes, encDepth: encoderDepth({ lanes: p.lanes, depth: 0 }), kBits: encoderIndexBits(p.kMax), stages: p.stages, sideDepth: p.sideDepth };
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule): CycleExpectation => {
    const r = topCycles(stim.streams?.in ?? [], t, (c) => idle('in', c), (c) => stall('out', c));
    return { accepted: { in: r.accepted }, emitted: { out: r.emitted }, cycles: r.cycles };
  };
}

function topCase(name: string, params: Partial<TopParams>, o: TopWorkloadOptions, extra: { stalls?: StallProbabilities; seeds?: number; full?: boolean } = {}): TopCase {
  const p = resolveTopParams(params);
  return {
    name: `ditto.${name}`,
    design: 'ditto',
    params: params as Record<string, ParamValue>,
    workload: (seed) => buildTopWorkload(p, o, seed),
    stimulus(seed) {
      const w = buildTopWorkload(p, o, seed);
      const { beats, expected } = topStream(w, new Rng(seed + 99));
      const stim: Stimulus = { streams: { in: beats } };
      EXPECTED.set(stim, { streams: { out: expected } });
      return stim;
    },
    golden(stim) {
      const e = EXPECTED.get(stim);
      if (!e) throw new Error('ditto top golden: stimulus not built by this case');
      return e;
    },
    cycles: topCaseCycles(p),
    ...extra,
  };
}

const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };
const GELU: Partial<TopParams> = { act: 'gelu', actInScale: 32, actOutScale: 32 };

export const dittoTopCases: TopCase[] = [
  // 3 layers (30 → 16 → 16 → 8), 4 tokens, 5 steps: original then differences, stalls everywhere
  topCase('top.layers3_gelu', GELU, { tokens: 4, dims: [30, 16, 16, 8], steps: 5, schedule: 'fixed' }, { stalls: STALLS, seeds: 3 }),
  // the same engine with the Defo rule choosing the mode from step 3 on, 4 layers, 6 steps
  { ...topCase('top.layers4_defo', GELU, { tokens: 3, dims: [21, 8, 16, 8, 8], steps: 6, schedule: 'defo' }, { stalls: { inIdle: 0.2, outStall: 0.5 }, seeds: 2 }), smoke: true },
  // no stalls
  topCase('top.layers3_free', GELU, { tokens: 2, dims: [13, 8, 8, 8], steps: 5, schedule: 'fixed' }, { seeds: 2 }),
  // K up to the default kMax = 256, wider layers (several column tiles), SiLU, 8 steps
  topCase('top.big_silu', { act: 'silu', actInScale: 40, actOutScale: 40, entries: 2048, xEntries: 6144 }, { tokens: 6, dims: [256, 64, 128, 32], steps: 8, schedule: 'defo' }, { stalls: STALLS, seeds: 2 }),
];
