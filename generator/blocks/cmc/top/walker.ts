// cmc_top's PREDICT phase, result side, "the walker" (generator/blocks/cmc/top.ts, STAGES):
// takes the tokens in the issue side's order, one per cycle; a reference (I-matrix token or
// reference row) is informative without a search, any other token takes cmc_search's result:
// informative → ITT, else N-ITT (t, i, j*). While the walker is on references a finished search
// result waits, which can stall cmc_search, cmc_sad and the issue side. Both tables are
// memories of two halves of maxFrames·N entries (one per slot: the walker fills the front end's
// while the back end and the read-out read theirs), with counters. Table words: ITT {t, i, sad}, N-ITT
// {t, i, j*, sad} (t: tBits, i and j*: iBits, sad: sadBits, most significant first). Their
// readers read synchronously (macro-ready): gemm.ts and recover.ts through common/prefetch.ts,
// the table read-out (readout.ts) into its output register.
import { type Expr, type Memory, type ModuleBuilder, type Signal, cat, mux, uint } from '../../../dsl/index.ts';
import type { PrefetchWrite } from '../../common/prefetch.ts';
import { tokenCursor } from './cursor.ts';
import type { TopEnv } from './env.ts';
import type { SegmentConfig } from './load.ts';

export interface WalkerInputs {
  /** the walker runs for the whole PREDICT phase: its last token ends it */
  inPredict: Expr;
  cfg: SegmentConfig;
  tLast: Expr;
  tI: Expr;
  segFire: Expr;
  /** the front end's slot: the tables' half written */
  feSlot: Expr;
  /** cmc_search's outputs, and its out_ready (assigned here) */
  searchInst: Record<string, Signal>;
  walkerWants: Signal;
}

export interface WalkerSignals {
  itt: Memory;
  nitt: Memory;
  /** the tables' write ports, for the readers' forwarding (common/prefetch.ts) */
  ittWrite: PrefetchWrite;
  nittWrite: PrefetchWrite;
  /** entries written to each table */
  ittCount: Signal;
  nittCount: Signal;
  /** the walker takes a token now; it is the segment's last */
  wkStep: Signal;
  wkLast: Signal;
}

/** The walker: the ITT / N-ITT in ascending (t, i). */
export function predictWalker(m: ModuleBuilder, env: TopEnv, s: WalkerInputs): WalkerSignals {
  const { g, lit, inc, tableAddr } = env;
  const { N, sadBits: SW, tBits: TB, iBits: IB, tableAddrBits: QA, tableCountBits: QC } = g;
  const { feSlot } = s;
  const { inPredict, tLast, tI, segFire, searchInst, walkerWants } = s;
  const { intra: cfgIntra, gv: cfgGv } = s.cfg;

  // ---- PREDICT, result side: the walker writes ITT / N-ITT in ascending (t, i) ----
  const walk = tokenCursor(m, env, 'walk', { cfgIntra, cfgGv, tI });
  const wkT = walk.t;
  const wkI = walk.i;
  const walking = inPredict; // the walker runs for the whole phase: its last token ends it
  const wkRef = walk.isRef;
  m.assign(walkerWants, walking.and(wkRef.not()));
  const wkStep = m.wire('walk_step', walking.and(wkRef.or(searchInst.out_valid)));
  const wkInformative = m.wire('walk_informative', wkRef.or(searchInst.out_informative));
  // table words: ITT {t, i, sad}, N-ITT {t, i, j*, sad}; sad = the deciding SADmin (0 for a reference)
  const ittMem = m.memory('itt', { depth: 2 * g.tableEntries, type: uint(TB + IB + SW) });
  const nittMem = m.memory('nitt', { depth: 2 * g.tableEntries, type: uint(TB + 2 * IB + SW) });
  const wkSad = m.wire('walk_sad', mux(wkRef, lit(SW, 0), searchInst.out_sadmin));
  const ittCount = m.reg('itt_count', uint(QC));
  const nittCount = m.reg('nitt_count', uint(QC));
  const wkLast = m.wire('walk_last', wkT.eq(tLast).and(wkI.eq(N - 1)));
  const ittWrite = { en: m.wire('itt_we', wkStep.and(wkInformative)), addr: m.wire('itt_waddr', tableAddr(feSlot, ittCount.trunc(QA))), data: m.wire('itt_wdata', cat(wkT, wkI, wkSad)) };
  const nittWrite = { en: m.wire('nitt_we', wkStep.and(wkInformative.not())), addr: m.wire('nitt_waddr', tableAddr(feSlot, nittCount.trunc(QA))), data: m.wire('nitt_wdata', cat(wkT, wkI, searchInst.out_jstar, wkSad)) };
  m.sync(() => {
    m.when(ittWrite.en, () => {
      ittMem.write(ittWrite.addr, ittWrite.data);
      ittCount.set(inc(ittCount));
    });
    m.when(nittWrite.en, () => {
      nittMem.write(nittWrite.addr, nittWrite.data);
      nittCount.set(inc(nittCount));
    });
    m.when(wkStep, () => m.when(wkI.eq(N - 1), () => walk.toMatrix(inc(wkT))).otherwise(() => walk.toNextToken()));
    m.when(segFire, () => {
      walk.toMatrix(lit(TB, 0));
      ittCount.set(0);
      nittCount.set(0);
    });
  });

  return { itt: ittMem, nitt: nittMem, ittWrite, nittWrite, ittCount, nittCount, wkStep, wkLast };
}
