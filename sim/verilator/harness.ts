// The C++ harness of a module: a view model computed here from the Layout, printed by
// templates/sim/harness.cpp.hbs. See the template header for its command line.
import { render } from '../../generator/emit/templates.ts';
import type { Layout, LayoutPort } from '../stimulus/layout.ts';

export const HARNESS_TEMPLATE = 'sim/harness.cpp.hbs';

/** Reset cycles (rst high, every valid and ready low) before cycle 0. */
export const RESET_CYCLES = 4;

/** Harness exit code when the cycle limit is reached before the run completes. */
export const EXIT_CYCLE_LIMIT = 3;

interface PortView {
  port: string;
  offset: number;
  /** Index (in the record buffer) of the port's most significant word, and its mask. */
  maskWord: number;
  mask: string;
  /** Index of the most significant word within the port's own words. */
  lastWord: number;
}

function topMask(width: number): string {
  const bits = width % 32 === 0 ? 32 : width % 32;
  return `0x${(bits === 32 ? 0xffffffff : (1 << bits) - 1 >>> 0).toString(16)}u`;
}

function portView(p: LayoutPort): PortView {
  return { port: p.port, offset: p.offset, maskWord: p.offset + p.words - 1, mask: topMask(p.width), lastWord: p.words - 1 };
}

export function harnessView(layout: Layout) {
  const streamView = (s: Layout['inStreams'][number]) => ({
    index: s.index,
    name: s.name,
    valid: s.valid,
    ready: s.ready,
    words: s.words,
    fields: s.fields.map(portView),
  });
  const allPorts: LayoutPort[] = [...[...layout.inStreams, ...layout.outStreams].flatMap((s) => s.fields), ...layout.tablePorts, ...layout.samplePorts];
  const maxBeat = Math.max(0, ...layout.outStreams.map((s) => s.words));
  return {
    top: layout.top,
    layoutHash: `0x${layout.hash.toString(16).padStart(8, '0')}u`,
    hasClock: layout.hasClock,
    resetCycles: RESET_CYCLES,
    nIn: layout.inStreams.length,
    nOut: layout.outStreams.length,
    tableWords: layout.tableWords,
    sampleWords: layout.sampleWords,
    maxPortWords: Math.max(1, ...allPorts.map((p) => p.words)),
    bufWords: Math.max(1, maxBeat, layout.sampleWords),
    inStreams: layout.inStreams.map(streamView),
    outStreams: layout.outStreams.map(streamView),
    tablePorts: layout.tablePorts.map(portView),
    samplePorts: layout.samplePorts.map(portView),
    // Every input but clk/rst, set to zero before reset.
    zeroPorts: [...layout.inStreams.flatMap((s) => [s.valid, ...s.fields.map((f) => f.port)]), ...layout.outStreams.map((s) => s.ready), ...layout.tablePorts.map((p) => p.port)],
  };
}

/** C++ source of the harness for `layout` (the Verilated class is always `Vdut`). */
export function renderHarness(layout: Layout): string {
  return render(HARNESS_TEMPLATE, harnessView(layout));
}
