// ditto.encoder: parameter checks, lint over a parameter matrix, and cosimulation against
// sim/golden/ditto/encoding.ts (words bit for bit) and sim/cycles/ditto/encoder.ts (the cycle
// of every accepted beat and every word), with random stalls, 3 seeds, both modes.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dittoEncoder, dittoEncoderDesign, encoderDepth, encoderIndexBits, encoderMaxWordsPerBeat, encoderParams } from '../../../generator/blocks/ditto/encoder.ts';
import { emitDesign } from '../../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../../generator/emit/write.ts';
import { ParamRuleError, resolveParams } from '../../../generator/params/schema.ts';
import { type Beat, type Stimulus, Rng, expectCosim, loadDesign } from '../../../sim/cosim/index.ts';
import { type StallProbabilities, makeSchedules } from '../../../sim/stimulus/schedule.ts';
import { scheduleAt } from '../../../sim/stimulus/format.ts';
import { type EncoderBeat, type Mode, encodeBeats, expectedWordCount, modeBit, wordFields } from '../../../sim/golden/ditto/encoding.ts';
import { encoderCycles } from '../../../sim/cycles/ditto/encoder.ts';
import { lintDesign } from '../../../sim/tools/lint.ts';

const T = 600_000;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcgen-ditto-encoder-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function resolve(overrides: Record<string, unknown>) {
  const p = resolveParams('ditto.encoder', encoderParams, overrides);
  dittoEncoderDesign.check?.(p);
  return p;
}

function generate(tag: string, overrides: Record<string, unknown>): string {
  const p = resolve(overrides);
  const { files } = emitDesign(dittoEncoder(p), { design: 'ditto.encoder', params: p });
  const dir = path.join(tmp, tag);
  writeFilesAtomically(dir, files);
  return dir;
}

// ---- stimulus ----

type Cls = 'zero' | 'low' | 'full';
interface Mix {
  zero: number;
  low: number;
}
const REAL: Mix = { zero: 0.45, low: 0.5 }; // 5 % FULL, like temporal differences
const DENSE: Mix = { zero: 0.1, low: 0.3 };
const ALL_FULL: Mix = { zero: 0, low: 0 };
const ALL_ZERO: Mix = { zero: 1, low: 0 };

function pickClass(rng: Rng, mix: Mix): Cls {
  const r = rng.float();
  return r < mix.zero ? 'zero' : r < mix.zero + mix.low ? 'low' : 'full';
}

/** A lane (x_t, x_{t+1}) whose encoded value has the given class. */
function lane(rng: Rng, mode: Mode, cls: Cls): [number, number] {
  const maxMag = mode === 'orig' ? 128 : 255;
  const mag = cls === 'zero' ? 0 : cls === 'low' ? rng.int(1, 15) : rng.chance(0.2) ? rng.pick([16, maxMag, 127, 128].filter((v) => v <= maxMag)) : rng.int(16, maxMag);
  let d = rng.chance(0.5) ? mag : -mag;
  if (mode === 'orig') {
    if (d === 128) d = -128;
    return [d, rng.int(-128, 127)]; // x_{t+1} is ignored in original mode
  }
  const lo = Math.max(-128, -128 - d);
  const hi = Math.min(127, 127 - d);
  const xp = rng.int(lo, hi);
  return [xp + d, xp];
}

function randomVector(rng: Rng, L: number, mix: Mix, nBeats: number, mode: Mode, keepP = 0.85): EncoderBeat[] {
  const beats: EncoderBeat[] = [];
  for (let b = 0; b < nBeats; b++) {
    const xt: number[] = [];
    const xp: number[] = [];
    let keep = 0;
    for (let j = 0; j < L; j++) {
      const [a, c] = lane(rng, mode, pickClass(rng, mix));
      xt.push(a);
      xp.push(c);
      if (rng.float() < keepP) keep |= 1 << j;
    }
    if (keepP >= 1) keep = 2 ** L - 1;
    beats.push({ xt, xp, keep, last: b === nBeats - 1, mode });
  }
  return beats;
}

/** One vector from explicit (x_t, x_{t+1}) pairs, split into beats of L (tail lanes not kept). */
function vectorOf(pairs: [number, number][], L: number, mode: Mode): EncoderBeat[] {
  const beats: EncoderBeat[] = [];
  const n = Math.max(1, Math.ceil(pairs.length / L));
  for (let b = 0; b < n; b++) {
    const xt: number[] = [];
    const xp: number[] = [];
    let keep = 0;
    for (let j = 0; j < L; j++) {
      const p = pairs[b * L + j];
      xt.push(p ? p[0] : 0);
      xp.push(p ? p[1] : 0);
      if (p) keep |= 1 << j;
    }
    beats.push({ xt, xp, keep, last: b === n - 1, mode });
  }
  return beats;
}

/** The directed cases: ±255, ±16, ±15, ±1, 0, x = −128, all-ZERO, all-FULL, straddling FULLs. */
function directedBeats(L: number): EncoderBeat[] {
  const out: EncoderBeat[] = [];
  const diffPairs: [number, number][] = [
    [127, -128], // +255
    [-128, 127], // −255
    [16, 0],
    [0, 16],
    [15, 0],
    [-15, 0],
    [1, 0],
    [0, 1],
    [5, 5],
    [-128, -128],
    [127, 127],
  ];
  out.push(...vectorOf(diffPairs, L, 'diff'));
  out.push(...vectorOf([[-128, 0], [127, 0], [0, 0], [-1, 0], [15, 0], [16, 0], [-16, 0], [-15, 0]], L, 'orig'));
  out.push(...vectorOf([[0, 0]], L, 'diff')); // one-element all-zero vector
  out.push(...vectorOf(Array.from({ length: 3 * L + 1 }, (): [number, number] => [7, 7]), L, 'diff')); // all ZERO
  out.push(...vectorOf(Array.from({ length: 3 * L + 1 }, (_, i): [number, number] => [i % 2 ? -100 : 100, 0]), L, 'diff')); // all FULL
  // LOW LOW LOW FULL ...: the FULL would straddle a word boundary if packed in order
  out.push(...vectorOf([[1, 0], [2, 0], [3, 0], [50, 0], [4, 0], [60, 0], [70, 0], [5, 0], [6, 0]], L, 'diff'));
  out.push(...vectorOf([[1, 0], [50, 0], [2, 0], [3, 0], [60, 0]], L, 'diff'));
  out.push(...vectorOf([[40, 0]], L, 'diff')); // a lone FULL
  out.push(...vectorOf([[0, 0], [0, 0], [0, 0], [0, 0], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0]], L, 'diff'));
  // an empty beat (no kept lane) ending a vector, and one inside a vector
  out.push({ xt: Array(L).fill(1), xp: Array(L).fill(0), keep: 0, last: true, mode: 'diff' });
  out.push({ xt: Array(L).fill(1), xp: Array(L).fill(0), keep: 0, last: false, mode: 'diff' });
  out.push({ xt: Array(L).fill(3), xp: Array(L).fill(0), keep: 2 ** L - 1, last: true, mode: 'diff' });
  return out;
}

function randomBeats(seed: number, L: number, nVectors: number): EncoderBeat[] {
  const rng = new Rng(seed);
  const beats: EncoderBeat[] = [...directedBeats(L)];
  for (let v = 0; v < nVectors; v++) {
    const r = rng.float();
    const mix = r < 0.6 ? REAL : r < 0.8 ? DENSE : r < 0.9 ? ALL_FULL : ALL_ZERO;
    const mode: Mode = rng.chance(0.3) ? 'orig' : 'diff';
    const nBeats = rng.chance(0.1) ? rng.int(20, 40) : rng.int(1, 8);
    beats.push(...randomVector(rng, L, mix, nBeats, mode, rng.chance(0.5) ? 1 : 0.8));
  }
  return beats;
}

function toBeat(b: EncoderBeat, L: number): Beat {
  const beat: Beat = { keep: b.keep, last: b.last ? 1 : 0, mode: modeBit(b.mode) };
  for (let j = 0; j < L; j++) {
    beat[`xt_${j}`] = b.xt[j];
    beat[`xp_${j}`] = b.xp[j];
  }
  return beat;
}

function fromBeat(b: Beat, L: number): EncoderBeat {
  const xt: number[] = [];
  const xp: number[] = [];
  for (let j = 0; j < L; j++) {
    xt.push(Number(b[`xt_${j}`]));
    xp.push(Number(b[`xp_${j}`]));
  }
  return { xt, xp, keep: Number(b.keep), last: Number(b.last) === 1, mode: Number(b.mode) === 1 ? 'orig' : 'diff' };
}

// ---- tests ----

describe('ditto.encoder params', () => {
  it('derives widths and depth', () => {
    expect(encoderMaxWordsPerBeat(1)).toBe(2);
    expect(encoderMaxWordsPerBeat(4)).toBe(3);
    expect(encoderMaxWordsPerBeat(16)).toBe(9);
    expect(encoderDepth({ lanes: 4, depth: 0 })).toBe(6);
    expect(encoderIndexBits(4096)).toBe(12);
    expect(encoderIndexBits(65536)).toBe(16);
    expect(encoderIndexBits(1)).toBe(1);
  });
  it('rejects a FIFO shallower than one beat of words, and kMax < lanes', () => {
    expect(() => resolve({ lanes: 4, depth: 2 })).toThrow(ParamRuleError);
    expect(() => resolve({ lanes: 8, kMax: 4 })).toThrow(ParamRuleError);
    expect(() => resolve({ lanes: 17 })).toThrow(/lanes/);
  });
});

describe('ditto.encoder lint', () => {
  const matrix: Record<string, unknown>[] = [{}, { lanes: 1, kMax: 1 }, { lanes: 3, kMax: 100, depth: 3 }, { lanes: 16, kMax: 65536 }];
  for (const cfg of matrix) {
    it(`verilator, iverilog, yosys clean: ${JSON.stringify(cfg)}`, async () => {
      const dir = generate(`lint-${Object.entries(cfg).map(([k, v]) => `${k}${v}`).join('-') || 'default'}`, cfg);
      const res = await lintDesign(dir);
      expect(res.filter((r) => !r.ok).map((r) => `${r.tool} ${r.module}: ${r.messages.join('; ')}`)).toEqual([]);
      expect(res.length).toBe(3);
    }, T);
  }
});

describe('ditto.encoder cosim', () => {
  const points: { cfg: Record<string, unknown>; vectors: number }[] = [
    { cfg: {}, vectors: 300 },
    { cfg: { lanes: 1, kMax: 512 }, vectors: 200 },
    { cfg: { lanes: 3, kMax: 300, depth: 3 }, vectors: 200 },
    { cfg: { lanes: 8, kMax: 65536 }, vectors: 200 },
  ];
  for (const { cfg, vectors } of points) {
    const p = resolve(cfg);
    const L = p.lanes;
    const kBits = encoderIndexBits(p.kMax);
    const golden = (stim: Stimulus) => {
      const beats = (stim.streams!.in ?? []).map((b) => fromBeat(b, L));
      return { streams: { out: encodeBeats(beats, L, kBits).map(wordFields) } };
    };
    for (const stalls of [
      { inIdle: 0, outStall: 0 },
      { inIdle: 0.3, outStall: 0.4 },
    ] as StallProbabilities[]) {
      it(`words bit for bit and cycle-exact, 3 seeds, stalls ${stalls.inIdle}/${stalls.outStall}: ${JSON.stringify(cfg)}`, async () => {
        const dir = generate(`cosim-${Object.entries(cfg).map(([k, v]) => `${k}${v}`).join('-') || 'default'}`, cfg);
        const seeds = [1, 2, 3];
        const report = await expectCosim({
          dir,
          seeds,
          stalls,
          stimulus: (seed) => ({ streams: { in: randomBeats(seed * 31 + L, L, vectors).map((b) => toBeat(b, L)) } }),
          golden,
        });
        // the cycle model predicts every acceptance and every output word exactly
        const layout = (await loadDesign(dir)).layout;
        for (const sr of report.seeds) {
          const beats = randomBeats(sr.seed * 31 + L, L, vectors);
          const sched = makeSchedules(layout, sr.seed, stalls);
          const model = encoderCycles(
            beats,
            { lanes: L, depth: encoderDepth(p), kBits },
            (c) => scheduleAt(sched.idle!.in, c),
            (c) => scheduleAt(sched.stall!.out, c),
          );
          expect(sr.accepted.in).toEqual(model.accepted);
          expect(sr.transactions.out.map((t) => t.cycle)).toEqual(model.emitted);
        }
      }, T);
    }
  }

  it('word counts are optimal and throughput is Σ max(words, beats) on back-to-back vectors; Icarus agrees', async () => {
    const L = 4;
    const dir = generate('cosim-default', {});
    // 40 vectors of 16 beats each with the real-data mix, back to back
    const rng = new Rng(99);
    const beats: EncoderBeat[] = [];
    for (let v = 0; v < 40; v++) beats.push(...randomVector(rng, L, v % 2 ? REAL : DENSE, 16, 'diff', 1));
    const words = encodeBeats(beats, L, 12);
    const report = await expectCosim({
      dir,
      seeds: [1],
      icarus: true,
      stimulus: () => ({ streams: { in: beats.map((b) => toBeat(b, L)) } }),
      golden: () => ({ streams: { out: words.map(wordFields) } }),
    });
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
    // per vector: max(words, beats) — the packing bound or the ingest bound (SPEC §1.4)
    let bound = 0;
    wi = 0;
    for (let v = 0; v < 40; v++) {
      const n = words.indexOf(lasts[v], wi) - wi + 1;
      bound += Math.max(n, 16);
      wi += n;
    }
    expect(span).toBeGreaterThanOrEqual(Math.max(words.length, beats.length));
    expect(span).toBeLessThanOrEqual(bound + 2);
  }, T);
});
