// Ditto Defo unit (SPEC §1.6): per layer, the choice between running on original activations
// and on temporal differences, from the cycle counts measured at steps 1 and 2.
//
// TABLE: `entries` (L) rows of {cycle_act: 16, cycle_diff: 16, exe_diff: 1, frozen: 1} in one
// 1W1R memory (asynchronous read: the answer is ready in the cycle of the request). `frozen`
// records that the decision has been taken (the golden model's bookkeeping flag), so that the
// decision stays frozen even if a layer reports steps 1/2 again later. After reset the unit
// clears the table (one row per cycle, L cycles, op_ready low), so every row starts at zero.
//
// INTERFACE (module `ditto_defo`; LB = max(1, clog2 L)). Reports and queries travel on one
// ordered command stream: a step-3 query freezes the decision from the counts reported so
// far, so the order of reports and queries decides the answers and two independent streams
// would make them depend on arbitration timing.
//   op   in : query (0 = report, 1 = query), layer (uLB), step (u2: 0 = step 1, 1 = step 2,
//             2 or 3 = step 3 or later), cycles (u<cycleBits>: the measured cycles of a report;
//             ignored for queries)
//   mode out: diff (1 = run layer on differences, 0 = on original activations) — one beat per
//             query
// Semantics (sim/golden/ditto/defo.ts, bit for bit):
//   report step 1: cycle_act ← min(cycles, 65535);  report step 2: cycle_diff ← min(cycles, 65535)
//   step ≥ 3 (report or query): if !frozen { exe_diff ← cycle_act > cycle_diff; frozen ← 1 }
//   query answer: step 1 → 0, step 2 → 1, step ≥ 3 → exe_diff (after the freeze above)
// TIMING: op_ready = table cleared && (!mode_valid || mode_ready). A command is executed in the
// cycle it is accepted (read, decide, write at the edge); a query's answer is valid on `mode`
// the next cycle (answered in one cycle) and the next command, in that cycle, already sees the
// updated row. One command per cycle; the first can be accepted in cycle L after reset.
import { addrBits, bit, cat, module, mux, uint } from '../../dsl/index.ts';
import { defineDesign } from '../../designs/registry.ts';
import { defoParams, type DefoParams } from '../../spec/ditto/defo.ts';

export function dittoDefo(p: DefoParams, name = p.top) {
  const L = p.entries;
  const LB = addrBits(L);
  const CB = p.cycleBits;
  return module(
    name,
    (m) => {
      const op = m.inStream('op', { query: bit(), layer: uint(LB), step: uint(2), cycles: uint(CB) });
      const res = m.outStream('mode', { diff: bit() });
      const d = op.data;

      // ---- table clear after reset ----
      const clearing = m.reg('clearing', bit(), { reset: 1 });
      const clearAddr = m.reg('clear_addr', uint(LB), { reset: 0 });
      m.sync(() =>
        m.when(clearing, () => {
          clearAddr.set(clearAddr.add(1).trunc(LB));
          m.when(clearAddr.eq(L - 1), () => clearing.set(0));
        }),
      );

      // ---- command execution ----
      const table = m.memory('table', { depth: L, type: uint(34) });
      const resValid = m.reg('mode_valid_q', bit(), { reset: 0 });
      const resDiff = m.reg('mode_diff_q', bit());
      m.assign(res.valid, resValid);
      m.assign(res.data.diff, resDiff);
      m.assign(op.ready, clearing.not().and(resValid.not().or(res.ready)));
      const fire = m.wire('fire', op.valid.and(op.ready));

      const row = m.wire('row', table.read(d.layer));
      const cycleAct = row.slice(15, 0);
      const cycleDiff = row.slice(31, 16);
      const exeDiff = row.slice(32, 32);
      const frozen = row.slice(33, 33);
      const sat = m.wire('cycles_sat', CB > 16 ? mux(d.cycles.gt(0xffff), m.const(uint(16), 0xffff), d.cycles.trunc(16)) : d.cycles);
      const later = d.step.bit(1); // step 3 or later
      const isReport = d.query.not();
      const setAct = isReport.and(d.step.eq(0));
      const setDiff = isReport.and(d.step.eq(1));
      const decision = m.wire('decision', mux(frozen, exeDiff, cycleAct.gt(cycleDiff)));
      const newRow = m.wire(
        'new_row',
        cat(frozen.or(later), mux(later, decision, exeDiff), mux(setDiff, sat, cycleDiff), mux(setAct, sat, cycleAct)),
      );
      const answer = m.wire('answer', mux(later, decision, d.step.bit(0)));

      // one write port: the clear sweep, then the executed commands
      const wAddr = m.wire('table_waddr', mux(clearing, clearAddr, d.layer));
      const wData = m.wire('table_wdata', mux(clearing, m.const(uint(34), 0), newRow));
      m.sync(() => m.when(clearing.or(fire), () => table.write(wAddr, wData)));
      m.sync(() => {
        m.when(fire.and(d.query), () => {
          resValid.set(1);
          resDiff.set(answer);
        }).elseWhen(res.ready, () => resValid.set(0));
      });
    },
    {
      doc: [
        `Ditto Defo unit: ${L} layer entries {cycle_act:16, cycle_diff:16, exe_diff:1, frozen:1}, reported counts u${CB} saturated to 16 bits.`,
        `One command (report or query) per cycle on 'op'; a query's answer on 'mode' the next cycle. Table cleared in ${L} cycles after reset.`,
      ].join('\n'),
      params: { entries: L, cycleBits: CB },
    },
  );
}

export const dittoDefoDesign = defineDesign({
  name: 'ditto.defo',
  description: 'Ditto Defo unit: per-layer original/difference choice from the step-1/step-2 cycle counts (valid/ready)',
  params: defoParams,
  build: (p) => dittoDefo(p),
});
