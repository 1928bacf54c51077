// One row of the Ditto compute unit (module `<top>_row`, instanced R times by ditto_compute as
// `r<r>`; compute.ts describes the unit, its dataflow, weight buffer and pipeline). The row is
// everything of one PE row: its control (valid/last through the stages, advance, out_valid),
// its 4 · NG weight-memory copies and its C PE instances `c<n>`. The top keeps what the rows
// share: the decode of the `w` beat (w_sel<g>, w_addr, w_data) and the loaded flag(s). Every
// row is the same module, so tools that compile per module (Verilator libraries, see
// sim/verilator/build.ts) compile one row for the whole array.
//
// Ports (KB, G, NG, AB as in compute.ts; AW = the weight copies' address width: KB with one
// bank, KB + 1 with two, 1 with two banks and kMax = 1):
//   w_sel<g>   in  1     group g's copies are written by this cycle's `w` beat (w_valid with
//                        g = w_g; w_valid alone when NG = 1)
//   w_addr     in  AW    the beat's word address ({k, bank} with two banks)
//   w_data     in  8·G   the beat's G weights, d_0 in the low byte
//   loaded     in  1     banks = 1: the weights are loaded (words may be accepted)
//   loaded0/1  in  1     banks = 2: bank 0 / bank 1 is loaded
//   in         stream    v0..v3, s0..s3, n0..n3 (u4), h1, h3, k0..k3 (uKB; none with two banks
//                        and kMax = 1), last, b (banks = 2): the row's word; ready = advance &&
//                        the word's bank loaded (never depends on valid). h0 and h2 do not
//                        exist (no shifter on slots 0 and 2: the top sinks them).
//   out        stream    y_0..y_{C-1} (s32): one beat per vector
import { type Expr, type HwModule, type Signal, bit, cat, module, mux, repeat, sint, uint } from '../../dsl/index.ts';
import type { HwType } from '../../dsl/index.ts';
import { sramBank } from '../common/sram.ts';
import { validLastStages } from '../common/pipeline.ts';
import { encoderIndexBits } from '../../spec/ditto/encoder.ts';
import { type ComputeParams, COMPUTE_ACC_BITS, computeGroup } from '../../spec/ditto/compute.ts';

/**
 * Memory address of word (bank b, k): k with one bank (b undefined); {k, bank} with two (the
 * bank bit lowest, so the 2·kMax words are exactly used for any kMax); kMax = 1: the bank alone.
 */
export function computeWordAddr(p: Pick<ComputeParams, 'kMax'>, k: Expr, b: Expr | undefined): Expr {
  return b === undefined ? k : p.kMax === 1 ? b : cat(k, b);
}

/** The word fields of a row's `in` stream (the top's in<r> has h0, h2 besides, and k0..k3 always). */
export function computeRowWordFields(p: Pick<ComputeParams, 'banks' | 'kMax'>, top: boolean): Record<string, HwType> {
  const KB = encoderIndexBits(p.kMax);
  const withK = top || !(p.banks === 2 && p.kMax === 1);
  const fields: Record<string, HwType> = {};
  for (let i = 0; i < 4; i++) {
    fields[`v${i}`] = bit();
    fields[`s${i}`] = bit();
    fields[`n${i}`] = uint(4);
    if (top || i % 2 === 1) fields[`h${i}`] = bit();
    if (withK) fields[`k${i}`] = uint(KB);
  }
  fields.last = bit();
  if (p.banks === 2) fields.b = bit();
  return fields;
}

/**
 * The row module `name` (see the header) with C instances of `pe` (computePe). `wAddrType`:
 * the type of the top's weight address (the copies' address).
 */
export function computeRow(p: ComputeParams, name: string, pe: HwModule, wAddrType: HwType): HwModule {
  const B = p.banks;
  const C = p.cols;
  const G = computeGroup(p);
  const NG = C / G;
  const AB = COMPUTE_ACC_BITS;
  return module(
    name,
    (m) => {
      const wSel = Array.from({ length: NG }, (_, g) => m.input(`w_sel${g}`, bit()));
      const wAddr = m.input('w_addr', wAddrType);
      const wData = m.input('w_data', uint(8 * G));
      const loaded: Signal[] = B === 2 ? [m.input('loaded0', bit()), m.input('loaded1', bit())] : [m.input('loaded', bit())];
      const inp = m.inStream('in', computeRowWordFields(p, false));
      const outFields: Record<string, HwType> = {};
      for (let n = 0; n < C; n++) outFields[`y_${n}`] = sint(AB);
      const out = m.outStream('out', outFields);
      const d = inp.data;

      const advance = m.wire('advance', bit());
      // the offered word's bank is loaded (ready may depend on b, never on valid)
      const bankLoaded: Expr = B === 2 ? m.wire('bank_loaded', mux(d.b, loaded[1], loaded[0])) : loaded[0];
      const accept = m.wire('accept', inp.valid.and(bankLoaded).and(advance));
      m.assign(inp.ready, advance.and(bankLoaded));

      // stage A: the word's slot fields beside the weight reads
      const vA = m.reg('a_valid', bit(), { reset: 0 });
      const lastA = m.reg('a_last', bit());
      const slotRegs = [0, 1, 2, 3].map((i) => ({
        s: m.reg(`a_s${i}`, bit()),
        n: m.reg(`a_n${i}`, uint(4)),
        // shifters exist on slots 1 and 3 only (SPEC §1.2), as in the PE
        h: i % 2 === 1 ? m.reg(`a_h${i}`, bit()) : undefined,
      }));
      m.sync(() =>
        m.when(advance, () => {
          vA.set(accept);
          lastA.set(d.last);
          slotRegs.forEach((sr, i) => {
            sr.s.set(d[`s${i}`]);
            sr.n.set(d[`n${i}`].and(repeat(d[`v${i}`], 4)));
            if (sr.h) sr.h.set(d[`h${i}`]);
          });
        }),
      );
      // weight copies: [group][slot] → registered read data (8·G bits)
      const rd: Expr[][] = Array.from({ length: NG }, (_, g) =>
        [0, 1, 2, 3].map((i) =>
          sramBank(m, `w${g}_s${i}`, {
            depth: B * p.kMax,
            type: uint(8 * G),
            wrEn: wSel[g],
            wrAddr: wAddr,
            wrData: wData,
            rdEn: advance,
            // (two banks and kMax = 1: no k field, the bank alone)
            rdAddr: B === 2 && p.kMax === 1 ? d.b : computeWordAddr(p, d[`k${i}`], B === 2 ? d.b : undefined),
          }),
        ),
      );

      // valid/last through the adder-tree stages
      const [aValid, aLast] = validLastStages(m, vA, lastA, advance, p.stages);
      const outValid = m.reg('y_valid', bit(), { reset: 0 });
      m.assign(out.valid, outValid);
      m.assign(advance, aValid.and(aLast).and(outValid).and(out.ready.not()).not());
      const take = m.wire('take', aValid.and(advance));
      const drain = m.wire('drain', take.and(aLast));

      for (let n = 0; n < C; n++) {
        const g = Math.floor(n / G);
        const j = n % G;
        const peIn: Record<string, Expr> = { take, drain };
        if (p.stages > 0) peIn.advance = advance;
        slotRegs.forEach((sr, i) => {
          peIn[`s${i}`] = sr.s;
          peIn[`n${i}`] = sr.n;
          if (sr.h) peIn[`h${i}`] = sr.h;
          peIn[`w${i}`] = rd[g][i].slice(8 * j + 7, 8 * j).asSigned();
        });
        const inst = m.instance(pe, `c${n}`, peIn);
        m.assign(out.data[`y_${n}`], inst.y);
      }
      m.sync(() => m.when(drain, () => outValid.set(1)).elseWhen(out.ready, () => outValid.set(0)));
    },
    {
      doc: [
        `Ditto compute unit row: ${C} A4W8 PE column(s), ${4 * NG} weight cop${4 * NG === 1 ? 'y' : 'ies'} of ${B * p.kMax} x ${8 * G} bits (4 per column group), ${p.stages} adder-tree stage(s).`,
        `One word per cycle in (ready = advance && the word's bank loaded), one beat of ${C} int32 lanes per vector out; the weight beat (w_sel<g>, w_addr, w_data) and the loaded flag(s) come from the top.`,
      ].join('\n'),
      params: { cols: C, kMax: p.kMax, wGroup: G, stages: p.stages, ...(B === 1 ? {} : { banks: B }) },
    },
  );
}
