// Cosim cases of the CMC min-SAD search (cmc.search): candidate lists of real search windows
// (full and radius, corners included), ties, SADmin at Thr and Thr − 1, empty tokens, stalls.
import type { Stimulus } from '../../cosim/index.ts';
import { Rng } from '../../stimulus/rng.ts';
import { type SearchBeat, type SearchConfig, candidates, searchStream, searchTokenBeats } from '../../golden/cmc/search.ts';
import { sad } from '../../golden/cmc/sad.ts';
import { searchCycles } from '../../cycles/cmc/search.ts';
import { type CmcCase, VTEST, caseParams, defineCmcCase, videoTokens } from './common.ts';

function searchConfig(params: Record<string, number | boolean>): SearchConfig & { stages: number } {
  const p = caseParams({ design: 'cmc.search', params });
  return { lanes: Number(p.lanes), sadBits: Number(p.sadBits), jBits: Number(p.jBits), stages: Number(p.stages) };
}

type Pairs = { sad: number; j: number }[];

/** Tokens: windows of a 14×14 grid (capped to the index width), SADs from a small range (many ties). */
function randomTokens(rng: Rng, c: SearchConfig, thr: number, count: number): Pairs[] {
  const H = 14;
  const W = 14;
  const maxJ = 2 ** c.jBits - 1;
  const maxSad = 2 ** c.sadBits - 1;
  const out: Pairs[] = [];
  const corners = [0, W - 1, (H - 1) * W, H * W - 1];
  for (let q = 0; q < count; q++) {
    const i = q < corners.length ? corners[q] : rng.int(0, H * W - 1);
    const R = rng.pick([0, 1, 1, 2, 3]);
    let js = candidates(i, { H, W }, rng.chance(0.05) ? { kind: 'full' } : { kind: 'radius', R }).filter((j) => j <= maxJ);
    if (js.length === 0) js = [0];
    const mode = rng.int(0, 4);
    const pairs = js.map((j) => ({
      j,
      sad: Math.min(maxSad, mode === 0 ? rng.int(Math.max(0, thr - 1), thr) : mode === 1 ? rng.int(0, 3) : mode === 2 ? rng.pick([0, maxSad, thr]) : rng.int(0, Math.min(maxSad, 2 * thr + 4))),
    }));
    out.push(pairs);
  }
  return out;
}

function searchCase(name: string, params: Record<string, number | boolean>, thrOf: (seed: number, c: SearchConfig) => number, tokensOf: (seed: number, c: SearchConfig, thr: number) => Pairs[], extra: Partial<CmcCase> = {}): CmcCase {
  const c = searchConfig(params);
  return defineCmcCase({
    name: `cmc.search.${name}`,
    design: 'cmc.search',
    params,
    stalls: { inIdle: 0.3, outStall: 0.4 },
    seeds: 3,
    stimulus(seed) {
      const thr = thrOf(seed, c);
      const rng = new Rng(seed * 31 + 7);
      const beats: SearchBeat[] = [];
      // Directed start right after reset: a token with no kept lane (its result, all ones, must
      // come from the running minimum's reset value, all ones: any other reset value, or none,
      // would win over the all-ones key), then a token whose SADs are
      // all at the maximum with the highest j (any stale or spurious key would beat it).
      const maxJ = 2 ** c.jBits - 1;
      beats.push(...searchTokenBeats([], c, () => ({ sad: 0, j: 0 })));
      beats.push(...searchTokenBeats(Array.from({ length: c.lanes + 1 }, (_, k) => ({ sad: 2 ** c.sadBits - 1, j: Math.max(0, maxJ - k) })), c, () => ({ sad: 0, j: 0 })));
      for (const pairs of tokensOf(seed, c, thr)) {
        // filler lanes (keep = 0) carry garbage that would win if it counted
        beats.push(...searchTokenBeats(pairs, c, () => ({ sad: rng.int(0, 1), j: rng.int(0, 2 ** c.jBits - 1) })));
      }
      // a token with no kept lane
      beats.push(...searchTokenBeats([], c, () => ({ sad: 0, j: 0 })));
      return { streams: { in: beats }, rows: [{ thr }] };
    },
    golden: (stim: Stimulus) => ({ streams: { out: searchStream(stim.streams!.in!, Number(stim.rows![0].thr), c).map((o) => ({ ...o })) } }),
    cycles(stim, idle, stall) {
      const r = searchCycles(stim.streams!.in!.map((b) => Number(b.last) === 1), c.stages, (cy) => idle('in', cy), (cy) => stall('out', cy));
      return { accepted: { in: r.accepted }, emitted: { out: r.emitted }, cycles: r.cycles };
    },
    ...extra,
  });
}

/** Real SADs: vtest frame-1 tokens against their radius-1/2 windows in frame 0 (unsigned, n = 768). */
function videoTokensPairs(seed: number): Pairs[] {
  const toks = videoTokens(VTEST, 2);
  const rng = new Rng(seed);
  const out: Pairs[] = [];
  for (let q = 0; q < 30; q++) {
    const i = q < 2 ? [0, 195][q] : rng.int(0, 195);
    const js = candidates(i, { H: 14, W: 14 }, { kind: 'radius', R: rng.int(1, 2) });
    out.push(js.map((j) => ({ j, sad: sad(toks[1][i], toks[0][j]) })));
  }
  return out;
}

export const searchCases: CmcCase[] = [
  searchCase('default', {}, (seed) => [0, 5, 300][seed % 3], (seed, c, thr) => randomTokens(new Rng(seed), c, thr, 300), { smoke: true }),
  searchCase('s1', { stages: 1 }, (seed) => [0, 5, 300][seed % 3], (seed, c, thr) => randomTokens(new Rng(seed), c, thr, 200)),
  searchCase('p1', { lanes: 1, stages: 0, sadBits: 10, jBits: 8 }, (seed) => 3 + seed, (seed, c, thr) => randomTokens(new Rng(seed), c, thr, 120)),
  searchCase('p5', { lanes: 5, stages: 4, sadBits: 12, jBits: 6 }, (seed) => 2 ** 12 - 1 - seed, (seed, c, thr) => randomTokens(new Rng(seed), c, thr, 200)),
  // real video SADs with the SPEC-style threshold of 2 per element (768 × 2)
  searchCase('video', {}, () => 1536, (seed) => videoTokensPairs(seed)),
];
