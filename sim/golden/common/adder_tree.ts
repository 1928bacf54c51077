// Golden model of common.adder_tree (generator/blocks/common/adder_tree.ts), bit-accurate:
// each input beat (n values of W bits, signed or unsigned) gives one output beat, the exact
// sum of its values in W + ceil(log2 n) bits (no overflow is possible at that width). Timing:
// a stall pipeline of `stages` registers (sim/cycles/common/pipeline.ts).

export function clog2(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`clog2(${n})`);
  let b = 0;
  while (1 << b < n) b++;
  return b;
}

/** Width of the sum of `n` values of `width` bits. */
export function adderTreeSumWidth(n: number, width: number): number {
  return width + clog2(n);
}

/** The sum of one beat's values. */
export function adderTreeSum(values: readonly bigint[]): bigint {
  if (values.length === 0) throw new RangeError('adderTreeSum: no values');
  return values.reduce((a, v) => a + v, 0n);
}

/** One sum per beat, in order. */
export function adderTreeStream(beats: readonly (readonly bigint[])[]): bigint[] {
  return beats.map(adderTreeSum);
}
