// Combinational loops. Each combinationally driven signal depends on what its comb process
// reads on the paths that assign it, and each instance output on the child's inputs that
// reach it combinationally. Registers and memories break paths. A cycle is reported with
// every signal on it.
//
// A checked module records its port dependencies in its IR (`combDeps`), so a parent's pass
// reads its children's instead of re-deriving them; a module not checked yet (a hand-built IR)
// has them computed by the LoopContext of the run that needs them, once per run.
import { CombinationalLoopError } from '../errors.ts';
import { exprSignals, project, stmtExprs, stmtTargets } from '../walk.ts';
import type { IrModule, IrSignal } from '../types.ts';

/** For a module: each output port → the input ports it depends on combinationally. */
export type PortDeps = Map<string, Set<string>>;

/**
 * The state of one run of the loop pass, passed explicitly: the port dependencies of every
 * module met so far (the checked module and its children, recursively), computed on demand.
 */
export class LoopContext {
  private readonly deps = new Map<IrModule, PortDeps>();

  /** Which inputs of `m` reach each of its outputs combinationally. */
  portDeps(m: IrModule): ReadonlyMap<string, ReadonlySet<string>> {
    if (m.combDeps) return m.combDeps;
    let d = this.deps.get(m);
    if (!d) {
      d = outputDeps(m, combGraph(m, this));
      this.deps.set(m, d);
    }
    return d;
  }
}

function combGraph(m: IrModule, ctx: LoopContext): Map<IrSignal, Set<IrSignal>> {
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
    const childDeps = ctx.portDeps(inst.module);
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

/** Which inputs reach each output through `graph` (cycles, if any, are cut, not reported). */
function outputDeps(m: IrModule, graph: Map<IrSignal, Set<IrSignal>>): PortDeps {
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
  const deps: PortDeps = new Map();
  for (const p of m.ports) if (p.kind === 'output') deps.set(p.name, inputsOf(p));
  return deps;
}

/**
 * Throws CombinationalLoopError on a cycle; otherwise records the module's port dependencies in
 * `m.combDeps`. `ctx` holds the state of this run (a fresh one by default).
 */
export function checkLoops(m: IrModule, ctx: LoopContext = new LoopContext()): void {
  const graph = combGraph(m, ctx);
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
  m.combDeps = outputDeps(m, graph);
}

/** Which inputs reach each output of `m` combinationally (computed from its IR and its children's). */
export function combPortDeps(m: IrModule, ctx: LoopContext = new LoopContext()): ReadonlyMap<string, ReadonlySet<string>> {
  return ctx.portDeps(m);
}
