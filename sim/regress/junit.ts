// JUnit XML of a regression, the format CI servers show as test results:
//
//   <testsuites tests= failures= errors= time=>
//     <testsuite name="dcgen.regress" tests= failures= errors= skipped="0" time= timestamp=>
//       <testcase classname="<design>" name="<case>" time=>
//         <failure message="<one line>" type="cosim">full report, waveform path included</failure>
//       </testcase>
//
// A case that failed its comparison is a <failure>; one that could not run (an exception) an <error>.
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
  /** Extra <property> entries (simulator, seeds, shard). */
  properties?: Record<string, string>;
}

export function junitXml(results: readonly CaseResult[], info: JunitInfo): string {
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
    for (const [k, v] of props) lines.push(`      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`);
    lines.push('    </properties>');
  }
  for (const r of results) {
    const open = `    <testcase classname="${xmlAttr(r.design)}" name="${xmlAttr(r.short)}" time="${secs(r.ms)}"`;
    if (r.status === 'passed') {
      lines.push(`${open}/>`);
      continue;
    }
    const tag = r.status === 'failed' ? 'failure' : 'error';
    const type = r.status === 'failed' ? 'cosim' : 'error';
    const body = [r.details ?? r.summary ?? '', ...(r.workDir ? [`work folder: ${r.workDir}`] : [])].join('\n');
    lines.push(`${open}>`, `      <${tag} message="${xmlAttr(r.summary ?? r.status)}" type="${type}">${xmlText(body)}</${tag}>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** JUnit and other reports are written atomically (temporary file + one rename). */
export { writeFileAtomic } from '../../generator/io/output.ts';
