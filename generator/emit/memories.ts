// Memories as macro boundaries. Every `m.memory()` of a design is emitted as an instance of a
// generated memory module, one module per distinct shape (depth × width × ports × read
// latencies), named by that shape: `dcgen_mem_<depth>x<width>_<R>r<W>w_r<latency>`. The module
// holds the array and nothing else, so that an ASIC team can swap it for an SRAM macro (the way
// Chisel/CIRCT's memory replacement and OpenLane's macro flow expect), `dcgen synth --target
// asic` can black-box it, and FPGA flows infer block RAM from it. `<top>.mems.json` lists every
// memory module with its instances. docs/memories.md is the reference for both.
//
// Port convention (all names lower case; a kind of port with several ports gets an index:
// we0/waddr0/wdata0, we1/..., and re0/raddr0/rdata0, ...; with one port, no index):
//   clk                  the clock (rising edge); no reset: a memory's words and read data
//                        are undefined until written / read
//   we, waddr, wdata     write port: mem[waddr] <= wdata at the edge when we. Several write
//                        ports write in port order (the last one wins on one address).
//   re, raddr, rdata     synchronous read port (read latency 1): rdata <= mem[raddr] at the edge
//                        when re, else rdata holds. A read and a write of one address at one
//                        edge read the old word (read-first).
//   raddr, rdata         asynchronous read port (read latency 0): rdata = mem[raddr],
//                        combinational. Not macro-ready (no SRAM macro reads without a clock).
// Read ports come synchronous first, then asynchronous. Addresses are addrBits(depth) wide;
// addresses >= depth must not be used.
import { addrBits } from '../spec/math.ts';
import type { ModuleView, PortView } from './lower.ts';

export const MEM_MODULE_PREFIX = 'dcgen_mem_';

/** The shape that names a memory module: instances of one shape share the module. */
export interface MemShape {
  depth: number;
  width: number;
  /** Number of write ports (>= 1 for a DSL memory). */
  writePorts: number;
  /** Read latency of each read port, in port order: 1s (synchronous) first, then 0s. */
  reads: (0 | 1)[];
}

export interface MemWritePins {
  enable: string;
  address: string;
  data: string;
}
export interface MemReadPins {
  latency: 0 | 1;
  /** null for an asynchronous read (no enable). */
  enable: string | null;
  address: string;
  data: string;
}
export interface MemPins {
  clock: string | null;
  write: MemWritePins[];
  read: MemReadPins[];
}

/** addrBits(depth): the address width of a memory (at least 1). */
export function memAddrWidth(depth: number): number {
  return addrBits(depth);
}

/** "1r1w", "2r1w": read ports, then write ports. */
export function memPortsText(s: MemShape): string {
  return `${s.reads.length}r${s.writePorts}w`;
}

/** The smallest read latency of the module (0 when any read is asynchronous; 1 without reads). */
export function memReadLatency(s: MemShape): 0 | 1 {
  return s.reads.includes(0) ? 0 : 1;
}

/** Every read synchronous (latency 1): an SRAM macro can take the module's place. */
export function memMacroReady(s: MemShape): boolean {
  return s.reads.every((l) => l === 1);
}

/**
 * `dcgen_mem_<depth>x<width>_<R>r<W>w_r<latency>`: e.g. dcgen_mem_256x16_1r1w_r1. When the read
 * ports' latencies differ, the suffix lists each in port order (`_r10`: one synchronous and one
 * asynchronous read).
 */
export function memModuleName(s: MemShape): string {
  const lat = new Set(s.reads).size <= 1 ? String(s.reads[0] ?? 1) : s.reads.join('');
  return `${MEM_MODULE_PREFIX}${s.depth}x${s.width}_${memPortsText(s)}_r${lat}`;
}

export function memShapeKey(s: MemShape): string {
  return memModuleName(s);
}

/** The module's pin names, by the convention above. */
export function memPins(s: MemShape): MemPins {
  const idx = (n: number, i: number) => (n === 1 ? '' : String(i));
  const nw = s.writePorts;
  const nr = s.reads.length;
  return {
    clock: nw > 0 || s.reads.includes(1) ? 'clk' : null,
    write: Array.from({ length: nw }, (_, i) => ({ enable: `we${idx(nw, i)}`, address: `waddr${idx(nw, i)}`, data: `wdata${idx(nw, i)}` })),
    read: s.reads.map((latency, i) => ({ latency, enable: latency === 1 ? `re${idx(nr, i)}` : null, address: `raddr${idx(nr, i)}`, data: `rdata${idx(nr, i)}` })),
  };
}

function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0] `;
}

/** One-line description of the shape, for headers and reports. */
export function memShapeText(s: MemShape): string {
  const sync = s.reads.filter((l) => l === 1).length;
  const async = s.reads.length - sync;
  const reads = [sync ? `${sync} synchronous read port${sync === 1 ? '' : 's'} (latency 1)` : '', async ? `${async} asynchronous read port${async === 1 ? '' : 's'} (latency 0)` : ''].filter(Boolean);
  return `${s.depth} words x ${s.width} bits, ${s.writePorts} write port${s.writePorts === 1 ? '' : 's'}, ${reads.join(' and ') || 'no read port'}`;
}

/** The memory module of shape `s` as a view model for templates/verilog/module.v.hbs. */
export function memoryModuleView(s: MemShape, banner: string[], memsFile = '<top>.mems.json'): ModuleView {
  const name = memModuleName(s);
  const pins = memPins(s);
  const aw = memAddrWidth(s.depth);
  const header = [
    ...banner,
    `Module: ${name}`,
    `  Memory (a macro boundary): ${memShapeText(s)}.`,
    ...(memMacroReady(s) ? [] : ['  Not macro-ready: an asynchronous read (latency 0) has no SRAM macro equivalent.']),
    '  Port convention (docs/memories.md):',
    ...(pins.write.length ? ['    write: mem[waddr] <= wdata at the rising clk edge when we (several ports: in port order).'] : []),
    ...(s.reads.includes(1) ? ['    read, latency 1: rdata <= mem[raddr] at the rising clk edge when re; rdata holds otherwise.'] : []),
    ...(s.reads.includes(0) ? ['    read, latency 0: rdata = mem[raddr], combinational (asynchronous).'] : []),
    '    A read and a write of one address in one cycle read the old word (read-first). No reset:',
    '    words and read data are undefined until written. Addresses >= depth must not be used.',
    `  Instances: ${memsFile}. Parameters: depth=${s.depth}, width=${s.width}, ports=${memPortsText(s)}, readLatency=${memReadLatency(s)}`,
  ].map((l) => `// ${l}`.trimEnd());
  const rows: { decl: string; comment: string }[] = [];
  if (pins.clock) rows.push({ decl: `input  wire ${pins.clock}`, comment: '' });
  for (const w of pins.write) {
    rows.push({ decl: `input  wire ${w.enable}`, comment: '' }, { decl: `input  wire ${range(aw)}${w.address}`, comment: '' }, { decl: `input  wire ${range(s.width)}${w.data}`, comment: '' });
  }
  for (const r of pins.read) {
    if (r.enable) rows.push({ decl: `input  wire ${r.enable}`, comment: '' });
    rows.push({ decl: `input  wire ${range(aw)}${r.address}`, comment: '' }, { decl: `output ${r.latency === 1 ? 'reg ' : 'wire'} ${range(s.width)}${r.data}`, comment: '' });
  }
  const ports: PortView[] = rows.map((r, i) => ({ ...r, last: i === rows.length - 1 }));
  const blocks: string[][] = [];
  if (pins.write.length) {
    const lines = ['always @(posedge clk) begin'];
    for (const w of pins.write) lines.push(`  if (${w.enable}) begin`, `    mem[${w.address}] <= ${w.data};`, '  end');
    lines.push('end');
    blocks.push(lines);
  }
  const assigns: string[] = [];
  for (const r of pins.read) {
    if (r.latency === 1) blocks.push(['always @(posedge clk) begin', `  if (${r.enable}) begin`, `    ${r.data} <= mem[${r.address}];`, '  end', 'end']);
    else assigns.push(`assign ${r.data} = mem[${r.address}];`);
  }
  return { header, name, ports, decls: [`reg  ${range(s.width)}mem [0:${s.depth - 1}];`], assigns, blocks, instances: [] };
}

/** A memory instance as the lowering of its parent module made it. */
export interface MemInstanceUse {
  /** The instance name in the parent: the DSL memory's name. */
  name: string;
  shape: MemShape;
}

// ---- <top>.mems.json ----

export const MEMS_SCHEMA = 'dcgen.mems';
export const MEMS_VERSION = 1;

export interface MemsModule {
  module: string;
  file: string;
  depth: number;
  width: number;
  addressWidth: number;
  /** depth × width: the bits of one instance. */
  bits: number;
  /** "1r1w", "2r1w", ...: read ports, then write ports. */
  ports: string;
  writePorts: number;
  readPorts: number;
  /** The smallest read latency (0 when any read is asynchronous). */
  readLatency: 0 | 1;
  /** Every read synchronous: an SRAM macro can replace the module. */
  macroReady: boolean;
  /** "old": a read and a write of one address in one cycle read the old word. */
  readUnderWrite: 'old';
  pins: MemPins;
  /** Hierarchical instance paths from the top module: `<top>.<instance>...<memory>`. */
  instances: string[];
}

export interface MemsFile {
  schema: typeof MEMS_SCHEMA;
  version: typeof MEMS_VERSION;
  design: string;
  top: string;
  configHash: string;
  /** Σ bits over every instance of every module. */
  totalBits: number;
  /** One entry per memory module, by name. */
  modules: MemsModule[];
}

export function memsFileName(top: string): string {
  return `${top}.mems.json`;
}

export function memsModule(shape: MemShape, instances: string[]): MemsModule {
  const module = memModuleName(shape);
  return {
    module,
    file: `${module}.v`,
    depth: shape.depth,
    width: shape.width,
    addressWidth: memAddrWidth(shape.depth),
    bits: shape.depth * shape.width,
    ports: memPortsText(shape),
    writePorts: shape.writePorts,
    readPorts: shape.reads.length,
    readLatency: memReadLatency(shape),
    macroReady: memMacroReady(shape),
    readUnderWrite: 'old',
    pins: memPins(shape),
    instances,
  };
}

// ---- reading <top>.mems.json back (dcgen synth) ----

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPin = (v: unknown) => typeof v === 'string' && IDENT.test(v);

/**
 * Why `raw` (the parsed mems.json of a design whose modules are `moduleNames`, top `top`) breaks
 * the format, or undefined. Module and pin names are Verilog identifiers of the design, instance
 * paths `<top>.<identifier>...`: safe to splice into tool scripts.
 */
export function memsProblem(raw: unknown, top: string, moduleNames: ReadonlySet<string>): string | undefined {
  if (!isObj(raw) || raw.schema !== MEMS_SCHEMA) return `expected {"schema": "${MEMS_SCHEMA}", ...}`;
  if (raw.version !== MEMS_VERSION) return `expected "version": ${MEMS_VERSION} (found ${JSON.stringify(raw.version)})`;
  if (raw.top !== top) return `"top" must be the design's top '${top}' (found ${JSON.stringify(raw.top)})`;
  if (!Array.isArray(raw.modules)) return '"modules" must be a list';
  for (const [i, x] of (raw.modules as unknown[]).entries()) {
    const where = `modules[${i}]`;
    if (!isObj(x) || typeof x.module !== 'string' || !moduleNames.has(x.module) || !IDENT.test(x.module)) return `${where}: "module" must name a module of the design`;
    for (const k of ['depth', 'width', 'bits', 'writePorts', 'readPorts'] as const) {
      if (typeof x[k] !== 'number' || !Number.isInteger(x[k]) || (x[k] as number) < 0) return `${where} ('${x.module}'): "${k}" must be a whole number`;
    }
    if (x.readLatency !== 0 && x.readLatency !== 1) return `${where} ('${x.module}'): "readLatency" must be 0 or 1`;
    if (typeof x.macroReady !== 'boolean') return `${where} ('${x.module}'): "macroReady" must be true or false`;
    const pins = x.pins;
    if (!isObj(pins) || !(pins.clock === null || isPin(pins.clock)) || !Array.isArray(pins.write) || !Array.isArray(pins.read)) return `${where} ('${x.module}'): "pins" must be {clock, write: [...], read: [...]}`;
    if (!(pins.write as unknown[]).every((w) => isObj(w) && isPin(w.enable) && isPin(w.address) && isPin(w.data))) return `${where} ('${x.module}'): each write port needs "enable", "address" and "data" pin names`;
    if (!(pins.read as unknown[]).every((r) => isObj(r) && (r.enable === null || isPin(r.enable)) && isPin(r.address) && isPin(r.data) && (r.latency === 0 || r.latency === 1))) {
      return `${where} ('${x.module}'): each read port needs "latency", "enable" (or null), "address" and "data"`;
    }
    if (!Array.isArray(x.instances) || !(x.instances as unknown[]).every((p) => typeof p === 'string' && p.split('.').length >= 2 && p.split('.')[0] === top && p.split('.').every((s) => IDENT.test(s)))) {
      return `${where} ('${x.module}'): "instances" must be paths ${top}.<instance>...`;
    }
  }
  return undefined;
}
