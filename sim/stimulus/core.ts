// The types, constants and reference value conversions of the stimulus/response files. The
// format itself is described in sim/stimulus/format.ts, which re-exports all of this.
import type { Layout, LayoutPort } from './layout.ts';
import { toSigned, toUnsigned, valueRange } from './rng.ts';

export const STIM_MAGIC = 0x53474344;
export const STIM_TRAILER = 0x444e4544;
export const RESP_MAGIC = 0x52474344;
export const FORMAT_VERSION = 1;
export const REC_OUT = 1;
export const REC_ACCEPT = 2;
export const REC_SAMPLE = 3;
export const REC_PROTOCOL = 4;
export const REC_ACCEPT_RUN = 5;
export const REC_END = 15;
/** Longest accept run in one record (the harness splits longer ones; readers reject more). */
export const MAX_ACCEPT_RUN = 1 << 24;

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
