// Cosim cases of the CMC GEMM engine (cmc.gemm): random rows and weight loads, extreme products
// and accumulations beyond 16 bits, the requantiser's corners (S = 0, S = 40, zero points of
// both signs, clamping both ways), the product acc·M bit by bit (M of every length, S walking
// the product), weight reloads between rows, U = 1 / KB = 1, e = 1; stalls on every stream.
//
// Which rows see which load depends on timing (a load is accepted between rows, and w wins
// only when it is offered there), so the golden model takes the order from the cycle model
// run on the seed's own idle/stall schedules (the case's stall settings, as runCase uses them):
// a wrong order in the RTL shows as wrong values, a wrong cycle as a cycle-model difference.
// Every stimulus starts with all-zero rows, defined even before the first load (the weight
// memories are not reset; 0 × anything = 0).
import type { Stimulus } from '../../cosim/index.ts';
import { Rng } from '../../stimulus/rng.ts';
import { scheduleAt } from '../../stimulus/format.ts';
import type { Layout } from '../../stimulus/layout.ts';
import { type StallProbabilities, makeSchedules } from '../../stimulus/schedule.ts';
import { type GemmEngineConfig, type Matrix, gemmEngineStream, gemmLoadsBefore, gemmRowBeats, gemmWeightBeats } from '../../golden/cmc/gemm.ts';
import type { RequantParams } from '../../golden/ditto/vpu.ts';
import { type GemmTiming, gemmCycles } from '../../cycles/cmc/gemm.ts';
import { type CmcCase, caseParams, defineCmcCase } from './common.ts';

export type GemmCaseConfig = GemmEngineConfig & GemmTiming & { entryBits: number };

export function gemmConfig(params: Record<string, number>): GemmCaseConfig {
  const p = caseParams({ design: 'cmc.gemm', params });
  const n = (k: string) => Number(p[k]);
  return { e: n('elemsPerBeat'), B: n('cols'), K: n('k'), nOut: n('nOut'), elemsPerBeat: n('elemsPerBeat'), cols: n('cols'), k: n('k'), stages: n('stages'), mulStages: n('mulStages'), rqStages: n('rqStages'), entryBits: n('entryBits') };
}

export interface GemmScenario {
  loads: Matrix[];
  rows: { x: number[]; entry: number; last: number }[];
  rq: RequantParams;
}

/** A stimulus that remembers its seed (the golden model needs the seed's schedules). */
export type GemmStimulus = Stimulus & { seed: number };

/** The idle / stall schedules the cosim runner draws for `seed` (sim/stimulus/schedule.ts). */
export function gemmSchedules(seed: number, stalls: StallProbabilities): { idle: (s: 'w' | 'x', c: number) => boolean; stall: (c: number) => boolean } {
  const layout = { inStreams: [{ name: 'w' }, { name: 'x' }], outStreams: [{ name: 'out' }] } as unknown as Layout;
  const sched = makeSchedules(layout, seed, stalls);
  return { idle: (s, c) => scheduleAt(sched.idle![s]!, c), stall: (c) => scheduleAt(sched.stall!.out!, c) };
}

const int8 = (rng: Rng): number => (rng.chance(0.25) ? rng.pick([-128, 127, 0, -1, 1]) : rng.int(-128, 127));
const randomW = (rng: Rng, c: GemmCaseConfig): Matrix => Array.from({ length: c.K }, () => Array.from({ length: c.nOut }, () => int8(rng)));
const randomRow = (rng: Rng, c: GemmCaseConfig): number[] => Array.from({ length: c.K }, () => int8(rng));
const zeroRows = (n: number, c: GemmCaseConfig, rng: Rng) => Array.from({ length: n }, () => ({ x: new Array<number>(c.K).fill(0), entry: rng.int(0, 2 ** c.entryBits - 1), last: rng.int(0, 1) }));

/** Random loads and rows; requantiser settings that keep most y unsaturated. */
export function randomScenario(seed: number, c: GemmCaseConfig, loads: number, rows: number, zeros = 3): GemmScenario {
  const rng = new Rng(seed * 4241 + 17);
  const M = rng.int(1, 65535);
  // |acc| is about sqrt(K)·74² typically: pick S so that y spans a few dozen codes
  const S = Math.max(0, Math.min(40, Math.round(Math.log2((Math.sqrt(c.K) * 5500 * M) / 48))));
  return {
    loads: Array.from({ length: loads }, () => randomW(rng, c)),
    rows: [...zeroRows(zeros, c, rng), ...Array.from({ length: rows }, () => ({ x: randomRow(rng, c), entry: rng.int(0, 2 ** c.entryBits - 1), last: rng.int(0, 1) }))],
    rq: { M, S, zpOut: rng.int(-128, 127) },
  };
}

/** Directed requantiser settings per seed: S = 0 (y = clamp(acc)), S = 40, zero points of both signs. */
const REQUANT: RequantParams[] = [
  { M: 1, S: 0, zpOut: 0 },
  { M: 65535, S: 40, zpOut: 77 },
  { M: 3, S: 4, zpOut: -100 },
  { M: 40000, S: 22, zpOut: 100 },
  { M: 65535, S: 1, zpOut: -128 },
];

/** Extreme weights (columns: all −128, all 127, alternating, random) and rows (all −128, all 127, mixed). */
export function extremeScenario(seed: number, c: GemmCaseConfig): GemmScenario {
  const rng = new Rng(seed * 131 + 5);
  const W: Matrix = Array.from({ length: c.K }, (_, k) =>
    Array.from({ length: c.nOut }, (_, n) => [-128, 127, k % 2 ? -128 : 127, int8(rng)][n % 4]),
  );
  const fill = (v: number) => new Array<number>(c.K).fill(v);
  const xs = [fill(-128), fill(127), fill(-128), Array.from({ length: c.K }, (_, k) => (k % 2 ? -128 : 127)), fill(1), fill(-1), randomRow(rng, c), randomRow(rng, c), fill(-128)];
  return {
    loads: [W],
    rows: [...zeroRows(3, c, rng), ...xs.map((x) => ({ x, entry: rng.int(0, 2 ** c.entryBits - 1), last: rng.int(0, 1) }))],
    rq: REQUANT[(seed - 1) % REQUANT.length],
  };
}

/** Requantiser settings with q = acc exactly (S = 0, or M = 2^S), zero points at both ends and inside. */
const EXACT: RequantParams[] = [
  { M: 1, S: 0, zpOut: 0 },
  { M: 1, S: 0, zpOut: -128 },
  { M: 1, S: 0, zpOut: 127 },
  { M: 2, S: 1, zpOut: -100 },
  { M: 4, S: 2, zpOut: 50 },
];

/**
 * The clamp's boundaries in every column: weights 1 on k < 3 (0 elsewhere), so acc = x0 + x1 + x2
 * in every column, and rows chosen so that q + zp (q = acc under EXACT) is each of 128, 127,
 * −128, −129 (one past each clamp limit and the limits themselves), 129, −130, 0, ±200.
 */
export function boundaryScenario(seed: number, c: GemmCaseConfig): GemmScenario {
  const rng = new Rng(seed * 613 + 11);
  const rq = EXACT[(seed - 1) % EXACT.length];
  const W: Matrix = Array.from({ length: c.K }, (_, k) => new Array<number>(c.nOut).fill(k < 3 ? 1 : 0));
  const row = (acc: number): number[] => {
    const x = new Array<number>(c.K).fill(0);
    let rest = acc;
    for (let k = 0; k < 3; k++) {
      x[k] = Math.max(-128, Math.min(127, rest));
      rest -= x[k];
    }
    if (rest !== 0) throw new Error(`boundaryScenario: acc ${acc} needs more than 3 int8 terms`);
    return x;
  };
  const targets = [128, 127, -128, -129, 129, -130, 0, 200, -200, 128, -129];
  return {
    loads: [W],
    rows: [...zeroRows(1, c, rng), ...targets.map((z) => ({ x: row(z - rq.zpOut), entry: rng.int(0, 2 ** c.entryBits - 1), last: rng.int(0, 1) }))],
    rq,
  };
}

/**
 * The product p = acc·M bit by bit: y shows only the window of p at bit S (and, through the
 * clamp, whether anything lies above it), so the seeds walk the window across the product — M
 * of every bit length 1..16 (seed by seed), rows of magnitudes 2^0..2^7 (acc over ~8 octaves),
 * S set from the rows' median |acc·M| so that about half the outputs are unsaturated and the
 * low bits reach the rounding. A wrong partial product, compressor or carry-propagate bit then
 * changes some y.
 */
export function productScenario(seed: number, c: GemmCaseConfig): GemmScenario {
  const rng = new Rng(seed * 2029 + 3);
  const lm = ((seed - 1) * 7) % 16 + 1;
  const M = rng.int(2 ** (lm - 1), 2 ** lm - 1);
  const W: Matrix = Array.from({ length: c.K }, () => Array.from({ length: c.nOut }, () => int8(rng)));
  const rows = Array.from({ length: 32 }, (_, i) => {
    const r = rng.int(0, 7);
    // every fourth row one sign throughout: the largest |acc| of its magnitude
    const x = i % 4 === 3 ? new Array<number>(c.K).fill(rng.pick([-(2 ** r), 2 ** r - 1])) : Array.from({ length: c.K }, () => rng.int(-(2 ** r), 2 ** r - 1));
    return { x, entry: rng.int(0, 2 ** c.entryBits - 1), last: rng.int(0, 1) };
  });
  const mags = rows.flatMap((row) => Array.from({ length: c.nOut }, (_, n) => Math.abs(row.x.reduce((a, v, k) => a + v * W[k][n], 0)) * M)).sort((a, b) => a - b);
  const median = Math.max(1, mags[mags.length >> 1]);
  const S = Math.max(0, Math.min(40, Math.round(Math.log2(median)) - 5 + rng.int(-2, 2)));
  return { loads: [W], rows: [...zeroRows(1, c, rng), ...rows], rq: { M, S, zpOut: rng.int(-20, 20) } };
}

/** The beats of a scenario: non-final x beats carry random entry/last (ignored by the block). */
export function scenarioStimulus(seed: number, s: GemmScenario, c: GemmCaseConfig): GemmStimulus {
  const rng = new Rng(seed * 977 + 1);
  const filler = () => ({ entry: rng.int(0, 2 ** c.entryBits - 1), last: rng.int(0, 1) });
  return {
    streams: {
      w: s.loads.flatMap((W) => gemmWeightBeats(W, c)),
      x: s.rows.flatMap((r) => gemmRowBeats(r.x, c, r.entry, r.last, filler)),
    },
    rows: [{ m: s.rq.M, s: s.rq.S, zp: s.rq.zpOut }],
    seed,
  };
}

/** Loads accepted before each row under the seed's schedules (from the cycle model). */
export function scenarioOrder(stim: GemmStimulus, c: GemmCaseConfig, stalls: StallProbabilities): number[] {
  const sch = gemmSchedules(stim.seed, stalls);
  const r = gemmCycles(stim.streams!.w!.length, stim.streams!.x!.length, c, sch.idle, sch.stall);
  return gemmLoadsBefore(r.accepted.w, r.accepted.x, c);
}

function gemmCase(name: string, params: Record<string, number>, scenario: (seed: number, c: GemmCaseConfig) => GemmScenario, extra: Partial<CmcCase> = {}): CmcCase {
  const c = gemmConfig(params);
  const stalls: StallProbabilities = extra.stalls ?? { inIdle: 0.3, outStall: 0.4 };
  return defineCmcCase({
    name: `cmc.gemm.${name}`,
    design: 'cmc.gemm',
    params,
    stalls,
    seeds: 3,
    stimulus: (seed) => scenarioStimulus(seed, scenario(seed, c), c),
    golden(stim: Stimulus) {
      const g = stim as GemmStimulus;
      const rq = { M: Number(g.rows![0].m), S: Number(g.rows![0].s), zpOut: Number(g.rows![0].zp) };
      return { streams: { out: gemmEngineStream(g.streams!.w!, g.streams!.x!, c, rq, scenarioOrder(g, c, stalls)) } };
    },
    cycles(stim, idle, stall) {
      const r = gemmCycles(stim.streams!.w!.length, stim.streams!.x!.length, c, (s, cy) => idle(s, cy), (cy) => stall('out', cy));
      return { accepted: { w: r.accepted.w, x: r.accepted.x }, emitted: { out: r.emitted }, cycles: r.cycles };
    },
    ...extra,
  });
}

// Parameter points (one Verilator build each): the defaults (e = 4, B = 4, K = 16, nOut = 8:
// KB = 4, U = 2, stages 1, mulStages 1, rqStages 1); e = 1 (stages 0, mulStages 0, rqStages 0,
// U = 3: the one-stage multiplier); U = 1 and KB = 1 (stages at the maximum);
// a long K (KB = 16, sums up to 2^22).
const DEFAULT = {};
const E1 = { elemsPerBeat: 1, cols: 2, k: 3, nOut: 6, stages: 0, mulStages: 0, rqStages: 0, entryBits: 3 };
const SINGLE = { elemsPerBeat: 8, cols: 3, k: 8, nOut: 3, stages: 4, entryBits: 1 };
const LONG = { elemsPerBeat: 16, cols: 2, k: 256, nOut: 4, stages: 2, entryBits: 12 };

export const gemmCases: CmcCase[] = [
  gemmCase('random', DEFAULT, (seed, c) => randomScenario(seed, c, 2, 24), { smoke: true }),
  // S = 0, S = 40, zp ±, both clamps; all −128 rows against all −128 columns (K·2^14 > 2^16)
  gemmCase('requant', DEFAULT, extremeScenario, { seeds: 5 }),
  // six loads against rows: idle-heavy inputs, so rows slip in between loads (a row enters at
  // a load boundary when w is not offered there)
  // q + zp at the clamp limits and one past them (128, −129) in every column
  gemmCase('requant_boundary', DEFAULT, boundaryScenario, { seeds: 5 }),
  // the multiplier's every bit: M of each bit length, S walking the product (8 seeds: 8 lengths)
  gemmCase('product', DEFAULT, productScenario, { seeds: 8 }),
  gemmCase('reload', DEFAULT, (seed, c) => randomScenario(seed, c, 6, 16, 1), { stalls: { inIdle: 0.7, outStall: 0.3 } }),
  gemmCase('e1', E1, (seed, c) => randomScenario(seed, c, 3, 30, 1)),
  gemmCase('e1_boundary', E1, boundaryScenario, { seeds: 5 }),
  gemmCase('single', SINGLE, (seed, c) => randomScenario(seed, c, 3, 40, 1), { stalls: { inIdle: 0.5, outStall: 0.4 } }),
  gemmCase('single_extremes', SINGLE, extremeScenario, { seeds: 5 }),
  gemmCase('single_boundary', SINGLE, boundaryScenario, { seeds: 5 }),
  gemmCase('long', LONG, extremeScenario, { seeds: 2 }),
  gemmCase('long_random', LONG, (seed, c) => randomScenario(seed, c, 2, 6)),
  gemmCase('long_boundary', LONG, boundaryScenario, { seeds: 5 }),
  gemmCase('long_product', LONG, productScenario, { seeds: 8 }),
  // e = 64 (the widest beat), deepest tree pipeline
  gemmCase('wide', { elemsPerBeat: 64, cols: 2, k: 128, nOut: 6, stages: 7, entryBits: 24 }, (seed, c) => randomScenario(seed, c, 2, 10), { full: true }),
];
