// What the algorithm-level evaluations (`dcgen eval ditto|cmc`, docs/eval.md) share: the real
// clips, the token reader, table and number formatting, atomic JSON output, and a Gaussian /
// Laplace sampler on top of the stimulus Rng (mulberry32).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DcgenError } from '../../generator/errors.ts';
import { writeFileAtomic } from '../regress/junit.ts';
import { formatTable } from '../regress/report.ts';
import { Rng } from '../stimulus/rng.ts';
import { type Y4mFrame, Y4mFormatError, Y4mReader, requireY4mFormat, tokenGridOf, tokenize } from '../video/y4m.ts';

/** An evaluation input that cannot be used (missing clip, bad y4m, bad option value). */
export class EvalInputError extends DcgenError {}

/** The package root (two levels above this file), wherever it was cloned or installed. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Env variable that points the evaluations and the real-video cases at another clip folder. */
export const VIDEO_DIR_ENV = 'DCGEN_VIDEO_DIR';

/**
 * Where the clips live unless `--video-dir` or $DCGEN_VIDEO_DIR says otherwise: the package's own
 * `data/video/` (committed with the repository, provenance in its README), independent of the
 * current folder. Every reader of the clips takes its folder from here, through videoDir().
 */
export const DEFAULT_VIDEO_DIR = path.join(PACKAGE_ROOT, 'data', 'video');

export interface ClipInfo {
  /** short name used in tables and JSON */
  name: string;
  file: string;
  note: string;
}

/** The two real clips (224×224 yuv444p, 32 frames each; data/video/README.md), read in place. */
export const CLIPS: readonly ClipInfo[] = [
  { name: 'vtest', file: 'vtest-224-444.y4m', note: 'fixed camera, people walking (high redundancy)' },
  { name: 'tree', file: 'tree-224-444.y4m', note: 'hand-held camera, a tree and a hand (low redundancy)' },
];

/** The clip folder: `explicit` (--video-dir), else $DCGEN_VIDEO_DIR (when set and not blank), else DEFAULT_VIDEO_DIR. */
export function videoDir(explicit?: string): string {
  if (explicit !== undefined) return explicit;
  const env = process.env[VIDEO_DIR_ENV];
  return env !== undefined && env.trim() !== '' ? env : DEFAULT_VIDEO_DIR;
}

/**
 * What every evaluation is built for (docs/eval.md): 224×224 frames, i.e. the 14×14 grid of 16×16
 * tokens of 768 bytes that the CMC/Ditto configurations assume, yuv444p (three full planes),
 * progressive. A clip that differs is refused, naming what was expected and what was found.
 */
export const CLIP_FORMAT = { width: 224, height: 224, colorspace: '444', progressive: true } as const;

export function clipPath(dir: string, clip: ClipInfo): string {
  const want = `the folder holding ${CLIPS.map((c) => c.file).join(' and ')} with --video-dir or DCGEN_VIDEO_DIR`;
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new EvalInputError(`video folder '${dir}' not found (give ${want})`);
  }
  if (!isDir) throw new EvalInputError(`video folder '${dir}': expected a folder, found a file (give ${want})`);
  const p = path.join(dir, clip.file);
  if (!existsSync(p)) throw new EvalInputError(`video clip '${p}' not found (give ${want})`);
  return p;
}

/** Open a clip, check its header against CLIP_FORMAT, read `count` frames (each to `each`); errors are EvalInputErrors. */
function readClip(file: string, count: number, each: (f: Y4mFrame) => void): void {
  let r: Y4mReader | undefined;
  try {
    r = new Y4mReader(file);
    requireY4mFormat(file, r.header, CLIP_FORMAT);
    let n = 0;
    for (; n < count; n++) {
      const f = r.readFrame();
      if (!f) break;
      each(f);
    }
    if (n < count) throw new EvalInputError(`${file}: expected at least ${count} frames (the frames asked for, e.g. with --frames), found ${n}`);
  } catch (e) {
    if (e instanceof Y4mFormatError) throw new EvalInputError(e.message.startsWith(file) ? e.message : `${file}: ${e.message}`);
    throw e;
  } finally {
    r?.close();
  }
}

/** Check a clip without keeping it: header (CLIP_FORMAT), and `count` whole frames. */
export function checkClip(file: string, count: number): void {
  readClip(file, count, () => {});
}

/** Check every clip of CLIPS in `dir` for `count` frames: run before an evaluation does any work. */
export function checkClips(dir: string, count: number): void {
  for (const clip of CLIPS) checkClip(clipPath(dir, clip), count);
}

export interface ClipTokens {
  /** frames read */
  T: number;
  /** tokens per frame (196 for 224×224 with 16×16 patches) */
  N: number;
  /** elements per token (768 = 16·16·3) */
  n: number;
  /** token grid */
  H: number;
  W: number;
  /** frames[t]: the N tokens of frame t back to back (token i at [i·n, i·n + n)), planar Y/Cb/Cr per token */
  frames: Uint8Array[];
}

/** The first `count` frames of a clip, tokenised (sim/video/y4m.ts), one flat array per frame. */
export function loadClipTokens(file: string, count: number): ClipTokens {
  const tokens: Uint8Array[][] = [];
  readClip(file, count, (f) => tokens.push(tokenize(f)));
  const grid = tokenGridOf(CLIP_FORMAT.width, CLIP_FORMAT.height);
  const N = grid.H * grid.W;
  const n = grid.tokenBytes;
  const frames = tokens.map((f) => {
    const a = new Uint8Array(N * n);
    f.forEach((tok, i) => a.set(tok, i * n));
    return a;
  });
  return { T: frames.length, N, n, H: grid.H, W: grid.W, frames };
}

// ---- random numbers ----

/** Seeded samplers: standard normal (Box–Muller, both values used) and standard Laplace. */
export class Sampler {
  private spare: number | undefined;
  constructor(readonly rng: Rng) {}
  static seeded(seed: number): Sampler {
    return new Sampler(new Rng(seed));
  }
  /** uniform in (0, 1) (never 0, so logarithms are finite) */
  open01(): number {
    return (this.rng.u32() + 0.5) / 4294967296;
  }
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.open01()));
    const th = 2 * Math.PI * this.open01();
    this.spare = r * Math.sin(th);
    return r * Math.cos(th);
  }
  /** Laplace(0, 1): density e^(−|x|)/2, E|x| = 1 */
  laplace(): number {
    const e = -Math.log(this.open01());
    return this.rng.u32() & 1 ? e : -e;
  }
}

/** Round half away from zero. */
export function roundHalfAway(v: number): number {
  return v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

// ---- formatting ----

/** A fraction as a percentage with `d` decimals (no % sign). */
export function pct(f: number, d = 2): string {
  return (100 * f).toFixed(d);
}

/** A ratio as `1.23x`. */
export function times(r: number, d = 2): string {
  return Number.isFinite(r) ? `${r.toFixed(d)}x` : '-';
}

/** Round for JSON: 6 significant decimals (keeps the file readable and stable). */
export function r6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** A table (first row the header); every column but the first `left` is right-aligned. */
export function table(rows: readonly (readonly string[])[], left = 1): string[] {
  const cols = rows[0]?.length ?? 0;
  return formatTable(
    rows,
    Array.from({ length: cols }, (_, c) => c).filter((c) => c >= left),
  );
}

/** Write `value` as pretty JSON, atomically (temporary file + rename). */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
