// The files a sweep writes: one CSV row per point and an SVG chart of area (and, for iCE40,
// Fmax; for ASIC, the worst path and Fmax) against the varied parameter.
//
// Columns: cells / flip_flops are generic Yosys cells (target generic, and ice40 when the design
// fits no iCE40) or the standard cells of the mapped netlist (target asic); fmax_mhz is the
// iCE40 post-route Fmax or the ASIC 1000 / worst path; asic_area_um2 and asic_worst_path_ns are
// the Liberty area and the OpenSTA worst path (register to register when there is one).
import type { SynthTarget } from './report.ts';
import type { SweepMetrics, SweepPoint } from './sweep.ts';
// CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled)

export const CSV_METRIC_COLUMNS = ['status', 'error', 'cells', 'flip_flops', 'ice40_device', 'ice40_lc', 'ice40_lut4', 'ice40_ff', 'ice40_dsp', 'ice40_bram', 'fmax_mhz', 'asic_area_um2', 'asic_worst_path_ns', 'dir'];
/** Which sweep a row belongs to (the same in every row): what `sweep --merge` checks. */
export const CSV_SWEEP_COLUMNS = ['design', 'target', 'sweep_hash', 'sweep_points'];

/** The sweep a CSV's rows belong to. */
export interface SweepInfo {
  design: string;
  target: SynthTarget;
  /** The sweep's hash (10 hex digits, as in the file name). */
  hash: string;
  /** Points in the whole sweep (not only this share). */
  total: number;
}

export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sweepCsv(names: string[], points: SweepPoint[], sweep: SweepInfo): string {
  const header = ['point', ...names, ...CSV_METRIC_COLUMNS, ...CSV_SWEEP_COLUMNS];
  const rows = points.map((p) => {
    const m = p.metrics;
    return [p.index, ...names.map((n) => p.params[n]), p.ok ? 'ok' : 'failed', p.error, m.cells, m.flipFlops, m.device, m.lc, m.lut4, m.ff, m.dsp, m.bram, m.fmaxMhz, m.areaUm2, m.worstPathNs, p.dir, sweep.design, sweep.target, sweep.hash, sweep.total];
  });
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// SVG: one panel per metric, sharing the x axis (the varied parameter, or the points in order
// when several parameters vary or the values are not numbers). Hand-written, no dependencies.

interface ChartInput {
  design: string;
  target: SynthTarget;
  names: string[];
  points: SweepPoint[];
  /** A share of a sharded sweep: named in the subtitle with the sweep's point count. */
  shard?: { k: number; n: number };
  total?: number;
}

interface Metric {
  key: keyof SweepMetrics;
  label: string;
  color: string;
}

export function chartMetrics(target: SynthTarget): Metric[] {
  if (target === 'asic') {
    return [
      { key: 'areaUm2', label: 'area: standard cells (µm², Liberty)', color: '#1f77b4' },
      { key: 'worstPathNs', label: 'worst path (ns, OpenSTA)', color: '#9467bd' },
      { key: 'fmaxMhz', label: 'Fmax = 1000 / worst path (MHz)', color: '#d62728' },
    ];
  }
  return target === 'ice40'
    ? [
        { key: 'lc', label: 'area: iCE40 logic cells (ICESTORM_LC)', color: '#1f77b4' },
        { key: 'fmaxMhz', label: 'Fmax after place and route (MHz)', color: '#d62728' },
      ]
    : [
        { key: 'cells', label: 'area: cells after Yosys synth', color: '#1f77b4' },
        { key: 'flipFlops', label: 'flip-flops', color: '#2ca02c' },
      ];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 0 .. a round maximum ≥ max, with about five ticks. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
}

export function sweepSvg(c: ChartInput): string {
  const W = 680;
  const PANEL_H = 250;
  const TOP = 56;
  const L = 80;
  const R = 24;
  const PLOT_H = 170;
  const metrics = chartMetrics(c.target);
  const H = TOP + metrics.length * PANEL_H;
  const numericX = c.names.length === 1 && c.points.every((p) => typeof p.params[c.names[0]] === 'number');
  const raw = c.points.map((p, i) => (numericX ? (p.params[c.names[0]] as number) : i));
  // Values spanning a factor of 8 or more (n = 2, 4, 8, 16...) are spread on a log2 axis.
  const logX = numericX && raw.every((v) => v > 0) && Math.max(...raw) / Math.min(...raw) >= 8;
  const xs = logX ? raw.map((v) => Math.log2(v)) : raw;
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const pad = numericX ? 20 : 60; // room for the first and last tick labels
  const xPos = (x: number) => (xMax === xMin ? (L + W - R) / 2 : L + pad + ((x - xMin) / (xMax - xMin)) * (W - R - L - 2 * pad));
  const xLabel = (p: SweepPoint) => (numericX ? String(p.params[c.names[0]]) : c.names.map((n) => `${n}=${String(p.params[n])}`).join(' '));
  const failed = c.points.filter((p) => !p.ok);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(`${c.design}: ${c.target} synthesis sweep`)}</text>`);
  out.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(`x: ${numericX ? c.names[0] : c.names.join(', ')}${logX ? ' (log scale)' : ''}; ${c.points.length} point(s)${c.shard ? ` (share ${c.shard.k}/${c.shard.n} of ${c.total ?? '?'})` : ''}${failed.length ? `, ${failed.length} failed (x on the axis)` : ''}`)}</text>`);
  metrics.forEach((m, k) => {
    const y0 = TOP + k * PANEL_H + 30;
    const yBase = y0 + PLOT_H;
    const vals = c.points.map((p) => p.metrics[m.key]).filter((v): v is number => typeof v === 'number');
    const ticks = niceTicks(vals.length ? Math.max(...vals) : 0);
    const yTop = ticks[ticks.length - 1];
    const yPos = (v: number) => yBase - (v / yTop) * PLOT_H;
    out.push(`<g class="panel" data-metric="${esc(String(m.key))}">`);
    out.push(`<text x="${L}" y="${y0 - 14}" font-weight="bold" fill="${m.color}">${esc(m.label)}</text>`);
    for (const t of ticks) {
      const y = yPos(t).toFixed(1);
      out.push(`<line x1="${L}" y1="${y}" x2="${W - R}" y2="${y}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${L - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#555">${esc(num(t))}</text>`);
    }
    out.push(`<line x1="${L}" y1="${yBase}" x2="${W - R}" y2="${yBase}" stroke="#333"/>`);
    out.push(`<line x1="${L}" y1="${y0}" x2="${L}" y2="${yBase}" stroke="#333"/>`);
    c.points.forEach((p, i) => {
      const x = xPos(xs[i]).toFixed(1);
      out.push(`<line x1="${x}" y1="${yBase}" x2="${x}" y2="${yBase + 4}" stroke="#333"/>`);
      out.push(`<text x="${x}" y="${yBase + 17}" text-anchor="middle" fill="#333" font-size="${numericX ? 12 : 10}">${esc(xLabel(p))}</text>`);
    });
    const series = c.points
      .map((p, i) => ({ x: xs[i], v: p.metrics[m.key] }))
      .filter((s): s is { x: number; v: number } => typeof s.v === 'number')
      .sort((a, b) => a.x - b.x);
    if (series.length > 1) {
      out.push(`<polyline fill="none" stroke="${m.color}" stroke-width="2" points="${series.map((s) => `${xPos(s.x).toFixed(1)},${yPos(s.v).toFixed(1)}`).join(' ')}"/>`);
    }
    for (const s of series) {
      const x = xPos(s.x).toFixed(1);
      const y = yPos(s.v).toFixed(1);
      out.push(`<circle cx="${x}" cy="${y}" r="4" fill="${m.color}"><title>${esc(`${num(s.v)}`)}</title></circle>`);
      if (c.points.length <= 16) out.push(`<text x="${x}" y="${(yPos(s.v) - 9).toFixed(1)}" text-anchor="middle" font-size="11" fill="${m.color}">${esc(num(s.v))}</text>`);
    }
    c.points.forEach((p, i) => {
      if (typeof p.metrics[m.key] === 'number') return;
      const x = xPos(xs[i]);
      out.push(`<path d="M${(x - 5).toFixed(1)},${yBase - 5} l10,10 m0,-10 l-10,10" stroke="#d00" stroke-width="2"><title>${esc(p.ok ? 'no value for this metric' : `failed: ${p.error ?? ''}`)}</title></path>`);
    });
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
