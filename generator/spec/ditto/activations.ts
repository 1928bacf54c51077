// The Ditto VPU's activation tables (SPEC §1.5) and the int8 rounding they use: plain
// arithmetic without DSL code, so that the RTL builder (generator/blocks/ditto/vpu.ts, top.ts)
// and the golden model (sim/golden/ditto/vpu.ts) build the very same tables. Construction
// (deterministic, IEEE doubles):
//   real input  a = (c − zpIn) · sIn          for each code c ∈ [−128, 127]
//   real output r = f(a)                       f ∈ {identity, ReLU, GELU (erf form), SiLU}
//   code        y = clamp(roundHalfAway(r / sOut) + zpOut, −128, 127)
// where roundHalfAway rounds to the nearest integer, halves away from zero.

/** Clamp to int8. */
export function clampInt8(v: bigint | number): number {
  const x = typeof v === 'bigint' ? v : BigInt(v);
  return x < -128n ? -128 : x > 127n ? 127 : Number(x);
}

export type ActivationKind = 'identity' | 'relu' | 'gelu' | 'silu';
export const ACTIVATIONS: readonly ActivationKind[] = ['identity', 'relu', 'gelu', 'silu'];

/**
 * erf(x) to about 1e-15, from the series with positive terms (no cancellation):
 * erf x = 2/√π · e^(−x²) · Σ_n 2^n x^(2n+1) / (1·3·5···(2n+1)); erf = ±1 beyond |x| = 6.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return x < 0 ? -1 : 1;
  const x2 = ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 400; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
  return x < 0 ? -r : r;
}

export function activationFn(kind: ActivationKind): (a: number) => number {
  switch (kind) {
    case 'identity':
      return (a) => a;
    case 'relu':
      return (a) => (a > 0 ? a : 0);
    case 'gelu':
      return (a) => 0.5 * a * (1 + erf(a / Math.SQRT2)); // the erf form, not the tanh approximation
    case 'silu':
      return (a) => a / (1 + Math.exp(-a));
  }
}

/** Round to nearest, halves away from zero. */
export function roundHalfAway(v: number): number {
  return v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
}

export interface TableSpec {
  kind: ActivationKind;
  /** scale of the input codes (real = (c − zpIn)·sIn) */
  sIn: number;
  /** scale of the output codes */
  sOut: number;
  zpIn?: number;
  zpOut?: number;
}

/** The 256-entry table, indexed by code + 128 (entry 0 is code −128). */
export function activationTable(spec: TableSpec): Int8Array {
  const zpIn = spec.zpIn ?? 0;
  const zpOut = spec.zpOut ?? 0;
  if (!(spec.sIn > 0) || !(spec.sOut > 0) || !Number.isFinite(spec.sIn) || !Number.isFinite(spec.sOut)) {
    throw new RangeError(`activation table scales must be positive and finite (sIn ${spec.sIn}, sOut ${spec.sOut})`);
  }
  for (const [n, z] of [['zpIn', zpIn], ['zpOut', zpOut]] as const) {
    if (!Number.isInteger(z) || z < -128 || z > 127) throw new RangeError(`${n} must be int8, found ${z}`);
  }
  const f = activationFn(spec.kind);
  const t = new Int8Array(256);
  for (let c = -128; c <= 127; c++) {
    const r = f((c - zpIn) * spec.sIn);
    t[c + 128] = clampInt8(roundHalfAway(r / spec.sOut) + zpOut);
  }
  return t;
}

/** table[code] */
export function lookup(table: Int8Array, code: number): number {
  if (table.length !== 256) throw new RangeError('activation tables have 256 entries');
  return table[code + 128];
}

/** The same table indexed by the code's 8-bit pattern (entry i is code i − 256·(i ≥ 128)), as an RTL ROM would hold it. */
export function tableByPattern(table: Int8Array): number[] {
  return Array.from({ length: 256 }, (_, i) => table[((i << 24) >> 24) + 128]);
}
