// Golden model of common.skid_buffer (generator/blocks/common/skid_buffer.ts): transaction level
// it is the identity (every beat out, in order, unchanged). Its cycle model:
// sim/cycles/common/skid_buffer.ts.

/** The identity: the beats that went in, in order. */
export function skidBufferStream<T>(beats: readonly T[]): T[] {
  return [...beats];
}
