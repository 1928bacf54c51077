// bench/ppa.ts helpers: the figures it takes from a synthesis report (iCE40, OSU018) and the
// Markdown it prints them in.
import type { ParamValue } from '../generator/emit/design.ts';
import type { SynthReport } from '../eda/synth/index.ts';

export interface Ice40Figures {
  fits: boolean;
  device: string;
  lut4: number;
  lc: number | null;
  ffTotal: number;
  ffWrapper: number;
  ffDesign: number;
  carry: number;
  dsp: number;
  bram: number;
  fmax: number | null;
  /** Design output bits: the wrapper captures each through a 2:1 multiplexer (≈ one LUT4). */
  outBits: number;
}

export function ice40Figures(r: SynthReport | null | undefined): Ice40Figures | null {
  const i = r?.ice40;
  if (!i) return null;
  return {
    fits: i.fits,
    device: i.fits ? `${i.device}/${i.package}` : 'too big for iCE40',
    lut4: i.netlist.lut4,
    lc: i.utilisation?.lc.used ?? null,
    ffTotal: i.netlist.ff,
    ffWrapper: i.wrapper.flipFlops,
    // The wrapper's flip-flops (scan + pin registers, counted before optimisation) are in the
    // placed netlist's total; the design's are the rest.
    ffDesign: Math.max(0, i.netlist.ff - i.wrapper.flipFlops),
    carry: i.netlist.carry,
    dsp: i.netlist.dsp,
    bram: i.netlist.ram,
    fmax: i.fmaxMhz,
    outBits: i.wrapper.outputBits,
  };
}

export interface AsicFigures {
  areaUm2: number;
  cells: number;
  ff: number;
  /** Worst register-to-register path (ns; the worst I/O path when there is none) and its Fmax. */
  regNs: number | null;
  regFmax: number | null;
  /**
   * Worst path with the I/O paths (0 ns I/O delays: the block's inputs and outputs registered
   * right outside it, as the iCE40 flow's wrapper does) and its Fmax: the comparable figure.
   */
  worstNs: number | null;
  fmax: number | null;
  memoriesAsFf: number;
  /** Memory instances black-boxed as macros (not in the area). */
  macros: number;
  /** With --place: die area, utilisation and the worst paths with the routed wires. */
  placed: { dieAreaUm2: number; utilisation: number | null; worstNs: number | null; fmax: number | null; regNs: number | null; failedRoutes: number; seconds: number } | null;
}

/** The OSU018 note of a design: memories as flip-flops or as black-boxed macros. */
export function memoryNote(a: AsicFigures | null): string {
  if (!a) return '';
  const parts = [a.macros ? `${a.macros} memory macro${a.macros === 1 ? '' : 's'} not in the area` : '', a.memoriesAsFf ? `${a.memoriesAsFf} ${a.memoriesAsFf === 1 ? 'memory' : 'memories'} as flip-flops` : ''].filter(Boolean);
  return parts.length ? `OSU018: ${parts.join(', ')}` : '';
}

export function asicFigures(r: SynthReport | null | undefined): AsicFigures | null {
  const a = r?.asic;
  if (!a) return null;
  const p = a.placed;
  return {
    areaUm2: a.areaUm2,
    cells: a.cells,
    ff: a.flipFlops,
    regNs: a.worstPathNs,
    regFmax: a.fmaxMHz,
    worstNs: a.worstConstrainedPathNs ?? a.worstPathNs,
    fmax: a.constrainedFmaxMHz ?? a.fmaxMHz,
    memoriesAsFf: a.memoriesAsFlipFlops.length,
    macros: (a.macros ?? []).reduce((n, m) => n + m.instances.length, 0),
    placed: p
      ? { dieAreaUm2: p.dieAreaUm2, utilisation: p.utilisation, worstNs: p.worstConstrainedPathNs ?? p.worstPathNs, fmax: p.constrainedFmaxMHz ?? p.fmaxMHz, regNs: p.worstPathNs, failedRoutes: p.failedRoutes, seconds: p.seconds }
      : null,
  };
}

/** One progress line for a finished run. */
export function summary(r: SynthReport): string {
  if (r.target === 'generic') return `${r.generic!.cells} cells, ${r.generic!.flipFlops} FFs`;
  if (r.target === 'asic') {
    const a = asicFigures(r)!;
    const p = a.placed ? `; routed: die ${fmt(a.placed.dieAreaUm2)} um2, worst ${fmt(a.placed.worstNs, 3)} ns` : '';
    return `${fmt(a.areaUm2)} um2, ${a.cells} cells, worst path ${fmt(a.worstNs, 3)} ns (reg-to-reg ${fmt(a.regNs, 3)} ns)${p}`;
  }
  const f = ice40Figures(r)!;
  return f.fits ? `${f.device}: ${f.lut4} LUT4, ${f.ffDesign}+${f.ffWrapper} FF, ${f.dsp} DSP, ${f.bram} BRAM, Fmax ${f.fmax ?? '-'} MHz` : `too big for iCE40 (${f.lut4} LUT4 synthesised)`;
}

export const fmt = (n: number | null | undefined, digits = 0) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : digits ? n.toFixed(digits) : String(Number(n.toFixed(0))));

export function table(head: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const a = align ?? head.map((_, i) => (i === 0 ? 'l' : 'r'));
  const sep = a.map((x) => (x === 'l' ? ':--' : '--:'));
  return [head, sep, ...rows.map((r) => r.map(String))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export const paramText = (p: Record<string, ParamValue>) => Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(', ') || 'defaults';
