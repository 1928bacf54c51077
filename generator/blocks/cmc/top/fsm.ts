// cmc_top's phase register (generator/blocks/cmc/top.ts, PHASES): its decoding, declared first,
// and the process that moves it on, declared last. That process also holds the registers that
// change with the phases' boundary events: the segment configuration and the load counter
// (reloaded by a segment start) and the recovery copy counters, through the steps the LOAD and
// RECOVER helpers hand over (one process, one always block, as the Verilog has always had).
import { type Expr, type ModuleBuilder, type Signal, uint } from '../../../dsl/index.ts';

export const PHASE = { IDLE: 0, LOAD: 1, PREDICT: 2, GEMM: 3, RECOVER: 4, OUT: 5 } as const;

export interface PhaseRegister {
  phase: Signal;
  inIdle: Signal;
  inLoad: Signal;
  inPredict: Signal;
  inGemm: Signal;
  inRecover: Signal;
}

/** The phase register and its decoding (`in_<phase>` wires; OUT needs none). */
export function phaseRegister(m: ModuleBuilder): PhaseRegister {
  const phase = m.reg('phase', uint(3), { reset: PHASE.IDLE });
  return {
    phase,
    inIdle: m.wire('in_idle', phase.eq(PHASE.IDLE)),
    inLoad: m.wire('in_load', phase.eq(PHASE.LOAD)),
    inPredict: m.wire('in_predict', phase.eq(PHASE.PREDICT)),
    inGemm: m.wire('in_gemm', phase.eq(PHASE.GEMM)),
    inRecover: m.wire('in_recover', phase.eq(PHASE.RECOVER)),
  };
}

export interface PhaseSequenceInputs {
  phase: Signal;
  /** IDLE → LOAD: the segment-start beat; LOAD → PREDICT: the last token beat (loadFire && loadDone) */
  segFire: Expr;
  loadFire: Expr;
  loadDone: Expr;
  /** PREDICT → GEMM: the walker's step on the segment's last token */
  wkStep: Expr;
  wkLast: Expr;
  /** GEMM → RECOVER: the last x beat issued */
  gIssue: Expr;
  gFinal: Expr;
  /** RECOVER → OUT: the last copy accepted */
  nittFire: Expr;
  rqLast: Expr;
  /** OUT → IDLE: both read-outs delivered `last` (now or before) */
  yDone: Expr;
  yFinal: Expr;
  tabDone: Expr;
  tabFinal: Expr;
  /** The segment configuration and load counter: latched / cleared at a segment start, counted per token beat. */
  load: { restart(): void; nextBeat(): void };
}

/** The process that runs the phases: IDLE → LOAD → PREDICT → GEMM → RECOVER → OUT → IDLE. */
export function phaseSequence(m: ModuleBuilder, s: PhaseSequenceInputs): void {
  const { phase } = s;
  m.sync(() => {
    m.when(s.segFire, () => s.load.restart());
    m.when(s.loadFire, () => s.load.nextBeat());
    m.switch(phase, (sw) => {
      sw.is(PHASE.IDLE, () => m.when(s.segFire, () => phase.set(PHASE.LOAD)));
      sw.is(PHASE.LOAD, () => m.when(s.loadFire.and(s.loadDone), () => phase.set(PHASE.PREDICT)));
      sw.is(PHASE.PREDICT, () => m.when(s.wkStep.and(s.wkLast), () => phase.set(PHASE.GEMM)));
      sw.is(PHASE.GEMM, () => m.when(s.gIssue.and(s.gFinal), () => phase.set(PHASE.RECOVER)));
      sw.is(PHASE.RECOVER, () => m.when(s.nittFire.and(s.rqLast), () => phase.set(PHASE.OUT)));
      sw.is(PHASE.OUT, () => m.when(s.yDone.or(s.yFinal).and(s.tabDone.or(s.tabFinal)), () => phase.set(PHASE.IDLE)));
    });
  });
}
