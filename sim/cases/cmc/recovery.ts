// Cosim cases of the CMC recovery buffer (cmc.recovery): random rounds with masked scatter
// writes, copies that hit the entry written just before (forwarding), read-outs right after
// the last copy; and whole condensed projections (GEMM rows scattered in ITT order, the N-ITT
// of a real prediction, the recovered buffer read back), one of them from real video.
import type { Stimulus } from '../../cosim/index.ts';
import { Rng } from '../../stimulus/rng.ts';
import { type RecoveryConfig, type StreamBeat, recoveryStream } from '../../golden/cmc/recovery.ts';
import { recoveryCycles } from '../../cycles/cmc/recovery.ts';
import { condensedGemm, entryOf } from '../../golden/cmc/gemm.ts';
import { type Prediction, predictInter, predictIntra } from '../../golden/cmc/prediction.ts';
import type { RequantParams } from '../../golden/ditto/vpu.ts';
import { type CmcCase, VTEST, caseParams, defineCmcCase, videoTokens } from './common.ts';

function recoveryConfig(params: Record<string, number | boolean>): RecoveryConfig {
  const p = caseParams({ design: 'cmc.recovery', params });
  return { banks: Number(p.banks), entries: Number(p.entries), dataBits: Number(p.dataBits), signed: Boolean(p.signed) };
}

function dataRange(c: RecoveryConfig): [number, number] {
  return c.signed ? [-(2 ** (c.dataBits - 1)), 2 ** (c.dataBits - 1) - 1] : [0, 2 ** c.dataBits - 1];
}

const withLast = <T extends StreamBeat>(beats: T[]): T[] => beats.map((b, k) => ({ ...b, last: k === beats.length - 1 ? 1 : 0 }));

/** Random rounds; every read-out entry has been written in full before (reads are defined). */
function randomRounds(seed: number, c: RecoveryConfig, rounds: number): { wr: StreamBeat[]; nitt: StreamBeat[]; rd: StreamBeat[] } {
  const rng = new Rng(seed);
  const [lo, hi] = dataRange(c);
  const full = (1 << c.banks) - 1;
  const wr: StreamBeat[] = [];
  const nitt: StreamBeat[] = [];
  const rd: StreamBeat[] = [];
  const defined = new Set<number>(); // entries whose every bank holds a value
  const pick = () => rng.int(0, c.entries - 1);
  const row = () => Object.fromEntries(Array.from({ length: c.banks }, (_, b) => [`d_${b}`, rng.int(lo, hi)]));
  for (let r = 0; r < rounds; r++) {
    // SCATTER: full rows, then partial (masked) rewrites of some of them, sometimes the same entry back to back
    const w: StreamBeat[] = [];
    const nw = r === 1 ? 0 : rng.int(1, 8);
    for (let k = 0; k < nw; k++) {
      const e = rng.chance(0.2) && w.length > 0 ? Number(w[w.length - 1].entry) : pick();
      const mask = defined.has(e) && rng.chance(0.5) ? rng.int(0, full) : full;
      w.push({ entry: e, mask, ...row() });
      if (mask === full) defined.add(e);
    }
    if (w.length === 0) w.push({ entry: pick(), mask: 0, ...row() }); // an empty phase: one write with mask 0
    wr.push(...withLast(w));
    // RECOVER: copies from defined entries; chains i ← j, then k ← i right after (forwarding),
    // and copies whose source is the entry written by the phase's last write
    const n: StreamBeat[] = [];
    const src = [...defined];
    const nc = r === 2 || src.length === 0 ? 0 : rng.int(1, 8);
    let prevDst = -1;
    for (let k = 0; k < nc; k++) {
      const j = k === 0 && rng.chance(0.5) && defined.has(Number(w[w.length - 1].entry)) ? Number(w[w.length - 1].entry) : prevDst >= 0 && rng.chance(0.4) ? prevDst : rng.pick(src);
      const i = pick();
      n.push({ i, j });
      defined.add(i);
      prevDst = i;
    }
    if (n.length === 0) {
      const e = pick();
      n.push({ i: e, j: e }); // an empty phase: a copy onto itself
    }
    nitt.push(...withLast(n));
    // READ: the last copy's destination first (forwarding), then random defined entries
    const rs: StreamBeat[] = [];
    const def = [...defined];
    if (def.length === 0) throw new Error('randomRounds: nothing defined to read');
    if (defined.has(Number(n[n.length - 1].i))) rs.push({ entry: Number(n[n.length - 1].i) });
    const nr = rng.int(1, 6);
    for (let k = 0; k < nr; k++) rs.push({ entry: rng.pick(def) });
    rd.push(...withLast(rs));
  }
  return { wr, nitt, rd };
}

/**
 * One round: the condensed GEMM rows of `pred` scattered in ITT order, its N-ITT, then every
 * entry read; with `forwardFirst`, the last copy's destination is read first as well (the
 * read-out right behind the copy is forwarded, and must stay stable while `rdata` stalls).
 */
function projectionRound(X: readonly (readonly ArrayLike<number>[])[], W: number[][], rq: RequantParams, pred: Prediction, c: RecoveryConfig, forwardFirst = false): { wr: StreamBeat[]; nitt: StreamBeat[]; rd: StreamBeat[] } {
  const T = X.length;
  const N = X[0].length;
  if (W[0].length !== c.banks) throw new RangeError(`W has ${W[0].length} columns for ${c.banks} banks`);
  if (T * N > c.entries) throw new RangeError(`${T * N} rows for ${c.entries} entries`);
  const rows = condensedGemm(X, pred.itt, W, rq);
  const wr = withLast(rows.map((r) => ({ entry: entryOf(r.id, N), mask: (1 << c.banks) - 1, ...Object.fromEntries(r.y.map((v, b) => [`d_${b}`, v])) })));
  const n = pred.nitt.map((e) => ({ i: entryOf(e, N), j: entryOf({ t: e.tRef, i: e.j }, N) }));
  const nitt = withLast(n.length > 0 ? n : [{ i: 0, j: 0 }]);
  const first = forwardFirst && n.length > 0 ? [{ entry: n[n.length - 1].i }] : [];
  const rd = withLast([...first, ...Array.from({ length: T * N }, (_, e) => ({ entry: e }))]);
  return { wr, nitt, rd };
}

function recoveryCase(name: string, params: Record<string, number | boolean>, stimOf: (seed: number, c: RecoveryConfig) => { wr: StreamBeat[]; nitt: StreamBeat[]; rd: StreamBeat[] }, extra: Partial<CmcCase> = {}): CmcCase {
  const c = recoveryConfig(params);
  return defineCmcCase({
    name: `cmc.recovery.${name}`,
    design: 'cmc.recovery',
    params,
    stalls: { inIdle: 0.3, outStall: 0.4 },
    seeds: 3,
    stimulus: (seed) => ({ streams: stimOf(seed, c) }),
    golden: (stim: Stimulus) => ({ streams: { rdata: recoveryStream({ wr: stim.streams!.wr!, nitt: stim.streams!.nitt!, rd: stim.streams!.rd! }, c) } }),
    cycles(stim, idle, stall) {
      const lasts = (s: string) => stim.streams![s]!.map((b) => Number(b.last) === 1);
      const r = recoveryCycles(
        { wr: lasts('wr'), nitt: lasts('nitt'), rd: lasts('rd') },
        { wr: (cy) => idle('wr', cy), nitt: (cy) => idle('nitt', cy), rd: (cy) => idle('rd', cy) },
        (cy) => stall('rdata', cy),
      );
      return { accepted: r.accepted, emitted: { rdata: r.emitted }, cycles: r.cycles };
    },
    ...extra,
  });
}

function randomProjection(seed: number, c: RecoveryConfig, mode: 'inter' | 'intra') {
  const rng = new Rng(seed);
  const T = 4;
  const N = 6;
  const K = 8;
  const base = Array.from({ length: N }, () => Array.from({ length: K }, () => rng.int(-128, 127)));
  const X = Array.from({ length: T }, () => base.map((t) => t.map((v) => (rng.chance(0.85) ? v : rng.int(-128, 127)))));
  const W = Array.from({ length: K }, () => Array.from({ length: c.banks }, () => rng.int(-128, 127)));
  const rq = { M: 97 + seed, S: 13, zpOut: seed - 2 };
  const pred = mode === 'inter' ? predictInter(X, { G: 4, thr: 600 }) : predictIntra(X, { Gv: 3, thr: 600 });
  return projectionRound(X, W, rq, pred, c, true);
}

function videoProjection(seed: number, c: RecoveryConfig) {
  const X = videoTokens(VTEST, 4).map((m) => m.map((t) => Array.from(t, (v) => v - 128)));
  const rng = new Rng(seed);
  const W = Array.from({ length: 768 }, () => Array.from({ length: c.banks }, () => rng.int(-128, 127)));
  const pred = predictInter(X, { G: 4, thr: 768 * 2, grid: { H: 14, W: 14 }, window: { kind: 'radius', R: 1 } });
  return projectionRound(X, W, { M: 5, S: 16, zpOut: 0 }, pred, c);
}

export const recoveryCases: CmcCase[] = [
  recoveryCase('random', { banks: 3, entries: 16 }, (seed, c) => randomRounds(seed, c, 40)),
  recoveryCase('narrow', { banks: 1, entries: 5, dataBits: 3, signed: false }, (seed, c) => randomRounds(seed, c, 40)),
  recoveryCase('inter', { banks: 4, entries: 24 }, (seed, c) => randomProjection(seed, c, 'inter')),
  recoveryCase('intra', { banks: 4, entries: 24, dataBits: 8 }, (seed, c) => randomProjection(seed, c, 'intra')),
  // a whole condensed projection of 4 vtest frames (784 rows; ITT/N-ITT from the real prediction)
  recoveryCase('video', { banks: 4, entries: 784 }, (seed, c) => videoProjection(seed, c)),
  recoveryCase('default', {}, (seed, c) => randomRounds(seed, c, 30), { smoke: true }),
];
