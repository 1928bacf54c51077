// The simulation view of a module's ports, derived from its manifest entry: which ports are
// clock/reset, which belong to input/output streams (and where each field sits in a beat's
// words), which inputs are driven per cycle from the stimulus table, and which outputs can be
// sampled per cycle. The C++ harness, the Icarus testbench and the TS encoders all use this
// one layout, and its hash is written into every stimulus/response file.
import type { ManifestModule, ManifestPort } from '../../generator/emit/design.ts';

/** 32-bit words that hold a value of `width` bits. */
export function wordsFor(width: number): number {
  return Math.ceil(width / 32);
}

export interface LayoutPort {
  /** Verilog port name. */
  port: string;
  width: number;
  signed: boolean;
  /** ceil(width / 32). */
  words: number;
  /** Offset (in words) of this port inside its beat / table row / sample row. */
  offset: number;
}

export interface LayoutField extends LayoutPort {
  /** Field name within its stream (`sum` for port `out_sum`). */
  name: string;
}

export interface LayoutStream {
  name: string;
  /** Index among the streams of the same direction (manifest order). */
  index: number;
  valid: string;
  ready: string;
  fields: LayoutField[];
  /** Words per beat: the sum of the fields' words. */
  words: number;
}

export interface Layout {
  top: string;
  hasClock: boolean;
  inStreams: LayoutStream[];
  outStreams: LayoutStream[];
  /** Non-stream inputs (not clk/rst): driven per cycle from the stimulus table. */
  tablePorts: LayoutPort[];
  tableWords: number;
  /** Non-stream outputs: sampled per cycle when sampling is on. */
  samplePorts: LayoutPort[];
  sampleWords: number;
  /** 32-bit FNV-1a hash of the canonical layout, checked by every reader of the files. */
  hash: number;
}

export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

function place<T extends { width: number }>(items: T[]): { placed: (T & { words: number; offset: number })[]; words: number } {
  let offset = 0;
  const placed = items.map((p) => {
    const words = wordsFor(p.width);
    const r = { ...p, words, offset };
    offset += words;
    return r;
  });
  return { placed, words: offset };
}

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** The simulation layout of one manifest module. */
export function layoutOf(mod: ManifestModule): Layout {
  const ports = new Map<string, ManifestPort>(mod.ports.map((p) => [p.name, p]));
  const need = (name: string, dir: 'input' | 'output', what: string): ManifestPort => {
    const p = ports.get(name);
    if (!p) throw new LayoutError(`${mod.name}: ${what} port '${name}' is not among the module's ports`);
    if (p.direction !== dir) throw new LayoutError(`${mod.name}: ${what} port '${name}' should be an ${dir}, is an ${p.direction}`);
    return p;
  };
  const used = new Set<string>();
  if (mod.hasClock) {
    need('clk', 'input', 'clock');
    need('rst', 'input', 'reset');
    used.add('clk');
    used.add('rst');
  }
  const streams = (dir: 'in' | 'out'): LayoutStream[] =>
    mod.streams
      .filter((s) => s.direction === dir)
      .map((s, index) => {
        const inward = dir === 'in';
        const v = need(s.valid, inward ? 'input' : 'output', `stream '${s.name}' valid`);
        const r = need(s.ready, inward ? 'output' : 'input', `stream '${s.name}' ready`);
        if (v.width !== 1 || r.width !== 1) throw new LayoutError(`${mod.name}: stream '${s.name}' valid/ready must be 1 bit wide`);
        used.add(s.valid);
        used.add(s.ready);
        const { placed, words } = place(
          s.fields.map((f) => {
            const p = need(f.port, inward ? 'input' : 'output', `stream '${s.name}' field '${f.name}'`);
            used.add(f.port);
            return { name: f.name, port: f.port, width: p.width, signed: p.signed };
          }),
        );
        return { name: s.name, index, valid: s.valid, ready: s.ready, fields: placed, words };
      });
  const inStreams = streams('in');
  const outStreams = streams('out');
  const plain = (dir: 'input' | 'output') =>
    place(mod.ports.filter((p) => p.direction === dir && !used.has(p.name)).map((p) => ({ port: p.name, width: p.width, signed: p.signed })));
  const table = plain('input');
  const sample = plain('output');
  const canon = JSON.stringify([
    mod.name,
    mod.hasClock,
    inStreams.map((s) => [s.name, s.valid, s.ready, s.fields.map((f) => [f.name, f.port, f.width, f.signed])]),
    outStreams.map((s) => [s.name, s.valid, s.ready, s.fields.map((f) => [f.name, f.port, f.width, f.signed])]),
    table.placed.map((p) => [p.port, p.width, p.signed]),
    sample.placed.map((p) => [p.port, p.width, p.signed]),
  ]);
  return {
    top: mod.name,
    hasClock: mod.hasClock,
    inStreams,
    outStreams,
    tablePorts: table.placed,
    tableWords: table.words,
    samplePorts: sample.placed,
    sampleWords: sample.words,
    hash: fnv1a32(canon),
  };
}
