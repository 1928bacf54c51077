// Cosim cases of the CMC SAD engine (cmc.sad): random and directed jobs (extreme elements,
// equal tokens, garbage in the padding lanes), real-video tokens, stalls on both sides.
import type { Stimulus } from '../../cosim/index.ts';
import { Rng } from '../../stimulus/rng.ts';
import { type SadEngineConfig, type SadJob, elemRange, sadEngineStream, sadJobBeats } from '../../golden/cmc/sad.ts';
import { sadCycles } from '../../cycles/cmc/sad.ts';
import { sadBeatsPerJob } from '../../../generator/spec/cmc/sad.ts';
import { candidates } from '../../golden/cmc/search.ts';
import { type CmcCase, VTEST, caseParams, defineCmcCase, videoTokens } from './common.ts';

function engineConfig(params: Record<string, unknown>): SadEngineConfig & { treeStages: number } {
  const p = caseParams({ design: 'cmc.sad', params: params as Record<string, number | boolean> });
  return { m: Number(p.m), lanes: Number(p.lanes), elemBits: Number(p.elemBits), signed: Boolean(p.signed), n: Number(p.n), elemsPerBeat: Number(p.elemsPerBeat), treeStages: Number(p.treeStages) };
}

/** Random jobs with directed ones mixed in. */
function randomJobs(rng: Rng, c: SadEngineConfig, count: number): SadJob[] {
  const r = elemRange(c.elemBits, c.signed);
  const tok = (kind: number): number[] =>
    Array.from({ length: c.n }, () => (kind === 0 ? r.min : kind === 1 ? r.max : rng.chance(0.25) ? rng.pick([r.min, r.max, 0]) : rng.int(r.min, r.max)));
  const jobs: SadJob[] = [
    // worst case: every element at the opposite extreme (the SAD width is exactly enough)
    { ref: tok(0), cands: Array.from({ length: c.lanes }, (_, k) => (k % 2 ? tok(0) : tok(1))) },
    { ref: tok(1), cands: Array.from({ length: c.lanes }, () => tok(0)) },
  ];
  while (jobs.length < count) {
    const ref = tok(2);
    // some candidates equal or close to the reference (SAD 0 / small), others random
    jobs.push({ ref, cands: Array.from({ length: c.lanes }, () => (rng.chance(0.2) ? [...ref] : rng.chance(0.3) ? ref.map((v) => Math.min(r.max, Math.max(r.min, v + rng.int(-1, 1)))) : tok(2))) });
  }
  return jobs;
}

function sadCase(name: string, params: Record<string, number | boolean>, jobsOf: (seed: number, c: SadEngineConfig) => SadJob[], extra: Partial<CmcCase> = {}): CmcCase {
  const c = engineConfig(params);
  return defineCmcCase({
    name: `cmc.sad.${name}`,
    design: 'cmc.sad',
    params,
    stalls: { inIdle: 0.3, outStall: 0.4 },
    seeds: 3,
    stimulus(seed) {
      const rng = new Rng(seed * 7717 + 3);
      const r = elemRange(c.elemBits, c.signed);
      return { streams: { in: jobsOf(seed, c).flatMap((j) => sadJobBeats(j, c, () => rng.int(r.min, r.max))) } };
    },
    golden: (stim: Stimulus) => ({ streams: { out: sadEngineStream(stim.streams!.in!.map((b) => b as Record<string, bigint>), c) } }),
    cycles(stim, idle, stall) {
      const jobs = stim.streams!.in!.length / sadBeatsPerJob(c);
      const r = sadCycles(jobs, c, (cy) => idle('in', cy), (cy) => stall('out', cy));
      return { accepted: { in: r.accepted }, emitted: { out: r.emitted }, cycles: r.cycles };
    },
    ...extra,
  });
}

/** Jobs from real video: P-frame tokens of vtest frame 1 against their radius-1 window in frame 0. */
function videoJobs(seed: number, c: SadEngineConfig, count: number): SadJob[] {
  if (c.n !== 768 || c.elemBits !== 8 || c.signed) throw new RangeError('video jobs need n = 768 unsigned 8-bit elements');
  const toks = videoTokens(VTEST, 2);
  const rng = new Rng(seed);
  const jobs: SadJob[] = [];
  for (let q = 0; q < count; q++) {
    const i = q === 0 ? 0 : q === 1 ? 195 : rng.int(0, 195); // corners first
    const cs = candidates(i, { H: 14, W: 14 }, { kind: 'radius', R: 1 });
    jobs.push({ ref: Array.from(toks[1][i]), cands: Array.from({ length: c.lanes }, (_, k) => Array.from(toks[0][cs[k % cs.length]])) });
  }
  return jobs;
}

export const sadCases: CmcCase[] = [
  // n > m, not a multiple of m: 3 passes (8, 8, 4 elements), 5 beats per job, unsigned
  sadCase('passes', { m: 8, lanes: 2, n: 20, elemsPerBeat: 4, treeStages: 1 }, (seed, c) => randomJobs(new Rng(seed), c, 60)),
  // the same with a combinational tree: a lane with an accumulator but no `advance` port
  sadCase('passes_comb', { m: 8, lanes: 2, n: 20, elemsPerBeat: 4, treeStages: 0 }, (seed, c) => randomJobs(new Rng(seed), c, 60)),
  // n < m: one padded pass in one beat, signed, combinational tree
  sadCase('short', { m: 8, lanes: 3, n: 5, elemsPerBeat: 8, treeStages: 0, signed: true }, (seed, c) => randomJobs(new Rng(seed), c, 150)),
  // n = m, 4-bit signed elements, deepest tree pipeline
  sadCase('exact', { m: 16, lanes: 1, n: 16, elemsPerBeat: 4, treeStages: 5, elemBits: 4, signed: true }, (seed, c) => randomJobs(new Rng(seed), c, 100)),
  // e = m (full-width CODEC ingest, one pass per beat), n > m with a short last pass
  sadCase('fullwidth', { m: 4, lanes: 2, n: 10, elemsPerBeat: 4, treeStages: 2 }, (seed, c) => randomJobs(new Rng(seed), c, 120)),
  // real video: 768-byte vtest tokens, 12 passes of 64
  sadCase('video', { m: 64, lanes: 2, n: 768, elemsPerBeat: 32, treeStages: 2 }, (seed, c) => videoJobs(seed, c, 12)),
  // the default configuration (m = 256, P = 4, n = 768, e = 16) on video and random tokens
  sadCase('default', {}, (seed, c) => [...videoJobs(seed, c, 6), ...randomJobs(new Rng(seed), c, 6)], { smoke: true }),
];
