// Cosimulation cases of `ditto` (generator/blocks/ditto/top.ts, module ditto_top): a whole
// multi-layer, multi-step workload driven from TypeScript as a host would drive it, in ONE
// simulation, so the VPU's Y buffer carries Y_{t+1} from step to step for real.
//
// Host schedule. Command stream `in`: first every activation table (256 configuration beats
// each, cfg = 1; option lateTables: a table not used by layer 0 at step 1 just before the first
// layer using it instead); then for every step (processing order t = T..1) and every layer: one
// configuration beat with the layer's requantiser and table (cfg = 0), then for every column
// tile of C outputs the tile's tokens in groups of R (token g·R + r on row r; the last group has
// en = the rows it fills; its last beat has tlast) as ceil(K/L) activation beats of x_t, each
// with its x-buffer entry xaddr (the engine stores both x_t and Y_t; the host sends x_t only).
// Weight stream `w`: the K beats of every column tile in the same order (the engine loads them
// into alternate banks, each as soon as its bank's previous load is done), one tile per load or
// (option `pack`) several consecutive tiles of a layer per load, tile j of a load at bank rows
// j·K.. with kbase j·K on its groups' beats and tlast only on the load's last tile.
// Beat b of group g of tile τ of layer l always uses x-buffer entry xbase(l) + (τ·G + g)·ceil(K/L)
// + b, so step t+1 reads exactly what step t wrote there. Layer l+1's input at a step is layer
// l's int8 output y at that step. Token m of tile τ of layer l uses the Y-buffer beat address
// base(l) + τ·M + m (the group's addr is that of its row 0). The mode per (layer, step) is
// original at step 1 and then a fixed list (difference, or 'mixed'), or the Defo rule (sim/golden/ditto/defo.ts) fed with
// the golden model's cycle estimates (not RTL-measured cycles).
//
// Golden: every layer is run by runLinearLayer (sim/golden/ditto/top.ts) across the steps; the
// expected output of each vector is that model's Y_t and y_t. The workload also keeps the dense
// reference act(requant(W·x)) of every (layer, step), which the test compares bit for bit.
// Cycles: sim/cycles/ditto/top.ts predicts every command-beat acceptance and output cycle.
import { type TopParams, TOP_CFG, TOP_OP } from '../../../generator/spec/ditto/top.ts';
import { dittoTopDesign } from '../../../generator/blocks/ditto/top.ts';
import { type ActivationKind, activationTable, lookup } from '../../../generator/spec/ditto/activations.ts';
import type { ParamValue } from '../../../generator/emit/design.ts';
import type { Beat, Expected, Stimulus } from '../../cosim/index.ts';
import { type Matrix, denseMatmul } from '../../golden/ditto/compute.ts';
import { DefoUnit } from '../../golden/ditto/defo.ts';
import { type Mode, modeBit } from '../../golden/ditto/encoder.ts';
import { type StepResult, runLinearLayer, vpuMatrix } from '../../golden/ditto/top.ts';
import { type RequantParams, requantize } from '../../golden/ditto/vpu.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import type { CosimCase, CycleExpectation, StreamSchedule } from '../case.ts';
import { type TopTiming, topCycles } from '../../cycles/ditto/top.ts';
import { encoderDepth, encoderIndexBits } from '../../../generator/spec/ditto/encoder.ts';
import { randomWeight } from './common.ts';
import { layer0Inputs, plannedLayer0Inputs } from './top-inputs.ts';

export interface TopActivation {
  kind: ActivationKind;
  /** the table's input and output scale (real value of one code) */
  scale: number;
}

export interface TopWorkloadOptions {
  /** tokens (rows of x) per layer */
  tokens: number;
  /** input width of layer 0, then the output width of every layer (a multiple of cols) */
  dims: number[];
  /** time steps */
  steps: number;
  /**
   * 'fixed': original at step 1, difference after; 'defo': the Defo rule per layer; 'mixed':
   * original at step 1, after it layer 0 in difference mode and every later layer l alternating,
   * original at the steps s with s + l odd (so the side FIFO hands the VPU a difference group
   * followed by an original one, and the reverse, at layer and step boundaries)
   */
  schedule: 'fixed' | 'defo' | 'mixed';
  /** the activation tables loaded at the start (at most `tables`); layer l uses table l mod their count */
  acts: TopActivation[];
  /** per layer, how its weights and requantiser are drawn (missing: 'log'); see RequantPlan */
  requant?: RequantPlan[];
  /**
   * Column tiles per weight load (default 1): 'fit' packs as many consecutive tiles of a layer as
   * fit in a bank's kMax rows (tile j of a load at rows j·K .. j·K + K − 1, its groups' kbase j·K),
   * so a layer with a short K loads all its tiles at once and its tiles never wait for a bank.
   */
  pack?: number | 'fit';
  /**
   * Layer 0's inputs (missing: 'random', layer0Inputs): 'packing' plans their encoded values
   * (x at step 1, in original mode; the change from the step before after it, in difference
   * mode, which 'fixed' and 'mixed' keep for layer 0) beat by beat of `lanes` as ZERO/LOW/FULL
   * classes (plannedLayer0Inputs), so that the encoders meet every state of their reorder buffer
   * followed by every class combination of a beat, as far as the workload's beats allow.
   */
  x0?: 'random' | 'packing';
  /**
   * Late tables: each activation table other than layer 0's is loaded at step 1 right before the
   * configuration beat of the first layer that uses it, behind the vectors of the layers before
   * (its table writes follow them through the side FIFO and the VPU's pipeline, stalls and all),
   * instead of at the start.
   */
  lateTables?: boolean;
}

/**
 * How a layer's weights and requantiser are drawn (calibrate):
 * - 'log': int8 weights; M log-uniform in 1..65535 and S so that the largest |Y| of step 1 maps
 *   to about ±100 codes. |Y| is in the ten thousands, so S is 7 bits or more: the product's low
 *   bits rarely move the result, and hardly anything saturates.
 * - 'm15': the same with M in 32768..65535, so every product has the multiplier's top partial
 *   product (M bit 15).
 * - 'fine': weights in −2..2, so |Y| stays in the hundreds, S in 0..3 and an odd M that maps the
 *   largest |Y| of step 1 to about ±250 codes: the product's low bits reach the result (every
 *   bit at S = 0; an odd M keeps Y·M mod 2^S uniform, so the rounding meets its exact halves),
 *   and the largest outputs saturate on both sides.
 * - 'exact': weights in −2..2, S = 0 and the odd M closest to mapping the largest |Y| of step 1
 *   to ±1500 codes: the requantised value is the product Y·M itself (no rounding: the window's
 *   lowest bit is the product's), some outputs inside the clamp's range, most saturated, many of
 *   them beyond the rounding window (|Y·M| > 512: the window's own saturation, both signs).
 */
export type RequantPlan = 'log' | 'm15' | 'fine' | 'exact';

export interface TopLayer {
  W: Matrix;
  rq: RequantParams;
  /** the VPU table the layer uses, and its contents */
  tsel: number;
  table: Int8Array;
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

/**
 * The layer's requantiser by its plan (RequantPlan): 'log' and 'm15' draw M, then take the S that
 * maps the largest |Y| of the layer's first step to about ±100 codes; 'fine' draws S in 0..3,
 * then takes the odd M closest to mapping it to 250 codes.
 */
function calibrate(rng: Rng, Ymax: number, plan: RequantPlan = 'log'): RequantParams {
  if (plan === 'fine' || plan === 'exact') {
    const S = plan === 'exact' ? 0 : rng.int(0, 3);
    const M = Math.min(65535, Math.max(1, Math.round(((plan === 'exact' ? 1500 : 250) * 2 ** S) / Ymax)) | 1);
    return { M, S, zpOut: rng.int(-8, 8) };
  }
  const M = plan === 'm15' ? rng.int(32768, 65535) : Math.max(1, Math.min(65535, Math.floor(2 ** (rng.float() * 16))));
  const S = Math.max(0, Math.min(40, Math.ceil(Math.log2(Math.max(1, (Ymax * M) / 100)))));
  return { M, S, zpOut: rng.int(-8, 8) };
}

/** The activation tables of a workload, in table-select order. */
export function topTables(o: Pick<TopWorkloadOptions, 'acts'>): Int8Array[] {
  return o.acts.map((a) => activationTable({ kind: a.kind, sIn: a.scale, sOut: a.scale }));
}

export function buildTopWorkload(p: TopParams, o: TopWorkloadOptions, seed: number): TopWorkload {
  if (o.acts.length < 1 || o.acts.length > p.tables) throw new RangeError(`workload: ${o.acts.length} activation tables, the engine has ${p.tables}`);
  const rng = new Rng(seed * 7919 + 17);
  const tables = topTables(o);
  const x0 = o.x0 === 'packing' ? plannedLayer0Inputs(rng, o.tokens, o.dims[0], o.steps, p.lanes) : layer0Inputs(rng, o.tokens, o.dims[0], o.steps);
  const defo = new DefoUnit(Math.max(1, o.dims.length - 1));
  return topWorkloadFrom(p, o, x0, (l, x1) => {
    const plan = o.requant?.[l] ?? 'log';
    const W = Array.from({ length: o.dims[l] }, () => Array.from({ length: o.dims[l + 1] }, () => (plan === 'fine' || plan === 'exact' ? rng.int(-2, 2) : randomWeight(rng))));
    const Ymax = Math.max(1, ...denseMatmul(x1, W).flat().map(Math.abs));
    const tsel = l % tables.length;
    const schedule: Mode[] | { defo: DefoUnit; layer: number } =
      o.schedule === 'fixed'
        ? Array.from({ length: o.steps }, (_, i): Mode => (i === 0 ? 'orig' : 'diff'))
        : o.schedule === 'mixed'
          ? Array.from({ length: o.steps }, (_, i): Mode => (i === 0 || (l > 0 && (i + 1 + l) % 2 === 1) ? 'orig' : 'diff'))
          : { defo, layer: l };
    return { layer: { W, rq: calibrate(rng, Ymax, plan), tsel, table: tables[tsel] }, schedule };
  });
}

/**
 * A workload from layer 0's inputs and, per layer, its weights, requantiser, table and mode
 * schedule (`layer(l, x)` with x = the layer's input at step 1): each layer runs through
 * runLinearLayer, and its y feeds the next layer.
 */
export function topWorkloadFrom(
  p: TopParams,
  o: TopWorkloadOptions,
  x0: Matrix[],
  layer: (l: number, x1: Matrix) => { layer: TopLayer; schedule: Mode[] | { defo: DefoUnit; layer: number } },
): TopWorkload {
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
    const { layer: ly, schedule } = layer(l, xs[0]);
    const res = runLinearLayer({ W: ly.W, rq: ly.rq, table: ly.table, lanes: p.lanes }, xs, schedule);
    layers.push(ly);
    results.push(res);
    inputs.push(xs);
    dense.push(
      xs.map((x) => {
        const Y = denseMatmul(x, ly.W);
        return { Y, y: vpuMatrix(Y, ly.rq, ly.table) };
      }),
    );
    xs = res.map((r) => r.y);
  }
  return { params: p, opts: o, layers, x0, results, inputs, dense };
}

/** A command beat of the engine with every field 0. */
export function topIdleBeat(p: Pick<TopParams, 'rows' | 'lanes'>): Beat {
  const idle: Beat = { op: 0, en: 0, keep: 0, last: 0, mode: 0, xaddr: 0, kbase: 0, tlast: 0, addr: 0, cfg: 0, m: 0, s: 0, zp: 0, tsel: 0, ti: 0, tv: 0 };
  for (let r = 0; r < p.rows; r++) for (let j = 0; j < p.lanes; j++) idle[`xt_${r}_${j}`] = 0;
  return idle;
}

/**
 * The weight beats of one load holding `tiles` column tiles of C columns each: tile j (columns
 * col0_j .. col0_j + C − 1) at bank rows j·K .. j·K + K − 1, row j·K + k = W[k][col0_j ..].
 */
export function loadWeightBeats(W: Matrix, col0s: readonly number[], cols: number): Beat[] {
  const K = W.length;
  return col0s.flatMap((col0, j) =>
    W.map((row, k) => {
      const b: Beat = { k: j * K + k, last: j === col0s.length - 1 && k === K - 1 ? 1 : 0 };
      for (let c = 0; c < cols; c++) b[`d_${c}`] = row[col0 + c];
      return b;
    }),
  );
}

/** Column tiles per weight load of a layer of `tiles` column tiles of K rows (TopWorkloadOptions.pack), at most `tiles`. */
export function tilesPerLoad(pack: TopWorkloadOptions['pack'], K: number, kMax: number, tiles: number): number {
  if (pack === 'fit') return Math.min(tiles, Math.max(1, Math.floor(kMax / K)));
  const n = pack ?? 1;
  if (!Number.isInteger(n) || n < 1 || n * K > kMax) throw new RangeError(`pack = ${n}: expected 1 .. floor(kMax / K) = ${Math.floor(kMax / K)} tiles per load`);
  return Math.min(tiles, n);
}

/** The configuration beats that load `table` into table `tsel` (entry i holds the value of code i as int8). */
export function tableLoadBeats(idle: Beat, tsel: number, table: Int8Array): Beat[] {
  return Array.from({ length: 256 }, (_, i) => ({ ...idle, op: TOP_OP.config, cfg: TOP_CFG.table, tsel, ti: i, tv: lookup(table, (i << 24) >> 24) }));
}

/**
 * The write order of a late table (TopWorkloadOptions.lateTables): per entry (ti = code & 255)
 * its rank when the entries are sorted by how often the workload's layers using the table look
 * them up (most first, then by ti). The first writes behind a layer's vectors are the ones an
 * output stall holds in the VPU's pipeline, so they are entries that are read.
 */
export function lateTableOrder(w: TopWorkload, tsel: number): number[] {
  const reads = new Array<number>(256).fill(0);
  w.layers.forEach((ly, l) => {
    if (ly.tsel !== tsel) return;
    for (const r of w.results[l]) for (const row of r.Y) for (const v of row) reads[requantize(v, ly.rq) & 255]++;
  });
  const byReads = Array.from({ length: 256 }, (_, ti) => ti).sort((a, b) => reads[b] - reads[a] || a - b);
  const rank = new Array<number>(256);
  byReads.forEach((ti, k) => (rank[ti] = k));
  return rank;
}

/** The host's streams for the whole workload (commands on `in`, weights on `w`) and the expected output beats. */
export function topStream(w: TopWorkload, rng?: Rng): { beats: Beat[]; weights: Beat[]; expected: Beat[] } {
  const p = w.params;
  const R = p.rows;
  const L = p.lanes;
  const C = p.cols;
  const M = w.opts.tokens;
  const G = Math.ceil(M / R);
  const beats: Beat[] = [];
  const weights: Beat[] = [];
  const expected: Beat[] = [];
  const idle = topIdleBeat(p);
  const bases: number[] = [];
  const xbases: number[] = [];
  let base = 0;
  let xbase = 0;
  w.layers.forEach((ly) => {
    bases.push(base);
    xbases.push(xbase);
    base += (ly.W[0].length / C) * M;
    xbase += (ly.W[0].length / C) * G * Math.ceil(ly.W.length / L);
  });
  if (base > p.entries / C) throw new RangeError(`workload needs ${base} Y-buffer beat addresses, the VPU has ${p.entries / C}`);
  if (xbase > p.xEntries) throw new RangeError(`workload needs ${xbase} x-buffer entries, the engine has ${p.xEntries}`);
  // each table at the start, or (lateTables) at step 1 before the first layer using it, its
  // entries then written most-read first (lateTableOrder)
  const tables = topTables(w.opts);
  const firstUse = tables.map((_, tsel) => (w.opts.lateTables ? Math.max(0, w.layers.findIndex((ly) => ly.tsel === tsel)) : 0));
  tables.forEach((t, tsel) => firstUse[tsel] === 0 && beats.push(...tableLoadBeats(idle, tsel, t)));
  const lateLoad = (tsel: number) => {
    const order = lateTableOrder(w, tsel);
    return tableLoadBeats(idle, tsel, tables[tsel]).sort((a, b) => order[Number(a.ti)] - order[Number(b.ti)]);
  };
  for (let i = 0; i < w.opts.steps; i++) {
    w.layers.forEach((ly, l) => {
      if (i === 0 && l > 0) tables.forEach((_, tsel) => firstUse[tsel] === l && beats.push(...lateLoad(tsel)));
      const K = ly.W.length;
      const N = ly.W[0].length;
      const res = w.results[l][i];
      const x = w.inputs[l][i];
      const nb = Math.ceil(K / L);
      const tiles = N / C;
      const per = tilesPerLoad(w.opts.pack, K, p.kMax, tiles);
      beats.push({ ...idle, op: TOP_OP.config, cfg: TOP_CFG.requant, m: ly.rq.M, s: ly.rq.S, zp: ly.rq.zpOut, tsel: ly.tsel });
      for (let tile = 0; tile < tiles; tile++) {
        const slot = tile % per;
        // the tile ends its load: its last group has tlast, its last output carries last
        const loadEnd = slot === per - 1 || tile === tiles - 1;
        if (slot === 0) weights.push(...loadWeightBeats(ly.W, Array.from({ length: Math.min(per, tiles - tile) }, (_, j) => (tile + j) * C), C));
        for (let g = 0; g < G; g++) {
          const rowsHere = Math.min(R, M - g * R);
          for (let bi = 0; bi < nb; bi++) {
            const last = bi === nb - 1;
            const b: Beat = { ...idle, op: TOP_OP.act, en: (1 << rowsHere) - 1, xaddr: xbases[l] + (tile * G + g) * nb + bi, kbase: slot * K, last: last ? 1 : 0, mode: modeBit(res.mode) };
            let keep = 0;
            for (let j = 0; j < L; j++) if (bi * L + j < K) keep |= 1 << j;
            b.keep = keep;
            for (let r = 0; r < R; r++) {
              for (let j = 0; j < L; j++) {
                const k = bi * L + j;
                if (r < rowsHere && k < K) b[`xt_${r}_${j}`] = x[g * R + r][k];
                else if (rng) b[`xt_${r}_${j}`] = rng.int(-128, 127); // unused lanes and rows: noise
              }
            }
            if (last) Object.assign(b, { tlast: loadEnd && g === G - 1 ? 1 : 0, addr: bases[l] + tile * M + g * R });
            beats.push(b);
          }
        }
        for (let m = 0; m < M; m++) {
          const e: Beat = { last: loadEnd && m === M - 1 ? 1 : 0 };
          for (let j = 0; j < C; j++) {
            e[`y_${j}`] = res.y[m][tile * C + j];
            e[`yt_${j}`] = res.Y[m][tile * C + j];
          }
          expected.push(e);
        }
      }
    });
  }
  return { beats, weights, expected };
}

const EXPECTED = new WeakMap<Stimulus, Expected>();

export type TopCase = CosimCase & { workload(seed: number): TopWorkload; cycles: NonNullable<CosimCase['cycles']> };

/** The cycle model's timing at the design's parameters. */
export function topTiming(p: TopParams): TopTiming {
  return { rows: p.rows, lanes: p.lanes, encDepth: encoderDepth({ lanes: p.lanes, depth: p.encDepth, stages: p.encStages }), encStages: p.encStages, kBits: encoderIndexBits(p.kMax), rowFifo: p.rowFifo, stages: p.stages, sideDepth: p.sideDepth };
}

/** The case's cycle model (sim/cycles/ditto/top.ts) at the design's parameters. */
export function topCaseCycles(p: TopParams) {
  const t = topTiming(p);
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule): CycleExpectation => {
    const r = topCycles(stim.streams?.in ?? [], stim.streams?.w ?? [], t, idle, (c) => stall('out', c));
    return { accepted: { in: r.accepted, w: r.wAccepted }, emitted: { out: r.emitted }, cycles: r.cycles };
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
      const { beats, weights, expected } = topStream(w, new Rng(seed + 99));
      const stim: Stimulus = { streams: { in: beats, w: weights } };
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
/** A small engine: 2 rows of 4 lanes, 4 columns (the cases build and run in seconds). */
export const TOP_SMALL: Partial<TopParams> = { rows: 2, lanes: 4, cols: 4, kMax: 256, entries: 256, xEntries: 512, rowFifo: 8, sideDepth: 4 };
const GELU_ID: TopActivation[] = [
  { kind: 'gelu', scale: 1 / 32 },
  { kind: 'identity', scale: 1 },
];

/** The layers of the layers3_gelu cases: 30 → 16 → 16 → 8, 5 steps, GELU and identity tables. */
const LAYERS3: Omit<TopWorkloadOptions, 'tokens'> = { dims: [30, 16, 16, 8], steps: 5, schedule: 'fixed', acts: GELU_ID, requant: ['log', 'fine', 'm15'], pack: 'fit' };

export const dittoTopCases: TopCase[] = [
  // 3 layers (30 → 16 → 16 → 8), 5 tokens on 2 rows (the last group half full), 5 steps, GELU and identity tables, stalls everywhere;
  // the identity layer requantises with shifts of 0..3 bits and saturates, the last layer's M has bit 15 set (RequantPlan);
  // each layer's tiles in one weight load (kbase 0, K, 2K, ...)
  topCase('top.layers3_gelu', TOP_SMALL, { tokens: 5, ...LAYERS3 }, { stalls: STALLS, seeds: 3 }),
  // the same layers, 6 tokens (every group full), the output stalled 90 % of the cycles: the engine backs up to the host and each
  // row's encoder FIFO fills to its reservation limit (all 12 words, held while the encoder's pipeline runs empty)
  topCase('top.layers3_gelu_stalled', TOP_SMALL, { tokens: 6, ...LAYERS3 }, { stalls: { inIdle: 0.3, outStall: 0.9 }, seeds: 2 }),
  // corners of the same engine (30 → 8 → 16 → 8, 6 tokens, 5 steps, GELU and identity tables, each layer in one weight
  // load, output stalls 60 %): layer 0's vectors (8 beats, the last of 2 lanes) planned beat by beat (x0 'packing'): each starts
  // from a LOW-free reorder-buffer state (two FULLs pending first, e.g. then F L L L: a FULL carried into the rank-1
  // word with LOWs after it), then new state × beat class combinations as far as its beats go; layers 1 and 2 alternate original and difference
  // mode from step 2 on ('mixed': the VPU's pipeline holds a group of one mode while the side FIFO's head is one of
  // the other); the identity table loaded at step 1 behind layer 0's vectors (lateTables: table writes held by
  // output stalls in the VPU's pipeline); layer 1 requantised with S = 0 ('exact': the product's lowest bit reaches
  // the output, and most products overflow the rounding window on both sides)
  topCase(
    'top.layers3_gelu_corners',
    TOP_SMALL,
    { tokens: 6, dims: [30, 8, 16, 8], steps: 5, schedule: 'mixed', acts: GELU_ID, requant: ['log', 'exact', 'log'], pack: 'fit', x0: 'packing', lateTables: true },
    { stalls: { inIdle: 0.3, outStall: 0.6 }, seeds: 2 },
  ),
  // 3 rows and three tables, the Defo rule choosing the mode from step 3 on, 4 layers, 6 steps
  { ...topCase('top.layers4_defo', { ...TOP_SMALL, rows: 3, tables: 3 }, { tokens: 4, dims: [21, 8, 16, 8, 8], steps: 6, schedule: 'defo', acts: [...GELU_ID, { kind: 'relu', scale: 1 / 16 }] }, { stalls: { inIdle: 0.2, outStall: 0.5 }, seeds: 2 }), smoke: true },
  // one group per tile and K ≤ 2 beats, two tiles per weight load: a load's weights arrive while
  // the load two back still has words in the encoders (its bank is reloaded only after they are
  // taken), rows hold vectors of both tiles of a load (two kbases), output stalls
  topCase('top.short_tiles', TOP_SMALL, { tokens: 2, dims: [4, 16, 8, 16], steps: 5, schedule: 'fixed', acts: GELU_ID, pack: 2 }, { stalls: { inIdle: 0.1, outStall: 0.6 }, seeds: 3 }),
  // one row (R = 1) without a beat FIFO, no stalls, each layer in one weight load
  topCase('top.layers3_free', { ...TOP_SMALL, rows: 1, rowFifo: 0 }, { tokens: 2, dims: [13, 8, 8, 8], steps: 5, schedule: 'fixed', acts: GELU_ID, pack: 'fit' }, { seeds: 2 }),
  // K up to 256, several column tiles, SiLU, 8 steps, 4 rows of 8 lanes; loads of 1 (K = 256),
  // 4 (K = 64) and 2 (K = 128) tiles
  topCase('top.big_silu', { rows: 4, lanes: 8, cols: 8, kMax: 256, entries: 2048, xEntries: 2048, tables: 1 }, { tokens: 6, dims: [256, 64, 128, 32], steps: 8, schedule: 'defo', acts: [{ kind: 'silu', scale: 40 / 1024 }], pack: 'fit' }, { stalls: STALLS, seeds: 2 }),
];
