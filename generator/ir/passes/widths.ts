// Width and signedness check over the finished IR: every node's type must be the one the
// typing rules derive from its operands, and every assignment must match its target exactly.
import { WidthMismatchError, fmtType } from '../errors.ts';
import { checkAssign, deriveType, sameType, type TypingSite } from '../typing.ts';
import { children } from '../walk.ts';
import type { IrExpr, IrModule, IrStmt, SrcLoc } from '../types.ts';

export function checkWidths(m: IrModule): void {
  const checkExpr = (e: IrExpr, loc: SrcLoc): void => {
    for (const c of children(e)) checkExpr(c, loc);
    const site: TypingSite = { module: m.name, what: `${e.kind} expression`, loc };
    const derived = deriveType(site, e);
    if (!sameType(derived, e.type)) throw new WidthMismatchError(m.name, `${e.kind} expression`, fmtType(derived), fmtType(e.type), loc);
  };
  const checkStmts = (stmts: IrStmt[]): void => {
    for (const s of stmts) {
      switch (s.kind) {
        case 'assign':
          checkExpr(s.value, s.loc);
          checkAssign({ module: m.name, what: `assignment to '${s.target.name}'`, loc: s.loc }, s.target.type, s.value.type);
          break;
        case 'memWrite':
          checkExpr(s.addr, s.loc);
          checkExpr(s.data, s.loc);
          checkAssign({ module: m.name, what: `write to memory '${s.memory.name}'`, loc: s.loc }, s.memory.type, s.data.type);
          break;
        case 'if':
          checkExpr(s.cond, s.loc);
          checkStmts(s.then);
          checkStmts(s.else);
          break;
        case 'switch':
          checkExpr(s.subject, s.loc);
          for (const c of s.cases) checkStmts(c.body);
          if (s.default) checkStmts(s.default);
          break;
      }
    }
  };
  for (const p of m.processes) checkStmts(p.body);
  for (const i of m.instances) for (const e of i.inputs.values()) checkExpr(e, i.loc);
  for (const e of m.sinks) checkExpr(e, m.loc);
}
