// Plain-text tables and durations for the regression and mutation reports.
import type { CaseResult } from './run.ts';

/** Left-aligned columns, two spaces apart; the first row is the header, underlined. */
export function formatTable(rows: readonly (readonly string[])[], right: readonly number[] = []): string[] {
  if (rows.length === 0) return [];
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => (right.includes(c) ? cell.padStart(w[c]!) : cell.padEnd(w[c]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), w.map((x) => '-'.repeat(x)).join('  '), ...rows.slice(1).map(line)];
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function resultWord(r: Pick<CaseResult, 'status'>): string {
  return r.status === 'passed' ? 'ok' : r.status === 'failed' ? 'FAIL' : 'ERROR';
}

/** `1-3`, or `1` for a single seed. */
export function seedRange(seeds: readonly number[]): string {
  if (seeds.length === 0) return '-';
  const contiguous = seeds.every((s, i) => i === 0 || s === seeds[i - 1]! + 1);
  return seeds.length === 1 ? String(seeds[0]) : contiguous ? `${seeds[0]}-${seeds[seeds.length - 1]}` : seeds.join(',');
}

/** The summary table: case, seeds, transactions, cycles, result, time. */
export function regressTable(results: readonly CaseResult[]): string[] {
  const rows = [['case', 'seeds', 'transactions', 'cycles', 'result', 'time']];
  for (const r of results) {
    const ran = r.status !== 'error';
    rows.push([r.name, String(r.seeds.length), ran ? String(r.transactions) : '-', ran ? String(r.cycles) : '-', resultWord(r), seconds(r.ms)]);
  }
  return formatTable(rows, [1, 2, 3, 5]);
}
