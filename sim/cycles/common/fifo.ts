// Cycle model of common.fifo (generator/blocks/common/fifo.ts): `count` is the registered
// occupancy, in_ready = count < depth and out_valid = count > 0 (both registers), so a beat
// accepted in cycle c can leave in c + 1; at depth 1 this alternates (half rate), at depth ≥ 2
// one beat per cycle in and out. The Ditto encoder's output FIFO is the same queue with pushes of
// several words and its own ready threshold (sim/cycles/ditto/encoder.ts).
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from '../kernel.ts';

/** A queue of registered entries: the head is offered while the queue is not empty. */
export class Fifo<T> implements StreamStage<T> {
  private readonly items: T[] = [];

  constructor(readonly depth: number) {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`Fifo: depth ${depth}`);
  }

  get count(): number {
    return this.items.length;
  }

  out(): T | undefined {
    return this.items[0];
  }

  inReady(): boolean {
    return this.items.length < this.depth;
  }

  /** The edge: the head leaves if offered and ready, then `pushed` enter. */
  edge(taken: T | undefined, outReady: boolean): void {
    this.update(this.items.length > 0 && outReady, taken === undefined ? [] : [taken]);
  }

  /** The edge of a queue with several pushes per cycle: pop the head, then append `pushed`. */
  update(pop: boolean, pushed: readonly T[]): void {
    if (pop) this.items.shift();
    this.items.push(...pushed);
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}

export interface FifoCycles extends StreamCycles {
  /** `count` as seen in each cycle 0 .. cycles (registered occupancy before that cycle's edge). */
  count: number[];
}

/** Accept/emit cycles and the per-cycle `count` of a FIFO of `depth` over `beats` beats. */
export function fifoCycles(beats: number, depth: number, idle?: CyclePattern, stall?: CyclePattern): FifoCycles {
  const fifo = new Fifo<true>(depth);
  const count: number[] = [];
  const r = runStream('fifoCycles', fifo, new Array<true>(beats).fill(true), beats, idle, stall, undefined, () => count.push(fifo.count));
  count.push(fifo.count);
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
