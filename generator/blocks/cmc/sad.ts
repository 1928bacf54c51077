// CMC SAD engine (SPEC §2.1): the CODEC's m-element SAD pass reused for tokens of n elements,
// P candidate lanes in parallel, exact sums. Golden model: sim/golden/cmc/sad.ts; cycle model:
// sim/cycles/cmc/sad.ts; parameters, geometry and latency: generator/spec/cmc/sad.ts.
//
// Ports (module `cmc_sad`, streams valid/ready; e = elemsPerBeat, E = elemBits,
// SW = E + ceil(log2 n)):
//   in  : ref (u[e·E]), c0 .. c{P−1} (u[e·E])   — one beat = e elements of the reference token
//         and of each of the P candidate tokens. A job (one reference against P candidates)
//         is ceil(n/e) beats: beat b carries elements [b·e, b·e + e); element j of a beat sits
//         at bits [j·E + E − 1 : j·E] (two's complement when `signed`). Lanes of a job's last
//         beat at element positions ≥ n are padding: ignored, any value.
//   out : sad_0 .. sad_{P−1} (u[SW]) — one beat per job: SAD(ref, c_k), exact.
// Why this ingest: a full pass is m·E·(P+1) bits (10,240 at the defaults), too wide for a port,
// so the engine takes e elements per operand per beat (e divides m; e = m is the full-width
// CODEC interface, one pass per beat) and gathers a pass before summing it.
//
// Datapath, per candidate lane k:
//   * |ref_j − c_k,j| for the e elements of the beat (common/abs_diff, exact, E bits unsigned),
//     computed as the elements arrive: e·P difference units, and the pass buffer holds
//     differences (E bits) rather than both operands. A pass still sums m differences; with
//     e = m this is the CODEC's m·P units working on one pass per cycle;
//   * a pass buffer of registers holding the differences of the pass's earlier beats
//     (m − e entries per lane when n > m; for n ≤ m only the positions a pass can fill);
//   * on the beat that completes a pass (the (m/e)-th beat, or in the token's last pass the
//     ceil(r/e)-th beat, r = n − (passes − 1)·m), an m-input adder tree (common/adder_tree,
//     `treeStages` register levels) sums the buffer and the current beat. Zero padding: in the
//     last pass every position ≥ r is a constant 0 (selected by `last pass` where earlier passes
//     use real data); for n ≤ m the tree has only n inputs, the rest being padding in every pass;
//   * an accumulator adds the ceil(n/m) partial sums (SW bits; first pass loads, last pass
//     emits).
// Control: a beat-in-pass counter and a pass counter (static: n, m, e are parameters).
// Pipeline and backpressure: the tree's register levels and the pass flags advance together
// (`advance`); the result of a job waits in an output register. advance = in_ready =
// !(a job-completing pass is at the accumulator && out_valid && !out_ready): other beats keep
// flowing while a result waits.
// Latency: the last beat of a job accepted in cycle c gives out_valid from cycle c + treeStages + 1.
// Throughput: one beat per cycle, i.e. a job every ceil(n/e) cycles with the output accepted.
import { type Expr, type Signal, bit, module, mux, uint, addrBits } from '../../dsl/index.ts';
import { type SadParams, checkSadParams, sadGeometry, sadLatency, sadParams } from '../../spec/cmc/sad.ts';
import { defineDesign } from '../../designs/registry.ts';
import { absDiff } from '../common/abs_diff.ts';
import { adderTree } from '../common/adder_tree.ts';

type Src = { kind: 'buf'; p: number } | { kind: 'cur'; j: number } | { kind: 'zero' };
const sameSrc = (a: Src, b: Src) => a.kind === b.kind && (a.kind === 'zero' || (a.kind === 'buf' ? a.p === (b as { p: number }).p : a.j === (b as { j: number }).j));

export function cmcSad(p: SadParams, name = p.top) {
  checkSadParams(p);
  const g = sadGeometry(p);
  const E = p.elemBits;
  const e = p.elemsPerBeat;
  const P = p.lanes;
  const S = p.treeStages;
  const elemT = uint(E);
  return module(
    name,
    (m) => {
      const inFields: Record<string, ReturnType<typeof uint>> = { ref: uint(e * E) };
      for (let k = 0; k < P; k++) inFields[`c${k}`] = uint(e * E);
      const inp = m.inStream('in', inFields);
      const outFields: Record<string, ReturnType<typeof uint>> = {};
      for (let k = 0; k < P; k++) outFields[`sad_${k}`] = uint(g.sadBits);
      const out = m.outStream('out', outFields);

      const advance = m.wire('advance', bit());
      m.assign(inp.ready, advance);
      const fire = m.wire('fire', inp.valid.and(advance));

      // ---- counters: beat within the pass, pass within the job ----
      const maxBip = g.passes > 1 ? g.beatsPerPass - 1 : g.lastBeat;
      const bip: Signal | undefined = maxBip > 0 ? m.reg('bip', uint(addrBits(maxBip + 1)), { reset: 0 }) : undefined;
      const pass: Signal | undefined = g.passes > 1 ? m.reg('pass', uint(addrBits(g.passes)), { reset: 0 }) : undefined;
      const one = m.const(bit(), 1);
      const isLastPass: Expr = pass ? m.wire('is_last_pass', pass.eq(g.passes - 1)) : one;
      const isFirstPass: Expr = pass ? m.wire('is_first_pass', pass.eq(0)) : one;
      const bipIs = (b: number): Expr => (bip ? bip.eq(b) : one);
      const passFinal: Expr =
        g.passes > 1 ? m.wire('pass_final', mux(isLastPass, bipIs(g.lastBeat), bipIs(g.beatsPerPass - 1))) : m.wire('pass_final', bipIs(g.lastBeat));
      m.sync(() =>
        m.when(fire, () => {
          if (bip) m.when(passFinal, () => bip.set(0)).otherwise(() => bip.set(bip.add(1).trunc(bip.width)));
          if (pass) m.when(passFinal, () => pass.set(mux(isLastPass, m.const(pass.type, 0), pass.add(1).trunc(pass.width))));
        }),
      );

      // ---- absolute differences of the current beat (only lanes that can ever be used) ----
      const elem = (field: Expr, j: number) => {
        const x = field.slice(j * E + E - 1, j * E);
        return p.signed ? x.asSigned() : x;
      };
      const usedLanes = g.passes === 1 && g.lastBeat === 0 ? g.r : e;
      const cur: Expr[][] = Array.from({ length: P }, (_, k) =>
        Array.from({ length: usedLanes }, (_, j) => absDiff(m, `ad${k}_${j}`, elem(inp.data.ref, j), elem(inp.data[`c${k}`], j))),
      );

      // ---- pass buffer: differences of the pass's earlier beats ----
      const bufLen = g.passes > 1 ? p.m - e : g.lastBeat * e;
      const beatWrite: Expr[] = [];
      for (let b = 0; b * e < bufLen; b++) beatWrite.push(m.wire(`buf_we_${b}`, fire.and(bipIs(b))));
      const buf: Signal[][] = Array.from({ length: P }, (_, k) =>
        Array.from({ length: bufLen }, (_, q) => {
          const r = m.reg(`buf${k}_${q}`, elemT);
          m.sync(() => m.when(beatWrite[Math.floor(q / e)], () => r.set(cur[k][q % e])));
          return r;
        }),
      );

      // ---- tree inputs: normal pass vs last pass (zero padding) ----
      const lb = g.lastBeat * e;
      const lastSrc = (q: number): Src => (q < lb ? { kind: 'buf', p: q } : q < Math.min(lb + e, g.r) ? { kind: 'cur', j: q - lb } : { kind: 'zero' });
      const normalSrc = (q: number): Src => (q < p.m - e ? { kind: 'buf', p: q } : { kind: 'cur', j: q - (p.m - e) });
      const zero = m.const(elemT, 0);
      const sums: Expr[] = [];
      for (let k = 0; k < P; k++) {
        const val = (s: Src): Expr => (s.kind === 'buf' ? buf[k][s.p] : s.kind === 'cur' ? cur[k][s.j] : zero);
        const terms: Expr[] = [];
        for (let q = 0; q < g.treeInputs; q++) {
          const ls = lastSrc(q);
          if (g.passes === 1) {
            terms.push(val(ls));
            continue;
          }
          const ns = normalSrc(q);
          terms.push(sameSrc(ls, ns) ? val(ns) : m.wire(`term${k}_${q}`, mux(isLastPass, val(ls), val(ns))));
        }
        sums.push(adderTree(m, `tree${k}`, terms, { stages: S, enable: S > 0 ? advance : undefined }));
      }

      // ---- pass flags along the tree pipeline ----
      let aValid: Expr = m.wire('pass_valid', inp.valid.and(passFinal)); // loads (S > 0) or is taken (S = 0) only on advance, i.e. when the beat fires
      let aFirst: Expr = isFirstPass;
      let aLast: Expr = isLastPass;
      for (let s = 0; s < S; s++) {
        const v = m.reg(`valid_s${s}`, bit(), { reset: 0 });
        const [pv, pf, pl] = [aValid, aFirst, aLast];
        m.sync(() => m.when(advance, () => v.set(pv)));
        aValid = v;
        if (g.passes > 1) {
          const f = m.reg(`first_s${s}`, bit());
          const l = m.reg(`last_s${s}`, bit());
          m.sync(() =>
            m.when(advance, () => {
              f.set(pf);
              l.set(pl);
            }),
          );
          aFirst = f;
          aLast = l;
        }
      }

      // ---- accumulator and output register ----
      const outValid = m.reg('out_valid_q', bit(), { reset: 0 });
      m.assign(out.valid, outValid);
      m.assign(advance, aValid.and(aLast).and(outValid).and(out.ready.not()).not());
      const take = m.wire('take', aValid.and(advance));
      for (let k = 0; k < P; k++) {
        const sum = sums[k].ext(g.sadBits); // tree width E + ceil(log2 treeInputs) ≤ SW
        const outSad = m.reg(`out_sad${k}_q`, uint(g.sadBits));
        m.assign(out.data[`sad_${k}`], outSad);
        if (g.passes === 1) {
          m.sync(() => m.when(take, () => outSad.set(sum)));
          continue;
        }
        const acc = m.reg(`acc${k}`, uint(g.sadBits));
        const base = m.wire(`acc_base${k}`, mux(aFirst, m.const(uint(g.sadBits), 0), acc));
        // exact: the job's SAD is at most n·(2^E − 1) < 2^SW, so the dropped carry is always 0
        const next = m.wire(`acc_next${k}`, base.add(sum).trunc(g.sadBits));
        m.sync(() => m.when(take.and(aLast), () => outSad.set(next)).elseWhen(take, () => acc.set(next)));
      }
      m.sync(() => m.when(take.and(aLast), () => outValid.set(1)).elseWhen(out.ready, () => outValid.set(0)));
    },
    {
      doc: [
        `CMC SAD engine: ${P} candidate lane(s), ${p.signed ? 's' : 'u'}${E} elements, token n = ${p.n}, pass m = ${p.m}, ${e} element(s)/beat/operand.`,
        `${g.passes} pass(es) per job (the last with ${g.r} of ${p.m} element(s), zero padded), ${g.beatsPerJob} beat(s) per job; SAD u${g.sadBits} (exact).`,
        `Adder trees of ${g.treeInputs} input(s), ${S} register level(s). Latency: last beat in cycle c -> out_valid from c + ${sadLatency(p)}. One beat per cycle.`,
      ].join('\n'),
      params: { m: p.m, lanes: P, elemBits: E, signed: p.signed, n: p.n, elemsPerBeat: e, treeStages: S },
    },
  );
}

export const cmcSadDesign = defineDesign({
  name: 'cmc.sad',
  description: 'CMC SAD engine: m-element passes, P candidate lanes, partial-sum accumulation, zero padding, exact (valid/ready)',
  params: sadParams,
  check: checkSadParams,
  build: (p) => cmcSad(p),
});
