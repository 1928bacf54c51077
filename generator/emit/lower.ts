// IR module → view model: every decision about the Verilog text is made here, so the
// template only prints. Each operator becomes one assignment to a generated `_tN` wire whose
// operands are names or sized literals extended to exactly the width the operator needs, so
// Verilog's context-dependent width and sign rules never come into play and the text is
// clean under `verilator -Wall` without waivers. Bits that are deliberately dropped (a
// truncation, a slice, `m.sink`) are collected into one `_unused` reduction, the lowRISC
// idiom that Verilator's default `--unused-regexp` recognises.
//
// Memories become instances of generated memory modules (generator/emit/memories.ts has the
// port convention): the instance takes the memory's name, each write statement becomes a write
// port (we = the statement's path condition), a register loaded with nothing but a read of the
// memory (`when(en, () => r.set(mem.read(a)))`, no reset) becomes a synchronous read port whose
// rdata is that register (re = the path condition: it holds otherwise, as the register did),
// and every other read is an asynchronous read port (one per distinct address).
import type { HwType, IrExpr, IrMemory, IrModule, IrSignal, IrStmt, SrcLoc } from '../ir/types.ts';
import { project, stmtTargets } from '../ir/walk.ts';
import { type MemInstanceUse, type MemShape, memModuleName, memPins } from './memories.ts';

export interface PortView {
  decl: string;
  last: boolean;
  comment: string;
}
export interface ConnView {
  port: string;
  value: string;
  last: boolean;
}
export interface InstanceView {
  module: string;
  name: string;
  comment: string;
  conns: ConnView[];
}
export interface ModuleView {
  header: string[];
  name: string;
  ports: PortView[];
  decls: string[];
  assigns: string[];
  blocks: string[][];
  instances: InstanceView[];
  /** The memory instances of the module (declaration order), for the memory modules and mems.json. */
  memories?: MemInstanceUse[];
}

export interface LowerOptions {
  /** Comment lines placed first in the file (generator, design, hash). */
  banner: string[];
  /** Add `// dsl: file:line` comments. */
  srcComments: boolean;
}

function range(t: HwType): string {
  return t.width === 1 ? '' : `[${t.width - 1}:0]`;
}

function declType(t: HwType): string {
  return [t.signed ? 'signed' : '', range(t)].filter(Boolean).join(' ');
}

function mask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

/** A sized literal of the two's complement bits of `value`. */
export function literal(value: bigint, width: number): string {
  const bits = value & mask(width);
  if (width === 1) return `1'b${bits}`;
  return value < 0n ? `${width}'h${bits.toString(16)}` : `${width}'d${bits}`;
}

/** An operand: a declared name, or a literal whose bits we know. */
type Atom = { kind: 'name'; text: string; type: HwType } | { kind: 'lit'; value: bigint; type: HwType };

/** The connections of one memory port, as text (names or literals). */
interface WriteConn {
  en: string;
  addr: string;
  data: string;
}
interface ReadConn {
  /** null: an asynchronous read. */
  en: string | null;
  addr: string;
  data: string;
}
interface MemConns {
  writes: WriteConn[];
  syncReads: ReadConn[];
  asyncReads: ReadConn[];
}
/** A register that is a synchronous read port: its one assignment and the read it loads. */
interface SyncRead {
  leaf: Extract<IrStmt, { kind: 'assign' }>;
  read: Extract<IrExpr, { kind: 'memRead' }>;
}

/** Names declared inside a memory module: its array and its pins. */
const MEMORY_MODULE_NAMES = /^(mem|(we|waddr|wdata|re|raddr|rdata)[0-9]*)$/;

/** `e` without the casts around it (a cast changes no bits). */
function uncast(e: IrExpr): IrExpr {
  return e.kind === 'cast' ? uncast(e.a) : e;
}

/** The assignments and memory writes of a statement list, in order. */
function leaves(stmts: IrStmt[], into: IrStmt[] = []): IrStmt[] {
  for (const s of stmts) {
    if (s.kind === 'assign' || s.kind === 'memWrite') into.push(s);
    else if (s.kind === 'if') {
      leaves(s.then, into);
      leaves(s.else, into);
    } else {
      for (const c of s.cases) leaves(c.body, into);
      if (s.default) leaves(s.default, into);
    }
  }
  return into;
}

/** The statements on the way to `leaf`, everything else pruned. */
function projectTo(stmts: IrStmt[], leaf: IrStmt): IrStmt[] {
  const out: IrStmt[] = [];
  for (const s of stmts) {
    if (s === leaf) out.push(s);
    else if (s.kind === 'if') {
      const t = projectTo(s.then, leaf);
      const e = projectTo(s.else, leaf);
      if (t.length || e.length) out.push({ ...s, then: t, else: e });
    } else if (s.kind === 'switch') {
      const cases = s.cases.map((c) => ({ values: c.values, body: projectTo(c.body, leaf) }));
      const def = s.default ? projectTo(s.default, leaf) : undefined;
      if (cases.some((c) => c.body.length) || def?.length) out.push({ ...s, cases, default: def });
    }
  }
  return out;
}

export function lowerModule(m: IrModule, opts: LowerOptions): ModuleView {
  return new Lowering(m, opts).run();
}

class Lowering {
  private readonly decls: string[] = [];
  private readonly assigns: string[] = [];
  private readonly blocks: string[][] = [];
  private readonly instances: InstanceView[] = [];
  private readonly temps = new Map<string, Atom>();
  private tempCount = 0;
  /** name → bits read, for the `_unused` sink. */
  private readonly readBits = new Map<string, boolean[]>();
  private readonly sinkable: { name: string; width: number }[] = [];
  private readonly alwaysDriven = new Set<IrSignal>();
  /** Registers that are the read data of a synchronous read port. */
  private readonly syncReads = new Map<IrSignal, SyncRead>();
  private readonly memConns = new Map<IrMemory, MemConns>();

  constructor(
    private readonly m: IrModule,
    private readonly opts: LowerOptions,
  ) {}

  run(): ModuleView {
    const m = this.m;
    for (const mem of m.memories) this.memConns.set(mem, { writes: [], syncReads: [], asyncReads: [] });
    this.findSyncReads();
    for (const p of m.processes) {
      if (!this.isContinuous(p.body) || p.kind === 'sync') for (const t of stmtTargets(p.body)) if ('kind' in t && !this.syncReads.has(t)) this.alwaysDriven.add(t);
    }

    if (m.hasClock) {
      this.track('clk', 1);
      this.track('rst', 1);
    }
    for (const p of m.ports) if (p.kind === 'input') this.track(p.name, p.type.width);
    for (const s of m.signals) this.track(s.name, s.type.width);

    for (const s of m.signals) {
      this.decls.push(`${this.alwaysDriven.has(s) ? 'reg ' : 'wire'} ${pad(declType(s.type))}${s.name};${this.comment(s.loc)}`);
    }

    for (const p of m.processes) {
      if (p.kind === 'comb' && this.isContinuous(p.body)) {
        const s = p.body[0] as Extract<IrStmt, { kind: 'assign' }>;
        // `w = mem[a]`: the read port drives `w` itself.
        if (s.value.kind === 'memRead' && this.readInto(s.value, s.target)) continue;
        this.assigns.push(`assign ${s.target.name} = ${this.opText(s.value)};${this.comment(s.loc)}`);
        continue;
      }
      for (const t of stmtTargets(p.body)) {
        if (!('kind' in t)) this.writePorts(t, project(p.body, t));
        else if (this.syncReads.has(t)) this.syncReadPort(t, project(p.body, t));
        else this.blocks.push(this.always(p.kind, t, project(p.body, t), p.loc));
      }
    }

    for (const inst of m.instances) {
      const conns: ConnView[] = [];
      if (inst.module.hasClock) {
        conns.push({ port: 'clk', value: this.use('clk'), last: false }, { port: 'rst', value: this.use('rst'), last: false });
      }
      for (const port of inst.module.ports) {
        const value = port.kind === 'input' ? this.atomText(this.atom(inst.inputs.get(port.name)!)) : inst.outputs.get(port.name)!.name;
        conns.push({ port: port.name, value, last: false });
      }
      conns[conns.length - 1].last = true;
      this.instances.push({ module: inst.module.name, name: inst.name, comment: this.comment(inst.loc), conns });
    }

    const sunk = m.sinks.map((e) => this.atom(e)).filter((a) => a.kind === 'name').map((a) => this.atomText(a));
    const memories = this.memoryInstances();
    for (const p of m.ports) if (p.kind === 'output') this.track(p.name, p.type.width, true);
    const unused = [...new Set([...sunk, ...this.unusedBits()])];
    if (unused.length > 0) {
      this.decls.push('wire _unused;');
      this.assigns.push(`assign _unused = ^{${unused.join(', ')}};`);
    }
    return {
      header: this.header(),
      name: m.name,
      ports: this.ports(),
      decls: this.decls,
      assigns: this.assigns,
      blocks: this.blocks,
      instances: this.instances,
      memories,
    };
  }

  // ---- memories ----

  /** Registers loaded with a read of a memory and nothing else (no reset): synchronous read ports. */
  private findSyncReads(): void {
    for (const p of this.m.processes) {
      if (p.kind !== 'sync') continue;
      for (const t of stmtTargets(p.body)) {
        if (!('kind' in t) || t.reset !== undefined) continue;
        const ls = leaves(project(p.body, t));
        if (ls.length !== 1 || ls[0].kind !== 'assign') continue;
        const v = uncast(ls[0].value);
        if (v.kind === 'memRead' && v.type.width === t.type.width) this.syncReads.set(t, { leaf: ls[0], read: v });
      }
    }
  }

  /**
   * The enable of a port: the path condition of `leaf` in `body` (the statements of one target).
   * `atLeaf` lowers the port's address and data where the always block would have, so the
   * operand names (`_tN`) stay those of a memory written in place. A lone `if (c)` gives `c`;
   * other paths get a combinational block setting `reg` (declared here).
   */
  private enable(body: IrStmt[], leaf: IrStmt, reg: string, atLeaf: () => void): string {
    const only = projectTo(body, leaf);
    const top = only[0];
    if (only.length === 1 && top === leaf) {
      atLeaf();
      return "1'b1";
    }
    if (only.length === 1 && top.kind === 'if' && top.else.length === 0 && top.then.length === 1 && top.then[0] === leaf) {
      const c = this.atomText(this.atom(top.cond));
      atLeaf();
      return c;
    }
    const lines = [`always @(*) begin${this.comment(leaf.loc)}`, `  ${reg} = 1'b0;`];
    this.stmts(only, '=', 1, lines, (ind) => {
      atLeaf();
      return [`${ind}${reg} = 1'b1;`];
    });
    lines.push('end');
    this.decls.push(`reg  ${reg};`);
    this.blocks.push(lines);
    return reg;
  }

  /** One write port per write statement of `mem` (in statement order: the last one wins). */
  private writePorts(mem: IrMemory, body: IrStmt[]): void {
    const conns = this.memConns.get(mem)!;
    const writes = leaves(body).filter((s): s is Extract<IrStmt, { kind: 'memWrite' }> => s.kind === 'memWrite');
    writes.forEach((w, i) => {
      let addr = '';
      let data = '';
      const en = this.enable(body, w, `_${mem.name}_we${writes.length === 1 ? '' : i}`, () => {
        addr = this.atomText(this.atom(w.addr));
        data = this.atomText(this.atom(w.data));
      });
      conns.writes.push({ en, addr, data });
    });
  }

  private syncReadPort(reg: IrSignal, body: IrStmt[]): void {
    const { leaf, read } = this.syncReads.get(reg)!;
    const conns = this.memConns.get(read.memory)!;
    let addr = '';
    const en = this.enable(body, leaf, `_${read.memory.name}_re${conns.syncReads.length || ''}`, () => {
      addr = this.atomText(this.atom(read.addr));
      // The read used to be a `_tN` operand: its number stays taken, so that the names of the
      // other operands do not move (mutation allowlists and diffs refer to them).
      this.tempCount++;
    });
    conns.syncReads.push({ en, addr, data: reg.name });
  }

  /** `mem[addr]` driving `target` directly, when no read port reads that address yet. */
  private readInto(e: Extract<IrExpr, { kind: 'memRead' }>, target: IrSignal): boolean {
    const addr = this.atomText(this.atom(e.addr));
    const ports = this.memConns.get(e.memory)!.asyncReads;
    if (ports.some((p) => p.addr === addr)) return false;
    ports.push({ en: null, addr, data: target.name });
    return true;
  }

  /** An asynchronous read: the port reading `addr` (one per distinct address), its data as an operand. */
  private asyncRead(e: Extract<IrExpr, { kind: 'memRead' }>): Atom {
    const addr = this.atomText(this.atom(e.addr));
    const ports = this.memConns.get(e.memory)!.asyncReads;
    const known = ports.find((p) => p.addr === addr);
    if (known) return this.nameAtom(known.data, e.type);
    const name = `_t${this.tempCount++}`;
    this.decls.push(`wire ${pad(declType(e.type))}${name};`);
    this.track(name, e.type.width);
    ports.push({ en: null, addr, data: name });
    return this.nameAtom(name, e.type);
  }

  /**
   * The memory's instance name: its own, unless a name declared inside the memory module
   * (`mem`, `we`, `rdata0`, ...), which Verilator's VARHIDDEN flags on an instance: then
   * `<name>_v` (`_v2`, ... if taken), as keywords are renamed.
   */
  private instanceName(mem: IrMemory): string {
    if (!MEMORY_MODULE_NAMES.test(mem.name)) return mem.name;
    const m = this.m;
    const taken = new Set([...m.ports, ...m.signals, ...m.memories, ...m.instances].map((x) => x.name));
    let name = `${mem.name}_v`;
    for (let n = 2; taken.has(name); n++) name = `${mem.name}_v${n}`;
    return name;
  }

  /** The memory instances, first among the instances, in declaration order. */
  private memoryInstances(): MemInstanceUse[] {
    const uses: MemInstanceUse[] = [];
    const views: InstanceView[] = [];
    for (const mem of this.m.memories) {
      const c = this.memConns.get(mem)!;
      const reads = [...c.syncReads, ...c.asyncReads];
      const shape: MemShape = { depth: mem.depth, width: mem.type.width, writePorts: c.writes.length, reads: reads.map((r) => (r.en === null ? 0 : 1)) };
      const pins = memPins(shape);
      const conns: ConnView[] = [];
      if (pins.clock) conns.push({ port: pins.clock, value: this.use('clk'), last: false });
      c.writes.forEach((w, i) => {
        const p = pins.write[i];
        conns.push({ port: p.enable, value: this.use(w.en), last: false }, { port: p.address, value: this.use(w.addr), last: false }, { port: p.data, value: this.use(w.data), last: false });
      });
      reads.forEach((r, i) => {
        const p = pins.read[i];
        if (p.enable) conns.push({ port: p.enable, value: this.use(r.en!), last: false });
        conns.push({ port: p.address, value: this.use(r.addr), last: false }, { port: p.data, value: r.data, last: false });
      });
      conns[conns.length - 1].last = true;
      const name = this.instanceName(mem);
      views.push({ module: memModuleName(shape), name, comment: this.comment(mem.loc), conns });
      uses.push({ name, shape });
    }
    this.instances.unshift(...views);
    return uses;
  }

  private header(): string[] {
    const m = this.m;
    const lines = [...this.opts.banner, `Module: ${m.name}`];
    if (m.doc) lines.push(...m.doc.split('\n').map((l) => `  ${l}`.trimEnd()));
    const params = Object.entries(m.params);
    if (params.length) lines.push(`Parameters: ${params.map(([k, v]) => `${k}=${v}`).join(', ')}`);
    return lines.map((l) => `// ${l}`.trimEnd());
  }

  private ports(): PortView[] {
    const m = this.m;
    const rows: { decl: string; comment: string }[] = [];
    if (m.hasClock) {
      rows.push({ decl: 'input  wire clk', comment: '' }, { decl: 'input  wire rst', comment: '' });
    }
    for (const p of m.ports) {
      const dir = p.kind === 'input' ? 'input ' : 'output';
      const kind = p.kind === 'output' && this.alwaysDriven.has(p) ? 'reg ' : 'wire';
      rows.push({ decl: `${dir} ${kind} ${pad(declType(p.type))}${p.name}`, comment: this.comment(p.loc) });
    }
    return rows.map((r, i) => ({ ...r, last: i === rows.length - 1 }));
  }

  private isContinuous(body: IrStmt[]): boolean {
    return body.length === 1 && body[0].kind === 'assign';
  }

  private comment(loc: SrcLoc): string {
    return this.opts.srcComments ? ` // dsl: ${loc.file}:${loc.line}` : '';
  }

  // ---- always blocks ----

  private always(kind: 'comb' | 'sync', target: IrSignal | IrMemory, body: IrStmt[], loc: SrcLoc): string[] {
    const op = kind === 'sync' ? '<=' : '=';
    const lines: string[] = [];
    const head = kind === 'sync' ? 'always @(posedge clk) begin' : 'always @(*) begin';
    lines.push(head + this.comment(loc));
    const reset = 'kind' in target ? target.reset : undefined;
    if (kind === 'sync') this.use('clk');
    if (reset !== undefined) {
      lines.push(`  if (${this.use('rst')}) begin`, `    ${target.name} <= ${literal(reset, target.type.width)};`, '  end else begin');
      this.stmts(body, op, 2, lines);
      lines.push('  end');
    } else {
      this.stmts(body, op, 1, lines);
    }
    lines.push('end');
    return lines;
  }

  /** Statements as lines; `leaf`, when given, prints the assignments and writes instead. */
  private stmts(stmts: IrStmt[], op: string, depth: number, out: string[], leaf?: (ind: string) => string[]): void {
    const ind = '  '.repeat(depth);
    for (const s of stmts) {
      if (leaf && (s.kind === 'assign' || s.kind === 'memWrite')) {
        out.push(...leaf(ind));
        continue;
      }
      switch (s.kind) {
        case 'assign':
          out.push(`${ind}${s.target.name} ${op} ${this.atomText(this.atom(s.value))};${this.comment(s.loc)}`);
          break;
        case 'memWrite':
          throw new Error(`internal: memory '${s.memory.name}' written outside its write port`);
        case 'if':
          out.push(`${ind}if (${this.atomText(this.atom(s.cond))}) begin${this.comment(s.loc)}`);
          this.stmts(s.then, op, depth + 1, out, leaf);
          if (s.else.length) {
            out.push(`${ind}end else begin`);
            this.stmts(s.else, op, depth + 1, out, leaf);
          }
          out.push(`${ind}end`);
          break;
        case 'switch': {
          const w = s.subject.type.width;
          out.push(`${ind}case (${this.atomText(this.atom(s.subject))})${this.comment(s.loc)}`);
          for (const c of s.cases) {
            out.push(`${ind}  ${c.values.map((v) => literal(v, w)).join(', ')}: begin`);
            this.stmts(c.body, op, depth + 2, out, leaf);
            out.push(`${ind}  end`);
          }
          out.push(`${ind}  default: begin`);
          if (s.default) this.stmts(s.default, op, depth + 2, out, leaf);
          out.push(`${ind}  end`, `${ind}endcase`);
          break;
        }
      }
    }
  }

  // ---- expressions ----

  /** An operand for `e`: a name or literal, declaring a `_tN` wire for an operator. */
  private atom(e: IrExpr): Atom {
    if (e.kind === 'ref') return this.nameAtom(e.signal.name, e.type);
    if (e.kind === 'const') return { kind: 'lit', value: e.value, type: e.type };
    // A cast changes no bits: the operand's name serves, since every operator below states
    // the signedness it needs ($signed/$unsigned) instead of relying on declarations.
    if (e.kind === 'cast') {
      const a = this.atom(e.a);
      return a.kind === 'lit' ? { kind: 'lit', value: reinterpret(a.value, e.type), type: e.type } : { ...a, type: e.type };
    }
    if (e.kind === 'memRead') return this.asyncRead(e);
    const text = this.opText(e);
    const key = `${declType(e.type)}|${text}`;
    const known = this.temps.get(key);
    if (known) return known;
    const name = `_t${this.tempCount++}`;
    this.decls.push(`wire ${pad(declType(e.type))}${name};`);
    this.assigns.push(`assign ${name} = ${text};`);
    this.track(name, e.type.width);
    const a: Atom = { kind: 'name', text: name, type: e.type };
    this.temps.set(key, a);
    return a;
  }

  private nameAtom(name: string, type: HwType): Atom {
    return { kind: 'name', text: name, type };
  }

  /** The text of the one operator at the root of `e`, over atoms. */
  private opText(e: IrExpr): string {
    const W = e.type.width;
    switch (e.kind) {
      case 'ref':
      case 'const':
        return this.atomText(this.atom(e));
      case 'not':
        return `~${this.atomText(this.atom(e.a))}`;
      case 'neg':
        return `-${this.ext(this.atom(e.a), W)}`;
      case 'binary': {
        const a = this.atom(e.a);
        const b = this.atom(e.b);
        switch (e.op) {
          case 'add':
            return `${this.ext(a, W)} + ${this.ext(b, W)}`;
          case 'sub':
            return `${this.ext(a, W)} - ${this.ext(b, W)}`;
          case 'mul':
            return e.type.signed ? `$signed(${this.ext(a, W)}) * $signed(${this.ext(b, W)})` : `${this.ext(a, W)} * ${this.ext(b, W)}`;
          case 'and':
            return `${this.atomText(a)} & ${this.atomText(b)}`;
          case 'or':
            return `${this.atomText(a)} | ${this.atomText(b)}`;
          case 'xor':
            return `${this.atomText(a)} ^ ${this.atomText(b)}`;
        }
        break;
      }
      case 'compare': {
        const a = this.atom(e.a);
        const b = this.atom(e.b);
        const w = Math.max(a.type.width, b.type.width);
        const sym = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' }[e.op];
        if (e.op === 'eq' || e.op === 'ne') return `${this.ext(a, w)} ${sym} ${this.ext(b, w)}`;
        // Unsigned orders compare as signed with a zero bit on top: the same result, and
        // Verilator does not flag `x <= max` as a constant comparison (CMPCONST/UNSIGNED).
        const side = (x: Atom) => (a.type.signed ? `$signed(${this.ext(x, w)})` : `$signed({1'b0, ${this.ext(x, w)}})`);
        return `${side(a)} ${sym} ${side(b)}`;
      }
      case 'shiftConst': {
        const a = this.atom(e.a);
        if (e.op === 'shl') return `{${this.atomText(a)}, ${literal(0n, e.amount)}}`;
        return this.bits(a, a.type.width - 1, e.amount);
      }
      case 'shiftDyn': {
        const a = this.atom(e.a);
        const amount = this.atom(e.amount);
        // Only clog2(W + 1) bits of the amount matter: any larger amount shifts everything
        // out. Slicing them off keeps huge constant amounts (>= 2^32) out of the operator.
        const k = Math.max(1, Math.ceil(Math.log2(W + 1)));
        const shifted = (s: string) => (e.op === 'shl' ? `${this.atomText(a)} << ${s}` : e.a.type.signed ? `$signed(${this.atomText(a)}) >>> ${s}` : `${this.atomText(a)} >> ${s}`);
        if (amount.type.width <= k) return shifted(this.atomText(amount));
        const low = this.bits(amount, k - 1, 0);
        const high = this.bits(amount, amount.type.width - 1, k);
        // Both arms signed for an arithmetic shift: one unsigned arm would make `>>>` logical.
        const gone = e.op === 'shr' && e.a.type.signed ? `$signed({${W}{${this.bits(a, W - 1, W - 1)}}})` : literal(0n, W);
        return `|${high} ? ${gone} : ${shifted(low)}`;
      }
      case 'mux':
        return `${this.atomText(this.atom(e.sel))} ? ${this.atomText(this.atom(e.whenTrue))} : ${this.atomText(this.atom(e.whenFalse))}`;
      case 'concat':
        return `{${e.parts.map((p) => this.atomText(this.atom(p))).join(', ')}}`;
      case 'slice':
        return this.bits(this.atom(e.a), e.hi, e.lo);
      case 'reduce': {
        const sym = { and: '&', or: '|', xor: '^' }[e.op];
        return `${sym}${this.atomText(this.atom(e.a))}`;
      }
      case 'extend':
        return this.ext(this.atom(e.a), W);
      case 'trunc':
        return this.bits(this.atom(e.a), W - 1, 0);
      case 'cast':
        return this.atomText(this.atom(e));
      case 'memRead':
        return this.atomText(this.asyncRead(e));
    }
  }

  private atomText(a: Atom): string {
    if (a.kind === 'lit') return literal(a.value, a.type.width);
    return this.use(a.text);
  }

  /** Bits `[hi:lo]` of an atom, as text. */
  private bits(a: Atom, hi: number, lo: number): string {
    if (a.kind === 'lit') {
      const v = (a.value & mask(a.type.width)) >> BigInt(lo);
      return literal(v & mask(hi - lo + 1), hi - lo + 1);
    }
    if (hi === a.type.width - 1 && lo === 0) return this.use(a.text);
    this.markRead(a.text, hi, lo);
    if (a.type.width === 1) return a.text;
    return hi === lo ? `${a.text}[${hi}]` : `${a.text}[${hi}:${lo}]`;
  }

  /** `a` zero- or sign-extended (by its own signedness) to `width` bits, as text. */
  private ext(a: Atom, width: number): string {
    const w = a.type.width;
    if (width === w) return this.atomText(a);
    if (a.kind === 'lit') return literal(a.value, width);
    const fill = a.type.signed ? this.bits(a, w - 1, w - 1) : "1'b0";
    const k = width - w;
    return k === 1 ? `{${fill}, ${this.atomText(a)}}` : `{{${k}{${fill}}}, ${this.atomText(a)}}`;
  }

  // ---- bit usage, for the `_unused` sink ----

  private track(name: string, width: number, fullyUsed = false): void {
    this.readBits.set(name, Array.from({ length: width }, () => fullyUsed));
    if (!fullyUsed) this.sinkable.push({ name, width });
  }

  private use(name: string): string {
    const bits = this.readBits.get(name);
    if (bits) bits.fill(true);
    return name;
  }

  private markRead(name: string, hi: number, lo: number): void {
    const bits = this.readBits.get(name);
    if (bits) for (let i = lo; i <= hi; i++) bits[i] = true;
  }

  private unusedBits(): string[] {
    const out: string[] = [];
    for (const { name, width } of this.sinkable) {
      const bits = this.readBits.get(name)!;
      if (bits.every(Boolean)) continue;
      if (bits.every((b) => !b)) {
        out.push(name);
        continue;
      }
      // maximal runs of unread bits, most significant first
      for (let i = width - 1; i >= 0; ) {
        if (bits[i]) {
          i--;
          continue;
        }
        let j = i;
        while (j - 1 >= 0 && !bits[j - 1]) j--;
        out.push(i === j ? `${name}[${i}]` : `${name}[${i}:${j}]`);
        i = j - 1;
      }
    }
    return out;
  }
}

/** The value of `value`'s bits read as type `t`. */
function reinterpret(value: bigint, t: HwType): bigint {
  const bits = value & mask(t.width);
  return t.signed && bits >> BigInt(t.width - 1) === 1n ? bits - (1n << BigInt(t.width)) : bits;
}

function pad(s: string): string {
  return s ? `${s} ` : '';
}
