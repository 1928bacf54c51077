// Binary stimulus and response files shared by the Verilator harness and the Icarus testbench.
//
// Every file is a sequence of little-endian unsigned 32-bit words. A value of a `w`-bit port
// takes ceil(w/32) words, least significant word first, holding the value's low `w` bits
// (two's complement for signed ports; bits above `w` are zero). Port order and offsets come
// from the module's Layout (sim/stimulus/layout.ts); its 32-bit hash is in every header so
// that a file is never read against the wrong harness.
//
// Stimulus file (written by TS, read by the harness and the testbench):
//   word 0   magic 0x53474344 ("DCGS" as bytes)
//   word 1   version (1)
//   word 2   layout hash
//   word 3   number of input streams  S_in   (must match the layout)
//   word 4   number of output streams S_out  (must match the layout)
//   word 5   words per table row R           (must match the layout)
//   word 6   number of table rows N
//   word 7   reserved (0)
//   for each input stream, layout order:  B (beats), W (words per beat), then B*W words
//   for each input stream, layout order:  idle schedule
//   for each output stream, layout order: stall schedule
//   N*R words: the table (row k drives the non-stream inputs in cycle k; the last row is held)
//   trailer 0x444e4544 ("DEND" as bytes)
// A schedule is L (its length in cycles, 0 = never), then ceil(L/32) words of bits: bit
// (c mod L) — bit i is bit (i mod 32) of word floor(i/32) — set means: input stream idle in
// cycle c (no new beat may start; a beat already offered stays offered), or output stream not
// ready in cycle c. Schedules are computed in TS from the stall probabilities and the seed,
// so both simulators see exactly the same pattern.
//
// Response file (written by the Verilator harness; the Icarus testbench writes the same
// records as text, see sim/icarus/run.ts):
//   word 0   magic 0x52474344 ("DCGR" as bytes)
//   word 1   version (1)
//   word 2   layout hash
//   words 3-5  S_in, S_out, sample words;  words 6-7 reserved (0)
//   records, in simulation order: tag (kind << 24 | stream index), cycle, payload
//     kind 1  output-stream transaction: the beat's words (layout order of the fields)
//     kind 2  input-stream beat accepted (valid && ready), no payload
//     kind 3  sample of the non-stream outputs: sample-words words
//     kind 4  protocol violation by an output stream (it offered a beat while ready was low
//             in the previous cycle, and now): payload one word, 1 = valid withdrawn,
//             2 = payload changed
//     kind 15 end: cycle = cycles run after reset (incl. drain cycles); payload two words:
//             status (0 = done, 1 = cycle limit reached) and the cycle in which everything
//             was complete (all beats accepted, all expected outputs received, all table
//             rows applied), or the limit
// Within a cycle the order is: per output stream its violation then its transaction,
// accepted beats, the sample.
//
// The cycle protocol (identical in the Verilator harness and the Icarus testbench):
//   * Every input is 0 to begin with. A clocked module (hasClock) then gets RESET_CYCLES (4)
//     rising edges with rst high, every valid and ready low and every other input 0. Cycle 0
//     is the first cycle after that; a module without clk/rst starts at cycle 0 directly.
//   * In cycle c, with clk low: each input stream that is not offering a beat, has beats left
//     and is not idle in c (schedule) starts offering its next beat (fields set, valid high);
//     a beat on offer stays on offer with its payload unchanged until accepted. When not
//     offering, valid is low and the fields keep the last beat. Each output stream's ready is
//     low iff its stall schedule is set in c. Table row c (if c < N) drives the non-stream
//     inputs; after the last row they keep its values.
//   * The model is evaluated; then valid && ready of each output stream records a
//     transaction, of each input stream an accepted beat; with sampling on, the non-stream
//     outputs are recorded. Then the rising edge (clocked modules) and c+1.
//   * Before cycle c the run is complete when every input beat has been accepted, every
//     output stream has its expected count, c >= N and c >= the minimum cycle count; it then
//     runs `drain` more cycles (recording any extra outputs) and ends. Reaching the cycle
//     limit first ends it with status 1 (the harness names the stalled interfaces).
import type { Layout, LayoutPort, LayoutStream } from './layout.ts';
import { toSigned, toUnsigned, valueRange } from './rng.ts';

export const STIM_MAGIC = 0x53474344;
export const STIM_TRAILER = 0x444e4544;
export const RESP_MAGIC = 0x52474344;
export const FORMAT_VERSION = 1;
export const REC_OUT = 1;
export const REC_ACCEPT = 2;
export const REC_SAMPLE = 3;
export const REC_PROTOCOL = 4;
export const REC_END = 15;

export type Value = bigint | number;
/** One beat of a stream: field name → value. */
export type Beat = Record<string, Value>;

/** What to drive into a module. */
export interface Stimulus {
  /** Beats per input stream, by stream name; a stream not listed gets none. */
  streams?: Record<string, Beat[]>;
  /** Per-cycle values of the non-stream inputs, by port name (missing ports: 0). */
  rows?: Record<string, Value>[];
}

/** A per-cycle bit pattern, repeated with period `length` (0 = never set). */
export interface Schedule {
  length: number;
  /** ceil(length/32) words; bit i of the pattern is bit (i % 32) of word (i >> 5). */
  bits: Uint32Array;
}

/** Idle patterns per input stream and not-ready patterns per output stream, by stream name. */
export interface Schedules {
  idle?: Record<string, Schedule>;
  stall?: Record<string, Schedule>;
}

export const NEVER: Schedule = { length: 0, bits: new Uint32Array(0) };

export function scheduleFromBools(pattern: readonly boolean[]): Schedule {
  const bits = new Uint32Array(Math.ceil(pattern.length / 32));
  pattern.forEach((b, i) => {
    if (b) bits[i >> 5]! |= 1 << (i & 31);
  });
  return { length: pattern.length, bits };
}

/** Whether the schedule is set in cycle `c`. */
export function scheduleAt(s: Schedule, c: number): boolean {
  if (s.length === 0) return false;
  const i = c % s.length;
  return ((s.bits[i >> 5]! >>> (i & 31)) & 1) === 1;
}

export class StimulusError extends Error {
  override readonly name = 'StimulusError';
}

export class ResponseFormatError extends Error {
  override readonly name = 'ResponseFormatError';
}

// ---------------------------------------------------------------------------------------------
// values

/** The words of a `width`-bit value (range-checked against the port's signedness). */
export function valueToWords(v: Value, port: Pick<LayoutPort, 'width' | 'signed'>, what: string): number[] {
  let b: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new StimulusError(`${what}: expected an integer (number or bigint), found ${v}`);
    b = BigInt(v);
  } else if (typeof v === 'bigint') b = v;
  else throw new StimulusError(`${what}: expected an integer (number or bigint), found ${typeof v}`);
  const { min, max } = valueRange(port.width, port.signed);
  if (b < min || b > max) {
    throw new StimulusError(`${what}: ${b} does not fit a${port.signed ? ' signed' : 'n unsigned'} ${port.width}-bit port (range ${min}..${max})`);
  }
  const u = toUnsigned(b, port.width);
  const words: number[] = [];
  for (let i = 0; i < Math.ceil(port.width / 32); i++) words.push(Number((u >> BigInt(32 * i)) & 0xffffffffn));
  return words;
}

/** The value in `words[at .. at+words)`, in the port's signedness. */
export function wordsToValue(words: ArrayLike<number>, at: number, port: Pick<LayoutPort, 'width' | 'signed'>): bigint {
  let u = 0n;
  const n = Math.ceil(port.width / 32);
  for (let i = n - 1; i >= 0; i--) u = (u << 32n) | BigInt(words[at + i]! >>> 0);
  u = toUnsigned(u, port.width);
  return port.signed ? toSigned(u, port.width) : u;
}

/** Normalise a value to a bigint in the port's signedness (for comparisons). */
export function normalise(v: Value, port: Pick<LayoutPort, 'width' | 'signed'>): bigint {
  const b = BigInt(v);
  return port.signed ? toSigned(b, port.width) : toUnsigned(b, port.width);
}

// ---------------------------------------------------------------------------------------------
// stimulus

class WordWriter {
  private buf = new Uint32Array(1024);
  length = 0;
  push(w: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = w >>> 0;
  }
  pushAll(ws: ArrayLike<number>): void {
    for (let i = 0; i < ws.length; i++) this.push(ws[i]!);
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length * 4);
    const dv = new DataView(out.buffer);
    for (let i = 0; i < this.length; i++) dv.setUint32(4 * i, this.buf[i]!, true);
    return out;
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

function encodeBeat(stream: LayoutStream, beat: Beat, i: number, w: WordWriter): void {
  checkNames(`stream '${stream.name}' beat ${i}: field`, Object.keys(beat), stream.fields.map((f) => f.name));
  for (const f of stream.fields) {
    const v = beat[f.name];
    if (v === undefined) throw new StimulusError(`stream '${stream.name}' beat ${i}: field '${f.name}' is missing`);
    w.pushAll(valueToWords(v, f, `stream '${stream.name}' beat ${i} field '${f.name}'`));
  }
}

/** Encode a stimulus file (see the format at the top of this file). */
export function encodeStimulus(layout: Layout, stim: Stimulus, sched: Schedules = {}): Uint8Array {
  const streams = stim.streams ?? {};
  const rows = stim.rows ?? [];
  checkNames('input stream', Object.keys(streams), layout.inStreams.map((s) => s.name));
  checkNames('idle schedule for input stream', Object.keys(sched.idle ?? {}), layout.inStreams.map((s) => s.name));
  checkNames('stall schedule for output stream', Object.keys(sched.stall ?? {}), layout.outStreams.map((s) => s.name));
  if (rows.length > 0 && layout.tablePorts.length === 0) {
    throw new StimulusError(`${rows.length} table row(s) given, but module '${layout.top}' has no non-stream inputs`);
  }
  const w = new WordWriter();
  w.pushAll([STIM_MAGIC, FORMAT_VERSION, layout.hash, layout.inStreams.length, layout.outStreams.length, layout.tableWords, layout.tableWords > 0 ? rows.length : 0, 0]);
  for (const s of layout.inStreams) {
    const beats = streams[s.name] ?? [];
    w.push(beats.length);
    w.push(s.words);
    beats.forEach((b, i) => encodeBeat(s, b, i, w));
  }
  const pushSched = (s: Schedule, what: string) => {
    checkSchedule(s, what);
    w.push(s.length);
    w.pushAll(s.bits);
  };
  for (const s of layout.inStreams) pushSched(sched.idle?.[s.name] ?? NEVER, `idle schedule of '${s.name}'`);
  for (const s of layout.outStreams) pushSched(sched.stall?.[s.name] ?? NEVER, `stall schedule of '${s.name}'`);
  if (layout.tableWords > 0) {
    rows.forEach((row, i) => {
      checkNames(`table row ${i}: port`, Object.keys(row), layout.tablePorts.map((p) => p.port));
      for (const p of layout.tablePorts) w.pushAll(valueToWords(row[p.port] ?? 0n, p, `table row ${i} port '${p.port}'`));
    });
  }
  w.push(STIM_TRAILER);
  return w.bytes();
}

export interface DecodedStimulus {
  streams: Record<string, Record<string, bigint>[]>;
  rows: Record<string, bigint>[];
  idle: Record<string, Schedule>;
  stall: Record<string, Schedule>;
}

function wordsOf(bytes: Uint8Array, what: string): Uint32Array {
  if (bytes.length % 4 !== 0) throw new ResponseFormatError(`${what}: ${bytes.length} bytes is not a whole number of 32-bit words`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(4 * i, true);
  return out;
}

/** Decode a stimulus file (the inverse of encodeStimulus; used in tests and tools). */
export function decodeStimulus(layout: Layout, bytes: Uint8Array): DecodedStimulus {
  const w = wordsOf(bytes, 'stimulus');
  let p = 0;
  const take = (what: string): number => {
    if (p >= w.length) throw new ResponseFormatError(`stimulus: truncated at word ${p} (${what})`);
    return w[p++]!;
  };
  if (take('magic') !== STIM_MAGIC) throw new ResponseFormatError('stimulus: bad magic');
  if (take('version') !== FORMAT_VERSION) throw new ResponseFormatError('stimulus: unsupported version');
  if (take('hash') !== layout.hash) throw new ResponseFormatError('stimulus: layout hash differs from the module');
  if (take('S_in') !== layout.inStreams.length || take('S_out') !== layout.outStreams.length || take('R') !== layout.tableWords) {
    throw new ResponseFormatError('stimulus: header does not match the layout');
  }
  const nRows = take('N');
  take('reserved');
  const streams: DecodedStimulus['streams'] = {};
  for (const s of layout.inStreams) {
    const n = take('beats');
    if (take('words per beat') !== s.words) throw new ResponseFormatError(`stimulus: words per beat of '${s.name}'`);
    const beats: Record<string, bigint>[] = [];
    for (let i = 0; i < n; i++) {
      const beat: Record<string, bigint> = {};
      for (const f of s.fields) beat[f.name] = wordsToValue(w, p + f.offset, f);
      p += s.words;
      beats.push(beat);
    }
    streams[s.name] = beats;
  }
  const sched = (): Schedule => {
    const length = take('schedule length');
    const n = Math.ceil(length / 32);
    const bits = w.slice(p, p + n);
    p += n;
    return { length, bits };
  };
  const idle: Record<string, Schedule> = {};
  const stall: Record<string, Schedule> = {};
  for (const s of layout.inStreams) idle[s.name] = sched();
  for (const s of layout.outStreams) stall[s.name] = sched();
  const rows: Record<string, bigint>[] = [];
  for (let i = 0; i < nRows; i++) {
    const row: Record<string, bigint> = {};
    for (const q of layout.tablePorts) row[q.port] = wordsToValue(w, p + q.offset, q);
    p += layout.tableWords;
    rows.push(row);
  }
  if (take('trailer') !== STIM_TRAILER || p !== w.length) throw new ResponseFormatError('stimulus: bad trailer');
  return { streams, rows, idle, stall };
}

// ---------------------------------------------------------------------------------------------
// response

export interface Transaction {
  /** Position in its stream (0-based). */
  index: number;
  /** Cycle (after reset) in which valid && ready was seen. */
  cycle: number;
  /** Field name → value in the port's signedness. */
  fields: Record<string, bigint>;
  /** Fields that had x/z bits (Icarus only; their value reads those bits as 0). */
  unknown?: string[];
}

export interface Sample {
  cycle: number;
  values: Record<string, bigint>;
  unknown?: string[];
}

/** An output stream broke the valid/ready rules (a beat offered while not ready must stay, unchanged). */
export interface ProtocolViolation {
  stream: string;
  cycle: number;
  violation: 'valid-dropped' | 'payload-changed';
}

export const VIOLATION_CODES: Record<number, ProtocolViolation['violation']> = { 1: 'valid-dropped', 2: 'payload-changed' };

export interface Response {
  status: 'done' | 'cycle-limit';
  /** Cycles run after reset, including the drain cycles after completion. */
  cycles: number;
  /** The cycle in which all beats were accepted, all expected outputs received and all table rows applied (or the limit). */
  doneCycle: number;
  /** Transactions per output stream, by stream name. */
  out: Record<string, Transaction[]>;
  /** Per input stream: the cycle in which each beat was accepted. */
  accepted: Record<string, number[]>;
  /** Per-cycle samples of the non-stream outputs (when sampling was on). */
  samples: Sample[];
  /** Valid/ready rule violations by the module's output streams. */
  protocol: ProtocolViolation[];
}

export function emptyResponse(layout: Layout): Response {
  return {
    status: 'done',
    cycles: 0,
    doneCycle: 0,
    out: Object.fromEntries(layout.outStreams.map((s) => [s.name, [] as Transaction[]])),
    accepted: Object.fromEntries(layout.inStreams.map((s) => [s.name, [] as number[]])),
    samples: [],
    protocol: [],
  };
}

/** Decode a binary response file written by the Verilator harness. */
export function decodeResponse(layout: Layout, bytes: Uint8Array): Response {
  const w = wordsOf(bytes, 'response');
  if (w.length < 8) throw new ResponseFormatError(`response: ${w.length} words, shorter than the header`);
  if (w[0] !== RESP_MAGIC || w[1] !== FORMAT_VERSION) throw new ResponseFormatError('response: bad magic or version');
  if (w[2] !== layout.hash) throw new ResponseFormatError('response: layout hash differs from the module');
  if (w[3] !== layout.inStreams.length || w[4] !== layout.outStreams.length || w[5] !== layout.sampleWords) {
    throw new ResponseFormatError('response: header does not match the layout');
  }
  const r = emptyResponse(layout);
  let p = 8;
  let ended = false;
  while (p < w.length) {
    if (p + 2 > w.length) throw new ResponseFormatError(`response: truncated record at word ${p}`);
    const tag = w[p]!;
    const cycle = w[p + 1]!;
    p += 2;
    const kind = tag >>> 24;
    const idx = tag & 0xffffff;
    const need = (n: number) => {
      if (p + n > w.length) throw new ResponseFormatError(`response: truncated record at word ${p - 2}`);
    };
    if (kind === REC_OUT) {
      const s = layout.outStreams[idx];
      if (!s) throw new ResponseFormatError(`response: output stream index ${idx}`);
      need(s.words);
      const fields: Record<string, bigint> = {};
      for (const f of s.fields) fields[f.name] = wordsToValue(w, p + f.offset, f);
      p += s.words;
      const list = r.out[s.name]!;
      list.push({ index: list.length, cycle, fields });
    } else if (kind === REC_ACCEPT) {
      const s = layout.inStreams[idx];
      if (!s) throw new ResponseFormatError(`response: input stream index ${idx}`);
      r.accepted[s.name]!.push(cycle);
    } else if (kind === REC_SAMPLE) {
      need(layout.sampleWords);
      const values: Record<string, bigint> = {};
      for (const q of layout.samplePorts) values[q.port] = wordsToValue(w, p + q.offset, q);
      p += layout.sampleWords;
      r.samples.push({ cycle, values });
    } else if (kind === REC_PROTOCOL) {
      const s = layout.outStreams[idx];
      if (!s) throw new ResponseFormatError(`response: output stream index ${idx}`);
      need(1);
      const violation = VIOLATION_CODES[w[p]!];
      if (!violation) throw new ResponseFormatError(`response: protocol violation code ${w[p]}`);
      r.protocol.push({ stream: s.name, cycle, violation });
      p += 1;
    } else if (kind === REC_END) {
      need(2);
      r.status = w[p] === 0 ? 'done' : 'cycle-limit';
      r.cycles = cycle;
      r.doneCycle = w[p + 1]!;
      p += 2;
      ended = true;
      break;
    } else {
      throw new ResponseFormatError(`response: unknown record kind ${kind} at word ${p - 2}`);
    }
  }
  if (!ended) throw new ResponseFormatError('response: no end record (the simulation did not finish writing)');
  return r;
}
