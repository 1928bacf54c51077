// Tests that check the source location an error names mark the expected line with `// @tag`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type HardwareError, isUserError } from '../../generator/dsl/index.ts';

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

/** The parts a HardwareError must name, and the marker of the line it must point at. */
export interface ExpectedError {
  module: string;
  /** The signal or construct (exact). */
  subject: string;
  /** Fragments of the expected and found parts. */
  expected: string;
  found: string;
  /** Marker of the offending line. */
  at: string;
}

/**
 * `check(f, cls, x)`: `f` throws `cls`, a user error (the CLI prints it without a stack) whose
 * message names all of `x`, at the line of the test file `file` (at `fileUrl`) marked `// @x.at`.
 */
export function hardwareErrorChecker(fileUrl: string, file: string): (f: () => unknown, cls: abstract new (...args: never[]) => HardwareError, x: ExpectedError) => HardwareError {
  const lineOf = markedLines(fileUrl);
  return (f, cls, x) => {
    const err = thrown(f);
    expect(err).toBeInstanceOf(cls);
    expect(isUserError(err)).toBe(true);
    const e = err as HardwareError;
    expect(e.name).toBe(cls.name);
    expect(e.module).toBe(x.module);
    expect(e.subject).toBe(x.subject);
    expect(e.expected).toContain(x.expected);
    expect(e.found).toContain(x.found);
    const line = lineOf(x.at);
    expect(e.loc).toEqual({ file, line });
    expect(e.message).toBe(`module '${x.module}', ${x.subject}: expected ${e.expected}, found ${e.found} (at ${file}:${line})`);
    return e;
  };
}
