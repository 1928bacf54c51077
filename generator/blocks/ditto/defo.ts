// Ditto Defo unit (SPEC §1.6): per layer, the choice between running on original activations
// and on temporal differences, from the cycle counts measured at steps 1 and 2.
//
// TABLE: `entries` (L) rows of {cycle_act: 16, cycle_diff: 16, exe_diff: 1, frozen: 1} in one
// 1W1R memory with a registered read (SRAM macro / block-RAM style: the row arrives the cycle
// after the request). `frozen`
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
// PIPELINE (stall pipeline, advance = !mode_valid || mode_ready; op_ready = table cleared &&
// advance): cycle c, the command is accepted, its row read is issued (registered at the edge)
// and the reported count saturated; cycle c+1, execute stage: decide, write the row back at
// the edge, a query's answer into the `mode` register. A one-entry forwarding register (the
// last written layer and row) supplies the row when the command just ahead wrote the same
// layer at the very edge of the read, so back-to-back commands to one layer are exact.
// LATENCY: a query accepted in cycle c has its answer valid on `mode` from cycle c + 2.
// THROUGHPUT: one command per cycle while the answers are accepted; the first can be accepted
// in cycle L after reset (sim/cycles/ditto/defo.ts).
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

      // ---- command pipeline: accept + registered read, then execute ----
      const table = m.memory('table', { depth: L, type: uint(34) });
      const resValid = m.reg('mode_valid_q', bit(), { reset: 0 });
      const resDiff = m.reg('mode_diff_q', bit());
      m.assign(res.valid, resValid);
      m.assign(res.data.diff, resDiff);
      const advance = m.wire('advance', resValid.not().or(res.ready));
      m.assign(op.ready, clearing.not().and(advance));
      const fire = m.wire('fire', op.valid.and(op.ready));
      const sat = m.wire('cycles_sat', CB > 16 ? mux(d.cycles.gt(0xffff), m.const(uint(16), 0xffff), d.cycles.trunc(16)) : d.cycles);

      const rd = m.reg('table_rd', uint(34));
      const xValid = m.reg('x_valid', bit(), { reset: 0 });
      const xQuery = m.reg('x_query', bit());
      const xLayer = m.reg('x_layer', uint(LB));
      const xStep = m.reg('x_step', uint(2));
      const xSat = m.reg('x_sat', uint(16));
      m.sync(() =>
        m.when(advance, () => {
          rd.set(table.read(d.layer));
          xValid.set(fire);
          xQuery.set(d.query);
          xLayer.set(d.layer);
          xStep.set(d.step);
          xSat.set(sat);
        }),
      );
      const exec = m.wire('exec', xValid.and(advance));

      // the row: forwarded from the last write when that write hit the same layer at the read's edge
      const lwValid = m.reg('lw_valid', bit(), { reset: 0 });
      const lwLayer = m.reg('lw_layer', uint(LB));
      const lwRow = m.reg('lw_row', uint(34));
      const row = m.wire('row', mux(lwValid.and(lwLayer.eq(xLayer)), lwRow, rd));
      const cycleAct = row.slice(15, 0);
      const cycleDiff = row.slice(31, 16);
      const exeDiff = row.slice(32, 32);
      const frozen = row.slice(33, 33);
      const later = xStep.bit(1); // step 3 or later
      const isReport = xQuery.not();
      const setAct = isReport.and(xStep.eq(0));
      const setDiff = isReport.and(xStep.eq(1));
      const decision = m.wire('decision', mux(frozen, exeDiff, cycleAct.gt(cycleDiff)));
      const newRow = m.wire(
        'new_row',
        cat(frozen.or(later), mux(later, decision, exeDiff), mux(setDiff, xSat, cycleDiff), mux(setAct, xSat, cycleAct)),
      );
      const answer = m.wire('answer', mux(later, decision, xStep.bit(0)));

      // one write port: the clear sweep, then the executed commands
      const wAddr = m.wire('table_waddr', mux(clearing, clearAddr, xLayer));
      const wData = m.wire('table_wdata', mux(clearing, m.const(uint(34), 0), newRow));
      m.sync(() => m.when(clearing.or(exec), () => table.write(wAddr, wData)));
      m.sync(() =>
        m.when(exec, () => {
          lwValid.set(1);
          lwLayer.set(xLayer);
          lwRow.set(newRow);
        }),
      );
      m.sync(() => {
        m.when(exec.and(xQuery), () => {
          resValid.set(1);
          resDiff.set(answer);
        }).elseWhen(res.ready, () => resValid.set(0));
      });
    },
    {
      doc: [
        `Ditto Defo unit: ${L} layer entries {cycle_act:16, cycle_diff:16, exe_diff:1, frozen:1}, reported counts u${CB} saturated to 16 bits.`,
        `One command (report or query) per cycle on 'op'; registered table read; a query's answer on 'mode' two cycles after it is accepted. Table cleared in ${L} cycles after reset.`,
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
