// Joining the shares of a sharded sweep (`dcgen sweep --merge a.csv b.csv ...`). A share is one
// CSV written by `sweep --shard k/n`; every row names its sweep (CSV_SWEEP_COLUMNS). The rules:
//   1. every file must be a sweep CSV of this dcgen (the columns of sweep-files.ts; a header-only file, a share
//      with no points, is accepted), and all must be shares of one sweep: the same columns, design,
//      target, hash and point count (else SweepMergeInputError, a user error, exit 2);
//   2. together they must hold every point 0..P-1 exactly once: a point in two files (a share given
//      twice) or in none (a share left out) is a problem (exit 1; every one reported, nothing written).
// The joined CSV is the header and the rows in point order: what an unsharded run of the sweep
// writes, byte for byte when the shares ran in the same folder (the `dir` column holds each point's
// folder). The SVG is drawn from those rows (parameters as the command line gives them: text).
import { readFileSync } from 'node:fs';
import { asUserError, shownPath } from '../../generator/io/errors.ts';
import { SweepOptionError } from './errors.ts';
import type { SynthTarget } from './report.ts';
import { NO_METRICS, type SweepMetrics, type SweepPoint } from './sweep.ts';
import { CSV_METRIC_COLUMNS, CSV_SWEEP_COLUMNS, type SweepInfo, csvField, sweepSvg } from './sweep-files.ts';

/** A share that cannot be read or is not a sweep CSV, or shares of different sweeps. */
export class SweepMergeInputError extends SweepOptionError {}

/** RFC 4180 fields (quoted fields may hold commas, quotes and line breaks); CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (f += '"'), i++;
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        f += c;
      }
    } else if (c === '"') {
      if (f !== '' || wasQuoted) throw new Error(`line ${line}: a quote inside an unquoted field`);
      quoted = wasQuoted = true;
    } else if (c === ',') row.push(f), (f = ''), (wasQuoted = false);
    else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(f), rows.push(row), (row = []), (f = ''), (wasQuoted = false), line++;
    } else {
      if (wasQuoted) throw new Error(`line ${line}: text after a closing quote`);
      f += c;
    }
  }
  if (quoted) throw new Error(`line ${line}: a quoted field is not closed (a truncated file?)`);
  if (f !== '' || row.length || wasQuoted) row.push(f), rows.push(row);
  return rows;
}

export interface SweepShare {
  /** The path as given. */
  file: string;
  header: string[];
  /** The varied parameters (the columns between `point` and `status`). */
  names: string[];
  /** The rows, fields as written. */
  rows: { point: number; fields: string[] }[];
  /** The sweep the rows name; undefined for a share without points. */
  sweep?: SweepInfo;
}

const NUMERIC: Partial<Record<string, keyof SweepMetrics>> = {
  cells: 'cells',
  flip_flops: 'flipFlops',
  ice40_lc: 'lc',
  ice40_lut4: 'lut4',
  ice40_ff: 'ff',
  ice40_dsp: 'dsp',
  ice40_bram: 'bram',
  fmax_mhz: 'fmaxMhz',
  asic_area_um2: 'areaUm2',
  asic_worst_path_ns: 'worstPathNs',
};

/** Read and check one share (SweepMergeInputError, or a FileSystemError; both user errors). */
export function readSweepShare(file: string): SweepShare {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw asUserError(e, 'read', file);
  }
  const bad = (why: string): never => {
    throw new SweepMergeInputError(`--merge '${shownPath(file)}': not a sweep CSV of this dcgen: ${why}`);
  };
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (e) {
    return bad(`malformed CSV, ${(e as Error).message}`);
  }
  const [header, ...body] = table;
  if (!header || header[0] !== 'point') bad(`expected a header row starting with 'point'`);
  const tail = [...CSV_METRIC_COLUMNS, ...CSV_SWEEP_COLUMNS];
  const names = header!.slice(1, header!.length - tail.length);
  if (header!.length < 2 + tail.length || header!.slice(-tail.length).join(',') !== tail.join(',')) {
    bad(`expected the columns point, <varied parameters>, ${tail.join(', ')} (a CSV of an older dcgen has no ${CSV_SWEEP_COLUMNS.join(', ')}: rerun its share)`);
  }
  if (names.some((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) || new Set(names).size !== names.length) bad(`the varied parameters ${names.join(', ')} are not distinct parameter names`);
  const col = (name: string) => header!.indexOf(name, 1 + names.length);
  let sweep: SweepInfo | undefined;
  const rows = body.map((fields, r) => {
    const at = `row ${r + 2}`;
    if (fields.length !== header!.length) bad(`${at} has ${fields.length} fields, the header ${header!.length}`);
    const get = (name: string) => fields[col(name)]!;
    const point = decimalOrUndefined(fields[0]!);
    const total = decimalOrUndefined(get('sweep_points'));
    if (total === undefined || total < 1) bad(`${at}: sweep_points '${get('sweep_points')}' is not a positive whole number`);
    if (point === undefined || point >= total!) bad(`${at}: point '${fields[0]}' is not a point number below sweep_points ${total}`);
    if (!/^[0-9a-f]{10}$/.test(get('sweep_hash'))) bad(`${at}: sweep_hash '${get('sweep_hash')}' is not 10 hex digits`);
    if (!['generic', 'ice40', 'asic'].includes(get('target'))) bad(`${at}: target '${get('target')}' is not generic, ice40 or asic`);
    if (get('design') === '') bad(`${at}: no design`);
    if (get('status') !== 'ok' && get('status') !== 'failed') bad(`${at}: status '${get('status')}' is neither ok nor failed`);
    for (const c of Object.keys(NUMERIC)) {
      const v = get(c);
      if (v !== '' && !(v.trim() === v && Number.isFinite(Number(v)))) bad(`${at}: ${c} '${v}' is not a number`);
    }
    const info: SweepInfo = { design: get('design'), target: get('target') as SynthTarget, hash: get('sweep_hash'), total: total! };
    if (sweep && JSON.stringify(sweep) !== JSON.stringify(info)) bad(`${at} names another sweep than row 2 (${info.design} ${info.hash} vs ${sweep.design} ${sweep.hash})`);
    sweep ??= info;
    return { point: point!, fields };
  });
  return { file, header: header!, names, rows, ...(sweep ? { sweep } : {}) };
}

function decimalOrUndefined(s: string): number | undefined {
  return /^(0|[1-9][0-9]{0,14})$/.test(s) ? Number(s) : undefined;
}

export interface SweepMerge {
  /** Points missing or given twice, one line each; empty when the shares hold every point once. */
  problems: string[];
  sweep: SweepInfo;
  names: string[];
  /** The joined points in point order (when there are no problems). */
  points: SweepPoint[];
  csv?: string;
  svg?: string;
}

function pointOf(names: string[], header: string[], fields: string[], index: number): SweepPoint {
  const get = (name: string) => fields[header.indexOf(name, 1 + names.length)]!;
  const metrics: SweepMetrics = { ...NO_METRICS };
  for (const [c, key] of Object.entries(NUMERIC)) {
    const v = get(c);
    (metrics as unknown as Record<string, number | null>)[key!] = v === '' ? null : Number(v);
  }
  metrics.device = get('ice40_device') === '' ? null : get('ice40_device');
  const ok = get('status') === 'ok';
  return {
    index,
    params: Object.fromEntries(names.map((n, i) => [n, fields[1 + i]!])),
    ok,
    error: ok ? null : get('error'),
    dir: get('dir') === '' ? null : get('dir'),
    report: null,
    metrics,
  };
}

/** Check the shares (rules 1 and 2) and join them. Throws SweepMergeInputError for rule 1. */
export function mergeSweepShares(shares: readonly SweepShare[], listLimit = 10): SweepMerge {
  if (shares.length === 0) throw new SweepMergeInputError('--merge: expected at least one share CSV');
  const first = shares.find((s) => s.sweep);
  if (!first) throw new SweepMergeInputError(`--merge: no share holds a point, so the sweep cannot be told (${shares.map((s) => `'${shownPath(s.file)}'`).join(', ')})`);
  const sweep = first.sweep!;
  for (const s of shares) {
    const differ = (what: string) =>
      new SweepMergeInputError(`--merge: '${shownPath(s.file)}' is not a share of the same sweep as '${shownPath(first.file)}': ${what}; merge the shares 1..n of one sweep`);
    if (s.header.join(',') !== first.header.join(',')) throw differ(`its columns differ (varied ${s.names.join(', ') || 'nothing'} there, ${first.names.join(', ')} here)`);
    if (!s.sweep) continue;
    for (const k of ['design', 'target', 'hash', 'total'] as const) {
      if (s.sweep[k] !== sweep[k]) throw differ(`${k === 'hash' ? 'sweep_hash' : k === 'total' ? 'sweep_points' : k} ${s.sweep[k]} there, ${sweep[k]} here`);
    }
  }
  const where = new Map<number, { share: SweepShare; fields: string[] }[]>();
  for (const s of shares) for (const r of s.rows) where.set(r.point, [...(where.get(r.point) ?? []), { share: s, fields: r.fields }]);
  const label = (fields: string[]) => first.names.map((n, i) => `${n}=${fields[1 + i]}`).join(' ');
  const list = (items: string[]) => (items.length <= listLimit ? items.join('; ') : `${items.slice(0, listLimit).join('; ')}; ... (${items.length} in all)`);
  const problems: string[] = [];
  const twice = [...where].filter(([, at]) => at.length > 1).sort((a, b) => a[0] - b[0]);
  if (twice.length) {
    problems.push(
      `${twice.length} point${twice.length === 1 ? ' is' : 's are'} in more than one file (a share given twice?): ${list(twice.map(([p, at]) => `point ${p} (${label(at[0]!.fields)}) in ${at.map((a) => `'${shownPath(a.share.file)}'`).join(' and ')}`))}`,
    );
  }
  const missing = Array.from({ length: sweep.total }, (_, i) => i).filter((i) => !where.has(i));
  if (missing.length) problems.push(`${missing.length} of the ${sweep.total} points ${missing.length === 1 ? 'is' : 'are'} in no file (a share left out?): point${missing.length === 1 ? '' : 's'} ${list(missing.map(String))}`);
  const result: SweepMerge = { problems, sweep, names: first.names, points: [] };
  if (problems.length) return result;
  const rows = [...where].sort((a, b) => a[0] - b[0]).map(([p, at]) => ({ point: p, fields: at[0]!.fields }));
  result.points = rows.map((r) => pointOf(first.names, first.header, r.fields, r.point));
  result.csv = [first.header, ...rows.map((r) => r.fields)].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
  result.svg = sweepSvg({ design: sweep.design, target: sweep.target, names: first.names, points: result.points });
  return result;
}
