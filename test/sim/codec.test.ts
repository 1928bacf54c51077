// The fast stimulus/response paths (compiled record codecs, chunked encoding, chunked and
// columnar response decoding, the columnar comparison) against the reference value code
// (valueToWords / wordsToValue) and the object-based comparison. No simulator.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ManifestModule } from '../../generator/emit/design.ts';
import { firstMismatch } from '../../sim/cosim/compare.ts';
import { type CodecPort, compileChecker, compileReader, compileWriter } from '../../sim/stimulus/codec.ts';
import {
  type Beat,
  type Response,
  type Value,
  RESP_MAGIC,
  ResponseDecoder,
  StimulusError,
  decodeResponse,
  decodeResponseFile,
  decodeStimulus,
  emptyResponse,
  encodeStimulus,
  responseColumns,
  scheduleFromBools,
  valueToWords,
  wordsToValue,
  writeStimulusFile,
} from '../../sim/stimulus/format.ts';
import { type Layout, layoutOf } from '../../sim/stimulus/layout.ts';
import { Rng, valueRange } from '../../sim/stimulus/rng.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcgen-codec-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A value of a port, as a test would write it: corners, neighbours of 2^52/2^53, random; as a number when safe (sometimes a bigint anyway). */
function someValue(r: Rng, width: number, signed: boolean): Value {
  const { min, max } = valueRange(width, signed);
  const pick = r.u32() % 10;
  const corners = [min, max, 0n, signed ? -1n : 1n < max ? 1n : max, (1n << 52n) - 1n, 1n << 52n, (1n << 53n) - 1n, -((1n << 53n) - 1n), -(1n << 52n)].filter((v) => v >= min && v <= max);
  const v = pick < 4 ? corners[r.u32() % corners.length]! : r.value(width, signed);
  return Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v && r.u32() % 3 !== 0 ? Number(v) : v;
}

/** Random ports of widths 1..200 (every width appears), packed like a layout. */
function somePorts(r: Rng, widths: number[]): CodecPort[] {
  let offset = 0;
  return widths.map((width, k) => {
    const p = { key: `f${k}`, width, signed: r.u32() % 2 === 0, offset };
    offset += Math.ceil(width / 32);
    return p;
  });
}

const refWords = (ports: CodecPort[], rec: Record<string, Value>, stride: number) => {
  const out = new Uint32Array(stride);
  for (const p of ports) out.set(valueToWords(rec[p.key] ?? 0n, p, p.key), p.offset);
  return out;
};

describe('compiled record codecs', () => {
  const r = new Rng(2024);
  const widths = [...Array.from({ length: 200 }, (_, i) => i + 1), 31, 32, 33, 52, 53, 54, 63, 64, 65];
  // Groups of 8 ports: each width in several records with different neighbours.
  const groups = Array.from({ length: 60 }, (_, g) => Array.from({ length: 8 }, (_, k) => widths[(g * 8 + k * 37) % widths.length]!));

  it('write exactly what valueToWords writes, read back what wordsToValue reads, check equal (widths 1..200, signed and not)', () => {
    for (const ws of groups) {
      const ports = somePorts(r, ws);
      const stride = ports.reduce((n, p) => n + Math.ceil(p.width / 32), 0);
      const write = compileWriter(ports, false);
      const read = compileReader(ports);
      const check = compileChecker(ports, false);
      for (let i = 0; i < 40; i++) {
        const rec = Object.fromEntries(ports.map((p) => [p.key, someValue(r, p.width, p.signed)]));
        const out = new Uint32Array(stride + 2).fill(0xdeadbeef);
        expect(write(rec, out, 1), JSON.stringify(ws)).toBe(true);
        const ref = refWords(ports, rec, stride);
        expect(Array.from(out.subarray(1, 1 + stride))).toEqual(Array.from(ref));
        expect(out[0]).toBe(0xdeadbeef);
        expect(out[stride + 1]).toBe(0xdeadbeef);
        const back = read(out, 1);
        for (const p of ports) expect(back[p.key]).toBe(wordsToValue(ref, p.offset, p));
        expect(check(rec, out, 1)).toBe(true);
        // One field off by one (or out of range): never equal.
        const p = ports[i % ports.length]!;
        const v = BigInt(rec[p.key]!);
        const off = { ...rec, [p.key]: i % 2 ? v + 1n : Number(v) - 1 === Number(v) ? v - 1n : Number(v) - 1 };
        expect(check(off, out, 1)).toBe(false);
      }
    }
  });

  it('the reader masks bits above the width and sign-extends, as wordsToValue does', () => {
    for (const width of [1, 5, 31, 32, 33, 40, 52, 53, 54, 64, 65, 100]) {
      for (const signed of [false, true]) {
        const p: CodecPort = { key: 'v', width, signed, offset: 0 };
        const words = new Uint32Array([0xffffffff, 0xfffffffe, 0xffffffff, 0xffffffff]);
        expect(compileReader([p])(words, 0).v).toBe(wordsToValue(words, 0, p));
      }
    }
  });

  it('decline (for the reference path to decide) anything but a complete record of integers in range', () => {
    const ports: CodecPort[] = [
      { key: 'a', width: 8, signed: true, offset: 0 },
      { key: 'b', width: 40, signed: false, offset: 1 },
      { key: 'c', width: 70, signed: true, offset: 3 },
    ];
    const w = compileWriter(ports, false);
    const out = new Uint32Array(6);
    const good = { a: -128, b: 2 ** 40 - 1, c: -(2n ** 69n) };
    expect(w(good, out, 0)).toBe(true);
    for (const bad of [
      { ...good, a: 128 },
      { ...good, a: -129n },
      { ...good, a: 1.5 },
      { ...good, a: Number.NaN },
      { ...good, b: -1 },
      { ...good, b: 2 ** 40 },
      { ...good, c: 2n ** 69n },
      { ...good, c: 2 ** 60 }, // not a safe integer
      { ...good, a: '1' },
      { a: 1, b: 2 },
      { ...good, d: 0 },
      { ...good, a: undefined },
      null,
      7,
    ]) {
      expect(w(bad, out, 0), JSON.stringify(bad, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(false);
    }
    // Bigints on ports of up to 53 bits go through Number(): out-of-range ones stay out of range.
    const u53: CodecPort[] = [{ key: 'u', width: 53, signed: false, offset: 0 }];
    const s53: CodecPort[] = [{ key: 's', width: 53, signed: true, offset: 0 }];
    const two = new Uint32Array(2);
    for (const v of [2n ** 53n, 2n ** 53n + 1n, 2n ** 64n, -1n]) expect(compileWriter(u53, false)({ u: v }, two, 0)).toBe(false);
    for (const v of [-(2n ** 52n) - 1n, 2n ** 52n, -(2n ** 60n) - 1n]) expect(compileWriter(s53, false)({ s: v }, two, 0)).toBe(false);
    expect(compileWriter(u53, false)({ u: 2n ** 53n - 1n }, two, 0)).toBe(true);
    expect(Array.from(two)).toEqual([0xffffffff, 0x1fffff]);
    for (const e of [2n ** 53n - 1n, 2 ** 53 - 1]) expect(compileChecker(u53, false)({ u: e }, two, 0)).toBe(true);
    for (const e of [2n ** 53n, 2n ** 53n + 1n, 2 ** 53, 2n ** 53n - 2n]) expect(compileChecker(u53, false)({ u: e }, two, 0)).toBe(false);
    // Optional ports (table rows): left out = 0; undefined values and extra keys still decline.
    const opt = compileWriter(ports, true);
    const o = new Uint32Array(6).fill(7);
    expect(opt({ b: 5 }, o, 0)).toBe(true);
    expect(Array.from(o)).toEqual([0, 5, 0, 0, 0, 0]);
    expect(opt({ b: 5, x: 1 }, o, 0)).toBe(false);
    expect(opt({ b: undefined }, o, 0)).toBe(false);
    // Optional checker (samples): ports left out are not checked.
    const chk = compileChecker(ports, true);
    expect(opt({ b: 5 }, o, 0)).toBe(true);
    expect(chk({}, o, 0)).toBe(true);
    expect(chk({ b: 5n }, o, 0)).toBe(true);
    expect(chk({ b: 6 }, o, 0)).toBe(false);
    expect(chk({ b: 5, x: 1 }, o, 0)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

const port = (name: string, direction: 'input' | 'output', width: number, signed = false) => ({ name, direction, width, signed });

/** A module with a wide mix of ports: 1..100-bit stream fields, a 33-bit table input, a 66-bit sample. */
const MOD: ManifestModule = {
  name: 'mix',
  file: 'mix.v',
  doc: '',
  params: {},
  hasClock: true,
  ports: [
    port('clk', 'input', 1),
    port('rst', 'input', 1),
    port('in_valid', 'input', 1),
    port('in_ready', 'output', 1),
    port('in_a', 'input', 1),
    port('in_b', 'input', 11, true),
    port('in_c', 'input', 53, true),
    port('in_d', 'input', 54),
    port('in_e', 'input', 100, true),
    port('out_valid', 'output', 1),
    port('out_ready', 'input', 1),
    port('out_s', 'output', 12, true),
    port('out_t', 'output', 64),
    port('cfg', 'input', 33, true),
    port('status', 'output', 66, true),
  ],
  streams: [
    { name: 'in', direction: 'in', valid: 'in_valid', ready: 'in_ready', fields: ['a', 'b', 'c', 'd', 'e'].map((f) => ({ name: f, port: `in_${f}` })) },
    { name: 'out', direction: 'out', valid: 'out_valid', ready: 'out_ready', fields: ['s', 't'].map((f) => ({ name: f, port: `out_${f}` })) },
  ],
};
const L: Layout = layoutOf(MOD);

describe('stimulus files in chunks', () => {
  it('equal the reference encoding, beyond several 256 KB chunks, and decode back', () => {
    const r = new Rng(5);
    const s = L.inStreams[0]!;
    const beats: Beat[] = Array.from({ length: 20_000 }, () => Object.fromEntries(s.fields.map((f) => [f.name, someValue(r, f.width, f.signed)])));
    const rows: Record<string, Value>[] = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? ({} as Record<string, Value>) : { cfg: someValue(r, 33, true) }));
    const sched = { idle: { in: scheduleFromBools([true, false, false]) } };
    const bytes = encodeStimulus(L, { streams: { in: beats }, rows }, sched);
    // The reference: header, beats by valueToWords, schedules, rows, trailer.
    const ref: number[] = [0x53474344, 1, L.hash, 1, 1, L.tableWords, rows.length, 0, beats.length, s.words];
    for (const b of beats) for (const f of s.fields) ref.push(...valueToWords(b[f.name]!, f, f.name));
    ref.push(3, 1, 0);
    for (const row of rows) ref.push(...valueToWords(row.cfg ?? 0, L.tablePorts[0]!, 'cfg'));
    ref.push(0x444e4544);
    expect(bytes.length).toBe(4 * ref.length);
    const got = new Uint32Array(bytes.buffer, bytes.byteOffset, ref.length);
    expect(ref.findIndex((x, i) => x >>> 0 !== got[i])).toBe(-1);
    const file = path.join(tmp, 'mix.stim');
    expect(writeStimulusFile(file, L, { streams: { in: beats }, rows }, sched)).toBe(bytes.length);
    expect(Buffer.compare(readFileSync(file), bytes)).toBe(0);
    const d = decodeStimulus(L, bytes);
    expect(d.streams.in![777]).toEqual(Object.fromEntries(s.fields.map((f) => [f.name, BigInt(beats[777]![f.name]!)])));
  });

  it('a bad beat deep in the stream: the reference error, and no partial file left', () => {
    const beats: Beat[] = Array.from({ length: 100_000 }, () => ({ a: 1, b: -1, c: 0, d: 0n, e: 5 }));
    beats[70_001] = { ...beats[0]!, b: 1024 };
    const file = path.join(tmp, 'bad.stim');
    expect(() => writeStimulusFile(file, L, { streams: { in: beats } })).toThrow(new StimulusError("stream 'in' beat 70001 field 'b': 1024 does not fit a signed 11-bit port (range -1024..1023)"));
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
    beats[70_001] = { a: 1, b: -1, c: 0, d: 0n };
    expect(() => encodeStimulus(L, { streams: { in: beats } })).toThrow("stream 'in' beat 70001: field 'e' is missing");
    beats[70_001] = null as unknown as Beat;
    expect(() => encodeStimulus(L, { streams: { in: beats } })).toThrow("stream 'in' beat 70001: expected an object of field values, found null");
  });
});

// ---------------------------------------------------------------------------------------------

/** A random response as words: transactions, accepts (single and runs), samples, protocol records, end. */
function someResponse(r: Rng, n: number): { words: Uint32Array; outs: Record<string, bigint>[] } {
  const w: number[] = [RESP_MAGIC, 1, L.hash, 1, 1, L.sampleWords, 0, 0];
  const so = L.outStreams[0]!;
  const outs: Record<string, bigint>[] = [];
  let acceptCycle = 0;
  for (let c = 0; c < n; c++) {
    if (c >= n - 50 && r.u32() % 10 === 0) w.push(0x04000000, c, 1 + (r.u32() % 2));
    if (r.u32() % 3 !== 0) {
      const rec = Object.fromEntries(so.fields.map((f) => [f.name, BigInt(someValue(r, f.width, f.signed))]));
      outs.push(rec);
      const words = new Uint32Array(so.words);
      for (const f of so.fields) words.set(valueToWords(rec[f.name]!, f, f.name), f.offset);
      w.push(0x01000000, c, ...words);
    }
    if (c >= acceptCycle && r.u32() % 4 === 0) {
      const run = 1 + (r.u32() % 6);
      w.push(...(run === 1 && r.u32() % 2 ? [0x02000000, c] : [0x05000000, c, run]));
      acceptCycle = c + run;
    }
    const sw = new Uint32Array(L.sampleWords);
    sw.set(valueToWords(someValue(r, 66, true), L.samplePorts[0]!, 'status'));
    w.push(0x03000000, c, ...sw);
  }
  w.push(0x0f000000, n, 0, n - 3);
  return { words: Uint32Array.from(w, (x) => x >>> 0), outs };
}

/** The same response with its lists as plain objects and no columns (as the Icarus parser gives). */
function asObjects(resp: Response): Response {
  const o = emptyResponse(L);
  return { ...o, status: resp.status, cycles: resp.cycles, doneCycle: resp.doneCycle, out: { out: [...resp.out.out!] }, accepted: { in: [...resp.accepted.in!] }, samples: [...resp.samples], protocol: [...resp.protocol] };
}

describe('responses in chunks and columns', () => {
  const r = new Rng(9);
  const { words, outs } = someResponse(r, 60_000);
  const bytes = new Uint8Array(words.buffer);

  it('decode the same in one piece, in random pieces and from a file (1 MB chunks)', () => {
    const whole = decodeResponse(L, bytes);
    expect(whole.out.out!.map((t) => t.fields)).toEqual(outs);
    expect(whole.cycles).toBe(60_000);
    expect(whole.doneCycle).toBe(59_997);
    const file = path.join(tmp, 'mix.resp');
    writeFileSync(file, bytes);
    expect(bytes.length).toBeGreaterThan(2 * (1 << 20));
    const fromFile = decodeResponseFile(L, file);
    // Fed as the file reader does: the words a feed leaves unused come again, with more after them.
    const d = new ResponseDecoder(L);
    let pos = 0;
    let carry = new Uint32Array(0);
    for (;;) {
      const take = Math.min(words.length - pos, 1 + (r.u32() % 40));
      const chunk = new Uint32Array(carry.length + take);
      chunk.set(carry);
      chunk.set(words.subarray(pos, pos + take), carry.length);
      pos += take;
      const used = d.feed(chunk, pos === words.length);
      if (pos === words.length) break;
      carry = chunk.slice(used);
    }
    const pieces = d.finish();
    for (const x of [fromFile, pieces]) expect(asObjects(x)).toEqual(asObjects(whole));
    expect(responseColumns(whole)!.accepted[0]!.length).toBe(whole.accepted.in!.length);
  });

  it('reject truncated and corrupt files with the word position', () => {
    expect(() => decodeResponse(L, bytes.slice(0, bytes.length - 8))).toThrow(/truncated record at word \d+|no end record/);
    expect(() => decodeResponse(L, bytes.slice(0, bytes.length - 16))).toThrow(/truncated record at word \d+|no end record/);
    const bad = words.slice();
    bad[8] = 0x07000000;
    expect(() => decodeResponse(L, new Uint8Array(bad.buffer))).toThrow('response: unknown record kind 7 at word 8');
    const file = path.join(tmp, 'odd.resp');
    writeFileSync(file, bytes.slice(0, bytes.length - 1));
    expect(() => decodeResponseFile(L, file)).toThrow(/whole 32-bit word/);
  });

  it('the columnar comparison finds the same first mismatch as the object comparison', () => {
    const { words, outs } = someResponse(r, 5000);
    const resp = decodeResponse(L, new Uint8Array(words.buffer));
    const objs = asObjects(resp);
    expect(responseColumns(objs)).toBeUndefined();
    const exp = outs.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number.isSafeInteger(Number(v)) && r.u32() % 2 ? Number(v) : v])) as Beat);
    const samples: Record<string, Value>[] = resp.samples.map((s, k) => (k % 7 === 0 ? ({} as Record<string, Value>) : { status: s.values.status! }));
    const cases: { streams?: Record<string, Beat[]>; samples?: Record<string, Value>[] }[] = [
      { streams: { out: exp } },
      { streams: { out: exp.slice(0, -1) } },
      { streams: { out: [...exp, exp[0]!] } },
      { streams: { out: exp }, samples },
    ];
    for (const at of [0, 1, 1999, exp.length - 1]) {
      for (const change of [(v: Value) => BigInt(v) + 1n, (v: Value) => (Number.isSafeInteger(Number(v) - 1) ? Number(v) - 1 : BigInt(v) - 1n), () => 1n << 80n]) {
        const e = exp.slice();
        e[at] = { ...e[at]!, s: change(e[at]!.s!) };
        cases.push({ streams: { out: e } });
        const t = exp.slice();
        t[at] = { ...t[at]!, t: change(t[at]!.t!) };
        cases.push({ streams: { out: t } });
      }
      const sm = samples.slice();
      sm[at] = { status: 5n };
      cases.push({ streams: { out: exp }, samples: sm });
    }
    const kinds = new Set<string>();
    for (const c of cases) {
      const fast = firstMismatch(L, c, resp);
      expect(fast).toEqual(firstMismatch(L, c, objs));
      kinds.add(`${fast?.stream} ${fast?.kind}`);
    }
    expect([...kinds].sort()).toEqual(['out protocol', 'out value', 'samples value']);
    // Without the protocol records (which come first), the ends of the streams.
    resp.protocol = [];
    objs.protocol = [];
    expect(firstMismatch(L, cases[0]!, resp)).toBeUndefined();
    for (const [c, kind] of [[cases[1]!, 'extra'], [cases[2]!, 'missing']] as const) {
      expect(firstMismatch(L, c, resp)).toEqual(firstMismatch(L, c, objs));
      expect(firstMismatch(L, c, resp)).toMatchObject({ kind, index: exp.length - (kind === 'extra' ? 1 : 0) });
    }
    expect(() => firstMismatch(L, { streams: { out: [{ ...exp[0]!, zz: 1 }] } }, resp)).toThrow(/'zz' is not one of s, t/);
  });
});
