// Cosimulation cases of ditto.defo: directed ties (cycle_act = cycle_diff keeps original
// data), saturation (counts ≥ 65,535 clip, so two large counts tie), freezing from step 3
// (later step-1/2 reports do not change a taken decision, whether a query or a report froze it),
// and random diffusion-like flows (per step and layer: query, then report) interleaved across
// layers; golden sim/golden/ditto/defo.ts, cycles sim/cycles/ditto/defo.ts.
import type { DefoParams } from '../../../generator/spec/ditto/defo.ts';
import type { Beat, Stimulus } from '../../cosim/index.ts';
import { DefoUnit } from '../../golden/ditto/defo.ts';
import { defoCycles } from '../../cycles/ditto/defo.ts';
import { Rng } from '../../stimulus/rng.ts';
import type { StallProbabilities } from '../../stimulus/schedule.ts';
import { type DittoCase, type StreamSchedule, caseParams, inOut } from './common.ts';

export interface DefoOp {
  query: boolean;
  layer: number;
  /** 1, 2, 3, ... (the RTL's step field is min(step, 3) − 1, or 3 for some later steps) */
  step: number;
  cycles: number;
}

/** The RTL's 2-bit step field: 0 = step 1, 1 = step 2, 2 or 3 = later (both used). */
export function stepField(step: number): number {
  return step <= 2 ? step - 1 : step % 2 === 1 ? 2 : 3;
}

export function defoBeat(o: DefoOp): Beat {
  return { query: o.query ? 1 : 0, layer: o.layer, step: stepField(o.step), cycles: o.cycles };
}

export function defoGolden(p: DefoParams) {
  return (stim: Stimulus) => {
    const unit = new DefoUnit(p.entries);
    const out: Beat[] = [];
    for (const b of stim.streams?.op ?? []) {
      const layer = Number(b.layer);
      const step = Number(b.step) + 1; // 1, 2, 3, 4 — 3 and 4 are both "step 3 or later"
      if (Number(b.query) === 1) out.push({ diff: unit.modeFor(layer, step) === 'diff' ? 1 : 0 });
      else unit.report(layer, step, Number(b.cycles));
    }
    return { streams: { mode: out } };
  };
}

export function defoCaseCycles(p: DefoParams) {
  return (stim: Stimulus, idle: StreamSchedule, stall: StreamSchedule) =>
    inOut('op', 'mode', (i, s) => defoCycles((stim.streams?.op ?? []).map((b) => Number(b.query) === 1), p.entries, i, s))(idle, stall);
}

/** A cycle count: near the other one (ties), saturating, or random. */
function count(rng: Rng, maxCycles: number, other?: number): number {
  const r = rng.float();
  if (other !== undefined && r < 0.2) return other; // tie
  if (r < 0.35) return Math.min(maxCycles, rng.pick([65534, 65535, 65536, 70000, maxCycles])); // saturation (ties after clipping)
  if (other !== undefined && r < 0.55) return Math.max(0, Math.min(maxCycles, other + rng.pick([-1, 1]))); // off by one
  return rng.int(0, Math.min(maxCycles, rng.chance(0.5) ? 3000 : 200000));
}

/** Merge per-layer op lists at random, keeping each list's order. */
function interleave(rng: Rng, lists: DefoOp[][]): DefoOp[] {
  const idx = lists.map(() => 0);
  const live = lists.map((_, i) => i).filter((i) => lists[i].length > 0);
  const out: DefoOp[] = [];
  while (live.length > 0) {
    const at = rng.int(0, live.length - 1);
    const i = live[at];
    out.push(lists[i][idx[i]++]);
    if (idx[i] === lists[i].length) {
      live[at] = live[live.length - 1];
      live.pop();
    }
  }
  return out;
}

export interface DefoStimOptions {
  layers: number;
  steps: number;
  /** probability of an extra step-1/2 report (a new measurement) after the decision froze */
  rereport?: number;
  /** probability that a step ≥ 3 has no query before its report (the report freezes) */
  reportOnly?: number;
  /** random queries at steps 1/2 sprinkled in */
  extraQueries?: number;
  directed?: boolean;
}

/**
 * Directed ops on layers 0..: ties, saturation, off-by-one, freezing by a query and by a report.
 * The list starts at entry `rot` (mod 10): a layer's first directed pair freezes its decision, so
 * with fewer than 10 entries (entries = 1: one decision per run) each seed tests another pair.
 */
function directedOps(entries: number, maxCycles: number, rot = 0): DefoOp[] {
  const all: [number, number][] = [
    [100, 100], // tie → original
    [101, 100], // act slower → differences
    [100, 101], // act faster → original
    [65535, 65535],
    [maxCycles, 65535], // both saturate → tie → original
    [maxCycles, 65534], // saturated act > diff → differences
    [65534, maxCycles],
    [0, 0],
    [1, 0],
    [65536, 65535], // 65536 clips to 65535: tie
  ];
  const cases = all.map((_, i) => all[(((i + rot) % all.length) + all.length) % all.length]!);
  const ops: DefoOp[] = [];
  cases.forEach(([a, d], i) => {
    const layer = i % entries;
    const q = (step: number): DefoOp => ({ query: true, layer, step, cycles: 0 });
    const rep = (step: number, cycles: number): DefoOp => ({ query: false, layer, step, cycles: Math.min(cycles, maxCycles) });
    ops.push(q(1), rep(1, a), q(2), rep(2, d));
    if (i % 2 === 0) ops.push(q(3)); // frozen by the query
    else ops.push(rep(3, 12345), q(3)); // frozen by the report
    // new measurements after the freeze do not change the decision
    ops.push(rep(1, d + 1000), rep(2, a + 1000), q(4), q(3), rep(5, 7), q(7), q(1), q(2));
  });
  return ops;
}

export function defoStimulus(p: DefoParams, o: DefoStimOptions) {
  const maxCycles = 2 ** p.cycleBits - 1;
  return (seed: number): Stimulus => {
    const rng = new Rng(seed * 6151 + p.entries);
    const ops: DefoOp[] = o.directed ? directedOps(p.entries, maxCycles, seed - 1) : [];
    // random flows, each on its own layer (distinct from the directed ones where there is room)
    const first = o.directed && p.entries > 10 ? 10 : 0;
    const n = Math.min(o.layers, p.entries - first);
    const lists: DefoOp[][] = [];
    for (let l = 0; l < n; l++) {
      const layer = first + l;
      const list: DefoOp[] = [];
      let act = 0;
      for (let step = 1; step <= o.steps; step++) {
        if (step >= 3 && rng.chance(o.rereport ?? 0.05)) list.push({ query: false, layer, step: rng.int(1, 2), cycles: count(rng, maxCycles, act) });
        if (rng.chance(o.extraQueries ?? 0.05)) list.push({ query: true, layer, step: rng.int(1, 2), cycles: rng.int(0, 100) });
        if (step < 3 || !rng.chance(o.reportOnly ?? 0.2)) list.push({ query: true, layer, step, cycles: rng.int(0, 65535) });
        const c = count(rng, maxCycles, step === 2 ? act : undefined);
        if (step === 1) act = c;
        list.push({ query: false, layer, step, cycles: c });
      }
      lists.push(list);
    }
    const all = ops.concat(interleave(rng, lists));
    return { streams: { op: all.map(defoBeat) } };
  };
}

function defoCase(name: string, params: Partial<DefoParams>, o: DefoStimOptions, extra: { stalls?: StallProbabilities; full?: boolean; seeds?: number } = {}): DittoCase {
  const p = caseParams({ design: 'ditto.defo', params }) as unknown as DefoParams;
  return {
    name: `ditto.defo.${name}`,
    design: 'ditto.defo',
    params,
    stimulus: defoStimulus(p, o),
    golden: defoGolden(p),
    cycles: defoCaseCycles(p),
    ...extra,
  };
}

const STALLS: StallProbabilities = { inIdle: 0.3, outStall: 0.3 };

export const defoCases: DittoCase[] = [
  { ...defoCase('random', {}, { layers: 512, steps: 6, directed: true, rereport: 0.1 }, { stalls: STALLS }), smoke: true },
  defoCase('free', {}, { layers: 200, steps: 5, directed: true }),
  // then interleaved flows on the same rows: a held answer keeps a command in the execute stage
  // while the next offered command names another row (its row read must not replace the held one)
  defoCase('directed', { entries: 10, cycleBits: 16 }, { layers: 10, steps: 4, directed: true }, { stalls: { inIdle: 0.2, outStall: 0.5 } }),
  // one row: one decision per run, so ten seeds (each starts the directed list at another pair)
  defoCase('one', { entries: 1, cycleBits: 48 }, { layers: 1, steps: 12, directed: true, rereport: 0.3, extraQueries: 0.3 }, { stalls: STALLS, seeds: 10 }),
  defoCase('odd', { entries: 37, cycleBits: 17 }, { layers: 37, steps: 8, rereport: 0.2 }, { stalls: { inIdle: 0.1, outStall: 0.6 } }),
  defoCase('big', { entries: 65536 }, { layers: 65536, steps: 4 }, { stalls: STALLS, full: true, seeds: 1 }),
];
