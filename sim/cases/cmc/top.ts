// Cosim cases of the CMC engine (design `cmc`, top cmc_top): whole segments through the command
// stream — weight loads, inter and intra prediction, short segments, segments where every
// token is informative and where none of the P tokens is, one-matrix segments predicted while
// the segment before is still in the back end, requantisers with small shifts and odd M on small
// operands (the product's low bits, exact halves and the clamp limits reach y), slow read-outs —
// checked bit for bit against the golden model (sim/golden/cmc/top.ts: the same tables, every
// output row computed exactly or a copy of its reference's row) and cycle for cycle against
// sim/cycles/cmc/top.ts. One case runs a real vtest segment.
import type { Stimulus } from '../../cosim/index.ts';
import { Rng } from '../../stimulus/rng.ts';
import { type CmcCommand, type CmcTopConfig, commandBeats, decodeCommands, gemmOperand, runCommands } from '../../golden/cmc/top.ts';
import { candidates } from '../../golden/cmc/search.ts';
import { type Matrix, rowTimesW } from '../../golden/cmc/gemm.ts';
import { cmcTopCycles } from '../../cycles/cmc/top.ts';
import { cmcTopGeometry } from '../../../generator/spec/cmc/top.ts';
import { type CmcCase, TREE, VTEST, caseParams, defineCmcCase, videoTokens } from './common.ts';

export function topConfig(params: Record<string, number | boolean | string>): CmcTopConfig & { lanes: number; sadStages: number; searchStages: number; gemmStages: number; gemmRqStages: number; gemmMulStages: number; m: number } {
  const p = caseParams({ design: 'cmc', params });
  return {
    n: Number(p.n),
    signed: Boolean(p.signed),
    elemsPerBeat: Number(p.elemsPerBeat),
    gridH: Number(p.gridH),
    gridW: Number(p.gridW),
    maxFrames: Number(p.maxFrames),
    window: p.window === 'radius' ? 'radius' : 'full',
    radius: Number(p.radius),
    nOut: Number(p.nOut),
    cols: Number(p.cols),
    lanes: Number(p.lanes),
    m: Number(p.m),
    sadStages: Number(p.sadStages),
    searchStages: Number(p.searchStages),
    gemmStages: Number(p.gemmStages),
    gemmRqStages: Number(p.gemmRqStages),
    gemmMulStages: Number(p.gemmMulStages),
  };
}

function randomWeights(rng: Rng, c: CmcTopConfig): Matrix {
  return Array.from({ length: c.n }, () => Array.from({ length: c.nOut }, () => (rng.chance(0.1) ? rng.pick([-128, 127]) : rng.int(-128, 127))));
}

/** Small weights (−2..2): with small operands the sums stay in the hundreds (fineRq). */
function fineWeights(rng: Rng, c: CmcTopConfig): Matrix {
  return Array.from({ length: c.n }, () => Array.from({ length: c.nOut }, () => rng.int(-2, 2)));
}

/** The element range; with `amp`, elements whose GEMM operand (gemmOperand) is within ±amp. */
const elemRange = (c: CmcTopConfig, amp?: number): [number, number] => {
  if (amp !== undefined) return c.signed ? [-amp, amp] : [128 - amp, 128 + amp];
  return c.signed ? [-128, 127] : [0, 255];
};

/**
 * g matrices; P tokens copy a candidate of their window (inter) or their row segment's
 * reference row (intra) with `noise` elements nudged by ±1 (so SADs sit near the threshold),
 * or are random (informative). With `amp`, GEMM operands within ±amp (elemRange).
 */
function segmentTokens(rng: Rng, c: CmcTopConfig, g: number, mode: 'inter' | 'intra', gv: number, repeat: number, noise: number, amp?: number): number[][][] {
  const { N } = cmcTopGeometry(c);
  const [lo, hi] = elemRange(c, amp);
  const tok = () => Array.from({ length: c.n }, () => (rng.chance(0.1) ? rng.pick([lo, hi]) : rng.int(lo, hi)));
  const nudge = (t: number[]) => {
    const out = [...t];
    const changes = rng.int(0, noise);
    for (let q = 0; q < changes; q++) {
      const k = rng.int(0, c.n - 1);
      out[k] = out[k] === hi ? hi - 1 : out[k] === lo ? lo + 1 : out[k] + rng.pick([-1, 1]);
    }
    return out;
  };
  const X: number[][][] = Array.from({ length: g }, () => Array.from({ length: N }, tok));
  if (mode === 'inter') {
    const tI = Math.floor((g - 1) / 2);
    const win = c.window === 'full' ? ({ kind: 'full' } as const) : ({ kind: 'radius', R: c.radius } as const);
    for (let t = 0; t < g; t++) {
      if (t === tI) continue;
      for (let i = 0; i < N; i++) if (rng.chance(repeat)) X[t][i] = nudge(X[tI][rng.pick(candidates(i, { H: c.gridH, W: c.gridW }, win))]);
    }
  } else {
    for (let t = 0; t < g; t++) {
      for (let s0 = 0; s0 < N; s0 += gv) {
        const len = Math.min(gv, N - s0);
        const ref = s0 + Math.floor((len - 1) / 2);
        for (let r = s0; r < s0 + len; r++) if (r !== ref && rng.chance(repeat)) X[t][r] = nudge(X[t][ref]);
      }
    }
  }
  return X;
}

/**
 * A requantiser that spreads int32 sums of K products over the int8 range (|acc| ~ 40·74·√K for
 * random operands), or, with `extreme`, S = 0 or S = 40 and any M (clamping and rounding edges).
 */
function rqOf(rng: Rng, K: number, extreme = false) {
  if (extreme) return { M: rng.int(0, 65535), S: rng.pick([0, 40]), zpOut: rng.pick([-128, 127]) };
  const S = rng.int(16, 30);
  const M = Math.min(65535, Math.max(1, Math.round((2 ** S * 60) / (3000 * Math.sqrt(K) * (0.5 + rng.int(0, 3) / 2)))));
  return { M, S, zpOut: rng.int(-20, 20) };
}

/**
 * A requantiser whose product's low bits reach the output: a small shift S and the odd M that
 * maps the segment's largest |acc| (every token, every column) to about ±200 codes, so most
 * outputs are in range and the largest saturate; an odd M keeps acc·M mod 2^S uniform, so the
 * rounding meets its exact halves (S ≥ 1), and at S = 0 every bit of p is the output's. With
 * `edge` (−1 or +1), about ±24 codes around a zero point of −124 or +123: the outputs straddle
 * that clamp limit, so q + zp meets −129 and −128, or 127 and 128, themselves.
 */
function fineRq(rng: Rng, X: number[][][], W: Matrix, c: CmcTopConfig, S: number, edge: -1 | 0 | 1 = 0) {
  let amax = 1;
  for (const tok of X.flat()) for (const v of rowTimesW(tok.map((x) => gemmOperand(x, c)), W)) amax = Math.max(amax, Math.abs(v));
  const M = Math.min(65535, Math.max(1, Math.round(((edge ? 24 : 200) * 2 ** S) / amax)) | 1);
  return { M, S, zpOut: edge < 0 ? -124 : edge > 0 ? 123 : rng.int(-8, 8) };
}

/** Random workloads: three weight loads and segments of every kind. */
function randomCommands(seed: number, c: CmcTopConfig): CmcCommand[] {
  const rng = new Rng(seed * 6151 + 11);
  const { N, sadBits } = cmcTopGeometry(c);
  const G = c.maxFrames;
  const seg = (g: number, mode: 'inter' | 'intra', gv: number, repeat: number, noise: number, thr: number, extreme = false): CmcCommand => ({
    kind: 'segment',
    X: segmentTokens(rng, c, g, mode, gv, repeat, noise),
    mode,
    gv,
    thr,
    rq: rqOf(rng, c.n, extreme),
  });
  // small operands (GEMM operands within ±amp, amp ~ 24/√n so sums stay in the hundreds with
  // fineWeights) and a fine requantiser of shift S
  const fineSeg = (W: Matrix, g: number, mode: 'inter' | 'intra', gv: number, repeat: number, thr: number, S: number, edge: -1 | 0 | 1 = 0): CmcCommand => {
    const amp = Math.max(1, Math.round((rng.pick([0.5, 1, 2, 4]) * 24) / Math.sqrt(c.n)));
    const X = segmentTokens(rng, c, g, mode, gv, repeat, 1, amp);
    return { kind: 'segment', X, mode, gv, thr, rq: fineRq(rng, X, W, c, S, edge) };
  };
  const cmds: CmcCommand[] = [
    { kind: 'weights', W: randomWeights(rng, c) },
    // a full inter segment; SADs of repeated tokens are 0..3, threshold 2: both sides of it
    seg(G, 'inter', N, 0.6, 3, 2),
    // a short final segment (g = 2, I matrix 0), every token informative (threshold 0)
    seg(Math.min(2, G), 'inter', N, 0.5, 0, 0),
    { kind: 'weights', W: randomWeights(rng, c) },
    // intra, row segments of 3 (a short last one when 3 ∤ N); threshold 1: only exact copies skip
    seg(Math.min(3, G), 'intra', 3, 0.7, 1, 1),
    // nothing informative but the I matrix: every P token an exact copy, a huge threshold
    seg(G, 'inter', N, 1, 0, 2 ** sadBits - 1, true),
    // one matrix: inter with g = 1 (only the I matrix), then intra with G_v = N and G_v = 1
    seg(1, 'inter', N, 0, 0, 5, true),
    seg(1, 'intra', N, 0.8, 0, 3),
    seg(Math.min(2, G), 'intra', 1, 0, 0, 3),
    // one matrix, predicted while the segment before (every row informative) is still in the
    // back end: the front end is ahead (slot 1 waits for the back end)
    seg(1, 'inter', N, 0.5, 1, 1),
  ];
  const W3 = fineWeights(rng, c);
  cmds.push(
    { kind: 'weights', W: W3 },
    // fine requantisers (shifts 0..10, odd M): the product's low bits, exact halves and
    // saturation reach y; the one-matrix segment after an all-informative one is again ahead
    // of the back end, now in slot 0
    fineSeg(W3, 1, 'inter', N, 0.5, 1, 0),
    fineSeg(W3, G, 'inter', N, 0.5, 0, rng.int(1, 3)),
    fineSeg(W3, 1, 'intra', Math.min(2, N), 0.5, 1, rng.int(4, 10)),
    // outputs around the lower, then the upper clamp limit
    fineSeg(W3, Math.min(2, G), 'intra', Math.min(3, N), 0.3, 1, rng.int(0, 6), -1),
    fineSeg(W3, Math.min(2, G), 'inter', N, 0.3, 1, rng.int(0, 6), 1),
  );
  return cmds;
}

export function topCase(name: string, params: Record<string, number | boolean | string>, commandsOf: (seed: number, c: CmcTopConfig) => CmcCommand[], extra: Partial<CmcCase> = {}): CmcCase {
  const c = topConfig(params);
  const decode = (stim: Stimulus) => decodeCommands(stim.streams!.in! as Record<string, bigint | number>[], c);
  return defineCmcCase({
    name: `cmc.top.${name}`,
    design: 'cmc',
    params,
    stalls: { inIdle: 0.3, outStall: 0.4 },
    seeds: 3,
    stimulus: (seed) => ({ streams: { in: commandBeats(commandsOf(seed, c), c) } }),
    golden(stim) {
      const res = runCommands(decode(stim), c);
      return { streams: { tab: res.flatMap((r) => r.tab), y: res.flatMap((r) => r.y) } };
    },
    cycles(stim, idle, stall) {
      const r = cmcTopCycles(decode(stim), c, (cy) => idle('in', cy), { tab: (cy) => stall('tab', cy), y: (cy) => stall('y', cy) });
      return { accepted: { in: r.accepted }, emitted: { tab: r.emitted.tab, y: r.emitted.y }, cycles: r.cycles };
    },
    ...extra,
  });
}

/**
 * A real segment: the first g frames of a clip, 768-byte tokens (unsigned pixels), the H × W
 * tokens from grid position (r0, c0) of the 14 × 14 grid, so the grid stays a real
 * neighbourhood; `thr` near the median SADmin of the region, so both decisions occur.
 */
function videoCommands(file: string, g: number, thr: number, H: number, W: number, r0: number, c0: number, intra?: { gv: number; thr: number }) {
  return (seed: number, c: CmcTopConfig): CmcCommand[] => {
    const rng = new Rng(seed);
    const frames = videoTokens(file, g);
    const X = frames.map((f) => Array.from({ length: H * W }, (_, q) => Array.from(f[(r0 + Math.floor(q / W)) * 14 + c0 + (q % W)])));
    return [
      { kind: 'weights', W: randomWeights(rng, c) },
      { kind: 'segment', X, mode: 'inter', gv: 1, thr, rq: { M: 1 << 12, S: 24, zpOut: 0 } },
      ...(intra ? [{ kind: 'segment', X, mode: 'intra', gv: intra.gv, thr: intra.thr, rq: { M: 1 << 12, S: 24, zpOut: 0 } } as const] : []),
    ];
  };
}

// configurations with two cases each
const RADIUS = { gridH: 3, gridW: 5, window: 'radius', radius: 1, signed: true, lanes: 3, n: 24, elemsPerBeat: 8, m: 8, nOut: 4, cols: 4, sadStages: 0, searchStages: 0, gemmStages: 0, gemmRqStages: 0, gemmMulStages: 0, maxFrames: 3 };
const ONEBEAT = { gridH: 2, gridW: 5, lanes: 3, n: 8, elemsPerBeat: 8, m: 8, nOut: 4, cols: 2, maxFrames: 3, signed: true, sadStages: 0 };
const VIDEO = { gridH: 4, gridW: 4, window: 'radius', radius: 1, n: 768, elemsPerBeat: 32, m: 256, lanes: 3, nOut: 16, cols: 8, sadStages: 2, gemmStages: 2 };
/** A slow read-out (tab 85 %, y 70 % stalled): segment starts wait for their slot, back ends for the read-out. */
const SLOW_OUT = { inIdle: 0.2, outStall: 0.2, perStream: { tab: 0.85, y: 0.7 } };

export const topCases: CmcCase[] = [
  // defaults: 4 × 4 grid, 48-element tokens in 3 beats, SAD passes of 16, 2 lanes, full search
  topCase('random', {}, randomCommands, { smoke: true }),
  // the table read-out much slower than the rows (tab stalls 85 %, y never): the next segment
  // must wait for the tables' last beat
  topCase('slowtab', {}, randomCommands, { stalls: { inIdle: 0.2, outStall: 0.2, perStream: { tab: 0.85, y: 0 } } }),
  // radius search (R = 1) on a 3 × 5 grid, signed elements, 3 lanes (windows of 4, 6, 9), one
  // tile of 4 columns, combinational trees
  topCase('radius', RADIUS, randomCommands),
  // the same with a slow read-out (SLOW_OUT)
  topCase('radius-slow', RADIUS, randomCommands, { stalls: SLOW_OUT }),
  // radius 2 on a 5 × 4 grid (windows of 9 to 20 candidates, 4 lanes: partial last jobs), two
  // tiles of 3 columns, two matrices at most; 6-beat tokens: a frame buffer of 6 banks, one idle
  // at every step (the other cases: 3 banks, none idle; 3 lanes on 3-beat tokens, copies); y
  // stalls 75 %: a recovered segment waits for the read-out of the one before
  topCase('radius2', { gridH: 5, gridW: 4, window: 'radius', radius: 2, lanes: 4, n: 24, elemsPerBeat: 4, m: 8, nOut: 6, cols: 3, maxFrames: 2, sadStages: 2, searchStages: 3, gemmStages: 3 }, randomCommands, {
    stalls: { inIdle: 0.3, outStall: 0.4, perStream: { y: 0.75 } },
  }),
  // full search over 10 tokens with 3 lanes (a 1-candidate last job), one beat per token and
  // per SAD job (BPT = 1, e = m = n), signed elements
  topCase('onebeat', ONEBEAT, randomCommands),
  // the same with a slow read-out (SLOW_OUT)
  topCase('onebeat-slow', ONEBEAT, randomCommands, { stalls: SLOW_OUT }),
  // real video: vtest frames 0-3, the 4 × 4 tokens at (5, 5), 768-byte tokens, radius 1; then the
  // same frames by intra prediction (row segments of 4 patches)
  topCase('video', VIDEO, videoCommands(VTEST, 4, 500, 4, 4, 5, 5, { gv: 4, thr: 3000 }), { seeds: 1 }),
  // the video engine's parameters (768-element tokens in 24 beats, radius 1, 3 lanes, two tiles
  // of 8 columns) on the random workload: the requantisers it draws (extreme, fine) and the
  // stage overlaps its segment sizes give, which the real segments above do not; y stalls 90 %,
  // so a recovered segment also waits for the read-out of the one before
  topCase('wide', VIDEO, randomCommands, {
    seeds: 1,
    stalls: { inIdle: 0.3, outStall: 0.4, perStream: { y: 0.9 } },
  }),
  // real video under `regress --full`: tree, the default CODEC (m = 256, e = 16), full search
  topCase('video-tree', { gridH: 4, gridW: 4, n: 768, elemsPerBeat: 16, m: 256, lanes: 4, nOut: 32, cols: 16, sadStages: 2, gemmStages: 2 }, videoCommands(TREE, 4, 1900, 4, 4, 5, 5), { seeds: 1, full: true }),
  // a whole real segment under `regress --full`: vtest frames 0-3, all 196 tokens, radius 1, the
  // default CODEC (m = 256, e = 16, 4 lanes) and a 768 → 768 projection on 16 columns
  topCase('video-frame', { gridH: 14, gridW: 14, window: 'radius', radius: 1, n: 768, elemsPerBeat: 16, m: 256, lanes: 4, nOut: 768, cols: 16, sadStages: 2, gemmStages: 2 }, videoCommands(VTEST, 4, 768 * 4, 14, 14, 0, 0), { seeds: 1, full: true, stalls: { inIdle: 0.05, outStall: 0.05 } }),
];
