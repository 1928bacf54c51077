// Cycle model of the Ditto encoder RTL (generator/blocks/ditto/encoder.ts): predicts the cycle
// in which every input beat is accepted and every output word leaves, exactly, for any input
// idle / output stall pattern (cycle 0 = the first cycle after reset).
//
// The RTL, per cycle c (`count` = words in the output FIFO at the start of the cycle):
//   out_valid = count > 0;         a word leaves when out_valid && out_ready
//   in_ready  = count ≤ depth − Wmax   (registered: does not depend on this cycle's pop)
//   an accepted beat pushes its words (sim/golden/ditto/encoder.ts encodeBeatsPerBeat) at the
//   clock edge ending cycle c, so they can leave from cycle c + 1 on
//   count ← count − pop + pushed
// Input offering follows the cosim harness: a beat is offered from the first cycle that is not
// idle once the previous beat has been accepted, and stays offered until accepted.
import { type EncoderBeat, encodeBeatsPerBeat } from '../../golden/ditto/encoder.ts';

export interface EncoderTiming {
  lanes: number;
  /** FIFO depth in words (the generator's resolved depth) */
  depth: number;
  kBits?: number;
}

export interface EncoderCycleResult {
  /** cycle in which each beat was accepted */
  accepted: number[];
  /** cycle in which each word left */
  emitted: number[];
  /** cycle after the last word left (= total cycles from cycle 0) */
  cycles: number;
}

export function maxWordsPerBeat(lanes: number): number {
  return Math.floor((3 + 2 * lanes) / 4) + 1;
}

/**
 * Cycle-by-cycle model. `idle(c)`: input idle in cycle c (no new beat may start); `stall(c)`:
 * output not ready in cycle c. Defaults: never.
 */
export function encoderCycles(
  beats: readonly EncoderBeat[],
  t: EncoderTiming,
  idle: (c: number) => boolean = () => false,
  stall: (c: number) => boolean = () => false,
  maxCycles = 10_000_000,
): EncoderCycleResult {
  const perBeat = encodeBeatsPerBeat(beats, t.lanes, t.kBits ?? 16).map((w) => w.length);
  const totalWords = perBeat.reduce((a, b) => a + b, 0);
  const wmax = maxWordsPerBeat(t.lanes);
  if (t.depth < wmax) throw new RangeError(`depth ${t.depth} < Wmax ${wmax}`);
  const accepted: number[] = [];
  const emitted: number[] = [];
  let count = 0;
  let next = 0;
  let offering = false;
  for (let c = 0; c < maxCycles; c++) {
    if (next >= beats.length && emitted.length === totalWords) return { accepted, emitted, cycles: c };
    if (!offering && next < beats.length && !idle(c)) offering = true;
    const pop = count > 0 && !stall(c);
    const ready = count <= t.depth - wmax;
    let push = 0;
    if (offering && ready) {
      accepted.push(c);
      push = perBeat[next];
      next++;
      offering = false;
    }
    if (pop) emitted.push(c);
    count = count - (pop ? 1 : 0) + push;
  }
  throw new Error(`encoderCycles: not finished after ${maxCycles} cycles`);
}

/**
 * Cycles of a beat stream with input always valid and output always ready: the words leave
 * back to back except where the FIFO runs empty (ingest-bound stretches) or where in_ready
 * throttles input (packing-bound stretches).
 */
export function encoderCyclesFree(beats: readonly EncoderBeat[], t: EncoderTiming): number {
  return encoderCycles(beats, t).cycles;
}
