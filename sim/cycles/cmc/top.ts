// Cycle model of the CMC engine RTL (generator/blocks/cmc/top.ts), exact for any idle pattern of
// `in` and any stall pattern of `tab` and `y`. Three stages work on different segments at once
// (STAGES in the builder); per segment s (slot s mod 2):
//   front end    the segment start is accepted once the front end is idle and slot s mod 2's
//                read-out (segment s − 2) has ended; then every `in` beat when offered (the
//                g·N·BPT token beats); PREDICT from the cycle after the last token beat: a
//                cycle-by-cycle model of the issue side (one SAD beat per cycle, one cycle per
//                skipped reference token / I matrix), the frame buffer's read steps (registered,
//                and banked a skew of P job beats flushed after the last issue), cmc_sad's and
//                cmc_search's stall pipelines (the skeleton of sim/cycles/pipe.ts, chained: the
//                search's in_ready is the SAD's out_ready), the candidate FIFO and the walker
//                (one token per cycle; a searched token waits for its result; a result waits
//                while the walker is on a reference token, which is where backpressure arises);
//   back end     takes the segment in the cycle after the walker's last token, after the back
//                end's previous last copy and after the read-out's previous start, whichever
//                is last; GEMM from the next cycle: T = |ITT|·U·BPT beats, issued one per cycle
//                into the registered x stage, accepted by cmc_gemm one cycle later; the last
//                tile's output leaves cmc_gemm gemmLatency cycles after its last beat and is the
//                scatter's last write; RECOVER copies max(1, |N-ITT|·U), one per cycle from the
//                cycle after that write;
//   read-out     takes the segment in the cycle after its last copy or when its previous
//                read-out has ended, whichever is later; from the next cycle `y` is
//                cmc_recovery's read-out (read stage + stalls, as sim/cycles/cmc/recovery.ts)
//                and `tab` a one-register stall stage, both free running; it ends in the cycle
//                after the later `last`.
// A weight beat is accepted once the front end is idle and the back end has let the last
// segment go.
// Offering follows the cosim harness: a beat is offered from the first non-idle cycle after the
// previous beat was accepted, and stays offered.
import { gemmLatency } from '../../../generator/spec/cmc/gemm.ts';
import { cmcTopGeometry, frameBanking, jobFifoDepth } from '../../../generator/spec/cmc/top.ts';
import { type CmcCommand, type CmcTopConfig, predictSegment, weightBeats, segmentBeats } from '../../golden/cmc/top.ts';
import type { SearchWindow } from '../../golden/cmc/search.ts';
import { interJobsOfToken } from './cost.ts';
import { segments } from '../../golden/cmc/prediction.ts';
import { CycleModelTimeout } from '../kernel.ts';
import { AccumulatorPipe } from '../pipe.ts';
import { Fifo } from '../common/fifo.ts';
import { StallPipeline } from '../common/pipeline.ts';

export interface CmcTopTiming extends CmcTopConfig {
  lanes: number;
  sadStages: number;
  searchStages: number;
  gemmStages: number;
  gemmRqStages: number;
  /** cmc.gemm mulStages */
  gemmMulStages: number;
}

/** The first cycle of each phase of one segment (LOAD starts with the segment-start beat), and the cycle after each stage let it go. */
export interface CmcTopSegmentPhases {
  load: number;
  predict: number;
  /** the cycle after the walker's last token (the front end is free) */
  predictEnd: number;
  gemm: number;
  recover: number;
  /** the cycle after the last copy (the back end is free) */
  recoverEnd: number;
  out: number;
  /** the cycle after the later `last` of the read-out */
  idle: number;
  /** ITT entries (rows the GEMM computed) and N-ITT entries (rows recovered) */
  itt: number;
  nitt: number;
}

export interface CmcTopCycleResult {
  accepted: number[];
  emitted: { tab: number[]; y: number[] };
  cycles: number;
  segments: CmcTopSegmentPhases[];
}

type IssueAction = { skip: true } | { skip: false; beatLast: boolean; jobLast: boolean };

/** The issue side's actions (cycles when never blocked) and the walker's reference flags. */
export function predictSchedule(g: number, mode: 'inter' | 'intra', gv: number, c: CmcTopTiming): { actions: IssueAction[]; walkerRef: boolean[] } {
  const { N, beatsPerToken: BPT } = cmcTopGeometry(c);
  const actions: IssueAction[] = [];
  const walkerRef: boolean[] = [];
  const job = (last: boolean) => {
    for (let b = 0; b < BPT; b++) actions.push({ skip: false, beatLast: b === BPT - 1, jobLast: last });
  };
  const win: SearchWindow = c.window === 'full' ? { kind: 'full' } : { kind: 'radius', R: c.radius };
  const tI = Math.floor((g - 1) / 2);
  for (let t = 0; t < g; t++) {
    if (mode === 'inter') {
      if (t === tI) {
        actions.push({ skip: true });
        for (let i = 0; i < N; i++) walkerRef.push(true);
        continue;
      }
      for (let i = 0; i < N; i++) {
        const jobs = interJobsOfToken(i, { H: c.gridH, W: c.gridW }, win, c.lanes);
        for (let q = 0; q < jobs; q++) job(q === jobs - 1);
        walkerRef.push(false);
      }
    } else {
      const refs = new Set(segments(N, gv).map((s) => s.ref));
      for (let i = 0; i < N; i++) {
        if (refs.has(i)) actions.push({ skip: true });
        else job(true);
        walkerRef.push(refs.has(i));
      }
    }
  }
  return { actions, walkerRef };
}

interface SadBeat {
  beatLast: boolean;
  jobLast: boolean;
}

/**
 * PREDICT from cycle `start`: the frame buffer's read steps (the registered read and, banked, a
 * skew of P job beats flushed after the last issue; generator/blocks/cmc/top/frames.ts), cmc_sad
 * (an accumulator pipe whose output is the search's input), cmc_search (whose out_ready is the
 * walker's), the candidate FIFO beside them and the walker. Returns the cycle of the walker's
 * last step.
 */
function predictCycles(start: number, sched: { actions: IssueAction[]; walkerRef: boolean[] }, c: CmcTopTiming, maxCycles: number): number {
  const { skew } = frameBanking(c);
  const read = new StallPipeline<SadBeat>(1); // the SAD input slot
  let skewed: (SadBeat | undefined)[] = new Array(skew).fill(undefined);
  const sad = new AccumulatorPipe<SadBeat>(c.sadStages, (b) => b.beatLast);
  const search = new AccumulatorPipe<boolean>(c.searchStages, (jobLast) => jobLast);
  const candidates = new Fifo<true>(jobFifoDepth(c, skew));
  let ip = 0;
  let wp = 0;
  for (let cy = start; cy < maxCycles; cy++) {
    const walkerReady = !sched.walkerRef[wp];
    const sadOut = sad.out();
    const searchReady = search.inReady(sadOut?.jobLast, walkerReady);
    const sadOutFire = sadOut !== undefined && searchReady;
    const readOut = read.out(undefined);
    const sadReady = sad.inReady(readOut, searchReady);
    const advance = read.inReady(undefined, sadReady);
    const act = sched.actions[ip];
    const issue = act !== undefined && !act.skip && advance && candidates.inReady() ? { beatLast: act.beatLast, jobLast: act.jobLast } : undefined;
    const flush = advance && ip >= sched.actions.length && skewed.some((b) => b !== undefined);
    const step = issue !== undefined || flush;
    const walkerStep = sched.walkerRef[wp] || search.out() !== undefined;
    // ---- clock edge ----
    search.edge(sadOutFire ? sadOut.jobLast : undefined, walkerReady);
    sad.edge(sadReady ? readOut : undefined, searchReady);
    candidates.update(sadOutFire, issue?.beatLast ? [true] : []);
    if (step && skew > 0) {
      read.edge(skewed[skew - 1], sadReady);
      skewed = [issue, ...skewed.slice(0, skew - 1)];
    } else read.edge(step ? issue : undefined, sadReady);
    if (issue || act?.skip) ip++;
    if (walkerStep) {
      wp++;
      if (wp === sched.walkerRef.length) return cy;
    }
  }
  throw new CycleModelTimeout('cmcTopCycles (prediction)', maxCycles);
}

export function cmcTopCycles(
  cmds: readonly CmcCommand[],
  c: CmcTopTiming,
  idle: (c: number) => boolean = () => false,
  stall: { tab?: (c: number) => boolean; y?: (c: number) => boolean } = {},
  maxCycles = 200_000_000,
): CmcTopCycleResult {
  const { N, beatsPerToken: BPT, tiles: U } = cmcTopGeometry(c);
  const L = gemmLatency({ stages: c.gemmStages, mulStages: c.gemmMulStages, rqStages: c.gemmRqStages });
  const accepted: number[] = [];
  const emitted = { tab: [] as number[], y: [] as number[] };
  const tabStall = stall.tab ?? (() => false);
  const yStall = stall.y ?? (() => false);
  /** Accept `count` beats, each at the first non-idle cycle after the previous acceptance, not before `free`. */
  const acceptBeats = (count: number, free: number) => {
    for (let k = 0; k < count; k++) {
      let cy = accepted.length === 0 ? 0 : accepted[accepted.length - 1] + 1;
      while (idle(cy)) cy++;
      cy = Math.max(cy, free);
      accepted.push(cy);
    }
  };
  // the stages' state: the first cycle the front end is idle again, the cycle the back end
  // let its last segment go (its last copy), the read-out's start and its first idle cycle
  let feFree = 0;
  let beDone = -1;
  let oeStart = -1;
  let oeFree = 0;
  const slotFree = [0, 0]; // first cycle a segment start may use slot h (its read-out ended)
  let end = 0;
  const segs: CmcTopSegmentPhases[] = [];
  for (const cmd of cmds) {
    if (cmd.kind === 'weights') {
      // the front end idle, the back end idle with no segment waiting for it
      acceptBeats(weightBeats(cmd.W, c).length, Math.max(feFree, beDone + 1));
      continue;
    }
    const h = segs.length % 2;
    const g = cmd.X.length;
    const loadStart = accepted.length;
    acceptBeats(1, Math.max(feFree, slotFree[h])); // the segment start
    acceptBeats(segmentBeats(cmd, c).length - 1, 0); // g·N·BPT token beats
    const loadEnd = accepted[accepted.length - 1];
    const pred = predictSegment(cmd, c);
    const walkEnd = predictCycles(loadEnd + 1, predictSchedule(g, cmd.mode, cmd.gv, c), c, maxCycles);
    feFree = walkEnd + 1;
    // the back end: once the segment is predicted, the previous one recovered and taken by the read-out
    const beStart = Math.max(walkEnd + 1, beDone + 1, oeStart + 1);
    const gemmStart = beStart + 1;
    const T = pred.itt.length * U * BPT;
    const lastWrite = gemmStart + T + L; // the final x beat is accepted in gemmStart + T
    const copies = Math.max(1, pred.nitt.length * U);
    beDone = lastWrite + copies;
    // the read-out: once recovered and the previous read-out ended; y (cmc_recovery's read-out
    // stage) and tab (one stall register), free running from the cycle after its start
    oeStart = Math.max(beDone + 1, oeFree);
    const outStart = oeStart + 1;
    const streams = [
      { stage: new StallPipeline<true>(1), toIssue: g * N * U, toEmit: g * N * U, emitted: emitted.y, stall: yStall },
      { stage: new StallPipeline<true>(1), toIssue: pred.itt.length + pred.nitt.length, toEmit: pred.itt.length + pred.nitt.length, emitted: emitted.tab, stall: tabStall },
    ];
    let cy = outStart;
    for (; streams.some((o) => o.toEmit > 0); cy++) {
      if (cy >= maxCycles) throw new CycleModelTimeout('cmcTopCycles (read-out)', maxCycles);
      for (const o of streams) {
        const ready = !o.stall(cy);
        if (o.stage.out(undefined) !== undefined && ready) {
          o.emitted.push(cy);
          o.toEmit--;
        }
        const issue = o.toIssue > 0 && o.stage.inReady(undefined, ready);
        o.stage.edge(issue ? true : undefined, ready);
        if (issue) o.toIssue--;
      }
    }
    oeFree = cy; // the cycle after the later `last`
    slotFree[h] = cy;
    end = Math.max(end, cy);
    segs.push({ load: accepted[loadStart], predict: loadEnd + 1, predictEnd: walkEnd + 1, gemm: gemmStart, recover: gemmStart + T, recoverEnd: beDone + 1, out: outStart, idle: cy, itt: pred.itt.length, nitt: pred.nitt.length });
  }
  return { accepted, emitted, cycles: Math.max(end, accepted.length ? accepted[accepted.length - 1] + 1 : 0), segments: segs };
}
