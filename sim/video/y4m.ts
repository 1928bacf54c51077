// A streaming reader of YUV4MPEG2 (.y4m) files and a patch tokeniser for CMC workloads.
//
// Format: one header line `YUV4MPEG2 W<w> H<h> F<n>:<d> I<i> A<n>:<d> C<cs> X<...>\n`, then per
// frame a line `FRAME[ params]\n` and the planes Y, Cb, Cr (8-bit samples, row-major). Plane
// sizes follow the colour space: 444 → three w×h planes; 422 → chroma ceil(w/2)×h; 420* →
// chroma ceil(w/2)×ceil(h/2); mono → Y only. 8-bit colour spaces only (no `p10` etc.).
// The reader keeps one frame in memory at a time (it reads the file with positioned reads),
// so it reads files in place, however long.
//
// TOKENS (`tokenize`): a 444 frame is cut into non-overlapping P×P patches (default P = 16) in
// raster order — token index = ty · (w/P) + tx, ty the patch row, tx the patch column — and
// each token is a Uint8Array of 3·P² bytes in PLANAR order:
//     element k = c · P² + y · P + x      (c = 0 Y, 1 Cb, 2 Cr; y, x within the patch)
// So a 16×16×3 token is 768 bytes and its first 256 elements are the Y macro-block: with the
// CMC SAD engine at m = 256 the three passes are the Y, Cb and Cr macro-blocks. A 224×224 frame
// gives 14×14 = 196 tokens.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DcgenError } from '../../generator/errors.ts';
import { decimalIntOf } from '../../generator/params/decimal.ts';

export interface Y4mHeader {
  width: number;
  height: number;
  /** frame rate numerator / denominator (0/0 when absent) */
  fps: [number, number];
  /** interlacing tag (`p` progressive when absent) */
  interlace: string;
  /** pixel aspect (0:0 when absent) */
  aspect: [number, number];
  /** colour space tag, `420jpeg` when absent (the format's default) */
  colorspace: string;
  /** X… extension tags, verbatim */
  extensions: string[];
  /** bytes of the header line including its newline */
  headerBytes: number;
}

export interface Y4mFrame {
  /** 0-based frame number in the file */
  index: number;
  /** parameters on the FRAME line (usually none) */
  params: string;
  /** [Y, Cb, Cr] (mono: [Y]) */
  planes: Uint8Array[];
  /** plane sizes [width, height] */
  planeSizes: [number, number][];
}

/** A y4m file this reader cannot use (not a file, bad header, truncated, not what the caller needs). A user error. */
export class Y4mFormatError extends DcgenError {}

/** Largest width or height taken (8K is 7680): a bigger one is a corrupt header, not a frame to allocate. */
export const MAX_Y4M_DIM = 16384;

/** Interlacing tags of the format: p progressive, t top field first, b bottom field first, m mixed, ? unknown. */
const INTERLACE: Record<string, string> = { p: 'progressive', t: 'top field first', b: 'bottom field first', m: 'mixed modes', '?': 'unknown' };

function dimension(tag: string, v: string): number {
  const n = decimalIntOf(v);
  if (n === undefined || n < 1 || n > MAX_Y4M_DIM) {
    throw new Y4mFormatError(`y4m header: ${tag}${v}: expected a size from 1 to ${MAX_Y4M_DIM} in plain decimal, found ${JSON.stringify(v)}`);
  }
  return n;
}

/** Plane sizes of a colour space, or an error for one this reader does not take. */
export function planeSizes(width: number, height: number, colorspace: string): [number, number][] {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  if (colorspace === '444') return [[width, height], [width, height], [width, height]];
  if (colorspace === '422') return [[width, height], [cw, height], [cw, height]];
  if (['420', '420jpeg', '420paldv', '420mpeg2'].includes(colorspace)) return [[width, height], [cw, ch], [cw, ch]];
  if (colorspace === 'mono') return [[width, height]];
  throw new Y4mFormatError(`unsupported y4m colour space C${colorspace} (expected 444, 422, 420*, mono: 8-bit only)`);
}

function ratio(v: string, what: string): [number, number] {
  const m = /^(\d+):(\d+)$/.exec(v);
  if (!m) throw new Y4mFormatError(`y4m header: ${what} '${v}' is not n:d`);
  return [Number(m[1]), Number(m[2])];
}

/** Parse the header line (without its newline). */
export function parseY4mHeader(line: string, headerBytes = line.length + 1): Y4mHeader {
  const parts = line.split(' ').filter((p) => p !== '');
  if (parts[0] !== 'YUV4MPEG2') throw new Y4mFormatError(`not a y4m file: header starts with ${JSON.stringify(line.slice(0, 16))}`);
  const h: Y4mHeader = { width: 0, height: 0, fps: [0, 0], interlace: 'p', aspect: [0, 0], colorspace: '420jpeg', extensions: [], headerBytes };
  const seen = new Set<string>();
  for (const p of parts.slice(1)) {
    const v = p.slice(1);
    if (p[0] !== 'X' && seen.has(p[0])) throw new Y4mFormatError(`y4m header: tag ${p[0]} given twice`);
    seen.add(p[0]);
    switch (p[0]) {
      case 'W':
        h.width = dimension('W', v);
        break;
      case 'H':
        h.height = dimension('H', v);
        break;
      case 'F':
        h.fps = ratio(v, 'frame rate');
        break;
      case 'I':
        if (!Object.hasOwn(INTERLACE, v)) throw new Y4mFormatError(`y4m header: interlacing I${v}: expected Ip, It, Ib, Im or I?`);
        h.interlace = v;
        break;
      case 'A':
        h.aspect = ratio(v, 'aspect');
        break;
      case 'C':
        h.colorspace = v;
        break;
      case 'X':
        h.extensions.push(v);
        break;
      default:
        throw new Y4mFormatError(`y4m header: unknown tag '${p}'`);
    }
  }
  if (!seen.has('W') || !seen.has('H')) throw new Y4mFormatError(`y4m header: expected a W<width> and an H<height> tag, found ${JSON.stringify(line.slice(0, 80))}`);
  planeSizes(h.width, h.height, h.colorspace);
  return h;
}

/** What a caller needs of a file's frames; every field optional. */
export interface Y4mRequirement {
  width?: number;
  height?: number;
  /** e.g. `444` */
  colorspace?: string;
  /** only `Ip` (or no I tag) */
  progressive?: boolean;
}

/** Check a header against what the caller needs: a Y4mFormatError naming the file, expected and found. */
export function requireY4mFormat(path: string, h: Y4mHeader, want: Y4mRequirement): void {
  if ((want.width !== undefined && h.width !== want.width) || (want.height !== undefined && h.height !== want.height)) {
    throw new Y4mFormatError(`${path}: expected ${want.width ?? h.width}x${want.height ?? h.height} frames (W${want.width ?? h.width} H${want.height ?? h.height}), found ${h.width}x${h.height}`);
  }
  if (want.colorspace !== undefined && h.colorspace !== want.colorspace) {
    throw new Y4mFormatError(`${path}: expected colour space C${want.colorspace}, found C${h.colorspace}${h.colorspace === '420jpeg' ? ' (the default when the header has no C tag)' : ''}`);
  }
  if (want.progressive && h.interlace !== 'p') {
    throw new Y4mFormatError(`${path}: expected progressive frames (Ip or no I tag), found I${h.interlace} (${INTERLACE[h.interlace] ?? 'unknown'})`);
  }
}

const MAX_LINE = 4096;

/** Sequential frame reader over a file descriptor (one frame in memory). */
export class Y4mReader implements Iterable<Y4mFrame> {
  readonly header: Y4mHeader;
  readonly sizes: [number, number][];
  /** bytes of one frame's planes */
  readonly frameBytes: number;
  /** bytes in the file when it was opened (a frame that would end beyond it is truncated) */
  readonly fileBytes: number;
  private fd: number | undefined;
  private pos: number;
  private nextIndex = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Y4mFormatError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot open the file (${code ?? String(e)})`}`);
    }
    try {
      const st = fstatSync(this.fd);
      if (!st.isFile()) throw new Y4mFormatError(`${path}: expected a y4m file, found ${st.isDirectory() ? 'a folder' : 'something else (not a regular file)'}`);
      this.fileBytes = st.size;
      const line = this.readLine(0, 'header');
      if (line.text === undefined) throw new Y4mFormatError(`${path}: empty file, expected a YUV4MPEG2 header`);
      this.header = parseY4mHeader(line.text, line.bytes);
      this.pos = line.bytes;
      this.sizes = planeSizes(this.header.width, this.header.height, this.header.colorspace);
      this.frameBytes = this.sizes.reduce((s, [w, h]) => s + w * h, 0);
    } catch (e) {
      this.close();
      if (e instanceof Y4mFormatError && !e.message.startsWith(`${path}: `)) throw new Y4mFormatError(`${path}: ${e.message}`);
      throw e;
    }
  }

  private readLine(at: number, what: string): { text: string; bytes: number } | { text: undefined; bytes: 0 } {
    const buf = Buffer.alloc(MAX_LINE);
    const n = readSync(this.fd!, buf, 0, MAX_LINE, at);
    if (n === 0) return { text: undefined, bytes: 0 };
    const nl = buf.subarray(0, n).indexOf(0x0a);
    if (nl < 0 && n < MAX_LINE) throw new Y4mFormatError(`${this.path}: truncated: the file ends inside the ${what} line at byte ${at} (no newline)`);
    if (nl < 0) throw new Y4mFormatError(`${this.path}: ${what} line at byte ${at} has no newline within ${MAX_LINE} bytes`);
    return { text: buf.subarray(0, nl).toString('latin1'), bytes: nl + 1 };
  }

  /** The next frame, or undefined at the end of the file. */
  readFrame(): Y4mFrame | undefined {
    if (this.fd === undefined) throw new Y4mFormatError(`${this.path}: reader closed`);
    const line = this.readLine(this.pos, `FRAME ${this.nextIndex}`);
    if (line.text === undefined) return undefined;
    if (line.text !== 'FRAME' && !line.text.startsWith('FRAME ')) throw new Y4mFormatError(`${this.path}: expected 'FRAME' at byte ${this.pos}, found ${JSON.stringify(line.text.slice(0, 16))}`);
    let at = this.pos + line.bytes;
    // Checked before anything is allocated: a corrupt size or a cut-off file is an error, not a huge buffer.
    if (at + this.frameBytes > this.fileBytes) {
      throw new Y4mFormatError(`${this.path}: frame ${this.nextIndex} truncated: expected ${this.frameBytes} bytes of planes (${this.header.width}x${this.header.height} C${this.header.colorspace}), found ${Math.max(0, this.fileBytes - at)}`);
    }
    const planes = this.sizes.map(([w, h], p) => {
      const plane = new Uint8Array(w * h);
      let got = 0;
      while (got < plane.length) {
        const n = readSync(this.fd!, plane, got, plane.length - got, at + got);
        if (n === 0) throw new Y4mFormatError(`${this.path}: frame ${this.nextIndex} plane ${p} truncated (${got} of ${plane.length} bytes)`);
        got += n;
      }
      at += plane.length;
      return plane;
    });
    this.pos = at;
    return { index: this.nextIndex++, params: line.text.slice(5).trim(), planes, planeSizes: this.sizes };
  }

  *[Symbol.iterator](): Iterator<Y4mFrame> {
    for (;;) {
      const f = this.readFrame();
      if (!f) return;
      yield f;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Frames [start, start + count) of a file (count default: to the end). */
export function readY4mFrames(path: string, opts: { start?: number; count?: number } = {}): { header: Y4mHeader; frames: Y4mFrame[] } {
  const r = new Y4mReader(path);
  try {
    const start = opts.start ?? 0;
    const end = opts.count === undefined ? Infinity : start + opts.count;
    const frames: Y4mFrame[] = [];
    for (const f of r) {
      if (f.index >= end) break;
      if (f.index >= start) frames.push(f);
    }
    return { header: r.header, frames };
  } finally {
    r.close();
  }
}

/** Number of frames in a file (reads every FRAME line, skips the planes). */
export function countY4mFrames(path: string): number {
  let n = 0;
  const r = new Y4mReader(path);
  try {
    while (r.readFrame()) n++;
  } finally {
    r.close();
  }
  return n;
}

export interface TokenGridShape {
  /** patch rows */
  H: number;
  /** patch columns */
  W: number;
  patch: number;
  /** bytes per token: 3 · patch² */
  tokenBytes: number;
}

export function tokenGridOf(width: number, height: number, patch = 16): TokenGridShape {
  if (width % patch !== 0 || height % patch !== 0) throw new Y4mFormatError(`frame ${width}×${height} is not a whole number of ${patch}×${patch} patches`);
  return { H: height / patch, W: width / patch, patch, tokenBytes: 3 * patch * patch };
}

/** One token (patch ty, tx) of a 444 frame, planar order (see the file header). */
export function frameToken(frame: Y4mFrame, ty: number, tx: number, patch = 16): Uint8Array {
  if (frame.planes.length !== 3 || frame.planeSizes.some(([w, h]) => w !== frame.planeSizes[0][0] || h !== frame.planeSizes[0][1])) {
    throw new Y4mFormatError('tokenize needs a 444 frame (three full-size planes)');
  }
  const [width] = frame.planeSizes[0];
  const P2 = patch * patch;
  const tok = new Uint8Array(3 * P2);
  for (let c = 0; c < 3; c++) {
    const plane = frame.planes[c];
    for (let y = 0; y < patch; y++) {
      const row = (ty * patch + y) * width + tx * patch;
      tok.set(plane.subarray(row, row + patch), c * P2 + y * patch);
    }
  }
  return tok;
}

/** Every token of a 444 frame, raster order: H·W tokens of 3·patch² bytes. */
export function tokenize(frame: Y4mFrame, patch = 16): Uint8Array[] {
  const [width, height] = frame.planeSizes[0];
  const g = tokenGridOf(width, height, patch);
  const out: Uint8Array[] = [];
  for (let ty = 0; ty < g.H; ty++) for (let tx = 0; tx < g.W; tx++) out.push(frameToken(frame, ty, tx, patch));
  return out;
}

/** Tokens of frames [start, start + count) of a 444 file: tokens[t][i]. */
export function readTokens(path: string, opts: { start?: number; count?: number; patch?: number } = {}): { header: Y4mHeader; grid: TokenGridShape; tokens: Uint8Array[][] } {
  const { header, frames } = readY4mFrames(path, opts);
  const grid = tokenGridOf(header.width, header.height, opts.patch ?? 16);
  return { header, grid, tokens: frames.map((f) => tokenize(f, opts.patch ?? 16)) };
}
