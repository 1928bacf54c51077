// CMC condensed projection engine (SPEC §2): frame buffers, the prediction controller (inter-
// or intra-matrix prediction with the SAD engine and the min-SAD search, ITT / N-ITT as
// memories), the condensed GEMM on the informative rows, the scatter address generation into
// the banked buffer, recovery of the skipped rows, and read-out of the tables and the output.
// Golden model: sim/golden/cmc/top.ts; cycle model: sim/cycles/cmc/top.ts.
//
// Children: `cmc_sad` (P lanes), `cmc_search`, `cmc_gemm` (B columns), `cmc_recovery` (B banks).
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
// The tab and y streams run concurrently and independently; the next segment's command is
// accepted when both have delivered their `last` beat. Weights stay loaded across segments; a
// load must be complete (U·B·BPT beats) before a segment starts (cmc_gemm takes no row in the
// middle of a load, so a segment after a partial load never finishes), and a segment before
// any load computes with whatever the weight memories hold.
//
// PHASES (one register, `phase`):
//   IDLE     weight beats go to cmc_gemm.w; a segment start latches its fields and → LOAD.
//   LOAD     token beats, one per cycle, are written to the frame buffer `xbuf` (g·N·BPT words
//            of e bytes, word (t·N + i)·BPT + b) and to P candidate copies `cbuf_k`, so that the
//            SAD engine reads the token and P candidates in one cycle (one read port each:
//            block-RAM friendly; copies that held only the I matrix would be 1/g the size for
//            inter prediction, but intra prediction compares rows within every matrix).
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
//            The read of the frame buffers is registered (the SAD's input stage); the job's
//            candidate indices, keep and last-job flag wait in a FIFO beside the SAD engine and
//            meet the SAD result at cmc_search's input.
//            RESULT side (the "walker"): takes the tokens in the same order, one per cycle; a
//            reference (I-matrix token or reference row) is informative without a search; any
//            other token takes cmc_search's result: informative → ITT, else N-ITT (t, i, j*).
//            While the walker is on references, a finished search result waits, which can
//            stall cmc_search, cmc_sad and the issue side (the only backpressure inside).
//            Both tables are memories of maxFrames·N entries with counters; → GEMM after the
//            walker's last token.
//   GEMM     for every ITT entry q (in order), every tile u, every beat b: the frame-buffer word
//            of token (t, i) (registered read) to cmc_gemm.x, with entry = (t·N + i)·U + u —
//            the address generation: column j of the tile goes to bank j of that entry, the
//            row's original position. Unsigned elements enter the GEMM as x − 128 (the MSB
//            flipped); signed as they are. cmc_gemm's output is the scatter write
//            (cmc_recovery.wr, mask all ones); → RECOVER after the last x beat is issued.
//   RECOVER  for every N-ITT entry (t, i, j*) and tile u: copy entry (tR·N + j*)·U + u to entry
//            (t·N + i)·U + u, tR = tI (inter) or t (intra); an empty N-ITT issues one harmless
//            copy of entry 0 onto itself (cmc_recovery's phase needs its `last` beat).
//            cmc_recovery holds these until the scatter's last write; → OUT after the last copy.
//   OUT      tab streams the tables (registered read, stall stage); y is cmc_recovery's read-out
//            of entries 0 .. g·N·U − 1. → IDLE when both have sent `last`.
// Timing is deterministic apart from the host's idle cycles on `in` and the stalls of tab and
// y; sim/cycles/cmc/top.ts predicts every acceptance and output cycle.
import { type Expr, type HwType, addrBits, bit, cat, clog2, module, mux, sint, uint } from '../../dsl/index.ts';
import { ParamRuleError, bool, ident, int, oneOf, type Params } from '../../params/schema.ts';
import { jobFifoDepth } from '../../spec/cmc/timing.ts';
import { defineDesign } from '../../designs/registry.ts';
import { fifo } from '../common/fifo.ts';
import { cmcSad, sadGeometry } from './sad.ts';
import { cmcSearch } from './search.ts';
import { cmcGemm } from './gemm.ts';
import { cmcRecovery } from './recovery.ts';

export const WINDOWS = ['full', 'radius'] as const;
export type WindowKind = (typeof WINDOWS)[number];

export const topParams = {
  top: ident({ default: 'cmc_top', doc: 'name of the generated top module' }),
  n: int({ default: 48, min: 1, max: 4096, doc: 'token length in elements (K of the GEMM; 768 = 16x16x3 pixels)' }),
  signed: bool({ default: false, doc: "token elements are two's complement (features) rather than unsigned (pixels)" }),
  elemsPerBeat: int({ default: 16, min: 1, max: 64, doc: 'elements per beat e (token, weight and SAD beats); divides n and m' }),
  m: int({ default: 16, min: 1, max: 1024, doc: 'SAD pass length (the CODEC macro-block; 256 = 16x16)' }),
  gridH: int({ default: 4, min: 1, max: 64, doc: 'token grid rows H' }),
  gridW: int({ default: 4, min: 1, max: 64, doc: 'token grid columns W (N = H·W tokens per matrix)' }),
  maxFrames: int({ default: 4, min: 1, max: 16, doc: 'longest segment G (matrices held in the frame buffer)' }),
  lanes: int({ default: 2, min: 1, max: 16, doc: 'SAD candidate lanes P' }),
  window: oneOf<WindowKind>(WINDOWS, { default: 'full', doc: 'inter-matrix search: full (every I token) or radius (Chebyshev radius R on the grid)' }),
  radius: int({ default: 1, min: 0, max: 63, doc: 'search radius R (window = radius)' }),
  nOut: int({ default: 16, min: 1, max: 4096, doc: 'GEMM output columns (a multiple of cols)' }),
  cols: int({ default: 8, min: 1, max: 32, doc: 'GEMM PE columns B = output banks' }),
  sadStages: int({ default: 1, min: 0, max: 11, doc: 'register levels in the SAD adder trees' }),
  searchStages: int({ default: 1, min: 0, max: 7, doc: 'register levels in the search argmin tree' }),
  gemmStages: int({ default: 1, min: 0, max: 8, doc: 'register levels in the GEMM adder trees' }),
};

export type CmcTopParams = Params<typeof topParams>;

/** Static geometry of a cmc_top configuration. */
export interface CmcTopGeometry {
  N: number;
  beatsPerToken: number;
  tiles: number;
  sadBits: number;
  /** bits of t (addrBits(maxFrames)) and of i / j (addrBits(N)) */
  tBits: number;
  iBits: number;
  /** bits of the `g` and `gv` command fields (hold maxFrames and N) */
  gBits: number;
  gvBits: number;
  /** frame-buffer words, table entries, buffer entries */
  xWords: number;
  tableEntries: number;
  bufEntries: number;
}

export function cmcTopGeometry(p: CmcTopParams): CmcTopGeometry {
  const N = p.gridH * p.gridW;
  const beatsPerToken = p.n / p.elemsPerBeat;
  const tiles = p.nOut / p.cols;
  return {
    N,
    beatsPerToken,
    tiles,
    sadBits: sadGeometry({ m: p.m, n: p.n, elemsPerBeat: p.elemsPerBeat, elemBits: 8 }).sadBits,
    tBits: addrBits(p.maxFrames),
    iBits: addrBits(N),
    gBits: clog2(p.maxFrames + 1),
    gvBits: clog2(N + 1),
    xWords: p.maxFrames * N * beatsPerToken,
    tableEntries: p.maxFrames * N,
    bufEntries: p.maxFrames * N * tiles,
  };
}

export function checkCmcTopParams(p: CmcTopParams): void {
  const rule = (param: string, ok: boolean, value: number, why: string) => {
    if (!ok) throw new ParamRuleError('cmc', param, value, why);
  };
  rule('elemsPerBeat', p.n % p.elemsPerBeat === 0, p.elemsPerBeat, `expected a divisor of n = ${p.n} (token beats carry whole words)`);
  rule('elemsPerBeat', p.m % p.elemsPerBeat === 0, p.elemsPerBeat, `expected a divisor of m = ${p.m} (the SAD engine gathers whole passes)`);
  rule('nOut', p.nOut % p.cols === 0, p.nOut, `expected a multiple of cols = ${p.cols}`);
  rule('gridW', p.gridH * p.gridW >= 2, p.gridW, 'expected at least 2 tokens per matrix (gridH·gridW ≥ 2)');
  const g = cmcTopGeometry(p);
  rule('sadStages', p.sadStages <= clog2(Math.min(p.m, p.n)) + 1, p.sadStages, `expected at most ceil(log2 min(m, n)) + 1 = ${clog2(Math.min(p.m, p.n)) + 1}`);
  rule('searchStages', p.searchStages <= clog2(p.lanes) + 1, p.searchStages, `expected at most ceil(log2 lanes) + 1 = ${clog2(p.lanes) + 1}`);
  rule('gemmStages', p.gemmStages <= clog2(p.elemsPerBeat) + 1, p.gemmStages, `expected at most ceil(log2 elemsPerBeat) + 1 = ${clog2(p.elemsPerBeat) + 1}`);
  rule('maxFrames', g.xWords <= 1 << 22, p.maxFrames, `expected a frame buffer of at most 2^22 words (maxFrames·N·n/e = ${g.xWords})`);
  rule('nOut', g.bufEntries <= 1 << 20, p.nOut, `expected an output buffer of at most 2^20 entries (maxFrames·N·nOut/cols = ${g.bufEntries})`);
}

export const PHASE = { IDLE: 0, LOAD: 1, PREDICT: 2, GEMM: 3, RECOVER: 4, OUT: 5 } as const;

export function cmcTop(p: CmcTopParams, name = p.top) {
  checkCmcTopParams(p);
  const g = cmcTopGeometry(p);
  const { N, beatsPerToken: BPT, tiles: U, sadBits: SW, tBits: TB, iBits: IB } = g;
  const e = p.elemsPerBeat;
  const P = p.lanes;
  const B = p.cols;
  const H = p.gridH;
  const W = p.gridW;
  const XA = addrBits(g.xWords);
  const QA = addrBits(g.tableEntries);
  const QC = clog2(g.tableEntries + 1);
  const EA = addrBits(g.bufEntries);
  const BB = addrBits(BPT);
  const UB = addrBits(U);
  const RB = addrBits(H);
  const CB = addrBits(W);
  const R = p.radius;
  const word = uint(8 * e);

  const sad = cmcSad({ top: `${name}_sad`, m: p.m, lanes: P, elemBits: 8, signed: p.signed, n: p.n, elemsPerBeat: e, treeStages: p.sadStages });
  const search = cmcSearch({ top: `${name}_search`, lanes: P, sadBits: SW, jBits: IB, stages: p.searchStages });
  const gemm = cmcGemm({ top: `${name}_gemm`, elemsPerBeat: e, cols: B, k: p.n, nOut: p.nOut, entryBits: EA, stages: p.gemmStages });
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
      const d = inp.data;

      const phase = m.reg('phase', uint(3), { reset: PHASE.IDLE });
      const inIdle = m.wire('in_idle', phase.eq(PHASE.IDLE));
      const inLoad = m.wire('in_load', phase.eq(PHASE.LOAD));
      const inPredict = m.wire('in_predict', phase.eq(PHASE.PREDICT));
      const inGemm = m.wire('in_gemm', phase.eq(PHASE.GEMM));
      const inRecover = m.wire('in_recover', phase.eq(PHASE.RECOVER));
      const inc = (x: Expr) => x.add(1).trunc(x.type.width);
      const lit = (w: number, v: number) => m.const(uint(w), v);
      /** a·k + b as a `w`-bit unsigned (the address arithmetic: constant multipliers only). */
      const mulAdd = (a: Expr, k: number, b: Expr, w: number) => (k === 1 ? a : a.mul(m.const(uint(clog2(k + 1)), k))).resize(w).add(b.resize(w)).resize(w);
      /** t·N + i as a `w`-bit unsigned. */
      const rowOf = (t: Expr, i: Expr, w: number) => mulAdd(t, N, i, w);

      // ---- segment configuration (latched from the segment-start beat) ----
      const cfgG = m.reg('cfg_g', uint(g.gBits));
      const cfgIntra = m.reg('cfg_intra', bit());
      const cfgGv = m.reg('cfg_gv', uint(g.gvBits));
      const cfgThr = m.reg('cfg_thr', uint(SW));
      const cfgM = m.reg('cfg_m', uint(16));
      const cfgS = m.reg('cfg_s', uint(6));
      const cfgZp = m.reg('cfg_zp', sint(8));
      const tLast = m.wire('t_last', cfgG.sub(1).trunc(g.gBits).trunc(TB)); // g − 1 (g ≥ 1)
      const tI = m.wire('t_iframe', g.gBits === 1 ? lit(TB, 0) : cfgG.sub(1).trunc(g.gBits).shr(1).resize(TB)); // floor((g − 1)/2)

      // ---- in: weight beats, segment start, token beats ----
      const gemmWReady = m.wire('gemm_w_ready', bit());
      const isSeg = m.wire('is_seg', d.op);
      m.assign(inp.ready, inLoad.or(inIdle.and(isSeg.or(gemmWReady))));
      const segFire = m.wire('seg_fire', inp.valid.and(inIdle).and(isSeg));
      const wFire = m.wire('w_valid', inp.valid.and(inIdle).and(isSeg.not()));
      const loadFire = m.wire('load_fire', inp.valid.and(inLoad));
      const inWord = m.wire('in_word', cat(...Array.from({ length: e }, (_, k) => d[`d_${e - 1 - k}`])));
      const loadCount = m.reg('load_count', uint(XA), { reset: 0 });
      const loadTotal = m.wire('load_total', mulAdd(cfgG, N * BPT, lit(1, 0), XA + 1)); // g·N·BPT ≤ 2^XA
      const loadDone = m.wire('load_done', loadCount.zext(XA + 1).eq(loadTotal.sub(1).trunc(XA + 1)));
      const xbuf = m.memory('xbuf', { depth: g.xWords, type: word });
      const cbuf = Array.from({ length: P }, (_, k) => m.memory(`cbuf${k}`, { depth: g.xWords, type: word }));
      m.sync(() =>
        m.when(loadFire, () => {
          xbuf.write(loadCount, inWord);
          cbuf.forEach((c) => c.write(loadCount, inWord));
        }),
      );

      // ---- PREDICT, issue side ----
      const itRow = m.reg('iss_row', uint(RB)); // grid row of token i
      const itCol = m.reg('iss_col', uint(CB)); // grid column of token i
      const itFresh = m.reg('iss_fresh', bit()); // the token's first job: the cursor is the window start
      const curR = m.reg('cur_row', uint(RB));
      const curC = m.reg('cur_col', uint(CB));
      const itBeat = m.reg('iss_beat', uint(BB));
      const issuing = m.reg('issuing', bit(), { reset: 0 });

      /** Intra row segment of a row: its reference row and whether the row is its last. */
      const segInfo = (prefix: string, s0: Expr, pos: Expr) => {
        const rest = m.wire(`${prefix}_rest`, lit(g.gvBits, N).sub(s0.zext(g.gvBits)).trunc(g.gvBits)); // N − s0
        const len = m.wire(`${prefix}_len`, mux(cfgGv.lt(rest), cfgGv, rest));
        const refRow = m.wire(`${prefix}_ref_row`, s0.zext(g.gvBits + 1).add(len.sub(1).trunc(g.gvBits).shr(1).zext(g.gvBits + 1)).trunc(g.gvBits + 1).trunc(IB));
        const segEnd = m.wire(`${prefix}_seg_end`, pos.eq(len.sub(1).trunc(g.gvBits)));
        return { refRow, segEnd };
      };
      /**
       * A cursor over the segment's tokens (t, i), with the intra row segment of i: whether
       * (t, i) is a reference (the I matrix's token, or its row segment's reference row), and
       * its steps (to be used inside a process).
       */
      const tokenCursor = (prefix: string) => {
        const t = m.reg(`${prefix}_t`, uint(TB));
        const i = m.reg(`${prefix}_i`, uint(IB));
        const seg0 = m.reg(`${prefix}_seg_start`, uint(IB)); // intra: first row of the row segment
        const segPos = m.reg(`${prefix}_seg_pos`, uint(g.gvBits)); // intra: row within the segment
        const seg = segInfo(prefix, seg0, segPos);
        return {
          t,
          i,
          refRow: seg.refRow,
          isRef: m.wire(`${prefix}_is_ref`, mux(cfgIntra, i.eq(seg.refRow), t.eq(tI))),
          toMatrix(next: Expr) {
            t.set(next);
            i.set(0);
            seg0.set(0);
            segPos.set(0);
          },
          toNextToken() {
            i.set(inc(i));
            m.when(seg.segEnd, () => {
              seg0.set(inc(i));
              segPos.set(0);
            }).otherwise(() => segPos.set(inc(segPos)));
          },
        };
      };
      const iss = tokenCursor('iss');
      const itT = iss.t;
      const itI = iss.i;

      // the inter-matrix window of token (row, col): rows r0..r1, columns c0..c1
      const clipLo = (v: Expr, w: number) => (R >= 1 << w ? lit(w, 0) : mux(v.lt(R), lit(w, 0), v.sub(lit(w, R)).trunc(w)));
      const clipHi = (v: Expr, w: number, max: number) => mux(v.zext(w + 7).add(lit(w + 7, R)).gt(max), lit(w, max), v.zext(w + 7).add(lit(w + 7, R)).trunc(w));
      const full = p.window === 'full'; // the whole grid: constant bounds
      const r0 = m.wire('win_r0', full ? lit(RB, 0) : clipLo(itRow, RB));
      const r1 = m.wire('win_r1', full ? lit(RB, H - 1) : clipHi(itRow, RB, H - 1));
      const c0 = m.wire('win_c0', full ? lit(CB, 0) : clipLo(itCol, CB));
      const c1 = m.wire('win_c1', full ? lit(CB, W - 1) : clipHi(itCol, CB, W - 1));
      // lane k's candidate: the k-th window position from the cursor, row-major
      const lanesR: Expr[] = [];
      const lanesC: Expr[] = [];
      const lanesOk: Expr[] = [];
      let pr: Expr = m.wire('lane0_row', mux(itFresh, r0, curR));
      let pc: Expr = m.wire('lane0_col', mux(itFresh, c0, curC));
      let ok: Expr = m.wire('lane0_ok', lit(1, 1));
      for (let k = 0; k < P; k++) {
        lanesR.push(pr);
        lanesC.push(pc);
        lanesOk.push(ok);
        const rowEnd = m.wire(`lane${k}_row_end`, pc.eq(c1));
        const nextOk = m.wire(`lane${k + 1}_ok`, ok.and(rowEnd.and(pr.eq(r1)).not()));
        pr = m.wire(`lane${k + 1}_row`, mux(rowEnd, inc(pr), pr));
        pc = m.wire(`lane${k + 1}_col`, mux(rowEnd, c0, inc(pc)));
        ok = nextOk;
      }
      // after the job: `ok` says whether candidates remain; (pr, pc) is where they start
      const interMore = m.wire('inter_more', ok);

      const isRefTok = iss.isRef;
      const jobBeatLast = m.wire('job_beat_last', itBeat.eq(BPT - 1));
      const tokLast = m.wire('iss_tok_last', itI.eq(N - 1));
      const jobLast = m.wire('job_last', cfgIntra.or(interMore.not())); // the token's last job
      const sadInReady = m.wire('sad_in_ready', bit());
      const sadReg = m.reg('sad_in_valid', bit(), { reset: 0 });
      const sadAdvance = m.wire('sad_advance', sadReg.not().or(sadInReady));
      const jobFifoReady = m.wire('job_fifo_ready', bit());
      const issueBeat = m.wire('issue_beat', issuing.and(isRefTok.not()).and(sadAdvance).and(jobFifoReady));
      const skipTok = m.wire('issue_skip', issuing.and(isRefTok));
      // a token is done when its reference is skipped or its last job's last beat is issued
      const tokDone = m.wire('iss_tok_done', skipTok.or(issueBeat.and(jobBeatLast).and(jobLast)));
      // inter: the I matrix is skipped whole (one cycle)
      const skipMatrix = m.wire('issue_skip_matrix', skipTok.and(cfgIntra.not()));
      const matDone = m.wire('iss_mat_done', skipMatrix.or(tokDone.and(tokLast)));
      m.sync(() => {
        m.when(issueBeat, () => itBeat.set(mux(jobBeatLast, lit(BB, 0), inc(itBeat))));
        m.when(issueBeat.and(jobBeatLast).and(jobLast.not()), () => {
          itFresh.set(0);
          curR.set(pr);
          curC.set(pc);
        });
        m.when(matDone, () => {
          iss.toMatrix(inc(itT));
          itRow.set(0);
          itCol.set(0);
          itFresh.set(1);
          m.when(itT.eq(tLast), () => issuing.set(0));
        }).elseWhen(tokDone, () => {
          iss.toNextToken();
          itFresh.set(1);
          m.when(itCol.eq(W - 1), () => {
            itCol.set(0);
            itRow.set(inc(itRow));
          }).otherwise(() => itCol.set(inc(itCol)));
        });
        m.when(segFire, () => {
          iss.toMatrix(lit(TB, 0));
          itRow.set(0);
          itCol.set(0);
          itFresh.set(1);
          itBeat.set(0);
        });
        m.when(loadFire.and(loadDone), () => issuing.set(1));
      });

      // candidate token indices and the frame-buffer addresses of the beat
      const tokAddr = (t: Expr, i: Expr) => mulAdd(rowOf(t, i, XA), BPT, itBeat, XA);
      const jOf = (r: Expr, c: Expr) => mulAdd(r, W, c, IB);
      const laneJ: Expr[] = [];
      for (let k = 0; k < P; k++) {
        const intraJ = k === 0 ? iss.refRow : lit(IB, 0);
        // lane 0 always holds a candidate (a job is issued only while candidates remain)
        const interJ = k === 0 ? jOf(lanesR[k], lanesC[k]) : mux(lanesOk[k], jOf(lanesR[k], lanesC[k]), lit(IB, 0));
        laneJ.push(m.wire(`cand_j${k}`, mux(cfgIntra, intraJ, interJ)));
      }
      const keep = m.wire('cand_keep', mux(cfgIntra, lit(P, 1), cat(...[...lanesOk].reverse())));
      const candT = m.wire('cand_t', mux(cfgIntra, itT, tI));
      const sadRef = m.reg('sad_in_ref', word);
      const sadCand = Array.from({ length: P }, (_, k) => m.reg(`sad_in_c${k}`, word));
      const refAddr = m.wire('ref_addr', tokAddr(itT, itI));
      const candAddr = laneJ.map((j, k) => m.wire(`cand_addr${k}`, tokAddr(candT, j)));
      m.sync(() =>
        m.when(sadAdvance, () => {
          sadReg.set(issueBeat);
          sadRef.set(xbuf.read(refAddr));
          sadCand.forEach((r, k) => r.set(cbuf[k].read(candAddr[k])));
        }),
      );
      const sadIn: Record<string, Expr> = { in_valid: sadReg, in_ref: sadRef };
      sadCand.forEach((r, k) => (sadIn[`in_c${k}`] = r));
      const searchInReady = m.wire('search_in_ready', bit());
      sadIn.out_ready = searchInReady;
      const sadInst = m.instance(sad, 'u_sad', sadIn);
      m.assign(sadInReady, sadInst.in_ready);

      // the job's candidates travel beside the SAD engine
      const jobData = m.wire('job_data', cat(jobLast, keep, ...[...laneJ].reverse()));
      const sadOutFire = m.wire('sad_out_fire', sadInst.out_valid.and(searchInReady));
      const jobs = fifo(m, 'job', { depth: jobFifoDepth(p), inValid: issueBeat.and(jobBeatLast), inData: jobData, outReady: sadOutFire });
      m.assign(jobFifoReady, jobs.inReady);
      m.sink(jobs.outValid);
      m.sink(jobs.count);

      const walkerWants = m.wire('walker_wants', bit());
      const searchIn: Record<string, Expr> = { in_valid: sadInst.out_valid, thr: cfgThr, out_ready: walkerWants };
      for (let k = 0; k < P; k++) {
        searchIn[`in_sad_${k}`] = sadInst[`out_sad_${k}`];
        searchIn[`in_j_${k}`] = jobs.outData.slice(IB * k + IB - 1, IB * k);
      }
      searchIn.in_keep = jobs.outData.slice(IB * P + P - 1, IB * P);
      searchIn.in_last = jobs.outData.slice(IB * P + P, IB * P + P);
      const searchInst = m.instance(search, 'u_search', searchIn);
      m.assign(searchInReady, searchInst.in_ready);

      // ---- PREDICT, result side: the walker writes ITT / N-ITT in ascending (t, i) ----
      const walk = tokenCursor('walk');
      const wkT = walk.t;
      const wkI = walk.i;
      const walking = inPredict; // the walker runs for the whole phase: its last token ends it
      const wkRef = walk.isRef;
      m.assign(walkerWants, walking.and(wkRef.not()));
      const wkStep = m.wire('walk_step', walking.and(wkRef.or(searchInst.out_valid)));
      const wkInformative = m.wire('walk_informative', wkRef.or(searchInst.out_informative));
      // table words: ITT {t, i, sad}, N-ITT {t, i, j*, sad}; sad = the deciding SADmin (0 for a reference)
      const ittMem = m.memory('itt', { depth: g.tableEntries, type: uint(TB + IB + SW) });
      const nittMem = m.memory('nitt', { depth: g.tableEntries, type: uint(TB + 2 * IB + SW) });
      const wkSad = m.wire('walk_sad', mux(wkRef, lit(SW, 0), searchInst.out_sadmin));
      const ittCount = m.reg('itt_count', uint(QC));
      const nittCount = m.reg('nitt_count', uint(QC));
      const wkLast = m.wire('walk_last', wkT.eq(tLast).and(wkI.eq(N - 1)));
      m.sync(() => {
        m.when(wkStep.and(wkInformative), () => {
          ittMem.write(ittCount.trunc(QA), cat(wkT, wkI, wkSad));
          ittCount.set(inc(ittCount));
        });
        m.when(wkStep.and(wkInformative.not()), () => {
          nittMem.write(nittCount.trunc(QA), cat(wkT, wkI, searchInst.out_jstar, wkSad));
          nittCount.set(inc(nittCount));
        });
        m.when(wkStep, () => m.when(wkI.eq(N - 1), () => walk.toMatrix(inc(wkT))).otherwise(() => walk.toNextToken()));
        m.when(segFire, () => {
          walk.toMatrix(lit(TB, 0));
          ittCount.set(0);
          nittCount.set(0);
        });
      });

      // ---- GEMM: informative rows, tile by tile, to cmc_gemm.x ----
      const gq = m.reg('gemm_q', uint(QA));
      const gu = m.reg('gemm_u', uint(UB));
      const gb = m.reg('gemm_beat', uint(BB));
      const ittWord = m.wire('itt_word', ittMem.read(gq));
      const gT = ittWord.slice(SW + TB + IB - 1, SW + IB);
      const gI = ittWord.slice(SW + IB - 1, SW);
      const gRow = m.wire('gemm_row', rowOf(gT, gI, QA));
      const gemmXReady = m.wire('gemm_x_ready', bit());
      const gxValid = m.reg('gemm_x_valid', bit(), { reset: 0 });
      const gxAdvance = m.wire('gemm_x_advance', gxValid.not().or(gemmXReady));
      const gIssue = m.wire('gemm_issue', inGemm.and(gxAdvance));
      const gqLast = m.wire('gemm_q_last', gq.zext(QC).eq(ittCount.sub(1).trunc(QC)));
      const gFinal = m.wire('gemm_final', gqLast.and(gu.eq(U - 1)).and(gb.eq(BPT - 1)));
      const gxWord = m.reg('gemm_x_word', word);
      const gxEntry = m.reg('gemm_x_entry', uint(EA));
      const gxLast = m.reg('gemm_x_last', bit());
      const flip = p.signed ? 0 : 1;
      const gAddr = m.wire('gemm_addr', mulAdd(gRow, BPT, gb, XA));
      m.sync(() => {
        m.when(gxAdvance, () => {
          gxValid.set(gIssue);
          gxWord.set(xbuf.read(gAddr));
          gxEntry.set(mulAdd(gRow, U, gu, EA));
          gxLast.set(gqLast.and(gu.eq(U - 1)));
        });
        m.when(gIssue, () => {
          gb.set(mux(gb.eq(BPT - 1), lit(BB, 0), inc(gb)));
          m.when(gb.eq(BPT - 1), () => {
            gu.set(mux(gu.eq(U - 1), lit(UB, 0), inc(gu)));
            m.when(gu.eq(U - 1), () => gq.set(inc(gq)));
          });
        });
        m.when(segFire, () => {
          gq.set(0);
          gu.set(0);
          gb.set(0);
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

      // ---- RECOVER: N-ITT entries, tile by tile ----
      const rq = m.reg('rec_q', uint(QA));
      const ru = m.reg('rec_u', uint(UB));
      const nittWord = m.wire('nitt_word', nittMem.read(rq));
      const nT = nittWord.slice(SW + TB + 2 * IB - 1, SW + 2 * IB);
      const nI = nittWord.slice(SW + 2 * IB - 1, SW + IB);
      const nJ = nittWord.slice(SW + IB - 1, SW);
      const nEmpty = m.wire('nitt_empty', nittCount.eq(0));
      const entryOf = (t: Expr, i: Expr) => mulAdd(rowOf(t, i, EA), U, ru, EA);
      const rqLast = m.wire('rec_final', nEmpty.or(rq.zext(QC).eq(nittCount.sub(1).trunc(QC)).and(ru.eq(U - 1))));
      const nittValid = m.wire('rec_nitt_valid', inRecover);
      const nittI = m.wire('rec_dst', mux(nEmpty, lit(EA, 0), entryOf(nT, nI)));
      const nittJ = m.wire('rec_src', mux(nEmpty, lit(EA, 0), entryOf(mux(cfgIntra, nT, tI), nJ)));

      // ---- OUT: y = the buffer read out; tab = the tables ----
      const ye = m.reg('out_entry', uint(EA));
      const yIssuing = m.reg('out_issuing', bit(), { reset: 0 });
      const yTotal = m.wire('out_total', mulAdd(cfgG, N * U, lit(1, 0), EA + 1)); // g·N·U ≤ 2^EA
      const yLastReq = m.wire('out_last_req', ye.zext(EA + 1).eq(yTotal.sub(1).trunc(EA + 1)));
      const recIn: Record<string, Expr> = {
        wr_valid: gemmInst.out_valid,
        wr_entry: gemmInst.out_entry,
        wr_mask: lit(B, (2 ** B - 1)),
        wr_last: gemmInst.out_last,
        nitt_valid: nittValid,
        nitt_i: nittI,
        nitt_j: nittJ,
        nitt_last: rqLast,
        rd_valid: yIssuing,
        rd_entry: ye,
        rd_last: yLastReq,
        rdata_ready: yOut.ready,
      };
      for (let j = 0; j < B; j++) recIn[`wr_d_${j}`] = gemmInst[`out_y_${j}`];
      const recInst = m.instance(rec, 'u_recovery', recIn);
      m.assign(recWrReady, recInst.wr_ready);
      const nittFire = m.wire('rec_nitt_fire', nittValid.and(recInst.nitt_ready));
      const rdFire = m.wire('out_rd_fire', yIssuing.and(recInst.rd_ready));
      m.assign(yOut.valid, recInst.rdata_valid);
      for (let j = 0; j < B; j++) m.assign(yOut.data[`d_${j}`], recInst[`rdata_d_${j}`]);
      m.assign(yOut.data.last, recInst.rdata_last);
      const yDone = m.reg('out_y_done', bit()); // cleared by every segment start before it is read
      const yFinal = m.wire('out_y_final', yOut.valid.and(yOut.ready).and(recInst.rdata_last));

      const tq = m.reg('tab_q', uint(QC + 1)); // entries issued so far: ITT first, then N-ITT
      const tabIssuing = m.reg('tab_issuing', bit(), { reset: 0 });
      const tabValid = m.reg('tab_valid_q', bit(), { reset: 0 });
      const tabAdvance = m.wire('tab_advance', tabValid.not().or(tab.ready));
      const tabInN = m.wire('tab_in_nitt', tq.ge(ittCount.zext(QC + 1)));
      const tabNq = m.wire('tab_nitt_q', tq.sub(ittCount.zext(QC + 1)).trunc(QC + 1).trunc(QA));
      const tabItt = m.wire('tab_itt_word', ittMem.read(tq.trunc(QA)));
      const tabNitt = m.wire('tab_nitt_word', nittMem.read(tabNq));
      const tabTotal = m.wire('tab_total', ittCount.zext(QC + 1).add(nittCount.zext(QC + 1)).trunc(QC + 1));
      const tabLastIssue = m.wire('tab_last_issue', tq.eq(tabTotal.sub(1).trunc(QC + 1)));
      const tabIssue = m.wire('tab_issue', tabIssuing.and(tabAdvance));
      const tabKind = m.reg('tab_r_kind', bit());
      const tabT = m.reg('tab_r_t', uint(TB));
      const tabI = m.reg('tab_r_i', uint(IB));
      const tabJ = m.reg('tab_r_j', uint(IB));
      const tabSad = m.reg('tab_r_sad', uint(SW));
      const tabLast = m.reg('tab_r_last', bit());
      const tabDone = m.reg('tab_done', bit()); // cleared by every segment start before it is read
      const tabFinal = m.wire('tab_final', tabValid.and(tab.ready).and(tabLast));
      m.sync(() => {
        m.when(tabAdvance, () => {
          tabValid.set(tabIssue);
          tabKind.set(tabInN);
          tabT.set(mux(tabInN, tabNitt.slice(SW + TB + 2 * IB - 1, SW + 2 * IB), tabItt.slice(SW + TB + IB - 1, SW + IB)));
          tabI.set(mux(tabInN, tabNitt.slice(SW + 2 * IB - 1, SW + IB), tabItt.slice(SW + IB - 1, SW)));
          tabJ.set(mux(tabInN, tabNitt.slice(SW + IB - 1, SW), lit(IB, 0)));
          tabSad.set(mux(tabInN, tabNitt.slice(SW - 1, 0), tabItt.slice(SW - 1, 0)));
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
        m.when(nittFire.and(rqLast), () => {
          yIssuing.set(1);
          tabIssuing.set(1);
        });
        m.when(yFinal, () => yDone.set(1));
        m.when(tabFinal, () => tabDone.set(1));
        m.when(segFire, () => {
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

      // ---- RECOVER issue counters and the phase sequence ----
      m.sync(() => {
        m.when(nittFire, () => {
          ru.set(mux(ru.eq(U - 1), lit(UB, 0), inc(ru)));
          m.when(ru.eq(U - 1), () => rq.set(inc(rq)));
        });
        m.when(segFire, () => {
          rq.set(0);
          ru.set(0);
          cfgG.set(d.g);
          cfgIntra.set(d.mode);
          cfgGv.set(d.gv);
          cfgThr.set(d.thr);
          cfgM.set(d.m);
          cfgS.set(d.s);
          cfgZp.set(d.zp);
          loadCount.set(0);
        });
        m.when(loadFire, () => loadCount.set(inc(loadCount)));
        m.switch(phase, (sw) => {
          sw.is(PHASE.IDLE, () => m.when(segFire, () => phase.set(PHASE.LOAD)));
          sw.is(PHASE.LOAD, () => m.when(loadFire.and(loadDone), () => phase.set(PHASE.PREDICT)));
          sw.is(PHASE.PREDICT, () => m.when(wkStep.and(wkLast), () => phase.set(PHASE.GEMM)));
          sw.is(PHASE.GEMM, () => m.when(gIssue.and(gFinal), () => phase.set(PHASE.RECOVER)));
          sw.is(PHASE.RECOVER, () =>
            m.when(nittFire.and(rqLast), () => phase.set(PHASE.OUT)),
          );
          sw.is(PHASE.OUT, () => m.when(yDone.or(yFinal).and(tabDone.or(tabFinal)), () => phase.set(PHASE.IDLE)));
        });
      });
    },
    {
      doc: [
        `CMC engine: ${p.maxFrames} x ${N} tokens (${H}x${W} grid) of ${p.n} ${p.signed ? 'signed' : 'unsigned'} 8-bit elements, ${e} per beat; SAD m = ${p.m}, ${P} lane(s); search ${p.window === 'full' ? 'full' : `radius ${p.radius}`}.`,
        `Condensed GEMM ${p.n} -> ${p.nOut} on ${B} PE columns (${U} tile(s)); ${B}-bank output buffer of ${g.bufEntries} entries with recovery.`,
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
