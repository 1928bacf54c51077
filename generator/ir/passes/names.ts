// Identifier legalisation. Names were checked for shape when declared; here internal names
// that collide with a Verilog/SystemVerilog keyword get a stable `_v` suffix (then `_v2`, ...
// if that is taken), while ports and module names, which are interfaces, are rejected.
import { IdentifierError } from '../errors.ts';
import { VERILOG_KEYWORDS } from '../keywords.ts';
import type { IrModule } from '../types.ts';

export function legaliseNames(m: IrModule): void {
  if (VERILOG_KEYWORDS.has(m.name)) {
    throw new IdentifierError(m.name, 'module name', 'a name that is not a Verilog keyword', `'${m.name}'`, m.loc);
  }
  for (const p of m.ports) {
    if (VERILOG_KEYWORDS.has(p.name)) {
      throw new IdentifierError(m.name, `port '${p.name}'`, 'a port name that is not a Verilog keyword', `the keyword '${p.name}'`, p.loc);
    }
  }
  const taken = new Set<string>([...m.ports.map((p) => p.name), ...m.signals.map((s) => s.name), ...m.memories.map((x) => x.name), ...m.instances.map((i) => i.name), 'clk', 'rst']);
  const rename = (item: { name: string }) => {
    if (!VERILOG_KEYWORDS.has(item.name)) return;
    let candidate = `${item.name}_v`;
    for (let n = 2; taken.has(candidate); n++) candidate = `${item.name}_v${n}`;
    taken.add(candidate);
    item.name = candidate;
  };
  for (const s of m.signals) rename(s);
  for (const x of m.memories) rename(x);
  for (const i of m.instances) rename(i);
}
