// cmc_top's GEMM phase (generator/blocks/cmc/top.ts, STAGES): for every ITT entry q (in order),
// every tile u, every beat b, the frame-buffer word of token (t, i) (registered read) to
// cmc_gemm.x with entry = (t·N + i)·U + u — the address generation: column j of the tile goes
// to bank j of that entry, the row's original position. Unsigned elements enter the GEMM as
// x − 128 (the MSB flipped). cmc_gemm also takes the weight beats of `in` (IDLE), and its output
// is the scatter write into cmc_recovery (readout.ts).
import { type Expr, type HwModule, type Memory, type ModuleBuilder, type Signal, bit, mux, uint } from '../../../dsl/index.ts';
import { type PrefetchWrite, prefetchedRead } from '../../common/prefetch.ts';
import type { TopEnv } from './env.ts';
import type { SegmentConfig } from './load.ts';
import type { FrameBuffer } from './frames.ts';

export interface GemmFeederInputs {
  /** the child cmc_gemm */
  gemm: HwModule;
  inGemm: Expr;
  /** the back end takes a segment now (back to its first row), and its slot (the tables' and frames' half) */
  beStart: Expr;
  beSlot: Expr;
  /** the back end's copy of the segment's requantiser */
  rq: Pick<SegmentConfig, 'm' | 's' | 'zp'>;
  itt: Memory;
  ittWrite: PrefetchWrite;
  ittCount: Expr;
  frames: FrameBuffer;
  /** a weight beat on `in` (w_valid), the command stream's fields, and w_ready (assigned here) */
  wFire: Expr;
  cmd: Record<string, Signal>;
  gemmWReady: Signal;
}

export interface GemmFeederSignals {
  /** cmc_gemm's outputs: out_valid, out_entry, out_last, out_y_j (the scatter write) */
  gemmInst: Record<string, Signal>;
  /** cmc_gemm's out_ready = cmc_recovery's wr_ready, to be assigned with the recovery buffer */
  recWrReady: Signal;
  /** an x beat issued now; it is the segment's last */
  gIssue: Signal;
  gFinal: Signal;
}

/** The GEMM feeder: informative rows, tile by tile, to cmc_gemm.x; and cmc_gemm itself. */
export function gemmFeeder(m: ModuleBuilder, env: TopEnv, s: GemmFeederInputs): GemmFeederSignals {
  const { p, g, lit, inc, mulAdd, rowOf, tableAddr } = env;
  const { beatsPerToken: BPT, tiles: U, sadBits: SW, tBits: TB, iBits: IB, tableAddrBits: QA, tableCountBits: QC, entryBits: EA, beatBits: BB, tileBits: UB } = g;
  const e = p.elemsPerBeat;
  const B = p.cols;
  const { gemm, inGemm, beStart, beSlot, itt: ittMem, ittWrite, ittCount, frames, wFire, cmd: d, gemmWReady } = s;
  const { m: cfgM, s: cfgS, zp: cfgZp } = s.rq;

  // ---- GEMM: informative rows, tile by tile, to cmc_gemm.x ----
  const gq = m.reg('gemm_q', uint(QA));
  const gu = m.reg('gemm_u', uint(UB));
  const gb = m.reg('gemm_beat', uint(BB));
  const gemmXReady = m.wire('gemm_x_ready', bit());
  const gxValid = m.reg('gemm_x_valid', bit(), { reset: 0 });
  const gxAdvance = m.wire('gemm_x_advance', gxValid.not().or(gemmXReady));
  const gIssue = m.wire('gemm_issue', inGemm.and(gxAdvance));
  const gqLast = m.wire('gemm_q_last', gq.zext(QC).eq(ittCount.sub(1).trunc(QC)));
  // ITT entry gq, read synchronously at the edge gq steps to it (a segment start, or the last
  // beat of its previous entry's last tile): the entry is there in the cycle gq holds it.
  const gqStep = m.wire('gemm_q_step', gIssue.and(gb.eq(BPT - 1)).and(gu.eq(U - 1)));
  const gqNext = m.wire('gemm_q_next', mux(beStart, lit(QA, 0), mux(gqStep, inc(gq), gq)));
  const ittWord = prefetchedRead(m, 'itt_word', ittMem, m.wire('gemm_itt_addr', tableAddr(beSlot, gqNext)), ittWrite);
  const gT = ittWord.slice(SW + TB + IB - 1, SW + IB);
  const gI = ittWord.slice(SW + IB - 1, SW);
  const gRow = m.wire('gemm_row', rowOf(gT, gI, QA));
  const gFinal = m.wire('gemm_final', gqLast.and(gu.eq(U - 1)).and(gb.eq(BPT - 1)));
  const gxEntry = m.reg('gemm_x_entry', uint(EA));
  const gxLast = m.reg('gemm_x_last', bit());
  const flip = p.signed ? 0 : 1;
  const gBeat = frames.beatCounter('gemm_pos');
  const gxWord = frames.gemmRead(gIssue, gBeat, m.wire('gemm_addr', frames.address(gRow, gBeat.sub)));
  m.sync(() => {
    m.when(gxAdvance, () => {
      gxValid.set(gIssue);
      gxEntry.set(mulAdd(gRow, U, gu, EA));
      gxLast.set(gqLast.and(gu.eq(U - 1)));
    });
    m.when(gIssue, () => {
      gBeat.next(gb.eq(BPT - 1));
      gb.set(mux(gb.eq(BPT - 1), lit(BB, 0), inc(gb)));
      m.when(gb.eq(BPT - 1), () => gu.set(mux(gu.eq(U - 1), lit(UB, 0), inc(gu))));
    });
    gq.set(gqNext);
    m.when(beStart, () => {
      gu.set(0);
      gb.set(0);
      gBeat.restart();
    });
  });
  const gemmIn: Record<string, Expr> = { x_valid: gxValid, x_entry: gxEntry, x_last: gxLast, m: cfgM, s: cfgS, zp: cfgZp, w_valid: wFire };
  for (let k = 0; k < e; k++) {
    const byte = gxWord.slice(8 * k + 7, 8 * k);
    gemmIn[`x_d_${k}`] = (flip ? byte.xor(lit(8, 0x80)) : byte).asSigned();
    gemmIn[`w_d_${k}`] = d[`d_${k}`].asSigned();
  }
  const recWrReady = m.wire('rec_wr_ready', bit());
  gemmIn.out_ready = recWrReady;
  const gemmInst = m.instance(gemm, 'u_gemm', gemmIn);
  m.assign(gemmWReady, gemmInst.w_ready);
  m.assign(gemmXReady, gemmInst.x_ready);
  m.sink(gemmInst.out_u);
  for (let j = 0; j < B; j++) m.sink(gemmInst[`out_acc_${j}`]);

  return { gemmInst, recWrReady, gIssue, gFinal };
}
