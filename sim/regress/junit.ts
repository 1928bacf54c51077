// JUnit XML of a regression, the format CI servers show as test results:
//
//   <testsuites tests= failures= errors= time=>
//     <testsuite name="dcgen.regress" tests= failures= errors= skipped="0" time= timestamp=>
//       <testcase classname="<design>" name="<case>" time=>
//         <failure message="<one line>" type="cosim">full report, waveform path included</failure>
//       </testcase>
//
// A case that failed its comparison is a <failure>; one that could not run (an exception) an <error>.
// The <properties> record how the regression was run and which cases it selected, so that shard
// files can be merged and checked (sim/regress/merge.ts): simulator, jobs, seeds (when given),
// shard k/n (absent: the whole selection), one `filter` per --filter glob, full, and the
// selection before sharding: `selection.cases` (how many) and `selection.sha256` (selectionDigest).
import type { CaseResult } from './run.ts';

/** Characters XML 1.0 cannot hold at all (control characters but tab/newline/CR, lone surrogates, U+FFFE/F). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape element text. */
export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape an attribute value (double-quoted); newlines and tabs kept as character references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

export interface JunitInfo {
  /** Total wall time of the regression. */
  ms: number;
  timestamp?: Date;
  /** Extra <property> entries (simulator, seeds, shard); a list gives one property per value, in order. */
  properties?: Record<string, string | readonly string[]>;
}

/** One <testcase> as the file holds it. */
export interface JunitCase {
  /** The design (`common.adder_tree`). */
  classname: string;
  /** The case name without the design (`basic`). */
  name: string;
  ms: number;
  status: CaseResult['status'];
  /** The <failure>/<error> message attribute (one line). */
  message?: string;
  /** The <failure>/<error> text: the whole report. */
  body?: string;
}

export function junitCaseOf(r: CaseResult): JunitCase {
  if (r.status === 'passed') return { classname: r.design, name: r.short, ms: r.ms, status: r.status };
  const body = [r.details ?? r.summary ?? '', ...(r.workDir ? [`work folder: ${r.workDir}`] : [])].join('\n');
  return { classname: r.design, name: r.short, ms: r.ms, status: r.status, message: r.summary ?? r.status, body };
}

export function junitXml(results: readonly CaseResult[], info: JunitInfo): string {
  return junitDocument(results.map(junitCaseOf), info);
}

/** The JUnit document of these cases (junitXml for a run; the merge of shard files writes it too). */
export function junitDocument(results: readonly JunitCase[], info: JunitInfo): string {
  const failures = results.filter((r) => r.status === 'failed').length;
  const errors = results.filter((r) => r.status === 'error').length;
  const time = secs(info.ms);
  const ts = (info.timestamp ?? new Date()).toISOString().replace(/\.\d+Z$/, '');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="dcgen" tests="${results.length}" failures="${failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="dcgen.regress" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="0" time="${time}" timestamp="${ts}">`,
  ];
  const props = Object.entries(info.properties ?? {});
  if (props.length) {
    lines.push('    <properties>');
    for (const [k, vs] of props) {
      for (const v of typeof vs === 'string' ? [vs] : vs) lines.push(`      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`);
    }
    lines.push('    </properties>');
  }
  for (const r of results) {
    const open = `    <testcase classname="${xmlAttr(r.classname)}" name="${xmlAttr(r.name)}" time="${secs(r.ms)}"`;
    if (r.status === 'passed') {
      lines.push(`${open}/>`);
      continue;
    }
    const tag = r.status === 'failed' ? 'failure' : 'error';
    const type = r.status === 'failed' ? 'cosim' : 'error';
    lines.push(`${open}>`, `      <${tag} message="${xmlAttr(r.message ?? r.status)}" type="${type}">${xmlText(r.body ?? '')}</${tag}>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** JUnit and other reports are written atomically (temporary file + one rename). */
export { writeFileAtomic } from '../../generator/io/output.ts';
