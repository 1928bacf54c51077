// The Icarus testbench of a module: view model computed here, printed by
// templates/sim/tb.v.hbs. It follows the Verilator harness's protocol exactly.
import { render } from '../../generator/emit/templates.ts';
import type { Layout, LayoutPort } from '../stimulus/layout.ts';
import { RESET_CYCLES } from '../verilator/harness.ts';

/** Module name of the generated testbench. */
export const TB_TOP = 'dcgen_tb';

function decl(name: string, width: number): string {
  return width === 1 ? name : `[${width - 1}:0] ${name}`;
}

function portView(p: LayoutPort) {
  return { port: p.port, offset: p.offset, words: p.words, msb: p.width - 1 };
}

/** Output stream fields also get a register holding the payload offered while not ready. */
function heldFieldView(p: LayoutPort, stream: number, i: number) {
  const held = `_k${stream}_h${i}`;
  return { ...portView(p), held, decl: decl(held, p.width) };
}

export function tbView(layout: Layout) {
  const regs: string[] = [];
  const wires: string[] = [];
  const connections: string[] = [];
  if (layout.hasClock) {
    regs.push('clk', 'rst');
    connections.push('clk', 'rst');
  }
  for (const s of layout.inStreams) {
    regs.push(s.valid, ...s.fields.map((f) => decl(f.port, f.width)));
    wires.push(s.ready);
    connections.push(s.valid, s.ready, ...s.fields.map((f) => f.port));
  }
  for (const s of layout.outStreams) {
    wires.push(s.valid, ...s.fields.map((f) => decl(f.port, f.width)));
    regs.push(s.ready);
    connections.push(s.valid, s.ready, ...s.fields.map((f) => f.port));
  }
  for (const p of layout.tablePorts) {
    regs.push(decl(p.port, p.width));
    connections.push(p.port);
  }
  for (const p of layout.samplePorts) {
    wires.push(decl(p.port, p.width));
    connections.push(p.port);
  }
  const allWords = [...layout.inStreams.flatMap((s) => s.fields), ...layout.tablePorts].map((p) => p.words);
  const streamView = (s: Layout['inStreams'][number]) => ({ index: s.index, name: s.name, valid: s.valid, ready: s.ready, words: s.words, fields: s.fields.map(portView) });
  return {
    top: layout.top,
    layoutHashHex: layout.hash.toString(16).padStart(8, '0'),
    nIn: layout.inStreams.length,
    nOut: layout.outStreams.length,
    tableWords: layout.tableWords,
    resetCycles: RESET_CYCLES,
    hasClock: layout.hasClock,
    wbufMsb: 32 * Math.max(1, ...allWords) - 1,
    regs,
    wires,
    connections: connections.map((port, i) => ({ port, sep: i === connections.length - 1 ? '' : ',' })),
    inStreams: layout.inStreams.map(streamView),
    outStreams: layout.outStreams.map((s) => ({ ...streamView(s), fields: s.fields.map((f, i) => heldFieldView(f, s.index, i)) })),
    tablePorts: layout.tablePorts.map(portView),
    samplePorts: layout.samplePorts.map(portView),
    zeroPorts: [...layout.inStreams.flatMap((s) => [s.valid, ...s.fields.map((f) => f.port)]), ...layout.outStreams.map((s) => s.ready), ...layout.tablePorts.map((p) => p.port)],
  };
}

/** Verilog-2005 source of the testbench for `layout` (module `dcgen_tb`). */
export function renderTestbench(layout: Layout): string {
  return render('sim/tb.v.hbs', tbView(layout));
}
