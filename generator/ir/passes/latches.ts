// Latch prevention: a signal assigned in a comb process must be assigned on every path
// through it (an `if` needs both arms, a `switch` a default or every value covered).
import { LatchError } from '../errors.ts';
import { project, stmtTargets } from '../walk.ts';
import type { IrModule, IrSignal, IrStmt } from '../types.ts';

export function assignedOnAllPaths(stmts: IrStmt[], target: IrSignal): boolean {
  return stmts.some((s) => {
    switch (s.kind) {
      case 'assign':
        return s.target === target;
      case 'memWrite':
        return false;
      case 'if':
        return assignedOnAllPaths(s.then, target) && assignedOnAllPaths(s.else, target);
      case 'switch': {
        const covered = s.cases.reduce((n, c) => n + c.values.length, 0);
        const full = s.default !== undefined || BigInt(covered) === 1n << BigInt(s.subject.type.width);
        return full && s.cases.every((c) => assignedOnAllPaths(c.body, target)) && (s.default === undefined || assignedOnAllPaths(s.default, target));
      }
    }
  });
}

export function checkLatches(m: IrModule): void {
  for (const p of m.processes) {
    if (p.kind !== 'comb') continue;
    for (const t of stmtTargets(p.body)) {
      if ('kind' in t && !assignedOnAllPaths(project(p.body, t), t)) {
        throw new LatchError(m.name, `signal '${t.name}'`, 'an assignment on every path of its m.comb() process (add a default assignment first, or an otherwise/default branch)', 'a path that leaves it unassigned, which would infer a latch', p.loc);
      }
    }
  }
}
