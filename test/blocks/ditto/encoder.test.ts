// ditto.encoder: parameter checks, lint over a parameter matrix, and the cosimulation cases of
// sim/cases/ditto/encoder.ts — words bit for bit against sim/golden/ditto/encoder.ts and the
// cycle of every accepted beat and every word against sim/cycles/ditto/encoder.ts, with and
// without stalls, 3 seeds, at every pipeline depth (`stages` 0..4) — plus the packing/throughput
// bounds with Icarus agreeing.
// DCGEN_FULL=1 also runs the `full` cases.
import { describe, expect, it } from 'vitest';
import { designWorkspace, lintMatrixTests } from '../../support/blocks.ts';
import { dittoEncoderDesign } from '../../../generator/blocks/ditto/encoder.ts';
import { encoderBoundaries, encoderDepth, encoderIndexBits, encoderMaxWordsPerBeat } from '../../../generator/spec/ditto/encoder.ts';
import { ParamRuleError } from '../../../generator/params/schema.ts';
import { encodeBeats, expectedWordCount } from '../../../sim/golden/ditto/encoder.ts';
import { encoderCases, throughputBeats } from '../../../sim/cases/ditto/encoder.ts';
import { runCase } from '../../../sim/cases/case.ts';

const T = 600_000;
const FULL = process.env.DCGEN_FULL === '1';
const ws = designWorkspace('ditto.encoder');

function resolve(overrides: Record<string, unknown>) {
  return dittoEncoderDesign.resolve(overrides);
}

describe('ditto.encoder params', () => {
  it('derives widths and depth', () => {
    expect(encoderMaxWordsPerBeat(1)).toBe(2);
    expect(encoderMaxWordsPerBeat(4)).toBe(3);
    expect(encoderMaxWordsPerBeat(16)).toBe(9);
    // 2·Wmax + stages + 2 with the classification register (default stages 4), else 2·Wmax
    expect(encoderDepth({ lanes: 4, depth: 0 })).toBe(12);
    expect(encoderDepth({ lanes: 16, depth: 0 })).toBe(27);
    expect(encoderDepth({ lanes: 4, depth: 0, stages: 0 })).toBe(6);
    expect(encoderDepth({ lanes: 4, depth: 0, stages: 1 })).toBe(6);
    expect(encoderDepth({ lanes: 4, depth: 0, stages: 2 })).toBe(12);
    expect(encoderDepth({ lanes: 4, depth: 5, stages: 4 })).toBe(5);
    expect(encoderBoundaries(0)).toEqual([false, false, false, false]);
    expect(encoderBoundaries(1)).toEqual([false, false, true, false]);
    expect(encoderBoundaries(3)).toEqual([true, false, true, true]);
    expect(encoderBoundaries(undefined)).toEqual([true, true, true, true]);
    expect(encoderIndexBits(4096)).toBe(12);
    expect(encoderIndexBits(65536)).toBe(16);
    expect(encoderIndexBits(1)).toBe(1);
  });
  it('rejects a FIFO shallower than one beat of words, and kMax < lanes', () => {
    expect(() => resolve({ lanes: 4, depth: 2 })).toThrow(ParamRuleError);
    expect(() => resolve({ lanes: 8, kMax: 4 })).toThrow(ParamRuleError);
    expect(() => resolve({ lanes: 17 })).toThrow(/lanes/);
    expect(() => resolve({ stages: 5 })).toThrow(/stages/);
  });
});

describe('ditto.encoder lint', () => {
  const matrix: Record<string, unknown>[] = [{}, { lanes: 1, kMax: 1 }, { lanes: 3, kMax: 100, depth: 3 }, { lanes: 16, kMax: 65536 }, { stages: 0 }, { lanes: 2, kMax: 2, stages: 1 }, { lanes: 7, stages: 2 }, { lanes: 16, stages: 3 }];
  lintMatrixTests(ws, matrix.map((cfg) => [cfg]), T);
});

describe('ditto.encoder cosim', () => {
  for (const c of encoderCases.filter((x) => FULL || !x.full)) {
    it(`${c.name}: words bit for bit and cycle-exact`, async () => {
      const r = await runCase(c);
      expect(r.ok, r.message).toBe(true);
    }, T);
  }

  it('word counts are optimal and throughput is Σ max(words, beats) on back-to-back vectors; Icarus agrees', async () => {
    const L = 4;
    const c = encoderCases.find((x) => x.name === 'ditto.encoder.throughput')!;
    const report = await runCase(c, { icarus: true });
    expect(report.ok, report.message).toBe(true);
    const beats = throughputBeats(L);
    const words = encodeBeats(beats, L, 12);
    const lasts = words.filter((w) => w.last);
    expect(lasts.length).toBe(40);
    let wi = 0;
    for (const lw of lasts) {
      const n = words.indexOf(lw, wi) - wi + 1;
      expect(n).toBe(expectedWordCount(lw.nlow, lw.nfull));
      wi += n;
    }
    const tr = report.seeds[0].transactions.out;
    const span = tr[tr.length - 1].cycle + 1 - report.seeds[0].accepted.in[0];
    // per vector: max(words, beats) — the packing bound or the ingest bound (SPEC §1.4) — plus
    // the pipeline latency (stages cycles before the first word can leave)
    let bound = 0;
    wi = 0;
    for (let v = 0; v < 40; v++) {
      const n = words.indexOf(lasts[v], wi) - wi + 1;
      bound += Math.max(n, 16);
      wi += n;
    }
    expect(span).toBeGreaterThanOrEqual(Math.max(words.length, beats.length));
    expect(span).toBeLessThanOrEqual(bound + 2 + 4);
  }, T);
});
