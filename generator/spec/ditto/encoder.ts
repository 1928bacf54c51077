// ditto_encoder's parameters and geometry, without DSL code: the builder
// (generator/blocks/ditto/encoder.ts), the cycle model and the cases size the FIFO, the pipeline
// and the index and count fields with these.
import { ident, int, type Params } from '../../params/schema.ts';
import { clog2 } from '../math.ts';

export const encoderParams = {
  top: ident({ default: 'ditto_encoder', doc: 'name of the generated top module' }),
  lanes: int({ default: 4, min: 1, max: 16, doc: 'elements ingested per beat (L)' }),
  kMax: int({ default: 4096, min: 1, max: 65536, doc: 'longest vector (elements); sets the index and count widths' }),
  depth: int({ default: 0, min: 0, max: 64, doc: 'output FIFO depth in words (0 = automatic: 2·Wmax + stages + 2 rounded up to a multiple of Wmax with stages ≥ 2, else 2·Wmax; Wmax = floor((3 + 2·lanes)/4) + 1)' }),
  stages: int({ default: 4, min: 0, max: 4, doc: 'pipeline register stages between the input and the output FIFO (latency stages + 1); 0 = the whole scan in the cycle of acceptance' }),
};

export type EncoderParams = Params<typeof encoderParams>;

export const ENCODER_DEFAULT_STAGES = 4;

/**
 * Which of the four stage boundaries hold registers, in pipeline order:
 *   [0] after classification, [1] after the prefix counts and the slot-count loop,
 *   [2] after the word ranks and the class compaction, [3] after the FULL-count loop.
 * `stages` boundaries are filled in the order 2, 0, 3, 1 (the cut that shortens the longest
 * remaining path first).
 */
export function encoderBoundaries(stages: number | undefined): [boolean, boolean, boolean, boolean] {
  const s = stages ?? ENCODER_DEFAULT_STAGES;
  if (!Number.isInteger(s) || s < 0 || s > 4) throw new RangeError(`encoder stages ${s}: expected 0..4`);
  const order = [2, 0, 3, 1];
  const b: [boolean, boolean, boolean, boolean] = [false, false, false, false];
  for (let i = 0; i < s; i++) b[order[i]] = true;
  return b;
}

/** Most words one beat can push (formed words + the flush word). */
export function encoderMaxWordsPerBeat(lanes: number): number {
  return Math.floor((3 + 2 * lanes) / 4) + 1;
}

/**
 * The FIFO depth. Automatic: 2·Wmax without the classification register (a beat's word count
 * is known when it is accepted: the old single-cycle encoder's depth), else 2·Wmax + stages + 2
 * (a beat's words are reserved `stages` cycles before they enter the FIFO, Wmax of them for its
 * first cycle), rounded up to a multiple of Wmax (the FIFO's banked write). Measured with the cycle model (L = 4, 300 random vectors; 40 × 16 dense beats):
 * 2739 and 781 cycles at stages 4 against 2751 and 788 for the single-cycle encoder at depth 6.
 */
export function encoderDepth(p: { lanes: number; depth: number; stages?: number }): number {
  if (p.depth !== 0) return p.depth;
  const w = encoderMaxWordsPerBeat(p.lanes);
  const s = p.stages ?? ENCODER_DEFAULT_STAGES;
  return encoderBoundaries(s)[0] ? w * Math.ceil((2 * w + s + 2) / w) : 2 * w;
}

export function encoderIndexBits(kMax: number): number {
  return Math.max(1, clog2(kMax));
}

export function encoderCountBits(kMax: number): number {
  return clog2(kMax + 1);
}
