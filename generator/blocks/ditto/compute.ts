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
// NG = C / G column groups, GB = max(1, clog2(NG))):
//   w      in : k (uKB), g (uGB: column group, columns g·G .. g·G + G − 1), d_0..d_{G-1} (s8:
//               W[k][g·G + j]), last (the final beat of a weight load). w_ready = 1.
//   in<r>  in : v0..v3, s0..s3, n0..n3 (u4), h0..h3, k0..k3 (uKB), last — the encoder's word
//               (its nzero/nlow/nfull counts are not consumed).
//   out<r> out: y_0..y_{C-1} (s32).
//
// WEIGHT BUFFER. Per row and column group, 4 copies (one per slot) of a kMax × (8·G)-bit
// 1W1R memory with a registered read port (common/sram.ts `sramBank`, block-RAM style, Yosys
// infers one $mem_v2 per copy): every copy is written by the same `w` beat and read at its own
// slot's k. Storage cost: 4 · R · kMax · 8 · C bits (4·R copies of the K × C int8 matrix) —
// the price of 4 independent reads per row per cycle without bank conflicts (banking by
// k mod 4 would stall whenever two slots of a word share a bank, which the encoder does not
// avoid). Loading: a `w` beat with last = 0 starts (or continues) a load and closes every
// row's input from the next cycle on; the beat with last = 1 ends it and the rows accept words
// again from the next cycle (a `loaded` flag, 0 after reset: no word is accepted before the
// first complete load). A word reads its weights in the cycle it is accepted (read-first), so
// words already accepted are never affected by a later load.
//
// PIPELINE of a row (all registers advance together on `advance`):
//   cycle c     word accepted: its 4 k's address the weight copies (read register at the edge)
//   c + 1       the word datapath of every PE (pe.ts `peWordSum`: slot products, signs, ×16
//               shifts on slots 1/3, one compressor tree) with `stages` register levels
//   c+1+stages  accumulator stage: acc ← acc + Σ (or, for a `last` word, the output register
//               ← acc + Σ and acc ← 0)
//   c+2+stages  the vector's output beat is valid
// HIERARCHY: every PE is an instance of one module `<top>_pe` (computePe: the word datapath,
// the accumulator and the output lane register); the row keeps the control (valid/last through
// the stages, advance, out_valid) and drives each PE's `advance` (if stages > 0), `take` (a
// word reaches the accumulator stage) and `drain` (that word is a vector's last).
// advance = !(word at the accumulator stage is `last` && out_valid && !out_ready): a draining
// word waits only while the previous result is still unaccepted; other words keep flowing.
// in<r>_ready = advance && loaded.
// LATENCY: stages + 2 cycles from the acceptance of a vector's last word to its output beat.
// THROUGHPUT: one word per cycle per row, back to back across vectors, whenever the output is
// accepted (sim/cycles/ditto/compute.ts predicts every acceptance and output cycle exactly);
// a tile of vectors with w_1..w_V words takes Σ w_i + stages + 2 cycles from its first word.
import { type Expr, type HwModule, type Signal, bit, cat, module, repeat, sint, uint } from '../../dsl/index.ts';
import type { HwType } from '../../dsl/index.ts';
import { ParamRuleError } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';
import { sramBank } from '../common/sram.ts';
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
      // ---- weight load ----
      const wFields: Record<string, HwType> = { k: uint(KB), g: uint(GB) };
      for (let j = 0; j < G; j++) wFields[`d_${j}`] = sint(8);
      wFields.last = bit();
      const w = m.inStream('w', wFields);
      m.assign(w.ready, m.const(bit(), 1));
      if (NG === 1) m.sink(w.data.g);
      const wData = m.wire('w_data', cat(...Array.from({ length: G }, (_, j) => w.data[`d_${G - 1 - j}`])));
      const wSel = Array.from({ length: NG }, (_, g) => (NG === 1 ? w.valid : m.wire(`w_sel${g}`, w.valid.and(w.data.g.eq(g)))));
      const loaded = m.reg('loaded', bit(), { reset: 0 });
      m.sync(() => m.when(w.valid, () => loaded.set(w.data.last)));

      for (let r = 0; r < R; r++) {
        const fields: Record<string, HwType> = {};
        for (let i = 0; i < 4; i++) {
          fields[`v${i}`] = bit();
          fields[`s${i}`] = bit();
          fields[`n${i}`] = uint(4);
          fields[`h${i}`] = bit();
          fields[`k${i}`] = uint(KB);
        }
        fields.last = bit();
        const inp = m.inStream(`in${r}`, fields);
        const outFields: Record<string, HwType> = {};
        for (let n = 0; n < C; n++) outFields[`y_${n}`] = sint(AB);
        const out = m.outStream(`out${r}`, outFields);
        const d = inp.data;
        const pre = `r${r}`;

        const advance = m.wire(`${pre}_advance`, bit());
        const accept = m.wire(`${pre}_accept`, inp.valid.and(loaded).and(advance));
        m.assign(inp.ready, advance.and(loaded));

        // stage A: the word's slot fields beside the weight reads
        const vA = m.reg(`${pre}_a_valid`, bit(), { reset: 0 });
        const lastA = m.reg(`${pre}_a_last`, bit());
        const slotRegs = [0, 1, 2, 3].map((i) => ({
          s: m.reg(`${pre}_a_s${i}`, bit()),
          n: m.reg(`${pre}_a_n${i}`, uint(4)),
          // shifters exist on slots 1 and 3 only (SPEC §1.2): h0/h2 are ignored, as in the PE
          h: i % 2 === 1 ? m.reg(`${pre}_a_h${i}`, bit()) : m.const(bit(), 0),
        }));
        m.sink(d.h0);
        m.sink(d.h2);
        m.sync(() =>
          m.when(advance, () => {
            vA.set(accept);
            lastA.set(d.last);
            slotRegs.forEach((sr, i) => {
              sr.s.set(d[`s${i}`]);
              sr.n.set(d[`n${i}`].and(repeat(d[`v${i}`], 4)));
              if (i % 2 === 1) (sr.h as Signal).set(d[`h${i}`]);
            });
          }),
        );
        // weight copies: [group][slot] → registered read data (8·G bits)
        const rd: Expr[][] = Array.from({ length: NG }, (_, g) =>
          [0, 1, 2, 3].map((i) =>
            sramBank(m, `${pre}_w${g}_s${i}`, {
              depth: p.kMax,
              type: uint(8 * G),
              wrEn: wSel[g],
              wrAddr: w.data.k,
              wrData: wData,
              rdEn: advance,
              rdAddr: d[`k${i}`],
            }),
          ),
        );

        // valid/last through the adder-tree stages
        let aValid: Expr = vA;
        let aLast: Expr = lastA;
        for (let s = 0; s < p.stages; s++) {
          const v: Signal = m.reg(`${pre}_valid_s${s}`, bit(), { reset: 0 });
          const l: Signal = m.reg(`${pre}_last_s${s}`, bit());
          const [pv, pl] = [aValid, aLast];
          m.sync(() =>
            m.when(advance, () => {
              v.set(pv);
              l.set(pl);
            }),
          );
          aValid = v;
          aLast = l;
        }
        const outValid = m.reg(`${pre}_out_valid`, bit(), { reset: 0 });
        m.assign(out.valid, outValid);
        m.assign(advance, aValid.and(aLast).and(outValid).and(out.ready.not()).not());
        const take = m.wire(`${pre}_take`, aValid.and(advance));
        const drain = m.wire(`${pre}_drain`, take.and(aLast));

        for (let n = 0; n < C; n++) {
          const g = Math.floor(n / G);
          const j = n % G;
          const peIn: Record<string, Expr> = { take, drain };
          if (p.stages > 0) peIn.advance = advance;
          slotRegs.forEach((sr, i) => {
            peIn[`s${i}`] = sr.s;
            peIn[`n${i}`] = sr.n;
            if (i % 2 === 1) peIn[`h${i}`] = sr.h;
            peIn[`w${i}`] = rd[g][i].slice(8 * j + 7, 8 * j).asSigned();
          });
          const inst = m.instance(pe, `${pre}_c${n}`, peIn);
          m.assign(out.data[`y_${n}`], inst.y);
        }
        m.sync(() => m.when(drain, () => outValid.set(1)).elseWhen(out.ready, () => outValid.set(0)));
      }
    },
    {
      doc: [
        `Ditto compute unit: ${R} row(s) x ${C} A4W8 PE column(s), K up to ${p.kMax} (k ${KB} bits), s${AB} accumulators, ${p.stages} adder-tree stage(s).`,
        `Weight buffer: ${4 * R * NG} copies of ${p.kMax} x ${8 * G} bits (4 per row and column group), ${computeWeightBits(p)} bits; loaded through 'w' (${G} column(s) per beat).`,
        `Each row: one word per cycle in, one beat of ${C} int32 lanes per vector out, latency ${computeLatency(p.stages)} cycles.`,
      ].join('\n'),
      params: { rows: R, cols: C, kMax: p.kMax, wGroup: G, stages: p.stages },
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
