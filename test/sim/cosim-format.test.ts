// Stimulus/response file formats, layout, schedules and the seeded Rng (no simulator).
import { describe, expect, it } from 'vitest';
import type { ManifestModule } from '../../generator/emit/design.ts';
import {
  FORMAT_VERSION,
  RESP_MAGIC,
  STIM_MAGIC,
  StimulusError,
  type Stimulus,
  decodeResponse,
  decodeStimulus,
  encodeStimulus,
  scheduleAt,
  scheduleFromBools,
  valueToWords,
  wordsToValue,
} from '../../sim/stimulus/format.ts';
import { layoutOf, wordsFor } from '../../sim/stimulus/layout.ts';
import { Rng, toSigned, valueRange } from '../../sim/stimulus/rng.ts';
import { makeSchedules } from '../../sim/stimulus/schedule.ts';
import { parseIcarusResponse } from '../../sim/icarus/run.ts';
import { diffResponses, firstMismatch, formatMismatch } from '../../sim/cosim/compare.ts';

const port = (name: string, direction: 'input' | 'output', width: number, signed = false) => ({ name, direction, width, signed });

const MOD: ManifestModule = {
  name: 'm',
  file: 'm.v',
  doc: '',
  params: {},
  hasClock: true,
  ports: [
    port('clk', 'input', 1),
    port('rst', 'input', 1),
    port('in_valid', 'input', 1),
    port('in_ready', 'output', 1),
    port('in_a', 'input', 8, true),
    port('in_b', 'input', 100),
    port('out_valid', 'output', 1),
    port('out_ready', 'input', 1),
    port('out_s', 'output', 66, true),
    port('cfg', 'input', 33),
    port('status', 'output', 3, true),
  ],
  streams: [
    { name: 'in', direction: 'in', valid: 'in_valid', ready: 'in_ready', fields: [{ name: 'a', port: 'in_a' }, { name: 'b', port: 'in_b' }] },
    { name: 'out', direction: 'out', valid: 'out_valid', ready: 'out_ready', fields: [{ name: 's', port: 'out_s' }] },
  ],
};

describe('layout', () => {
  it('places stream fields, table inputs and sampled outputs in words', () => {
    const l = layoutOf(MOD);
    expect(l.inStreams[0]!.fields.map((f) => [f.port, f.offset, f.words])).toEqual([
      ['in_a', 0, 1],
      ['in_b', 1, 4],
    ]);
    expect(l.inStreams[0]!.words).toBe(5);
    expect(l.outStreams[0]!.words).toBe(3);
    expect(l.tablePorts.map((p) => p.port)).toEqual(['cfg']);
    expect(l.tableWords).toBe(2);
    expect(l.samplePorts.map((p) => p.port)).toEqual(['status']);
    expect(wordsFor(32)).toBe(1);
    expect(wordsFor(33)).toBe(2);
    expect(wordsFor(65)).toBe(3);
  });

  it('hash changes with any port', () => {
    const other = { ...MOD, ports: MOD.ports.map((p) => (p.name === 'out_s' ? { ...p, width: 67 } : p)) };
    expect(layoutOf(other).hash).not.toBe(layoutOf(MOD).hash);
  });

  it('rejects a stream whose ports are missing or point the wrong way', () => {
    expect(() => layoutOf({ ...MOD, ports: MOD.ports.filter((p) => p.name !== 'in_ready') })).toThrow(/in_ready/);
    expect(() => layoutOf({ ...MOD, ports: MOD.ports.map((p) => (p.name === 'out_s' ? { ...p, direction: 'input' as const } : p)) })).toThrow(/should be an output/);
  });
});

describe('values', () => {
  it('encodes two\'s complement in 32-bit words, least significant first', () => {
    expect(valueToWords(-1n, { width: 8, signed: true }, 'x')).toEqual([0xff]);
    expect(valueToWords(-2n, { width: 66, signed: true }, 'x')).toEqual([0xfffffffe, 0xffffffff, 0x3]);
    expect(valueToWords((1n << 99n) | 5n, { width: 100, signed: false }, 'x')).toEqual([5, 0, 0, 8]);
    expect(wordsToValue([0xfffffffe, 0xffffffff, 0x3], 0, { width: 66, signed: true })).toBe(-2n);
    expect(wordsToValue([0x80], 0, { width: 8, signed: true })).toBe(-128n);
    expect(wordsToValue([0x80], 0, { width: 8, signed: false })).toBe(128n);
  });

  it('range-checks by signedness', () => {
    expect(() => valueToWords(128, { width: 8, signed: true }, 'in.a')).toThrow(StimulusError);
    expect(() => valueToWords(-1, { width: 8, signed: false }, 'in.a')).toThrow(/does not fit an unsigned 8-bit port/);
    expect(() => valueToWords(1.5, { width: 8, signed: false }, 'in.a')).toThrow(/integer/);
  });
});

describe('stimulus file', () => {
  const l = layoutOf(MOD);
  const stim: Stimulus = {
    streams: { in: [{ a: -128, b: (1n << 100n) - 1n }, { a: 127n, b: 0 }] },
    rows: [{ cfg: (1n << 33n) - 1n }, {}],
  };
  const sched = { idle: { in: scheduleFromBools([true, false, true]) }, stall: { out: scheduleFromBools(Array.from({ length: 40 }, (_, i) => i % 3 === 0)) } };

  it('round-trips', () => {
    const bytes = encodeStimulus(l, stim, sched);
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint32(0, true)).toBe(STIM_MAGIC);
    expect(dv.getUint32(4, true)).toBe(FORMAT_VERSION);
    expect(dv.getUint32(8, true)).toBe(l.hash);
    const d = decodeStimulus(l, bytes);
    expect(d.streams.in).toEqual([
      { a: -128n, b: (1n << 100n) - 1n },
      { a: 127n, b: 0n },
    ]);
    expect(d.rows).toEqual([{ cfg: (1n << 33n) - 1n }, { cfg: 0n }]);
    expect(d.idle.in).toEqual(sched.idle.in);
    expect(d.stall.out).toEqual(sched.stall.out);
  });

  it('names the bad stream, beat and field', () => {
    expect(() => encodeStimulus(l, { streams: { in: [{ a: 1 }] } })).toThrow("stream 'in' beat 0: field 'b' is missing");
    expect(() => encodeStimulus(l, { streams: { in: [{ a: 1, b: 0, c: 2 }] } })).toThrow(/field 'c' is not one of: a, b/);
    expect(() => encodeStimulus(l, { streams: { nope: [] } })).toThrow(/input stream 'nope'/);
    expect(() => encodeStimulus(l, { rows: [{ clk: 1 }] })).toThrow(/port 'clk' is not one of: cfg/);
  });
});

describe('schedules', () => {
  it('repeat with their period and are reproducible per seed', () => {
    const s = scheduleFromBools([true, false, false]);
    expect([0, 1, 2, 3, 4, 5].map((c) => scheduleAt(s, c))).toEqual([true, false, false, true, false, false]);
    const l = layoutOf(MOD);
    const a = makeSchedules(l, 7, { inIdle: 0.25, outStall: 0.5 }, 4096);
    const b = makeSchedules(l, 7, { inIdle: 0.25, outStall: 0.5 }, 4096);
    const c = makeSchedules(l, 8, { inIdle: 0.25, outStall: 0.5 }, 4096);
    expect(a).toEqual(b);
    expect(a.stall!.out!.bits).not.toEqual(c.stall!.out!.bits);
    const set = (x: { length: number }, sch: typeof s) => Array.from({ length: x.length }, (_, i) => scheduleAt(sch, i)).filter(Boolean).length;
    expect(set({ length: 4096 }, a.idle!.in!) / 4096).toBeCloseTo(0.25, 1);
    expect(set({ length: 4096 }, a.stall!.out!) / 4096).toBeCloseTo(0.5, 1);
    expect(makeSchedules(l, 1, { inIdle: 0, outStall: 0 }).idle!.in!.length).toBe(0);
  });

  it('take per-stream rates, and refuse a rate for a stream the design does not have', () => {
    const l = layoutOf(MOD);
    const p = makeSchedules(l, 7, { inIdle: 0.25, outStall: 0.5, perStream: { out: 0 } }, 4096);
    expect(p.stall!.out!.length).toBe(0); // never stalled
    expect(p.idle!.in!.bits).toEqual(makeSchedules(l, 7, { inIdle: 0.25, outStall: 0.5 }, 4096).idle!.in!.bits);
    expect(() => makeSchedules(l, 7, { inIdle: 0, outStall: 0, perStream: { outt: 0.5 } })).toThrow(/stream 'outt'.*no such stream/);
  });
});

describe('Rng', () => {
  it('is deterministic and covers ranges', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 100 }, () => a.u32());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.u32()));
    expect(new Set(xs).size).toBeGreaterThan(95);
    const r = new Rng(1);
    for (let i = 0; i < 200; i++) {
      const v = r.value(66, true);
      const { min, max } = valueRange(66, true);
      expect(v >= min && v <= max).toBe(true);
      const k = r.int(-3, 3);
      expect(k >= -3 && k <= 3).toBe(true);
    }
    const edges = new Set(Array.from({ length: 200 }, () => r.edgyValue(8, true)));
    expect(edges.has(-128n) && edges.has(127n) && edges.has(0n)).toBe(true);
    expect(toSigned(0xffn, 8)).toBe(-1n);
  });
});

describe('responses', () => {
  const l = layoutOf(MOD);
  const words = (ws: number[]) => {
    const b = new Uint8Array(ws.length * 4);
    const dv = new DataView(b.buffer);
    ws.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, true));
    return b;
  };
  const head = [RESP_MAGIC, 1, l.hash, 1, 1, 1, 0, 0];
  const bin = words([...head, 0x02000000, 3, 0x01000000, 5, 0xfffffffe, 0xffffffff, 0x3, 0x03000000, 5, 0x7, 0x0f000000, 9, 0, 6]);

  it('decodes binary records (signed fields as negative bigints)', () => {
    const r = decodeResponse(l, bin);
    expect(r.status).toBe('done');
    expect(r.cycles).toBe(9);
    expect(r.doneCycle).toBe(6);
    expect(r.accepted.in).toEqual([3]);
    expect(r.out.out).toEqual([{ index: 0, cycle: 5, fields: { s: -2n } }]);
    expect(r.samples).toEqual([{ cycle: 5, values: { status: -1n } }]);
  });

  it('rejects a truncated response', () => {
    expect(() => decodeResponse(l, bin.slice(0, bin.length - 8))).toThrow(/truncated|no end record/);
  });

  it('parses the Icarus text records the same way, x digits marked unknown', () => {
    const r = parseIcarusResponse(l, 'A 0 3\nO 0 5 3fffffffffffffffe\nS 5 7\nE 9 0 6\n');
    expect(r).toEqual(decodeResponse(l, bin));
    const x = parseIcarusResponse(l, 'O 0 5 xxxxxxxxxxxxxxxx1\nS 6 x\nE 9 0 6\n');
    expect(x.out.out![0]!.unknown).toEqual(['s']);
    expect(x.samples[0]!.unknown).toEqual(['status']);
    const pr = parseIcarusResponse(l, 'P 0 4 1\nP 0 6 2\nE 9 0 6\n');
    expect(pr.protocol).toEqual([
      { stream: 'out', cycle: 4, violation: 'valid-dropped' },
      { stream: 'out', cycle: 6, violation: 'payload-changed' },
    ]);
    expect(firstMismatch(l, {}, pr)).toMatchObject({ kind: 'protocol', stream: 'out', cycle: 4, index: 0, violation: 'valid-dropped' });
    expect(diffResponses(l, r, x, ['verilator', 'icarus'])).toMatch(/^output stream 'out' transaction #0: verilator cycle 5 s=-2; icarus cycle 5 s=x/);
  });

  it('first mismatch: value, extra, missing, out-of-range golden values', () => {
    const r = decodeResponse(l, bin);
    expect(firstMismatch(l, { streams: { out: [{ s: -2 }] } }, r)).toBeUndefined();
    const m = firstMismatch(l, { streams: { out: [{ s: 5 }] } }, r)!;
    expect(m).toMatchObject({ stream: 'out', index: 0, cycle: 5, kind: 'value', fields: ['s'], expected: { s: 5n }, got: { s: -2n } });
    expect(formatMismatch(m).join('\n')).toContain("mismatch on output stream 'out', transaction #0, cycle 5:\n  s: expected 5 (0x00000000000000005), got -2 (0x3fffffffffffffffe)");
    expect(firstMismatch(l, {}, r)).toMatchObject({ kind: 'extra', index: 0, cycle: 5 });
    expect(firstMismatch(l, { streams: { out: [{ s: -2 }, { s: 1 }] } }, r)).toMatchObject({ kind: 'missing', index: 1 });
    expect(firstMismatch(l, { streams: { out: [{ s: -2 }] }, samples: [{}, {}, {}, {}, {}, { status: -1 }] }, r)).toBeUndefined();
    expect(firstMismatch(l, { streams: { out: [{ s: -2 }] }, samples: [{ status: 0 }] }, r)).toMatchObject({ stream: 'samples', cycle: 0, kind: 'missing' });
    expect(firstMismatch(l, { streams: { out: [{ s: -2 }] }, samples: [{}, {}, {}, {}, {}, { status: 7 }] }, r)).toMatchObject({ stream: 'samples', cycle: 5, kind: 'value' });
    expect(() => firstMismatch(l, { streams: { out: [{ t: 1 }] } }, r)).toThrow(/'t' is not one of s/);
  });
});
