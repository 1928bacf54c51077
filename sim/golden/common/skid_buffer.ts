// Golden model of common.skid_buffer (generator/blocks/common/skid_buffer.ts): transaction
// level it is the identity (every beat out, in order, unchanged). Cycle level (exact, for any
// idle/stall pattern): the RTL's two flags, main_valid (= out_valid) and skid_empty
// (= in_ready), both registers:
//   load = !main_valid || out_ready
//   main_valid' = load ? (!skid_empty || in_valid) : main_valid
//   skid_empty' = load || (skid_empty && !in_valid)
// Latency 1, one beat per cycle at full rate; at most 2 beats inside.
import { type StreamCycles, type StreamModel, runStreamModel } from './pipeline.ts';

/** The identity: the beats that went in, in order. */
export function skidBufferStream<T>(beats: readonly T[]): T[] {
  return [...beats];
}

export function skidBufferModel(): StreamModel & { occupancy(): number } {
  let mainValid = false;
  let skidEmpty = true;
  return {
    occupancy: () => (mainValid ? 1 : 0) + (skidEmpty ? 0 : 1),
    inReady: () => skidEmpty,
    outValid: () => mainValid,
    edge({ inValid, outReady }) {
      const load = !mainValid || outReady;
      const nextMain = load ? !skidEmpty || inValid : mainValid;
      skidEmpty = load || (skidEmpty && !inValid);
      mainValid = nextMain;
    },
  };
}

export function skidBufferCycles(beats: number, idle?: (c: number) => boolean, stall?: (c: number) => boolean): StreamCycles {
  return runStreamModel(beats, skidBufferModel(), idle, stall);
}
