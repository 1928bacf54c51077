// Exactly one driver per signal: a process (comb for wires/outputs, sync for registers) or an
// instance output. Inputs have none. A memory is written by at most one process.
import { MultipleDriverError, UndrivenSignalError } from '../errors.ts';
import { allSignals, stmtTargets } from '../walk.ts';
import type { IrMemory, IrModule, IrSignal, SrcLoc } from '../types.ts';

export function checkDrivers(m: IrModule): void {
  const drivers = new Map<IrSignal | IrMemory, SrcLoc[]>();
  const add = (t: IrSignal | IrMemory, loc: SrcLoc) => {
    const list = drivers.get(t) ?? [];
    list.push(loc);
    drivers.set(t, list);
  };
  for (const p of m.processes) for (const t of stmtTargets(p.body)) add(t, p.loc);
  for (const i of m.instances) for (const s of i.outputs.values()) add(s, i.loc);

  for (const s of allSignals(m)) {
    const d = drivers.get(s) ?? [];
    if (s.kind === 'input') continue;
    if (d.length === 0) {
      const how = s.kind === 'reg' || s.isReg ? 'an assignment in m.sync()' : 'an assignment in m.comb()/m.assign() or an instance output';
      throw new UndrivenSignalError(m.name, `${s.kind} '${s.name}'`, `one driver (${how})`, 'none', s.loc);
    }
    if (d.length > 1) {
      throw new MultipleDriverError(m.name, `${s.kind} '${s.name}'`, 'exactly one driver', `${d.length}, at ${d.map((l) => `${l.file}:${l.line}`).join(' and ')}`, d[1]);
    }
  }
  for (const mem of m.memories) {
    const d = drivers.get(mem) ?? [];
    if (d.length === 0) {
      throw new UndrivenSignalError(m.name, `memory '${mem.name}'`, 'a write port (mem.write() in m.sync())', 'none: a memory cannot be initialised', mem.loc);
    }
    if (d.length > 1) {
      throw new MultipleDriverError(m.name, `memory '${mem.name}'`, 'writes from one m.sync() process', `${d.length} processes`, d[1]);
    }
  }
}
