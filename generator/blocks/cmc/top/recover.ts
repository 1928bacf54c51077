// cmc_top's RECOVER phase (generator/blocks/cmc/top.ts, STAGES): for every N-ITT entry
// (t, i, j*) and tile u, a copy of buffer entry (tR·N + j*)·U + u to entry (t·N + i)·U + u,
// tR = tI (inter) or t (intra), offered to cmc_recovery's `nitt` stream (readout.ts); an empty
// N-ITT offers one harmless copy of entry 0 onto itself (cmc_recovery's phase needs its `last`).
import { type Expr, type Memory, type ModuleBuilder, type Signal, mux, uint } from '../../../dsl/index.ts';
import { type PrefetchWrite, prefetchedRead } from '../../common/prefetch.ts';
import type { TopEnv } from './env.ts';

export interface RecoverInputs {
  inRecover: Expr;
  /** the segment's mode (1 = intra) and the inter I matrix */
  cfgIntra: Expr;
  tI: Expr;
  nitt: Memory;
  nittWrite: PrefetchWrite;
  nittCount: Expr;
  /** a copy accepted by cmc_recovery (readout.ts assigns it): the next copy */
  nittFire: Expr;
  /** the back end takes a segment now (back to the first copy), and its slot (the table's half) */
  beStart: Expr;
  beSlot: Expr;
}

export interface RecoverSignals {
  /** the copy offered (cmc_recovery nitt_valid, nitt_i, nitt_j, nitt_last) */
  nittValid: Signal;
  nittI: Signal;
  nittJ: Signal;
  rqLast: Signal;
}

/** The copy addresses of RECOVER, entry by entry, tile by tile. */
export function recoverIssue(m: ModuleBuilder, env: TopEnv, s: RecoverInputs): RecoverSignals {
  const { g, lit, inc, mulAdd, rowOf, tableAddr } = env;
  const { tiles: U, sadBits: SW, tBits: TB, iBits: IB, tableAddrBits: QA, tableCountBits: QC, entryBits: EA, tileBits: UB } = g;
  const { inRecover, cfgIntra, tI, nitt: nittMem, nittWrite, nittCount, nittFire, beStart, beSlot } = s;

  // ---- RECOVER: N-ITT entries, tile by tile ----
  const rq = m.reg('rec_q', uint(QA));
  const ru = m.reg('rec_u', uint(UB));
  // N-ITT entry rq, read synchronously at the edge rq steps to it (common/prefetch.ts).
  const rqStep = m.wire('rec_q_step', nittFire.and(ru.eq(U - 1)));
  const rqNext = m.wire('rec_q_next', mux(beStart, lit(QA, 0), mux(rqStep, inc(rq), rq)));
  const nittWord = prefetchedRead(m, 'nitt_word', nittMem, m.wire('rec_nitt_addr', tableAddr(beSlot, rqNext)), nittWrite);
  const nT = nittWord.slice(SW + TB + 2 * IB - 1, SW + 2 * IB);
  const nI = nittWord.slice(SW + 2 * IB - 1, SW + IB);
  const nJ = nittWord.slice(SW + IB - 1, SW);
  const nEmpty = m.wire('nitt_empty', nittCount.eq(0));
  const entryOf = (t: Expr, i: Expr) => mulAdd(rowOf(t, i, EA), U, ru, EA);
  const rqLast = m.wire('rec_final', nEmpty.or(rq.zext(QC).eq(nittCount.sub(1).trunc(QC)).and(ru.eq(U - 1))));
  const nittValid = m.wire('rec_nitt_valid', inRecover);
  const nittI = m.wire('rec_dst', mux(nEmpty, lit(EA, 0), entryOf(nT, nI)));
  const nittJ = m.wire('rec_src', mux(nEmpty, lit(EA, 0), entryOf(mux(cfgIntra, nT, tI), nJ)));

  m.sync(() => {
    rq.set(rqNext);
    m.when(nittFire, () => ru.set(mux(ru.eq(U - 1), lit(UB, 0), inc(ru))));
    m.when(beStart, () => ru.set(0));
  });
  return { nittValid, nittI, nittJ, rqLast };
}
