// What every phase of cmc_top (generator/blocks/cmc/top.ts) reads: the parameters, the geometry
// (generator/spec/cmc/top.ts) and the address arithmetic, which multiplies by constants only.
import { type Expr, type HwType, type ModuleBuilder, addrBits, clog2, uint } from '../../../dsl/index.ts';
import type { CmcTopGeometry, CmcTopParams } from '../../../spec/cmc/top.ts';

export interface TopEnv {
  p: CmcTopParams;
  g: CmcTopGeometry;
  /** A frame-buffer word: one token beat, e bytes. */
  word: HwType;
  /** A `w`-bit unsigned constant. */
  lit(w: number, v: number): Expr;
  /** x + 1 at x's width (wrapping). */
  inc(x: Expr): Expr;
  /** a·k + b as a `w`-bit unsigned (k a constant). */
  mulAdd(a: Expr, k: number, b: Expr, w: number): Expr;
  /** t·N + i as a `w`-bit unsigned: the row of token (t, i). */
  rowOf(t: Expr, i: Expr, w: number): Expr;
  /** Entry `q` of slot `slot`'s half of a table (slot·tableEntries + q). */
  tableAddr(slot: Expr, q: Expr): Expr;
}

export function topEnv(m: ModuleBuilder, p: CmcTopParams, g: CmcTopGeometry): TopEnv {
  const mulAdd = (a: Expr, k: number, b: Expr, w: number) => (k === 1 ? a : a.mul(m.const(uint(clog2(k + 1)), k))).resize(w).add(b.resize(w)).resize(w);
  return {
    p,
    g,
    word: uint(8 * p.elemsPerBeat),
    lit: (w, v) => m.const(uint(w), v),
    inc: (x) => x.add(1).trunc(x.type.width),
    mulAdd,
    rowOf: (t, i, w) => mulAdd(t, g.N, i, w),
    tableAddr: (slot, q) => mulAdd(slot, g.tableEntries, q, addrBits(2 * g.tableEntries)),
  };
}
