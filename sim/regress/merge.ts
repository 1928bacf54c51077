// Merging the JUnit files of a sharded regression (`dcgen regress --merge-junit a.xml b.xml ... --out
// all.xml`) into the file one unsharded run would have written, after checking that the shards are
// one regression split once, with nothing missing and nothing twice.
//
// What a shard file records (sim/regress/junit.ts): `shard` k/n (absent: the whole selection, 1/1),
// `simulator`, `seeds` (when --seeds was given), one `filter` per --filter glob, `full`, and the
// selection the split is taken from — the cases left after the filters and the `full` rule, before
// sharding: `selection.cases` (their number) and `selection.sha256` (selectionDigest of their names).
//
// The rules, in order:
//   1. every file must be a JUnit file written by `dcgen regress` that records the selection
//      (else a user error, exit 2: MergeInputError, naming the file);
//   2. every file must be a shard of the same regression: the same simulator, seeds, filters (as
//      a set), full, selection (count and digest) and shard count n (else exit 2, naming both files
//      and the first difference);
//   3. the files must cover shards 1..n exactly once, each shard file must hold exactly the cases
//      the split gives it (shard k of N cases: those at positions k-1, k-1+n, ... of the selection
//      ordered by name, so ceil((N-k+1)/n) of them), no case may be in two files, and together they
//      must be the selection (the digest of their names equals the recorded one). Any breach is a
//      failed check (exit 1): every problem is reported, nothing is written. When the current case
//      list, with the recorded filters and `full`, selects the same cases (same digest), the cases
//      that are missing are named.
// The merged file holds every case, ordered by name as an unsharded run orders them; its totals are
// recomputed: tests, failures and errors counted, `time` the sum of the shards' times (their machine
// time: shards run side by side, so this is not the elapsed time), `timestamp` the earliest shard's.
// Its properties are the shards' common ones (no `shard`, so it reads as a whole run) and
// `merged.shards` n.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DcgenError } from '../../generator/errors.ts';
import { asUserError, shownPath } from '../../generator/io/errors.ts';
import type { CosimCase } from '../cases/case.ts';
import { type JunitCase, junitDocument } from './junit.ts';
import { type Shard, shortCaseName } from './select.ts';

/** A shard file that cannot be read or is not one dcgen wrote, or files that are not one regression. */
export class MergeInputError extends DcgenError {}

/** The name a JUnit <testcase> stands for: `<classname>.<name>` (the case name, `common.fifo.depth1`). */
export function caseKey(classname: string, name: string): string {
  return `${classname}.${name}`;
}

/** The key of a case as its JUnit <testcase> spells it. */
export function cosimCaseKey(c: Pick<CosimCase, 'name' | 'design'>): string {
  return caseKey(c.design, shortCaseName(c));
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** sha256 (first 16 hex digits) of the case keys sorted by name, one per line: the identity of a selection. */
export function selectionDigest(keys: readonly string[]): string {
  return createHash('sha256').update([...keys].sort(byName).join('\n')).digest('hex').slice(0, 16);
}

export interface RegressRunInfo {
  simulator: string;
  jobs: number;
  seeds?: number;
  shard?: Shard;
  filters: readonly string[];
  full: boolean;
  /** The cases selected before sharding. */
  selected: readonly Pick<CosimCase, 'name' | 'design'>[];
}

/** The <properties> a regression run records in its JUnit file. */
export function regressProperties(r: RegressRunInfo): Record<string, string | string[]> {
  return {
    simulator: r.simulator,
    jobs: String(r.jobs),
    ...(r.seeds !== undefined ? { seeds: String(r.seeds) } : {}),
    ...(r.shard ? { shard: `${r.shard.k}/${r.shard.n}` } : {}),
    ...(r.filters.length ? { filter: [...r.filters] } : {}),
    full: String(r.full),
    'selection.cases': String(r.selected.length),
    'selection.sha256': selectionDigest(r.selected.map(cosimCaseKey)),
  };
}

/** How many of N selected cases shard k/n runs (positions k-1, k-1+n, ...). */
export function shardSize(total: number, shard: Shard): number {
  return total >= shard.k ? Math.floor((total - shard.k) / shard.n) + 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// A small strict XML reader: elements, attributes in quotes, text, the five entities and character
// references, CDATA, comments and the declaration. No DOCTYPE (so no entity expansion).

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&([^;&\s]*);?/g, (all, e: string) => {
    if (!all.endsWith(';')) throw new XmlSyntaxError(`a bare '&' (write &amp;)`);
    if (/^#[0-9]+$/.test(e) || /^#x[0-9a-fA-F]+$/.test(e)) {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      if (!(cp <= 0x10ffff)) throw new XmlSyntaxError(`character reference &${e}; out of range`);
      return String.fromCodePoint(cp);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new XmlSyntaxError(`unknown entity &${e};`);
    return v;
  });
}

function parseXml(xml: string): XmlNode {
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const line = () => xml.slice(0, i).split('\n').length;
  const fail = (why: string): never => {
    throw new XmlSyntaxError(`line ${line()}: ${why}`);
  };
  const NAME = /[A-Za-z_:][\w.:-]*/y;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (text.includes(']]>')) fail("']]>' in text");
    const top = stack[stack.length - 1]!;
    if (top === root) {
      if (text.trim() !== '') fail('text outside the root element');
    } else top.text += decode(text);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) fail('unterminated <?...?>');
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i);
      if (end < 0 || top === root) fail('CDATA outside an element or unterminated');
      top.text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith('<!', i)) {
      fail('a DOCTYPE or declaration (not accepted)');
    } else if (xml.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(xml);
      if (!m) fail('malformed end tag');
      i = NAME.lastIndex;
      while (/\s/.test(xml[i] ?? '')) i++;
      if (xml[i] !== '>') fail(`malformed end tag </${m![0]}`);
      i++;
      const open = stack.pop()!;
      if (open === root || open.name !== m![0]) fail(`</${m![0]}> does not close <${open.name}>`);
    } else {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(xml);
      if (!m) fail('malformed tag');
      i = NAME.lastIndex;
      const el: XmlNode = { name: m![0], attrs: {}, children: [], text: '' };
      for (;;) {
        const ws = /\s*/y;
        ws.lastIndex = i;
        ws.exec(xml);
        const spaced = ws.lastIndex > i;
        i = ws.lastIndex;
        if (xml.startsWith('/>', i) || xml[i] === '>') break;
        if (!spaced) fail(`malformed attributes in <${el.name}>`);
        const A = /([A-Za-z_:][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;
        A.lastIndex = i;
        const a = A.exec(xml);
        if (!a) fail(`malformed attribute in <${el.name}>`);
        if (Object.hasOwn(el.attrs, a![1]!)) fail(`attribute ${a![1]} given twice in <${el.name}>`);
        el.attrs[a![1]!] = decode(a![3] ?? a![4] ?? '');
        i = A.lastIndex;
      }
      if (top === root && root.children.length) fail('a second root element');
      top.children.push(el);
      if (xml[i] === '/') i += 2;
      else {
        i++;
        stack.push(el);
      }
    }
  }
  if (stack.length > 1) fail(`<${stack[stack.length - 1]!.name}> is not closed (a truncated file?)`);
  if (root.children.length !== 1) fail('no root element');
  return root.children[0]!;
}

// ---------------------------------------------------------------------------------------------
// Shard files

export interface ShardFile {
  /** The path as given. */
  file: string;
  /** `shard` k/n; 1/1 when the file records none (a whole run, or a merged file). */
  shard: Shard;
  /** Every <property>, by name, values in order. */
  properties: Map<string, string[]>;
  cases: JunitCase[];
  /** The suite's time. */
  ms: number;
  timestamp: Date | undefined;
  selection: { count: number; digest: string };
}

function one(props: Map<string, string[]>, name: string): string | undefined {
  const v = props.get(name);
  return v && v.length === 1 ? v[0] : undefined;
}

/** Read and check one shard file (MergeInputError or a FileSystemError, both user errors). */
export function readShardFile(file: string): ShardFile {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (e) {
    throw asUserError(e, 'read', file);
  }
  const where = `'${shownPath(file)}'`;
  const bad = (why: string): never => {
    throw new MergeInputError(`--merge-junit ${where}: not a JUnit file of dcgen regress: ${why}`);
  };
  let doc: XmlNode;
  try {
    doc = parseXml(xml);
  } catch (e) {
    if (e instanceof XmlSyntaxError) bad(`malformed XML, ${e.message}`);
    throw e;
  }
  if (doc!.name !== 'testsuites') bad(`the root element is <${doc!.name}>, expected <testsuites>`);
  const suites = doc!.children;
  if (suites.length !== 1 || suites[0]!.name !== 'testsuite' || suites[0]!.attrs.name !== 'dcgen.regress') bad('expected one <testsuite name="dcgen.regress">');
  const suite = suites[0]!;
  const seconds = (v: string | undefined, what: string): number => {
    const t = v === undefined || !/^\d+(\.\d+)?$/.test(v) ? NaN : Number(v);
    if (!Number.isFinite(t)) bad(`${what} has time ${v === undefined ? '(none)' : `'${v}'`}, expected seconds`);
    return Math.round(t * 1000);
  };
  const properties = new Map<string, string[]>();
  const cases: JunitCase[] = [];
  for (const el of suite.children) {
    if (el.name === 'properties') {
      for (const p of el.children) {
        if (p.name !== 'property' || p.attrs.name === undefined || p.attrs.value === undefined) bad('a <properties> entry is not <property name= value=>');
        properties.set(p.attrs.name!, [...(properties.get(p.attrs.name!) ?? []), p.attrs.value!]);
      }
    } else if (el.name === 'testcase') {
      const { classname, name } = el.attrs;
      if (classname === undefined || name === undefined) bad('a <testcase> without classname or name');
      const label = `<testcase ${caseKey(classname!, name!)}>`;
      const ms = seconds(el.attrs.time, label);
      if (el.children.length === 0) {
        cases.push({ classname: classname!, name: name!, ms, status: 'passed' });
        continue;
      }
      const r = el.children[0]!;
      if (el.children.length > 1 || (r.name !== 'failure' && r.name !== 'error')) bad(`${label} holds <${el.children.map((c) => c.name).join('>, <')}>, expected one <failure> or <error>`);
      cases.push({ classname: classname!, name: name!, ms, status: r.name === 'failure' ? 'failed' : 'error', message: r.attrs.message ?? '', body: r.text });
    } else bad(`unexpected <${el.name}> in the test suite`);
  }
  const count = (attr: string, n: number) => {
    if (suite.attrs[attr] !== String(n)) bad(`the suite's ${attr}="${suite.attrs[attr] ?? ''}" but it holds ${n}`);
  };
  count('tests', cases.length);
  count('failures', cases.filter((c) => c.status === 'failed').length);
  count('errors', cases.filter((c) => c.status === 'error').length);
  const ms = seconds(suite.attrs.time, 'the suite');
  const ts = suite.attrs.timestamp;
  const date = ts && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(ts) ? new Date(`${ts}Z`) : undefined;

  const shardText = properties.get('shard');
  let shard: Shard = { k: 1, n: 1 };
  if (shardText) {
    const m = shardText.length === 1 ? /^([1-9]\d*)\/([1-9]\d*)$/.exec(shardText[0]!) : null;
    if (!m || Number(m[1]) > Number(m[2])) bad(`property shard '${shardText.join(' ')}' is not k/n`);
    shard = { k: Number(m![1]), n: Number(m![2]) };
  }
  const selCount = one(properties, 'selection.cases');
  const selDigest = one(properties, 'selection.sha256');
  if (selCount === undefined || selDigest === undefined) {
    throw new MergeInputError(
      `--merge-junit ${where}: the file records no selection (properties selection.cases and selection.sha256): it was written by an older dcgen or edited; rerun its shard`,
    );
  }
  if (!/^(0|[1-9]\d*)$/.test(selCount) || !/^[0-9a-f]{16}$/.test(selDigest)) bad(`selection.cases '${selCount}' or selection.sha256 '${selDigest}' malformed`);
  for (const p of ['simulator', 'full']) if (one(properties, p) === undefined) bad(`no property ${p}`);
  return { file, shard, properties, cases, ms, timestamp: date, selection: { count: Number(selCount), digest: selDigest } };
}

/** What makes two shard files parts of one regression: name → value as shown in messages. */
function identity(f: ShardFile): [string, string][] {
  const filters = [...new Set(f.properties.get('filter') ?? [])].sort(byName);
  return [
    ['simulator', one(f.properties, 'simulator')!],
    ['seeds', one(f.properties, 'seeds') ?? "each case's own"],
    ['filters', filters.length ? filters.map((g) => `'${g}'`).join(' ') : 'none'],
    ['full', one(f.properties, 'full')!],
    ['selected cases', String(f.selection.count)],
    ['selection sha256', f.selection.digest],
    ['shard count', String(f.shard.n)],
  ];
}

export interface MergeOptions {
  /**
   * The case keys the current case list selects with these filters and `full`, when it can tell
   * (used only to name missing cases, and only when their digest equals the recorded one).
   */
  currentSelection?: (filters: string[], full: boolean) => Promise<string[] | undefined>;
  /** Cases named at most in one problem line. */
  listLimit?: number;
}

export interface MergeResult {
  /** The breaches of rule 3, one line each; empty when the shards cover the selection exactly once. */
  problems: string[];
  files: ShardFile[];
  /** Shard count n. */
  shards: number;
  /** Selected cases (recorded). */
  selected: number;
  /** The merged cases in name order (when there are no problems). */
  cases: JunitCase[];
  /** The merged JUnit document (when there are no problems). */
  xml?: string;
}

function nameList(keys: readonly string[], limit: number): string {
  return keys.length <= limit ? keys.join(', ') : `${keys.slice(0, limit).join(', ')}, ... (${keys.length} in all)`;
}

/** Check the shard files (rules 2 and 3) and merge them. Throws MergeInputError for rule 2. */
export async function mergeShardFiles(files: readonly ShardFile[], opts: MergeOptions = {}): Promise<MergeResult> {
  if (files.length === 0) throw new MergeInputError('--merge-junit: expected at least one shard file');
  const limit = opts.listLimit ?? 10;
  const first = files[0]!;
  const id0 = identity(first);
  for (const f of files.slice(1)) {
    const id = identity(f);
    const diff = id.findIndex(([, v], i) => v !== id0[i]![1]);
    if (diff >= 0) {
      const [what, v] = id[diff]!;
      throw new MergeInputError(
        `--merge-junit: '${shownPath(f.file)}' is not a shard of the same regression as '${shownPath(first.file)}': ${what} ${v} there, ${id0[diff]![1]} here; merge the files of one run of the shards 1..n`,
      );
    }
  }
  const n = first.shard.n;
  const total = first.selection.count;
  const problems: string[] = [];
  const shown = (f: ShardFile) => `'${shownPath(f.file)}'`;

  // The current case list, when it selects what the shards recorded: names what is missing.
  let selection: string[] | undefined;
  if (opts.currentSelection) {
    const keys = await opts.currentSelection(first.properties.get('filter') ?? [], one(first.properties, 'full') === 'true');
    if (keys && keys.length === total && selectionDigest(keys) === first.selection.digest) selection = [...keys].sort(byName);
  }
  const position = new Map(selection?.map((k, i) => [k, i]));
  const shardOf = (key: string) => {
    const i = position.get(key);
    return i === undefined ? undefined : (i % n) + 1;
  };

  // Each shard 1..n exactly once, holding its share of the cases.
  const byShard = new Map<number, ShardFile[]>();
  for (const f of files) byShard.set(f.shard.k, [...(byShard.get(f.shard.k) ?? []), f]);
  for (let k = 1; k <= n; k++) {
    const fs = byShard.get(k) ?? [];
    const size = shardSize(total, { k, n });
    if (fs.length === 0) {
      const names = selection?.filter((_, i) => i % n === k - 1);
      problems.push(`shard ${k}/${n} is missing: no file holds it (${size} case${size === 1 ? '' : 's'}${names?.length ? `: ${nameList(names, limit)}` : ''})`);
    } else if (fs.length > 1) {
      problems.push(`shard ${k}/${n} is given ${fs.length} times: ${fs.map(shown).join(', ')}`);
    } else if (fs[0]!.cases.length !== size) {
      problems.push(`${shown(fs[0]!)} (shard ${k}/${n}) holds ${fs[0]!.cases.length} case${fs[0]!.cases.length === 1 ? '' : 's'}; shard ${k}/${n} of the ${total} selected cases has ${size}`);
    }
  }

  // No case twice.
  const where = new Map<string, ShardFile[]>();
  const merged: JunitCase[] = [];
  for (const f of files) {
    const seen = new Set<string>();
    for (const c of f.cases) {
      const key = caseKey(c.classname, c.name);
      if (seen.has(key)) {
        problems.push(`${shown(f)} holds case ${key} twice`);
        continue;
      }
      seen.add(key);
      const at = where.get(key);
      if (at) at.push(f);
      else {
        where.set(key, [f]);
        merged.push(c);
      }
    }
  }
  const twice = [...where].filter(([, fs]) => fs.length > 1);
  if (twice.length) {
    const shownFiles = [...new Set(twice.flatMap(([, fs]) => fs))].map(shown).join(', ');
    problems.push(`${twice.length} case${twice.length === 1 ? ' is' : 's are'} in more than one file (${shownFiles}): ${nameList(twice.map(([k]) => k), limit)}`);
  }

  // Together: the selection.
  const keys = [...where.keys()];
  if (selection) {
    const have = new Set(keys);
    const want = new Set(selection);
    const missingShards = new Set([...Array(n).keys()].map((i) => i + 1).filter((k) => !byShard.has(k)));
    const missing = selection.filter((k) => !have.has(k) && !missingShards.has(shardOf(k)!));
    const extra = keys.filter((k) => !want.has(k));
    if (missing.length) problems.push(`${missing.length} case${missing.length === 1 ? '' : 's'} of the selection ${missing.length === 1 ? 'is' : 'are'} in no file: ${nameList(missing.map((k) => `${k} (shard ${shardOf(k)}/${n})`), limit)}`);
    if (extra.length) problems.push(`${extra.length} case${extra.length === 1 ? ' is' : 's are'} not in the selection the shards recorded: ${nameList(extra, limit)}`);
  } else if (problems.length === 0 && (keys.length !== total || selectionDigest(keys) !== first.selection.digest)) {
    problems.push(
      `the ${keys.length} cases in the files are not the ${total} selected cases the shards recorded (selection.sha256 ${first.selection.digest}, theirs ${selectionDigest(keys)}); a file was edited or comes from another checkout`,
    );
  }

  // Each case in the shard the split gives it (checked when the current case list names the selection).
  if (selection && problems.length === 0) {
    const misplaced = files.flatMap((f) => f.cases.map((c) => caseKey(c.classname, c.name)).filter((k) => shardOf(k) !== f.shard.k).map((k) => `${k} in ${shown(f)} (shard ${f.shard.k}/${n}; the split gives it to shard ${shardOf(k)}/${n})`));
    if (misplaced.length) problems.push(`${misplaced.length} case${misplaced.length === 1 ? ' is' : 's are'} in the wrong shard: ${nameList(misplaced, limit)}`);
  }

  const result: MergeResult = { problems, files: [...files], shards: n, selected: total, cases: [] };
  if (problems.length) return result;

  merged.sort((a, b) => byName(caseKey(a.classname, a.name), caseKey(b.classname, b.name)));
  const stamps = files.map((f) => f.timestamp).filter((d): d is Date => d !== undefined);
  const filters = first.properties.get('filter') ?? [];
  const seeds = one(first.properties, 'seeds');
  const properties: Record<string, string | string[]> = {
    simulator: one(first.properties, 'simulator')!,
    ...(seeds !== undefined ? { seeds } : {}),
    ...(filters.length ? { filter: filters } : {}),
    full: one(first.properties, 'full')!,
    'selection.cases': String(total),
    'selection.sha256': first.selection.digest,
    'merged.shards': String(n),
  };
  result.cases = merged;
  result.xml = junitDocument(merged, {
    ms: files.reduce((s, f) => s + f.ms, 0),
    timestamp: stamps.length ? new Date(Math.min(...stamps.map((d) => d.getTime()))) : undefined,
    properties,
  });
  return result;
}
