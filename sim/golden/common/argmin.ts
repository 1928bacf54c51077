// Golden model of common.argmin (generator/blocks/common/argmin.ts), bit-accurate: each beat
// of n candidates gives their minimum and the LOWEST index holding it (ties go to the lowest
// index); the index is max(1, ceil(log2 n)) bits unsigned. Timing: a stall pipeline of
// `stages` registers (sim/cycles/common/pipeline.ts).

export interface ArgminOut {
  min: bigint;
  index: number;
}

/** Minimum and its lowest index. */
export function argmin(values: readonly bigint[]): ArgminOut {
  if (values.length === 0) throw new RangeError('argmin: no candidates');
  let index = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < values[index]!) index = i;
  return { min: values[index]!, index };
}

/** One (min, index) per beat, in order. */
export function argminStream(beats: readonly (readonly bigint[])[]): ArgminOut[] {
  return beats.map(argmin);
}
