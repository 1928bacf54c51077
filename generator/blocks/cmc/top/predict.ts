// cmc_top's PREDICT phase, issue side (generator/blocks/cmc/top.ts, STAGES): walks the tokens
// (t, i) in order and issues SAD jobs (a token beat with P candidate beats, read from the frame
// buffer, frames.ts: a registered read, and with a banked buffer a skew of P job beats) to
// cmc_sad; the job's candidate indices, keep and last-job flag wait in a FIFO beside the SAD
// engine and meet its result at cmc_search's input. The search results go to the walker
// (walker.ts), whose `walker_wants` is cmc_search's out_ready.
import { type Expr, type HwModule, type ModuleBuilder, type Signal, bit, cat, mux, uint } from '../../../dsl/index.ts';
import { frameBanking, jobFifoDepth } from '../../../spec/cmc/top.ts';
import { fifo } from '../../common/fifo.ts';
import { tokenCursor } from './cursor.ts';
import type { TopEnv } from './env.ts';
import type { SegmentConfig } from './load.ts';
import type { FrameBuffer } from './frames.ts';

export interface IssueInputs {
  /** the children: cmc_sad and cmc_search */
  sad: HwModule;
  search: HwModule;
  cfg: SegmentConfig;
  tLast: Expr;
  tI: Expr;
  segFire: Expr;
  /** the segment's last token beat is accepted now: issuing starts */
  loadFire: Expr;
  loadDone: Expr;
  frames: FrameBuffer;
}

export interface IssueSignals {
  /** cmc_search's outputs (out_valid, out_informative, out_jstar, out_sadmin) */
  searchInst: Record<string, Signal>;
  /** cmc_search's out_ready, to be assigned by the walker */
  walkerWants: Signal;
}

/** The issue side of PREDICT, cmc_sad, the job FIFO and cmc_search. */
export function predictIssue(m: ModuleBuilder, env: TopEnv, s: IssueInputs): IssueSignals {
  const { p, g, lit, inc, mulAdd, rowOf } = env;
  const { N, beatsPerToken: BPT, tBits: TB, iBits: IB, xAddrBits: XA, beatBits: BB, rowBits: RB, colBits: CB } = g;
  const P = p.lanes;
  const H = p.gridH;
  const W = p.gridW;
  const R = p.radius;
  const { sad, search, tLast, tI, segFire, loadFire, loadDone, frames } = s;
  const skew = frameBanking(p).skew;
  const { intra: cfgIntra, gv: cfgGv, thr: cfgThr } = s.cfg;

  // ---- PREDICT, issue side ----
  const itRow = m.reg('iss_row', uint(RB)); // grid row of token i
  const itCol = m.reg('iss_col', uint(CB)); // grid column of token i
  const itFresh = m.reg('iss_fresh', bit()); // the token's first job: the cursor is the window start
  const curR = m.reg('cur_row', uint(RB));
  const curC = m.reg('cur_col', uint(CB));
  const itBeat = m.reg('iss_beat', uint(BB));
  const issuing = m.reg('issuing', bit(), { reset: 0 });

  const iss = tokenCursor(m, env, 'iss', { cfgIntra, cfgGv, tI });
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
  // the SAD input slot: the job beat issued `skew` steps ago, valid until cmc_sad takes it
  const sadValid = m.reg('sad_in_valid', bit(), { reset: 0 });
  const sadAdvance = m.wire('sad_advance', sadValid.not().or(sadInReady));
  const jobFifoReady = m.wire('job_fifo_ready', bit());
  const issueBeat = m.wire('issue_beat', issuing.and(isRefTok.not()).and(sadAdvance).and(jobFifoReady));
  // the skew: job beats issued but not yet at the SAD input; flushed after the segment's last
  const skewValid = Array.from({ length: skew }, (_, k) => m.reg(`skew_valid${k}`, bit(), { reset: 0 }));
  const flushing = skew === 0 ? lit(1, 0) : m.wire('skew_flush', issuing.not().and(skewValid.reduce<Expr>((a, v) => a.or(v), lit(1, 0))));
  const step = m.wire('read_step', issueBeat.or(sadAdvance.and(flushing)));
  const stepBeat = frames.beatCounter('step');
  m.sync(() => {
    m.when(step, () => {
      skewValid.forEach((v, k) => v.set(k === 0 ? issueBeat : skewValid[k - 1]));
      sadValid.set(skew === 0 ? issueBeat : skewValid[skew - 1]);
    }).elseWhen(sadAdvance, () => sadValid.set(0));
  });
  const skipTok = m.wire('issue_skip', issuing.and(isRefTok));
  // a token is done when its reference is skipped or its last job's last beat is issued
  const tokDone = m.wire('iss_tok_done', skipTok.or(issueBeat.and(jobBeatLast).and(jobLast)));
  // inter: the I matrix is skipped whole (one cycle)
  const skipMatrix = m.wire('issue_skip_matrix', skipTok.and(cfgIntra.not()));
  const matDone = m.wire('iss_mat_done', skipMatrix.or(tokDone.and(tokLast)));
  m.sync(() => {
    m.when(issueBeat, () => itBeat.set(mux(jobBeatLast, lit(BB, 0), inc(itBeat))));
    m.when(step, () => stepBeat.next(issueBeat.and(jobBeatLast)));
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
      stepBeat.restart();
    });
    m.when(loadFire.and(loadDone), () => issuing.set(1));
  });

  // candidate token indices and the frame-buffer addresses of the beat
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
  const refAddr = m.wire('ref_addr', frames.address(rowOf(itT, itI, XA), stepBeat.sub));
  const candAddr = laneJ.map((j, k) => m.wire(`cand_addr${k}`, frames.address(rowOf(candT, j, XA), stepBeat.sub)));
  const read = frames.predictReads(step, stepBeat, refAddr, candAddr);
  const sadIn: Record<string, Expr> = { in_valid: sadValid, in_ref: read.token };
  read.lanes.forEach((r, k) => (sadIn[`in_c${k}`] = r));
  const searchInReady = m.wire('search_in_ready', bit());
  sadIn.out_ready = searchInReady;
  const sadInst = m.instance(sad, 'u_sad', sadIn);
  m.assign(sadInReady, sadInst.in_ready);

  // the job's candidates travel beside the SAD engine
  const jobData = m.wire('job_data', cat(jobLast, keep, ...[...laneJ].reverse()));
  const sadOutFire = m.wire('sad_out_fire', sadInst.out_valid.and(searchInReady));
  const jobs = fifo(m, 'job', { depth: jobFifoDepth(p, skew), inValid: issueBeat.and(jobBeatLast), inData: jobData, outReady: sadOutFire });
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

  return { searchInst, walkerWants };
}
