// Which cosimulation cases a regression runs: glob filters on the case name, the `full`
// flag, and sharding over CI machines. Pure functions of the case list (injected by the
// caller, so tests use their own lists).
import type { CosimCase } from '../cases/case.ts';
import { DcgenError } from '../../generator/errors.ts';

/** A bad selection: a filter that selects nothing, a malformed --shard. */
export class CaseSelectionError extends DcgenError {}

/** `*` any run of characters (dots included), `?` one character; everything else literal; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[\\^$.|+()[\]{}/-]/g, (c) => `\\${c}`);
  }
  return new RegExp(`^${re}$`, 's');
}

export function globMatch(glob: string, name: string): boolean {
  return globToRegExp(glob).test(name);
}

export interface Shard {
  /** 1-based index of this shard. */
  k: number;
  /** Number of shards. */
  n: number;
}

/** `k/n` with 1 <= k <= n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(k) || !Number.isSafeInteger(n) || n < 1 || k < 1 || k > n) {
    throw new CaseSelectionError(`--shard '${text}': expected k/n with 1 <= k <= n (e.g. --shard 2/4 runs every 4th case starting at the 2nd)`);
  }
  return { k, n };
}

export interface Selection {
  /** Glob filters; a case is selected when any matches. None: every case. */
  filters?: readonly string[];
  /** Include the cases marked `full`. Default false. */
  full?: boolean;
  shard?: Shard;
}

export interface SelectionResult {
  /** The cases to run, ordered by name. */
  cases: CosimCase[];
  /** Matched by the filters but left out because they are `full` (without --full). */
  fullSkipped: CosimCase[];
  /** Selected before sharding (after the filter and the `full` rule). */
  beforeShard: number;
  /** The cases selected before sharding, ordered by name (what the shards 1..n of the split cover). */
  selected: CosimCase[];
}

function listNames(cases: readonly CosimCase[], limit = 12): string {
  const names = cases.map((c) => c.name);
  return names.length <= limit ? names.join(', ') : `${names.slice(0, limit).join(', ')}, ... (${names.length} in all; dcgen regress --list shows them)`;
}

/**
 * Apply filters, the `full` rule and the shard, in that order, on the cases sorted by name.
 * Throws CaseSelectionError when a filter matches no case or when nothing is left before
 * sharding (an empty shard is fine: more shards than cases).
 */
export function selectCases(all: readonly CosimCase[], sel: Selection = {}): SelectionResult {
  const sorted = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.name === sorted[i - 1]!.name) throw new Error(`two cosim cases are named '${sorted[i]!.name}' (case names must be unique)`);
  }
  const filters = sel.filters ?? [];
  let matched = sorted;
  if (filters.length > 0) {
    const res = filters.map((f) => ({ f, re: globToRegExp(f) }));
    for (const { f, re } of res) {
      if (!sorted.some((c) => re.test(c.name))) {
        throw new CaseSelectionError(
          sorted.length === 0
            ? `--filter '${f}' selects no case: no cosim cases are defined (sim/cases/index.ts)`
            : `--filter '${f}' selects no case (globs match the whole case name, * any characters, ? one); known cases: ${listNames(sorted)}`,
        );
      }
    }
    matched = sorted.filter((c) => res.some(({ re }) => re.test(c.name)));
  } else if (sorted.length === 0) {
    throw new CaseSelectionError('no cosim cases are defined (sim/cases/index.ts)');
  }
  const fullSkipped = sel.full ? [] : matched.filter((c) => c.full === true);
  const kept = sel.full ? matched : matched.filter((c) => c.full !== true);
  if (kept.length === 0) {
    const what = filters.length ? `--filter ${filters.map((f) => `'${f}'`).join(' ')} selects` : 'there are';
    throw new CaseSelectionError(`${what} only cases marked full (${listNames(fullSkipped)}): add --full to run them`);
  }
  const cases = sel.shard ? kept.filter((_, i) => i % sel.shard!.n === sel.shard!.k - 1) : kept;
  return { cases, fullSkipped, beforeShard: kept.length, selected: kept };
}

/** The short case name: `basic` for `common.adder_tree.basic` of design `common.adder_tree`. */
export function shortCaseName(c: Pick<CosimCase, 'name' | 'design'>): string {
  return c.name.startsWith(`${c.design}.`) ? c.name.slice(c.design.length + 1) : c.name;
}
