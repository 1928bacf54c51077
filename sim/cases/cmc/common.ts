// Shared pieces of the CMC cosimulation cases: the case type (always with its cycle model)
// and real-video tokens.
import path from 'node:path';
import type { CosimCase } from '../case.ts';
import { readTokens } from '../../video/y4m.ts';
import { videoDir } from '../../eval/common.ts';

/** A CMC case: every one carries its block's cycle model. */
export type CmcCase = CosimCase & Required<Pick<CosimCase, 'cycles'>>;

export function defineCmcCase(c: CmcCase): CmcCase {
  return c;
}

export { caseParams } from '../case.ts';

// ---- real video ----

/** The clip folder: the package's data/video/ unless $DCGEN_VIDEO_DIR names another (sim/eval/common.ts owns the rule). */
export const VIDEO_DIR = videoDir();
export const VTEST = path.join(VIDEO_DIR, 'vtest-224-444.y4m');
export const TREE = path.join(VIDEO_DIR, 'tree-224-444.y4m');

const tokenCache = new Map<string, Uint8Array[][]>();

/** Tokens[t][i] (768 bytes, planar, sim/video/y4m.ts) of the first `frames` frames of a clip. */
export function videoTokens(file: string, frames: number): Uint8Array[][] {
  const key = `${file}:${frames}`;
  let t = tokenCache.get(key);
  if (!t) {
    t = readTokens(file, { count: frames }).tokens;
    tokenCache.set(key, t);
  }
  return t;
}
