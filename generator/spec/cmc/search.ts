// The CMC min-SAD search `cmc_search` (SPEC §2.2) without DSL code: its parameters and latency,
// read by the builder (generator/blocks/cmc/search.ts), the cycle model, the cases and tests.
import { clog2 } from '../math.ts';
import { ParamRuleError, ident, int, type Params } from '../../params/schema.ts';

export const searchParams = {
  top: ident({ default: 'cmc_search', doc: 'name of the generated top module' }),
  lanes: int({ default: 4, min: 1, max: 64, doc: 'candidates per beat P (match cmc.sad lanes)' }),
  sadBits: int({ default: 18, min: 1, max: 40, doc: 'SAD width SW (cmc.sad: elemBits + ceil(log2 n); 18 for 768 x u8)' }),
  jBits: int({ default: 8, min: 1, max: 16, doc: 'candidate index width JW (8 for the 196 tokens of a 14x14 grid)' }),
  stages: int({ default: 2, min: 0, max: 7, doc: 'register levels in the argmin tree (at most ceil(log2 lanes) + 1; 2 at 4 lanes: one comparison level per stage)' }),
};

export type SearchParams = Params<typeof searchParams>;

/** Latency from a token's last beat accepted to its result on `out` (cycles). */
export function searchLatency(p: Pick<SearchParams, 'stages'>): number {
  return p.stages + 1;
}

/** The rules across parameters (ParamRuleError on the first one broken). */
export function checkSearchParams(p: SearchParams): void {
  const max = clog2(p.lanes) + 1;
  if (p.stages > max) throw new ParamRuleError('cmc.search', 'stages', p.stages, `expected at most ceil(log2 lanes) + 1 = ${max} register levels for lanes = ${p.lanes}`);
}
