// Parameter sweeps: generate and synthesise every point of the cross product of the varied
// parameters (up to `jobs` at once), then write one CSV row per point and an SVG chart of
// area (and, for iCE40, Fmax) against the varied parameter. A point that fails is recorded
// with its error and the sweep goes on; a missing tool stops the sweep (every point would fail).
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DesignDef } from '../../generator/designs/registry.ts';
import { canonicalJson, type ParamValue } from '../../generator/emit/design.ts';
import { resolveParams } from '../../generator/params/schema.ts';
import { ToolMissingError } from '../tools/errors.ts';
import { DcgenError } from '../../generator/errors.ts';
import { SweepOptionError } from './errors.ts';
import { writeFileAtomic, type SynthReport, type SynthTarget } from './report.ts';
import type { SynthEngine } from './run.ts';
import { synthesize } from './synthesize.ts';

export interface SweepOptions {
  design: DesignDef;
  /** Parameter name → the values to try. The points are the cross product, first key slowest. */
  vary: Record<string, (number | boolean | string)[]>;
  target: SynthTarget;
  /** Points run at once (≥ 1). */
  jobs: number;
  /** Where the CSV and SVG go. */
  outDir: string;
  /** Generate the design for one point's parameters (varied + `fixed`); returns its folder. */
  generate: (params: Record<string, ParamValue>) => Promise<string>;
  /** Parameters held at one value for every point (the design's defaults fill the rest). */
  fixed?: Record<string, ParamValue>;
  engine?: SynthEngine;
  dsp?: boolean;
  freqMhz?: number;
  timeoutMs?: number;
  /** One line per finished point ("[2/3] n=4: cells 120, FFs 12"). */
  onProgress?: (line: string) => void;
}

export interface SweepMetrics {
  cells: number | null;
  flipFlops: number | null;
  device: string | null;
  lc: number | null;
  lut4: number | null;
  ff: number | null;
  dsp: number | null;
  bram: number | null;
  fmaxMhz: number | null;
}

export interface SweepPoint {
  index: number;
  /** The varied parameters' values at this point. */
  params: Record<string, ParamValue>;
  ok: boolean;
  error: string | null;
  dir: string | null;
  report: SynthReport | null;
  metrics: SweepMetrics;
}

export interface SweepResult {
  design: string;
  target: SynthTarget;
  csvPath: string;
  svgPath: string;
  points: SweepPoint[];
  failed: number;
}

/** A point of the sweep breaks a parameter rule; the sweep runs none of its points. */
export class SweepPointError extends SweepOptionError {
  constructor(design: string, index: number, total: number, point: string, why: string) {
    const label = point.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1)); // one line
    super(`sweep of ${design}: point ${index + 1} of ${total} (${label}) is invalid, so no point was run: ${why}`);
  }
}

const NO_METRICS: SweepMetrics = { cells: null, flipFlops: null, device: null, lc: null, lut4: null, ff: null, dsp: null, bram: null, fmaxMhz: null };

export function metricsOf(r: SynthReport): SweepMetrics {
  const i = r.ice40;
  return {
    cells: r.generic?.cells ?? null,
    flipFlops: r.generic?.flipFlops ?? null,
    device: i?.device ? `${i.device}/${i.package}` : i ? 'none' : null,
    lc: i?.utilisation?.lc.used ?? null,
    lut4: i?.fits ? i.netlist.lut4 : null,
    ff: i?.fits ? i.netlist.ff : null,
    dsp: i?.utilisation?.dsp.used ?? null,
    bram: i?.utilisation?.ram.used ?? null,
    fmaxMhz: i?.fmaxMhz ?? null,
  };
}

/** The cross product of `vary`, first key slowest. */
export function crossProduct(vary: Record<string, (number | boolean | string)[]>): Record<string, ParamValue>[] {
  let out: Record<string, ParamValue>[] = [{}];
  for (const [k, values] of Object.entries(vary)) {
    out = out.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  }
  return out;
}

function pointLabel(p: Record<string, ParamValue>): string {
  return Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

async function pool<T>(n: number, jobs: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < n && failure === undefined) {
      const i = next++;
      try {
        out[i] = await fn(i);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, n) }, worker));
  if (failure !== undefined) throw failure;
  return out;
}

export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const names = Object.keys(opts.vary);
  if (names.length === 0) throw new SweepOptionError('sweep: expected at least one parameter to vary');
  for (const k of names) {
    if (!Object.hasOwn(opts.design.params, k)) {
      throw new SweepOptionError(`sweep of ${opts.design.name}: unknown parameter '${k}'; expected one of: ${Object.keys(opts.design.params).join(', ')}`);
    }
    if (!Array.isArray(opts.vary[k]) || opts.vary[k].length === 0) throw new SweepOptionError(`sweep of ${opts.design.name}: parameter '${k}' has no values to try`);
    if (opts.fixed && Object.hasOwn(opts.fixed, k)) throw new SweepOptionError(`sweep of ${opts.design.name}: parameter '${k}' is both varied and fixed`);
  }
  if (!Number.isInteger(opts.jobs) || opts.jobs < 1) throw new SweepOptionError(`sweep: --jobs ${opts.jobs}: expected an integer of at least 1`);
  const engine = opts.engine ?? 'native';
  const combos = crossProduct(opts.vary);
  // Every point is validated (ranges, plain-decimal integers, the design's cross-parameter rules)
  // before any is generated: one invalid point refuses the whole sweep, nothing run or written.
  combos.forEach((params, i) => {
    try {
      const resolved = resolveParams(opts.design.name, opts.design.params, { ...(opts.fixed ?? {}), ...params });
      opts.design.check?.(resolved);
    } catch (e) {
      if (e instanceof DcgenError) throw new SweepPointError(opts.design.name, i, combos.length, pointLabel(params), e.message);
      throw e;
    }
  });
  let done = 0;
  const points = await pool(combos.length, opts.jobs, async (index): Promise<SweepPoint> => {
    const params = combos[index];
    let dir: string | null = null;
    try {
      const all = { ...(opts.fixed ?? {}), ...params };
      dir = await opts.generate(all);
      const report = await synthesize(dir, { target: opts.target, engine, dsp: opts.dsp, freqMhz: opts.freqMhz, timeoutMs: opts.timeoutMs });
      const metrics = metricsOf(report);
      done++;
      const what = opts.target === 'ice40' ? (report.ice40?.fits ? `${metrics.lc} LCs, Fmax ${metrics.fmaxMhz} MHz` : `fits no iCE40; ${metrics.cells} cells`) : `${metrics.cells} cells, ${metrics.flipFlops} FFs`;
      opts.onProgress?.(`[${done}/${combos.length}] ${pointLabel(params)}: ${what}`);
      return { index, params, ok: true, error: null, dir, report, metrics };
    } catch (e) {
      if (e instanceof ToolMissingError) throw e;
      done++;
      const error = e instanceof Error ? e.message : String(e);
      opts.onProgress?.(`[${done}/${combos.length}] ${pointLabel(params)}: failed: ${error.split('\n')[0]}`);
      return { index, params, ok: false, error, dir, report: null, metrics: NO_METRICS };
    }
  });
  await mkdir(opts.outDir, { recursive: true });
  const hash = createHash('sha256')
    .update(canonicalJson({ design: opts.design.name, vary: opts.vary, fixed: opts.fixed ?? {}, target: opts.target, engine, dsp: opts.dsp ?? false, freqMhz: opts.freqMhz ?? null }))
    .digest('hex')
    .slice(0, 10);
  const stem = path.join(path.resolve(opts.outDir), `${opts.design.name}-${hash}`);
  const csvPath = `${stem}.csv`;
  const svgPath = `${stem}.svg`;
  await writeFileAtomic(csvPath, sweepCsv(names, points));
  await writeFileAtomic(svgPath, sweepSvg({ design: opts.design.name, target: opts.target, names, points }));
  return { design: opts.design.name, target: opts.target, csvPath, svgPath, points, failed: points.filter((p) => !p.ok).length };
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled)

export const CSV_METRIC_COLUMNS = ['status', 'error', 'cells', 'flip_flops', 'ice40_device', 'ice40_lc', 'ice40_lut4', 'ice40_ff', 'ice40_dsp', 'ice40_bram', 'fmax_mhz', 'dir'];

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sweepCsv(names: string[], points: SweepPoint[]): string {
  const header = ['point', ...names, ...CSV_METRIC_COLUMNS];
  const rows = points.map((p) => {
    const m = p.metrics;
    return [p.index, ...names.map((n) => p.params[n]), p.ok ? 'ok' : 'failed', p.error, m.cells, m.flipFlops, m.device, m.lc, m.lut4, m.ff, m.dsp, m.bram, m.fmaxMhz, p.dir];
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
}

interface Metric {
  key: keyof SweepMetrics;
  label: string;
  color: string;
}

export function chartMetrics(target: SynthTarget): Metric[] {
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
  out.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(`x: ${numericX ? c.names[0] : c.names.join(', ')}${logX ? ' (log scale)' : ''}; ${c.points.length} point(s)${failed.length ? `, ${failed.length} failed (x on the axis)` : ''}`)}</text>`);
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
