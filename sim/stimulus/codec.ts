// Record codecs compiled per layout: the hot loops of the cosimulation (writing beats and table
// rows into stimulus words, reading fields back from response words, comparing golden beats
// with received words) run at tens of millions of values per second.
//
// Why compiled: a loop over a stream's fields reads `beat[field.name]` with a changing key at
// one site, which V8 turns into a slow megamorphic lookup (~10x slower than a named property
// read), and a BigInt per value costs more again. So each layout's record shape is turned into
// JavaScript source once (a named property read per field, constants inlined, plain numbers
// for fields of up to 53 bits; BigInt only for a bigint value or a wider field) and compiled
// with `new Function`. The source is built from the layout's widths, offsets and
// JSON-quoted field names only, never from values.
//
// Every compiled function only ever says "done" for a record it has fully checked: a writer
// returns false (and a checker "not proven equal") for anything unusual — a missing or extra
// key, a non-integer, a value out of range, a bigint that needs care — and the caller then
// handles that one record with the plain, reference code (sim/stimulus/format.ts valueToWords,
// wordsToValue), which either does the right thing slowly or throws the precise error. So the
// fast paths can be narrow without ever deciding differently from the reference code.
import { wordsToValue } from './core.ts';

/** A port or stream field as the codecs see it. */
export interface CodecPort {
  /** Key of the value in a record: the field name (streams) or the port name (table, samples). */
  key: string;
  width: number;
  signed: boolean;
  /** Word offset inside the record; the value takes ceil(width/32) words. */
  offset: number;
}

/** Writes a record's values into `out` at `at`; false: not written, use the reference path. */
export type RecordWriter = (rec: unknown, out: Uint32Array, at: number) => boolean;
/** Whether a golden record equals the values in `words` at `at` (false: not proven, use the reference path). */
export type RecordChecker = (rec: unknown, words: Uint32Array, at: number) => boolean;
/** The values in `words` at `at` as bigints in each port's signedness, one key per port. */
export type RecordReader = (words: Uint32Array, at: number) => Record<string, bigint>;

interface Helpers {
  /** Range-check a bigint and write its words; false when out of range. */
  big(v: bigint, k: number, out: Uint32Array, at: number): boolean;
  /** The value of a field wider than 53 bits, from its words. */
  wide(words: Uint32Array, at: number, k: number): bigint;
  /** A golden value (number or bigint) equals a field's words (any width). */
  eq(e: unknown, k: number, words: Uint32Array, at: number): boolean;
}

const TWO32 = 4294967296;

function topMask(width: number): number {
  const bits = width % 32 === 0 ? 32 : width % 32;
  return bits === 32 ? 0xffffffff : 2 ** bits - 1;
}

function helpers(ports: readonly CodecPort[]): Helpers {
  const info = ports.map((p) => {
    const w = BigInt(p.width);
    return { port: p, words: Math.ceil(p.width / 32), min: p.signed ? -(1n << (w - 1n)) : 0n, max: p.signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n };
  });
  return {
    big(v, k, out, at) {
      const f = info[k]!;
      if (v < f.min || v > f.max) return false;
      let u = BigInt.asUintN(f.port.width, v);
      for (let j = 0; j < f.words; j++) {
        out[at + j] = Number(u & 0xffffffffn);
        u >>= 32n;
      }
      return true;
    },
    wide: (words, at, k) => wordsToValue(words, at, info[k]!.port),
    // Any width, any value (the slow reference comparison; the checkers inline the common cases).
    eq(e, k, words, at) {
      if (typeof e === 'number') {
        if (!Number.isSafeInteger(e)) return false;
        return BigInt(e) === wordsToValue(words, at, info[k]!.port);
      }
      return typeof e === 'bigint' && e === wordsToValue(words, at, info[k]!.port);
    },
  };
}

/**
 * A JS expression for the value of port `p` (width <= 53) as a number, read from `w` at `at`.
 * The top word is masked as wordsToValue does (the harness masks it too, but a reader must not
 * depend on that).
 */
function numberExpr(p: CodecPort, at: string): string {
  const lo = `w[${at} + ${p.offset}]`;
  if (p.width < 32) {
    const sh = 32 - p.width;
    return p.signed ? `((${lo} << ${sh}) >> ${sh})` : `(${lo} & ${topMask(p.width)})`;
  }
  if (p.width === 32) return p.signed ? `(${lo} | 0)` : lo;
  const hi = `w[${at} + ${p.offset + 1}]`;
  const sh = 64 - p.width;
  const h = p.signed ? `((${hi} << ${sh}) >> ${sh})` : `(${hi} & ${topMask(p.width)})`;
  return `(${h} * ${TWO32} + ${lo})`;
}

/** The range of a port of at most 53 bits, as numbers (exact). */
function numberRange(p: CodecPort): { min: number; max: number } {
  return p.signed ? { min: -(2 ** (p.width - 1)), max: 2 ** (p.width - 1) - 1 } : { min: 0, max: 2 ** p.width - 1 };
}

/** A JS condition: number `v` is an integer in the range of port `p`. */
function numberOk(p: CodecPort): string {
  if (p.width > 53) return `Number.isSafeInteger(v)${p.signed ? '' : ' && v >= 0'}`;
  const { min, max } = numberRange(p);
  // (v | 0) === v: an integer in int32 range; (v >>> 0) === v: one in uint32 range.
  if (p.width === 32) return p.signed ? '(v | 0) === v' : '(v >>> 0) === v';
  if (p.width < 32) return `(v | 0) === v && v >= ${min} && v <= ${max}`;
  return `Math.floor(v) === v && v >= ${min} && v <= ${max}`;
}

/** JS statements storing number `v`, an integer in the port's range, into `out` at `at`. */
function storeNumber(p: CodecPort): string {
  const at = `at + ${p.offset}`;
  if (p.width <= 32) return `out[${at}] = v & ${topMask(p.width)};`;
  // A safe integer splits exactly into a low word (v >>> 0 is v mod 2^32) and a high part
  // floor(v / 2^32), whose two's complement fills the remaining words.
  const n = Math.ceil(p.width / 32);
  const lines = [`out[${at}] = v >>> 0;`, `h = Math.floor(v / ${TWO32});`];
  if (n === 2) lines.push(`out[${at} + 1] = h & ${topMask(p.width)};`);
  else {
    lines.push(`out[${at} + 1] = h;`, 'h = h < 0 ? -1 : 0;');
    for (let j = 2; j < n; j++) lines.push(`out[${at} + ${j}] = ${j === n - 1 ? `h & ${topMask(p.width)}` : 'h'};`);
  }
  return lines.join(' ');
}

/** JS statements writing value `v` (any type) for port `p`, or returning false. */
function writeValue(p: CodecPort, k: number): string {
  const num = `if (typeof v === 'number') { if (!(${numberOk(p)})) return false; ${storeNumber(p)} }`;
  if (p.width > 53) return `${num} else if (typeof v !== 'bigint' || !H.big(v, ${k}, out, at + ${p.offset})) return false;`;
  // A bigint for a narrow port becomes a number first (one conversion, cheaper than two bigint
  // comparisons). Exact where it matters: every integer of magnitude <= 2^53 is a double, and
  // rounding is monotonic, so a bigint outside the port's range becomes a number outside it.
  return `if (typeof v === 'bigint') v = Number(v); ${num} else return false;`;
}

function compile<T>(ports: readonly CodecPort[], body: string): T {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the header: source built from the layout only
  const make = new Function('H', `'use strict';\n${body}`) as (h: Helpers) => T;
  return make(helpers(ports));
}

const keyOf = (p: CodecPort) => JSON.stringify(p.key);

/** Counts the record's enumerable keys into `n` (equal to the known keys found: no extra key). */
const COUNT_KEYS = 'let n = 0; for (const key in rec) n++;';

/**
 * A writer for records that must hold every port (stream beats: `optional` false) or may leave
 * ports out, which are then 0 (table rows: `optional` true). Extra keys make it return false.
 */
export function compileWriter(ports: readonly CodecPort[], optional: boolean): RecordWriter {
  const lines = [`return function write(rec, out, at) {`, `if (rec === null || typeof rec !== 'object') return false;`, COUNT_KEYS, 'let v, h, m = 0;'];
  ports.forEach((p, k) => {
    lines.push(`v = rec[${keyOf(p)}];`);
    lines.push(optional ? `if (v === undefined) v = 0; else m++;` : `if (v === undefined) return false; m++;`);
    lines.push(writeValue(p, k));
  });
  lines.push('return n === m;', '};');
  return compile<RecordWriter>(ports, lines.join('\n'));
}

/**
 * A checker of golden records against received words. With `optional` false every port must be
 * in the record (stream beats); with true a port left out is not checked (per-cycle samples).
 * Values are compared exactly, in the port's signedness: a golden value out of the port's range
 * is never equal.
 */
export function compileChecker(ports: readonly CodecPort[], optional: boolean): RecordChecker {
  const lines = [`return function check(rec, w, at) {`, `if (rec === null || typeof rec !== 'object') return false;`, COUNT_KEYS, 'let e, m = 0;'];
  ports.forEach((p, k) => {
    lines.push(`e = rec[${keyOf(p)}];`);
    // Up to 53 bits, numbers compare directly and a bigint as its number: the received value is
    // below 2^53 in magnitude, and a bigint that is not exact as a double is above it.
    const test =
      p.width <= 53
        ? `if (typeof e === 'bigint') e = Number(e); if (e !== ${numberExpr(p, 'at')}) return false;`
        : `if (!H.eq(e, ${k}, w, at + ${p.offset})) return false;`;
    lines.push(optional ? `if (e !== undefined) { m++; ${test} }` : `if (e === undefined) return false; m++; ${test}`);
  });
  lines.push('return n === m;', '};');
  return compile<RecordChecker>(ports, lines.join('\n'));
}

/** A reader building `{ key: bigint, ... }` with every port, in port order. */
export function compileReader(ports: readonly CodecPort[]): RecordReader {
  const vals = ports.map((p, k) => `${keyOf(p)}: ${p.width <= 53 ? `BigInt(${numberExpr(p, 'at')})` : `H.wide(w, at + ${p.offset}, ${k})`}`);
  return compile<RecordReader>(ports, `return function read(w, at) { return { ${vals.join(', ')} }; };`);
}

/** Codec ports of stream fields (keyed by field name) or plain ports (keyed by port name). */
export function fieldPorts(fields: readonly { name: string; width: number; signed: boolean; offset: number }[]): CodecPort[] {
  return fields.map((f) => ({ key: f.name, width: f.width, signed: f.signed, offset: f.offset }));
}
export function plainPorts(ports: readonly { port: string; width: number; signed: boolean; offset: number }[]): CodecPort[] {
  return ports.map((p) => ({ key: p.port, width: p.width, signed: p.signed, offset: p.offset }));
}
