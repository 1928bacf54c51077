// The public DSL surface. Blocks import only this file: the builder, expressions, types, and the
// errors a block may raise or catch (a block rejects a misuse of its own helpers with m.fail()).
export { module, ModuleBuilder, HwModule, Signal, Memory, WhenChain, SwitchBuilder, uint, sint, bit, clog2, addrBits } from './module.ts';
export type { InStream, OutStream, ModuleOptions } from './module.ts';
export { Expr, constant, mux, cat, repeat } from './expr.ts';
export type { ExprLike } from './expr.ts';
export type { HwType, SrcLoc } from '../ir/types.ts';
export { fmtType } from '../ir/errors.ts';
export {
  HardwareError,
  DslUsageError,
  WidthMismatchError,
  SignednessError,
  IdentifierError,
  ConstantRangeError,
  ConnectionError,
  MultipleDriverError,
  UndrivenSignalError,
  UnusedSignalError,
  LatchError,
  CombinationalLoopError,
  ModuleNameClashError,
} from '../ir/errors.ts';
export { DcgenError, isUserError } from '../errors.ts';
