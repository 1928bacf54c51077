// Compare a simulation's response with the golden model's expectation, and two responses
// (Verilator vs Icarus) with each other.
import { type RecordChecker, compileChecker, fieldPorts, plainPorts } from '../stimulus/codec.ts';
import { type Beat, type RecordColumns, type Response, type Sample, type Transaction, type Value, responseColumns } from '../stimulus/format.ts';
import type { Layout, LayoutStream } from '../stimulus/layout.ts';
import { sampleAt, transactionAt } from '../stimulus/response.ts';

/** What the golden model predicts for one stimulus. */
export interface Expected {
  /** Transactions per output stream, in order, by stream name (a stream not listed: none). */
  streams?: Record<string, Beat[]>;
  /**
   * Non-stream outputs per cycle: entry k is checked against cycle k (turns per-cycle
   * sampling on). Ports left out of an entry are not checked.
   */
  samples?: Record<string, Value>[];
}

export interface Mismatch {
  /** Output stream name, or `samples` for per-cycle outputs. */
  stream: string;
  /** Transaction index within the stream (for samples: the cycle). */
  index: number;
  /** Cycle of the transaction; for `missing`, the cycle the run ended. */
  cycle: number;
  kind: 'value' | 'extra' | 'missing' | 'protocol';
  /** For `protocol`: what the output stream did wrong. */
  violation?: 'valid-dropped' | 'payload-changed';
  /** Expected field (or port) values, in each port's signedness; absent for `extra`. */
  expected?: Record<string, bigint>;
  /** Received values; absent for `missing`. */
  got?: Record<string, bigint>;
  /** Fields (ports) that differ, or all of them for `extra`/`missing`. */
  fields: string[];
  /** Port width per field, for hex formatting. */
  widths: Record<string, number>;
}

function normaliseRecord(rec: Record<string, Value>, ports: { key: string; width: number; signed: boolean }[], what: string): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const k of Object.keys(rec)) {
    const p = ports.find((q) => q.key === k);
    if (!p) throw new Error(`${what}: '${k}' is not one of ${ports.map((q) => q.key).join(', ')}`);
    const v = rec[k]!;
    if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isSafeInteger(v))) throw new Error(`${what}: '${k}' = ${String(v)} is not an integer`);
    out[k] = BigInt(v);
  }
  return out;
}

/** The received side of one output stream: columns of a binary response, or the Transaction list. */
interface Received {
  count: number;
  /** Transaction i (built from the columns on demand). */
  at(i: number): Transaction;
  cycleAt(i: number): number;
  /** The columns, when the fast check can run on them. */
  cols?: RecordColumns;
}

function received(s: LayoutStream, response: Response, cols: RecordColumns | undefined): Received {
  if (cols) return { count: cols.count, at: (i) => transactionAt(s, cols, i), cycleAt: (i) => cols.cycles[i]!, cols };
  const list = response.out[s.name] ?? [];
  return { count: list.length, at: (i) => list[i]!, cycleAt: (i) => list[i]!.cycle };
}

const checkers = new WeakMap<object, RecordChecker>();
function checkerOf(key: object, make: () => RecordChecker): RecordChecker {
  let c = checkers.get(key);
  if (!c) checkers.set(key, (c = make()));
  return c;
}

/**
 * The first mismatch between `expected` and `response` (smallest cycle; ties in stream
 * order, samples last), or undefined. Expected values are compared exactly, as numbers in
 * the port's signedness: a golden value outside the port's range is a mismatch too.
 *
 * With a binary response (columns), a compiled checker (sim/stimulus/codec.ts) first skips
 * over the transactions it can prove equal, at tens of millions per second; the first one it
 * cannot — a mismatch, or just a value outside its fast path — goes through the reference
 * comparison below, which decides and describes it, and the scan resumes after it.
 */
export function firstMismatch(layout: Layout, expected: Expected, response: Response): Mismatch | undefined {
  const found: Mismatch[] = [];
  const columns = responseColumns(response);
  for (const s of layout.outStreams) {
    const exp = expected.streams?.[s.name] ?? [];
    const got = received(s, response, columns?.out[s.index]);
    const ports = s.fields.map((f) => ({ key: f.name, width: f.width, signed: f.signed }));
    const widths = Object.fromEntries(s.fields.map((f) => [f.name, f.width]));
    const all = s.fields.map((f) => f.name);
    const check = got.cols ? checkerOf(s, () => compileChecker(fieldPorts(s.fields), false)) : undefined;
    const both = Math.min(exp.length, got.count);
    for (let i = 0; i < Math.max(exp.length, got.count); i++) {
      if (check) {
        const words = got.cols!.words;
        const stride = got.cols!.stride;
        while (i < both && check(exp[i], words, i * stride)) i++;
        if (i >= Math.max(exp.length, got.count)) break;
      }
      const e = exp[i] ? normaliseRecord(exp[i]!, ports, `golden output stream '${s.name}' transaction ${i}`) : undefined;
      const g = i < got.count ? got.at(i) : undefined;
      if (e && !g) {
        found.push({ stream: s.name, index: i, cycle: response.cycles, kind: 'missing', expected: e, fields: all, widths });
        break;
      }
      if (!e && g) {
        found.push({ stream: s.name, index: i, cycle: g.cycle, kind: 'extra', got: g.fields, fields: all, widths });
        break;
      }
      if (e && g) {
        const diff = s.fields.filter((f) => e[f.name] === undefined || e[f.name] !== g.fields[f.name] || g.unknown?.includes(f.name)).map((f) => f.name);
        if (diff.length > 0) {
          found.push({ stream: s.name, index: i, cycle: g.cycle, kind: 'value', expected: e, got: g.fields, fields: diff, widths });
          break;
        }
      }
    }
  }
  for (const v of response.protocol) {
    const s = layout.outStreams.find((x) => x.name === v.stream)!;
    const got = received(s, response, columns?.out[s.index]);
    let index = 0;
    while (index < got.count && got.cycleAt(index) < v.cycle) index++;
    found.push({ stream: v.stream, index, cycle: v.cycle, kind: 'protocol', violation: v.violation, fields: [], widths: Object.fromEntries(s.fields.map((f) => [f.name, f.width])) });
  }
  if (expected.samples) {
    const m = firstSampleMismatch(layout, expected.samples, response, columns?.samples);
    if (m) found.push(m);
  }
  // Missing transactions come from a stalled run: report value errors first.
  found.sort((a, b) => Number(a.kind === 'missing') - Number(b.kind === 'missing') || a.cycle - b.cycle);
  return found[0];
}

function firstSampleMismatch(layout: Layout, samples: Record<string, Value>[], response: Response, cols: RecordColumns | undefined): Mismatch | undefined {
  const ports = layout.samplePorts.map((p) => ({ key: p.port, width: p.width, signed: p.signed }));
  const widths = Object.fromEntries(layout.samplePorts.map((p) => [p.port, p.width]));
  const check = cols ? checkerOf(layout, () => compileChecker(plainPorts(layout.samplePorts), true)) : undefined;
  // The sample of cycle k: with sampling from cycle 0 on it is sample k; else search.
  const sampleOf = (k: number): Sample | undefined => {
    if (cols) {
      const j = k < cols.count && cols.cycles[k] === k ? k : cols.cycles.indexOf(k);
      return j < 0 ? undefined : sampleAt(layout, cols, j);
    }
    return response.samples.find((x) => x.cycle === k);
  };
  for (let k = 0; k < samples.length; k++) {
    if (check && k < cols!.count && cols!.cycles[k] === k && check(samples[k], cols!.words, k * cols!.stride)) continue;
    const e = normaliseRecord(samples[k]!, ports, `golden sample of cycle ${k}`);
    if (Object.keys(e).length === 0) continue; // nothing to check in this cycle
    const g = sampleOf(k);
    if (!g) return { stream: 'samples', index: k, cycle: k, kind: 'missing', expected: e, fields: Object.keys(e), widths };
    const diff = Object.keys(e).filter((p) => e[p] !== g.values[p] || g.unknown?.includes(p));
    if (diff.length > 0) {
      const got = Object.fromEntries(Object.keys(e).map((p) => [p, g.values[p]!]));
      return { stream: 'samples', index: k, cycle: k, kind: 'value', expected: e, got, fields: diff, widths };
    }
  }
  return undefined;
}

function hex(v: bigint, width: number): string {
  const u = v & ((1n << BigInt(width)) - 1n);
  return `0x${u.toString(16).padStart(Math.ceil(width / 4), '0')}`;
}

/** Human-readable lines for a mismatch. */
export function formatMismatch(m: Mismatch): string[] {
  const where = m.stream === 'samples' ? `per-cycle outputs, cycle ${m.cycle}` : `output stream '${m.stream}', transaction #${m.index}, cycle ${m.cycle}`;
  if (m.kind === 'protocol') {
    const what = m.violation === 'valid-dropped' ? 'valid withdrawn' : 'payload changed';
    return [`protocol violation on output stream '${m.stream}', cycle ${m.cycle} (transaction #${m.index}): ${what} while ready was low in the previous cycle (a beat on offer must stay, unchanged, until taken)`];
  }
  const head =
    m.kind === 'value'
      ? `mismatch on ${where}:`
      : m.kind === 'extra'
        ? `unexpected extra transaction on ${where} (the golden model expects only ${m.index}):`
        : m.stream === 'samples'
          ? `missing sample of cycle ${m.cycle}:`
          : `missing transaction #${m.index} on output stream '${m.stream}' (run ended at cycle ${m.cycle}):`;
  const lines = [head];
  for (const f of m.fields) {
    const w = m.widths[f] ?? 64;
    const e = m.expected?.[f];
    const g = m.got?.[f];
    const es = e === undefined ? '(nothing)' : `${e} (${hex(e, w)})`;
    const gs = g === undefined ? '(nothing)' : `${g} (${hex(g, w)})`;
    lines.push(`  ${f}: expected ${es}, got ${gs}`);
  }
  if (m.kind === 'value' && m.expected && m.got) {
    const same = Object.keys(m.expected).filter((f) => !m.fields.includes(f));
    if (same.length > 0) lines.push(`  (equal: ${same.map((f) => `${f}=${m.got![f]}`).join(', ')})`);
  }
  return lines;
}

/**
 * The first difference between two responses of the same stimulus (e.g. Verilator and
 * Icarus), transactions and cycles included, or undefined when they are identical.
 */
export function diffResponses(layout: Layout, a: Response, b: Response, names: [string, string] = ['a', 'b']): string | undefined {
  const fmt = (f: Record<string, bigint>, unknown?: string[]) =>
    Object.entries(f)
      .map(([k, v]) => `${k}=${unknown?.includes(k) ? 'x' : v}`)
      .join(' ');
  if (a.status !== b.status) return `status: ${names[0]} ${a.status}, ${names[1]} ${b.status}`;
  for (const s of layout.outStreams) {
    const x = a.out[s.name] ?? [];
    const y = b.out[s.name] ?? [];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const p = x[i];
      const q = y[i];
      const ps = p ? `cycle ${p.cycle} ${fmt(p.fields, p.unknown)}` : '(none)';
      const qs = q ? `cycle ${q.cycle} ${fmt(q.fields, q.unknown)}` : '(none)';
      if (ps !== qs) return `output stream '${s.name}' transaction #${i}: ${names[0]} ${ps}; ${names[1]} ${qs}`;
    }
  }
  const pv = (r: Response) => r.protocol.map((v) => `${v.stream}@${v.cycle}:${v.violation}`).join(' ');
  if (pv(a) !== pv(b)) return `protocol violations: ${names[0]} [${pv(a)}], ${names[1]} [${pv(b)}]`;
  for (const s of layout.inStreams) {
    const x = a.accepted[s.name] ?? [];
    const y = b.accepted[s.name] ?? [];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      if (x[i] !== y[i]) return `input stream '${s.name}' beat #${i} accepted in cycle: ${names[0]} ${x[i] ?? '(never)'}, ${names[1]} ${y[i] ?? '(never)'}`;
    }
  }
  // Per-cycle samples may show registers that were never written: Icarus prints x where
  // Verilator shows a random value, so a sample port unknown on either side matches anything.
  // (Transactions stay strict: a valid beat must carry known data.)
  for (let i = 0; i < Math.max(a.samples.length, b.samples.length); i++) {
    const p = a.samples[i];
    const q = b.samples[i];
    const known = (x: Sample | undefined, other: Sample | undefined) =>
      x ? `cycle ${x.cycle} ${fmt(Object.fromEntries(Object.entries(x.values).filter(([k]) => !x.unknown?.includes(k) && !other?.unknown?.includes(k))))}` : '(none)';
    const ps = known(p, q);
    const qs = known(q, p);
    if (ps !== qs) return `sample #${i}: ${names[0]} ${ps}; ${names[1]} ${qs}`;
  }
  if (a.cycles !== b.cycles || a.doneCycle !== b.doneCycle) return `cycles: ${names[0]} ${a.doneCycle}/${a.cycles}, ${names[1]} ${b.doneCycle}/${b.cycles}`;
  return undefined;
}
