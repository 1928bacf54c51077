// The CMC engine `cmc_top` (SPEC §2) without DSL code: its parameters and their rules, the
// geometry of a configuration (tokens, beats per token, tiles, widths and memory sizes) and the
// depth of its candidate FIFO. The builder (generator/blocks/cmc/top.ts), the golden and cycle
// models (sim/golden/cmc/top.ts, sim/cycles/cmc/top.ts) and the cases read them here.
import { addrBits, clog2 } from '../math.ts';
import { ParamRuleError, bool, ident, int, oneOf, type Params } from '../../params/schema.ts';
import { gemmGeometry } from './gemm.ts';
import { sadWidth } from './sad.ts';

export const WINDOWS = ['full', 'radius'] as const;
export type WindowKind = (typeof WINDOWS)[number];

export const topParams = {
  top: ident({ default: 'cmc_top', doc: 'name of the generated top module' }),
  n: int({ default: 48, min: 1, max: 4096, doc: 'token length in elements (K of the GEMM; 768 = 16x16x3 pixels)' }),
  signed: bool({ default: false, doc: "token elements are two's complement (features) rather than unsigned (pixels)" }),
  elemsPerBeat: int({ default: 16, min: 1, max: 64, doc: 'elements per beat e (token, weight and SAD beats); divides n and m' }),
  m: int({ default: 16, min: 1, max: 1024, doc: 'SAD pass length (the CODEC macro-block; 256 = 16x16)' }),
  gridH: int({ default: 4, min: 1, max: 64, doc: 'token grid rows H' }),
  gridW: int({ default: 4, min: 1, max: 64, doc: 'token grid columns W (N = H·W tokens per matrix)' }),
  maxFrames: int({ default: 4, min: 1, max: 16, doc: 'longest segment G (matrices held in the frame buffer)' }),
  lanes: int({ default: 2, min: 1, max: 16, doc: 'SAD candidate lanes P' }),
  window: oneOf<WindowKind>(WINDOWS, { default: 'full', doc: 'inter-matrix search: full (every I token) or radius (Chebyshev radius R on the grid)' }),
  radius: int({ default: 1, min: 0, max: 63, doc: 'search radius R (window = radius)' }),
  nOut: int({ default: 16, min: 1, max: 4096, doc: 'GEMM output columns (a multiple of cols)' }),
  cols: int({ default: 8, min: 1, max: 32, doc: 'GEMM PE columns B = output banks' }),
  sadStages: int({ default: 1, min: 0, max: 11, doc: 'register levels in the SAD adder trees' }),
  searchStages: int({ default: 1, min: 0, max: 7, doc: 'register levels in the search argmin tree' }),
  gemmStages: int({ default: 1, min: 0, max: 8, doc: 'register levels in the GEMM adder trees' }),
  gemmRqStages: int({ default: 1, min: 0, max: 1, doc: 'register levels inside the GEMM requantiser (cmc.gemm rqStages: 1 = shift, then zero point and clamp)' }),
  gemmMulStages: int({ default: 1, min: 0, max: 1, doc: 'register levels inside the GEMM multiply p = acc·M (cmc.gemm mulStages: 1 = carry-save rows, then one adder)' }),
};

export type CmcTopParams = Params<typeof topParams>;

/** Bits of a token element (bytes: pixels or int8 features). */
export const TOP_ELEM_BITS = 8;

/** The parameters the geometry depends on (a golden model's configuration holds them). */
export type CmcTopShape = Pick<CmcTopParams, 'n' | 'elemsPerBeat' | 'gridH' | 'gridW' | 'maxFrames' | 'nOut' | 'cols'>;

/** Static geometry of a cmc_top configuration. */
export interface CmcTopGeometry {
  /** tokens per matrix H·W */
  N: number;
  /** beats per token n/e (the GEMM's beats per tile, the SAD engine's beats per job) */
  beatsPerToken: number;
  /** column tiles U = nOut/B */
  tiles: number;
  /** SAD width SW = 8 + ceil(log2 n) */
  sadBits: number;
  /** bits of t (addrBits(maxFrames)) and of i / j (addrBits(N)) */
  tBits: number;
  iBits: number;
  /** bits of the `g` and `gv` command fields (hold maxFrames and N) */
  gBits: number;
  gvBits: number;
  /** frame-buffer words, table entries, buffer entries */
  xWords: number;
  tableEntries: number;
  bufEntries: number;
  /** address bits of the frame buffer, of a table, of the output buffer; table counter bits */
  xAddrBits: number;
  tableAddrBits: number;
  tableCountBits: number;
  entryBits: number;
  /** bits of the beat-in-token, tile, grid-row and grid-column counters */
  beatBits: number;
  tileBits: number;
  rowBits: number;
  colBits: number;
}

export function cmcTopGeometry(p: CmcTopShape): CmcTopGeometry {
  const N = p.gridH * p.gridW;
  const { KB: beatsPerToken, U: tiles } = gemmGeometry({ elemsPerBeat: p.elemsPerBeat, cols: p.cols, k: p.n, nOut: p.nOut });
  const xWords = p.maxFrames * N * beatsPerToken;
  const tableEntries = p.maxFrames * N;
  const bufEntries = p.maxFrames * N * tiles;
  return {
    N,
    beatsPerToken,
    tiles,
    sadBits: sadWidth(TOP_ELEM_BITS, p.n),
    tBits: addrBits(p.maxFrames),
    iBits: addrBits(N),
    gBits: clog2(p.maxFrames + 1),
    gvBits: clog2(N + 1),
    xWords,
    tableEntries,
    bufEntries,
    xAddrBits: addrBits(xWords),
    tableAddrBits: addrBits(tableEntries),
    tableCountBits: clog2(tableEntries + 1),
    entryBits: addrBits(bufEntries),
    beatBits: addrBits(beatsPerToken),
    tileBits: addrBits(tiles),
    rowBits: addrBits(p.gridH),
    colBits: addrBits(p.gridW),
  };
}

/**
 * How the frame buffer serves PREDICT's P + 1 reads per cycle (the token beat and P candidate
 * beats) from one copy of the frames. Word (t·N + i)·BPT + b (beat b of token (t, i)) lives in
 * bank b mod Q at address (t·N + i)·BPT/Q + floor(b/Q), Q the smallest divisor of BPT that is
 * at least P + 1. The issue side reads the token of the job beat it issues and, for lane k, the
 * candidate of the job beat it issued k + 1 beats earlier: consecutive job beats have
 * consecutive b (a job is BPT beats, Q divides BPT), so these P + 1 reads fall in P + 1
 * distinct banks whatever the candidates are; a skew of P beats re-aligns them before cmc_sad.
 * Tokens of fewer than P + 1 beats have no such Q: there every lane reads its own copy of the
 * frames (P + 1 copies, no skew).
 */
export interface FrameBanking {
  /** one copy in Q banks (true), or P + 1 full copies */
  banked: boolean;
  /** memories: Q banks, or P + 1 copies (copy 0 is the token's and the GEMM's) */
  memories: number;
  /** words per memory */
  depth: number;
  /** words of one token in one memory: BPT/Q, or BPT */
  tokenWords: number;
  /** beats between a token read and the last lane's read of the same job beat: P, or 0 */
  skew: number;
}

export function frameBanking(p: Pick<CmcTopParams, 'n' | 'elemsPerBeat' | 'lanes' | 'gridH' | 'gridW' | 'maxFrames' | 'nOut' | 'cols'>): FrameBanking {
  const { beatsPerToken: BPT, xWords } = cmcTopGeometry(p);
  const need = p.lanes + 1;
  for (let q = need; q <= BPT; q++) {
    if (BPT % q === 0) return { banked: true, memories: q, depth: xWords / q, tokenWords: BPT / q, skew: p.lanes };
  }
  return { banked: false, memories: need, depth: xWords, tokenWords: BPT, skew: 0 };
}

/** Depth of the FIFO that carries a SAD job's candidate indices past the SAD engine (and its skew). */
export function jobFifoDepth(p: Pick<CmcTopParams, 'sadStages'>, skew: number): number {
  return p.sadStages + 4 + (skew > 0 ? 1 : 0);
}

/** The rules across parameters (ParamRuleError on the first one broken). */
export function checkCmcTopParams(p: CmcTopParams): void {
  const rule = (param: string, ok: boolean, value: number, why: string) => {
    if (!ok) throw new ParamRuleError('cmc', param, value, why);
  };
  rule('elemsPerBeat', p.n % p.elemsPerBeat === 0, p.elemsPerBeat, `expected a divisor of n = ${p.n} (token beats carry whole words)`);
  rule('elemsPerBeat', p.m % p.elemsPerBeat === 0, p.elemsPerBeat, `expected a divisor of m = ${p.m} (the SAD engine gathers whole passes)`);
  rule('nOut', p.nOut % p.cols === 0, p.nOut, `expected a multiple of cols = ${p.cols}`);
  rule('gridW', p.gridH * p.gridW >= 2, p.gridW, 'expected at least 2 tokens per matrix (gridH·gridW ≥ 2)');
  const g = cmcTopGeometry(p);
  rule('sadStages', p.sadStages <= clog2(Math.min(p.m, p.n)) + 1, p.sadStages, `expected at most ceil(log2 min(m, n)) + 1 = ${clog2(Math.min(p.m, p.n)) + 1}`);
  rule('searchStages', p.searchStages <= clog2(p.lanes) + 1, p.searchStages, `expected at most ceil(log2 lanes) + 1 = ${clog2(p.lanes) + 1}`);
  rule('gemmStages', p.gemmStages <= clog2(p.elemsPerBeat) + 1, p.gemmStages, `expected at most ceil(log2 elemsPerBeat) + 1 = ${clog2(p.elemsPerBeat) + 1}`);
  rule('maxFrames', g.xWords <= 1 << 22, p.maxFrames, `expected a frame buffer of at most 2^22 words (maxFrames·N·n/e = ${g.xWords})`);
  rule('nOut', g.bufEntries <= 1 << 20, p.nOut, `expected an output buffer of at most 2^20 entries (maxFrames·N·nOut/cols = ${g.bufEntries})`);
}
