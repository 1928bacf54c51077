// Cosimulation cases of ditto.vpu: directed requantiser edge cases (S = 0, S = 40, negative
// rounding at exact halves, clamps on both sides, M = 0, M = 65535, int32 extremes and the
// wrap of Y_{t+1} + Y_Δ), every table code in every lane, random multi-step sequences in both
// modes (original first, then differences, back-to-back beats to one address for the
// forwarding path), every activation table, every rqStages, stalls and seeds; golden
// sim/golden/ditto/vpu.ts with the generator's table, cycles sim/cycles/ditto/vpu.ts.
import { type VpuParams, VPU_RQ_STAGES, vpuDepth, vpuLatency, vpuTable } from '../../../generator/spec/ditto/vpu.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { INT32_MIN, addPrevious, int32, lookup, requantize } from '../../golden/ditto/vpu.ts';
import { vpuCycles } from '../../cycles/ditto/vpu.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { type DittoCase, type StreamSchedule, caseParams, inOut } from './common.ts';

const I32_MAX = 2 ** 31 - 1;

export interface VpuOp {
  addr: number;
  /** 0 = difference, 1 = original */
  mode: number;
  yd: number[];
  M: number;
  S: number;
  zp: number;
  last: number;
}

export function vpuBeat(o: VpuOp): Beat {
  const b: Beat = { addr: o.addr, mode: o.mode, m: o.M, s: o.S, zp: o.zp, last: o.last };
  o.yd.forEach((v, j) => (b[`yd_${j}`] = v));
  return b;
}

function beatOp(b: Beat, P: number): VpuOp {
  return {
    addr: Number(b.addr),
    mode: Number(b.mode),
    yd: Array.from({ length: P }, (_, j) => Number(b[`yd_${j}`])),
    M: Number(b.m),
    S: Number(b.s),
    zp: Number(b.zp),
    last: Number(b.last),
  };
}

/** The golden model on a beat stream: the stored Y per output index, then requantiser and table. */
export function vpuGolden(p: VpuParams) {
  const table = vpuTable(p);
  const P = p.lanes;
  return (stim: Stimulus) => {
    const Y = new Map<number, number>();
    const out = (stim.streams?.in ?? []).map((b, i) => {
      const o = beatOp(b, P);
      const beat: Beat = { last: o.last };
      o.yd.forEach((yd, j) => {
        const idx = o.addr * P + j;
        let Yt: number;
        if (o.mode === 1) Yt = yd;
        else {
          const prev = Y.get(idx);
          if (prev === undefined) throw new Error(`vpu stimulus: beat ${i} adds to output ${idx}, never stored`);
          Yt = addPrevious(prev, yd);
        }
        Y.set(idx, Yt);
        beat[`y_${j}`] = lookup(table, requantize(Yt, { M: o.M, S: o.S, zpOut: o.zp }));
        beat[`yt_${j}`] = Yt;
      });
      return beat;
    });
    return { streams: { out } };
  };
}

export function vpuCaseCycles(rqStages = VPU_RQ_STAGES) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule) => inOut('in', 'out', (i, s) => vpuCycles((stim.streams?.in ?? []).length, i, s, vpuLatency(rqStages)))(idle, stall);
}

/** Directed requantiser points (Y_t, M, S, zp). */
export const REQUANT_EDGES: [number, number, number, number][] = [
  // S = 0: q = p
  [3, 5, 0, 0],
  [30, 5, 0, 0],
  [-30, 5, 0, 0],
  [-25, 5, 0, 2],
  [I32_MAX, 65535, 0, 0],
  [INT32_MIN, 65535, 0, 0],
  [0, 65535, 0, -128],
  // S = 40 with the largest products
  [I32_MAX, 65535, 40, 0],
  [I32_MAX, 65535, 40, -1],
  [INT32_MIN, 65535, 40, 0],
  [INT32_MIN, 65535, 40, 127],
  [-1, 1, 40, 0],
  [1, 1, 40, 0],
  // rounding at exact halves, positive and negative (half up)
  [5, 1, 1, 0],
  [-5, 1, 1, 0],
  [-3, 1, 1, 0],
  [-7, 1, 1, 0],
  [-6, 1, 2, 0],
  [-7, 1, 2, 0],
  [6, 1, 2, 0],
  [-(2 ** 20) - 2 ** 9, 1, 10, 0],
  [-(2 ** 20) + 2 ** 9, 1, 10, 0],
  [255, 1, 1, -128],
  // clamps right at the edges: q + zp = 127, 128, −128, −129
  [127, 1, 0, 0],
  [128, 1, 0, 0],
  [127, 1, 0, 1],
  [-128, 1, 0, 0],
  [-129, 1, 0, 0],
  [-128, 1, 0, -1],
  [100, 1, 0, 27],
  [100, 1, 0, 28],
  [-100, 1, 0, -28],
  [-100, 1, 0, -29],
  // the registered requantiser keeps q saturated to s10 (−512..511): q + zp around those bounds
  [511, 1, 0, -128],
  [512, 1, 0, -128],
  [-512, 1, 0, 127],
  [-513, 1, 0, 127],
  [1024 + 100, 1, 0, -128],
  [-1024 - 100, 1, 0, 127],
  [2 ** 20, 1, 0, -128],
  [-(2 ** 20), 1, 0, 127],
  // M = 0 (y = zp) and M = 65535
  [I32_MAX, 0, 0, 0],
  [INT32_MIN, 0, 40, -77],
  [123456, 0, 17, 55],
  [-1, 65535, 16, 0],
  [1, 65535, 16, 0],
  [65536, 65535, 32, 0],
  [-65536, 65535, 32, 3],
  // S = 1..39 sweep with moderate values
  ...Array.from({ length: 39 }, (_, i): [number, number, number, number] => [(i % 2 ? -1 : 1) * Math.min(I32_MAX, 2 ** (i + 2) + 3), 40000 + i, i + 1, (i % 5) - 2]),
];

export interface VpuStimOptions {
  /** random beats after the directed ones */
  beats: number;
  /** probability that a beat repeats the previous beat's address (forwarding) */
  sameAddr?: number;
  /** directed edge cases first */
  directed?: boolean;
}

/** Choose M, S so that Y · M / 2^S lands near ±(0..180) mostly (clamps sometimes), or anything at all. */
function randomRequant(rng: Rng, Y: number): { M: number; S: number; zp: number } {
  const zp = rng.chance(0.5) ? 0 : rng.int(-128, 127);
  if (rng.chance(0.15)) return { M: rng.chance(0.5) ? rng.pick([0, 1, 65535]) : rng.int(0, 65535), S: rng.int(0, 40), zp };
  const M = rng.chance(0.1) ? rng.pick([1, 65535, 32768]) : rng.int(1, 65535);
  const mag = Math.abs(Y * M);
  const target = rng.chance(0.8) ? rng.int(1, 90) : rng.int(90, 400);
  const S = Math.max(0, Math.min(40, Math.round(Math.log2(Math.max(1, mag / target))) + rng.int(-1, 1)));
  return { M, S, zp };
}

function randomY(rng: Rng): number {
  const r = rng.float();
  if (r < 0.05) return rng.pick([I32_MAX, INT32_MIN, 0, -1, 1]);
  if (r < 0.5) return rng.int(-(2 ** 20), 2 ** 20);
  if (r < 0.8) return rng.int(-(2 ** 12), 2 ** 12);
  return rng.int(INT32_MIN, I32_MAX);
}

export function vpuStimulus(p: VpuParams, o: VpuStimOptions) {
  const P = p.lanes;
  const D = vpuDepth(p);
  return (seed: number): Stimulus => {
    const rng = new Rng(seed * 4241 + P);
    const ops: VpuOp[] = [];
    const Y = new Map<number, number>(); // stored Y per output index, as the golden model will have it
    const emit = (op: VpuOp) => {
      op.yd.forEach((yd, j) => {
        const idx = op.addr * P + j;
        Y.set(idx, op.mode === 1 ? yd : addPrevious(Y.get(idx)!, yd));
      });
      ops.push(op);
    };
    const stored = (addr: number) => Array.from({ length: P }, (_, j) => Y.get(addr * P + j)).every((v) => v !== undefined);
    if (o.directed) {
      REQUANT_EDGES.forEach(([Yt, M, S, zp], i) => {
        const addr = i % D;
        emit({ addr, mode: 1, yd: Array.from({ length: P }, (_, j) => (j === 0 ? Yt : randomY(rng))), M, S, zp, last: 0 });
      });
      // the edge values again, reached in difference mode (Y_t = Y_{t+1} + Y_Δ, with int32 wrap)
      REQUANT_EDGES.forEach(([Yt, M, S, zp], i) => {
        const addr = i % D;
        const yd = Array.from({ length: P }, (_, j) => (j === 0 ? int32(Yt - Y.get(addr * P)!) : randomY(rng)));
        emit({ addr, mode: 0, yd, M, S, zp, last: 0 });
      });
      // every table code in every lane (Y = code, M = 1, S = 0, zp = 0): each ROM entry is read
      for (let b = 0; b < 256; b++) emit({ addr: b % D, mode: 1, yd: Array.from({ length: P }, (_, j) => ((b + 37 * j) % 256) - 128), M: 1, S: 0, zp: 0, last: 0 });
      // wrap-around of the addition: I32_MAX + 1, INT32_MIN − 1
      emit({ addr: 0, mode: 1, yd: Array(P).fill(I32_MAX), M: 1, S: 24, zp: 0, last: 0 });
      emit({ addr: 0, mode: 0, yd: Array(P).fill(1), M: 1, S: 24, zp: 0, last: 0 });
      emit({ addr: 0, mode: 0, yd: Array(P).fill(-1), M: 1, S: 24, zp: 0, last: 1 });
    }
    // random steps: original first for every address touched, then differences
    let prevAddr = 0;
    for (let i = 0; i < o.beats; i++) {
      const addr = rng.chance(o.sameAddr ?? 0.2) ? prevAddr : rng.int(0, D - 1);
      const mode = !stored(addr) || rng.chance(0.1) ? 1 : 0;
      // lanes near lane 0's magnitude (one M, S per beat), some anywhere
      const t0 = randomY(rng);
      const target = Array.from({ length: P }, (_, j) => (j === 0 ? t0 : rng.chance(0.85) ? int32(Math.round(t0 * (rng.float() * 3 - 1.5))) : randomY(rng)));
      const yd = target.map((t, j) => (mode === 1 ? t : rng.chance(0.9) ? int32(t - Y.get(addr * P + j)!) : randomY(rng)));
      const rq = randomRequant(rng, target[0]);
      emit({ addr, mode, yd, ...rq, last: rng.chance(0.1) || i === o.beats - 1 ? 1 : 0 });
      prevAddr = addr;
    }
    return { streams: { in: ops.map(vpuBeat) } };
  };
}

function vpuCase(name: string, params: Partial<VpuParams>, o: VpuStimOptions, extra: { stalls?: StallProbabilities; full?: boolean; seeds?: number } = {}): DittoCase {
  const p = caseParams({ design: 'ditto.vpu', params }) as unknown as VpuParams;
  return {
    name: `ditto.vpu.${name}`,
    design: 'ditto.vpu',
    params,
    stimulus: vpuStimulus(p, o),
    golden: vpuGolden(p),
    cycles: vpuCaseCycles(p.rqStages),
    ...extra,
  };
}

const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };

export const vpuCases: DittoCase[] = [
  { ...vpuCase('identity', {}, { beats: 3000, directed: true }, { stalls: STALLS }), smoke: true },
  vpuCase('free', {}, { beats: 2000, directed: true }),
  // a small buffer: the same addresses over and over (forwarding), heavy back-pressure
  vpuCase('forward', { lanes: 2, entries: 8 }, { beats: 3000, sameAddr: 0.6, directed: true }, { stalls: { inIdle: 0.2, outStall: 0.6 } }),
  vpuCase('relu', { act: 'relu', actInScale: 16, actOutScale: 24, actInZero: -3, actOutZero: -100 }, { beats: 1500, directed: true }, { stalls: STALLS }),
  vpuCase('gelu', { lanes: 1, entries: 5, act: 'gelu', actInScale: 64, actOutScale: 48, actOutZero: 10 }, { beats: 2000, sameAddr: 0.4, directed: true }, { stalls: STALLS }),
  vpuCase('rq0', { rqStages: 0, act: 'relu', actInScale: 16, actOutScale: 24, actOutZero: -10 }, { beats: 1500, directed: true }, { stalls: STALLS }),
  // the one-stage multiplier with the registered window (rqStages 1), an identity table
  vpuCase('rq1', { rqStages: 1, lanes: 3, entries: 12 }, { beats: 1500, sameAddr: 0.4, directed: true }, { stalls: STALLS }),
  vpuCase('silu', { lanes: 16, entries: 256, act: 'silu', actInScale: 40, actOutScale: 40, actInZero: 5 }, { beats: 800, directed: true }, { stalls: STALLS }),
  vpuCase('big', { lanes: 16, entries: 65536, act: 'gelu', actInScale: 64, actOutScale: 64 }, { beats: 20000, directed: true }, { stalls: STALLS, full: true }),
];
