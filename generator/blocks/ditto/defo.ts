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
// last written row) supplies the row when the command just ahead wrote the same layer at the
// very edge of the read, so back-to-back commands to one layer are exact. That case is known
// at the read's edge (the execute stage's layer against the accepted one) and registered as
// `fwd`, so no layer comparison sits between the read data and the decision; the decision's
// comparison runs on both row sources side by side (see `chain` below): iCE40 29 -> 47 MHz.
// LATENCY: a query accepted in cycle c has its answer valid on `mode` from cycle c + 2.
// THROUGHPUT: one command per cycle while the answers are accepted; the first can be accepted
// in cycle L after reset (sim/cycles/ditto/defo.ts).
import { type Expr, addrBits, bit, cat, module, mux, uint } from '../../dsl/index.ts';
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
      // forward select, decided at the read's edge: the command in the execute stage writes its
      // row at that very edge (every execute writes: exec = x_valid && advance), so the read
      // returns the row before that write exactly when the two layers are equal. Registered
      // beside the read data, the select is a flip-flop rather than a layer comparison between
      // the table's read data and the decision.
      // No reset: advance is 1 in reset (mode_valid is 0), so `fwd` is loaded from the cleared
      // x_valid before the first command can reach the execute stage (after the clear sweep).
      const fwd = m.reg('fwd', bit());
      m.sync(() =>
        m.when(advance, () => {
          rd.set(table.read(d.layer));
          fwd.set(xValid.and(xLayer.eq(d.layer)));
          xValid.set(fire);
          xQuery.set(d.query);
          xLayer.set(d.layer);
          xStep.set(d.step);
          xSat.set(sat);
        }),
      );
      const exec = m.wire('exec', xValid.and(advance));

      // the row: the last written row (the command just ahead's) when `fwd`, else the read data
      const lwRow = m.reg('lw_row', uint(34));
      const row = m.wire('row', mux(fwd, lwRow, rd));
      const cycleAct = row.slice(15, 0);
      const cycleDiff = row.slice(31, 16);
      const frozen = row.slice(33, 33);
      // The new exe_diff is (later && !frozen) ? cycle_act > cycle_diff : exe_diff. It is
      // computed by two carry-chain comparisons, one per row source, each with an extra top bit
      // pair {p, cycle_act} > {q, cycle_diff}: p > q gives 1, p < q gives 0, p == q the counts'
      // comparison. p and q fold in everything else (this source not selected: 0; frozen or an
      // earlier step: the row's exe_diff), so they are ready long before the carry arrives, and
      // only an OR of the two chains follows them: no 2:1 mux in front of a chain, one LUT after.
      const later = xStep.bit(1); // step 3 or later
      const chain = (nm: string, src: typeof rd, selected: Expr) => {
        // an earlier step, or frozen: exe_diff stays (named wires: one line per mutation site)
        const keep = m.wire(`${nm}_keep`, later.not().or(src.bit(33)));
        const e = m.wire(`${nm}_e`, src.bit(32));
        const sel = m.wire(`${nm}_sel`, selected);
        const p = m.wire(`${nm}_p`, m.wire(`${nm}_sk`, sel.and(keep)).and(e));
        const q = m.wire(`${nm}_q`, sel.not().or(keep.and(e.not())));
        return m.wire(nm, cat(p, src.slice(15, 0)).gt(cat(q, src.slice(31, 16))));
      };
      const newExe = m.wire('new_exe', chain('lw_exe', lwRow, fwd).or(chain('rd_exe', rd, fwd.not())));
      const isReport = xQuery.not();
      const setAct = isReport.and(xStep.eq(0));
      const setDiff = isReport.and(xStep.eq(1));
      const newRow = m.wire('new_row', cat(frozen.or(later), newExe, mux(setDiff, xSat, cycleDiff), mux(setAct, xSat, cycleAct)));
      // a query's answer: step 1 → 0, step 2 → 1, later → the (new) decision
      const answer = m.wire('answer', mux(later, newExe, xStep.bit(0)));

      // one write port: the clear sweep, then the executed commands
      const wAddr = m.wire('table_waddr', mux(clearing, clearAddr, xLayer));
      const wData = m.wire('table_wdata', mux(clearing, m.const(uint(34), 0), newRow));
      m.sync(() => m.when(clearing.or(exec), () => table.write(wAddr, wData)));
      m.sync(() => m.when(exec, () => lwRow.set(newRow)));
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
