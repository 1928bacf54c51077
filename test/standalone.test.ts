// The repository stands alone: a clone holds everything it needs (the contract in docs/spec.md,
// the clips in data/video/), and nothing in it names a folder of the machine it was written on.
// 1. No text file of the repository contains an absolute path of that machine or a reference to
//    a folder beside the repository.
// 2. The clips are found relative to the package, from any current folder, with DCGEN_VIDEO_DIR
//    unset; DCGEN_VIDEO_DIR and --video-dir still move them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIPS, DEFAULT_VIDEO_DIR, PACKAGE_ROOT, VIDEO_DIR_ENV, checkClips, videoDir } from '../sim/eval/common.ts';
import { VIDEO_DIR } from '../sim/cases/cmc/common.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(REPO, 'bin/dcgen.mjs');
const T = 60_000;

// Spelled in pieces so that this file does not match itself.
const FORBIDDEN = [['/', 'work', '/'].join(''), ['..', '/', 'shared'].join(''), ['/', 'root', '/'].join('')];

/** Files that are data, not text: never scanned. */
const BINARY_EXT = new Set(['.y4m', '.png', '.jpg', '.jpeg', '.gif', '.fst', '.vcd', '.gz', '.zip', '.wasm', '.bin']);
const SKIP_NAMES = new Set(['package-lock.json']);

/** The clips' sha256, as data/video/README.md gives them. */
const CLIP_SHA256: Record<string, string> = {
  vtest: '3a6ca2390d381e765c8d378ba7646de555e4a010d0d36789b7cdfd879046e042',
  tree: '6ff0b502f0b266e07b5fb097100c1f3137a4b7d5e8d485646fbaa88a47f81e64',
};

/**
 * The repository's files, relative to REPO: what git tracks plus what it would add (untracked,
 * not ignored), so a new file is checked before it is committed. Outside a git checkout (an
 * unpacked tarball) the folder is walked instead, leaving out what .gitignore leaves out.
 */
function repoFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
    return [...new Set(out.split('\0').filter((f) => f !== ''))].sort();
  } catch {
    const skip = new Set(['.git', 'node_modules', '.cache', 'rtl-out', 'tmp']);
    const files: string[] = [];
    const walk = (rel: string) => {
      for (const e of readdirSync(path.join(REPO, rel), { withFileTypes: true })) {
        const r = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) {
          if (!skip.has(e.name)) walk(r);
        } else files.push(r);
      }
    };
    walk('');
    return files.sort();
  }
}

function isBinaryName(rel: string): boolean {
  return BINARY_EXT.has(path.extname(rel).toLowerCase()) || SKIP_NAMES.has(path.basename(rel));
}

/** Every `file:line: text` of the repository's text files that holds one of FORBIDDEN. */
function findings(files: string[]): { scanned: number; hits: string[] } {
  const hits: string[] = [];
  let scanned = 0;
  for (const rel of files) {
    if (isBinaryName(rel)) continue;
    const abs = path.join(REPO, rel);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      continue; // listed by git but deleted in the working tree
    }
    if (st.isSymbolicLink()) {
      const target = readlinkSync(abs);
      for (const f of FORBIDDEN) if (target.includes(f)) hits.push(`${rel}: symbolic link to '${target}'`);
      continue;
    }
    if (!st.isFile()) continue;
    const buf = readFileSync(abs);
    if (buf.subarray(0, 8192).includes(0)) continue; // a binary file under another name
    scanned++;
    const lines = buf.toString('utf8').split('\n');
    lines.forEach((line, i) => {
      for (const f of FORBIDDEN) if (line.includes(f)) hits.push(`${rel}:${i + 1}: '${f}' in: ${line.trim().slice(0, 160)}`);
    });
  }
  return { scanned, hits };
}

/** The environment of a child process, without DCGEN_VIDEO_DIR. */
function envWithoutVideoDir(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== VIDEO_DIR_ENV) env[k] = v;
  env.NO_COLOR = '1';
  return env;
}

describe('the repository stands alone', () => {
  it('no text file names a path of the machine it was written on, or a folder beside the repository', () => {
    const files = repoFiles();
    // the scan must have seen the repository, not an empty list
    for (const f of ['README.md', 'docs/spec.md', 'data/video/README.md', 'sim/eval/common.ts', 'test/standalone.test.ts']) expect(files).toContain(f);
    const { scanned, hits } = findings(files);
    expect(scanned).toBeGreaterThan(100);
    expect(hits, `files naming ${FORBIDDEN.join(' or ')}:\n${hits.join('\n')}`).toEqual([]);
  });

  it('the scan catches a planted path (checks the checker)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dcgen-standalone-'));
    try {
      // findings() reads relative to REPO: point it at files outside through relative paths
      const rel = (name: string) => path.relative(REPO, path.join(dir, name));
      const planted: Record<string, string> = { 'a.ts': `const d = '${FORBIDDEN[0]}x/data';\n`, 'b.md': `see\n\`${FORBIDDEN[1]}/SPEC.md\`\n`, 'c.txt': `home ${FORBIDDEN[2]}.npm\n`, 'ok.md': 'nothing here\n', 'clip.y4m': `${FORBIDDEN[0]}\n` };
      for (const [n, t] of Object.entries(planted)) writeFileSync(path.join(dir, n), t);
      const { scanned, hits } = findings(Object.keys(planted).map(rel));
      expect(scanned).toBe(4); // the .y4m is skipped
      expect(hits).toHaveLength(3);
      expect(hits[0]).toMatch(/a\.ts:1: /);
      expect(hits[1]).toMatch(/b\.md:2: /);
      expect(hits[2]).toMatch(/c\.txt:1: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the clips are committed in data/video/, byte for byte, and are the default folder of every reader', () => {
    expect(PACKAGE_ROOT).toBe(REPO);
    expect(DEFAULT_VIDEO_DIR).toBe(path.join(REPO, 'data', 'video'));
    // the bytes data/video/README.md lists (a line-ending conversion or a truncation shows here)
    for (const c of CLIPS) expect(createHash('sha256').update(readFileSync(path.join(DEFAULT_VIDEO_DIR, c.file))).digest('hex')).toBe(CLIP_SHA256[c.name]);
    const readme = readFileSync(path.join(DEFAULT_VIDEO_DIR, 'README.md'), 'utf8');
    for (const c of CLIPS) expect(readme).toContain(CLIP_SHA256[c.name]);
    // git must not treat them as text (their first 8,000 bytes hold no NUL byte)
    let attrs: string | undefined;
    try {
      attrs = execFileSync('git', ['check-attr', 'text', 'diff', '--', ...CLIPS.map((c) => `data/video/${c.file}`)], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      attrs = undefined; // not a git checkout
    }
    if (attrs !== undefined) for (const line of attrs.trim().split('\n')) expect(line).toMatch(/: (text|diff): unset$/);
    checkClips(DEFAULT_VIDEO_DIR, 32); // 224×224, C444, progressive, 32 whole frames each
    // the CMC video cases take their folder from the same rule
    expect(VIDEO_DIR).toBe(videoDir());
  });

  it('DCGEN_VIDEO_DIR and an explicit folder (--video-dir) override the default; a blank variable does not', () => {
    const saved = process.env[VIDEO_DIR_ENV];
    try {
      delete process.env[VIDEO_DIR_ENV];
      expect(videoDir()).toBe(DEFAULT_VIDEO_DIR);
      process.env[VIDEO_DIR_ENV] = ' ';
      expect(videoDir()).toBe(DEFAULT_VIDEO_DIR);
      process.env[VIDEO_DIR_ENV] = 'elsewhere/clips';
      expect(videoDir()).toBe('elsewhere/clips');
      expect(videoDir('given')).toBe('given');
    } finally {
      if (saved === undefined) delete process.env[VIDEO_DIR_ENV];
      else process.env[VIDEO_DIR_ENV] = saved;
    }
  });

  describe('from another current folder, DCGEN_VIDEO_DIR unset', () => {
    let cwd: string;
    beforeAll(() => {
      cwd = mkdtempSync(path.join(os.tmpdir(), 'dcgen-standalone-cwd-'));
    });
    afterAll(() => rmSync(cwd, { recursive: true, force: true }));

    it(
      'the module resolves the package folder, not the current one',
      async () => {
        const code = `import('${path.join(REPO, 'sim/eval/common.ts')}').then((m) => { m.checkClips(m.videoDir(), 2); console.log(JSON.stringify({ dir: m.videoDir(), cwd: process.cwd() })); });`;
        // tsx by its resolved URL: the current folder has no node_modules to find it by name
        const r = await execa(process.execPath, ['--import', import.meta.resolve('tsx'), '-e', code], { cwd, env: envWithoutVideoDir(), extendEnv: false, reject: false, timeout: T });
        expect(r.exitCode, String(r.stderr)).toBe(0);
        const out = JSON.parse(String(r.stdout).trim()) as { dir: string; cwd: string };
        expect(out.dir).toBe(path.join(REPO, 'data', 'video'));
        expect(path.resolve(out.cwd)).not.toBe(REPO);
      },
      T,
    );

    it(
      '`dcgen eval cmc --quick` finds the clips and writes its JSON',
      async () => {
        const json = path.join(cwd, 'x.json');
        const r = await execa(process.execPath, [BIN, 'eval', 'cmc', '--quick', '--json', json], { cwd, env: envWithoutVideoDir(), extendEnv: false, reject: false, timeout: T });
        expect({ code: r.exitCode, stderr: String(r.stderr) }).toEqual({ code: 0, stderr: '' });
        const res = JSON.parse(readFileSync(json, 'utf8')) as { kind: string; clips: { name: string }[] };
        expect(res.kind).toBe('dcgen-eval-cmc');
        expect(res.clips.map((c) => c.name)).toEqual(['vtest', 'tree']);
        expect(readdirSync(cwd)).toEqual(['x.json']); // nothing else written in the current folder
      },
      T,
    );
  });
});
