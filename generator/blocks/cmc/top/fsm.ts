// cmc_top's three stages (generator/blocks/cmc/top.ts, STAGES): their phase registers and slot
// flags, decoded first, and the process that moves them on, declared last. Segment s uses slot
// s mod 2: a half of the frame buffer, a half of each table, a recovery buffer, and stage copies
// of its configuration. A slot is `busy` from the segment start until its read-out has ended,
// `ready` from the end of its prediction until the back end takes it, `done` from the end of its
// recovery until the read-out takes it; each stage walks the slots in order (its slot bit flips
// when it lets a segment go), so segments leave in the order they came.
import { type Expr, type ModuleBuilder, type Signal, bit, mux, uint } from '../../../dsl/index.ts';

/** Front end: the command stream and the prediction. */
export const FRONT = { IDLE: 0, LOAD: 1, PREDICT: 2 } as const;
/** Back end: the condensed GEMM and the recovery copies. */
export const BACK = { IDLE: 0, GEMM: 1, RECOVER: 2 } as const;

export interface StageRegisters {
  /** front end: phase register and decoding, slot */
  fePhase: Signal;
  inIdle: Signal;
  inLoad: Signal;
  inPredict: Signal;
  feSlot: Signal;
  /** the front end's slot is free: a segment start may be accepted */
  slotFree: Signal;
  /** back end: phase register and decoding, slot, and its start (it takes the next predicted segment now) */
  bePhase: Signal;
  inGemm: Signal;
  inRecover: Signal;
  beSlot: Signal;
  beStart: Signal;
  /** no segment is predicted and waiting, and the back end is idle: weights may be replaced */
  weightsFree: Signal;
  /** read-out: running, slot, and its start */
  inOut: Signal;
  oeSlot: Signal;
  oeStart: Signal;
  /** per slot: busy (segment start .. read-out end), ready (prediction end .. back-end start), done (recovery end .. read-out start) */
  busy: [Signal, Signal];
  ready: [Signal, Signal];
  done: [Signal, Signal];
}

export function stageRegisters(m: ModuleBuilder): StageRegisters {
  const fePhase = m.reg('fe_phase', uint(2), { reset: FRONT.IDLE });
  const bePhase = m.reg('be_phase', uint(2), { reset: BACK.IDLE });
  const inOut = m.reg('oe_busy', bit(), { reset: 0 });
  const feSlot = m.reg('fe_slot', bit(), { reset: 0 });
  const beSlot = m.reg('be_slot', bit(), { reset: 0 });
  const oeSlot = m.reg('oe_slot', bit(), { reset: 0 });
  const flags = (name: string): [Signal, Signal] => [m.reg(`${name}0`, bit(), { reset: 0 }), m.reg(`${name}1`, bit(), { reset: 0 })];
  const busy = flags('slot_busy');
  const ready = flags('slot_ready');
  const done = flags('slot_done');
  const of = (f: [Signal, Signal], slot: Expr) => mux(slot, f[1], f[0]);
  const beIdle = m.wire('be_idle', bePhase.eq(BACK.IDLE));
  return {
    fePhase,
    inIdle: m.wire('in_idle', fePhase.eq(FRONT.IDLE)),
    inLoad: m.wire('in_load', fePhase.eq(FRONT.LOAD)),
    inPredict: m.wire('in_predict', fePhase.eq(FRONT.PREDICT)),
    feSlot,
    slotFree: m.wire('slot_free', of(busy, feSlot).not()),
    bePhase,
    inGemm: m.wire('in_gemm', bePhase.eq(BACK.GEMM)),
    inRecover: m.wire('in_recover', bePhase.eq(BACK.RECOVER)),
    beSlot,
    // the back end also waits until the read-out has taken the segment before (its copies of the
    // segment's fields come from the back end's)
    beStart: m.wire('be_start', beIdle.and(of(ready, beSlot)).and(done[0].or(done[1]).not())),
    weightsFree: m.wire('weights_free', beIdle.and(ready[0].or(ready[1]).not())),
    inOut,
    oeSlot,
    oeStart: m.wire('oe_start', inOut.not().and(of(done, oeSlot))),
    busy,
    ready,
    done,
  };
}

export interface StageEvents {
  /** front end: a segment start; the last token beat (loadFire && loadDone); the walker's step on the last token */
  segFire: Expr;
  loadFire: Expr;
  loadDone: Expr;
  wkStep: Expr;
  wkLast: Expr;
  /** back end: the last x beat issued; the last copy accepted */
  gIssue: Expr;
  gFinal: Expr;
  nittFire: Expr;
  rqLast: Expr;
  /** read-out: both streams delivered `last` (now or before) */
  yDone: Expr;
  yFinal: Expr;
  tabDone: Expr;
  tabFinal: Expr;
  /** The segment configuration and load counter: latched / cleared at a segment start, counted per token beat. */
  load: { restart(): void; nextBeat(): void };
}

/** The process that runs the stages: front IDLE → LOAD → PREDICT → IDLE; back IDLE → GEMM → RECOVER → IDLE; read-out. */
export function stageSequence(m: ModuleBuilder, st: StageRegisters, e: StageEvents): void {
  const { fePhase, bePhase } = st;
  const feDone = m.wire('fe_done', st.inPredict.and(e.wkStep).and(e.wkLast));
  const beDone = m.wire('be_done', st.inRecover.and(e.nittFire).and(e.rqLast));
  const oeDone = m.wire('oe_done', st.inOut.and(e.yDone.or(e.yFinal)).and(e.tabDone.or(e.tabFinal)));
  // a slot flag is set by one stage and cleared by a later one, never for one slot at one edge
  const track = (f: [Signal, Signal], set: Expr, setSlot: Expr, clear: Expr, clearSlot: Expr) =>
    f.forEach((v, h) => {
      const at = (slot: Expr) => (h === 1 ? slot : slot.not());
      m.when(set.and(at(setSlot)), () => v.set(1)).elseWhen(clear.and(at(clearSlot)), () => v.set(0));
    });
  m.sync(() => {
    m.when(e.segFire, () => e.load.restart());
    m.when(e.loadFire, () => e.load.nextBeat());
    m.switch(fePhase, (sw) => {
      sw.is(FRONT.IDLE, () => m.when(e.segFire, () => fePhase.set(FRONT.LOAD)));
      sw.is(FRONT.LOAD, () => m.when(e.loadFire.and(e.loadDone), () => fePhase.set(FRONT.PREDICT)));
      sw.is(FRONT.PREDICT, () => m.when(feDone, () => fePhase.set(FRONT.IDLE)));
    });
    m.when(feDone, () => st.feSlot.set(st.feSlot.not()));
    m.switch(bePhase, (sw) => {
      sw.is(BACK.IDLE, () => m.when(st.beStart, () => bePhase.set(BACK.GEMM)));
      sw.is(BACK.GEMM, () => m.when(e.gIssue.and(e.gFinal), () => bePhase.set(BACK.RECOVER)));
      sw.is(BACK.RECOVER, () => m.when(beDone, () => bePhase.set(BACK.IDLE)));
    });
    m.when(beDone, () => st.beSlot.set(st.beSlot.not()));
    m.when(st.oeStart, () => st.inOut.set(1)).elseWhen(oeDone, () => {
      st.inOut.set(0);
      st.oeSlot.set(st.oeSlot.not());
    });
    track(st.busy, e.segFire, st.feSlot, oeDone, st.oeSlot);
    track(st.ready, feDone, st.feSlot, st.beStart, st.beSlot);
    track(st.done, beDone, st.beSlot, st.oeStart, st.oeSlot);
  });
}
