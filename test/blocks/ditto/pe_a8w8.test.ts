// ditto.pe_a8w8 (the dense A8W8 baseline PE): the golden model (sim/golden/ditto/pe_a8w8.ts) on
// hand-worked sums, lint over a parameter matrix, and the cosimulation cases of
// sim/cases/ditto/pe_a8w8.ts — every int8 × int8 pair on each lane, directed extremes and
// clear/drain orders, random accumulate/clear/drain sequences that wrap the accumulator, random
// stalls, several seeds — with every acceptance and output cycle checked against the cycle
// model sim/cycles/ditto/pe_a8w8.ts; plus the back-to-back throughput with Icarus agreeing.
// DCGEN_FULL=1 also runs the `full` cases.
import { describe, expect, it } from 'vitest';
import { designWorkspace, lintMatrixTests } from '../../support/blocks.ts';
import { type DenseWord, denseStream, denseWrapCount } from '../../../sim/golden/ditto/pe_a8w8.ts';
import { peLatency } from '../../../generator/spec/ditto/pe.ts';
import { denseBackToBackWords, directedDenseWords, exhaustiveDenseWords, peA8w8Cases, wrapDenseWords } from '../../../sim/cases/ditto/pe_a8w8.ts';
import { caseParams, runCase } from '../../../sim/cases/case.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';
const ws = designWorkspace('ditto.pe_a8w8');

describe('golden model', () => {
  const w = (a0: number, w0: number, a1: number, w1: number, clear: number, last: number): DenseWord => ({ a: [a0, a1], w: [w0, w1], clear, last });

  it('sums both lanes, clears, drains and wraps', () => {
    expect(denseStream([w(-128, -128, -128, -128, 0, 1)], 32)).toEqual([32768n]);
    expect(denseStream([w(3, 4, 5, -6, 0, 0), w(1, 1, 0, 0, 0, 1), w(2, 2, 0, 0, 0, 1)], 32)).toEqual([-17n, 4n]);
    expect(denseStream([w(100, 100, 0, 0, 0, 0), w(1, 1, 0, 0, 1, 1)], 32)).toEqual([1n]);
    // 300 · 2 · 127² = 9,677,400 > 2^23: wraps a 24-bit accumulator
    const words = Array.from({ length: 300 }, () => w(127, 127, 127, 127, 0, 0));
    expect(denseStream([...words, w(0, 0, 0, 0, 0, 1)], 24)).toEqual([9_677_400n - (1n << 24n)]);
  });

  it('rejects values that are not int8', () => {
    expect(() => denseStream([w(128, 0, 0, 0, 0, 1)])).toThrow(RangeError);
    expect(() => denseStream([w(0, 0, 0, -129, 0, 1)])).toThrow(RangeError);
  });
});

describe('stimulus', () => {
  it('the exhaustive words hold every int8 x int8 pair on each lane, each word drained alone', () => {
    for (const seed of [1, 2]) {
      const words = exhaustiveDenseWords(seed);
      for (const lane of [0, 1]) {
        const pairs = new Set(words.map((x) => (x.a[lane] + 128) * 256 + (x.w[lane] + 128)));
        expect(pairs.size).toBe(65536);
      }
      expect(words.every((x) => x.last === 1)).toBe(true);
    }
  });

  it('the wrap words really wrap a 24-bit accumulator, and the directed words a 32-bit one', () => {
    for (const seed of [1, 2, 3]) expect(denseWrapCount(wrapDenseWords(seed), 24)).toBeGreaterThanOrEqual(4);
    expect(denseWrapCount(directedDenseWords(), 32)).toBe(2);
  });
});

describe('ditto.pe_a8w8 lint', () => {
  const matrix: Record<string, unknown>[] = [{}, { stages: 0, accBits: 24 }, { stages: 3, accBits: 48 }, { stages: 1, accBits: 33 }];
  lintMatrixTests(ws, matrix.map((cfg) => [cfg]), T);
});

describe('ditto.pe_a8w8 cosim', () => {
  for (const c of peA8w8Cases.filter((x) => FULL || !x.full)) {
    it(`${c.name}: sums and cycles`, async () => {
      const r = await runCase(c);
      expect(r.ok, r.message).toBe(true);
    }, T);
  }

  it('back-to-back: one word per cycle, latency stages + 1, with the output always ready; Icarus agrees', async () => {
    const c = peA8w8Cases.find((x) => x.name === 'ditto.pe_a8w8.back_to_back')!;
    const report = await runCase(c, { icarus: true });
    expect(report.ok, report.message).toBe(true);
    const words = denseBackToBackWords();
    const n = words.length;
    const acc = report.seeds[0].accepted.in;
    expect(acc.length).toBe(n);
    expect(acc[n - 1] - acc[0]).toBe(n - 1);
    const lastAccepts = acc.filter((_, i) => words[i].last === 1);
    expect(report.seeds[0].transactions.out.map((t) => t.cycle)).toEqual(lastAccepts.map((cy) => cy + peLatency(caseParams(c).stages as number)));
  }, T);
});
