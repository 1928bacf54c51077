// sim/eval/ditto/: the statistics on tiny inputs worked out by hand, the whole evaluation of
// a tiny synthetic dataset (fractions, BOPs and cycle identities, exactness against the golden
// layer model), and determinism.
import { describe, expect, it } from 'vitest';
import { expectedWordCount } from '../../sim/golden/ditto/encoder.ts';
import {
  type DittoEvalOptions,
  bopsOf,
  classCounts,
  denseBops,
  denseTileCycles,
  dittoDefaults,
  dittoTables,
  evalDataset,
  requantFor,
  runDittoEval,
  syntheticTrajectory,
  tileCycles,
  tileStats,
  vectorCyclesOf,
} from '../../sim/eval/ditto/index.ts';

const tiny: DittoEvalOptions = { ...dittoDefaults(true), frames: 4, rows: 2, outputs: 8, checkSteps: 3, checkTokens: 5 };

describe('hand-computed statistics', () => {
  // d = x − prev = [0, 5, −3, 16, −20, 0, 15, −255]: ZERO 2, LOW 3 (5, −3, 15), FULL 3 (16, −20, −255)
  const x = Int8Array.from([1, 5, -3, 16, -128, 7, 15, -128]);
  const prev = Int8Array.from([1, 0, 0, 0, -108, 7, 0, 127]);

  it('classifies differences and originals', () => {
    expect(classCounts(x, prev, 0, 8)).toEqual({ nzero: 2, nlow: 3, nfull: 3 });
    // original mode: |x| = 1, 5, 3, 16, 128, 7, 15, 128 → ZERO 0, LOW 5, FULL 3
    expect(classCounts(x, undefined, 0, 8)).toEqual({ nzero: 0, nlow: 5, nfull: 3 });
    // a window of the vector: elements 1..3
    expect(classCounts(x, prev, 1, 3)).toEqual({ nzero: 0, nlow: 2, nfull: 1 });
  });

  it('counts bit operations: 0 / 32 / 64 per ZERO / LOW / FULL, dense 64 per element', () => {
    expect(bopsOf({ nzero: 2, nlow: 3, nfull: 3 })).toBe(3 * 32 + 3 * 64);
    expect(denseBops(8)).toBe(512);
    // fraction of dense = (LOW/2 + FULL) / elements = (1.5 + 3) / 8
    expect(bopsOf({ nzero: 2, nlow: 3, nfull: 3 }) / denseBops(8)).toBeCloseTo(4.5 / 8, 12);
  });

  it('uses the SPEC §1.4 cycle formula', () => {
    expect(expectedWordCount(3, 3)).toBe(3); // ceil(9/4)
    expect(vectorCyclesOf(3, 8, 4)).toBe(3); // max(3, 2)
    expect(vectorCyclesOf(3, 8, 1)).toBe(8); // ingest bound
    expect(vectorCyclesOf(1, 768, 4)).toBe(192);
    expect(vectorCyclesOf(300, 768, 4)).toBe(300);
    expect(vectorCyclesOf(7, 768, Infinity)).toBe(7);
    // vectors on rows m mod R: rows {5 + 4, 3} → 9, plus latency
    expect(tileCycles([5, 3, 4], 2, 3)).toBe(12);
    expect(tileCycles([5, 3, 4], 1, 3)).toBe(15);
    // dense: ceil(K/2) per vector: 3 vectors of K = 8 on 2 rows → 8 + latency 3 (stages 1)
    expect(denseTileCycles(3, 8, { rows: 2, stages: 1 })).toBe(11);
  });

  it('tile statistics of a 2-vector tile', () => {
    const X = Int8Array.from([...x, ...x]);
    const P = Int8Array.from([...prev, ...x]); // vector 1: all ZERO → one empty word
    const st = tileStats(X, P, 2, 8, { lanes: 4, rows: 1, stages: 1 });
    expect(st).toMatchObject({ vectors: 2, nzero: 10, nlow: 3, nfull: 3, words: 3 + 1, bops: 288 });
    // max(3, 2) + max(1, 2) on one row, + latency 3
    expect(st.cycles).toBe(3 + 2 + 3);
    expect(st.cyclesPacking).toBe(3 + 1 + 3);
    expect(st.nzero + st.nlow + st.nfull).toBe(16);
  });

  it('requantiser parameters: M/2^S close to the scale, M < 2^16', () => {
    for (const s of [1e-6, 3.3e-4, 0.01, 0.7, 5]) {
      const rq = requantFor(s);
      expect(rq.M).toBeLessThanOrEqual(65535);
      expect(rq.S).toBeLessThanOrEqual(40);
      expect(Math.abs(rq.M / 2 ** rq.S - s) / s).toBeLessThan(1e-3);
    }
  });
});

describe('a tiny synthetic dataset end to end', () => {
  const data = syntheticTrajectory(4, 7, 6, 32);
  const d = evalDataset(data, tiny);

  it('has int8 steps and shrinking noise', () => {
    expect(data.steps).toHaveLength(4);
    for (const s of data.steps) expect(s.length).toBe(6 * 32);
    const big = syntheticTrajectory(8, 3, 40, 64);
    const meanAbs = (s: number) => big.steps[s].reduce((a, v, i) => a + Math.abs(v - big.steps[s - 1][i]), 0) / big.steps[s].length;
    expect(meanAbs(1)).toBeGreaterThan(2 * meanAbs(7)); // b: 6 at step 2 → 1 at step 8
  });

  it('fractions sum to 1, within 4 bits = ZERO + LOW', () => {
    for (const l of d.layers) {
      for (const f of [l.diff, l.orig]) {
        expect(f.zero + f.low + f.full).toBeCloseTo(1, 5);
        expect(f.within4).toBeCloseTo(f.zero + f.low, 5);
      }
    }
  });

  it('BOPs follow the definition from the class fractions', () => {
    for (const l of d.layers) {
      const elems = (data.steps.length - 1) * data.M * l.K;
      expect(l.bops.dense).toBe(64 * elems);
      expect(l.bops.diff / l.bops.dense).toBeCloseTo(l.diff.low / 2 + l.diff.full, 5);
      expect(l.bops.orig / l.bops.dense).toBeCloseTo(l.orig.low / 2 + l.orig.full, 5);
      expect(l.bops.diffReductionPct).toBeCloseTo(100 * (1 - l.bops.diffVsDense), 3);
    }
  });

  it('cycles: dense = ceil(K/2) per vector, Defo consistent with its stored counts', () => {
    for (const l of d.layers) {
      // 6 vectors on 2 rows: 3·ceil(K/2) + latency 3, for each of the 3 difference steps
      expect(l.cycles.dense).toBe(3 * (3 * Math.ceil(l.K / 2) + 3));
      expect(l.cycles.speedupVsDense).toBeCloseTo(l.cycles.dense / l.cycles.diff, 5);
      expect(l.cycles.diff).toBeGreaterThanOrEqual(3 * (3 * Math.ceil(l.K / tiny.lanes) + 3));
      expect(l.defo.cycleAct).toBe(l.perStep[0].cyclesOrig);
      expect(l.defo.cycleDiff).toBe(l.perStep[1].cyclesDiff);
      expect(l.defo.picks).toBe(l.defo.cycleAct > l.defo.cycleDiff ? 'diff' : 'orig');
    }
  });

  it('the difference path is exact and the fast statistics equal the golden model', () => {
    expect(d.check).toMatchObject({ steps: 3, tokens: 5, exact: true, modelsAgree: true });
    expect(d.check.goldenWords).toBe(d.check.fastWords);
  });
});

describe('determinism', () => {
  const o: DittoEvalOptions = { ...tiny, frames: 3, checkTokens: 3, datasets: ['synthetic'] };
  it('the same seed gives the same JSON, another seed another', () => {
    const a = JSON.stringify(runDittoEval(o));
    const b = JSON.stringify(runDittoEval(o));
    const c = JSON.stringify(runDittoEval({ ...o, seed: 2 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const r = runDittoEval(o);
    expect(dittoTables(r).join('\n')).toContain('paper (7 models)');
    expect(r.paper).toMatchObject({ zeroPct: 44.48, within4Pct: 96.01, bopsReductionPct: 53.3 });
  });
});
