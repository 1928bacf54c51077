// The public DSL surface.
export { module, ModuleBuilder, HwModule, Signal, Memory, WhenChain, SwitchBuilder, uint, sint, bit, clog2, addrBits } from './module.ts';
export type { InStream, OutStream, ModuleOptions } from './module.ts';
export { Expr, constant, mux, cat, repeat } from './expr.ts';
export type { ExprLike } from './expr.ts';
export type { HwType } from '../ir/types.ts';
