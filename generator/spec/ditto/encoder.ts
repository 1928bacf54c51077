// ditto_encoder's parameters and geometry, without DSL code: the builder
// (generator/blocks/ditto/encoder.ts), the cycle model and the cases size the FIFO and the
// index and count fields with these.
import { ident, int, type Params } from '../../params/schema.ts';
import { clog2 } from '../math.ts';

export const encoderParams = {
  top: ident({ default: 'ditto_encoder', doc: 'name of the generated top module' }),
  lanes: int({ default: 4, min: 1, max: 16, doc: 'elements ingested per beat (L)' }),
  kMax: int({ default: 4096, min: 1, max: 65536, doc: 'longest vector (elements); sets the index and count widths' }),
  depth: int({ default: 0, min: 0, max: 64, doc: 'output FIFO depth in words (0 = 2·Wmax, Wmax = floor((3 + 2·lanes)/4) + 1)' }),
};

export type EncoderParams = Params<typeof encoderParams>;

/** Most words one beat can push (formed words + the flush word). */
export function encoderMaxWordsPerBeat(lanes: number): number {
  return Math.floor((3 + 2 * lanes) / 4) + 1;
}

export function encoderDepth(p: { lanes: number; depth: number }): number {
  return p.depth === 0 ? 2 * encoderMaxWordsPerBeat(p.lanes) : p.depth;
}

export function encoderIndexBits(kMax: number): number {
  return Math.max(1, clog2(kMax));
}

export function encoderCountBits(kMax: number): number {
  return clog2(kMax + 1);
}
