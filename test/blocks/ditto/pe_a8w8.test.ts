// ditto.pe_a8w8 (the dense A8W8 baseline PE): lint over a parameter matrix, and cosimulation
// against an inline golden model (Σ a_i·w_i of the 2 lanes into a wrapping accumulator, with
// clear/drain) — every int8 × int8 pair on each lane, random accumulate/clear/drain sequences
// that wrap the accumulator, random stalls; timing checked cycle-exactly against the ditto_pe
// cycle model (sim/cycles/ditto/pe.ts), whose control this PE shares.
import { describe, expect, it } from 'vitest';
import { designWorkspace, lintMatrixTests } from '../../support/blocks.ts';
import { type Beat, type CosimReport, type Stimulus, Rng, expectCosim, loadDesign } from '../../../sim/cosim/index.ts';
import { peCycles, peLatency } from '../../../sim/cycles/ditto/pe.ts';
import { type StallProbabilities, makeSchedules } from '../../../sim/stimulus/schedule.ts';
import { scheduleAt } from '../../../sim/stimulus/format.ts';

const T = 300_000;
const ws = designWorkspace('ditto.pe_a8w8');
const { generate } = ws;

// ---------------------------------------------------------------------------------------------
// golden model

interface DenseWord {
  a: [number, number];
  w: [number, number];
  clear: number;
  last: number;
}

/** The PE as a stream: acc' = (clear ? 0 : acc) + a0·w0 + a1·w1 (wrapping); `last` emits acc' and restarts from 0. */
function denseStream(words: readonly DenseWord[], accBits: number): bigint[] {
  const out: bigint[] = [];
  let acc = 0n;
  for (const w of words) {
    for (const v of [...w.a, ...w.w]) if (!Number.isInteger(v) || v < -128 || v > 127) throw new RangeError(`not an int8: ${v}`);
    const next = BigInt.asIntN(accBits, (w.clear ? 0n : acc) + BigInt(w.a[0] * w.w[0] + w.a[1] * w.w[1]));
    if (w.last) {
      out.push(next);
      acc = 0n;
    } else acc = next;
  }
  return out;
}

const toBeat = (w: DenseWord): Beat => ({ a0: w.a[0], w0: w.w[0], a1: w.a[1], w1: w.w[1], clear: w.clear, last: w.last });
const fromBeat = (b: Beat): DenseWord => ({ a: [Number(b.a0), Number(b.a1)], w: [Number(b.w0), Number(b.w1)], clear: Number(b.clear), last: Number(b.last) });

// ---------------------------------------------------------------------------------------------
// stimulus

/** Every (a, w) int8 pair on lane 0, and every pair in a seeded permuted order on lane 1; each word drained alone. */
function exhaustiveWords(seed: number): DenseWord[] {
  const rng = new Rng(seed);
  const mul = 2 * rng.int(0, 32767) + 1; // odd → a bijection mod 2^16
  const add = rng.int(0, 65535);
  const pair = (c: number): [number, number] => [(c & 255) - 128, (c >> 8) - 128];
  const words: DenseWord[] = [];
  for (let j = 0; j < 65536; j++) {
    const [a0, w0] = pair(j);
    const [a1, w1] = pair((j * mul + add) & 65535);
    words.push({ a: [a0, a1], w: [w0, w1], clear: rng.chance(0.5) ? 1 : 0, last: 1 });
  }
  return words;
}

/** Random words (half of the values at the int8 extremes), sums of random length, occasional clear. */
function randomWords(rng: Rng, n: number, opts: { lastP: number; clearP: number }): DenseWord[] {
  const v = () => (rng.chance(0.5) ? rng.pick([-128, 127, -127]) : rng.int(-128, 127));
  const words: DenseWord[] = [];
  for (let j = 0; j < n; j++) {
    words.push({ a: [v(), v()], w: [v(), v()], clear: rng.chance(opts.clearP) ? 1 : 0, last: rng.chance(opts.lastP) || j === n - 1 ? 1 : 0 });
  }
  return words;
}

/** Long sums of large same-sign products (±127·±127, −128·−128): ~32k per word, so they wrap 24- and 32-bit accumulators. */
function wrappingWords(rng: Rng, sums: number, len: number): DenseWord[] {
  const words: DenseWord[] = [];
  for (let s = 0; s < sums; s++) {
    const neg = rng.chance(0.5);
    for (let j = 0; j < len; j++) {
      const big = (): [number, number] => (neg ? [127, -128] : rng.pick([[127, 127], [-128, -128], [-127, -128]]) as [number, number]);
      const [a0, w0] = big();
      const [a1, w1] = big();
      words.push({ a: [a0, a1], w: [w0, w1], clear: 0, last: j === len - 1 ? 1 : 0 });
    }
  }
  return words;
}

/** Number of drained sums whose true value does not fit `accBits`. */
function wrapCount(words: readonly DenseWord[], accBits: number): number {
  let n = 0;
  let acc = 0n;
  for (const w of words) {
    acc = (w.clear ? 0n : acc) + BigInt(w.a[0] * w.w[0] + w.a[1] * w.w[1]);
    if (w.last) {
      if (BigInt.asIntN(accBits, acc) !== acc) n++;
      acc = 0n;
    }
  }
  return n;
}

describe('golden model', () => {
  it('sums both lanes, clears, drains and wraps', () => {
    const w = (a0: number, w0: number, a1: number, w1: number, clear: number, last: number): DenseWord => ({ a: [a0, a1], w: [w0, w1], clear, last });
    expect(denseStream([w(-128, -128, -128, -128, 0, 1)], 32)).toEqual([32768n]);
    expect(denseStream([w(3, 4, 5, -6, 0, 0), w(1, 1, 0, 0, 0, 1), w(2, 2, 0, 0, 0, 1)], 32)).toEqual([-17n, 4n]);
    expect(denseStream([w(100, 100, 0, 0, 0, 0), w(1, 1, 0, 0, 1, 1)], 32)).toEqual([1n]);
    // 300 · 2 · 127² = 9,677,400 > 2^23: wraps a 24-bit accumulator
    const words = Array.from({ length: 300 }, () => w(127, 127, 127, 127, 0, 0));
    expect(denseStream([...words, w(0, 0, 0, 0, 0, 1)], 24)).toEqual([9_677_400n - (1n << 24n)]);
  });
});

describe('ditto.pe_a8w8 lint', () => {
  const matrix: Record<string, unknown>[] = [{}, { stages: 0, accBits: 24 }, { stages: 3, accBits: 48 }, { stages: 2, accBits: 33 }];
  lintMatrixTests(ws, matrix.map((cfg) => [cfg]), T);
});

describe('ditto.pe_a8w8 cosim', () => {
  const golden = (accBits: number) => (stim: Stimulus) => ({
    streams: { out: denseStream((stim.streams!.in ?? []).map(fromBeat), accBits).map((acc) => ({ acc })) },
  });

  /** The ditto_pe cycle model predicts every acceptance and every output of every seed exactly. */
  async function checkCycles(dir: string, report: CosimReport, stages: number, stalls: StallProbabilities, words: (seed: number) => DenseWord[]) {
    const layout = (await loadDesign(dir)).layout;
    for (const sr of report.seeds) {
      const sched = makeSchedules(layout, sr.seed, stalls);
      const model = peCycles(
        words(sr.seed).map((w) => w.last === 1),
        stages,
        (c) => scheduleAt(sched.idle!.in, c),
        (c) => scheduleAt(sched.stall!.out, c),
      );
      expect(sr.accepted.in).toEqual(model.accepted);
      expect(sr.transactions.out.map((t) => t.cycle)).toEqual(model.emitted);
    }
  }

  it('every int8 x int8 pair on each lane, random stalls, 2 seeds (stages 1, acc 32), cycle-exact', async () => {
    const dir = generate('cosim-default', {});
    const stalls = { inIdle: 0.25, outStall: 0.25 };
    const words = (seed: number) => [...exhaustiveWords(seed), ...randomWords(new Rng(seed * 7919 + 1), 3000, { lastP: 0.1, clearP: 0.03 })];
    const report = await expectCosim({
      dir,
      seeds: [1, 2],
      stalls,
      stimulus: (seed) => ({ streams: { in: words(seed).map(toBeat) } }),
      golden: golden(32),
    });
    expect(report.seeds.every((s) => s.ok)).toBe(true);
    await checkCycles(dir, report, 1, stalls, words);
  }, T);

  for (const cfg of [
    { stages: 0, accBits: 24 },
    { stages: 3, accBits: 48 },
    { stages: 2, accBits: 32 },
  ]) {
    it(`random accumulate/clear/drain with wrap, stalls, cycle-exact: ${JSON.stringify(cfg)}`, async () => {
      const dir = generate(`cosim-s${cfg.stages}-a${cfg.accBits}`, cfg);
      const stalls = { inIdle: 0.3, outStall: 0.5 };
      // long random sums, then sums of 600 large same-sign products (wrap a 24-bit accumulator)
      const words = (seed: number) => {
        const rng = new Rng(seed);
        return [...randomWords(rng, 2000, { lastP: 0.3, clearP: 0.05 }), ...randomWords(rng, 3000, { lastP: 0.004, clearP: 0 }), ...wrappingWords(rng, 4, 600)];
      };
      if (cfg.accBits === 24) expect(wrapCount(words(11), 24)).toBeGreaterThanOrEqual(4);
      const report = await expectCosim({
        dir,
        seeds: [11, 12],
        stalls,
        stimulus: (seed) => ({ streams: { in: words(seed).map(toBeat) } }),
        golden: golden(cfg.accBits),
      });
      await checkCycles(dir, report, cfg.stages, stalls, words);
    }, T);
  }

  it('back-to-back: one word per cycle, latency stages + 1, with the output always ready; Icarus agrees', async () => {
    const dir = generate('cosim-default', {});
    const n = 500;
    const words = randomWords(new Rng(5), n, { lastP: 0.5, clearP: 0.1 });
    const report = await expectCosim({
      dir,
      seeds: [5],
      icarus: true,
      stimulus: () => ({ streams: { in: words.map(toBeat) } }),
      golden: golden(32),
    });
    const acc = report.seeds[0].accepted.in;
    expect(acc.length).toBe(n);
    expect(acc[n - 1] - acc[0]).toBe(n - 1);
    const lastAccepts = acc.filter((_, i) => words[i].last === 1);
    expect(report.seeds[0].transactions.out.map((t) => t.cycle)).toEqual(lastAccepts.map((c) => c + peLatency(1)));
  }, T);
});
