// bench/ppa.ts: the pipeline-parameter sweep. Designs whose register levels are a parameter, at
// every value, on both targets (OSU018: area and worst path; iCE40: LUT4 and Fmax after place
// and route), written as a CSV and an SVG of Fmax against latency and against area.
import type { DesignDef } from '../generator/designs/registry.ts';
import type { ParamValue } from '../generator/emit/design.ts';
import { type AsicFigures, type Ice40Figures, fmt, table } from './ppa-figures.ts';

export interface PipelineSeries {
  design: DesignDef;
  /** The register-level parameter swept, and its values. */
  param: string;
  values: number[];
  /** Parameters held (the rest at defaults). */
  fixed: Record<string, ParamValue>;
  /** Cycles from an input accepted to its result on the output, per value of `param`. */
  latency: (value: number) => number;
  /** The series' name in the chart and the tables. */
  label: string;
}

export interface PipelinePoint {
  series: PipelineSeries;
  value: number;
  latency: number;
  asic: AsicFigures | null;
  ice40: Ice40Figures | null;
  /** "asic failed: ..." when a run failed. */
  note: string;
}

export const pipelineParams = (s: PipelineSeries, v: number): Record<string, ParamValue> => ({ ...s.fixed, [s.param]: v });

const CSV_HEAD = ['design', 'series', 'param', 'value', 'latency_cycles', 'asic_area_um2', 'asic_cells', 'asic_ff', 'asic_worst_path_ns', 'asic_fmax_mhz', 'asic_reg_path_ns', 'ice40_device', 'ice40_lut4', 'ice40_ff_design', 'ice40_bram', 'ice40_fmax_mhz', 'note'];

export function pipelineCsv(points: PipelinePoint[]): string {
  const q = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = points.map((p) => {
    const a = p.asic;
    const i = p.ice40;
    return [p.series.design.name, p.series.label, p.series.param, p.value, p.latency, a?.areaUm2, a?.cells, a?.ff, a?.worstNs, a?.fmax, a?.regNs, i?.device, i?.lut4, i?.fits ? i.ffDesign : null, i?.fits ? i.bram : null, i?.fits ? i.fmax : null, p.note];
  });
  return [CSV_HEAD, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
}

export function pipelineTable(points: PipelinePoint[]): string {
  const rows = points.map((p) => [
    p.series.label,
    `${p.series.param} = ${p.value}`,
    p.latency,
    fmt(p.asic?.areaUm2),
    fmt(p.asic?.ff),
    fmt(p.asic?.worstNs, 3),
    fmt(p.asic?.fmax, 1),
    fmt(p.ice40?.lut4),
    p.ice40?.fits ? p.ice40.ffDesign : '-',
    p.ice40?.fits ? fmt(p.ice40.fmax, 2) : '-',
    p.note,
  ]);
  return table(['design', 'point', 'latency (cycles)', 'OSU018 area µm²', 'OSU018 FFs', 'OSU018 worst path ns', 'OSU018 Fmax MHz', 'iCE40 LUT4', 'iCE40 FF design', 'iCE40 Fmax MHz', 'note'], rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']);
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2));

/** Round ticks from at most `min` to at least `max` (about five), so the points fill the panel. */
function ticks(min: number, max: number): number[] {
  if (!(max > min)) return max > 0 ? [0, max * 1.25] : [0, 1];
  const raw = (max - min) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.floor(min / step) * step; v < max + step * 0.999; v += step) out.push(Number(v.toPrecision(12)));
  return out.length > 1 ? out : [out[0]!, out[0]! + step];
}

interface Panel {
  title: string;
  xLabel: string;
  x: (p: PipelinePoint) => number | null | undefined;
  y: (p: PipelinePoint) => number | null | undefined;
}

/** Fmax against latency (left) and against area (right), OSU018 above, iCE40 below; one line per design. Axes do not start at 0. */
export function pipelineSvg(points: PipelinePoint[], subtitle: string): string {
  const panels: Panel[] = [
    { title: 'OSU018: Fmax (MHz) vs latency', xLabel: 'latency (cycles)', x: (p) => p.latency, y: (p) => p.asic?.fmax },
    { title: 'OSU018: Fmax (MHz) vs area', xLabel: 'area (µm², standard cells)', x: (p) => p.asic?.areaUm2, y: (p) => p.asic?.fmax },
    { title: 'iCE40: Fmax (MHz) vs latency', xLabel: 'latency (cycles)', x: (p) => (p.ice40?.fits ? p.latency : null), y: (p) => (p.ice40?.fits ? p.ice40.fmax : null) },
    { title: 'iCE40: Fmax (MHz) vs area', xLabel: 'area (LUT4)', x: (p) => (p.ice40?.fits ? p.ice40.lut4 : null), y: (p) => (p.ice40?.fits ? p.ice40.fmax : null) },
  ];
  const series = [...new Set(points.map((p) => p.series))];
  const PW = 380;
  const PH = 270;
  const TOP = 60;
  const LEGEND = 24 + 18 * series.length;
  const W = 2 * PW;
  const H = TOP + 2 * PH + LEGEND;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Pipeline depth: Fmax against latency and area</text>`);
  out.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(subtitle)}</text>`);
  panels.forEach((pn, k) => {
    const ox = (k % 2) * PW;
    const oy = TOP + Math.floor(k / 2) * PH;
    const L = ox + 62;
    const R = ox + PW - 34;
    const T = oy + 28;
    const B = oy + PH - 46;
    const pts = points.map((p) => ({ p, x: pn.x(p), y: pn.y(p) })).filter((v): v is { p: PipelinePoint; x: number; y: number } => typeof v.x === 'number' && typeof v.y === 'number');
    const xt = pts.length ? ticks(Math.min(...pts.map((v) => v.x)), Math.max(...pts.map((v) => v.x))) : [0, 1];
    const yt = pts.length ? ticks(Math.min(...pts.map((v) => v.y)), Math.max(...pts.map((v) => v.y))) : [0, 1];
    const [x0, x1, y0, y1] = [xt[0]!, xt[xt.length - 1]!, yt[0]!, yt[yt.length - 1]!];
    const xPos = (x: number) => L + ((x - x0) / (x1 - x0)) * (R - L);
    const yPos = (y: number) => B - ((y - y0) / (y1 - y0)) * (B - T);
    out.push(`<g class="panel" data-panel="${k}">`);
    out.push(`<text x="${L}" y="${oy + 16}" font-weight="bold">${esc(pn.title)}</text>`);
    for (const t of yt) {
      out.push(`<line x1="${L}" y1="${yPos(t).toFixed(1)}" x2="${R}" y2="${yPos(t).toFixed(1)}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${L - 6}" y="${yPos(t).toFixed(1)}" text-anchor="end" dominant-baseline="middle" fill="#555">${esc(num(t))}</text>`);
    }
    for (const t of xt) out.push(`<text x="${xPos(t).toFixed(1)}" y="${B + 16}" text-anchor="middle" fill="#555">${esc(num(t))}</text>`);
    out.push(`<line x1="${L}" y1="${B}" x2="${R}" y2="${B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${B}" stroke="#333"/>`);
    out.push(`<text x="${(L + R) / 2}" y="${B + 34}" text-anchor="middle" fill="#333">${esc(pn.xLabel)}</text>`);
    series.forEach((s, si) => {
      const mine = pts.filter((v) => v.p.series === s).sort((a, b) => a.p.value - b.p.value);
      const c = COLORS[si % COLORS.length];
      if (mine.length > 1) out.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${mine.map((v) => `${xPos(v.x).toFixed(1)},${yPos(v.y).toFixed(1)}`).join(' ')}"/>`);
      for (const v of mine) {
        out.push(`<circle cx="${xPos(v.x).toFixed(1)}" cy="${yPos(v.y).toFixed(1)}" r="4" fill="${c}"><title>${esc(`${s.label} ${s.param}=${v.p.value}: ${num(v.y)} MHz`)}</title></circle>`);
        out.push(`<text x="${(xPos(v.x) + 6).toFixed(1)}" y="${(yPos(v.y) - 6).toFixed(1)}" font-size="10" fill="${c}">${v.p.value}</text>`);
      }
    });
    out.push('</g>');
  });
  series.forEach((s, si) => {
    const y = TOP + 2 * PH + 14 + 18 * si;
    out.push(`<circle cx="70" cy="${y}" r="4" fill="${COLORS[si % COLORS.length]}"/><text x="82" y="${y}" dominant-baseline="middle">${esc(`${s.label}: ${s.param} = ${s.values.join(', ')} (point labels)`)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
