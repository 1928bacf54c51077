// cmc_top's command decoder and LOAD phase (generator/blocks/cmc/top.ts, STAGES): the segment
// configuration latched from the segment-start beat, the split of `in` into weight beats (to
// cmc_gemm.w), segment starts and token beats, written one per cycle into the frame buffer
// (frames.ts).
import { type Expr, type HwType, type InStream, type ModuleBuilder, type Signal, bit, cat, mux, sint, uint } from '../../../dsl/index.ts';
import type { TopEnv } from './env.ts';
import { type FrameBuffer, frameBuffer } from './frames.ts';

/** The segment's configuration registers (cfg_*), latched from the segment-start beat. */
export interface SegmentConfig {
  g: Signal;
  intra: Signal;
  gv: Signal;
  thr: Signal;
  m: Signal;
  s: Signal;
  zp: Signal;
}

export interface LoadInputs {
  /** the command stream `in` (its ready is driven here) */
  inp: InStream<Record<string, HwType>>;
  inIdle: Expr;
  inLoad: Expr;
  /** the front end's slot is free (a segment start may be accepted); weights may be replaced */
  slotFree: Expr;
  weightsFree: Expr;
  /** the front end's and the back end's slots (the frame buffer's halves) */
  feSlot: Expr;
  beSlot: Expr;
}

export interface LoadSignals {
  cfg: SegmentConfig;
  /** g − 1, the last matrix, and tI = floor((g − 1)/2), the inter I matrix */
  tLast: Signal;
  tI: Signal;
  /** cmc_gemm's w_ready, to be assigned by the GEMM feeder (weight beats wait for it) */
  gemmWReady: Signal;
  /** a segment start, a weight beat (cmc_gemm.w_valid), a token beat accepted */
  segFire: Signal;
  wFire: Signal;
  loadFire: Signal;
  /** the token beat accepted now is the segment's last */
  loadDone: Signal;
  frames: FrameBuffer;
  /** Steps for the phase process (fsm.ts): at a segment start latch the configuration and clear the count; count a token beat. */
  restart(): void;
  nextBeat(): void;
}

/** A later stage's copy of the fields it reads of a segment (registers `<prefix>_<field>`), loaded when it takes the segment. */
export function stageCopy<K extends string>(m: ModuleBuilder, prefix: string, fields: Record<K, Expr>, load: Expr): Record<K, Signal> {
  const out = {} as Record<K, Signal>;
  for (const k of Object.keys(fields) as K[]) out[k] = m.reg(`${prefix}_${k}`, fields[k].type);
  m.sync(() => m.when(load, () => (Object.keys(fields) as K[]).forEach((k) => out[k].set(fields[k]))));
  return out;
}

/** The segment configuration, the command decoder and the frame-buffer writes of LOAD. */
export function commandLoad(m: ModuleBuilder, env: TopEnv, s: LoadInputs): LoadSignals {
  const { p, g, lit, inc, mulAdd } = env;
  const { N, beatsPerToken: BPT, sadBits: SW, tBits: TB, xAddrBits: XA } = g;
  const e = p.elemsPerBeat;
  const { inp, inIdle, inLoad } = s;
  const d = inp.data;

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
  const weightsOpen = m.wire('weights_open', s.weightsFree.and(gemmWReady));
  m.assign(inp.ready, inLoad.or(inIdle.and(mux(isSeg, s.slotFree, weightsOpen))));
  const segFire = m.wire('seg_fire', inp.valid.and(inIdle).and(isSeg).and(s.slotFree));
  const wFire = m.wire('w_valid', inp.valid.and(inIdle).and(isSeg.not()).and(s.weightsFree));
  const loadFire = m.wire('load_fire', inp.valid.and(inLoad));
  const inWord = m.wire('in_word', cat(...Array.from({ length: e }, (_, k) => d[`d_${e - 1 - k}`])));
  const loadCount = m.reg('load_count', uint(XA), { reset: 0 });
  const loadTotal = m.wire('load_total', mulAdd(cfgG, N * BPT, lit(1, 0), XA + 1)); // g·N·BPT ≤ 2^XA
  const loadDone = m.wire('load_done', loadCount.zext(XA + 1).eq(loadTotal.sub(1).trunc(XA + 1)));
  const frames = frameBuffer(m, env, { segFire, loadFire, word: inWord, feSlot: s.feSlot, beSlot: s.beSlot });

  return {
    cfg: { g: cfgG, intra: cfgIntra, gv: cfgGv, thr: cfgThr, m: cfgM, s: cfgS, zp: cfgZp },
    tLast,
    tI,
    gemmWReady,
    segFire,
    wFire,
    loadFire,
    loadDone,
    frames,
    restart() {
      cfgG.set(d.g);
      cfgIntra.set(d.mode);
      cfgGv.set(d.gv);
      cfgThr.set(d.thr);
      cfgM.set(d.m);
      cfgS.set(d.s);
      cfgZp.set(d.zp);
      loadCount.set(0);
    },
    nextBeat() {
      loadCount.set(inc(loadCount));
    },
  };
}
