// Response files of the Verilator harness (format: sim/stimulus/format.ts), decoded in chunks
// into columns: per output stream a typed array of cycles and one of payload words, per input
// stream a typed array of acceptance cycles, and the same for samples. Decoding a million
// transactions takes milliseconds because it creates no object per record; the comparison with
// the golden model (sim/cosim/compare.ts) reads the columns directly.
//
// The Response handed out keeps the familiar shape (Transaction objects with bigint fields),
// but builds each part on first access: `out.<stream>`, `accepted.<stream>` and `samples` are
// getters that materialise the list once and then become plain data properties. A test that
// looks at a few transactions pays for one stream; a run whose transactions nobody reads pays
// nothing.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { type RecordReader, compileReader, fieldPorts, plainPorts } from './codec.ts';
import { HOST_LE, wordsOf } from './encode.ts';
import { type ProtocolViolation, type Response, type Sample, type Transaction, FORMAT_VERSION, MAX_ACCEPT_RUN, REC_ACCEPT, REC_ACCEPT_RUN, REC_END, REC_OUT, REC_PROTOCOL, REC_SAMPLE, RESP_MAGIC, ResponseFormatError, VIOLATION_CODES } from './core.ts';
import type { Layout, LayoutStream } from './layout.ts';

/** Records of one output stream, or the samples: `count` records, `words` words each. */
export interface RecordColumns {
  count: number;
  /** Words per record. */
  stride: number;
  /** Cycle of record i. */
  cycles: Uint32Array;
  /** Payload of record i at `i * stride` (layout field offsets within). */
  words: Uint32Array;
}

/** A binary response as columns (see the top of this file). */
export interface ResponseColumns {
  /** Per output stream, layout order. */
  out: RecordColumns[];
  /** Per input stream, layout order: acceptance cycle of each beat. */
  accepted: Uint32Array[];
  samples: RecordColumns;
}

const COLUMNS = new WeakMap<Response, ResponseColumns>();

/** The columns behind a response decoded from a binary file (undefined for one parsed from Icarus text). */
export function responseColumns(r: Response): ResponseColumns | undefined {
  return COLUMNS.get(r);
}

/** A growable typed array. */
class Column {
  a = new Uint32Array(256);
  n = 0;
  /** Make room for `k` more words; returns the position to write them at. */
  room(k: number): number {
    if (this.n + k > this.a.length) {
      let cap = this.a.length * 2;
      while (cap < this.n + k) cap *= 2;
      const b = new Uint32Array(cap);
      b.set(this.a.subarray(0, this.n));
      this.a = b;
    }
    return this.n;
  }
  view(): Uint32Array {
    return this.a.subarray(0, this.n);
  }
}

class RecordColumn {
  readonly cycles = new Column();
  readonly words = new Column();
  constructor(readonly stride: number) {}
  finish(): RecordColumns {
    return { count: this.cycles.n, stride: this.stride, cycles: this.cycles.view(), words: this.words.view() };
  }
}

const readers = new WeakMap<object, RecordReader>();
/** The compiled reader of a stream's fields (keyed by field name), cached per stream. */
export function streamReader(s: LayoutStream): RecordReader {
  let r = readers.get(s);
  if (!r) readers.set(s, (r = compileReader(fieldPorts(s.fields))));
  return r;
}
/** The compiled reader of the sampled ports (keyed by port name), cached per layout. */
export function sampleReader(layout: Layout): RecordReader {
  let r = readers.get(layout);
  if (!r) readers.set(layout, (r = compileReader(plainPorts(layout.samplePorts))));
  return r;
}

/** Transaction `i` of an output stream's columns. */
export function transactionAt(s: LayoutStream, c: RecordColumns, i: number): Transaction {
  return { index: i, cycle: c.cycles[i]!, fields: streamReader(s)(c.words, i * c.stride) };
}

/** Sample `i` of the sample columns. */
export function sampleAt(layout: Layout, c: RecordColumns, i: number): Sample {
  return { cycle: c.cycles[i]!, values: sampleReader(layout)(c.words, i * c.stride) };
}

/** An object whose properties `names[i]` are built by `make(i)` on first read (then plain data). */
function lazyRecord<T>(names: readonly string[], make: (i: number) => T): Record<string, T> {
  const o: Record<string, T> = {};
  names.forEach((name, i) => lazyProperty(o, name, () => make(i)));
  return o;
}

function lazyProperty<O extends object, T>(o: O, name: string, make: () => T): void {
  const settle = (value: T) => Object.defineProperty(o, name, { value, enumerable: true, configurable: true, writable: true });
  Object.defineProperty(o, name, {
    enumerable: true,
    configurable: true,
    get: () => {
      const v = make();
      settle(v);
      return v;
    },
    set: settle,
  });
}

/**
 * Decodes a response file fed in pieces: `feed` decodes the whole records at the start of the
 * words it is given and returns how many words it used; the caller passes the rest again, with
 * more words after it.
 */
export class ResponseDecoder {
  private header = false;
  private ended = false;
  /** Words consumed before the current feed (for positions in messages). */
  private base = 0;
  private readonly out: RecordColumn[];
  private readonly accepted: Column[];
  private readonly samples: RecordColumn;
  private readonly protocol: ProtocolViolation[] = [];
  private status: Response['status'] = 'done';
  private cycles = 0;
  private doneCycle = 0;

  constructor(readonly layout: Layout) {
    this.out = layout.outStreams.map((s) => new RecordColumn(s.words));
    this.accepted = layout.inStreams.map(() => new Column());
    this.samples = new RecordColumn(layout.sampleWords);
  }

  feed(w: Uint32Array, final: boolean): number {
    const layout = this.layout;
    let p = 0;
    const end = w.length;
    if (!this.header) {
      if (end < 8) {
        if (final) throw new ResponseFormatError(`response: ${end} words, shorter than the header`);
        return 0;
      }
      if (w[0] !== RESP_MAGIC || w[1] !== FORMAT_VERSION) throw new ResponseFormatError('response: bad magic or version');
      if (w[2] !== layout.hash) throw new ResponseFormatError('response: layout hash differs from the module');
      if (w[3] !== layout.inStreams.length || w[4] !== layout.outStreams.length || w[5] !== layout.sampleWords) {
        throw new ResponseFormatError('response: header does not match the layout');
      }
      this.header = true;
      p = 8;
    }
    const sw = layout.sampleWords;
    while (!this.ended && p + 2 <= end) {
      const tag = w[p]!;
      const cycle = w[p + 1]!;
      const kind = tag >>> 24;
      const idx = tag & 0xffffff;
      if (kind === REC_OUT) {
        const col = this.out[idx];
        if (!col) throw new ResponseFormatError(`response: output stream index ${idx}`);
        const n = col.stride;
        if (p + 2 + n > end) break;
        const k = col.cycles.room(1);
        col.cycles.a[k] = cycle;
        col.cycles.n = k + 1;
        const at = col.words.room(n);
        const a = col.words.a;
        for (let j = 0; j < n; j++) a[at + j] = w[p + 2 + j]!;
        col.words.n = at + n;
        p += 2 + n;
      } else if (kind === REC_ACCEPT_RUN || kind === REC_ACCEPT) {
        const col = this.accepted[idx];
        if (!col) throw new ResponseFormatError(`response: input stream index ${idx}`);
        const run = kind === REC_ACCEPT_RUN;
        if (run && p + 3 > end) break;
        const n = run ? w[p + 2]! : 1;
        if (n === 0 || n > MAX_ACCEPT_RUN) throw new ResponseFormatError(`response: accept run of ${n} beats at word ${this.base + p}`);
        const at = col.room(n);
        const a = col.a;
        for (let j = 0; j < n; j++) a[at + j] = cycle + j;
        col.n = at + n;
        p += run ? 3 : 2;
      } else if (kind === REC_SAMPLE) {
        if (p + 2 + sw > end) break;
        const s = this.samples;
        const k = s.cycles.room(1);
        s.cycles.a[k] = cycle;
        s.cycles.n = k + 1;
        const at = s.words.room(sw);
        s.words.a.set(w.subarray(p + 2, p + 2 + sw), at);
        s.words.n = at + sw;
        p += 2 + sw;
      } else if (kind === REC_PROTOCOL) {
        const s = layout.outStreams[idx];
        if (!s) throw new ResponseFormatError(`response: output stream index ${idx}`);
        if (p + 3 > end) break;
        const violation = VIOLATION_CODES[w[p + 2]!];
        if (!violation) throw new ResponseFormatError(`response: protocol violation code ${w[p + 2]}`);
        this.protocol.push({ stream: s.name, cycle, violation });
        p += 3;
      } else if (kind === REC_END) {
        if (p + 4 > end) break;
        this.status = w[p + 2] === 0 ? 'done' : 'cycle-limit';
        this.cycles = cycle;
        this.doneCycle = w[p + 3]!;
        p += 4;
        this.ended = true;
      } else {
        throw new ResponseFormatError(`response: unknown record kind ${kind} at word ${this.base + p}`);
      }
    }
    if (final && !this.ended) {
      if (p < end) throw new ResponseFormatError(`response: truncated record at word ${this.base + p}`);
      throw new ResponseFormatError('response: no end record (the simulation did not finish writing)');
    }
    // After the end record nothing more is read: the rest counts as used.
    const used = this.ended ? end : p;
    this.base += used;
    return used;
  }

  /** The decoded response (lazy lists over the columns). */
  finish(): Response {
    if (!this.ended) throw new ResponseFormatError('response: no end record (the simulation did not finish writing)');
    const layout = this.layout;
    const cols: ResponseColumns = { out: this.out.map((c) => c.finish()), accepted: this.accepted.map((c) => c.view()), samples: this.samples.finish() };
    const r = {
      status: this.status,
      cycles: this.cycles,
      doneCycle: this.doneCycle,
      out: lazyRecord(
        layout.outStreams.map((s) => s.name),
        (i) => {
          const s = layout.outStreams[i]!;
          const c = cols.out[i]!;
          const read = streamReader(s);
          const list: Transaction[] = [];
          for (let k = 0; k < c.count; k++) list.push({ index: k, cycle: c.cycles[k]!, fields: read(c.words, k * c.stride) });
          return list;
        },
      ),
      accepted: lazyRecord(
        layout.inStreams.map((s) => s.name),
        (i) => Array.from(cols.accepted[i]!),
      ),
    } as Response;
    lazyProperty(r, 'samples', () => Array.from({ length: cols.samples.count }, (_, k) => sampleAt(layout, cols.samples, k)));
    r.protocol = this.protocol;
    COLUMNS.set(r, cols);
    return r;
  }
}

/** Decode a binary response held in memory. */
export function decodeResponse(layout: Layout, bytes: Uint8Array): Response {
  const d = new ResponseDecoder(layout);
  d.feed(wordsOf(bytes, 'response'), true);
  return d.finish();
}

/** Bytes read per chunk of a response file. */
const READ_CHUNK = 1 << 20;

/** Decode a binary response file, reading it in 1 MB chunks (never the whole file in memory). */
export function decodeResponseFile(layout: Layout, file: string): Response {
  // A big-endian host (none in sight) decodes the whole file through DataView instead.
  if (!HOST_LE) return decodeResponse(layout, readFileSync(file));
  const d = new ResponseDecoder(layout);
  // Room for a chunk plus the unfinished record (or header) carried over from the previous one.
  const carry = 8 + Math.max(layout.sampleWords, ...layout.outStreams.map((s) => s.words), 0);
  const words = new Uint32Array(READ_CHUNK / 4 + carry + 1);
  const bytes = new Uint8Array(words.buffer);
  const fd = openSync(file, 'r');
  try {
    let filled = 0; // bytes in `bytes`, from the start
    for (;;) {
      const got = readSync(fd, bytes, filled, READ_CHUNK, null);
      filled += got;
      const eof = got === 0;
      if (eof && filled % 4 !== 0) throw new ResponseFormatError('response: the file does not end on a whole 32-bit word');
      const used = d.feed(words.subarray(0, filled >> 2), eof);
      if (eof) break;
      bytes.copyWithin(0, used * 4, filled);
      filled -= used * 4;
    }
  } finally {
    closeSync(fd);
  }
  return d.finish();
}
