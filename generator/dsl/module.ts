// The module builder: ports, wires, registers, memories, processes, instances and streams.
//
//   const fifo = module('common_fifo', (m) => {
//     const inp = m.inStream('in', { data: uint(8) });
//     const count = m.reg('count', uint(3), { reset: 0 });
//     m.sync(() => { m.when(inp.fire, () => count.set(count.add(1).trunc(3))); });
//     ...
//   });
//
// `comb` processes assign wires and outputs (every path must assign them: no latches);
// `sync` processes assign registers and write memories at the rising edge of the implicit
// `clk`, with the implicit synchronous active-high `rst` loading each register's reset value.
import { ConnectionError, DslUsageError, IdentifierError, fmtType } from '../ir/errors.ts';
import type { HwType, IrCase, IrExpr, IrInstance, IrMemory, IrModule, IrProcess, IrSignal, IrStmt, IrStream, SignalKind, SrcLoc } from '../ir/types.ts';
import * as typing from '../ir/typing.ts';
import { runModulePasses } from '../ir/passes/index.ts';
import { Expr, type ExprLike, constant, describeValue, expectExpr, expectType, memRead, ref, toInteger } from './expr.ts';
import { callerLoc } from './loc.ts';
import { addrBits, clog2 } from '../spec/math.ts';

export { addrBits, clog2 };

export function uint(width: number): HwType {
  return typing.hwType(width, false);
}
export function sint(width: number): HwType {
  return typing.hwType(width, true);
}
export function bit(): HwType {
  return typing.hwType(1, false);
}


const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED = new Set(['clk', 'rst']);

/** A named signal; `set` assigns it inside a `comb` (wires, outputs) or `sync` (registers) process. */
export class Signal extends Expr {
  /** @internal */
  constructor(
    readonly signal: IrSignal,
    /** @internal */ private readonly builder: ModuleBuilder,
  ) {
    super(ref(signal, builder).node, builder);
  }
  get name(): string {
    return this.signal.name;
  }
  get kind(): SignalKind {
    return this.signal.kind;
  }
  set(value: ExprLike): void {
    this.builder.addAssign(this, value, callerLoc());
  }
}

export class Memory {
  /** @internal */
  constructor(
    readonly memory: IrMemory,
    private readonly builder: ModuleBuilder,
  ) {}
  get addrWidth(): number {
    return addrBits(this.memory.depth);
  }
  /**
   * A read of `addr`. Loaded into a register (no reset) as its only assignment, in `m.sync`
   * (`m.when(en, () => r.set(mem.read(a)))`), it is a synchronous read port (latency 1, the
   * register holds without `en`: block RAM, SRAM macros); anywhere else an asynchronous one
   * (latency 0, not macro-ready). docs/memories.md.
   */
  read(addr: Expr): Expr {
    this.builder.checkAddr(this, addr, callerLoc());
    return memRead(this.memory, addr, this.builder);
  }
  /** A write at the next clock edge; only inside a `sync` process. */
  write(addr: Expr, data: ExprLike): void {
    this.builder.addMemWrite(this, addr, data, callerLoc());
  }
}

export interface InStream<F extends Record<string, HwType>> {
  valid: Signal;
  ready: Signal;
  data: { [K in keyof F]: Signal };
  /** valid && ready */
  fire: Expr;
}
export type OutStream<F extends Record<string, HwType>> = InStream<F>;

export class WhenChain {
  /** @internal */
  constructor(
    private tail: Extract<IrStmt, { kind: 'if' }>,
    private readonly builder: ModuleBuilder,
  ) {}
  elseWhen(cond: Expr, body: () => void): WhenChain {
    const loc = callerLoc();
    expectExpr({ module: this.builder.name, what: 'elseWhen condition', loc }, cond, 'a 1-bit unsigned Expr');
    const stmt = this.builder.makeIf(cond, body, loc);
    this.tail.else.push(stmt);
    this.tail = stmt;
    return this;
  }
  otherwise(body: () => void): void {
    this.builder.collect(this.tail.else, body);
  }
}

export class SwitchBuilder {
  /** @internal */
  readonly cases: IrCase[] = [];
  /** @internal */
  default: IrStmt[] | undefined;
  /** @internal */
  constructor(
    private readonly subject: Expr,
    private readonly builder: ModuleBuilder,
  ) {}
  is(values: ExprLike | ExprLike[], body: () => void): void {
    const loc = callerLoc();
    const list = (Array.isArray(values) ? values : [values]).map((v) => {
      if (v instanceof Expr) {
        if (v.node.kind !== 'const') throw new DslUsageError(this.builder.name, 'switch case', 'constant case values', 'a non-constant expression', loc);
        return v.node.value;
      }
      return toInteger(this.subject.site('switch case', loc), v, 'a constant case value (an integer, or a constant Expr)');
    });
    for (const v of list) {
      typing.checkConstFits(this.subject.site('switch case', loc), this.subject.type, v);
      if (this.cases.some((c) => c.values.includes(v))) {
        throw new DslUsageError(this.builder.name, 'switch case', 'each case value once', `${v} twice`, loc);
      }
    }
    const c: IrCase = { values: list, body: [] };
    this.cases.push(c);
    this.builder.collect(c.body, body);
  }
  otherwise(body: () => void): void {
    this.default = [];
    this.builder.collect(this.default, body);
  }
}

export interface ModuleOptions {
  doc?: string;
  params?: Record<string, number | boolean | string>;
}

/** A finished, checked module: instantiate it in a parent or emit it as a design's top. */
export class HwModule {
  /** @internal */
  constructor(readonly ir: IrModule) {}
  get name(): string {
    return this.ir.name;
  }
}

export class ModuleBuilder {
  /** @internal */ readonly ir: IrModule;
  private process: IrProcess | undefined;
  private stmts: IrStmt[] | undefined;
  private readonly usedNames = new Set<string>();

  /** @internal */
  constructor(name: string, opts: ModuleOptions, loc: SrcLoc) {
    if (!IDENT.test(name)) {
      throw new IdentifierError(name, 'module name', 'a Verilog identifier ([A-Za-z][A-Za-z0-9_]*)', JSON.stringify(name), loc);
    }
    this.ir = {
      name,
      doc: opts.doc ?? '',
      params: opts.params ?? {},
      hasClock: false,
      ports: [],
      signals: [],
      memories: [],
      processes: [],
      instances: [],
      streams: [],
      sinks: [],
      loc,
    };
  }

  get name(): string {
    return this.ir.name;
  }

  // ---- declarations ----

  input(name: string, type: HwType): Signal {
    return this.declare(name, 'input', type, callerLoc());
  }

  /** An output the module drives: pass a type (and `set` it), or an expression to drive it with. */
  output(name: string, typeOrValue: HwType | Expr): Signal {
    const loc = callerLoc();
    if (typeOrValue instanceof Expr) {
      const s = this.declare(name, 'output', typeOrValue.type, loc);
      this.continuous(s, typeOrValue, loc);
      return s;
    }
    return this.declare(name, 'output', typeOrValue, loc);
  }

  /** An output that is itself a register (assign it in `sync`). */
  outputReg(name: string, type: HwType, opts: { reset?: number | bigint } = {}): Signal {
    const loc = callerLoc();
    const s = this.declare(name, 'output', type, loc);
    s.signal.isReg = true;
    this.setReset(s.signal, opts.reset, loc);
    this.ir.hasClock = true;
    return s;
  }

  /** A named combinational signal: pass a type (and `set` it), or an expression to name. */
  wire(name: string, typeOrValue: HwType | Expr): Signal {
    const loc = callerLoc();
    if (typeOrValue instanceof Expr) {
      const s = this.declare(name, 'wire', typeOrValue.type, loc);
      this.continuous(s, typeOrValue, loc);
      return s;
    }
    return this.declare(name, 'wire', typeOrValue, loc);
  }

  reg(name: string, type: HwType, opts: { reset?: number | bigint } = {}): Signal {
    const loc = callerLoc();
    const s = this.declare(name, 'reg', type, loc);
    this.setReset(s.signal, opts.reset, loc);
    this.ir.hasClock = true;
    return s;
  }

  inputArray(name: string, n: number, type: HwType): Signal[] {
    if (!Number.isInteger(n) || n < 0) {
      throw new DslUsageError(this.name, `input array '${name}'`, 'a count that is a non-negative integer', describeValue(n), callerLoc());
    }
    return Array.from({ length: n }, (_, i) => this.input(`${name}_${i}`, type));
  }

  memory(name: string, opts: { depth: number; type: HwType }): Memory {
    const loc = callerLoc();
    this.checkName(name, loc);
    expectType({ module: this.name, what: `memory '${name}'`, loc }, opts.type);
    if (!Number.isInteger(opts.depth) || opts.depth < 1 || opts.depth > 1 << 24) {
      throw new DslUsageError(this.name, `memory '${name}'`, 'a depth from 1 to 2^24', String(opts.depth), loc);
    }
    const memory: IrMemory = { name, depth: opts.depth, type: opts.type, loc };
    this.ir.memories.push(memory);
    this.ir.hasClock = true;
    return new Memory(memory, this);
  }

  /** An input valid/ready stream: ports `<name>_valid`, `<name>_ready` (output), `<name>_<field>`. */
  inStream<F extends Record<string, HwType>>(name: string, fields: F): InStream<F> {
    return this.stream(name, fields, 'in', callerLoc());
  }

  /** An output valid/ready stream: drive `valid` and the data fields, read `ready`. */
  outStream<F extends Record<string, HwType>>(name: string, fields: F): OutStream<F> {
    return this.stream(name, fields, 'out', callerLoc());
  }

  /** Mark bits as deliberately unused (a dropped carry, an unused input at this parameter point). */
  sink(e: Expr): void {
    const loc = callerLoc();
    expectExpr({ module: this.name, what: 'm.sink()', loc }, e);
    this.checkOwn(e, 'm.sink()', loc);
    this.ir.sinks.push(e.node);
  }

  /**
   * Reject a misuse of a block's own helper: throws a DslUsageError naming this module, the
   * construct, what was expected and what was found, at the line that called `fail`.
   *
   *   if (depth < 1) m.fail(`fifo '${name}'`, 'a depth of at least 1', String(depth));
   */
  fail(subject: string, expected: string, found: string): never {
    throw new DslUsageError(this.name, subject, expected, found, callerLoc());
  }

  const(type: HwType, value: number | bigint): Expr {
    return constant(type, value, this);
  }

  // ---- processes and statements ----

  /** Continuous assignment `target = value` (a one-statement comb process). */
  assign(target: Signal, value: ExprLike): void {
    this.continuous(target, value, callerLoc());
  }

  comb(body: () => void): void {
    this.runProcess('comb', body, callerLoc());
  }

  sync(body: () => void): void {
    this.runProcess('sync', body, callerLoc());
  }

  when(cond: Expr, body: () => void): WhenChain {
    const loc = callerLoc();
    expectExpr({ module: this.name, what: 'when condition', loc }, cond, 'a 1-bit unsigned Expr');
    this.checkOwn(cond, 'when condition', loc);
    const stmt = this.makeIf(cond, body, loc);
    this.currentStmts('when', loc).push(stmt);
    return new WhenChain(stmt, this);
  }

  switch(subject: Expr, body: (s: SwitchBuilder) => void): void {
    const loc = callerLoc();
    expectExpr({ module: this.name, what: 'switch subject', loc }, subject);
    this.checkOwn(subject, 'switch subject', loc);
    const list = this.currentStmts('switch', loc);
    const sb = new SwitchBuilder(subject, this);
    body(sb);
    list.push({ kind: 'switch', subject: subject.node, cases: sb.cases, default: sb.default, loc });
  }

  // ---- hierarchy ----

  /**
   * Instantiate `child` as `name`. Every input of the child must be connected, with exactly its
   * type; `clk` and `rst` connect implicitly. Returns the child's outputs as wires named
   * `<name>_<port>`.
   */
  instance(child: HwModule, name: string, inputs: Record<string, ExprLike>): Record<string, Signal> {
    const loc = callerLoc();
    if (!(child instanceof HwModule)) {
      throw new DslUsageError(this.name, `instance '${name}'`, 'a module built with module()', describeValue(child), loc);
    }
    if (typeof inputs !== 'object' || inputs === null) {
      throw new DslUsageError(this.name, `instance '${name}' of '${child.name}'`, 'an object of input connections', describeValue(inputs), loc);
    }
    this.checkName(name, loc);
    const inst: IrInstance = { name, module: child.ir, inputs: new Map(), outputs: new Map(), loc };
    const childInputs = child.ir.ports.filter((p) => p.kind === 'input');
    for (const key of Object.keys(inputs)) {
      const port = child.ir.ports.find((p) => p.name === key);
      if (!port) {
        throw new ConnectionError(this.name, `instance '${name}' of '${child.name}'`, `a port of ${child.name} (${child.ir.ports.map((p) => p.name).join(', ')})`, `'${key}'`, loc);
      }
      if (port.kind !== 'input') {
        throw new ConnectionError(this.name, `instance '${name}' port '${key}'`, 'an input port to connect', `an ${port.kind} (outputs are returned by instance())`, loc);
      }
      const raw = inputs[key];
      const value = raw instanceof Expr ? raw : constant(port.type, toInteger({ module: this.name, what: `instance '${name}' port '${key}'`, loc }, raw, 'an Expr or an integer (a number or a bigint)'), this);
      if (value.owner && value.owner !== this) {
        throw new ConnectionError(this.name, `instance '${name}' port '${key}'`, 'an expression of this module', `one built in module '${value.owner.name}'`, loc);
      }
      if (!typing.sameType(value.type, port.type)) {
        throw new ConnectionError(this.name, `instance '${name}' port '${key}'`, fmtType(port.type), fmtType(value.type), loc);
      }
      inst.inputs.set(key, value.node);
    }
    const missing = childInputs.filter((p) => !inst.inputs.has(p.name)).map((p) => p.name);
    if (missing.length > 0) {
      throw new ConnectionError(this.name, `instance '${name}' of '${child.name}'`, 'every input connected', `unconnected ${missing.map((m) => `'${m}'`).join(', ')}`, loc);
    }
    const outs: Record<string, Signal> = {};
    for (const port of child.ir.ports.filter((p) => p.kind === 'output')) {
      const s = this.declare(`${name}_${port.name}`, 'wire', port.type, loc);
      inst.outputs.set(port.name, s.signal);
      outs[port.name] = s;
    }
    if (child.ir.hasClock) this.ir.hasClock = true;
    this.ir.instances.push(inst);
    return outs;
  }

  // ---- internals used by Signal, Memory, WhenChain, SwitchBuilder ----

  /** @internal */
  addAssign(target: Signal, valueLike: ExprLike, loc: SrcLoc): void {
    const list = this.currentStmts(`assignment to '${target.name}'`, loc);
    const value = this.valueFor(target, valueLike, loc);
    const proc = this.process!;
    const isRegTarget = target.signal.kind === 'reg' || target.signal.isReg === true;
    if (target.signal.kind === 'input') {
      throw new DslUsageError(this.name, `signal '${target.name}'`, 'a wire, output or register to assign', 'an input port', loc);
    }
    if (proc.kind === 'comb' && isRegTarget) {
      throw new DslUsageError(this.name, `register '${target.name}'`, 'an assignment inside m.sync()', 'one inside m.comb()', loc);
    }
    if (proc.kind === 'sync' && !isRegTarget) {
      throw new DslUsageError(this.name, `signal '${target.name}'`, 'an assignment inside m.comb() or m.assign() (it is not a register)', 'one inside m.sync()', loc);
    }
    list.push({ kind: 'assign', target: target.signal, value: value.node, loc });
  }

  /** @internal */
  addMemWrite(mem: Memory, addr: Expr, dataLike: ExprLike, loc: SrcLoc): void {
    const list = this.currentStmts(`write to memory '${mem.memory.name}'`, loc);
    if (this.process!.kind !== 'sync') {
      throw new DslUsageError(this.name, `memory '${mem.memory.name}'`, 'a write inside m.sync()', 'one inside m.comb()', loc);
    }
    this.checkAddr(mem, addr, loc);
    if (dataLike instanceof Expr && dataLike.owner && dataLike.owner !== this) {
      throw new DslUsageError(this.name, `write to memory '${mem.memory.name}'`, 'an expression of this module', `one built in module '${dataLike.owner.name}'`, loc);
    }
    const data = dataLike instanceof Expr ? dataLike : constant(mem.memory.type, dataLike, this);
    typing.checkAssign({ module: this.name, what: `write data of memory '${mem.memory.name}'`, loc }, mem.memory.type, data.type);
    list.push({ kind: 'memWrite', memory: mem.memory, addr: addr.node, data: data.node, loc });
  }

  /** @internal */
  checkAddr(mem: Memory, addr: Expr, loc: SrcLoc): void {
    expectExpr({ module: this.name, what: `address of memory '${mem.memory.name}'`, loc }, addr, `an Expr of ${fmtType(uint(mem.addrWidth))}`);
    if (addr.owner && addr.owner !== this) {
      throw new DslUsageError(this.name, `address of memory '${mem.memory.name}'`, 'an expression of this module', `one built in module '${addr.owner.name}'`, loc);
    }
    const expected = uint(mem.addrWidth);
    if (!typing.sameType(addr.type, expected)) {
      throw new DslUsageError(this.name, `address of memory '${mem.memory.name}' (depth ${mem.memory.depth})`, fmtType(expected), fmtType(addr.type), loc);
    }
  }

  private checkOwn(e: Expr, what: string, loc: SrcLoc): void {
    if (e.owner && e.owner !== this) {
      throw new DslUsageError(this.name, what, 'an expression of this module', `one built in module '${e.owner.name}'`, loc);
    }
  }

  /** @internal */
  makeIf(cond: Expr, body: () => void, loc: SrcLoc): Extract<IrStmt, { kind: 'if' }> {
    typing.checkBool({ module: this.name, what: 'when condition', loc }, cond.type);
    const stmt: Extract<IrStmt, { kind: 'if' }> = { kind: 'if', cond: cond.node, then: [], else: [], loc };
    this.collect(stmt.then, body);
    return stmt;
  }

  /** @internal Run `body` with statements going to `into`. */
  collect(into: IrStmt[], body: () => void): void {
    if (typeof body !== 'function') {
      throw new DslUsageError(this.name, 'body of a process or branch', 'a function', describeValue(body), callerLoc());
    }
    const saved = this.stmts;
    this.stmts = into;
    try {
      body();
    } finally {
      this.stmts = saved;
    }
  }

  /** @internal */
  finish(): HwModule {
    runModulePasses(this.ir);
    return new HwModule(this.ir);
  }

  private runProcess(kind: 'comb' | 'sync', body: () => void, loc: SrcLoc): void {
    if (this.process) throw new DslUsageError(this.name, `m.${kind}()`, 'a process at the top level of the module', 'one nested in another process', loc);
    const proc: IrProcess = { kind, body: [], loc };
    this.process = proc;
    try {
      this.collect(proc.body, body);
    } finally {
      this.process = undefined;
    }
    if (kind === 'sync') this.ir.hasClock = true;
    this.ir.processes.push(proc);
  }

  private continuous(target: Signal, valueLike: ExprLike, loc: SrcLoc): void {
    if (this.process) {
      throw new DslUsageError(this.name, `m.assign('${target.name}')`, 'a continuous assignment at the top level', 'one inside a process (use .set())', loc);
    }
    this.runProcess('comb', () => this.addAssign(target, valueLike, loc), loc);
  }

  private valueFor(target: Signal, valueLike: ExprLike, loc: SrcLoc): Expr {
    const what = `assignment to '${target.name}'`;
    const value = valueLike instanceof Expr ? valueLike : constant(target.type, toInteger({ module: this.name, what, loc }, valueLike, 'an Expr or an integer (a number or a bigint)'), this);
    if (value.owner && value.owner !== this) {
      throw new DslUsageError(this.name, `assignment to '${target.name}'`, 'an expression of this module', `one built in module '${value.owner.name}'`, loc);
    }
    typing.checkAssign({ module: this.name, what: `assignment to '${target.name}'`, loc }, target.type, value.type);
    return value;
  }

  private currentStmts(what: string, loc: SrcLoc): IrStmt[] {
    if (!this.stmts || !this.process) {
      throw new DslUsageError(this.name, what, 'a statement inside m.comb() or m.sync()', 'one outside any process', loc);
    }
    return this.stmts;
  }

  private declare(name: string, kind: SignalKind, type: HwType, loc: SrcLoc): Signal {
    this.checkName(name, loc);
    if (typeof type !== 'object' || type === null || typeof type.signed !== 'boolean') {
      throw new DslUsageError(this.name, `signal '${name}'`, 'a type made by uint(w), sint(w) or bit()', describeValue(type), loc);
    }
    if (!Number.isInteger(type.width) || type.width < 1 || type.width > typing.MAX_WIDTH) {
      throw new DslUsageError(this.name, `signal '${name}'`, `a width from 1 to ${typing.MAX_WIDTH}`, String(type.width), loc);
    }
    const signal: IrSignal = { name, kind, type, loc };
    if (kind === 'input' || kind === 'output') this.ir.ports.push(signal);
    else this.ir.signals.push(signal);
    return new Signal(signal, this);
  }

  private checkName(name: string, loc: SrcLoc): void {
    if (!IDENT.test(name)) {
      throw new IdentifierError(this.name, 'name', 'a Verilog identifier ([A-Za-z][A-Za-z0-9_]*; a leading _ is reserved for generated names)', JSON.stringify(name), loc);
    }
    if (RESERVED.has(name)) {
      throw new IdentifierError(this.name, 'name', 'a name other than the implicit clk and rst', JSON.stringify(name), loc);
    }
    if (this.usedNames.has(name)) {
      throw new IdentifierError(this.name, 'name', 'a name not declared before in this module', JSON.stringify(name), loc);
    }
    this.usedNames.add(name);
  }

  private setReset(signal: IrSignal, reset: number | bigint | undefined, loc: SrcLoc): void {
    if (reset === undefined) return;
    const site = { module: this.name, what: `reset value of '${signal.name}'`, loc };
    const v = toInteger(site, reset);
    typing.checkConstFits(site, signal.type, v);
    signal.reset = v;
  }

  private stream<F extends Record<string, HwType>>(name: string, fields: F, direction: 'in' | 'out', loc: SrcLoc): InStream<F> {
    const inward = direction === 'in';
    const valid = this.declare(`${name}_valid`, inward ? 'input' : 'output', bit(), loc);
    const ready = this.declare(`${name}_ready`, inward ? 'output' : 'input', bit(), loc);
    const data = {} as { [K in keyof F]: Signal };
    const irFields: IrStream['fields'] = [];
    for (const key of Object.keys(fields) as (keyof F & string)[]) {
      data[key] = this.declare(`${name}_${key}`, inward ? 'input' : 'output', fields[key], loc);
      irFields.push({ name: key, port: `${name}_${key}` });
    }
    this.ir.streams.push({ name, direction, valid: valid.name, ready: ready.name, fields: irFields });
    return { valid, ready, data, fire: valid.and(ready) };
  }
}

/** Build a module with the DSL; the module-level passes run when `build` returns. */
export function module(name: string, build: (m: ModuleBuilder) => void, opts: ModuleOptions = {}): HwModule {
  const m = new ModuleBuilder(name, opts, callerLoc());
  if (typeof build !== 'function') throw new DslUsageError(m.name, 'module()', 'a build function (m) => { ... }', describeValue(build), m.ir.loc);
  build(m);
  return m.finish();
}

export type { IrExpr };
