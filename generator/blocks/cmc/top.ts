// CMC condensed projection engine (SPEC §2): frame buffers, the prediction controller (inter-
// or intra-matrix prediction with the SAD engine and the min-SAD search, ITT / N-ITT as
// memories), the condensed GEMM on the informative rows, the scatter address generation into
// the banked buffer, recovery of the skipped rows, and read-out of the tables and the output.
// Golden model: sim/golden/cmc/top.ts; cycle model: sim/cycles/cmc/top.ts.
//
// Children: `cmc_sad` (P lanes), `cmc_search`, `cmc_gemm` (B columns), two `cmc_recovery` (B banks).
// Parameters, geometry and the job FIFO depth: generator/spec/cmc/top.ts. The phases are built by
// the helpers in generator/blocks/cmc/top/ (each takes the module builder, the shared `TopEnv` and
// a record of the signals it needs, and returns the signals it produces), called in the order
// their signals are declared: fsm.ts (stage registers), load.ts (segment configuration, command
// decoder; frames.ts the frame buffer), predict.ts (PREDICT issue side, cmc_sad, job FIFO, cmc_search;
// cursor.ts the token cursor), walker.ts (PREDICT result side, ITT / N-ITT), gemm.ts (GEMM
// feeder, cmc_gemm), recover.ts (RECOVER copies), readout.ts (the cmc_recovery pair, OUT: y and tab),
// and fsm.ts again (the stage sequence).
//
// Ports (module `cmc_top`; e = elemsPerBeat, BPT = n/e beats per token, N = gridH·gridW tokens
// per matrix, U = nOut/B column tiles, GB/IB = addrBits(maxFrames)/addrBits(N), SW = the SAD
// width 8 + ceil(log2 n)):
//   in  : op (1), d_0..d_{e−1} (u8 raw bytes), g (u[clog2(maxFrames + 1)]), mode (1),
//         gv (u[clog2(N + 1)]), thr (u[SW]), m (u16), s (u6), zp (s8) — one command stream,
//         so the host's order is the order:
//           IDLE, op = 0   weight beat: d_k are int8 weights, beats in the order of `cmc_gemm`'s
//                          `w` port (tile u, column j, beat b: W[b·e + k][u·B + j] in d_k);
//           IDLE, op = 1   segment start: g matrices (1..maxFrames), mode (0 = inter-matrix,
//                          1 = intra-matrix), gv (intra row-segment length G_v, 1..N), thr
//                          (Thr_T / Thr_V), the requantiser m, s, zp; then exactly g·N·BPT
//                          token beats follow (op and the other fields ignored): matrix t,
//                          token i, beat b in that order, d_k = element b·e + k (two's
//                          complement when `signed`, else unsigned). Values of g and gv
//                          outside their ranges are not defined (hosts check them:
//                          checkSegment in sim/golden/cmc/top.ts).
//   tab out: kind (0 = ITT, 1 = N-ITT), t (uGB), i (uIB), j (uIB: j* for N-ITT, 0 for ITT),
//         sad (u[SW]: the SADmin that decided the entry; 0 for a reference token, which is not
//         searched), last — after the segment is computed: the ITT in ascending (t, i), then
//         the N-ITT in ascending (t, i); `last` on the final entry. In intra mode these are the
//         IVT and N-IVT (j* is the reference row of the same matrix).
//   y   out: d_0..d_{B−1} (s8), last — the recovered output, row r = t·N + i ascending, tile u
//         ascending within the row: d_j = Y[r][u·B + j]; `last` on the segment's final beat.
// The tab and y streams run concurrently and independently. Weights stay loaded across
// segments; a weight beat waits until every earlier segment has left the back end (below); a
// load must be complete (U·B·BPT beats) before a segment starts (cmc_gemm takes no row in the
// middle of a load, so a segment after a partial load never finishes), and a segment before
// any load computes with whatever the weight memories hold.
//
// STAGES (top/fsm.ts). Three stages work on different segments at once: the front end (IDLE,
// LOAD, PREDICT) on segment s + 1, the back end (GEMM, RECOVER) on s, the read-out (OUT) on
// s − 1. Segment s uses slot s mod 2: a half of the frame buffer, a half of each table, one of
// two cmc_recovery buffers, and the back end's and the read-out's copies of its fields (m, s,
// zp, g, mode, tI and the table counts, loaded when the stage takes it). A segment start is
// accepted when the front end is idle and its slot's read-out has ended (so frame storage is
// two segments); the back end takes a predicted segment when it is idle and the read-out has
// taken the previous one; the read-out takes a recovered segment when its previous one has
// ended. Each hand-over is registered (one cycle). In steady state the back end never waits:
// total ≈ Σ (GEMM + RECOVER).
//   IDLE     weight beats go to cmc_gemm.w (once the back end is idle with no segment waiting);
//            a segment start latches its fields and → LOAD.
//   LOAD     token beats, one per cycle, are written to the frame buffer (top/frames.ts: g·N·BPT
//            words of e bytes, word (t·N + i)·BPT + b, in one copy of Q banks so that the SAD
//            engine reads the token and P candidates per cycle, bank b mod Q; for tokens of fewer
//            than P + 1 beats, P + 1 copies instead).
//   PREDICT  ISSUE side: walks the tokens (t, i) in order and issues SAD jobs: token beat b
//            with P candidate beats, BPT beats per job, one beat per cycle unless the SAD
//            engine stalls (below) or the candidate FIFO is full. Inter: the
//            segment's I matrix tI = floor((g − 1)/2) is skipped (one cycle); for every other
//            t, token i's candidates are the I-matrix tokens in the window of radius R around
//            i on the grid (clipped; the whole grid for `window = full`), row-major = ascending
//            j, P per job (lanes past the window's end have keep = 0). Intra: each row segment
//            of gv rows of matrix t has its reference row r = s0 + floor((len − 1)/2); the
//            reference row is skipped (one cycle) and every other row is one job with one
//            candidate (lane 0, the reference row of the same matrix).
//            The read of the frame buffer is registered (the SAD's input stage; banked, lane k
//            reads its candidate k + 1 job beats after the token and the beat reaches cmc_sad
//            P job beats after its issue, the skew flushed after the segment's last); the job's
//            candidate indices, keep and last-job flag wait in a FIFO beside the SAD engine and
//            meet the SAD result at cmc_search's input.
//            RESULT side (the "walker"): takes the tokens in the same order, one per cycle; a
//            reference (I-matrix token or reference row) is informative without a search; any
//            other token takes cmc_search's result: informative → ITT, else N-ITT (t, i, j*).
//            While the walker is on references, a finished search result waits, which can
//            stall cmc_search, cmc_sad and the issue side (the only backpressure inside).
//            Both tables are memories of maxFrames·N entries per slot with counters; → IDLE
//            after the walker's last token, and the segment waits for the back end.
//   GEMM     for every ITT entry q (in order), every tile u, every beat b: the frame-buffer word
//            of token (t, i) (registered read) to cmc_gemm.x, with entry = (t·N + i)·U + u —
//            the address generation: column j of the tile goes to bank j of that entry, the
//            row's original position. Unsigned elements enter the GEMM as x − 128 (the MSB
//            flipped); signed as they are. cmc_gemm's output is the scatter write
//            (the slot's cmc_recovery.wr, mask all ones); → RECOVER after the last x beat is issued.
//   RECOVER  for every N-ITT entry (t, i, j*) and tile u: copy entry (tR·N + j*)·U + u to entry
//            (t·N + i)·U + u, tR = tI (inter) or t (intra); an empty N-ITT issues one harmless
//            copy of entry 0 onto itself (cmc_recovery's phase needs its `last` beat).
//            cmc_recovery holds these until the scatter's last write; the segment goes to the
//            read-out after the last copy.
//   OUT      tab streams the slot's tables (registered read, stall stage); y is the slot's
//            cmc_recovery read-out of entries 0 .. g·N·U − 1. Ends when both have sent `last`.
// Timing is deterministic apart from the host's idle cycles on `in` and the stalls of tab and
// y; sim/cycles/cmc/top.ts predicts every acceptance and output cycle.
import { type HwType, bit, module, sint, uint } from '../../dsl/index.ts';
import { type CmcTopParams, TOP_ELEM_BITS, checkCmcTopParams, cmcTopGeometry, topParams } from '../../spec/cmc/top.ts';
import { defineDesign } from '../../designs/registry.ts';
import { cmcSad } from './sad.ts';
import { cmcSearch } from './search.ts';
import { cmcGemm } from './gemm.ts';
import { cmcRecovery } from './recovery.ts';
import { topEnv } from './top/env.ts';
import { stageRegisters, stageSequence } from './top/fsm.ts';
import { commandLoad, stageCopy } from './top/load.ts';
import { predictIssue } from './top/predict.ts';
import { predictWalker } from './top/walker.ts';
import { gemmFeeder } from './top/gemm.ts';
import { recoverIssue } from './top/recover.ts';
import { readOut } from './top/readout.ts';

export function cmcTop(p: CmcTopParams, name = p.top) {
  checkCmcTopParams(p);
  const g = cmcTopGeometry(p);
  const { N, tiles: U, sadBits: SW, tBits: TB, iBits: IB } = g;
  const e = p.elemsPerBeat;
  const P = p.lanes;
  const B = p.cols;
  const H = p.gridH;
  const W = p.gridW;

  const sad = cmcSad({ top: `${name}_sad`, m: p.m, lanes: P, elemBits: TOP_ELEM_BITS, signed: p.signed, n: p.n, elemsPerBeat: e, treeStages: p.sadStages });
  const search = cmcSearch({ top: `${name}_search`, lanes: P, sadBits: SW, jBits: IB, stages: p.searchStages });
  const gemm = cmcGemm({ top: `${name}_gemm`, elemsPerBeat: e, cols: B, k: p.n, nOut: p.nOut, entryBits: g.entryBits, stages: p.gemmStages, mulStages: p.gemmMulStages, rqStages: p.gemmRqStages });
  const rec = cmcRecovery({ top: `${name}_recovery`, banks: B, entries: g.bufEntries, dataBits: 8, signed: true });

  return module(
    name,
    (m) => {
      const inFields: Record<string, HwType> = { op: bit() };
      for (let k = 0; k < e; k++) inFields[`d_${k}`] = uint(8);
      Object.assign(inFields, { g: uint(g.gBits), mode: bit(), gv: uint(g.gvBits), thr: uint(SW), m: uint(16), s: uint(6), zp: sint(8) });
      const inp = m.inStream('in', inFields);
      const tab = m.outStream('tab', { kind: bit(), t: uint(TB), i: uint(IB), j: uint(IB), sad: uint(SW), last: bit() });
      const yFields: Record<string, HwType> = {};
      for (let j = 0; j < B; j++) yFields[`d_${j}`] = sint(8);
      yFields.last = bit();
      const yOut = m.outStream('y', yFields);

      const env = topEnv(m, p, g);
      const st = stageRegisters(m);
      const load = commandLoad(m, env, { inp, inIdle: st.inIdle, inLoad: st.inLoad, slotFree: st.slotFree, weightsFree: st.weightsFree, feSlot: st.feSlot, beSlot: st.beSlot });
      const { cfg, tLast, tI, segFire } = load;
      const issue = predictIssue(m, env, { sad, search, cfg, tLast, tI, segFire, loadFire: load.loadFire, loadDone: load.loadDone, frames: load.frames });
      const walk = predictWalker(m, env, { inPredict: st.inPredict, cfg, tLast, tI, segFire, feSlot: st.feSlot, searchInst: issue.searchInst, walkerWants: issue.walkerWants });
      // the back end's and the read-out's copies of what they read of their segment
      const be = stageCopy(m, 'be', { g: cfg.g, intra: cfg.intra, tI, m: cfg.m, s: cfg.s, zp: cfg.zp, itt: walk.ittCount, nitt: walk.nittCount }, st.beStart);
      const oe = stageCopy(m, 'oe', { g: be.g, itt: be.itt, nitt: be.nitt }, st.oeStart);
      const feed = gemmFeeder(m, env, { gemm, inGemm: st.inGemm, beStart: st.beStart, beSlot: st.beSlot, rq: be, itt: walk.itt, ittWrite: walk.ittWrite, ittCount: be.itt, frames: load.frames, wFire: load.wFire, cmd: inp.data, gemmWReady: load.gemmWReady });
      load.frames.finish();
      const nittFire = m.wire('rec_nitt_fire', bit());
      const recover = recoverIssue(m, env, { inRecover: st.inRecover, cfgIntra: be.intra, tI: be.tI, nitt: walk.nitt, nittWrite: walk.nittWrite, nittCount: be.nitt, nittFire, beStart: st.beStart, beSlot: st.beSlot });
      const out = readOut(m, env, {
        rec,
        tab,
        yOut,
        cfgG: oe.g,
        oeStart: st.oeStart,
        oeSlot: st.oeSlot,
        beSlot: st.beSlot,
        gemmInst: feed.gemmInst,
        recWrReady: feed.recWrReady,
        nittValid: recover.nittValid,
        nittI: recover.nittI,
        nittJ: recover.nittJ,
        rqLast: recover.rqLast,
        nittFire,
        itt: walk.itt,
        nitt: walk.nitt,
        ittCount: oe.itt,
        nittCount: oe.nitt,
      });
      stageSequence(m, st, {
        segFire,
        loadFire: load.loadFire,
        loadDone: load.loadDone,
        wkStep: walk.wkStep,
        wkLast: walk.wkLast,
        gIssue: feed.gIssue,
        gFinal: feed.gFinal,
        nittFire,
        rqLast: recover.rqLast,
        yDone: out.yDone,
        yFinal: out.yFinal,
        tabDone: out.tabDone,
        tabFinal: out.tabFinal,
        load,
      });
    },
    {
      doc: [
        `CMC engine: ${p.maxFrames} x ${N} tokens (${H}x${W} grid) of ${p.n} ${p.signed ? 'signed' : 'unsigned'} 8-bit elements, ${e} per beat; SAD m = ${p.m}, ${P} lane(s); search ${p.window === 'full' ? 'full' : `radius ${p.radius}`}.`,
        `Condensed GEMM ${p.n} -> ${p.nOut} on ${B} PE columns (${U} tile(s)); two ${B}-bank output buffers of ${g.bufEntries} entries with recovery.`,
        'Front end (load, prediction), back end (GEMM, recovery) and read-out work on three segments at once.',
        'Command stream in (weights, segment start + tokens) -> tab (ITT then N-ITT) and y (recovered rows).',
      ].join('\n'),
      params: { n: p.n, signed: p.signed, elemsPerBeat: e, m: p.m, gridH: H, gridW: W, maxFrames: p.maxFrames, lanes: P, window: p.window, radius: p.radius, nOut: p.nOut, cols: B },
    },
  );
}

export const cmcTopDesign = defineDesign({
  name: 'cmc',
  description: 'CMC engine (cmc_top): frame buffers, inter/intra prediction with ITT/N-ITT, condensed GEMM, scatter, recovery, read-out',
  params: topParams,
  check: (p) => checkCmcTopParams(p),
  build: (p) => cmcTop(p),
});
