// Typed bindings of a design's top module: `<top>.ports.ts`, written next to the Verilog.
//
// From the manifest alone it declares, as TypeScript:
//   * the top's parameters (`params`, a const object) and the design's configuration,
//   * its ports (`ports`: name → { direction, width, signed }, clk/rst included),
//   * its valid/ready streams (`streams`: handshake ports and field → port), with one beat
//     type per stream (field → bigint: `InBeat`, `OutBeat`, ... and `Beat<'in'>`), the stream
//     names as union types, the non-stream inputs (`TableRow`) and outputs (`SampleRow`),
//   * `StimulusOf<Shape>` / `ExpectedOf<Shape>`: the cosimulation's `Stimulus`
//     (sim/stimulus/format.ts) and `Expected` (sim/cosim/compare.ts) narrowed to one module's
//     stream, field and port names, and `TopStimulus` / `TopExpected` for this top. A block
//     test that drives a stream or field the RTL does not have, or reads a field of an output
//     transaction that does not exist, fails to type-check.
//
// The file imports nothing, so it type-checks wherever the output folder is; its narrowed
// types are assignable to the cosim's own (`const s: Stimulus = topStimulus` compiles).
// Values are `bigint | number` where the cosim accepts both (stimulus, expectations) and
// `bigint` in the beat types (what the cosim returns in `Transaction.fields`).
//
//   const { file, text } = bindingsFor(manifest);   // file = `${manifest.top}.ports.ts`
//
// The text is printed directly, in the exact layout ts-morph's structure printers followed by
// its `formatText` (indent 2) gave, which this file used until the paper-scale arrays: there,
// ts-morph re-parsed the whole growing file after every added statement (a 64 x 64
// ditto.compute: 2 MB of bindings, ~15 s and ~700 MB). The layout rules kept from ts-morph:
// a JSDoc block per doc string (`/** text */` on one line, else ` * ` lines), one statement
// per line, and a blank line wherever a `const` follows a `type` or a `type` a `const`.
// test/emit/bindings-print.test.ts checks the text against the TypeScript formatter.
import type { Manifest, ManifestModule, ManifestPort, ParamValue } from './manifest.ts';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key: bare when it is an identifier (reserved words are fine as keys), else quoted. */
function key(name: string): string {
  return IDENT.test(name) ? name : str(name);
}

/** A single-quoted TS string literal (the repo's style). */
function str(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function literal(v: ParamValue): string {
  return typeof v === 'string' ? str(v) : String(v);
}

function union(names: readonly string[]): string {
  return names.length ? names.map(str).join(' | ') : 'never';
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** `{ a: T; b: T }` over `names`, or the empty-record type that rejects every key. */
function recordType(names: readonly string[], value: string): string {
  if (names.length === 0) return 'NoKeys';
  if (names.length <= 3) return `{ ${names.map((n) => `${key(n)}: ${value};`).join(' ')} }`;
  return `{\n${names.map((n) => `  ${key(n)}: ${value};`).join('\n')}\n}`;
}

interface TopView {
  mod: ManifestModule;
  portsByName: Map<string, ManifestPort>;
  inStreams: ManifestModule['streams'];
  outStreams: ManifestModule['streams'];
  /** Non-stream inputs other than clk/rst (the stimulus table's ports). */
  tableInputs: ManifestPort[];
  /** Non-stream outputs (the per-cycle sample's ports). */
  sampleOutputs: ManifestPort[];
}

function viewOf(manifest: Manifest): TopView {
  const mod = manifest.modules.find((m) => m.name === manifest.top);
  if (!mod) throw new Error(`bindings: top module '${manifest.top}' is not among the manifest's modules`);
  const portsByName = new Map(mod.ports.map((p) => [p.name, p]));
  const used = new Set<string>(mod.hasClock ? ['clk', 'rst'] : []);
  for (const s of mod.streams) {
    used.add(s.valid);
    used.add(s.ready);
    for (const f of s.fields) {
      if (!portsByName.has(f.port)) throw new Error(`bindings: stream '${s.name}' field '${f.name}': port '${f.port}' is not a port of ${mod.name}`);
      used.add(f.port);
    }
  }
  const plain = mod.ports.filter((p) => !used.has(p.name));
  return {
    mod,
    portsByName,
    inStreams: mod.streams.filter((s) => s.direction === 'in'),
    outStreams: mod.streams.filter((s) => s.direction === 'out'),
    tableInputs: plain.filter((p) => p.direction === 'input'),
    sampleOutputs: plain.filter((p) => p.direction === 'output'),
  };
}

function portObject(p: Pick<ManifestPort, 'width' | 'signed'>, extra = ''): string {
  return `{ ${extra}width: ${p.width}, signed: ${p.signed} }`;
}

function fmt(p: Pick<ManifestPort, 'width' | 'signed'>): string {
  return `${p.signed ? 's' : 'u'}${p.width}`;
}

/** The statements of the file being printed, in order; `kind` decides the blank lines between them. */
interface Statements {
  items: { kind: 'const' | 'type'; text: string }[];
}

/** A JSDoc block as ts-morph prints a doc string: one line when the text is one line. */
function jsDoc(text: string): string {
  const lines = text.split(/\r?\n/);
  if (lines.length <= 1) return `/** ${text}${text.endsWith(' ') ? '' : ' '}*/`;
  const body = lines.slice(lines[0].length === 0 ? 1 : 0).map((l) => (l.length > 0 ? ` * ${l}` : ' *'));
  return `/**\n${body.join('\n')}\n */`;
}

/**
 * Where the bindings' statements go: this file prints them itself (`printedSink`); the test
 * oracle (test/emit/bindings-tsmorph.ts) hands the same statements to ts-morph.
 */
export interface BindingsSink {
  addConst(name: string, initializer: string, docs: string[]): void;
  addType(name: string, type: string, docs: string[], typeParameters?: { name: string; constraint?: string }[]): void;
}

function printedSink(sf: Statements): BindingsSink {
  return {
    addConst(name, initializer, docs) {
      sf.items.push({ kind: 'const', text: [...docs.map(jsDoc), `export const ${name} = ${initializer};`].join('\n') });
    },
    addType(name, type, docs, typeParameters) {
      const tp = typeParameters?.length ? `<${typeParameters.map((t) => (t.constraint ? `${t.name} extends ${t.constraint}` : t.name)).join(', ')}>` : '';
      sf.items.push({ kind: 'type', text: [...docs.map(jsDoc), `export type ${name}${tp} = ${type};`].join('\n') });
    },
  };
}

const addConst = (sink: BindingsSink, name: string, initializer: string, docs: string[]): void => sink.addConst(name, initializer, docs);
const addType = (sink: BindingsSink, name: string, type: string, docs: string[], typeParameters?: { name: string; constraint?: string }[]): void => sink.addType(name, type, docs, typeParameters);

/** The statements joined: a blank line between a `const` and a `type` (either order), else a newline. */
function printStatements(sf: Statements): string {
  let out = '';
  sf.items.forEach((s, i) => {
    if (i > 0) out += s.kind === sf.items[i - 1].kind ? '\n' : '\n\n';
    out += s.text;
  });
  return sf.items.length ? `${out}\n` : out;
}

/** `{ a: x, b: y } as const`, one entry per line when there are several. */
function constObject(entries: [string, string][], indent = ''): string {
  if (entries.length === 0) return '{}';
  if (entries.length === 1 && entries[0][1].length < 60) return `{ ${key(entries[0][0])}: ${entries[0][1]} }`;
  return `{\n${entries.map(([k, x]) => `${indent}  ${key(k)}: ${x},`).join('\n')}\n${indent}}`;
}

/** The bindings file of the manifest's top module: `{ file: '<top>.ports.ts', text }`. */
export function bindingsFor(manifest: Manifest): { file: string; text: string } {
  const statements: Statements = { items: [] };
  const banner = bindingsStatements(manifest, printedSink(statements));
  return { file: `${manifest.top}.ports.ts`, text: `${banner}\n${printStatements(statements)}` };
}

/** The bindings' statements, in order, into `sf`; returns the file's banner. */
export function bindingsStatements(manifest: Manifest, sf: BindingsSink): string {
  const v = viewOf(manifest);
  const { mod } = v;

  // ---- identity and parameters ----
  addConst(sf, 'top', str(mod.name), ['Name of the top module (the Verilog module and the harness top).']);
  addConst(sf, 'design', str(manifest.design), ['Registered design the files were generated from.']);
  addConst(sf, 'configHash', str(manifest.configHash), ['Hash of design + configuration (the banner of every generated file).']);
  const obj = (entries: [string, string][]) => `${constObject(entries)} as const`;
  addConst(sf, 'params', obj(Object.entries(mod.params).map(([k, x]) => [k, literal(x)])), ['Parameters of the top module (manifest `modules[top].params`).']);
  addType(sf, 'Params', 'typeof params', []);
  addConst(sf, 'designParams', obj(Object.entries(manifest.params).map(([k, x]) => [k, literal(x)])), ['The configuration the design was generated with (manifest `params`).']);

  // ---- ports ----
  addConst(
    sf,
    'ports',
    obj(mod.ports.map((p) => [p.name, portObject(p, `direction: ${str(p.direction)}, `)])),
    ['Every port of the top (clk/rst included when present): direction, width in bits, signedness.'],
  );
  addType(sf, 'PortName', 'keyof typeof ports', ['Port names of the top.']);
  addType(sf, 'InputPortName', union(mod.ports.filter((p) => p.direction === 'input').map((p) => p.name)), []);
  addType(sf, 'OutputPortName', union(mod.ports.filter((p) => p.direction === 'output').map((p) => p.name)), []);

  // ---- streams ----
  const streamEntries: [string, string][] = mod.streams.map((s) => {
    const fields = s.fields.map((f): [string, string] => [f.name, portObject(v.portsByName.get(f.port)!, `port: ${str(f.port)}, `)]);
    return [s.name, `{\n    direction: ${str(s.direction)},\n    valid: ${str(s.valid)},\n    ready: ${str(s.ready)},\n    fields: ${constObject(fields, '    ')},\n  }`];
  });
  addConst(sf, 'streams', obj(streamEntries), [
    "Valid/ready streams of the top ('in': driven by the test bench, 'out': by the module):\nhandshake ports, and per field its port, width and signedness.",
  ]);
  addType(sf, 'StreamName', union(mod.streams.map((s) => s.name)), ['Stream names of the top.']);
  addType(sf, 'InStreamName', union(v.inStreams.map((s) => s.name)), ['Input stream names (driven by the test bench).']);
  addType(sf, 'OutStreamName', union(v.outStreams.map((s) => s.name)), ['Output stream names (driven by the module).']);

  // one beat type per stream, with a readable alias when the stream name gives a unique one
  const aliases = new Map<string, string>();
  const taken = new Map<string, number>();
  for (const s of mod.streams) {
    const a = `${pascal(s.name)}Beat`;
    taken.set(a, (taken.get(a) ?? 0) + 1);
  }
  const beatsEntries: string[] = [];
  for (const s of mod.streams) {
    const alias = `${pascal(s.name)}Beat`;
    const body = recordType(s.fields.map((f) => f.name), 'bigint');
    const docs = [`One beat of ${s.direction === 'in' ? 'input' : 'output'} stream '${s.name}': ${s.fields.map((f) => `${f.name} (${fmt(v.portsByName.get(f.port)!)})`).join(', ') || 'no fields'}.`];
    if (IDENT.test(alias) && alias !== 'Beat' && taken.get(alias) === 1) {
      addType(sf, alias, body, docs);
      aliases.set(s.name, alias);
      beatsEntries.push(`${key(s.name)}: ${alias};`);
    } else beatsEntries.push(`${key(s.name)}: ${body};`);
  }
  addType(sf, 'Beats', beatsEntries.length ? `{ ${beatsEntries.join(' ')} }` : 'NoKeys', ['Beat type per stream name (field → value).']);
  addType(sf, 'Beat', 'Beats[S]', ['The beat type of stream `S`.'], [{ name: 'S', constraint: 'StreamName' }]);
  addType(sf, 'TableRow', recordType(v.tableInputs.map((p) => p.name), 'bigint'), [
    `Non-stream inputs (clk/rst excepted), driven per cycle from the stimulus table: ${v.tableInputs.map((p) => `${p.name} (${fmt(p)})`).join(', ') || 'none'}.`,
  ]);
  addType(sf, 'SampleRow', recordType(v.sampleOutputs.map((p) => p.name), 'bigint'), [
    `Non-stream outputs, sampled per cycle: ${v.sampleOutputs.map((p) => `${p.name} (${fmt(p)})`).join(', ') || 'none'}.`,
  ]);

  // ---- cosim types ----
  // (no names: `Record<never, never>`, whose keyof is never, so that StimulusOf/ExpectedOf turn that part off)
  const EMPTY = 'Record<never, never>';
  const sub = (ss: ManifestModule['streams']) => (ss.length ? `{ ${ss.map((s) => `${key(s.name)}: Beats[${str(s.name)}];`).join(' ')} }` : EMPTY);
  addType(sf, 'NoKeys', '{ [key: string]: never }', ['An object that may have no keys at all (an empty set of names).']);
  addType(sf, 'CosimShape', '{ inStreams: object; outStreams: object; inputs: object; outputs: object }', [
    'What `StimulusOf`/`ExpectedOf` need to know of a module: beat type per input and output stream, table inputs, sampled outputs.',
  ]);
  addType(sf, 'Shape', `{ inStreams: ${sub(v.inStreams)}; outStreams: ${sub(v.outStreams)}; inputs: ${v.tableInputs.length ? 'TableRow' : EMPTY}; outputs: ${v.sampleOutputs.length ? 'SampleRow' : EMPTY} }`, [`The cosim shape of ${mod.name}.`]);
  addType(sf, 'Loose', '{ [K in keyof T]: T[K] | number }', ['Values as the cosim accepts them (`Value = bigint | number`).'], [{ name: 'T' }]);
  addType(sf, 'Names', '[keyof T] extends [never] ? NoKeys : T', ['`T`, or `NoKeys` when `T` has no names.'], [{ name: 'T', constraint: 'object' }]);
  addType(
    sf,
    'StimulusOf',
    `{
  /** Beats per input stream (every field required). */
  streams?: Names<{ [S in keyof M['inStreams']]?: Loose<M['inStreams'][S]>[] }>;
  /** Per-cycle values of the non-stream inputs (missing ports: 0). */
  rows?: ([keyof M['inputs']] extends [never] ? never : Partial<Loose<M['inputs']>>)[];
}`,
    ["The cosim's `Stimulus` (sim/stimulus/format.ts) narrowed to the stream, field and port names of `M`."],
    [{ name: 'M', constraint: 'CosimShape' }],
  );
  addType(
    sf,
    'ExpectedOf',
    `{
  /** Transactions per output stream, in order (every field required). */
  streams?: Names<{ [S in keyof M['outStreams']]?: Loose<M['outStreams'][S]>[] }>;
  /** Non-stream outputs per cycle (ports left out are not checked). */
  samples?: ([keyof M['outputs']] extends [never] ? never : Partial<Loose<M['outputs']>>)[];
}`,
    ["The cosim's `Expected` (sim/cosim/compare.ts) narrowed to the stream, field and port names of `M`."],
    [{ name: 'M', constraint: 'CosimShape' }],
  );
  addType(sf, 'TopStimulus', 'StimulusOf<Shape>', [`A stimulus for ${mod.name} (assignable to the cosim's \`Stimulus\`).`]);
  addType(sf, 'TopExpected', 'ExpectedOf<Shape>', [`A golden model's expectation for ${mod.name} (assignable to the cosim's \`Expected\`).`]);

  const banner = [
    `// Generated by ${manifest.generator.name} ${manifest.generator.version}. Do not edit: regenerate with`,
    `//   dcgen generate ${manifest.design} --config manifest.json`,
    `// Design: ${manifest.design}  Config hash: ${manifest.configHash}`,
    `// Typed bindings of module ${mod.name}: parameters, ports, streams, and the cosim stimulus /`,
    '// expected types narrowed to its stream, field and port names. Self-contained (no imports).',
    '',
  ].join('\n');
  return banner;
}
