// Parameter sweeps: generate and synthesise every point of the cross product of the varied
// parameters (up to `jobs` at once), then write one CSV row per point and an SVG chart of
// area (and, for iCE40 and ASIC, Fmax; for ASIC the worst path too) against the varied parameter. A point that fails is recorded
// with its error and the sweep goes on; a missing tool stops the sweep (every point would fail).
//
// Sharding (`--shard k/n`): the points are numbered 0..P-1 in cross-product order (first key
// slowest) and share k/n runs the points whose number i has i mod n = k-1, writing
// <design>-<hash>-shard<k>of<n>.csv/.svg. Every share validates every point of the sweep first, so
// all shares refuse an invalid sweep alike. Each CSV row records its sweep (design, target, the
// sweep's hash and its point count P), so `dcgen sweep --merge` (mergeSweepShares) can join the
// shares into the CSV and SVG an unsharded run writes, refusing shares of different sweeps and
// points missing or given twice.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DesignDef } from '../../generator/designs/registry.ts';
import { canonicalJson, type ParamValue } from '../../generator/emit/design.ts';
import { ToolMissingError } from '../tools/errors.ts';
import { DcgenError } from '../../generator/errors.ts';
import { SweepOptionError } from './errors.ts';
import { writeFileAtomic, type SynthReport, type SynthTarget } from './report.ts';
import type { SynthEngine } from './run.ts';
import type { MemoryMapping } from './asic.ts';
import { type SweepInfo, sweepCsv, sweepSvg } from './sweep-files.ts';
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
  /** asic: the Liberty file (default OSU018) and the clock period in ns (default 10). */
  liberty?: string;
  clockNs?: number;
  /** asic: memory modules as black-box macros (the default) or flip-flops. */
  memories?: MemoryMapping;
  timeoutMs?: number;
  /** One line per finished point ("[2/3] n=4: cells 120, FFs 12"). */
  onProgress?: (line: string) => void;
  /** Run share k of n only: the points whose number i (0-based, cross-product order) has i mod n = k-1. */
  shard?: { k: number; n: number };
}

export interface SweepMetrics {
  /** generic cells; for the asic target the standard cells of the mapped netlist. */
  cells: number | null;
  flipFlops: number | null;
  device: string | null;
  lc: number | null;
  lut4: number | null;
  ff: number | null;
  dsp: number | null;
  bram: number | null;
  /** iCE40: post-route Fmax; asic: 1000 / worstPathNs. */
  fmaxMhz: number | null;
  /** asic: the Liberty area (µm²) and the worst path (ns, register to register when there is one). */
  areaUm2: number | null;
  worstPathNs: number | null;
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
  /** The points run (all, or this share's). */
  points: SweepPoint[];
  failed: number;
  /** The sweep's hash (in the file names and the CSV's sweep_hash column). */
  hash: string;
  /** Points in the whole sweep. */
  total: number;
  shard?: { k: number; n: number };
}

/** The points share k/n runs: numbers i in 0..total-1 with i mod n = k-1. */
export function shardPoints(total: number, shard?: { k: number; n: number }): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  return shard ? all.filter((i) => i % shard.n === shard.k - 1) : all;
}

/** A point of the sweep breaks a parameter rule; the sweep runs none of its points. */
export class SweepPointError extends SweepOptionError {
  constructor(design: string, index: number, total: number, point: string, why: string) {
    const label = point.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1)); // one line
    super(`sweep of ${design}: point ${index + 1} of ${total} (${label}) is invalid, so no point was run: ${why}`);
  }
}

export const NO_METRICS: SweepMetrics = { cells: null, flipFlops: null, device: null, lc: null, lut4: null, ff: null, dsp: null, bram: null, fmaxMhz: null, areaUm2: null, worstPathNs: null };

export function metricsOf(r: SynthReport): SweepMetrics {
  const i = r.ice40;
  const a = r.asic;
  if (a) return { ...NO_METRICS, cells: a.cells, flipFlops: a.flipFlops, fmaxMhz: a.fmaxMHz, areaUm2: a.areaUm2, worstPathNs: a.worstPathNs };
  return {
    ...NO_METRICS,
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
      opts.design.resolve({ ...(opts.fixed ?? {}), ...params });
    } catch (e) {
      if (e instanceof DcgenError) throw new SweepPointError(opts.design.name, i, combos.length, pointLabel(params), e.message);
      throw e;
    }
  });
  const shard = opts.shard;
  if (shard && !(Number.isInteger(shard.k) && Number.isInteger(shard.n) && shard.k >= 1 && shard.k <= shard.n)) {
    throw new SweepOptionError(`sweep: --shard ${shard.k}/${shard.n}: expected k/n with 1 <= k <= n`);
  }
  const hash = createHash('sha256')
    .update(
      canonicalJson({
        design: opts.design.name,
        vary: opts.vary,
        fixed: opts.fixed ?? {},
        target: opts.target,
        engine,
        dsp: opts.dsp ?? false,
        freqMhz: opts.freqMhz ?? null,
        // (asic only, so that the hashes of other sweeps stay as they were)
        ...(opts.target === 'asic' ? { liberty: opts.liberty ?? null, clockNs: opts.clockNs ?? null, ...(opts.memories !== undefined ? { memories: opts.memories } : {}) } : {}),
      }),
    )
    .digest('hex')
    .slice(0, 10);
  const mine = shardPoints(combos.length, shard);
  let done = 0;
  const points = await pool(mine.length, opts.jobs, async (slot): Promise<SweepPoint> => {
    const index = mine[slot];
    const params = combos[index];
    let dir: string | null = null;
    try {
      const all = { ...(opts.fixed ?? {}), ...params };
      dir = await opts.generate(all);
      const asic = opts.target === 'asic' ? { ...(opts.liberty !== undefined ? { liberty: opts.liberty } : {}), ...(opts.clockNs !== undefined ? { clockNs: opts.clockNs } : {}), ...(opts.memories !== undefined ? { memories: opts.memories } : {}) } : {};
      const report = await synthesize(dir, { target: opts.target, engine, dsp: opts.dsp, freqMhz: opts.freqMhz, timeoutMs: opts.timeoutMs, ...asic });
      const metrics = metricsOf(report);
      done++;
      const what =
        opts.target === 'ice40'
          ? report.ice40?.fits
            ? `${metrics.lc} LCs, Fmax ${metrics.fmaxMhz} MHz`
            : `fits no iCE40; ${metrics.cells} cells`
          : opts.target === 'asic'
            ? `${metrics.areaUm2} um2, worst path ${metrics.worstPathNs ?? '-'} ns, Fmax ${metrics.fmaxMhz ?? '-'} MHz`
            : `${metrics.cells} cells, ${metrics.flipFlops} FFs`;
      opts.onProgress?.(`[${done}/${mine.length}] ${pointLabel(params)}: ${what}`);
      return { index, params, ok: true, error: null, dir, report, metrics };
    } catch (e) {
      if (e instanceof ToolMissingError) throw e;
      done++;
      const error = e instanceof Error ? e.message : String(e);
      opts.onProgress?.(`[${done}/${mine.length}] ${pointLabel(params)}: failed: ${error.split('\n')[0]}`);
      return { index, params, ok: false, error, dir, report: null, metrics: NO_METRICS };
    }
  });
  await mkdir(opts.outDir, { recursive: true });
  const stem = path.join(path.resolve(opts.outDir), sweepFileStem(opts.design.name, hash, shard));
  const csvPath = `${stem}.csv`;
  const svgPath = `${stem}.svg`;
  const sweepInfo: SweepInfo = { design: opts.design.name, target: opts.target, hash, total: combos.length };
  await writeFileAtomic(csvPath, sweepCsv(names, points, sweepInfo));
  await writeFileAtomic(svgPath, sweepSvg({ design: opts.design.name, target: opts.target, names, points, ...(shard ? { shard, total: combos.length } : {}) }));
  return { design: opts.design.name, target: opts.target, csvPath, svgPath, points, failed: points.filter((p) => !p.ok).length, hash, total: combos.length, ...(shard ? { shard } : {}) };
}

/** `<design>-<hash>`, or `<design>-<hash>-shard<k>of<n>` for a share. */
export function sweepFileStem(design: string, hash: string, shard?: { k: number; n: number }): string {
  return `${design}-${hash}${shard ? `-shard${shard.k}of${shard.n}` : ''}`;
}
