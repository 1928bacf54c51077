// Cosimulation runner end to end: Verilator harness builds (cached in the shared cache
// folder, so reruns are fast), golden comparisons with random stalls, per-cycle sampling,
// ports over 64 bits, failure reports with waveforms, deadlock reports, Icarus agreement.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonAdderTree } from '../../generator/blocks/common/adder_tree.ts';
import { commonFifo } from '../../generator/blocks/common/fifo.ts';
import { commonSkidBuffer } from '../../generator/blocks/common/skid_buffer.ts';
import { commonSram } from '../../generator/blocks/common/sram.ts';
import { type HwModule, module, sint, uint } from '../../generator/dsl/index.ts';
import { emitDesign } from '../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { type Beat, CosimFailure, type CosimSpec, Rng, type Stimulus, expectCosim, runCosim, valueRange } from '../../sim/cosim/index.ts';
import { diffResponses } from '../../sim/cosim/compare.ts';
import { loadDesign } from '../../sim/cosim/design.ts';
import { runIcarus } from '../../sim/icarus/run.ts';
import { encodeStimulus, scheduleAt, scheduleFromBools } from '../../sim/stimulus/format.ts';
import { makeSchedules } from '../../sim/stimulus/schedule.ts';
import { buildHarness } from '../../sim/verilator/build.ts';
import { runHarness } from '../../sim/verilator/run.ts';

const T = 240_000;
const SEEDS = [1, 2, 3];
const STALLS = { inIdle: 0.3, outStall: 0.4 };
let root: string;

async function emit(name: string, top: HwModule, design = `test.${name}`): Promise<string> {
  const dir = path.join(root, name);
  writeFilesAtomically(dir, emitDesign(top, { design, params: {} }).files);
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dcgen-cosim-test-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// ---- adder tree -----------------------------------------------------------------------------

function adderStimulus(n: number, width: number, signed: boolean, beats: number) {
  return (seed: number): Stimulus => {
    const r = new Rng(seed);
    const { min, max } = valueRange(width, signed);
    const row = (f: (i: number) => bigint): Beat => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, f(i)]));
    const directed = [row(() => max), row(() => min), row((i) => (i % 2 ? max : min)), row(() => 0n), row(() => max), row(() => max)];
    const random = Array.from({ length: beats }, () => row(() => r.edgyValue(width, signed)));
    return { streams: { in: [...directed, ...random] } };
  };
}

const adderGolden = (n: number) => (stim: Stimulus) => ({
  streams: { out: stim.streams!.in!.map((b) => ({ sum: Array.from({ length: n }, (_, i) => BigInt(b[`x${i}`]!)).reduce((a, c) => a + c, 0n) })) },
});

describe('adder tree', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await emit('adder', commonAdderTree({ top: 'cosim_adder_tree', n: 4, width: 8, signed: true, stages: 2 }));
  });

  it('matches the golden sum with random stalls, 3 seeds, random + directed beats', async () => {
    const report = await expectCosim({ dir, seeds: SEEDS, stalls: STALLS, stimulus: adderStimulus(4, 8, true, 200), golden: adderGolden(4) });
    expect(report.seeds.map((s) => s.ok)).toEqual([true, true, true]);
    for (const s of report.seeds) {
      const out = s.transactions.out!;
      expect(out).toHaveLength(206);
      // directed corners: 4 * 127, 4 * -128, 2 * 127 + 2 * -128
      expect(out.slice(0, 3).map((t) => t.fields.sum)).toEqual([508n, -512n, -2n]);
      // the stalls did happen: beats were not accepted back to back, and the run took longer
      const acc = s.accepted.in!;
      expect(acc.some((c, i) => i > 0 && c - acc[i - 1]! > 1)).toBe(true);
      expect(s.cycles).toBeGreaterThan(206 * 1.3);
      expect(out.every((t, i) => i === 0 || t.cycle > out[i - 1]!.cycle)).toBe(true);
    }
  }, T);

  it('a wrong golden model fails with stream, index, cycle, expected, got and a waveform', async () => {
    const spec: CosimSpec = {
      dir,
      seeds: SEEDS,
      stalls: STALLS,
      stimulus: adderStimulus(4, 8, true, 50),
      // wrong on purpose: drops x3 from transaction 10 on
      golden: (stim) => ({ streams: { out: stim.streams!.in!.map((b, i) => ({ sum: BigInt(b.x0!) + BigInt(b.x1!) + BigInt(b.x2!) + (i >= 10 && b.x3 !== 0n ? 0n : BigInt(b.x3!)) })) } }),
    };
    const err = await expectCosim(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CosimFailure);
    const msg = (err as Error).message;
    const report = (err as CosimFailure).report;
    const first = report.seeds.find((s) => !s.ok)!;
    const m = first.mismatch!;
    expect(m.stream).toBe('out');
    expect(m.kind).toBe('value');
    expect(m.index).toBeGreaterThanOrEqual(10);
    const got = first.transactions.out![m.index]!;
    expect(got.cycle).toBe(m.cycle);
    expect(m.got).toEqual(got.fields);
    expect(msg).toContain(`seed ${first.seed}: mismatch on output stream 'out', transaction #${m.index}, cycle ${m.cycle}:`);
    expect(msg).toContain(`sum: expected ${m.expected!.sum} (`);
    expect(msg).toContain(`got ${m.got!.sum} (`);
    expect(first.waveform).toBeDefined();
    expect(msg).toContain(`waveform: ${first.waveform}`);
    expect(existsSync(first.waveform!)).toBe(true);
    expect(readFileSync(first.waveform!).length).toBeGreaterThan(100);
    await rm(report.workDir, { recursive: true, force: true });
  }, T);

  it('a deadlock (more outputs expected than will come) names the stalled stream', async () => {
    const report = await runCosim({
      dir,
      seeds: [5],
      stalls: STALLS,
      maxCycles: 2000,
      waveform: false,
      stimulus: adderStimulus(4, 8, true, 20),
      golden: (stim) => {
        const e = adderGolden(4)(stim);
        return { streams: { out: [...e.streams.out, { sum: 0n }] } };
      },
    });
    expect(report.ok).toBe(false);
    const s = report.seeds[0]!;
    expect(s.stall).toBeDefined();
    expect(s.stall!.pending).toEqual([{ stream: 'out', direction: 'out', done: 26, total: 27 }]);
    expect(s.stall!.report).toContain("output stream 'out': received 26 of 27 expected");
    expect(s.mismatch).toMatchObject({ kind: 'missing', stream: 'out', index: 26 });
    expect(report.message).toContain('stalled: cycle limit reached');
    expect(report.message).toContain("output stream 'out' 26/27");
    await rm(report.workDir, { recursive: true, force: true });
  }, T);

  it('mutated Verilog (an adder turned into a subtractor) fails the cosim', async () => {
    const good = path.join(dir, 'cosim_adder_tree.v');
    const text = readFileSync(good, 'utf8');
    const mutated = text.replace(/assign tree_l1_1 = (.*) \+ (.*);/, 'assign tree_l1_1 = $1 - $2;');
    expect(mutated).not.toBe(text);
    const mdir = await emit('adder_mut', commonAdderTree({ top: 'cosim_adder_tree', n: 4, width: 8, signed: true, stages: 2 }));
    await writeFile(path.join(mdir, 'cosim_adder_tree.v'), mutated);
    const report = await runCosim({ dir: mdir, seeds: [1], stalls: STALLS, waveform: false, stimulus: adderStimulus(4, 8, true, 20), golden: adderGolden(4) });
    expect(report.ok).toBe(false);
    // the first directed beat (all max) already differs: 127+127+(127-127) = 254, not 508
    expect(report.seeds[0]!.mismatch).toMatchObject({ stream: 'out', index: 0, expected: { sum: 508n }, got: { sum: 254n } });
    await rm(report.workDir, { recursive: true, force: true });
  }, T);

  it('Verilator and Icarus record identical transactions, cycle numbers included', async () => {
    const report = await expectCosim({ dir, seeds: SEEDS, stalls: STALLS, icarus: true, stimulus: adderStimulus(4, 8, true, 100), golden: adderGolden(4) });
    expect(report.seeds.every((s) => s.icarusDiff === undefined)).toBe(true);
    // and directly, on one stimulus file
    const design = await loadDesign(dir);
    const build = await buildHarness(design);
    const stimPath = path.join(root, 'adder-both.stim');
    const stim = adderStimulus(4, 8, true, 100)(9);
    await writeFile(stimPath, encodeStimulus(design.layout, stim, makeSchedules(design.layout, 9, STALLS)));
    const opts = { stimPath, expect: { out: 106 }, maxCycles: 5000, drain: 8 };
    const v = await runHarness(build, { ...opts, respPath: path.join(root, 'adder-both.resp') });
    const i = await runIcarus(design, { ...opts, respPath: path.join(root, 'adder-both.txt'), workDir: path.join(root, 'icarus') });
    expect(v.response.out.out).toHaveLength(106);
    expect(v.response.accepted.in).toHaveLength(106);
    expect(i.response).toEqual(v.response);
    expect(diffResponses(design.layout, v.response, i.response)).toBeUndefined();
  }, T);
});

describe('ports over 64 bits', () => {
  it('adder tree of 4 x s64 (QData inputs, 66-bit VlWide output) with stalls', async () => {
    const dir = await emit('adder64', commonAdderTree({ top: 'cosim_adder_tree64', n: 4, width: 64, signed: true, stages: 1 }));
    const report = await expectCosim({ dir, seeds: SEEDS, stalls: STALLS, icarus: true, stimulus: adderStimulus(4, 64, true, 100), golden: adderGolden(4) });
    const out = report.seeds[0]!.transactions.out!;
    expect(out[0]!.fields.sum).toBe(4n * ((1n << 63n) - 1n));
    expect(out[1]!.fields.sum).toBe(-(1n << 65n));
  }, T);

  it('a combinational stream module with 100-bit and signed 40-bit fields (VlWide and QData inputs)', async () => {
    const top = module('cosim_wide_stream', (m) => {
      const i = m.inStream('in', { w: uint(100), s: sint(40) });
      const o = m.outStream('out', { w2: uint(101), ns: sint(41) });
      m.assign(o.valid, i.valid);
      m.assign(i.ready, o.ready);
      m.assign(o.data.w2, i.data.w.add(i.data.w));
      m.assign(o.data.ns, i.data.s.neg());
    });
    const dir = await emit('wide_stream', top);
    const report = await expectCosim({
      dir,
      seeds: SEEDS,
      stalls: STALLS,
      icarus: true,
      stimulus: (seed) => {
        const r = new Rng(seed);
        const { min, max } = valueRange(40, true);
        const beats = [{ w: (1n << 100n) - 1n, s: min }, { w: 0n, s: max }, ...Array.from({ length: 80 }, () => ({ w: r.edgyValue(100, false), s: r.edgyValue(40, true) }))];
        return { streams: { in: beats } };
      },
      golden: (stim) => ({ streams: { out: stim.streams!.in!.map((b) => ({ w2: 2n * BigInt(b.w!), ns: -BigInt(b.s!) })) } }),
    });
    expect(report.seeds[0]!.transactions.out![0]!.fields).toEqual({ w2: (1n << 101n) - 2n, ns: 1n << 39n });
    expect(report.seeds[0]!.transactions.out![1]!.fields).toEqual({ w2: 0n, ns: -((1n << 39n) - 1n) });
  }, T);

  it('a combinational module with plain ports (8, 33 and 100 bits) sampled every cycle', async () => {
    const top = module('cosim_comb', (m) => {
      const a = m.input('a', uint(8));
      const b = m.input('b', uint(8));
      const k = m.input('k', uint(33));
      const w = m.input('w', uint(100));
      m.output('sum', a.add(b));
      m.output('x', a.xor(b));
      m.output('eq', a.eq(b));
      m.output('kn', k.not());
      m.output('wsum', w.add(a.zext(100)));
    });
    const dir = await emit('comb', top);
    const M100 = (1n << 100n) - 1n;
    const M33 = (1n << 33n) - 1n;
    const report = await expectCosim({
      dir,
      seeds: SEEDS,
      icarus: true,
      stimulus: (seed) => {
        const r = new Rng(seed);
        const directed = [
          { a: 255n, b: 255n, k: M33, w: M100 },
          { a: 0n, b: 0n, k: 0n, w: 0n },
          { a: 255n, b: 1n, k: 1n, w: M100 - 254n },
        ];
        const random = Array.from({ length: 60 }, () => ({ a: r.bits(8), b: r.pick([r.bits(8), 7n]), k: r.bits(33), w: r.bits(100) }));
        return { rows: [...directed, ...random] };
      },
      golden: (stim) => ({
        samples: stim.rows!.map((row) => {
          const [a, b, k, w] = [row.a, row.b, row.k, row.w].map((v) => BigInt(v!)) as [bigint, bigint, bigint, bigint];
          return { sum: a + b, x: a ^ b, eq: a === b ? 1n : 0n, kn: M33 ^ k, wsum: w + a };
        }),
      }),
    });
    const s = report.seeds[0]!;
    expect(s.samples).toHaveLength(63);
    expect(s.samples[0]).toEqual({ cycle: 0, values: { sum: 510n, x: 0n, eq: 1n, kn: 0n, wsum: M100 + 255n } });
    expect(s.samples[2]!.values.wsum).toBe(M100 + 1n);
  }, T);
});

describe('sink monitor', () => {
  it('flags output streams that withdraw valid or change the payload while not ready (Icarus agrees)', async () => {
    const top = module('cosim_bad_protocol', (m) => {
      const a = m.outStream('a', { d: uint(8) });
      const b = m.outStream('b', { d: uint(8) });
      const cnt = m.reg('cnt', uint(8), { reset: 0 });
      m.sync(() => cnt.set(cnt.add(1).trunc(8)));
      m.assign(a.valid, cnt.bit(0)); // drops valid whatever ready says
      m.assign(a.data.d, m.const(uint(8), 0));
      m.assign(b.valid, m.const(uint(1), 1));
      m.assign(b.data.d, cnt); // changes the payload whatever ready says
      m.sink(a.ready);
      m.sink(b.ready);
    });
    const dir = await emit('badproto', top);
    const design = await loadDesign(dir);
    const build = await buildHarness(design);
    const stimPath = path.join(root, 'badproto.stim');
    await writeFile(stimPath, encodeStimulus(design.layout, {}, { stall: { a: scheduleFromBools([true, true, false]), b: scheduleFromBools([true, false]) } }));
    const opts = { stimPath, expect: { a: 3, b: 3 }, maxCycles: 100 };
    const v = await runHarness(build, { ...opts, respPath: path.join(root, 'badproto.resp') });
    expect(v.response.status).toBe('done');
    // a: valid high in odd cycles; not ready in cycle 1 (1 % 3 = 1), valid gone in cycle 2
    expect(v.response.protocol.find((x) => x.stream === 'a')).toEqual({ stream: 'a', cycle: 2, violation: 'valid-dropped' });
    // b: not ready in cycle 0, another payload in cycle 1
    expect(v.response.protocol.find((x) => x.stream === 'b')).toEqual({ stream: 'b', cycle: 1, violation: 'payload-changed' });
    const i = await runIcarus(design, { ...opts, respPath: path.join(root, 'badproto.txt'), workDir: path.join(root, 'icarus-bp') });
    expect(diffResponses(design.layout, v.response, i.response)).toBeUndefined();
    // through the cosim API it is the reported failure, even when every value is right
    // (b's payload is the cycle number: the golden model reads b's ready pattern)
    const stalls = { inIdle: 0, outStall: 0.5 };
    const pattern = makeSchedules(design.layout, 1, stalls).stall!.b!;
    const bCycles = Array.from({ length: 500 }, (_, c) => c).filter((c) => !scheduleAt(pattern, c));
    const report = await runCosim({
      dir,
      seeds: [1],
      waveform: false,
      stimulus: () => ({}),
      golden: () => ({ streams: { a: [{ d: 0 }, { d: 0 }, { d: 0 }], b: bCycles.slice(0, 3).map((c) => ({ d: c })) } }),
      stalls,
      drain: 0,
    });
    expect(report.seeds[0]!.mismatch?.kind).toBe('protocol');
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/protocol violation on output stream '(a|b)', cycle \d+ \(transaction #\d+\): (valid withdrawn|payload changed) while ready was low/);
    await rm(report.workDir, { recursive: true, force: true });
  }, T);
});

describe('other common blocks', () => {
  const identity = (stim: Stimulus) => ({ streams: { out: stim.streams!.in!.map((b) => ({ data: b.data! })) } });
  const dataBeats = (width: number, n: number) => (seed: number): Stimulus => {
    const r = new Rng(seed);
    const { max } = valueRange(width, false);
    return { streams: { in: [{ data: max }, { data: 0n }, ...Array.from({ length: n }, () => ({ data: r.edgyValue(width, false) }))] } };
  };

  it('FIFO (depth 4) passes every beat in order under stalls; Icarus agrees', async () => {
    const dir = await emit('fifo', commonFifo({ top: 'cosim_fifo', depth: 4, width: 16 }));
    const report = await expectCosim({ dir, seeds: SEEDS, stalls: STALLS, icarus: true, stimulus: dataBeats(16, 150), golden: identity });
    expect(report.seeds[0]!.transactions.out).toHaveLength(152);
  }, T);

  it('FIFO deadlock with a sink that is never ready names both streams', async () => {
    const dir = path.join(root, 'fifo');
    const design = await loadDesign(dir);
    const build = await buildHarness(design);
    const stimPath = path.join(root, 'fifo-stuck.stim');
    const beats = Array.from({ length: 10 }, (_, i) => ({ data: i }));
    await writeFile(stimPath, encodeStimulus(design.layout, { streams: { in: beats } }, { stall: { out: scheduleFromBools([true]) } }));
    const run = await runHarness(build, { stimPath, respPath: path.join(root, 'fifo-stuck.resp'), expect: { out: 10 }, maxCycles: 300 });
    expect(run.response.status).toBe('cycle-limit');
    expect(run.response.accepted.in).toHaveLength(4);
    expect(run.stallReport).toContain('cycle limit of 300 cycles reached; stalled interfaces:');
    expect(run.stallReport).toMatch(/input stream 'in': 4 of 10 beats accepted; beat 4 offered since cycle \d+, valid held without ready for \d+ cycles/);
    expect(run.stallReport).toMatch(/output stream 'out': received 0 of 10 expected; no transaction at all; valid held without ready since cycle 1/);
  }, T);

  it('skid buffer passes every beat in order under stalls', async () => {
    const dir = await emit('skid', commonSkidBuffer({ top: 'cosim_skid', width: 12 }));
    await expectCosim({ dir, seeds: SEEDS, stalls: { inIdle: 0.2, outStall: 0.5 }, stimulus: dataBeats(12, 150), golden: identity });
  }, T);

  it('SRAM: a clocked module driven per cycle from the table, read data sampled per cycle', async () => {
    const depth = 16;
    const dir = await emit('sram', commonSram({ top: 'cosim_sram', depth, width: 8 }));
    await expectCosim({
      dir,
      seeds: SEEDS,
      icarus: true,
      stimulus: (seed) => {
        const r = new Rng(seed);
        return { rows: Array.from({ length: 300 }, () => ({ wr_en: r.chance(0.5) ? 1 : 0, wr_addr: r.int(0, depth - 1), wr_data: r.bits(8), rd_en: r.chance(0.5) ? 1 : 0, rd_addr: r.int(0, depth - 1) })) };
      },
      golden: (stim) => {
        // cycle c shows what the edge of cycle c-1 registered; unknown until the first read
        const mem: (bigint | undefined)[] = new Array(depth).fill(undefined);
        let rd: bigint | undefined;
        const samples: Record<string, bigint>[] = [];
        for (const row of stim.rows!) {
          samples.push(rd === undefined ? {} : { rd_data: rd });
          const v = (k: string) => BigInt(row[k]!);
          if (v('rd_en') === 1n) rd = mem[Number(v('rd_addr'))];
          if (v('wr_en') === 1n) mem[Number(v('wr_addr'))] = v('wr_data');
        }
        return { samples };
      },
    });
  }, T);
});
