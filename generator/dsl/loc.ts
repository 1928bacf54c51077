// Where in the user's DSL code a construct was written, for error messages and the optional
// `// dsl: file:line` comments. The first stack frame outside the DSL's own files is the user's.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { SrcLoc } from '../ir/types.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dslDir = path.dirname(fileURLToPath(import.meta.url));

const framePattern = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):\d+\)?$/;

export function callerLoc(): SrcLoc {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  for (const frame of stack) {
    const m = framePattern.exec(frame.trim());
    if (!m) continue;
    let file = m[1];
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (!path.isAbsolute(file) || file.startsWith(dslDir + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    const rel = path.relative(repoRoot, file);
    return { file: rel.startsWith('..') ? file : rel.split(path.sep).join('/'), line: Number(m[2]) };
  }
  return { file: '<unknown>', line: 0 };
}
