// The y4m reader and the 16×16×3 tokeniser, on both real clips (read in place), plus the CMC
// golden prediction and condensed projection on real tokens.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DcgenError } from '../../generator/errors.ts';
import { MAX_Y4M_DIM, Y4mFormatError, Y4mReader, countY4mFrames, frameToken, parseY4mHeader, planeSizes, readTokens, readY4mFrames, requireY4mFormat, tokenize } from '../../sim/video/y4m.ts';
import { predictInter } from '../../sim/golden/cmc/prediction.ts';
import { condensedProjection } from '../../sim/golden/cmc/gemm.ts';
import { Rng } from '../../sim/stimulus/rng.ts';
import { videoDir } from '../../sim/eval/common.ts';

const DIR = videoDir(); // the package's data/video/ unless $DCGEN_VIDEO_DIR names another
const CLIPS = {
  vtest: { file: `${DIR}/vtest-224-444.y4m`, fps: [10, 1], token0: '318ea84fb3a693d0', first: [125, 129, 130, 128, 128, 76, 44, 47], all: '5aee1ca1005aae2a' },
  tree: { file: `${DIR}/tree-224-444.y4m`, fps: [1000000, 66667], token0: '9eb127bf048141fe', first: [118, 119, 124, 124, 128, 130, 136, 139], all: 'e3cba82da5ab6c73' },
} as const;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 16);

describe('y4m header', () => {
  it('parses tags; defaults; rejects what it cannot read', () => {
    const h = parseY4mHeader('YUV4MPEG2 W224 H224 F10:1 Ip A0:0 C444 XYSCSS=444');
    expect(h).toMatchObject({ width: 224, height: 224, fps: [10, 1], interlace: 'p', colorspace: '444', extensions: ['YSCSS=444'] });
    expect(parseY4mHeader('YUV4MPEG2 W4 H2').colorspace).toBe('420jpeg');
    expect(planeSizes(5, 3, '420')).toEqual([[5, 3], [3, 2], [3, 2]]);
    expect(planeSizes(5, 3, '422')).toEqual([[5, 3], [3, 3], [3, 3]]);
    expect(() => parseY4mHeader('YUV4MPEG W4 H2')).toThrow(Y4mFormatError);
    expect(() => parseY4mHeader('YUV4MPEG2 W4 H2 C420p10')).toThrow(Y4mFormatError);
    expect(() => parseY4mHeader('YUV4MPEG2 H2')).toThrow(Y4mFormatError);
  });
});

for (const [name, clip] of Object.entries(CLIPS)) {
  describe(`clip ${name}`, () => {
    it('32 frames of 224×224 444, FRAME markers, 3 planes', () => {
      expect(countY4mFrames(clip.file)).toBe(32);
      const r = new Y4mReader(clip.file);
      try {
        expect(r.header).toMatchObject({ width: 224, height: 224, colorspace: '444', fps: clip.fps });
        expect(r.frameBytes).toBe(3 * 224 * 224);
        const f = r.readFrame()!;
        expect(f.index).toBe(0);
        expect(f.planes.length).toBe(3);
        // the file is header + 32 × ("FRAME\n" + planes)
        const size = readFileSync(clip.file).length;
        expect(size).toBe(r.header.headerBytes + 32 * (6 + r.frameBytes));
      } finally {
        r.close();
      }
    });
    it('196 tokens of 768 bytes per frame; first token bytes stable; planar element order; raster token order', () => {
      const { frames } = readY4mFrames(clip.file, { count: 1 });
      const toks = tokenize(frames[0]);
      expect(toks.length).toBe(196);
      expect(toks.every((t) => t.length === 768)).toBe(true);
      expect(sha(toks[0])).toBe(clip.token0);
      expect(Array.from(toks[0].slice(0, 8))).toEqual(clip.first);
      const [Y, Cb, Cr] = frames[0].planes;
      // token 15 = patch row 1, column 1; element c·256 + y·16 + x
      const t15 = toks[15];
      for (const [y, x] of [[0, 0], [3, 7], [15, 15]]) {
        const p = (16 + y) * 224 + 16 + x;
        expect([t15[y * 16 + x], t15[256 + y * 16 + x], t15[512 + y * 16 + x]]).toEqual([Y[p], Cb[p], Cr[p]]);
      }
      expect(frameToken(frames[0], 13, 13)).toEqual(toks[195]);
    });
    it('whole clip tokenises to the same bytes every time', () => {
      const { tokens, grid } = readTokens(clip.file);
      expect(grid).toEqual({ H: 14, W: 14, patch: 16, tokenBytes: 768 });
      expect(tokens.length).toBe(32);
      expect(sha(Buffer.concat(tokens.flat()))).toBe(clip.all);
      expect(readTokens(clip.file, { start: 31, count: 5 }).tokens.length).toBe(1);
    });
  });
}

describe('y4m strict input', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcgen-y4m-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  /** A file: header line, then `frames` frames of `frameBytes` bytes (or raw `tail` bytes). */
  const write = (name: string, header: string, frames: number, frameBytes: number, tail = Buffer.alloc(0)) => {
    const f = path.join(tmp, name);
    writeFileSync(f, Buffer.concat([Buffer.from(`${header}\n`), ...Array.from({ length: frames }, () => Buffer.concat([Buffer.from('FRAME\n'), Buffer.alloc(frameBytes, 7)])), tail]));
    return f;
  };

  it('Y4mFormatError is a user error (DcgenError)', () => {
    expect(new Y4mFormatError('x')).toBeInstanceOf(DcgenError);
    expect(new Y4mFormatError('x').name).toBe('Y4mFormatError');
  });

  it('sizes: plain decimal from 1 to MAX_Y4M_DIM; tags once; known interlacing values', () => {
    for (const bad of ['W0', 'W999999999', 'W0x10', 'W1e3', 'W016', 'W+4', 'W-4', 'W', 'W4.0', `W${MAX_Y4M_DIM + 1}`]) {
      expect(() => parseY4mHeader(`YUV4MPEG2 ${bad} H2`), bad).toThrow(/y4m header: W.*expected a size from 1 to 16384 in plain decimal/);
    }
    expect(parseY4mHeader(`YUV4MPEG2 W${MAX_Y4M_DIM} H1`).width).toBe(MAX_Y4M_DIM);
    expect(() => parseY4mHeader('YUV4MPEG2 W4 H2 W8')).toThrow(/tag W given twice/);
    expect(() => parseY4mHeader('YUV4MPEG2 W4 H2 Ix')).toThrow(/interlacing Ix/);
    for (const i of ['p', 't', 'b', 'm']) expect(parseY4mHeader(`YUV4MPEG2 W4 H2 I${i}`).interlace).toBe(i);
  });

  it('requireY4mFormat names the file, what was expected and what was found', () => {
    const h = (tags: string) => parseY4mHeader(`YUV4MPEG2 ${tags}`);
    const want = { width: 224, height: 224, colorspace: '444', progressive: true };
    expect(() => requireY4mFormat('a.y4m', h('W224 H224 C444 Ip'), want)).not.toThrow();
    expect(() => requireY4mFormat('a.y4m', h('W224 H224 C444'), want)).not.toThrow();
    expect(() => requireY4mFormat('a.y4m', h('W320 H240 C444'), want)).toThrow('a.y4m: expected 224x224 frames (W224 H224), found 320x240');
    expect(() => requireY4mFormat('a.y4m', h('W32 H32 C444'), want)).toThrow(/found 32x32/);
    expect(() => requireY4mFormat('a.y4m', h('W224 H224 C420'), want)).toThrow('a.y4m: expected colour space C444, found C420');
    expect(() => requireY4mFormat('a.y4m', h('W224 H224'), want)).toThrow(/found C420jpeg \(the default when the header has no C tag\)/);
    expect(() => requireY4mFormat('a.y4m', h('W224 H224 C444 It'), want)).toThrow('a.y4m: expected progressive frames (Ip or no I tag), found It (top field first)');
    for (const i of ['b', 'm', '?']) expect(() => requireY4mFormat('a.y4m', h(`W224 H224 C444 I${i}`), want)).toThrow(Y4mFormatError);
  });

  it('a folder, a missing file, an empty file: Y4mFormatError naming the path', () => {
    mkdirSync(path.join(tmp, 'dir.y4m'));
    expect(() => new Y4mReader(path.join(tmp, 'dir.y4m'))).toThrow(/dir\.y4m: expected a y4m file, found a folder/);
    expect(() => new Y4mReader(path.join(tmp, 'none.y4m'))).toThrow(/none\.y4m: no such file/);
    writeFileSync(path.join(tmp, 'empty.y4m'), '');
    expect(() => new Y4mReader(path.join(tmp, 'empty.y4m'))).toThrow(/empty\.y4m: empty file/);
    const bad = write('bad-size.y4m', 'YUV4MPEG2 W0 H4 C444', 0, 0);
    expect(() => new Y4mReader(bad)).toThrow(`${bad}: y4m header: W0`);
  });

  it('truncated files are refused before anything is allocated, huge declared sizes included', () => {
    const cut = write('cut.y4m', 'YUV4MPEG2 W4 H2 C444', 1, 24, Buffer.from('FRAME\n\x01\x02'));
    const r = new Y4mReader(cut);
    try {
      expect(r.readFrame()?.planes.length).toBe(3);
      expect(() => r.readFrame()).toThrow(`${cut}: frame 1 truncated: expected 24 bytes of planes (4x2 C444), found 2`);
    } finally {
      r.close();
    }
    const huge = write('huge.y4m', `YUV4MPEG2 W${MAX_Y4M_DIM} H${MAX_Y4M_DIM} C444`, 0, 0, Buffer.from('FRAME\n\x00'));
    expect(() => countY4mFrames(huge)).toThrow(/frame 0 truncated: expected 805306368 bytes/);
    const noNewline = write('frame-line.y4m', 'YUV4MPEG2 W4 H2 C444', 1, 24, Buffer.from('FRA'));
    expect(() => countY4mFrames(noNewline)).toThrow(/truncated: the file ends inside the FRAME 1 line/);
  });
});

describe('CMC golden on real video', () => {
  it('inter prediction (G 4, radius 1, Thr 2 per element) finds more redundancy in vtest than in tree; condensed projection is exact', () => {
    const frac: Record<string, number> = {};
    for (const [name, clip] of Object.entries(CLIPS)) {
      const X = readTokens(clip.file, { count: 4 }).tokens.map((m) => m.map((t) => Array.from(t, (v) => v - 128)));
      const p = predictInter(X, { G: 4, thr: 768 * 2, grid: { H: 14, W: 14 }, window: { kind: 'radius', R: 1 } });
      frac[name] = p.informativeFraction;
      for (const e of p.nitt) expect(p.informative[e.tRef][e.j]).toBe(true);
      const rng = new Rng(9);
      const W = Array.from({ length: 768 }, () => Array.from({ length: 4 }, () => rng.int(-128, 127)));
      const r = condensedProjection(X, W, { M: 3, S: 16, zpOut: 0 }, p);
      expect(r.Y).toEqual(r.expected);
      expect(r.gemmRows).toBe(p.itt.length);
    }
    expect(frac.vtest).toBeLessThan(frac.tree);
    expect(frac.vtest).toBeLessThan(0.5);
    expect(frac.tree).toBeGreaterThan(0.5);
  }, 60_000);
});
