// Running dcgen as users run it (`node bin/dcgen.mjs ...` in a child process) and the checks
// that the exit-status contract asks of every refused command.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, expect } from 'vitest';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin/dcgen.mjs');

export interface Run {
  code: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Run dcgen in `cwd` with extra environment variables; never throws for a failing run.
 * With `timeout` (ms) the child is killed once it has run that long (the Run then has a `signal`).
 */
export async function dcgen(args: string[], opts: { cwd: string; env?: Record<string, string>; timeout?: number }): Promise<Run> {
  const r = await execa(process.execPath, [BIN, ...args], { cwd: opts.cwd, reject: false, env: { NO_COLOR: '1', ...opts.env }, timeout: opts.timeout });
  return { code: r.exitCode, signal: r.signal ?? undefined, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A temporary folder, removed after the test file. */
export function tempRoot(prefix: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Every file and folder under `dir` (hidden ones too), relative path → contents ('<dir>' for folders). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) {
        out[rel] = '<dir>';
        walk(p);
      } else out[rel] = e.isSymbolicLink() ? '<link>' : readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

/** The checks every refused command must pass: exit 2, one `error:` line, no stack, no stdout. */
export function expectUserError(r: Run, ...patterns: RegExp[]): void {
  const lines = r.stderr.trimEnd().split('\n');
  expect({ code: r.code, lines, stdout: r.stdout }).toMatchObject({ code: 2, stdout: '' });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  for (const p of patterns) expect(lines[0]).toMatch(p);
}
