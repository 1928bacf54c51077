// Integer helpers shared by the builders (through generator/dsl) and the models that size
// things like the RTL does, without importing DSL code.

/** ceil(log2(n)): the bits that count 0 .. n − 1 (0 for n ≤ 1). */
export function clog2(n: number): number {
  let w = 0;
  while (2 ** w < n) w++;
  return w;
}

/** Bits needed to address `depth` items (at least 1). */
export function addrBits(depth: number): number {
  return Math.max(1, clog2(depth));
}
