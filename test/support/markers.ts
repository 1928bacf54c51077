// Tests that check the source location an error names mark the expected line with `// @tag`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `lineOf(tag)`: the one line of the test file at `fileUrl` marked `// @tag`. */
export function markedLines(fileUrl: string): (tag: string) => number {
  const source = readFileSync(fileURLToPath(fileUrl), 'utf8').split('\n');
  return (tag) => {
    const hits = source.flatMap((l, i) => (new RegExp(`// @${tag}$`).test(l.trimEnd()) ? [i + 1] : []));
    if (hits.length !== 1) throw new Error(`marker @${tag}: ${hits.length} lines`);
    return hits[0];
  };
}

/** What `f` throws; fails the test when it throws nothing. */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}
