// cmc_top's output buffers and read-out (generator/blocks/cmc/top.ts, STAGES): two cmc_recovery
// instances, one per slot. The back end's takes the GEMM's scatter writes (mask all ones) and
// the RECOVER copies (recover.ts) and holds the copies until the scatter's last write; the
// read-out's gives `y`, its read-out of entries 0 .. g·N·U − 1, while `tab` streams the
// read-out slot's tables (ITT, then N-ITT; registered read, stall stage), both free running
// from the read-out's start. Each remembers its `last` beat for the stage process (fsm.ts).
import { type Expr, type HwModule, type HwType, type Memory, type ModuleBuilder, type OutStream, type Signal, bit, mux, uint } from '../../../dsl/index.ts';
import type { TopEnv } from './env.ts';

export interface ReadOutInputs {
  /** the child cmc_recovery */
  rec: HwModule;
  /** the output streams */
  tab: OutStream<Record<'kind' | 't' | 'i' | 'j' | 'sad' | 'last', HwType>>;
  yOut: OutStream<Record<string, HwType>>;
  /** the read-out's copy of the segment's matrices g (the read-out length), its start and slot; the back end's slot */
  cfgG: Expr;
  oeStart: Expr;
  oeSlot: Expr;
  beSlot: Expr;
  /** the scatter: cmc_gemm's output, and its out_ready (assigned here) */
  gemmInst: Record<string, Signal>;
  recWrReady: Signal;
  /** the copies (recover.ts) */
  nittValid: Expr;
  nittI: Expr;
  nittJ: Expr;
  rqLast: Expr;
  /** a copy accepted by cmc_recovery: assigned here */
  nittFire: Signal;
  /** the tables (walker.ts) */
  itt: Memory;
  nitt: Memory;
  ittCount: Expr;
  nittCount: Expr;
}

export interface ReadOutSignals {
  /** y / tab: `last` delivered before (cleared by a segment start), or now */
  yDone: Signal;
  yFinal: Signal;
  tabDone: Signal;
  tabFinal: Signal;
}

/** cmc_recovery with its scatter, copy and read-out streams, and the table read-out. */
export function readOut(m: ModuleBuilder, env: TopEnv, s: ReadOutInputs): ReadOutSignals {
  const { p, g, lit, inc, mulAdd, tableAddr } = env;
  const { N, tiles: U, sadBits: SW, tBits: TB, iBits: IB, tableAddrBits: QA, tableCountBits: QC, entryBits: EA } = g;
  const B = p.cols;
  const { rec, tab, yOut, cfgG, oeStart, oeSlot, beSlot, gemmInst, recWrReady, nittValid, nittI, nittJ, rqLast, nittFire, itt: ittMem, nitt: nittMem, ittCount, nittCount } = s;

  // ---- OUT: y = the buffer read out; tab = the tables ----
  const ye = m.reg('out_entry', uint(EA));
  const yIssuing = m.reg('out_issuing', bit(), { reset: 0 });
  const yTotal = m.wire('out_total', mulAdd(cfgG, N * U, lit(1, 0), EA + 1)); // g·N·U ≤ 2^EA
  const yLastReq = m.wire('out_last_req', ye.zext(EA + 1).eq(yTotal.sub(1).trunc(EA + 1)));
  // slot h's buffer: written and copied while the back end has h, read while the read-out has h
  const inSlot = (slot: Expr, h: number) => (h === 1 ? slot : slot.not());
  const recInst = [0, 1].map((h) => {
    const recIn: Record<string, Expr> = {
      wr_valid: gemmInst.out_valid.and(inSlot(beSlot, h)),
      wr_entry: gemmInst.out_entry,
      wr_mask: lit(B, 2 ** B - 1),
      wr_last: gemmInst.out_last,
      nitt_valid: nittValid.and(inSlot(beSlot, h)),
      nitt_i: nittI,
      nitt_j: nittJ,
      nitt_last: rqLast,
      rd_valid: yIssuing.and(inSlot(oeSlot, h)),
      rd_entry: ye,
      rd_last: yLastReq,
      rdata_ready: yOut.ready.and(inSlot(oeSlot, h)),
    };
    for (let j = 0; j < B; j++) recIn[`wr_d_${j}`] = gemmInst[`out_y_${j}`];
    return m.instance(rec, `u_recovery${h}`, recIn);
  });
  const ofBe = (port: string) => mux(beSlot, recInst[1][port], recInst[0][port]);
  const ofOe = (port: string) => mux(oeSlot, recInst[1][port], recInst[0][port]);
  m.assign(recWrReady, ofBe('wr_ready'));
  m.assign(nittFire, nittValid.and(ofBe('nitt_ready')));
  const rdFire = m.wire('out_rd_fire', yIssuing.and(ofOe('rd_ready')));
  m.assign(yOut.valid, ofOe('rdata_valid'));
  for (let j = 0; j < B; j++) m.assign(yOut.data[`d_${j}`], ofOe(`rdata_d_${j}`));
  const yLastBeat = m.wire('out_y_last', ofOe('rdata_last'));
  m.assign(yOut.data.last, yLastBeat);
  const yDone = m.reg('out_y_done', bit()); // cleared by every segment start before it is read
  const yFinal = m.wire('out_y_final', yOut.valid.and(yOut.ready).and(yLastBeat));

  const tq = m.reg('tab_q', uint(QC + 1)); // entries issued so far: ITT first, then N-ITT
  const tabIssuing = m.reg('tab_issuing', bit(), { reset: 0 });
  const tabValid = m.reg('tab_valid_q', bit(), { reset: 0 });
  const tabAdvance = m.wire('tab_advance', tabValid.not().or(tab.ready));
  const tabInN = m.wire('tab_in_nitt', tq.ge(ittCount.zext(QC + 1)));
  const tabNq = m.wire('tab_nitt_q', tq.sub(ittCount.zext(QC + 1)).trunc(QC + 1).trunc(QA));
  // The tables' words are read synchronously (macro-ready) into the output register stage:
  // tab_itt_word / tab_nitt_word are the read ports' data, selected by tab_r_kind after it.
  const tabItt = m.reg('tab_itt_word', ittMem.memory.type);
  const tabNitt = m.reg('tab_nitt_word', nittMem.memory.type);
  const tabTotal = m.wire('tab_total', ittCount.zext(QC + 1).add(nittCount.zext(QC + 1)).trunc(QC + 1));
  const tabLastIssue = m.wire('tab_last_issue', tq.eq(tabTotal.sub(1).trunc(QC + 1)));
  const tabIssue = m.wire('tab_issue', tabIssuing.and(tabAdvance));
  const tabKind = m.reg('tab_r_kind', bit());
  const tabT = m.wire('tab_r_t', mux(tabKind, tabNitt.slice(SW + TB + 2 * IB - 1, SW + 2 * IB), tabItt.slice(SW + TB + IB - 1, SW + IB)));
  const tabI = m.wire('tab_r_i', mux(tabKind, tabNitt.slice(SW + 2 * IB - 1, SW + IB), tabItt.slice(SW + IB - 1, SW)));
  const tabJ = m.wire('tab_r_j', mux(tabKind, tabNitt.slice(SW + IB - 1, SW), lit(IB, 0)));
  const tabSad = m.wire('tab_r_sad', mux(tabKind, tabNitt.slice(SW - 1, 0), tabItt.slice(SW - 1, 0)));
  const tabLast = m.reg('tab_r_last', bit());
  const tabDone = m.reg('tab_done', bit()); // cleared by every segment start before it is read
  const tabFinal = m.wire('tab_final', tabValid.and(tab.ready).and(tabLast));
  m.sync(() => {
    m.when(tabAdvance, () => {
      tabValid.set(tabIssue);
      tabKind.set(tabInN);
      tabItt.set(ittMem.read(tableAddr(oeSlot, tq.trunc(QA))));
      tabNitt.set(nittMem.read(tableAddr(oeSlot, tabNq)));
      tabLast.set(tabLastIssue);
    });
    m.when(tabIssue, () => {
      tq.set(inc(tq));
      m.when(tabLastIssue, () => tabIssuing.set(0));
    });
    m.when(rdFire, () => {
      ye.set(inc(ye));
      m.when(yLastReq, () => yIssuing.set(0));
    });
    m.when(yFinal, () => yDone.set(1));
    m.when(tabFinal, () => tabDone.set(1));
    m.when(oeStart, () => {
      yIssuing.set(1);
      tabIssuing.set(1);
      tq.set(0);
      ye.set(0);
      yDone.set(0);
      tabDone.set(0);
    });
  });
  m.assign(tab.valid, tabValid);
  m.assign(tab.data.kind, tabKind);
  m.assign(tab.data.t, tabT);
  m.assign(tab.data.i, tabI);
  m.assign(tab.data.j, tabJ);
  m.assign(tab.data.sad, tabSad);
  m.assign(tab.data.last, tabLast);

  return { yDone, yFinal, tabDone, tabFinal };
}
