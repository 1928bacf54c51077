// The CMC SAD engine `cmc_sad` (SPEC §2.1) without DSL code: its parameters, the geometry of a
// configuration (passes, beats, tree inputs, the SAD width) and its latency. The builder
// (generator/blocks/cmc/sad.ts), the golden and cycle models (sim/golden/cmc/sad.ts,
// sim/cycles/cmc/sad.ts), the cases, the eval and cmc_top's spec read them here.
import { clog2 } from '../math.ts';
import { ParamRuleError, bool, ident, int, type Params } from '../../params/schema.ts';

export const sadParams = {
  top: ident({ default: 'cmc_sad', doc: 'name of the generated top module' }),
  m: int({ default: 256, min: 1, max: 1024, doc: 'elements per SAD pass (the CODEC macro-block: 256 = 16x16)' }),
  lanes: int({ default: 4, min: 1, max: 16, doc: 'candidate lanes P computed in parallel' }),
  elemBits: int({ default: 8, min: 1, max: 16, doc: 'element width E' }),
  signed: bool({ default: false, doc: "elements are two's complement (features) rather than unsigned (pixels)" }),
  n: int({ default: 768, min: 1, max: 65536, doc: 'token length in elements (768 = 16x16x3)' }),
  elemsPerBeat: int({ default: 16, min: 1, max: 1024, doc: 'elements per operand per input beat (divides m)' }),
  treeStages: int({ default: 2, min: 0, max: 11, doc: 'register levels in each adder tree (at most ceil(log2 tree inputs) + 1)' }),
};

export type SadParams = Params<typeof sadParams>;

/** Width of an exact SAD of n elements of E bits: E + ceil(log2 n) (n·(2^E − 1) < 2^(E + ceil(log2 n))). */
export function sadWidth(elemBits: number, n: number): number {
  return elemBits + clog2(n);
}

/** Passes of an m-element engine for a token of n elements: ceil(n/m), at least 1. */
export function sadPassCount(n: number, m: number): number {
  return Math.max(1, Math.ceil(n / m));
}

/** Beats per job: ceil(n/e). */
export function sadBeatsPerJob(p: Pick<SadParams, 'n' | 'elemsPerBeat'>): number {
  return Math.ceil(p.n / p.elemsPerBeat);
}

/** Latency from a job's last beat accepted to its result on `out` (cycles). */
export function sadLatency(p: Pick<SadParams, 'treeStages'>): number {
  return p.treeStages + 1;
}

/** Static geometry of an engine configuration. */
export interface SadGeometry {
  passes: number;
  /** elements in the last pass */
  r: number;
  /** beats per full pass (m/e) */
  beatsPerPass: number;
  /** index of the last beat of the last pass */
  lastBeat: number;
  /** adder-tree inputs: m when n > m, else n */
  treeInputs: number;
  /** output width E + ceil(log2 n) */
  sadBits: number;
  /** beats per job: ceil(n/e) */
  beatsPerJob: number;
}

export function sadGeometry(p: Pick<SadParams, 'm' | 'n' | 'elemsPerBeat' | 'elemBits'>): SadGeometry {
  const passes = sadPassCount(p.n, p.m);
  const r = p.n - (passes - 1) * p.m;
  return {
    passes,
    r,
    beatsPerPass: p.m / p.elemsPerBeat,
    lastBeat: Math.ceil(r / p.elemsPerBeat) - 1,
    treeInputs: passes > 1 ? p.m : p.n,
    sadBits: sadWidth(p.elemBits, p.n),
    beatsPerJob: sadBeatsPerJob(p),
  };
}

/** The rules across parameters (ParamRuleError on the first one broken). */
export function checkSadParams(p: SadParams): void {
  const D = 'cmc.sad';
  if (p.elemsPerBeat > p.m || p.m % p.elemsPerBeat !== 0) throw new ParamRuleError(D, 'elemsPerBeat', p.elemsPerBeat, `expected a divisor of m = ${p.m}`);
  if (p.elemsPerBeat * p.elemBits > 4096) throw new ParamRuleError(D, 'elemsPerBeat', p.elemsPerBeat, `elemsPerBeat x elemBits must be at most 4096 bits per port, found ${p.elemsPerBeat * p.elemBits}`);
  const g = sadGeometry(p);
  const max = clog2(g.treeInputs) + 1;
  if (p.treeStages > max) throw new ParamRuleError(D, 'treeStages', p.treeStages, `expected at most ceil(log2 ${g.treeInputs}) + 1 = ${max} register levels for a tree of ${g.treeInputs} inputs`);
}
