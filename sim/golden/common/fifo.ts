// Golden model of common.fifo (generator/blocks/common/fifo.ts): transaction level it is the
// identity (every beat out, in order, unchanged). Its cycle model: sim/cycles/common/fifo.ts.

/** The identity: the beats that went in, in order. */
export function fifoStream<T>(beats: readonly T[]): T[] {
  return [...beats];
}
