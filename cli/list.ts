// `dcgen list [--json]`: the registered designs with their parameters.
import { designs } from '../generator/designs/index.ts';
import type { DesignDef } from '../generator/designs/registry.ts';
import type { ParamSpec } from '../generator/params/schema.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import type { Io } from './common.ts';

export const listSpec: CommandSpec = {
  name: 'list',
  summary: 'List the designs and their parameters (default, range or values, meaning).',
  positionals: [],
  options: [{ name: 'json', help: 'print a JSON array of {name, description, params: [{name, kind, default, min?, max?, values?, doc}]}' }],
};

export type ListedParam =
  | { name: string; kind: 'int'; default: number; min: number; max: number; doc: string }
  | { name: string; kind: 'enum'; default: string; values: string[]; doc: string }
  | { name: string; kind: 'bool'; default: boolean; doc: string }
  | { name: string; kind: 'ident'; default: string; doc: string };

export interface ListedDesign {
  name: string;
  description: string;
  params: ListedParam[];
}

function listParam(name: string, s: ParamSpec): ListedParam {
  switch (s.kind) {
    case 'int':
      return { name, kind: 'int', default: s.default, min: s.min, max: s.max, doc: s.doc };
    case 'enum':
      return { name, kind: 'enum', default: s.default, values: [...s.values], doc: s.doc };
    case 'bool':
      return { name, kind: 'bool', default: s.default, doc: s.doc };
    case 'ident':
      return { name, kind: 'ident', default: s.default, doc: s.doc };
  }
}

export function describeDesign(d: DesignDef): ListedDesign {
  return { name: d.name, description: d.description, params: Object.entries(d.params).map(([n, s]) => listParam(n, s)) };
}

function allowed(p: ListedParam): string {
  switch (p.kind) {
    case 'int':
      return `integer ${p.min}..${p.max}`;
    case 'enum':
      return p.values.join(' | ');
    case 'bool':
      return 'true | false';
    case 'ident':
      return 'Verilog identifier';
  }
}

export function formatDesignList(list: ListedDesign[]): string {
  const out: string[] = [];
  for (const d of list) {
    if (out.length) out.push('');
    out.push(`${d.name}  ${d.description}`);
    const rows = d.params.map((p) => [p.name, `= ${String(p.default)}`, allowed(p), p.doc]);
    const w = [0, 1, 2].map((c) => Math.max(0, ...rows.map((r) => r[c].length)));
    for (const r of rows) out.push(`    ${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`.trimEnd());
    if (rows.length === 0) out.push('    (no parameters)');
  }
  if (list.length === 0) out.push('(no designs registered)');
  return out.join('\n') + '\n';
}

export async function runList(args: ParsedArgs, io: Io): Promise<number> {
  const list = designs.map(describeDesign);
  io.out(args.flags.has('json') ? JSON.stringify(list, null, 2) : formatDesignList(list));
  return 0;
}
