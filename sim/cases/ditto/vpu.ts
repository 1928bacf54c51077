// Cosimulation cases of ditto.vpu: directed requantiser edge cases (S = 0, S = 40, negative
// rounding at exact halves, clamps on both sides, M = 0, M = 65535, int32 extremes and the
// wrap of Y_{t+1} + Y_Δ), every table code in every lane, random multi-step sequences in both
// modes (original first, then differences, back-to-back beats to one address for the
// forwarding path), every activation table, every rqStages, stalls and seeds; golden
// sim/golden/ditto/vpu.ts (VpuStreamModel) with the generator's table, cycles
// sim/cycles/ditto/vpu.ts.
// Loadable tables (tables = 1, 2, 3): every table loaded through the in stream (table 0 first,
// the others interleaved with vector beats that read table 0), vector beats choosing tsel, and
// table rewrites between two vector beats that read the very entries written (the one before
// sees the old value, the one after the new, whatever the stalls), repeated writes to one entry,
// writes to the same entry of another table; the vector fields of a table-write beat are
// random (it must not touch the Y buffer or the forwarding register), as are ti/tv of a vector
// beat. No vector beat reads an entry never written (X in the RTL): the stimulus runs the
// golden model as it goes, which rejects such a read.
import { type VpuParams, VPU_RQ_STAGES, vpuDepth, vpuLatency, vpuTable } from '../../../generator/spec/ditto/vpu.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { INT32_MIN, type VpuInBeat, VpuStreamModel, addPrevious, int32, requantize } from '../../golden/ditto/vpu.ts';
import { vpuCycles } from '../../cycles/ditto/vpu.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { type DittoCase, type StreamSchedule, caseParams, inOut } from './common.ts';

const I32_MAX = 2 ** 31 - 1;

/** One `in` beat (golden VpuInBeat): op/tsel/ti/tv only with tables ≥ 1. */
export type VpuOp = VpuInBeat & { yd: number[] };

/** The harness beat of `o`; with tables ≥ 1 it carries op, tsel, ti, tv (0 when not given). */
export function vpuBeat(o: VpuOp, tables = 0): Beat {
  const b: Beat = { addr: o.addr, mode: o.mode, m: o.M, s: o.S, zp: o.zp, last: o.last };
  o.yd.forEach((v, j) => (b[`yd_${j}`] = v));
  if (tables > 0) Object.assign(b, { op: o.op ?? 0, tsel: o.tsel ?? 0, ti: o.ti ?? 0, tv: o.tv ?? 0 });
  return b;
}

function beatOp(b: Beat, P: number): VpuOp {
  const o: VpuOp = {
    addr: Number(b.addr),
    mode: Number(b.mode),
    yd: Array.from({ length: P }, (_, j) => Number(b[`yd_${j}`])),
    M: Number(b.m),
    S: Number(b.s),
    zp: Number(b.zp),
    last: Number(b.last),
  };
  if (b.op !== undefined) Object.assign(o, { op: Number(b.op), tsel: Number(b.tsel), ti: Number(b.ti), tv: Number(b.tv) });
  return o;
}

/** The golden model on a beat stream (VpuStreamModel): an output beat per vector beat, in order. */
export function vpuGolden(p: VpuParams) {
  const T = p.tables;
  const table = T === 0 ? vpuTable(p) : undefined;
  const P = p.lanes;
  return (stim: Stimulus) => {
    const model = new VpuStreamModel(P, table ? { table } : { tables: T });
    const out = model.run((stim.streams?.in ?? []).map((b) => beatOp(b, P))).map((o) => {
      const beat: Beat = { last: o.last };
      o.y.forEach((y, j) => (beat[`y_${j}`] = y));
      o.Yt.forEach((Yt, j) => (beat[`yt_${j}`] = Yt));
      return beat;
    });
    return { streams: { out } };
  };
}

/** The cycle model of a case: every beat takes a pipeline slot, vector beats (op = 0) leave. */
export function vpuCaseCycles(rqStages = VPU_RQ_STAGES) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule) => {
    const beats = stim.streams?.in ?? [];
    const vector = beats.map((b) => Number(b.op ?? 0) === 0);
    return inOut('in', 'out', (i, s) => vpuCycles(vector.every(Boolean) ? beats.length : vector, i, s, vpuLatency(rqStages)))(idle, stall);
  };
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
    return { streams: { in: ops.map((op) => vpuBeat(op)) } };
  };
}

export interface VpuTableStimOptions extends VpuStimOptions {
  /** probability that a vector beat is followed by a rewrite of entries it read, then its repeat */
  rewrite?: number;
  /** probability of a table write to a random entry before a vector beat */
  scatter?: number;
}

/**
 * Stimulus for tables ≥ 1: loads, then (directed) the requantiser edges and every code of every
 * table in every lane, then random vector beats with random tsel, rewrites and scattered writes.
 */
export function vpuTableStimulus(p: VpuParams, o: VpuTableStimOptions) {
  const P = p.lanes;
  const D = vpuDepth(p);
  const T = p.tables;
  if (T < 1) throw new RangeError('vpuTableStimulus: tables >= 1');
  return (seed: number): Stimulus => {
    const rng = new Rng(seed * 7919 + P * 31 + T);
    const model = new VpuStreamModel(P, { tables: T });
    const ops: VpuOp[] = [];
    let prevAddr = 0;
    const push = (op: VpuOp) => {
      const out = model.step(op, `beat ${ops.length}`);
      ops.push(op);
      return out;
    };
    const stored = (addr: number) => Array.from({ length: P }, (_, j) => model.Y.get(addr * P + j)).every((v) => v !== undefined);
    /** A table write; its vector fields are noise (near the addresses in use). */
    const write = (tsel: number, ti: number, tv: number) =>
      push({ op: 1, tsel, ti, tv, addr: rng.chance(0.6) ? prevAddr : rng.int(0, D - 1), mode: rng.int(0, 1), yd: Array.from({ length: P }, () => randomY(rng)), M: rng.int(0, 65535), S: rng.int(0, 63), zp: rng.int(-128, 127), last: rng.int(0, 1) });
    /** A vector beat (ti/tv noise); returns its codes per lane. */
    const vector = (v: Omit<VpuOp, 'op' | 'tsel' | 'ti' | 'tv'>, tsel: number): number[] => {
      const out = push({ ...v, op: 0, tsel, ti: rng.int(0, 255), tv: rng.int(-128, 127) })!;
      prevAddr = v.addr;
      return out.Yt.map((Yt) => requantize(Yt, { M: v.M, S: v.S, zpOut: v.zp }) & 255);
    };
    const anyTable = (loaded: number) => rng.int(0, loaded - 1);
    const randomVector = (loaded: number, last: boolean): { v: Omit<VpuOp, 'op' | 'tsel' | 'ti' | 'tv'>; tsel: number } => {
      const addr = rng.chance(o.sameAddr ?? 0.2) ? prevAddr : rng.int(0, D - 1);
      const mode = !stored(addr) || rng.chance(0.2) ? 1 : 0;
      const t0 = randomY(rng);
      const target = Array.from({ length: P }, (_, j) => (j === 0 ? t0 : rng.chance(0.85) ? int32(Math.round(t0 * (rng.float() * 3 - 1.5))) : randomY(rng)));
      const yd = target.map((t, j) => (mode === 1 ? t : rng.chance(0.9) ? int32(t - model.Y.get(addr * P + j)!) : randomY(rng)));
      return { v: { addr, mode, yd, ...randomRequant(rng, target[0]), last: rng.chance(0.1) || last ? 1 : 0 }, tsel: anyTable(loaded) };
    };

    // loads: table 0 in a random order, then the others interleaved with vector beats on table 0
    const order = (t: number) => {
      const e = Array.from({ length: 256 }, (_, i) => i);
      for (let i = 255; i > 0; i--) {
        const k = rng.int(0, i);
        [e[i], e[k]] = [e[k], e[i]];
      }
      return e.map((ti) => [t, ti] as const);
    };
    for (const [t, ti] of order(0)) write(t, ti, rng.int(-128, 127));
    const rest = Array.from({ length: T - 1 }, (_, k) => order(k + 1)).flat();
    for (let i = 0; i < rest.length; i++) {
      const [t, ti] = rest[i];
      write(t, ti, rng.int(-128, 127));
      if (rng.chance(0.3)) {
        const { v } = randomVector(1, false);
        vector(v, 0);
      }
    }

    if (o.directed) {
      REQUANT_EDGES.forEach(([Yt, M, S, zp], i) => {
        vector({ addr: i % D, mode: 1, yd: Array.from({ length: P }, (_, j) => (j === 0 ? Yt : randomY(rng))), M, S, zp, last: 0 }, anyTable(T));
      });
      REQUANT_EDGES.forEach(([Yt, M, S, zp], i) => {
        const addr = i % D;
        vector({ addr, mode: 0, yd: Array.from({ length: P }, (_, j) => (j === 0 ? int32(Yt - model.Y.get(addr * P)!) : randomY(rng))), M, S, zp, last: 0 }, anyTable(T));
      });
      // every entry of every table in every lane (Y = code, M = 1, S = 0, zp = 0)
      for (let t = 0; t < T; t++) for (let b = 0; b < 256; b++) vector({ addr: b % D, mode: 1, yd: Array.from({ length: P }, (_, j) => ((b + 37 * j) % 256) - 128), M: 1, S: 0, zp: 0, last: 0 }, t);
      // back to back: write an entry and read it at once, read it and rewrite it at once,
      // write it twice (the last write wins), write the same entry of the other table
      for (let k = 0; k < 24; k++) {
        const t = anyTable(T);
        const code = rng.int(-128, 127);
        const yd = Array.from({ length: P }, () => code);
        const v = { addr: k % D, mode: 1, yd, M: 1, S: 0, zp: 0, last: 0 };
        vector(v, t);
        write(t, code & 255, rng.int(-128, 127));
        vector(v, t);
        write(t, code & 255, rng.int(-128, 127));
        write(t, code & 255, rng.int(-128, 127));
        if (T > 1) write((t + 1) % T, code & 255, rng.int(-128, 127));
        vector(v, t);
        if (T > 1) vector(v, (t + 1) % T);
      }
    }

    for (let i = 0; i < o.beats; i++) {
      if (rng.chance(o.scatter ?? 0.1)) write(anyTable(T), rng.int(0, 255), rng.int(-128, 127));
      const { v, tsel } = randomVector(T, i === o.beats - 1);
      const codes = vector(v, tsel);
      if (rng.chance(o.rewrite ?? 0.25)) {
        // rewrite entries just read (some lanes), maybe another table's too, then read them again:
        // the repeat is an original-mode beat of the Y_t just stored, so the codes are the same
        const lanes = Array.from({ length: P }, (_, j) => j).filter((j) => j === 0 || rng.chance(0.4));
        for (const j of lanes) write(tsel, codes[j], rng.int(-128, 127));
        if (T > 1 && rng.chance(0.3)) write((tsel + rng.int(1, T - 1)) % T, codes[0], rng.int(-128, 127));
        const Yt = Array.from({ length: P }, (_, j) => model.Y.get(v.addr * P + j)!);
        vector({ ...v, mode: 1, yd: Yt }, T > 1 && rng.chance(0.2) ? anyTable(T) : tsel);
      }
    }
    return { streams: { in: ops.map((op) => vpuBeat(op, T)) } };
  };
}

function vpuCase(name: string, params: Partial<VpuParams>, o: VpuTableStimOptions, extra: { stalls?: StallProbabilities; full?: boolean; seeds?: number } = {}): DittoCase {
  const p = caseParams({ design: 'ditto.vpu', params }) as unknown as VpuParams;
  return {
    name: `ditto.vpu.${name}`,
    design: 'ditto.vpu',
    params,
    stimulus: p.tables === 0 ? vpuStimulus(p, o) : vpuTableStimulus(p, o),
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
  // loadable tables: loads, tsel per beat, rewrites between reads of the same entries
  vpuCase('tables2', { tables: 2 }, { beats: 2500, directed: true, rewrite: 0.3 }, { stalls: STALLS, seeds: 4 }),
  // free running (back-to-back writes and reads at full rate) on tables2's configuration
  vpuCase('tables2_free', { tables: 2 }, { beats: 2500, sameAddr: 0.5, directed: true, rewrite: 0.4 }, { seeds: 4 }),
  vpuCase('tables2_stall', { tables: 2, lanes: 2, entries: 8, rqStages: 0 }, { beats: 2500, sameAddr: 0.5, directed: true, rewrite: 0.4, scatter: 0.2 }, { stalls: { inIdle: 0.2, outStall: 0.6 }, seeds: 4 }),
  vpuCase('tables1', { tables: 1, lanes: 3, entries: 12, rqStages: 1 }, { beats: 2000, sameAddr: 0.4, directed: true, rewrite: 0.3 }, { stalls: STALLS, seeds: 4 }),
  vpuCase('tables3', { tables: 3, lanes: 1, entries: 5 }, { beats: 2000, sameAddr: 0.4, directed: true, rewrite: 0.3, scatter: 0.2 }, { stalls: { inIdle: 0.4, outStall: 0.4 }, seeds: 3 }),
  vpuCase('big', { lanes: 16, entries: 65536, act: 'gelu', actInScale: 64, actOutScale: 64 }, { beats: 20000, directed: true }, { stalls: STALLS, full: true }),
];
