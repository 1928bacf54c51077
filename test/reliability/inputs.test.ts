// Strict inputs (issue 10): what a user types or points dcgen at is either exactly right or
// refused with exit 2, ONE line `error: <message>` naming the option, file or value and the rule,
// and nothing written. Each family is checked value by value in process (main() with a captured
// Io: the same code path as the command line, without a process per value), and a sample of each
// family through the real command line (`node bin/dcgen.mjs` in a child process, in a fresh
// temporary folder whose contents must be unchanged afterwards).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { type Run, dcgen, snapshot, tempRoot } from '../support/cli.ts';

const T = 60_000;

const root = tempRoot('dcgen-inputs-');

let dirs = 0;
/** A fresh folder under the test's temporary root. */
function fresh(name: string): string {
  const d = path.join(root, `${name}-${dirs++}`);
  mkdirSync(d, { recursive: true });
  return d;
}

/** The real command line in a child process, in `cwd`. */
function cli(args: string[], cwd: string): Promise<Run> {
  return dcgen(args, { cwd });
}

/** The command line in process: main() with a captured Io. */
async function inProcess(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (t) => void (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void (stderr += t.endsWith('\n') ? t : `${t}\n`),
  });
  return { code, signal: undefined, stdout, stderr };
}

/** The contract of a refused command: exit 2, nothing on stdout, exactly one line `error: ...` matching every pattern. */
function refused(r: Run, what: string, ...patterns: (RegExp | string)[]): void {
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  expect.soft({ what, code: r.code, stdout: r.stdout, lines: lines.length, error: /^error: /.test(lines[0] ?? '') }, `${what}: ${r.stderr}`).toEqual({ what, code: 2, stdout: '', lines: 1, error: true });
  for (const p of patterns) {
    if (typeof p === 'string') expect.soft(lines[0], what).toContain(p);
    else expect.soft(lines[0], what).toMatch(p);
  }
}

/** Run `args` through the real CLI in a fresh folder (after `setup`); refused, and the folder unchanged. */
async function cliRefused(what: string, args: string[], patterns: (RegExp | string)[], setup?: (dir: string) => void): Promise<void> {
  const cwd = fresh('cli');
  setup?.(cwd);
  const before = snapshot(cwd);
  const r = await cli(args, cwd);
  refused(r, what, ...patterns);
  expect.soft(snapshot(cwd), `${what}: nothing written`).toEqual(before);
}

/** Integers that are not plain decimal: each must be refused wherever an integer is read. */
const NOT_DECIMAL = [' 4', '4 ', '0x10', '016', '-0', '1e3', '+4', '', '4.0'];

// ---- y4m clips, synthesised ----

const FRAME_444 = 224 * 224 * 3;
/** A y4m file: the header line, then `frames` frames of `bytes` bytes each, then `tail`. */
function y4m(file: string, header: string, frames: number, bytes: number, tail = ''): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.alloc(bytes, 100)]);
  writeFileSync(file, Buffer.concat([Buffer.from(`${header}\n`), ...Array.from({ length: frames }, () => frame), Buffer.from(tail, 'latin1')]));
}
/** A video folder whose vtest clip (the first one read) is `header` + frames; tree is a good 2-frame clip. */
function videoDir(name: string, header: string, frames = 2, bytes = FRAME_444, tail = ''): string {
  const d = path.join(root, 'video', name);
  y4m(path.join(d, 'vtest-224-444.y4m'), header, frames, bytes, tail);
  y4m(path.join(d, 'tree-224-444.y4m'), 'YUV4MPEG2 W224 H224 F10:1 Ip A0:0 C444', 2, FRAME_444);
  return d;
}

describe('1. integers: plain decimal only, everywhere', () => {
  it('every integer option of every command refuses the whole family, naming the option and the rule', async () => {
    const json = path.join(root, 'never', 'eval.json');
    const noVideo = path.join(root, 'no-video-here');
    // [command prefix (with, when needed, arguments that make an accepted value fail loudly elsewhere), option]
    const options: [string[], string][] = [
      [['regress', '--list'], 'seeds'],
      [['regress', '--list'], 'jobs'],
      [['mutate', 'no.such.case.*'], 'max'],
      [['mutate', 'no.such.case.*'], 'seed'],
      [['mutate', 'no.such.case.*'], 'jobs'],
      [['sweep', 'common.adder_tree', '--vary', 'n=0'], 'jobs'],
      [['eval', 'ditto', '--video-dir', noVideo, '--json', json], 'frames'],
      [['eval', 'ditto', '--video-dir', noVideo, '--json', json], 'seed'],
      [['eval', 'ditto', '--video-dir', noVideo, '--json', json], 'lanes'],
      [['eval', 'cmc', '--video-dir', noVideo, '--json', json], 'frames'],
    ];
    for (const [prefix, opt] of options) {
      for (const bad of NOT_DECIMAL) {
        const r = await inProcess([...prefix, `--${opt}=${bad}`]);
        const what = `${prefix[0]} --${opt}=${JSON.stringify(bad)}`;
        if (bad === '') refused(r, what, `'--${opt}'`, 'needs a non-empty value');
        else refused(r, what, `--${opt} '${bad}'`, 'in plain decimal (digits only; no +, spaces, leading zeros, 0x, exponent or fraction)');
      }
    }
    // --shard k/n: both numbers
    for (const bad of NOT_DECIMAL.filter((b) => b !== '')) {
      for (const shard of [`${bad}/2`, `1/${bad}`]) refused(await inProcess(['regress', '--list', `--shard=${shard}`]), `--shard ${shard}`, `--shard '${shard}'`, 'expected k/n', 'plain decimal');
    }
    // the range is named too, and plain decimal in range is accepted
    refused(await inProcess(['regress', '--list', '--jobs=0']), '--jobs 0', "--jobs '0': expected a whole number from 1 to 10000, found 0");
    refused(await inProcess(['eval', 'ditto', '--video-dir', noVideo, '--json', json, '--lanes', '99999999999999999999']), 'huge', '--lanes', 'from 1 to 64');
    const ok = await inProcess(['regress', '--list', '--seeds', '2', '--jobs', '16', '--shard', '1/2', '--filter', 'common.adder_tree.*']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(path.join(root, 'never'))).toBe(false);
  }, T);

  it('--set, --vary and string values in a JSON config refuse the family for int parameters (negative ranges too)', async () => {
    const out = path.join(root, 'never-out');
    const cfgDir = fresh('cfg-int');
    for (const bad of NOT_DECIMAL) {
      const what = `n=${JSON.stringify(bad)}`;
      // --set n= (empty) is a --set syntax error; the others name the parameter and the rule
      if (bad === '') refused(await inProcess(['generate', 'common.adder_tree', '--out', out, '--set', 'n=']), `--set ${what}`, "--set 'n='", 'name=value');
      else refused(await inProcess(['generate', 'common.adder_tree', '--out', out, '--set', `n=${bad}`]), `--set ${what}`, "parameter 'n'", `found ${JSON.stringify(bad)}`, 'plain decimal (digits only;');
      const cfg = path.join(cfgDir, `c${NOT_DECIMAL.indexOf(bad)}.json`);
      writeFileSync(cfg, JSON.stringify({ n: bad }));
      refused(await inProcess(['generate', 'common.adder_tree', '--out', out, '--config', cfg]), `config ${what}`, "parameter 'n'", `found ${JSON.stringify(bad)}`);
      if (bad !== '') {
        refused(await inProcess(['sweep', 'common.adder_tree', '--vary', `n=2,${bad}`]), `--vary ${what}`, 'point 2 of 2', "parameter 'n'", 'plain decimal', 'no point was run');
      }
    }
    // a parameter whose range includes negative numbers: -5 is plain decimal, -0 and +5 are not
    refused(await inProcess(['generate', 'ditto.vpu', '--out', out, '--set', 'actInZero=-0']), 'actInZero=-0', "parameter 'actInZero'", 'a leading - for a negative number');
    refused(await inProcess(['generate', 'ditto.vpu', '--out', out, '--set', 'actInZero=+5']), 'actInZero=+5', 'found "+5"');
    refused(await inProcess(['generate', 'ditto.vpu', '--out', out, '--set', 'actInZero=-129']), 'actInZero=-129', 'from -128 to 127, found -129');
    expect(existsSync(out)).toBe(false);
  }, T);

  it('through the real command line: exit 2, one error line, nothing written', async () => {
    await Promise.all([
      cliRefused('--set n=0x10', ['generate', 'common.adder_tree', '--set', 'n=0x10'], ["parameter 'n'", 'found "0x10"', 'plain decimal']),
      cliRefused('--set width=" 4"', ['generate', 'common.adder_tree', '--out', 'o', '--set', 'width= 4'], ["parameter 'width'", 'found " 4"']),
      cliRefused('config "+4"', ['generate', 'common.adder_tree', '--out', 'o', '--config', 'c.json'], ["parameter 'n'", 'found "+4"'], (d) => writeFileSync(path.join(d, 'c.json'), '{"n": "+4"}')),
      cliRefused('regress --jobs 4.0', ['regress', '--jobs', '4.0'], ["--jobs '4.0'", 'plain decimal']),
      cliRefused('regress --shard 01/2', ['regress', '--shard', '01/2'], ["--shard '01/2'", 'plain decimal']),
      cliRefused('mutate --seed=-0', ['mutate', 'common.adder_tree', '--seed=-0'], ["--seed '-0'", 'plain decimal']),
      cliRefused('sweep --jobs 1e3', ['sweep', 'common.adder_tree', '--vary', 'n=2', '--jobs', '1e3'], ["--jobs '1e3'", 'plain decimal']),
      cliRefused('eval --frames 016', ['eval', 'cmc', '--frames', '016'], ["--frames '016'", 'plain decimal']),
      cliRefused('--clock-ns 1e3', ['generate', 'common.adder_tree', '--clock-ns', '1e3'], ['--clock-ns "1e3"', 'a number greater than 0']),
    ]);
  }, T);
});

describe('2. an option given twice', () => {
  it('is an error for every non-repeatable option and flag; --set naming a parameter twice too; repeatable options stay repeatable', async () => {
    const out = path.join(root, 'never-twice');
    const cases: [string[], string[]][] = [
      [['generate', 'common.adder_tree', '--out', out, '--out', `${out}2`], ["option '--out' of 'dcgen generate' given twice", 'it takes one value']],
      [['generate', 'common.adder_tree', '--out', out, '--clock-ns', '5', '--clock-ns', '5'], ["'--clock-ns'", 'given twice']],
      [['generate', 'common.adder_tree', '--out', out, '--config', 'a.json', '--config', 'b.json'], ["'--config'", 'given twice']],
      [['generate', 'common.adder_tree', '--out', out, '--src-comments', '--src-comments'], ["option '--src-comments' of 'dcgen generate' given twice"]],
      [['generate', 'common.adder_tree', '--out', out, '--set', 'n=bad', '--set', 'n=4'], ["--set: parameter 'n' given twice ('bad' and '4')"]],
      [['generate', 'common.adder_tree', '--out', out, '--set', 'n=4', '--set', 'n=4'], ["parameter 'n' given twice"]],
      [['regress', '--list', '--seeds', '1', '--seeds', '2'], ["'--seeds'", 'given twice']],
      [['regress', '--list', '-j', '2', '--jobs', '3'], ["'--jobs'", 'given twice']],
      [['regress', '--list', '--full', '--full'], ["'--full'", 'given twice']],
      [['mutate', 'common.adder_tree', '--max', '1', '--max', '1'], ["'--max'", 'given twice']],
      [['sweep', 'common.adder_tree', '--vary', 'n=2', '--target', 'generic', '--target', 'ice40'], ["'--target'", 'given twice']],
      [['sweep', 'common.adder_tree', '--vary', 'n=2', '--set', 'width=4', '--set', 'width=5'], ["parameter 'width' given twice"]],
      [['sweep', 'common.adder_tree', '--vary', 'n=2', '--vary', 'n=4'], ["--vary: parameter 'n' given twice"]],
      [['sweep', 'common.adder_tree', '--vary', 'n=2,4,2'], ["value '2' given twice"]],
      [['eval', 'cmc', '--quick', '--quick'], ["'--quick'", 'given twice']],
      [['eval', 'cmc', '--video-dir', 'a', '--video-dir', 'b'], ["'--video-dir'", 'given twice']],
      [['list', '--json', '--json'], ["'--json'", 'given twice']],
    ];
    for (const [args, patterns] of cases) refused(await inProcess(args), args.join(' '), ...patterns);
    const filters = await inProcess(['regress', '--list', '--filter', 'common.adder_tree.*', '--filter', 'common.fifo.*']);
    expect(filters.code, filters.stderr).toBe(0);
    expect(filters.stdout).toMatch(/common\.adder_tree\./);
    expect(filters.stdout).toMatch(/common\.fifo\./);
    expect(existsSync(out)).toBe(false);
  }, T);

  it('through the real command line', async () => {
    await Promise.all([
      cliRefused('--out twice', ['generate', 'common.adder_tree', '--out', 'a', '--out', 'b'], ["option '--out' of 'dcgen generate' given twice ('a' and 'b')"]),
      cliRefused('--set n twice', ['generate', 'common.adder_tree', '--set', 'n=bad', '--set', 'n=4'], ["parameter 'n' given twice"]),
    ]);
  }, T);
});

describe('3. --config', () => {
  let src: string;
  let manifest: Record<string, unknown> & { params: Record<string, unknown> };
  beforeAll(async () => {
    // a real manifest to start from
    src = fresh('manifest');
    const g = await cli(['generate', 'common.adder_tree', '--out', 'tree', '--set', 'n=5'], src);
    expect(g.code, g.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(src, 'tree', 'manifest.json'), 'utf8')) as typeof manifest;
  }, T);
  const file = (dir: string, name: string, value: unknown) => {
    const f = path.join(dir, name);
    writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return f;
  };
  type Case = [what: string, design: string, name: string, content: () => unknown, patterns: string[]];
  const CASES: Case[] = [
    ['other design', 'common.argmin', 'm.json', () => manifest, ["expected a manifest of design 'common.argmin' (the design given to dcgen generate), found the manifest of design 'common.adder_tree'"]],
    ['no design field', 'common.adder_tree', 'm.json', () => ({ ...manifest, design: undefined }), ['without a "design" field', "'common.adder_tree'"]],
    ['design edited', 'common.argmin', 'm.json', () => ({ ...manifest, design: 'common.argmin' }), ['manifest edited by hand', 'configHash']],
    ['design edited, other command', 'common.adder_tree', 'm.json', () => ({ ...manifest, design: 'common.argmin' }), ['manifest edited by hand']],
    ['params edited', 'common.adder_tree', 'm.json', () => ({ ...manifest, params: { ...manifest.params, n: 6 } }), ['manifest edited by hand']],
    ['design not a string', 'common.adder_tree', 'm.json', () => ({ ...manifest, design: 7 }), ['"design"', 'expected a design name, found a number']],
    ['ts promise', 'common.adder_tree', 'c.ts', () => 'export default Promise.resolve({ n: 4 });\n', ['expected a plain object', 'found a Promise']],
    ['ts rejected promise', 'common.adder_tree', 'c.ts', () => "export default Promise.reject(new Error('later'));\n", ['found a Promise']],
    ['ts class instance', 'common.adder_tree', 'c.ts', () => 'class Cfg {\n  n = 4;\n}\nexport default new Cfg();\n', ['found an instance of Cfg']],
    ['ts function', 'common.adder_tree', 'c.ts', () => 'export default function cfg() {\n  return { n: 4 };\n}\n', ['found a function']],
    ['ts class', 'common.adder_tree', 'c.ts', () => 'export default class Cfg {}\n', ['found a class (Cfg)']],
    ['ts array', 'common.adder_tree', 'c.ts', () => 'export default [4];\n', ['found an array']],
    ['ts null', 'common.adder_tree', 'c.ts', () => 'export default null;\n', ['found null']],
    ['ts number', 'common.adder_tree', 'c.ts', () => 'export default 4;\n', ['found a number']],
    ['ts throws', 'common.adder_tree', 'c.ts', () => "throw new Error('config exploded\\n    at somewhere');\nexport default { n: 4 };\n", ['cannot load the module: config exploded']],
    ['ts throws a non-error', 'common.adder_tree', 'c.ts', () => 'throw { code: 1 };\nexport default { n: 4 };\n', ['cannot load the module']],
    ['ts syntax error', 'common.adder_tree', 'c.ts', () => 'export default { n: 4\n', ['cannot load the module']],
  ];

  it('a manifest of another design, without its design field, or edited by hand; a .ts export that is not a plain object, or that throws', async () => {
    const out = path.join(root, 'never-config');
    for (const [what, design, name, content, patterns] of CASES) {
      const f = file(fresh('config'), name, content());
      refused(await inProcess(['generate', design, '--out', out, '--config', f]), what, `--config '${f}'`, ...patterns);
    }
    expect(existsSync(out)).toBe(false);
    // the manifest as dcgen wrote it regenerates exactly that configuration
    const again = path.join(root, 'regenerated');
    const regen = await inProcess(['generate', 'common.adder_tree', '--out', again, '--config', path.join(src, 'tree', 'manifest.json')]);
    expect(regen.code, regen.stderr).toBe(0);
    expect(readFileSync(path.join(again, 'common_adder_tree.v'), 'utf8')).toBe(readFileSync(path.join(src, 'tree', 'common_adder_tree.v'), 'utf8'));
  }, T);

  it('through the real command line: exit 2, one error line (no stack, even when the module throws), nothing written', async () => {
    const pick = ['other design', 'design edited', 'ts rejected promise', 'ts class instance', 'ts throws', 'ts syntax error'];
    await Promise.all(
      CASES.filter((c) => pick.includes(c[0])).map(([what, design, name, content, patterns]) =>
        cliRefused(what, ['generate', design, '--config', name], [`--config '${name}'`, ...patterns], (d) => void file(d, name, content())),
      ),
    );
  }, T);
});

describe('4. y4m clips', () => {
  const GOOD = 'YUV4MPEG2 W224 H224 F10:1 Ip A0:0 C444';
  it('headers are checked against what the evaluation needs (size, colour space, interlacing), before any work', async () => {
    const json = path.join(root, 'never-y4m', 'e.json');
    const cases: [string, string, (string | RegExp)[], string[]?][] = [
      ['It', videoDir('it', 'YUV4MPEG2 W224 H224 F10:1 It A0:0 C444'), ['vtest-224-444.y4m: expected progressive frames (Ip or no I tag), found It (top field first)']],
      ['Ib', videoDir('ib', 'YUV4MPEG2 W224 H224 Ib C444'), ['found Ib (bottom field first)']],
      ['Im', videoDir('im', 'YUV4MPEG2 W224 H224 Im C444'), ['found Im (mixed modes)']],
      ['I?', videoDir('iq', 'YUV4MPEG2 W224 H224 I? C444'), ['found I? (unknown)']],
      ['C420', videoDir('c420', 'YUV4MPEG2 W224 H224 Ip C420jpeg', 2, 224 * 224 + 2 * 112 * 112), ['expected colour space C444, found C420jpeg']],
      ['no C tag', videoDir('noc', 'YUV4MPEG2 W224 H224 Ip', 2, 224 * 224 + 2 * 112 * 112), ['found C420jpeg (the default when the header has no C tag)']],
      ['mono', videoDir('mono', 'YUV4MPEG2 W224 H224 Cmono', 2, 224 * 224), ['found Cmono']],
      ['C444p10', videoDir('p10', 'YUV4MPEG2 W224 H224 C444p10'), ['unsupported y4m colour space C444p10']],
      ['320x240', videoDir('qvga', 'YUV4MPEG2 W320 H240 Ip C444', 2, 320 * 240 * 3), ['expected 224x224 frames (W224 H224), found 320x240']],
      ['32x32', videoDir('tiny', 'YUV4MPEG2 W32 H32 Ip C444', 2, 32 * 32 * 3), ['expected 224x224 frames (W224 H224), found 32x32']],
      ['W0', videoDir('w0', 'YUV4MPEG2 W0 H224 C444', 0, 0), ['y4m header: W0: expected a size from 1 to 16384 in plain decimal, found "0"']],
      ['H0', videoDir('h0', 'YUV4MPEG2 W224 H0 C444', 0, 0), ['H0: expected a size from 1 to 16384']],
      ['huge', videoDir('huge', 'YUV4MPEG2 W999999999 H999999999 C444', 0, 0, 'FRAME\n'), ['W999999999: expected a size from 1 to 16384']],
      ['W0x10', videoDir('hex', 'YUV4MPEG2 W0x10 H224 C444', 0, 0), ['found "0x10"']],
      ['W1e3', videoDir('exp', 'YUV4MPEG2 W1e3 H224 C444', 0, 0), ['found "1e3"']],
      ['W0224', videoDir('lead0', 'YUV4MPEG2 W0224 H224 C444', 0, 0), ['found "0224"']],
      ['W224.0', videoDir('frac', 'YUV4MPEG2 W224.0 H224 C444', 0, 0), ['found "224.0"']],
      ['not y4m', videoDir('text', 'P6 224 224 255', 0, 0), ['not a y4m file']],
      ['empty', videoDir('empty', '', 0, 0), ['not a y4m file']],
      ['truncated plane', videoDir('cut', GOOD, 1, FRAME_444, 'FRAME\n\x01\x02\x03'), ['frame 1 truncated: expected 150528 bytes of planes (224x224 C444), found 3']],
      ['truncated FRAME line', videoDir('cutline', GOOD, 1, FRAME_444, 'FRA'), ['truncated: the file ends inside the FRAME 1 line']],
      ['junk instead of FRAME', videoDir('junk', GOOD, 1, FRAME_444, 'GARBAGE\n'), ["expected 'FRAME'"]],
      ['too few frames', videoDir('short', GOOD, 2), ['vtest-224-444.y4m: expected at least 32 frames', 'found 2']],
      ['too few for --frames', videoDir('short8', GOOD, 4), ['expected at least 8 frames', 'found 4'], ['--frames', '8']],
    ];
    for (const [name, dir, patterns, extra] of cases) {
      for (const which of ['cmc', 'ditto']) {
        const r = await inProcess(['eval', which, '--video-dir', dir, '--json', json, ...(extra ?? [])]);
        refused(r, `${which} ${name}`, path.join(dir, 'vtest-224-444.y4m'), ...patterns);
      }
    }
    expect(existsSync(path.dirname(json))).toBe(false);
  }, T);

  it('a clip that is a folder, a missing clip, a --video-dir that does not exist or is a file', async () => {
    const json = path.join(root, 'never-y4m2', 'e.json');
    const folderClip = path.join(root, 'video', 'folder');
    mkdirSync(path.join(folderClip, 'vtest-224-444.y4m'), { recursive: true });
    const onlyTree = path.join(root, 'video', 'only-tree');
    y4m(path.join(onlyTree, 'tree-224-444.y4m'), GOOD, 32, FRAME_444);
    const file = path.join(root, 'video', 'a-file');
    writeFileSync(file, 'x');
    const cases: [string, string, string[]][] = [
      ['clip is a folder', folderClip, [`${path.join(folderClip, 'vtest-224-444.y4m')}: expected a y4m file, found a folder`]],
      ['clip missing', onlyTree, [`video clip '${path.join(onlyTree, 'vtest-224-444.y4m')}' not found`, '--video-dir']],
      ['no such folder', path.join(root, 'video', 'nope'), [`video folder '${path.join(root, 'video', 'nope')}' not found`, 'vtest-224-444.y4m and tree-224-444.y4m']],
      ['folder is a file', file, [`video folder '${file}': expected a folder, found a file`]],
    ];
    for (const [name, dir, patterns] of cases) {
      for (const which of ['cmc', 'ditto']) refused(await inProcess(['eval', which, '--video-dir', dir, '--json', json]), `${which} ${name}`, ...patterns);
    }
    // the second clip is checked before any work on the first
    const badTree = path.join(root, 'video', 'bad-tree');
    y4m(path.join(badTree, 'vtest-224-444.y4m'), GOOD, 32, FRAME_444);
    y4m(path.join(badTree, 'tree-224-444.y4m'), 'YUV4MPEG2 W224 H224 It C444', 32, FRAME_444);
    refused(await inProcess(['eval', 'cmc', '--video-dir', badTree, '--json', json]), 'bad tree', 'tree-224-444.y4m: expected progressive frames');
    expect(existsSync(path.dirname(json))).toBe(false);
  }, T);

  it('through the real command line: exit 2, one error line, no JSON written', async () => {
    const v = (name: string) => path.join(root, 'video', name);
    await Promise.all([
      cliRefused('It', ['eval', 'cmc', '--video-dir', v('it')], ['expected progressive frames', 'found It']),
      cliRefused('320x240', ['eval', 'ditto', '--video-dir', v('qvga')], ['expected 224x224 frames', 'found 320x240']),
      cliRefused('W999999999', ['eval', 'cmc', '--video-dir', v('huge')], ['W999999999: expected a size from 1 to 16384']),
      cliRefused('truncated', ['eval', 'cmc', '--video-dir', v('cut')], ['frame 1 truncated']),
      cliRefused('too few frames', ['eval', 'cmc', '--video-dir', v('short8'), '--frames', '8'], ['expected at least 8 frames', 'found 4']),
      cliRefused('clip is a folder', ['eval', 'ditto', '--video-dir', v('folder')], ['expected a y4m file, found a folder']),
      cliRefused('no such --video-dir', ['eval', 'cmc', '--video-dir', 'missing-dir'], ["video folder 'missing-dir' not found"]),
    ]);
  }, T);
});

describe('5. sweep: every point validated before any runs', () => {
  it('a point out of range, breaking the design rule, or not a value at all refuses the sweep, nothing written', async () => {
    await Promise.all([
      cliRefused('depth=0,99999', ['sweep', 'common.fifo', '--vary', 'depth=4,99999'], ['sweep of common.fifo: point 2 of 2 (depth=99999) is invalid, so no point was run', "parameter 'depth'", 'found 99999']),
      cliRefused('depth=0', ['sweep', 'common.fifo', '--vary', 'depth=0,4'], ['point 1 of 2 (depth=0)', 'found 0']),
      cliRefused('$(...)', ['sweep', 'common.adder_tree', '--vary', 'n=2,$(touch pwned)'], ['point 2 of 2 (n=$(touch pwned))', 'expected an integer, found "$(touch pwned)"']),
      cliRefused('cross rule', ['sweep', 'common.adder_tree', '--vary', 'n=2,8', '--set', 'stages=4'], ['point 1 of 2 (n=2)', "parameter 'stages' = 4"]),
      cliRefused('cross rule on a later point', ['sweep', 'common.adder_tree', '--vary', 'stages=1,2,3', '--set', 'n=2'], ['point 3 of 3 (stages=3)']),
      cliRefused('unknown --set', ['sweep', 'common.adder_tree', '--vary', 'n=2', '--set', 'depth=3'], ["unknown parameter 'depth'"]),
    ]);
  }, T);
});
