// Ditto linear-layer engine (SPEC §1.3–§1.5): encoder → compute row → VPU behind one command
// stream, so a host can run whole layers, tile by tile, step after step, in one simulation.
//
// DATAFLOW (module `ditto_top`, children `ditto_encoder`, `ditto_compute` with R = 1 row,
// `ditto_vpu` with P = C lanes):
//
//   in ──op=1──▶ compute.w  (weight beats: W[k][0..C−1] of the current column tile)
//      └─op=0──▶ encoder.in ──words──▶ compute.in0 ──C × int32 Y_Δ──▶ vpu.in ──▶ out
//         │  ▲       └─ on the vector's last beat: {mode, tlast, addr, M, S, zp} ─▶ side FIFO ─┘
//         │  └ x_{t+1} = xbuf[xaddr] (asynchronous read; 0 in original mode)
//         └──▶ xbuf[xaddr] <= x_t (every accepted activation beat, both modes)
//
// Ports (L = lanes, C = cols, KB = max(1, clog2 kMax), AB = VPU beat-address bits =
// max(1, clog2(entries / C)), XB = x-buffer address bits = max(1, clog2 xEntries)):
//   in  : op (0 = activation beat, 1 = weight beat)
//         activation beat (op = 0): xt_0..xt_{L-1} (s8 x_t), xaddr (uXB: the beat's x-buffer
//           entry, see X BUFFER), keep (uL), last (end of vector), mode (0 = difference,
//           1 = original; the encoder's and the VPU's mode), and, read on the vector's last beat only: tlast
//           (the VPU output's `last`, e.g. the end of a tile), addr (uAB: the vector's Y-buffer
//           beat address; output column j of the tile is Y-buffer entry addr·C + j), m (u16),
//           s (u6), zp (s8): the requantiser of §1.5 for this vector
//         weight beat (op = 1): wk (uKB), wd_0..wd_{C-1} (s8: W[wk][tile column j]), wlast
//   out : y_0..y_{C-1} (s8: act(requant(Y_t))), yt_0..yt_{C-1} (s32: Y_t), last (= tlast)
// One output beat per vector, in input order.
//
// X BUFFER (SPEC §1.3, §1.6: the engine keeps x_{t+1}, the host sends x_t only). One 1W1R
// memory `xbuf` of xEntries words × 8·L bits (lane j in bits 8j+7..8j), read asynchronously.
// On an accepted activation beat the encoder's x_{t+1} is xbuf[xaddr] as it was before the
// beat (the previous step's values), and at the clock edge xbuf[xaddr] <= x_t — in both modes,
// so an original-mode step also stores x_t and the next step's differences stay exact. The
// encoder's x_{t+1} input is forced to 0 unless the beat is a valid difference-mode activation
// beat, so never-written (X / randomised) entries cannot reach the outputs in original mode.
// Lanes with keep = 0 are stored too (their values are unused). The host gives every
// activation beat that must see its own previous-step values a fixed entry — e.g. one per
// (layer, column tile, token, beat), since each column tile re-sends the layer's vectors and a
// shared entry would already hold the current step's x_t at the second tile — and a
// difference-mode beat must read an entry written by the previous step. The read is
// combinational, so timing is unchanged.
//
// ORDERING. Weight beats are held (in_ready = 0) until every vector accepted before them has
// had its last word accepted by the compute unit (a counter of outstanding vectors): words
// read their weights when accepted, so a load never changes a vector already in flight, and
// the compute unit's `loaded` gate keeps later vectors out until the load's `wlast` beat.
// Weight beats must come between vectors (never inside one). Difference mode needs the same
// Y-buffer address written before (an original-mode vector, SPEC §1.6: both modes store Y_t),
// exactly as the VPU requires.
//
// SIDE FIFO. The per-vector VPU controls travel in a `sideDepth`-entry FIFO (common/fifo.ts)
// pushed when the encoder accepts a vector's last beat and popped when the VPU accepts that
// vector's Y_Δ; activation beats wait while it is full, which bounds the vectors between the
// encoder input and the VPU input (encoder FIFO, compute pipeline, compute output register) to
// `sideDepth` (the VPU's VPU_LATENCY = 6 pipeline registers hold up to 6 more).
//
// TIMING (sim/cycles/ditto/top.ts models every acceptance and output cycle exactly). Free
// running, a vector whose last word is not queued behind others leaves stages + 13 cycles after
// its last beat is accepted: ENCODER_DEFAULT_STAGES + 1 = 5 (encoder pipeline and FIFO) +
// stages + 2 (compute) + VPU_LATENCY = 6 (VPU, rqStages = 2: carry-save product, its adder,
// rounding window, zp/clamp/table). A weight beat is accepted from the cycle after the compute
// unit took the last word of every earlier vector, so the encoder's pipeline drains before each
// tile's weights. Throughput: one command beat per cycle in, one encoder word per cycle into the
// PE row, so a tile costs about K weight beats + Σ max(words, ceil(K/L)) over its vectors + ~7.
import { type Expr, type HwType, bit, cat, clog2, module, mux, sint, uint } from '../../dsl/index.ts';
import { defineDesign } from '../../designs/registry.ts';
import { fifo } from '../common/fifo.ts';
import { dittoEncoder } from './encoder.ts';
import { encoderIndexBits, encoderMaxWordsPerBeat } from '../../spec/ditto/encoder.ts';
import { dittoCompute } from './compute.ts';
import { dittoVpu } from './vpu.ts';
import { VPU_RQ_STAGES } from '../../spec/ditto/vpu.ts';
import { topParams, type TopParams, topXAddrBits, topAddrBits, checkTopParams } from '../../spec/ditto/top.ts';

export function dittoTop(p: TopParams, name = p.top) {
  const L = p.lanes;
  const C = p.cols;
  const KB = encoderIndexBits(p.kMax);
  const AB = topAddrBits(p);
  const XB = topXAddrBits(p);
  const OB = clog2(p.sideDepth + 1);

  const enc = dittoEncoder({ top: `${name}_encoder`, lanes: L, kMax: p.kMax, depth: 0 });
  const cu = dittoCompute({ top: `${name}_compute`, rows: 1, cols: C, kMax: p.kMax, wGroup: 0, stages: p.stages });
  const vpu = dittoVpu({ top: `${name}_vpu`, lanes: C, entries: p.entries, rqStages: VPU_RQ_STAGES, act: p.act, actInScale: p.actInScale, actOutScale: p.actOutScale, actInZero: p.actInZero, actOutZero: p.actOutZero });

  return module(
    name,
    (m) => {
      const inFields: Record<string, HwType> = { op: bit() };
      for (let j = 0; j < L; j++) inFields[`xt_${j}`] = sint(8);
      inFields.xaddr = uint(XB);
      Object.assign(inFields, { keep: uint(L), last: bit(), mode: bit(), tlast: bit(), addr: uint(AB), m: uint(16), s: uint(6), zp: sint(8), wk: uint(KB) });
      for (let j = 0; j < C; j++) inFields[`wd_${j}`] = sint(8);
      inFields.wlast = bit();
      const inp = m.inStream('in', inFields);
      const outFields: Record<string, HwType> = {};
      for (let j = 0; j < C; j++) outFields[`y_${j}`] = sint(8);
      for (let j = 0; j < C; j++) outFields[`yt_${j}`] = sint(32);
      outFields.last = bit();
      const out = m.outStream('out', outFields);
      const d = inp.data;

      // wires driven after the children exist
      const encInReady = m.wire('enc_in_ready', bit());
      const encOutReady = m.wire('enc_out_ready', bit());
      const vpuInReady = m.wire('vpu_in_ready', bit());
      const cuOutValid = m.wire('cu_out_valid', bit());

      const outstanding = m.reg('outstanding', uint(OB), { reset: 0 });
      const isAct = m.wire('is_act', inp.valid.and(d.op.not()));
      const isW = m.wire('is_w', inp.valid.and(d.op));
      const wGo = m.wire('w_go', outstanding.eq(0));

      // side FIFO: {mode, tlast, addr, m, s, zp} per vector
      const sideInValid = m.wire('side_in_valid', bit());
      const sidePop = m.wire('side_pop', bit());
      const side = fifo(m, 'side', { depth: p.sideDepth, inValid: sideInValid, inData: cat(d.mode, d.tlast, d.addr, d.m, d.s, d.zp.asUnsigned()), outReady: sidePop });
      const actGo = m.wire('act_go', side.inReady);
      const actAccept = m.wire('act_accept', isAct.and(actGo).and(encInReady));
      m.assign(sideInValid, actAccept.and(d.last));
      m.assign(inp.ready, mux(d.op, wGo, encInReady.and(actGo)));

      // ---- x buffer: x_{t+1} = xbuf[xaddr] (read before the write), xbuf[xaddr] <= x_t ----
      const xbuf = m.memory('xbuf', { depth: p.xEntries, type: uint(8 * L) });
      const xtWord = m.wire('xt_word', cat(...Array.from({ length: L }, (_, j) => d[`xt_${L - 1 - j}`].asUnsigned())));
      const xpUse = m.wire('xp_use', isAct.and(d.mode.not()));
      const xpWord = m.wire('xp_word', mux(xpUse, xbuf.read(d.xaddr), m.const(uint(8 * L), 0)));
      m.sync(() => m.when(actAccept, () => xbuf.write(d.xaddr, xtWord)));

      // ---- encoder ----
      const encIn: Record<string, Expr> = { in_valid: isAct.and(actGo), in_keep: d.keep, in_last: d.last, in_mode: d.mode, out_ready: encOutReady };
      for (let j = 0; j < L; j++) {
        encIn[`in_xt_${j}`] = d[`xt_${j}`];
        encIn[`in_xp_${j}`] = xpWord.slice(8 * j + 7, 8 * j).asSigned();
      }
      const e = m.instance(enc, 'u_encoder', encIn);
      m.assign(encInReady, e.in_ready);
      m.sink(e.out_nzero);
      m.sink(e.out_nlow);
      m.sink(e.out_nfull);

      // ---- compute unit, one row ----
      const cuIn: Record<string, Expr> = {
        w_valid: isW.and(wGo),
        w_k: d.wk,
        w_g: m.const(uint(1), 0),
        w_last: d.wlast,
        in0_valid: e.out_valid,
        in0_last: e.out_last,
        out0_ready: vpuInReady.and(side.outValid),
      };
      for (let j = 0; j < C; j++) cuIn[`w_d_${j}`] = d[`wd_${j}`];
      for (let i = 0; i < 4; i++) for (const f of ['v', 's', 'n', 'h', 'k']) cuIn[`in0_${f}${i}`] = e[`out_${f}${i}`];
      const c = m.instance(cu, 'u_compute', cuIn);
      m.sink(c.w_ready);
      m.assign(encOutReady, c.in0_ready);
      m.assign(cuOutValid, c.out0_valid);
      const wordLast = m.wire('word_last_accept', e.out_valid.and(c.in0_ready).and(e.out_last));
      m.sync(() => {
        m.when(sideInValid.and(wordLast.not()), () => outstanding.set(outstanding.add(1).trunc(OB))).elseWhen(wordLast.and(sideInValid.not()), () => outstanding.set(outstanding.sub(1).trunc(OB)));
      });

      // ---- VPU ----
      const sd = side.outData;
      const zpW = 8;
      const sW = 6;
      const mW = 16;
      let lo = 0;
      const zp = sd.slice(lo + zpW - 1, lo).asSigned();
      lo += zpW;
      const sh = sd.slice(lo + sW - 1, lo);
      lo += sW;
      const mul = sd.slice(lo + mW - 1, lo);
      lo += mW;
      const addr = sd.slice(lo + AB - 1, lo);
      lo += AB;
      const tlast = sd.slice(lo, lo);
      const mode = sd.slice(lo + 1, lo + 1);
      const vpuIn: Record<string, Expr> = {
        in_valid: cuOutValid.and(side.outValid),
        in_addr: addr,
        in_mode: mode,
        in_m: mul,
        in_s: sh,
        in_zp: zp,
        in_last: tlast,
        out_ready: out.ready,
      };
      for (let j = 0; j < C; j++) vpuIn[`in_yd_${j}`] = c[`out0_y_${j}`];
      const v = m.instance(vpu, 'u_vpu', vpuIn);
      m.assign(vpuInReady, v.in_ready);
      m.assign(sidePop, cuOutValid.and(v.in_ready));
      m.sink(side.count);
      m.assign(out.valid, v.out_valid);
      for (let j = 0; j < C; j++) {
        m.assign(out.data[`y_${j}`], v[`out_y_${j}`]);
        m.assign(out.data[`yt_${j}`], v[`out_yt_${j}`]);
      }
      m.assign(out.data.last, v.out_last);
    },
    {
      doc: [
        `Ditto linear-layer engine: encoder (${L} lanes, K <= ${p.kMax}, ${p.xEntries}-entry x buffer) -> compute (1 row x ${C} PEs, ${p.stages} tree stage(s)) -> VPU (${C} lanes, ${p.entries}-entry Y buffer, ${p.act}).`,
        `One command stream 'in' (op 0: activation beat, op 1: weight beat); weights wait until no vector is in flight; ${p.sideDepth} vectors in flight at most.`,
        `Per-vector VPU controls (mode, addr, M, S, zp, tlast) are taken from the vector's last beat. Encoder FIFO words per beat <= ${encoderMaxWordsPerBeat(L)}.`,
      ].join('\n'),
      params: { lanes: L, cols: C, kMax: p.kMax, entries: p.entries, xEntries: p.xEntries, stages: p.stages, sideDepth: p.sideDepth, act: p.act },
    },
  );
}

export const dittoTopDesign = defineDesign({
  name: 'ditto',
  description: 'Ditto linear-layer engine: encoder -> 1-row compute unit -> VPU behind one weight/activation command stream (valid/ready)',
  params: topParams,
  check: checkTopParams,
  build: (p) => dittoTop(p),
});
