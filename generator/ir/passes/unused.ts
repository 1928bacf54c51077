// Unused signals: a wire, register or memory that nothing reads is a mistake more often than
// not (a typo'd name, a forgotten connection), so it is an error; `m.sink(x)` says "unused on
// purpose". Inputs may go unused (a block's interface does not shrink with its parameters).
import { UnusedSignalError } from '../errors.ts';
import { exprMemories, exprSignals, stmtExprs } from '../walk.ts';
import type { IrExpr, IrMemory, IrModule, IrSignal } from '../types.ts';

export function checkUnused(m: IrModule): void {
  const exprs: IrExpr[] = [...m.sinks];
  for (const p of m.processes) stmtExprs(p.body, exprs);
  for (const i of m.instances) exprs.push(...i.inputs.values());
  const read = new Set<IrSignal>();
  const readMems = new Set<IrMemory>();
  for (const e of exprs) {
    exprSignals(e, read);
    exprMemories(e, readMems);
  }
  for (const s of m.signals) {
    if (!read.has(s)) {
      throw new UnusedSignalError(m.name, `${s.kind} '${s.name}'`, 'a signal that something reads (or m.sink() it)', 'no reader', s.loc);
    }
  }
  for (const mem of m.memories) {
    if (!readMems.has(mem)) {
      throw new UnusedSignalError(m.name, `memory '${mem.name}'`, 'a memory that something reads', 'no read port', mem.loc);
    }
  }
}
