// Combinational loops. Each combinationally driven signal depends on what its comb process
// reads on the paths that assign it, and each instance output on the child's inputs that
// reach it combinationally. Registers and memories break paths. A cycle is reported with
// every signal on it.
import { CombinationalLoopError } from '../errors.ts';
import { exprSignals, project, stmtExprs, stmtTargets } from '../walk.ts';
import type { IrModule, IrSignal } from '../types.ts';

/** For a checked module: each output port → the input ports it depends on combinationally. */
const portDeps = new WeakMap<IrModule, Map<string, Set<string>>>();

function combGraph(m: IrModule): Map<IrSignal, Set<IrSignal>> {
  const graph = new Map<IrSignal, Set<IrSignal>>();
  for (const p of m.processes) {
    if (p.kind !== 'comb') continue;
    for (const t of stmtTargets(p.body)) {
      if (!('kind' in t)) continue;
      const deps = new Set<IrSignal>();
      for (const e of stmtExprs(project(p.body, t))) exprSignals(e, deps);
      graph.set(t, deps);
    }
  }
  for (const inst of m.instances) {
    const childDeps = portDeps.get(inst.module) ?? new Map<string, Set<string>>();
    for (const [port, sig] of inst.outputs) {
      const deps = new Set<IrSignal>();
      for (const input of childDeps.get(port) ?? []) {
        const e = inst.inputs.get(input);
        if (e) exprSignals(e, deps);
      }
      graph.set(sig, deps);
    }
  }
  return graph;
}

export function checkLoops(m: IrModule): void {
  const graph = combGraph(m);
  const state = new Map<IrSignal, 'visiting' | 'done'>();
  const stack: IrSignal[] = [];
  const visit = (s: IrSignal): void => {
    const st = state.get(s);
    if (st === 'done') return;
    if (st === 'visiting') {
      const loop = stack.slice(stack.indexOf(s)).map((x) => x.name);
      throw new CombinationalLoopError(m.name, [...loop, s.name], s.loc);
    }
    state.set(s, 'visiting');
    stack.push(s);
    for (const d of graph.get(s) ?? []) visit(d);
    stack.pop();
    state.set(s, 'done');
  };
  for (const s of graph.keys()) visit(s);

  // Record which inputs reach each output, for the loop check of parents.
  const reach = new Map<IrSignal, Set<string>>();
  const inputsOf = (s: IrSignal): Set<string> => {
    const known = reach.get(s);
    if (known) return known;
    const out = new Set<string>();
    reach.set(s, out);
    if (s.kind === 'input') out.add(s.name);
    for (const d of graph.get(s) ?? []) for (const i of inputsOf(d)) out.add(i);
    return out;
  };
  const deps = new Map<string, Set<string>>();
  for (const p of m.ports) if (p.kind === 'output') deps.set(p.name, inputsOf(p));
  portDeps.set(m, deps);
}

export function combPortDeps(m: IrModule): Map<string, Set<string>> {
  return portDeps.get(m) ?? new Map();
}
