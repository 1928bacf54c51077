// Golden model of CMC token SAD (SPEC §2.1) and of the SAD engine RTL `cmc_sad`
// (generator/blocks/cmc/sad.ts), bit for bit.
//
// A token is a vector of n elements of E bits, unsigned (raw pixels) or two's complement
// (features). SAD(a, b) = Σ_k |a_k − b_k|, exact, never saturated; it needs E + ceil(log2 n)
// bits (n·(2^E − 1) < 2^(E + ceil(log2 n))). The CODEC's engine handles m elements per pass:
// ceil(n/m) passes, pass p covering elements [p·m, min(n, (p+1)·m)); a pass shorter than m is
// zero padded on both operands (|0 − 0| = 0), and the partial sums are accumulated.
//
// Engine stream (cmc_sad): the tokens of one "job" (a reference token and P candidate tokens)
// arrive as ceil(n/e) beats of e = elemsPerBeat elements per operand; beat b carries elements
// [b·e, b·e + e) of the reference (field `ref`) and of each candidate (fields `c0`..`c{P−1}`);
// lanes of the last beat at positions ≥ n are padding and ignored (any value). A field packs
// its e elements little-endian: element j of the beat at bits [j·E + E − 1 : j·E], two's
// complement when signed. Per job the engine emits one beat with `sad_0`..`sad_{P−1}`.
// The SAD width, pass count and beats per job are the block's spec (generator/spec/cmc/sad.ts).
import { type SadParams, sadBeatsPerJob, sadPassCount } from '../../../generator/spec/cmc/sad.ts';

/** Range of an E-bit element. */
export function elemRange(elemBits: number, signed: boolean): { min: number; max: number } {
  return signed ? { min: -(2 ** (elemBits - 1)), max: 2 ** (elemBits - 1) - 1 } : { min: 0, max: 2 ** elemBits - 1 };
}

function checkToken(t: ArrayLike<number>, what: string, elemBits?: number, signed?: boolean): void {
  const r = elemBits === undefined ? undefined : elemRange(elemBits, signed ?? false);
  for (let k = 0; k < t.length; k++) {
    const v = t[k];
    if (!Number.isInteger(v)) throw new RangeError(`${what}[${k}] = ${v} is not an integer`);
    if (r && (v < r.min || v > r.max)) throw new RangeError(`${what}[${k}] = ${v} is not a ${signed ? 's' : 'u'}${elemBits} element`);
  }
}

/** SAD(a, b) = Σ |a_k − b_k| (exact). */
export function sad(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`SAD of tokens of lengths ${a.length} and ${b.length}`);
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.abs(a[k] - b[k]);
  return s;
}

/**
 * The per-pass partial sums of SAD(a, b) on an m-element engine: pass p sums the m elements
 * [p·m, p·m + m) of both operands zero padded beyond n. Their sum is SAD(a, b).
 */
export function sadPasses(a: ArrayLike<number>, b: ArrayLike<number>, m: number): number[] {
  if (a.length !== b.length) throw new RangeError(`SAD of tokens of lengths ${a.length} and ${b.length}`);
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`pass size m = ${m}`);
  const n = a.length;
  const out: number[] = [];
  for (let p = 0; p < sadPassCount(n, m); p++) {
    let s = 0;
    for (let q = 0; q < m; q++) {
      const k = p * m + q;
      const x = k < n ? a[k] : 0; // zero padding on both operands
      const y = k < n ? b[k] : 0;
      s += Math.abs(x - y);
    }
    out.push(s);
  }
  return out;
}

/** SAD through the engine's passes (equal to `sad`, by construction of the padding). */
export function sadByPasses(a: ArrayLike<number>, b: ArrayLike<number>, m: number): number {
  return sadPasses(a, b, m).reduce((x, y) => x + y, 0);
}

// ---- the engine stream ----

/** The engine's parameters that shape its stream: m, lanes P, elemBits E, signed, n, elemsPerBeat e. */
export type SadEngineConfig = Pick<SadParams, 'm' | 'lanes' | 'elemBits' | 'signed' | 'n' | 'elemsPerBeat'>;

/** One SAD job: a reference token and P candidate tokens (each n elements). */
export interface SadJob {
  ref: number[];
  cands: number[][];
}

export type PackedBeat = Record<string, bigint>;

/** Pack e elements (two's complement for signed) little-endian into one field value. */
export function packElems(values: readonly number[], elemBits: number): bigint {
  let v = 0n;
  const mask = (1n << BigInt(elemBits)) - 1n;
  for (let j = values.length - 1; j >= 0; j--) v = (v << BigInt(elemBits)) | (BigInt(values[j]) & mask);
  return v;
}

/** Unpack a field value into e elements of E bits (sign-extended when signed). */
export function unpackElems(v: bigint, e: number, elemBits: number, signed: boolean): number[] {
  const out: number[] = [];
  const mask = (1n << BigInt(elemBits)) - 1n;
  for (let j = 0; j < e; j++) {
    let x = (v >> BigInt(j * elemBits)) & mask;
    if (signed && x >> BigInt(elemBits - 1)) x -= 1n << BigInt(elemBits);
    out.push(Number(x));
  }
  return out;
}

/**
 * The beats of one job. `pad(j)` gives the value of padding lane j of the last beat
 * (positions ≥ n; the engine ignores them; default 0) — tests put garbage there.
 */
export function sadJobBeats(job: SadJob, c: SadEngineConfig, pad: (operand: number, j: number) => number = () => 0): PackedBeat[] {
  checkJob(job, c);
  const e = c.elemsPerBeat;
  const beats: PackedBeat[] = [];
  for (let b = 0; b < sadBeatsPerJob(c); b++) {
    const slice = (t: number[], operand: number) => Array.from({ length: e }, (_, j) => (b * e + j < c.n ? t[b * e + j] : pad(operand, j)));
    const beat: PackedBeat = { ref: packElems(slice(job.ref, 0), c.elemBits) };
    job.cands.forEach((t, k) => (beat[`c${k}`] = packElems(slice(t, k + 1), c.elemBits)));
    beats.push(beat);
  }
  return beats;
}

function checkJob(job: SadJob, c: SadEngineConfig): void {
  if (job.cands.length !== c.lanes) throw new RangeError(`a SAD job has ${c.lanes} candidates, found ${job.cands.length}`);
  for (const [t, what] of [[job.ref, 'ref'], ...job.cands.map((t, k) => [t, `cand ${k}`] as const)] as const) {
    if (t.length !== c.n) throw new RangeError(`${what}: a token has n = ${c.n} elements, found ${t.length}`);
    checkToken(t, what, c.elemBits, c.signed);
  }
}

/** The jobs carried by a beat stream (the padding lanes of each last beat dropped). */
export function sadJobsFromBeats(beats: readonly Record<string, bigint | number>[], c: SadEngineConfig): SadJob[] {
  const per = sadBeatsPerJob(c);
  if (beats.length % per !== 0) throw new RangeError(`${beats.length} beats is not a whole number of jobs of ${per} beats`);
  const jobs: SadJob[] = [];
  for (let s = 0; s < beats.length; s += per) {
    const take = (field: string) => beats.slice(s, s + per).flatMap((bt) => unpackElems(BigInt(bt[field]), c.elemsPerBeat, c.elemBits, c.signed)).slice(0, c.n);
    jobs.push({ ref: take('ref'), cands: Array.from({ length: c.lanes }, (_, k) => take(`c${k}`)) });
  }
  return jobs;
}

/** The engine's output for one job: SAD of the reference with each candidate, computed pass by pass. */
export function sadEngineJob(job: SadJob, c: SadEngineConfig): number[] {
  checkJob(job, c);
  return job.cands.map((t) => sadByPasses(job.ref, t, c.m));
}

/** The engine as a stream: beats in, one `{sad_0..sad_{P−1}}` beat per job out. */
export function sadEngineStream(beats: readonly Record<string, bigint | number>[], c: SadEngineConfig): Record<string, number>[] {
  return sadJobsFromBeats(beats, c).map((job) => Object.fromEntries(sadEngineJob(job, c).map((v, k) => [`sad_${k}`, v])));
}
