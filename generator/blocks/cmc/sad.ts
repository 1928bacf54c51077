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
// HIERARCHY: each candidate lane (its e difference units, pass buffer, zero-padding muxes,
// adder tree, accumulator and output register) is an instance `lane<k>` of one module
// `<top>_lane` (sadLane below), P instances, as ditto.compute instances its `<top>_pe`: the
// lanes are identical, so the Verilog holds one copy of the lane instead of P (and a tool can
// place, time or replace one lane). The engine module keeps the control: the counters, the
// pass flags along the tree pipeline, advance and out_valid, and drives each lane's `buf_we`
// (one enable per beat of the pass buffer), `last_pass`, `advance`, `first`, `take` and `done`
// (the nets of the flat engine, so the behaviour is that of one module, cycle for cycle).
// Control: a beat-in-pass counter and a pass counter (static: n, m, e are parameters).
// Pipeline and backpressure: the tree's register levels and the pass flags advance together
// (`advance`); the result of a job waits in an output register. advance = in_ready =
// !(a job-completing pass is at the accumulator && out_valid && !out_ready): other beats keep
// flowing while a result waits.
// Latency: the last beat of a job accepted in cycle c gives out_valid from cycle c + treeStages + 1.
// Throughput: one beat per cycle, i.e. a job every ceil(n/e) cycles with the output accepted.
import { type Expr, type HwModule, type Signal, bit, cat, module, mux, uint, addrBits } from '../../dsl/index.ts';
import { type SadGeometry, type SadParams, checkSadParams, sadGeometry, sadLatency, sadParams } from '../../spec/cmc/sad.ts';
import { defineDesign } from '../../designs/registry.ts';
import { absDiff } from '../common/abs_diff.ts';
import { adderTree } from '../common/adder_tree.ts';

type Src = { kind: 'buf'; p: number } | { kind: 'cur'; j: number } | { kind: 'zero' };
const sameSrc = (a: Src, b: Src) => a.kind === b.kind && (a.kind === 'zero' || (a.kind === 'buf' ? a.p === (b as { p: number }).p : a.j === (b as { j: number }).j));

/** The static shape of a lane, shared by the engine (its ports) and the lane module. */
interface LaneShape {
  /** elements of a beat a lane ever uses (e, or only r for a one-beat, one-pass job) */
  used: number;
  /** pass buffer entries */
  bufLen: number;
  /** pass buffer beats, one write enable each */
  bufBeats: number;
}

function laneShape(p: SadParams, g: SadGeometry): LaneShape {
  const e = p.elemsPerBeat;
  const bufLen = g.passes > 1 ? p.m - e : g.lastBeat * e;
  return { used: g.passes === 1 && g.lastBeat === 0 ? g.r : e, bufLen, bufBeats: Math.ceil(bufLen / e) };
}

/**
 * One candidate lane (module `name`): ports ref_e, cand_e (u[used·E], the used elements of the
 * beat; `ref` is a Verilog keyword), buf_we (u[bufBeats], only if the pass buffer is not empty:
 * bit b writes the beat-b entries), last_pass, first and done (only if passes > 1), advance
 * (only if treeStages > 0), take in; sad (u[SW], the output register) out. See the file header
 * for the datapath.
 */
export function sadLane(name: string, p: SadParams): HwModule {
  const g = sadGeometry(p);
  const sh = laneShape(p, g);
  const E = p.elemBits;
  const e = p.elemsPerBeat;
  const S = p.treeStages;
  const elemT = uint(E);
  return module(
    name,
    (m) => {
      const ref = m.input('ref_e', uint(sh.used * E));
      const c = m.input('cand_e', uint(sh.used * E));
      const bufWe = sh.bufLen > 0 ? m.input('buf_we', uint(sh.bufBeats)) : undefined;
      const isLastPass = g.passes > 1 ? m.input('last_pass', bit()) : undefined;
      const first = g.passes > 1 ? m.input('first', bit()) : undefined;
      const advance = S > 0 ? m.input('advance', bit()) : undefined;
      const take = m.input('take', bit());
      // take on the job's last pass: the sum goes to the output register (g.passes > 1)
      const done = g.passes > 1 ? m.input('done', bit()) : undefined;

      // ---- absolute differences of the current beat ----
      const elem = (field: Expr, j: number) => {
        const x = field.slice(j * E + E - 1, j * E);
        return p.signed ? x.asSigned() : x;
      };
      const cur: Expr[] = Array.from({ length: sh.used }, (_, j) => absDiff(m, `ad_${j}`, elem(ref, j), elem(c, j)));

      // ---- pass buffer: differences of the pass's earlier beats ----
      const buf: Signal[] = Array.from({ length: sh.bufLen }, (_, q) => {
        const r = m.reg(`buf_${q}`, elemT);
        m.sync(() => m.when(bufWe!.bit(Math.floor(q / e)), () => r.set(cur[q % e])));
        return r;
      });

      // ---- tree inputs: normal pass vs last pass (zero padding) ----
      const lb = g.lastBeat * e;
      const lastSrc = (q: number): Src => (q < lb ? { kind: 'buf', p: q } : q < Math.min(lb + e, g.r) ? { kind: 'cur', j: q - lb } : { kind: 'zero' });
      const normalSrc = (q: number): Src => (q < p.m - e ? { kind: 'buf', p: q } : { kind: 'cur', j: q - (p.m - e) });
      const zero = m.const(elemT, 0);
      const val = (src: Src): Expr => (src.kind === 'buf' ? buf[src.p] : src.kind === 'cur' ? cur[src.j] : zero);
      const terms: Expr[] = [];
      for (let q = 0; q < g.treeInputs; q++) {
        const ls = lastSrc(q);
        if (!isLastPass) {
          terms.push(val(ls));
          continue;
        }
        const ns = normalSrc(q);
        terms.push(sameSrc(ls, ns) ? val(ns) : m.wire(`term_${q}`, mux(isLastPass, val(ls), val(ns))));
      }
      // tree width E + ceil(log2 treeInputs) ≤ SW
      const sum = adderTree(m, 'tree', terms, { stages: S, enable: advance }).ext(g.sadBits);

      // ---- accumulator and output register ----
      const outSad = m.reg('out_sad_q', uint(g.sadBits));
      m.assign(m.output('sad', uint(g.sadBits)), outSad);
      if (!first || !done) {
        m.sync(() => m.when(take, () => outSad.set(sum)));
        return;
      }
      const acc = m.reg('acc', uint(g.sadBits));
      const base = m.wire('acc_base', mux(first, m.const(uint(g.sadBits), 0), acc));
      // exact: the job's SAD is at most n·(2^E − 1) < 2^SW, so the dropped carry is always 0
      const next = m.wire('acc_next', base.add(sum).trunc(g.sadBits));
      m.sync(() => m.when(done, () => outSad.set(next)).elseWhen(take, () => acc.set(next)));
    },
    {
      doc: `CMC SAD lane: |ref - c| of ${sh.used} ${p.signed ? 's' : 'u'}${E} element(s) per beat, ${sh.bufLen}-entry pass buffer, ${g.treeInputs}-input adder tree (${S} register level(s)), u${g.sadBits} accumulator and result register; control from the engine`,
      params: { m: p.m, elemBits: E, signed: p.signed, n: p.n, elemsPerBeat: e, treeStages: S },
    },
  );
}

export function cmcSad(p: SadParams, name = p.top) {
  checkSadParams(p);
  const g = sadGeometry(p);
  const sh = laneShape(p, g);
  const E = p.elemBits;
  const e = p.elemsPerBeat;
  const P = p.lanes;
  const S = p.treeStages;
  const lane = sadLane(`${name}_lane`, p);
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

      // ---- pass buffer write enables, one per beat of the pass (shared by the lanes) ----
      const beatWrite: Expr[] = [];
      for (let b = 0; b < sh.bufBeats; b++) beatWrite.push(m.wire(`buf_we_${b}`, fire.and(bipIs(b))));

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

      // ---- the lanes; out_valid ----
      const outValid = m.reg('out_valid_q', bit(), { reset: 0 });
      m.assign(out.valid, outValid);
      m.assign(advance, aValid.and(aLast).and(outValid).and(out.ready.not()).not());
      const take = m.wire('take', aValid.and(advance));
      const done = m.wire('done', take.and(aLast));
      const laneIn: Record<string, Expr> = { take };
      if (sh.bufLen > 0) laneIn.buf_we = cat(...[...beatWrite].reverse());
      if (g.passes > 1) Object.assign(laneIn, { last_pass: isLastPass, first: aFirst, done });
      if (S > 0) laneIn.advance = advance;
      for (let k = 0; k < P; k++) {
        const inst = m.instance(lane, `lane${k}`, { ...laneIn, ref_e: inp.data.ref.slice(sh.used * E - 1, 0), cand_e: inp.data[`c${k}`].slice(sh.used * E - 1, 0) });
        m.assign(out.data[`sad_${k}`], inst.sad);
      }
      m.sync(() => m.when(done, () => outValid.set(1)).elseWhen(out.ready, () => outValid.set(0)));
    },
    {
      doc: [
        `CMC SAD engine: ${P} candidate lane(s) (instances of ${name}_lane), ${p.signed ? 's' : 'u'}${E} elements, token n = ${p.n}, pass m = ${p.m}, ${e} element(s)/beat/operand.`,
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
