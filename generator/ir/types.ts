// The typed netlist that the DSL elaborates to. Private to the generator: users build it
// through generator/dsl, passes check it, the emitter turns it into a view model.
//
// Every expression node carries its exact width and signedness; nothing in the IR is
// context-determined (unlike Verilog), so a pass or an evaluator can read a node's value
// without looking at where it is used.

export interface SrcLoc {
  /** Path relative to the repository root, e.g. `generator/blocks/common/fifo.ts`. */
  file: string;
  line: number;
}

export interface HwType {
  readonly width: number;
  readonly signed: boolean;
}

export type SignalKind = 'input' | 'output' | 'wire' | 'reg';

export interface IrSignal {
  name: string;
  kind: SignalKind;
  type: HwType;
  /** Registers only: value loaded while `rst` is high; undefined = no reset (datapath). */
  reset?: bigint;
  /** Output ports only: true when the output is itself a register (assigned in `sync`). */
  isReg?: boolean;
  loc: SrcLoc;
}

export interface IrMemory {
  name: string;
  depth: number;
  type: HwType;
  loc: SrcLoc;
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor';
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type ReduceOp = 'and' | 'or' | 'xor';
export type ShiftOp = 'shl' | 'shr';

export type IrExpr =
  | { kind: 'ref'; type: HwType; signal: IrSignal }
  | { kind: 'const'; type: HwType; value: bigint }
  | { kind: 'not'; type: HwType; a: IrExpr }
  | { kind: 'neg'; type: HwType; a: IrExpr }
  | { kind: 'binary'; type: HwType; op: BinaryOp; a: IrExpr; b: IrExpr }
  | { kind: 'compare'; type: HwType; op: CompareOp; a: IrExpr; b: IrExpr }
  /** Shift by a constant: `shl` widens by `amount`, `shr` narrows by `amount` (exact). */
  | { kind: 'shiftConst'; type: HwType; op: ShiftOp; a: IrExpr; amount: number }
  /** Shift by a signal: the width is kept; `shr` is arithmetic for signed operands. */
  | { kind: 'shiftDyn'; type: HwType; op: ShiftOp; a: IrExpr; amount: IrExpr }
  | { kind: 'mux'; type: HwType; sel: IrExpr; whenTrue: IrExpr; whenFalse: IrExpr }
  | { kind: 'concat'; type: HwType; parts: IrExpr[] }
  | { kind: 'slice'; type: HwType; a: IrExpr; hi: number; lo: number }
  | { kind: 'reduce'; type: HwType; op: ReduceOp; a: IrExpr }
  /** Zero or sign extension (by the operand's signedness) to `type.width`. */
  | { kind: 'extend'; type: HwType; a: IrExpr }
  | { kind: 'trunc'; type: HwType; a: IrExpr }
  /** Same bits, other signedness. */
  | { kind: 'cast'; type: HwType; a: IrExpr }
  | { kind: 'memRead'; type: HwType; memory: IrMemory; addr: IrExpr };

export type IrStmt =
  | { kind: 'assign'; target: IrSignal; value: IrExpr; loc: SrcLoc }
  | { kind: 'if'; cond: IrExpr; then: IrStmt[]; else: IrStmt[]; loc: SrcLoc }
  | { kind: 'switch'; subject: IrExpr; cases: IrCase[]; default?: IrStmt[]; loc: SrcLoc }
  | { kind: 'memWrite'; memory: IrMemory; addr: IrExpr; data: IrExpr; loc: SrcLoc };

export interface IrCase {
  values: bigint[];
  body: IrStmt[];
}

/** `comb` processes drive wires and outputs; `sync` processes drive registers and memories. */
export interface IrProcess {
  kind: 'comb' | 'sync';
  body: IrStmt[];
  loc: SrcLoc;
}

export interface IrInstance {
  name: string;
  module: IrModule;
  /** Child port name → expression (inputs) or signal it drives (outputs). */
  inputs: Map<string, IrExpr>;
  outputs: Map<string, IrSignal>;
  loc: SrcLoc;
}

export interface IrStreamField {
  name: string;
  port: string;
}

/** A valid/ready port group, recorded so that harnesses and bindings know the protocol. */
export interface IrStream {
  name: string;
  direction: 'in' | 'out';
  valid: string;
  ready: string;
  fields: IrStreamField[];
}

export interface IrModule {
  name: string;
  doc: string;
  /** Resolved parameter values of this module, for the header and the manifest. */
  params: Record<string, number | boolean | string>;
  /** `clk`/`rst` are present iff the module (or a child) holds state. */
  hasClock: boolean;
  ports: IrSignal[];
  signals: IrSignal[];
  memories: IrMemory[];
  processes: IrProcess[];
  instances: IrInstance[];
  streams: IrStream[];
  /** Expressions whose bits are deliberately unused (`m.sink`). */
  sinks: IrExpr[];
  loc: SrcLoc;
  /**
   * Set by the loop pass once the module is checked: each output port → the input ports it
   * depends on combinationally. A parent's loop pass reads it instead of re-deriving it.
   */
  combDeps?: ReadonlyMap<string, ReadonlySet<string>>;
}
