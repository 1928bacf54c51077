// CMC min-SAD search and threshold (SPEC §2.2): the minimum SAD over a token's candidates,
// ties to the lowest candidate index j, and the informative decision SADmin ≥ Thr.
// Golden model: sim/golden/cmc/search.ts; cycle model: sim/cycles/cmc/search.ts; parameters and
// latency: generator/spec/cmc/search.ts.
//
// Ports (module `cmc_search`; SW = sadBits, JW = jBits, P = lanes):
//   in   : sad_0..sad_{P−1} (u[SW]), j_0..j_{P−1} (u[JW]), keep (u[P]: lane k holds a
//          candidate), last (the token's last beat) — a token's candidates, P per beat, e.g.
//          straight from cmc_sad's output with the candidates' indices beside them.
//   thr  : u[SW], plain input (Thr_T or Thr_V); read when a token's result is formed, so keep
//          it stable while a token is in flight.
//   out  : informative (1), jstar (u[JW]), sadmin (u[SW]) — one beat per token.
// Order: every lane carries the key {!keep, sad, j} (kept lanes {0, sad, j}, others all ones);
// the minimum key is the minimum SAD with the lowest j among equals, whatever order the
// candidates come in (in ascending j, as the search produces them, this is also the first
// minimum). A min tree (common/argmin's value path without its lane index, which the key's j
// makes redundant; `stages` register levels) takes the beat's minimum key; a running minimum
// across the token's beats keeps the old value unless the new key is strictly smaller. It
// holds the all-ones key between tokens (reset value, reloaded as a token's last beat is
// taken), so no first-beat flag sits in the loop. informative = (sadmin ≥ thr), compared for
// the new key and for the running minimum in parallel with the comparison that picks between
// them. A token with no kept lane at all gives sadmin = 2^SW − 1, jstar = 2^JW − 1 and
// informative = 1.
// Pipeline: the tree's registers and the (valid, last) flags advance together; the
// result waits in an output register; advance = in_ready = !(a token's last beat is at the
// running-minimum stage && out_valid && !out_ready).
// Latency: a token's last beat accepted in cycle c gives out_valid from cycle c + stages + 1.
// Throughput: one beat (P candidates) per cycle.
import { type Expr, type ModuleBuilder, bit, cat, clog2, module, mux, uint } from '../../dsl/index.ts';
import { type SearchParams, checkSearchParams, searchLatency, searchParams } from '../../spec/cmc/search.ts';
import { defineDesign } from '../../designs/registry.ts';
import { registerLevels } from '../common/adder_tree.ts';
import { pipeRegs, validLastStages } from '../common/pipeline.ts';

/**
 * The value half of common/argmin's tree (same comparisons, tie rule, register placement and
 * names): the key carries j, so the tree's lane index would be dead hardware (registers and
 * muxes that reach nothing) and is not built.
 */
function minTree(m: ModuleBuilder, name: string, values: Expr[], stages: number, enable: Expr | undefined): Expr {
  const levels = clog2(values.length);
  const regAfter = registerLevels(levels, stages);
  const copies = (l: number) => regAfter.filter((x) => x === l).length;
  let vals = pipeRegs(m, `${name}_s0_v`, values, enable, copies(0));
  for (let l = 1; l <= levels; l++) {
    const next: Expr[] = [];
    for (let i = 0; i < vals.length; i += 2) {
      const node = `${name}_l${l}_${i / 2}`;
      if (i + 1 < vals.length) {
        const right = m.wire(`${node}_r`, vals[i + 1].lt(vals[i]));
        next.push(m.wire(`${node}_v`, mux(right, vals[i + 1], vals[i])));
      } else next.push(vals[i]);
    }
    vals = pipeRegs(m, `${name}_s${l}_v`, next, enable, copies(l));
  }
  return vals[0];
}

export function cmcSearch(p: SearchParams, name = p.top) {
  checkSearchParams(p);
  const P = p.lanes;
  const SW = p.sadBits;
  const JW = p.jBits;
  const KW = 1 + SW + JW;
  const S = p.stages;
  return module(
    name,
    (m) => {
      const fields: Record<string, ReturnType<typeof uint>> = {};
      for (let k = 0; k < P; k++) fields[`sad_${k}`] = uint(SW);
      for (let k = 0; k < P; k++) fields[`j_${k}`] = uint(JW);
      fields.keep = uint(P);
      fields.last = bit();
      const inp = m.inStream('in', fields);
      const thr = m.input('thr', uint(SW));
      const out = m.outStream('out', { informative: bit(), jstar: uint(JW), sadmin: uint(SW) });

      const advance = m.wire('advance', bit());
      m.assign(inp.ready, advance);

      const ones = m.const(uint(KW), (1n << BigInt(KW)) - 1n);
      const zero1 = m.const(bit(), 0);
      const keys = Array.from({ length: P }, (_, k) =>
        m.wire(`key${k}`, mux(inp.data.keep.bit(k), cat(zero1, inp.data[`sad_${k}`], inp.data[`j_${k}`]), ones)),
      );
      // the key carries j: only the minimum key is needed, not the tree's lane index
      const am = { min: minTree(m, 'am', keys, S, S > 0 ? advance : undefined) };

      const [aValid, aLast] = validLastStages(m, inp.valid, inp.data.last, advance, S);

      // The running minimum starts every token at the all-ones key (reset, and reloaded as a
      // token's last beat is taken), so a token's first beat needs no flag: its key wins unless
      // it is all ones too, which gives the same result (no candidate). Without the flag the
      // loop (the iCE40's critical path) is the key comparison, one carry chain of 1 + SW + JW
      // bits, and the load enable or the result's mux right after it.
      const run = m.reg('run_min', uint(KW), { reset: (1n << BigInt(KW)) - 1n });
      const better = m.wire('better', am.min.lt(run));
      const next = m.wire('next_min', mux(better, am.min, run));
      const outValid = m.reg('out_valid_q', bit(), { reset: 0 });
      const outInf = m.reg('out_informative_q', bit());
      const outJ = m.reg('out_jstar_q', uint(JW));
      const outSad = m.reg('out_sadmin_q', uint(SW));
      m.assign(out.valid, outValid);
      m.assign(out.data.informative, outInf);
      m.assign(out.data.jstar, outJ);
      m.assign(out.data.sadmin, outSad);
      m.assign(advance, aValid.and(aLast).and(outValid).and(out.ready.not()).not());
      const take = m.wire('take', aValid.and(advance));
      const sadMin = m.wire('sad_min', next.slice(SW + JW - 1, JW));
      // the key's top bit (no candidate) needs no test: its sadmin field is all ones ≥ any thr
      m.sink(next.bit(KW - 1));
      // informative = sadmin ≥ thr, compared for both sources of `next` beside `better` (one
      // comparison and a mux deep rather than two comparisons in a row)
      const newInf = m.wire('new_informative', am.min.slice(SW + JW - 1, JW).ge(thr));
      const runInf = m.wire('run_informative', run.slice(SW + JW - 1, JW).ge(thr));
      m.sync(() => {
        m.when(take.and(aLast), () => {
          outInf.set(mux(better, newInf, runInf));
          outJ.set(next.slice(JW - 1, 0));
          outSad.set(sadMin);
          run.set(ones);
        }).elseWhen(take, () => run.set(next));
        m.when(take.and(aLast), () => outValid.set(1)).elseWhen(out.ready, () => outValid.set(0));
      });
    },
    {
      doc: [
        `CMC min-SAD search: ${P} candidate(s)/beat, u${SW} SAD, u${JW} index; minimum SAD, ties to the lowest j; informative = sadmin >= thr.`,
        `Argmin tree with ${S} register level(s). Latency: last beat in cycle c -> out_valid from c + ${searchLatency(p)}. One beat per cycle.`,
      ].join('\n'),
      params: { lanes: P, sadBits: SW, jBits: JW, stages: S },
    },
  );
}

export const cmcSearchDesign = defineDesign({
  name: 'cmc.search',
  description: 'CMC min-SAD search: running argmin over candidate beats (ties to the lowest j) and threshold (valid/ready)',
  params: searchParams,
  check: checkSearchParams,
  build: (p) => cmcSearch(p),
});
