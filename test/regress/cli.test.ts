// `dcgen regress`, `dcgen mutate` and `dcgen cache` as users run them (`node bin/dcgen.mjs`):
// usage, bad input (exit 2, one `error:` line), and the cache commands on a private cache folder.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Run, dcgen, expectUserError, tempRoot } from '../support/cli.ts';

const T = 120_000;

const root = tempRoot('dcgen-regress-cli-');

/** dcgen in the test's temporary root, with CI set and extra environment variables. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return dcgen(args, { cwd: root, env: { CI: 'true', ...env } });
}

describe('usage', () => {
  it('lists the new commands and prints their help', async () => {
    const [top, regress, mutate, cache] = await Promise.all([run(['--help']), run(['regress', '--help']), run(['mutate', '-h']), run(['cache', '--help'])]);
    for (const r of [top, regress, mutate, cache]) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(top.stdout).toContain('dcgen regress [--filter glob]... [--seeds n] [--jobs n] [--shard k/n] [--junit file] [--sim verilator|icarus] [--full]');
    expect(top.stdout).toContain('dcgen mutate <design|case-glob> [--max n] [--seed s] [--jobs n]');
    expect(top.stdout).toContain('dcgen cache clean [--dir path] | cache path');
    expect(regress.stdout).toMatch(/^Usage: dcgen regress \[--filter <glob>\]\.\.\. \[--seeds <n>\] \[--jobs <n>\] \[--shard <k\/n>\] \[--junit <file>\] \[--sim <verilator\|icarus>\] \[--full\]/);
    expect(mutate.stdout).toMatch(/^Usage: dcgen mutate <design\|case-glob> \[--max <n>\] \[--seed <s>\]/);
    expect(cache.stdout).toMatch(/^Usage: dcgen cache <clean\|path> \[--dir <path>\]/);
  }, T);
});

describe('bad input exits 2 with one error line', () => {
  it('regress', async () => {
    const runs = await Promise.all([
      run(['regress', '--shard', '0/2']),
      run(['regress', '--shard', '3/2']),
      run(['regress', '--shard', 'half']),
      run(['regress', '--jobs', '0']),
      run(['regress', '--seeds', 'many']),
      run(['regress', '--sim', 'modelsim']),
      run(['regress', '--filter', 'no.such.case*']),
      run(['regress', '--frobnicate']),
    ]);
    expectUserError(runs[0]!, /--shard '0\/2': expected k\/n with 1 <= k <= n/);
    expectUserError(runs[1]!, /--shard '3\/2'/);
    expectUserError(runs[2]!, /--shard 'half'/);
    expectUserError(runs[3]!, /--jobs '0': expected a whole number from 1/);
    expectUserError(runs[4]!, /--seeds 'many'/);
    expectUserError(runs[5]!, /--sim 'modelsim': expected verilator or icarus/);
    expectUserError(runs[6]!, /--filter 'no\.such\.case\*' selects no case/);
    expectUserError(runs[7]!, /unknown option '--frobnicate' for 'dcgen regress'/);
    // nothing was written for a refused command
    expect(existsSync(path.join(root, 'rtl-out'))).toBe(false);
  }, T);

  it('mutate and cache', async () => {
    const runs = await Promise.all([
      run(['mutate']),
      run(['mutate', 'no.such_design']),
      run(['mutate', 'common.adder_tree', '--max', '0']),
      run(['mutate', 'common.adder_tree', '--seed', '-3']),
      run(['cache']),
      run(['cache', 'frob']),
      run(['cache', 'path', '--dir', 'x']),
    ]);
    expectUserError(runs[0]!, /'dcgen mutate' needs <design\|case-glob>/);
    expectUserError(runs[1]!, /'no\.such_design' is neither a design nor a glob that selects a cosim case/);
    expectUserError(runs[2]!, /--max '0': expected a whole number from 1/);
    expectUserError(runs[3]!, /option '--seed' of 'dcgen mutate' needs a value|--seed '-3'/);
    expectUserError(runs[4]!, /'dcgen cache' needs <clean\|path>/);
    expectUserError(runs[5]!, /unknown action 'frob' for 'dcgen cache': expected clean or path/);
    expectUserError(runs[6]!, /'--dir' is for 'dcgen cache clean' only/);
  }, T);
});

describe('dcgen cache', () => {
  it('path prints the cache folder; clean empties it and the case designs beside it', async () => {
    const cache = path.join(root, 'c', 'verilator');
    const designs = path.join(root, 'c', 'designs');
    mkdirSync(path.join(cache, 'top-0123456789abcdef0123'), { recursive: true });
    writeFileSync(path.join(cache, 'top-0123456789abcdef0123', 'entry.json'), '{}');
    writeFileSync(path.join(cache, 'top-0123456789abcdef0123', 'Vsim'), 'x'.repeat(5000));
    writeFileSync(path.join(cache, '.verilator-version.json'), '{}');
    mkdirSync(path.join(designs, 'common.adder_tree-0011223344556677'), { recursive: true });
    writeFileSync(path.join(designs, 'common.adder_tree-0011223344556677', 'manifest.json'), '{}');
    // both folders carry dcgen's marker (an unmarked one is refused unless it holds only cache entries)
    writeFileSync(path.join(cache, '.dcgen-cache'), JSON.stringify({ kind: 'builds', format: 1 }));
    writeFileSync(path.join(designs, '.dcgen-cache'), JSON.stringify({ kind: 'designs', format: 1 }));
    const env = { DCGEN_CACHE_DIR: cache };
    const p = await run(['cache', 'path'], env);
    expect({ code: p.code, stdout: p.stdout, stderr: p.stderr }).toEqual({ code: 0, stdout: cache, stderr: '' });
    const c = await run(['cache', 'clean'], env);
    expect({ code: c.code, stderr: c.stderr }).toEqual({ code: 0, stderr: '' });
    expect(c.stdout).toMatch(/^build cache .*c\/verilator: removed 2 entries \(\d+\.\d KB\)$/m);
    expect(c.stdout).toMatch(/^ {2}removed top-0123456789abcdef0123$/m);
    // a design folder whose manifest.json dcgen did not write is not dcgen's: kept
    expect(c.stdout).toMatch(/^case designs .*c\/designs: removed 0 entries/m);
    expect(c.stdout).toMatch(/^ {2}kept common\.adder_tree-0011223344556677 \(named like a generated design, but its manifest\.json was not written by dcgen\)$/m);
    expect(c.stdout).toMatch(/^removed 2 entries, \d+\.\d KB freed; kept 1 item dcgen did not write$/m);
    expect(readdirSync(cache)).toEqual(['.dcgen-cache']);
    expect(readdirSync(designs).sort()).toEqual(['.dcgen-cache', 'common.adder_tree-0011223344556677']);
    // again: nothing left to remove
    const again = await run(['cache', 'clean'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/removed 0 entries, 0\.0 KB freed/);
  }, T);

  it('clean --dir empties that folder only', async () => {
    // an older dcgen's cache (no marker, nothing but cache entries) is still cleaned
    const other = path.join(root, 'other-cache');
    mkdirSync(path.join(other, 'a-0123456789abcdef0123'), { recursive: true });
    writeFileSync(path.join(other, 'a-0123456789abcdef0123', 'entry.json'), '{}');
    const designs = path.join(root, 'd2', 'designs');
    mkdirSync(path.join(designs, 'keep-me'), { recursive: true });
    const r = await run(['cache', 'clean', '--dir', other], { DCGEN_CACHE_DIR: path.join(root, 'd2', 'verilator') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/removed a-0123456789abcdef0123/);
    expect(r.stdout).not.toMatch(/case designs/);
    expect(readdirSync(other)).toEqual([]);
    expect(readdirSync(designs)).toEqual(['keep-me']);
    // a folder of other files is refused, untouched
    mkdirSync(path.join(other, 'a-1'));
    expectUserError(await run(['cache', 'clean', '--dir', other]), /other-cache' is not a dcgen build cache: no \.dcgen-cache marker/);
    expect(readdirSync(other)).toEqual(['a-1']);
  }, T);
});
