// Golden model of common.fifo (generator/blocks/common/fifo.ts): transaction level it is the
// identity (every beat out, in order, unchanged). Cycle level (exact, for any idle/stall
// pattern): `count` is the registered occupancy, in_ready = count < depth and
// out_valid = count > 0 (both registers), so a beat accepted in cycle c can leave in c + 1;
// at depth 1 this alternates (half rate), at depth ≥ 2 one beat per cycle in and out.
import { type StreamCycles, type StreamModel, runStreamModel } from './pipeline.ts';

/** The identity: the beats that went in, in order. */
export function fifoStream<T>(beats: readonly T[]): T[] {
  return [...beats];
}

/** The FIFO's control: the occupancy and the flags derived from it. */
export function fifoModel(depth: number, onCount?: (count: number) => void): StreamModel & { count(): number } {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`fifoModel: depth ${depth}`);
  let count = 0;
  return {
    count: () => count,
    inReady: () => count < depth,
    outValid: () => count > 0,
    edge({ inFire, outFire }) {
      count += (inFire ? 1 : 0) - (outFire ? 1 : 0);
      onCount?.(count);
    },
  };
}

export interface FifoCycles extends StreamCycles {
  /** `count` as seen in each cycle 0 .. cycles (registered occupancy before that cycle's edge). */
  count: number[];
}

/** Accept/emit cycles and the per-cycle `count` of a FIFO of `depth` over `beats` beats. */
export function fifoCycles(beats: number, depth: number, idle?: (c: number) => boolean, stall?: (c: number) => boolean): FifoCycles {
  const model = fifoModel(depth);
  const count: number[] = [];
  const r = runStreamModel(beats, model, idle, stall, undefined, () => count.push(model.count()));
  count.push(model.count());
  return { ...r, count };
}

/**
 * Occupancy in each cycle 0 .. cycles-1 from the cycles the cosim reports: beats accepted
 * before cycle c minus beats that left before cycle c (what `count` must show in cycle c).
 */
export function fifoOccupancy(accepted: readonly number[], emitted: readonly number[], cycles: number): number[] {
  const delta = new Array<number>(cycles + 1).fill(0);
  for (const c of accepted) if (c + 1 <= cycles) delta[c + 1]! += 1;
  for (const c of emitted) if (c + 1 <= cycles) delta[c + 1]! -= 1;
  const occ: number[] = [];
  let n = 0;
  for (let c = 0; c < cycles; c++) {
    n += delta[c]!;
    occ.push(n);
  }
  return occ;
}
