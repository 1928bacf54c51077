// Small traversals of the IR shared by the passes and the emitter.
import type { IrExpr, IrMemory, IrModule, IrSignal, IrStmt } from './types.ts';

export function children(e: IrExpr): IrExpr[] {
  switch (e.kind) {
    case 'ref':
    case 'const':
      return [];
    case 'memRead':
      return [e.addr];
    case 'not':
    case 'neg':
    case 'shiftConst':
    case 'slice':
    case 'reduce':
    case 'extend':
    case 'trunc':
    case 'cast':
      return [e.a];
    case 'binary':
    case 'compare':
      return [e.a, e.b];
    case 'shiftDyn':
      return [e.a, e.amount];
    case 'mux':
      return [e.sel, e.whenTrue, e.whenFalse];
    case 'concat':
      return e.parts;
  }
}

/** Every signal an expression reads (combinationally). */
export function exprSignals(e: IrExpr, into: Set<IrSignal> = new Set()): Set<IrSignal> {
  if (e.kind === 'ref') into.add(e.signal);
  for (const c of children(e)) exprSignals(c, into);
  return into;
}

export function exprMemories(e: IrExpr, into: Set<IrMemory> = new Set()): Set<IrMemory> {
  if (e.kind === 'memRead') into.add(e.memory);
  for (const c of children(e)) exprMemories(c, into);
  return into;
}

/** Every expression a statement list evaluates: conditions, subjects, values, addresses. */
export function stmtExprs(stmts: IrStmt[], into: IrExpr[] = []): IrExpr[] {
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign':
        into.push(s.value);
        break;
      case 'memWrite':
        into.push(s.addr, s.data);
        break;
      case 'if':
        into.push(s.cond);
        stmtExprs(s.then, into);
        stmtExprs(s.else, into);
        break;
      case 'switch':
        into.push(s.subject);
        for (const c of s.cases) stmtExprs(c.body, into);
        if (s.default) stmtExprs(s.default, into);
        break;
    }
  }
  return into;
}

/** The signals a statement list assigns and the memories it writes. */
export function stmtTargets(stmts: IrStmt[], into: Set<IrSignal | IrMemory> = new Set()): Set<IrSignal | IrMemory> {
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign':
        into.add(s.target);
        break;
      case 'memWrite':
        into.add(s.memory);
        break;
      case 'if':
        stmtTargets(s.then, into);
        stmtTargets(s.else, into);
        break;
      case 'switch':
        for (const c of s.cases) stmtTargets(c.body, into);
        if (s.default) stmtTargets(s.default, into);
        break;
    }
  }
  return into;
}

/**
 * The statements that concern one target, with branches that do not touch it pruned. The
 * emitter prints one always block per target from this, so no block assigns two signals
 * (which keeps Verilator's scheduler free of false loops).
 */
export function project(stmts: IrStmt[], target: IrSignal | IrMemory): IrStmt[] {
  const out: IrStmt[] = [];
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign':
        if (s.target === target) out.push(s);
        break;
      case 'memWrite':
        if (s.memory === target) out.push(s);
        break;
      case 'if': {
        const t = project(s.then, target);
        const e = project(s.else, target);
        if (t.length || e.length) out.push({ ...s, then: t, else: e });
        break;
      }
      case 'switch': {
        const cases = s.cases.map((c) => ({ values: c.values, body: project(c.body, target) }));
        const def = s.default ? project(s.default, target) : undefined;
        if (cases.some((c) => c.body.length) || def?.length) out.push({ ...s, cases, default: def });
        break;
      }
    }
  }
  return out;
}

/** All non-port signals and ports of a module, ports first. */
export function allSignals(m: IrModule): IrSignal[] {
  return [...m.ports, ...m.signals];
}
