// Stimulus files (format: sim/stimulus/format.ts): encoding, streamed in fixed-size chunks
// straight into the file, and decoding (the inverse, for tests and tools).
//
// Speed: a million 8-field beats encode in tens of milliseconds. Each beat goes through the
// stream's compiled writer (sim/stimulus/codec.ts: named property reads, numbers for ports of
// up to 53 bits) into a reused 256 KB chunk; only a beat the writer declines (a wide bigint
// out of its fast path, or anything wrong) takes the reference path below, which encodes it
// with valueToWords or throws the precise error (stream, beat, field, range).
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { type RecordWriter, compileWriter, fieldPorts, plainPorts } from './codec.ts';
import { type Beat, type Schedule, type Schedules, type Stimulus, type Value, FORMAT_VERSION, NEVER, ResponseFormatError, STIM_MAGIC, STIM_TRAILER, StimulusError, valueToWords, wordsToValue } from './core.ts';
import type { Layout, LayoutPort, LayoutStream } from './layout.ts';

/** Receives consecutive chunks of the encoded words; a chunk is only valid during the call. */
export type WordSink = (chunk: Uint32Array) => void;

/** Words per chunk (256 KB): large enough that per-chunk costs vanish, small enough to stay in cache. */
const CHUNK_WORDS = 1 << 16;

/** Whether this host stores a Uint32Array little-endian, as the files are (then no byte swapping). */
export const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The little-endian bytes of `words` (a view on a little-endian host, else a swapped copy). */
export function leBytes(words: Uint32Array): Uint8Array {
  if (HOST_LE) return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  const out = new Uint8Array(words.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) dv.setUint32(4 * i, words[i]!, true);
  return out;
}

class ChunkWriter {
  buf = new Uint32Array(CHUNK_WORDS);
  n = 0;
  constructor(private readonly sink: WordSink) {}
  push(w: number): void {
    if (this.n === this.buf.length) this.flush();
    this.buf[this.n++] = w;
  }
  /** Make room for `k` consecutive words at `this.n` and return that position. */
  room(k: number): number {
    if (this.n + k > this.buf.length) {
      this.flush();
      if (k > this.buf.length) this.buf = new Uint32Array(k);
    }
    return this.n;
  }
  flush(): void {
    if (this.n > 0) this.sink(this.buf.subarray(0, this.n));
    this.n = 0;
  }
}

function checkNames(what: string, given: Iterable<string>, known: string[]): void {
  for (const k of given) {
    if (!known.includes(k)) throw new StimulusError(`${what} '${k}' is not one of: ${known.join(', ') || '(none)'}`);
  }
}

function checkSchedule(s: Schedule, what: string): void {
  if (!Number.isInteger(s.length) || s.length < 0 || s.length > 0xffffffff) throw new StimulusError(`${what}: schedule length ${s.length}`);
  if (s.bits.length !== Math.ceil(s.length / 32)) throw new StimulusError(`${what}: schedule of ${s.length} cycles needs ${Math.ceil(s.length / 32)} words, has ${s.bits.length}`);
}

function isRecord(x: unknown): x is Record<string, Value> {
  return x !== null && typeof x === 'object';
}

/** The reference path for one beat: encode it with valueToWords, or throw the precise error. */
function encodeBeatSlowly(stream: LayoutStream, beat: unknown, i: number, out: Uint32Array, at: number): void {
  if (!isRecord(beat)) throw new StimulusError(`stream '${stream.name}' beat ${i}: expected an object of field values, found ${beat === null ? 'null' : typeof beat}`);
  checkNames(`stream '${stream.name}' beat ${i}: field`, Object.keys(beat), stream.fields.map((f) => f.name));
  for (const f of stream.fields) {
    const v = beat[f.name];
    if (v === undefined) throw new StimulusError(`stream '${stream.name}' beat ${i}: field '${f.name}' is missing`);
    out.set(valueToWords(v, f, `stream '${stream.name}' beat ${i} field '${f.name}'`), at + f.offset);
  }
}

/** The reference path for one table row (ports left out are 0). */
function encodeRowSlowly(layout: Layout, row: unknown, i: number, out: Uint32Array, at: number): void {
  if (!isRecord(row)) throw new StimulusError(`table row ${i}: expected an object of port values, found ${row === null ? 'null' : typeof row}`);
  checkNames(`table row ${i}: port`, Object.keys(row), layout.tablePorts.map((p) => p.port));
  for (const p of layout.tablePorts) out.set(valueToWords(row[p.port] ?? 0n, p, `table row ${i} port '${p.port}'`), at + p.offset);
}

/** Compiled writers per layout (a layout object is made once per design load). */
const writers = new WeakMap<Layout, { streams: RecordWriter[]; table: RecordWriter }>();
function writersOf(layout: Layout) {
  let w = writers.get(layout);
  if (!w) {
    w = { streams: layout.inStreams.map((s) => compileWriter(fieldPorts(s.fields), false)), table: compileWriter(plainPorts(layout.tablePorts), true) };
    writers.set(layout, w);
  }
  return w;
}

/** Encode a stimulus file (format: sim/stimulus/format.ts) into `sink`, chunk by chunk. */
export function encodeStimulusTo(layout: Layout, stim: Stimulus, sched: Schedules, sink: WordSink): void {
  const streams = stim.streams ?? {};
  const rows = stim.rows ?? [];
  checkNames('input stream', Object.keys(streams), layout.inStreams.map((s) => s.name));
  checkNames('idle schedule for input stream', Object.keys(sched.idle ?? {}), layout.inStreams.map((s) => s.name));
  checkNames('stall schedule for output stream', Object.keys(sched.stall ?? {}), layout.outStreams.map((s) => s.name));
  if (rows.length > 0 && layout.tablePorts.length === 0) {
    throw new StimulusError(`${rows.length} table row(s) given, but module '${layout.top}' has no non-stream inputs`);
  }
  const schedules = [
    ...layout.inStreams.map((s) => [sched.idle?.[s.name] ?? NEVER, `idle schedule of '${s.name}'`] as const),
    ...layout.outStreams.map((s) => [sched.stall?.[s.name] ?? NEVER, `stall schedule of '${s.name}'`] as const),
  ];
  for (const [s, what] of schedules) checkSchedule(s, what);
  const fast = writersOf(layout);
  const w = new ChunkWriter(sink);
  for (const x of [STIM_MAGIC, FORMAT_VERSION, layout.hash, layout.inStreams.length, layout.outStreams.length, layout.tableWords, layout.tableWords > 0 ? rows.length : 0, 0]) w.push(x);
  layout.inStreams.forEach((s, k) => {
    const beats: readonly Beat[] = streams[s.name] ?? [];
    w.push(beats.length);
    w.push(s.words);
    const write = fast.streams[k]!;
    const n = s.words;
    for (let i = 0; i < beats.length; i++) {
      const at = w.room(n);
      if (!write(beats[i], w.buf, at)) encodeBeatSlowly(s, beats[i], i, w.buf, at);
      w.n = at + n;
    }
  });
  for (const [s] of schedules) {
    w.push(s.length);
    for (let i = 0; i < s.bits.length; i++) w.push(s.bits[i]!);
  }
  if (layout.tableWords > 0) {
    const n = layout.tableWords;
    for (let i = 0; i < rows.length; i++) {
      const at = w.room(n);
      w.buf.fill(0, at, at + n);
      if (!fast.table(rows[i], w.buf, at)) encodeRowSlowly(layout, rows[i], i, w.buf, at);
      w.n = at + n;
    }
  }
  w.push(STIM_TRAILER);
  w.flush();
}

/** Encode a stimulus file into memory (little-endian bytes). */
export function encodeStimulus(layout: Layout, stim: Stimulus, sched: Schedules = {}): Uint8Array {
  const chunks: Uint32Array[] = [];
  let total = 0;
  encodeStimulusTo(layout, stim, sched, (c) => {
    chunks.push(c.slice());
    total += c.length;
  });
  const all = new Uint32Array(total);
  let p = 0;
  for (const c of chunks) {
    all.set(c, p);
    p += c.length;
  }
  return leBytes(all);
}

/** Encode a stimulus file straight to `file`, chunk by chunk (nothing of file size in memory); returns its size in bytes. On an error the partial file is removed. */
export function writeStimulusFile(file: string, layout: Layout, stim: Stimulus, sched: Schedules = {}): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    encodeStimulusTo(layout, stim, sched, (c) => {
      const b = leBytes(c);
      for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
      bytes += b.length;
    });
  } catch (e) {
    closeSync(fd);
    unlinkSync(file);
    throw e;
  }
  closeSync(fd);
  return bytes;
}

export interface DecodedStimulus {
  streams: Record<string, Record<string, bigint>[]>;
  rows: Record<string, bigint>[];
  idle: Record<string, Schedule>;
  stall: Record<string, Schedule>;
}

/** The 32-bit words of a little-endian file's bytes (a view when the host and alignment allow). */
export function wordsOf(bytes: Uint8Array, what: string): Uint32Array {
  if (bytes.length % 4 !== 0) throw new ResponseFormatError(`${what}: ${bytes.length} bytes is not a whole number of 32-bit words`);
  if (HOST_LE && bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(4 * i, true);
  return out;
}

/** Decode a stimulus file (the inverse of encodeStimulus, with the reference value code; for tests and tools). */
export function decodeStimulus(layout: Layout, bytes: Uint8Array): DecodedStimulus {
  const w = wordsOf(bytes, 'stimulus');
  let p = 0;
  const take = (what: string): number => {
    if (p >= w.length) throw new ResponseFormatError(`stimulus: truncated at word ${p} (${what})`);
    return w[p++]!;
  };
  const need = (n: number, what: string) => {
    if (p + n > w.length) throw new ResponseFormatError(`stimulus: truncated at word ${p} (${what})`);
  };
  if (take('magic') !== STIM_MAGIC) throw new ResponseFormatError('stimulus: bad magic');
  if (take('version') !== FORMAT_VERSION) throw new ResponseFormatError('stimulus: unsupported version');
  if (take('hash') !== layout.hash) throw new ResponseFormatError('stimulus: layout hash differs from the module');
  if (take('S_in') !== layout.inStreams.length || take('S_out') !== layout.outStreams.length || take('R') !== layout.tableWords) {
    throw new ResponseFormatError('stimulus: header does not match the layout');
  }
  const nRows = take('N');
  take('reserved');
  const record = (ports: readonly (LayoutPort & { name?: string })[], key: (q: LayoutPort & { name?: string }) => string, words: number, what: string) => {
    need(words, what);
    const r: Record<string, bigint> = {};
    for (const q of ports) r[key(q)] = wordsToValue(w, p + q.offset, q);
    p += words;
    return r;
  };
  const streams: DecodedStimulus['streams'] = {};
  for (const s of layout.inStreams) {
    const n = take('beats');
    if (take('words per beat') !== s.words) throw new ResponseFormatError(`stimulus: words per beat of '${s.name}'`);
    streams[s.name] = Array.from({ length: n }, () => record(s.fields, (f) => f.name!, s.words, `beats of '${s.name}'`));
  }
  const sched = (): Schedule => {
    const length = take('schedule length');
    const n = Math.ceil(length / 32);
    need(n, 'schedule');
    const bits = w.slice(p, p + n);
    p += n;
    return { length, bits };
  };
  const idle: Record<string, Schedule> = {};
  const stall: Record<string, Schedule> = {};
  for (const s of layout.inStreams) idle[s.name] = sched();
  for (const s of layout.outStreams) stall[s.name] = sched();
  const rows = Array.from({ length: nRows }, () => record(layout.tablePorts, (q) => q.port, layout.tableWords, 'table'));
  if (take('trailer') !== STIM_TRAILER || p !== w.length) throw new ResponseFormatError('stimulus: bad trailer');
  return { streams, rows, idle, stall };
}
