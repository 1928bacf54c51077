// Ditto compute unit (SPEC §1.4): an R × C array of A4W8 PEs with its weight buffer, consuming
// the encoder's 4-slot words and producing int32 output rows Y[m][n] = Σ_k D[m][k]·W[k][n].
//
// DATAFLOW. Row r of the array has its own word stream `in<r>` (R rows = R independent vector
// streams, e.g. R encoders or R tokens in flight). A row's words are broadcast to its C PEs;
// PE (r, n) owns output column n and reads W[k][n] for the word's 4 slot indices k0..k3. A
// vector's words are accumulated in every PE of the row; the word with `last` drains the C
// accumulators as one `out<r>` beat with C int32 lanes y_0..y_{C-1} (one beat per vector per
// row) and restarts them from 0.
//
// Ports (module `ditto_compute`; KB = max(1, clog2(kMax)) as the encoder's k; G = wGroup,
// NG = C / G column groups, GB = max(1, clog2(NG)); the `b` fields exist only with banks = 2):
//   w      in : k (uKB), g (uGB: column group, columns g·G .. g·G + G − 1), d_0..d_{G-1} (s8:
//               W[k][g·G + j]), last (the final beat of a weight load), b (1 bit: the bank this
//               beat writes). w_ready = 1.
//   in<r>  in : v0..v3, s0..s3, n0..n3 (u4), h0..h3, k0..k3 (uKB), last — the encoder's word
//               (its nzero/nlow/nfull counts are not consumed) — and b (1 bit: the bank the
//               word's weights are read from).
//   out<r> out: y_0..y_{C-1} (s32).
//
// WEIGHT BUFFER. Per row and column group, 4 copies (one per slot) of a (banks·kMax) × (8·G)-bit
// 1W1R memory with a registered read port (common/sram.ts `sramBank`, block-RAM style, Yosys
// infers one $mem_v2 per copy, listed in <top>.mems.json): every copy is written by the same
// `w` beat and read at its own slot's k. Storage cost: 4 · R · banks · kMax · 8 · C bits (4·R
// copies of the K × C int8 matrix per bank) — the price of 4 independent reads per row per
// cycle without bank conflicts (banking by k mod 4 would stall whenever two slots of a word
// share a bank, which the encoder does not avoid). A word reads its weights in the cycle it is
// accepted (read-first), so words already accepted are never affected by a later load.
//   banks = 1: a `w` beat with last = 0 starts (or continues) a load and closes every row's
// input from the next cycle on; the beat with last = 1 ends it and the rows accept words again
// from the next cycle (a `loaded` flag, 0 after reset: no word is accepted before the first
// complete load).
//   banks = 2 (double-buffered weights: a column tile's load overlaps the previous tile's
// words): the copies hold both banks, word (bank, k) at address {k, bank} (the bank bit lowest,
// so 2·kMax words exactly for any kMax, no adder on the address; kMax = 1: the bank alone). One
// flag per bank, loaded0 and loaded1 (0 after reset): a `w` beat to bank b sets loaded[b] ← its
// last at the edge (last = 0 starts or continues a load of b and clears it), the other flag
// holds. A word is accepted only while the bank it reads is loaded, so a load of bank b stops
// only the words of bank b (from the cycle after its first beat to the cycle of its last beat)
// while the words of the other bank keep flowing: the load writes through each memory's write
// port while the words read through its read port in the same cycles.
// PIPELINE of a row (all registers advance together on `advance`):
//   cycle c     word accepted: its 4 k's address the weight copies (read register at the edge)
//   c + 1       the word datapath of every PE (pe.ts `peWordSum`: slot products, signs, ×16
//               shifts on slots 1/3, one compressor tree) with `stages` register levels
//   c+1+stages  accumulator stage: acc ← acc + Σ (or, for a `last` word, the output register
//               ← acc + Σ and acc ← 0)
//   c+2+stages  the vector's output beat is valid
// HIERARCHY: ditto_compute holds what the rows share — the decode of the `w` beat (w_sel<g>
// per column group, w_addr, w_data) and the loaded flag(s) — and R instances `r<r>` of one row
// module `<top>_row` (compute-row.ts). A row holds its control (valid/last through the stages,
// advance, out_valid), its 4 · NG weight copies and C instances `c<n>` of one PE module
// `<top>_pe` (computePe: the word datapath, the accumulator and the output lane register); it
// drives each PE's `advance` (if stages > 0), `take` (a word reaches the accumulator stage) and
// `drain` (that word is a vector's last). Every row is the same module, so a simulator that
// compiles per module compiles one row for the whole array (sim/verilator/build.ts builds it
// once, as a library, for a large array); the memories are listed in <top>.mems.json by their
// paths <top>.r<r>.w<g>_s<i>_mem.
// advance = !(word at the accumulator stage is `last` && out_valid && !out_ready): a draining
// word waits only while the previous result is still unaccepted; other words keep flowing.
// in<r>_ready = advance && loaded (banks = 1), advance && loaded[in<r>_b] (banks = 2: it depends
// on the offered word's bank bit, never on in<r>_valid).
// LATENCY: stages + 2 cycles from the acceptance of a vector's last word to its output beat.
// THROUGHPUT: one word per cycle per row, back to back across vectors, whenever the output is
// accepted (sim/cycles/ditto/compute.ts predicts every acceptance and output cycle exactly);
// a tile of vectors with w_1..w_V words takes Σ w_i + stages + 2 cycles from its first word;
// with banks = 2 the next tile's load (to the other bank) costs no cycle of the row as long as
// it ends before the tile's words do.
import { type Expr, type HwModule, type Signal, bit, cat, module, sint, uint } from '../../dsl/index.ts';
import type { HwType } from '../../dsl/index.ts';
import { ParamRuleError } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { computeRow, computeRowWordFields, computeWordAddr } from './compute-row.ts';
import { type PeSlotExprs, peWordSum } from './pe.ts';
import { encoderIndexBits } from '../../spec/ditto/encoder.ts';
import { computeParams, type ComputeParams, COMPUTE_ACC_BITS, computeGroup, computeGroupBits, computeLatency, computeWeightBits } from '../../spec/ditto/compute.ts';

/**
 * One PE of the array (module `name`): ports s0..s3, n0..n3 (u4, 0 in an invalid slot), h1, h3, w0..w3 (s8),
 * advance (only if stages > 0), take, drain in; y (s32, the drained result register) out. The
 * word sum (peWordSum, `stages` register levels enabled by advance) is added to the accumulator
 * when `take`; with `drain` the sum goes to y and the accumulator restarts from 0.
 */
export function computePe(name: string, stages: number): HwModule {
  const AB = COMPUTE_ACC_BITS;
  return module(
    name,
    (m) => {
      const slots: PeSlotExprs[] = [0, 1, 2, 3].map((i) => ({
        // the row gates each nibble with its valid bit before its register (a nibble of 0 is
        // an invalid slot): no AND gate and no 32-load net of its output in front of the
        // partial products, the UP5K's critical path when the PE gated the nibble itself
        v: m.const(bit(), 1),
        s: m.input(`s${i}`, bit()),
        n: m.input(`n${i}`, uint(4)),
        // shifters exist on slots 1 and 3 only (SPEC §1.2)
        h: i % 2 === 1 ? m.input(`h${i}`, bit()) : m.const(bit(), 0),
        w: m.input(`w${i}`, sint(8)),
      }));
      const advance = stages > 0 ? m.input('advance', bit()) : undefined;
      const take = m.input('take', bit());
      const drain = m.input('drain', bit());
      const sum = peWordSum(m, 'pe', slots, stages, advance);
      const acc = m.reg('acc', sint(AB), { reset: 0 });
      const y = m.reg('y_q', sint(AB));
      const next = m.wire('acc_next', acc.add(sum.sext(AB)).trunc(AB));
      m.sync(() => {
        m.when(drain, () => {
          acc.set(0);
          y.set(next);
        }).elseWhen(take, () => acc.set(next));
      });
      m.assign(m.output('y', sint(AB)), y);
    },
    { doc: `Ditto compute unit PE: one word (4 slots) per cycle, ${stages} pipeline stage(s), s${AB} accumulator and result register; control from the row`, params: { stages } },
  );
}

export function dittoCompute(p: ComputeParams, name = p.top) {
  const B = p.banks;
  const R = p.rows;
  const C = p.cols;
  const G = computeGroup(p);
  const NG = C / G;
  const KB = encoderIndexBits(p.kMax);
  const GB = computeGroupBits(p);
  const AB = COMPUTE_ACC_BITS;
  const pe = computePe(`${name}_pe`, p.stages);

  return module(
    name,
    (m) => {
      // ---- weight load (shared by the rows) ----
      const wFields: Record<string, HwType> = { k: uint(KB), g: uint(GB) };
      for (let j = 0; j < G; j++) wFields[`d_${j}`] = sint(8);
      wFields.last = bit();
      if (B === 2) wFields.b = bit();
      const w = m.inStream('w', wFields);
      m.assign(w.ready, m.const(bit(), 1));
      if (NG === 1) m.sink(w.data.g);
      const wData = m.wire('w_data', cat(...Array.from({ length: G }, (_, j) => w.data[`d_${G - 1 - j}`])));
      const wSel = Array.from({ length: NG }, (_, g) => (NG === 1 ? w.valid : m.wire(`w_sel${g}`, w.valid.and(w.data.g.eq(g)))));
      if (B === 2 && p.kMax === 1) m.sink(w.data.k);
      const wAddr = B === 2 ? m.wire('w_addr', computeWordAddr(p, w.data.k, w.data.b)) : w.data.k;
      // one `loaded` flag per bank: loaded[b] ← last of every weight beat to bank b
      const loaded: Signal[] =
        B === 2
          ? [0, 1].map((b) => {
              const l = m.reg(`loaded${b}`, bit(), { reset: 0 });
              m.sync(() => m.when(w.valid.and(b === 1 ? w.data.b : w.data.b.not()), () => l.set(w.data.last)));
              return l;
            })
          : [m.reg('loaded', bit(), { reset: 0 })];
      if (B === 1) m.sync(() => m.when(w.valid, () => loaded[0].set(w.data.last)));

      // ---- the rows: R instances r<r> of one row module ----
      const row = computeRow(p, `${name}_row`, pe, wAddr.type);
      const rowFields = Object.keys(computeRowWordFields(p, false));
      for (let r = 0; r < R; r++) {
        const inp = m.inStream(`in${r}`, computeRowWordFields(p, true));
        const outFields: Record<string, HwType> = {};
        for (let n = 0; n < C; n++) outFields[`y_${n}`] = sint(AB);
        const out = m.outStream(`out${r}`, outFields);
        const d = inp.data;
        // no shifter on slots 0 and 2 (SPEC §1.2); with two banks and kMax = 1 the bank alone addresses the weights
        m.sink(d.h0);
        m.sink(d.h2);
        if (B === 2 && p.kMax === 1) for (let i = 0; i < 4; i++) m.sink(d[`k${i}`]);
        const rowIn: Record<string, Expr> = { w_addr: wAddr, w_data: wData, in_valid: inp.valid, out_ready: out.ready };
        wSel.forEach((s, g) => (rowIn[`w_sel${g}`] = s));
        loaded.forEach((l, b) => (rowIn[B === 2 ? `loaded${b}` : 'loaded'] = l));
        for (const f of rowFields) rowIn[`in_${f}`] = d[f];
        const inst = m.instance(row, `r${r}`, rowIn);
        m.assign(inp.ready, inst.in_ready);
        m.assign(out.valid, inst.out_valid);
        for (let n = 0; n < C; n++) m.assign(out.data[`y_${n}`], inst[`out_y_${n}`]);
      }
    },
    {
      doc: [
        `Ditto compute unit: ${R} row(s) x ${C} A4W8 PE column(s), K up to ${p.kMax} (k ${KB} bits), s${AB} accumulators, ${p.stages} adder-tree stage(s).`,
        B === 1
          ? `Weight buffer: ${4 * R * NG} copies of ${p.kMax} x ${8 * G} bits (4 per row and column group), ${computeWeightBits(p)} bits; loaded through 'w' (${G} column(s) per beat).`
          : `Weight buffer: ${4 * R * NG} copies of ${B * p.kMax} x ${8 * G} bits (4 per row and column group, ${B} banks of ${p.kMax} words at {k, bank}), ${computeWeightBits(p)} bits; loaded through 'w' (${G} column(s) per beat, bank w_b; one loaded flag per bank, words read bank in<r>_b).`,
        `Each row: one word per cycle in, one beat of ${C} int32 lanes per vector out, latency ${computeLatency(p.stages)} cycles.`,
      ].join('\n'),
      params: { rows: R, cols: C, kMax: p.kMax, wGroup: G, stages: p.stages, ...(B === 1 ? {} : { banks: B }) },
    },
  );
}

export const dittoComputeDesign = defineDesign({
  name: 'ditto.compute',
  description: 'Ditto compute unit: R x C A4W8 PE array with a 4-read weight buffer, encoder words in, int32 rows out (valid/ready)',
  params: computeParams,
  check(p) {
    const g = computeGroup(p);
    if (p.cols % g !== 0) throw new ParamRuleError('ditto.compute', 'wGroup', p.wGroup, `expected 0 or a divisor of cols = ${p.cols}`);
  },
  build: (p) => dittoCompute(p),
});
