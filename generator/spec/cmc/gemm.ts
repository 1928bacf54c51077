// The CMC condensed-GEMM engine `cmc_gemm` (SPEC §2.4) without DSL code: its parameters, the
// geometry of a configuration (beats per tile, tiles, weight words) and its latency. The builder
// (generator/blocks/cmc/gemm.ts), the golden and cycle models (sim/golden/cmc/gemm.ts,
// sim/cycles/cmc/gemm.ts), cmc_top (whose GEMM is one of these) and the cases read them here.
import { addrBits, clog2 } from '../math.ts';
import { ParamRuleError, ident, int, type Params } from '../../params/schema.ts';

export const gemmParams = {
  top: ident({ default: 'cmc_gemm', doc: 'name of the generated top module' }),
  elemsPerBeat: int({ default: 4, min: 1, max: 64, doc: 'elements e of x (and of a weight column) per beat; divides k' }),
  cols: int({ default: 4, min: 1, max: 32, doc: 'PE columns B (adder trees), the output banks; divides nOut' }),
  k: int({ default: 16, min: 1, max: 65536, doc: 'input length K (a multiple of elemsPerBeat)' }),
  nOut: int({ default: 8, min: 1, max: 65536, doc: 'output columns (a multiple of cols): nOut/cols tiles per row' }),
  entryBits: int({ default: 8, min: 1, max: 24, doc: 'width of the pass-through entry tag' }),
  stages: int({ default: 1, min: 0, max: 7, doc: 'adder-tree register levels per column (at most ceil(log2 elemsPerBeat) + 1)' }),
  rqStages: int({ default: 1, min: 0, max: 1, doc: 'requantiser register levels: 1 = a register between the rounding shift (saturated) and the zero point/clamp (latency +1), 0 = one stage' }),
  mulStages: int({ default: 1, min: 0, max: 1, doc: 'register levels inside the multiply p = acc·M: 1 = acc·M reduced carry-save to two 48-bit rows (registered), then one adder (latency +1), 0 = one 32 x 17-bit multiplier stage' }),
};

export type GemmParams = Params<typeof gemmParams>;

/** Largest weight memory (words per column) the block accepts. */
export const GEMM_MAX_WORDS = 1 << 20;

/** Static geometry of a configuration. */
export interface GemmGeometry {
  /** beats per tile: K/e */
  KB: number;
  /** tiles per row: nOut/B */
  U: number;
  /** weight words per column: U·KB */
  words: number;
  /** width of the tile index `u` (addrBits(U)) and of a weight-memory address (addrBits(U·KB)) */
  uBits: number;
  wAddrBits: number;
}

export function gemmGeometry(p: Pick<GemmParams, 'elemsPerBeat' | 'cols' | 'k' | 'nOut'>): GemmGeometry {
  const KB = p.k / p.elemsPerBeat;
  const U = p.nOut / p.cols;
  return { KB, U, words: U * KB, uBits: addrBits(U), wAddrBits: addrBits(U * KB) };
}

/** From a tile's final x beat accepted to its output beat offered (cycles). */
export function gemmLatency(p: Pick<GemmParams, 'stages' | 'rqStages' | 'mulStages'>): number {
  return p.stages + 4 + p.mulStages + p.rqStages;
}

/** The rules across parameters (ParamRuleError on the first one broken). */
export function checkGemmParams(p: GemmParams): void {
  const D = 'cmc.gemm';
  if (p.k % p.elemsPerBeat !== 0) throw new ParamRuleError(D, 'k', p.k, `expected a multiple of elemsPerBeat = ${p.elemsPerBeat}`);
  if (p.nOut % p.cols !== 0) throw new ParamRuleError(D, 'nOut', p.nOut, `expected a multiple of cols = ${p.cols}`);
  const max = clog2(p.elemsPerBeat) + 1;
  if (p.stages > max) throw new ParamRuleError(D, 'stages', p.stages, `expected at most ceil(log2 elemsPerBeat) + 1 = ${max} register levels for elemsPerBeat = ${p.elemsPerBeat}`);
  const { words } = gemmGeometry(p);
  if (words > GEMM_MAX_WORDS) throw new ParamRuleError(D, 'nOut', p.nOut, `(k / elemsPerBeat) x (nOut / cols) weight words per column must be at most ${GEMM_MAX_WORDS}, found ${words}`);
}
