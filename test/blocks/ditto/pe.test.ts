// ditto.pe: lint over a parameter matrix, and cosimulation against sim/golden/ditto/pe.ts —
// every (nibble, sign, shift) × every weight on every slot, packed into a few long runs, with
// random stalls and several seeds; plus random accumulate/clear/drain sequences.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dittoPe, dittoPeDesign, peParams } from '../../../generator/blocks/ditto/pe.ts';
import { emitDesign } from '../../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../../generator/emit/write.ts';
import { resolveParams } from '../../../generator/params/schema.ts';
import { type Beat, type CosimReport, type Stimulus, Rng, expectCosim, loadDesign } from '../../../sim/cosim/index.ts';
import { type PeSlot, type PeWord, peStream } from '../../../sim/golden/ditto/pe.ts';
import { peCycles, peLatency } from '../../../sim/cycles/ditto/pe.ts';
import { type StallProbabilities, makeSchedules } from '../../../sim/stimulus/schedule.ts';
import { scheduleAt } from '../../../sim/stimulus/format.ts';
import { lintDesign } from '../../../sim/tools/lint.ts';

const T = 300_000;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcgen-ditto-pe-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function generate(tag: string, overrides: Record<string, unknown>): string {
  const p = resolveParams('ditto.pe', peParams, overrides);
  dittoPeDesign.check?.(p);
  const { files } = emitDesign(dittoPe(p), { design: 'ditto.pe', params: p });
  const dir = path.join(tmp, tag);
  writeFilesAtomically(dir, files);
  return dir;
}

function toBeat(w: PeWord): Beat {
  const b: Beat = { clear: w.clear, last: w.last };
  w.slots.forEach((s, i) => {
    b[`v${i}`] = s.valid;
    b[`s${i}`] = s.s;
    b[`n${i}`] = s.n;
    b[`h${i}`] = s.h;
    b[`w${i}`] = s.w;
  });
  return b;
}

function fromBeat(b: Beat): PeWord {
  const num = (k: string) => Number(b[k]);
  const slots = [0, 1, 2, 3].map((i): PeSlot => ({ valid: num(`v${i}`), s: num(`s${i}`), n: num(`n${i}`), h: num(`h${i}`), w: num(`w${i}`) }));
  return { slots: slots as PeWord['slots'], clear: num('clear'), last: num('last') };
}

/** Odd slots (with shifter): 16 nibbles × 2 signs × 2 shifts × 256 weights = 16384 combinations. */
function oddCombo(c: number): PeSlot {
  return { valid: 1, n: c & 15, s: (c >> 4) & 1, h: (c >> 5) & 1, w: (c >> 6) - 128 };
}
/** Even slots (no shifter, h ignored): 16 × 2 × 256 = 8192 combinations; h random. */
function evenCombo(c: number, rng: Rng): PeSlot {
  return { valid: 1, n: c & 15, s: (c >> 4) & 1, h: rng.int(0, 1), w: (c >> 5) - 128 };
}

/** Every combination on every slot, each word drained on its own (one output per word). */
function exhaustiveWords(seed: number): PeWord[] {
  const rng = new Rng(seed);
  const a1 = 2 * rng.int(0, 8191) + 1; // odd → bijection mod 2^k
  const b1 = rng.int(0, 16383);
  const a2 = 2 * rng.int(0, 4095) + 1;
  const b2 = rng.int(0, 8191);
  const words: PeWord[] = [];
  for (let j = 0; j < 16384; j++) {
    words.push({
      slots: [evenCombo(j & 8191, rng), oddCombo(j), evenCombo((j * a2 + b2) & 8191, rng), oddCombo((j * a1 + b1) & 16383)],
      clear: rng.chance(0.5) ? 1 : 0,
      last: 1,
    });
  }
  return words;
}

/** Random words: random valid/sign/nibble/shift/weight, sums of random length, occasional clear. */
function randomWords(rng: Rng, n: number, opts: { lastP: number; clearP: number }): PeWord[] {
  const words: PeWord[] = [];
  for (let j = 0; j < n; j++) {
    const slots = [0, 1, 2, 3].map((): PeSlot => {
      const big = rng.chance(0.5);
      return { valid: rng.chance(0.8) ? 1 : 0, s: rng.int(0, 1), n: big ? 15 : rng.int(0, 15), h: rng.int(0, 1), w: big ? rng.pick([-128, 127]) : rng.int(-128, 127) };
    });
    words.push({ slots: slots as PeWord['slots'], clear: rng.chance(opts.clearP) ? 1 : 0, last: rng.chance(opts.lastP) || j === n - 1 ? 1 : 0 });
  }
  return words;
}

describe('ditto.pe lint', () => {
  const matrix: Record<string, unknown>[] = [
    {},
    { stages: 0, accBits: 24 },
    { stages: 3, accBits: 48 },
    { stages: 2, accBits: 33 },
  ];
  for (const cfg of matrix) {
    it(`verilator, iverilog, yosys clean: ${JSON.stringify(cfg)}`, async () => {
      const dir = generate(`lint-${Object.entries(cfg).map(([k, v]) => `${k}${v}`).join('-') || 'default'}`, cfg);
      const res = await lintDesign(dir);
      expect(res.filter((r) => !r.ok).map((r) => `${r.tool} ${r.module}: ${r.messages.join('; ')}`)).toEqual([]);
      expect(res.length).toBe(3);
    }, T);
  }
});

describe('ditto.pe cosim', () => {
  const golden = (accBits: number) => (stim: Stimulus) => ({
    streams: { out: peStream((stim.streams!.in ?? []).map(fromBeat), accBits).map((acc) => ({ acc })) },
  });

  /** The cycle model predicts every acceptance and every output of every seed exactly. */
  async function checkCycles(dir: string, report: CosimReport, stages: number, stalls: StallProbabilities, words: (seed: number) => PeWord[]) {
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

  it('exhaustive slot × weight, random stalls, 3 seeds (stages 1, acc 32), cycle-exact', async () => {
    const dir = generate('cosim-default', {});
    const stalls = { inIdle: 0.25, outStall: 0.25 };
    const words = (seed: number) => [...exhaustiveWords(seed), ...randomWords(new Rng(seed * 7919 + 1), 3000, { lastP: 0.1, clearP: 0.03 })];
    const report = await expectCosim({
      dir,
      seeds: [1, 2, 3],
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
      // long sums (lastP small) wrap a 24-bit accumulator
      const words = (seed: number) => {
        const rng = new Rng(seed);
        return [...randomWords(rng, 2000, { lastP: 0.3, clearP: 0.05 }), ...randomWords(rng, 3000, { lastP: 0.004, clearP: 0 })];
      };
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
