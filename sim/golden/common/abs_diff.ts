// Golden model of common.abs_diff (generator/blocks/common/abs_diff.ts), bit-accurate: each
// beat (a, b) of two W-bit operands of one signedness gives |a − b| as a W-bit unsigned value
// (exact: |a − b| ≤ 2^W − 1 for either signedness). Timing: a stall pipeline of 1 register
// (`registered`) or a wire (sim/cycles/common/pipeline.ts).

export function absDiff(a: bigint, b: bigint): bigint {
  return a >= b ? a - b : b - a;
}

/** One |a − b| per beat, in order. */
export function absDiffStream(beats: readonly { a: bigint; b: bigint }[]): bigint[] {
  return beats.map(({ a, b }) => absDiff(a, b));
}

/** Stages of the block's stall pipeline. */
export function absDiffStages(registered: boolean): number {
  return registered ? 1 : 0;
}
