// Ditto linear-layer engine (SPEC §1.3–§1.5): R rows of encoder → PE row, one VPU, behind a
// command stream and a weight stream, so a host can run whole layers, tile by tile, step after
// step, in one simulation, with R vectors in flight and each column tile's weight load
// overlapping the previous tile's compute.
//
// DATAFLOW (module `ditto_top`; children `ditto_top_encoder` × R, `ditto_top_compute` with R
// rows and two weight banks, `ditto_top_vpu` with P = C lanes and `tables` loadable tables):
//
//   w  ────────▶ compute.w (weight beat: W[k][0..C−1] of a column tile, into bank `wbank`)
//   in ─op=1──▶ config registers {M, S, zp, tsel}  |  a table entry ─▶ side FIFO (in order)
//      └op=0──▶ act register ──row r──▶ row FIFO ──▶ encoder r ──words──▶ compute.in<r> ──C × int32──▶ VPU ──▶ out
//          │          ▲ x_{t+1} = xbuf[xaddr] (synchronous read at acceptance, 0 in original mode)
//          └─▶ xbuf[xaddr] <= x_t (all R rows of the beat)
//
// Ports (R = rows, L = lanes, C = cols, KB = max(1, clog2 kMax), AB = max(1, clog2(entries/C)),
// XB = max(1, clog2 xEntries), TB = max(1, clog2 tables)):
//   in  : op (0 = activation, 1 = configuration)
//         activation beat: xt_<r>_<j> (s8 x_t, row r < R, lane j < L), en (uR: the rows that
//           carry a vector in this group), keep (uL, the same for every row: a group's vectors
//           have the same K), last (the group's vectors end), mode (0 = difference,
//           1 = original), xaddr (uXB: the beat's x-buffer entry), kbase (uKB: the weight row
//           of the group's k = 0 in its bank: slot index k reads row kbase + k; the same on
//           every beat of a group, kbase + K ≤ kMax); read on the group's last beat only: tlast
//           (the group ends the tiles of the current weight load: its last output carries
//           `last`, and the next group uses the other weight bank), addr (uAB: row r's vector
//           is Y-buffer beat address addr + r; output column j is Y-buffer entry (addr + r)·C + j)
//         configuration beat: cfg = 0: m (u16), s (u6), zp (s8), tsel (uTB) — the requantiser
//           of §1.5 and the activation table of the groups accepted after it; cfg = 1: table
//           entry tsel/ti (u8: the code & 255) ← tv (s8)
//   w   : k (uKB), d_0..d_{C-1} (s8: W[k][tile column j]), last (the load's final beat)
//   out : y_0..y_{C-1} (s8: act(requant(Y_t))), yt_0..yt_{C-1} (s32: Y_t), last
// One output beat per vector, in input order: group after group, row 0 first within a group.
//
// GROUPS. An activation beat carries one beat for each row r with en[r] = 1; the rows' vectors
// of a group travel together through the command stream (R tokens of a tile) and split at the
// act register into R row FIFOs of `rowFifo` beats ({x_t, x_{t+1}, keep, last, mode};
// common/fifo.ts, a synchronous memory: macro-ready), which all take the beat in the same cycle,
// one in front of each row's encoder. An encoder's output is one word per cycle, as its PE row
// takes them, so a row whose vectors need more words than beats falls behind the ingest; the
// FIFOs let the rows drift apart by up to rowFifo beats, and a group waits only when one row is
// that far behind: over a tile the rows' word counts cost about what the slowest row needs,
// not the sum over groups of each group's slowest row (SPEC §1.4's bound is the former). A
// beat with en = 0 carries no vector (its x_t is stored all the same).
//
// X BUFFER (SPEC §1.3, §1.6: the engine keeps x_{t+1}, the host sends x_t only). One 1W1R
// memory `xbuf` of xEntries words × 8·L·R bits (row r lane j in bits 8(rL+j)+7..8(rL+j)). An
// accepted activation beat reads xbuf[xaddr] (registered, read-first: the previous step's
// values) and writes its x_t there at the same edge, in both modes, so an original-mode step
// also stores x_t. The beat waits one cycle in the act register for the read; each encoder's
// x_{t+1} is the read data, forced to 0 unless the act register holds a difference-mode beat
// (never-written entries cannot reach the outputs in original mode). The host gives every
// activation beat that must see its own previous-step values a fixed entry, e.g. one per
// (layer, column tile, group, beat).
//
// WEIGHT BANKS. The i-th weight load (w beats up to `last`) fills bank i mod 2 and the i-th
// "tile" (groups up to the one with tlast) reads it. Per bank a flag `full`: set by the load's
// last beat, cleared when the tile's tlast group is accepted. A weight beat waits while its
// bank is full or any row still holds a vector of it (per row and bank, a count of vectors,
// counted at their group's last beat and uncounted at their last word); an activation beat
// waits while the current tile's bank (`abank`) is not full. So a load overlaps the previous
// tile's compute and never changes a vector in flight, and the weight stream needs no ordering
// against the command stream. A row holds vectors of at most two loads (a bank is reloaded only
// after its tile's vectors are gone); its words read the bank of its oldest vector (`older`
// when it holds both banks, else the one it holds, else abank: the vector being ingested).
// PACKED TILES. A load may hold several column tiles of a layer one after another, tile j at
// rows j·K .. j·K + K − 1 (packed by K: a short layer loads all its tiles at once, so the next
// layer's long load overlaps all of them instead of one); tile j's groups carry kbase j·K and
// only the last tile's last group has tlast. Per row, a FIFO of sideDepth kbase registers
// holds the kbase of each counted vector (pushed with the count, popped at the vector's last
// word); the row's words add the oldest one's (holding none: act_kbase, that of the group
// being ingested) to their slots' k.
//
// CONFIGURATION. cfg = 0 beats set registers that are copied into the side-FIFO entry of every
// group accepted after them (they never change a vector in flight and cost one command cycle);
// cfg = 1 beats write one entry of a VPU table, in order with the vectors (they travel through
// the side FIFO and the VPU's pipeline as a table-write beat: vectors before it read the old
// entry, vectors after it the new one).
//
// SIDE FIFO. One entry per group (op 0: {mode, tlast, addr, en, M, S, zp, tsel}) or table write
// (op 1: {tsel, ti, tv}), `sideDepth` deep, pushed at the command's acceptance and popped when
// the VPU takes the group's last vector (or the table write); activation last beats and table
// writes wait while it is full. The VPU takes the head group's rows in order (the lowest row
// of en not yet taken), which keeps the output in input order.
//
// TIMING (sim/cycles/ditto/top.ts models every acceptance and output cycle exactly). Free
// running, a row's vector leaves 1 + encStages + 1 + F + stages + 2 + VPU_LATENCY cycles after its
// group's last beat is accepted (act register, the row FIFO: F = 1 if rowFifo > 0, encoder
// pipeline and output FIFO, compute, VPU = 6).
// Throughput: one command beat and one weight beat per cycle; each row takes one encoder word
// per cycle, so a group costs about max over its rows of max(words, ceil(K/L)) cycles, and a
// tile's K weight beats cost nothing while the previous tile takes at least K cycles.
import { type Expr, type HwType, addrBits, bit, cat, clog2, module, mux, sint, uint } from '../../dsl/index.ts';
import { defineDesign } from '../../designs/registry.ts';
import { fifoOfFields, ringNext } from '../common/fifo.ts';
import { pick } from '../common/pick.ts';
import { dittoEncoder } from './encoder.ts';
import { encoderIndexBits } from '../../spec/ditto/encoder.ts';
import { dittoCompute } from './compute.ts';
import { dittoVpu } from './vpu.ts';
import { VPU_RQ_STAGES } from '../../spec/ditto/vpu.ts';
import { topParams, type TopParams, topXAddrBits, topAddrBits, topTableBits, checkTopParams } from '../../spec/ditto/top.ts';

export function dittoTop(p: TopParams, name = p.top) {
  const R = p.rows;
  const L = p.lanes;
  const C = p.cols;
  const KB = encoderIndexBits(p.kMax);
  const AB = topAddrBits(p);
  const XB = topXAddrBits(p);
  const TB = topTableBits(p);
  const NB = clog2(p.sideDepth + 1);
  const rowsOf = <T>(f: (r: number) => T): T[] => Array.from({ length: R }, (_, r) => f(r));

  const enc = dittoEncoder({ top: `${name}_encoder`, lanes: L, kMax: p.kMax, depth: p.encDepth, stages: p.encStages });
  const cu = dittoCompute({ top: `${name}_compute`, rows: R, cols: C, kMax: p.kMax, wGroup: 0, stages: p.stages, banks: 2 });
  const vpu = dittoVpu({ top: `${name}_vpu`, lanes: C, entries: p.entries, rqStages: VPU_RQ_STAGES, tables: p.tables, act: 'identity', actInScale: 1024, actOutScale: 1024, actInZero: 0, actOutZero: 0 });

  return module(
    name,
    (m) => {
      const inFields: Record<string, HwType> = { op: bit() };
      for (let r = 0; r < R; r++) for (let j = 0; j < L; j++) inFields[`xt_${r}_${j}`] = sint(8);
      Object.assign(inFields, { en: uint(R), keep: uint(L), last: bit(), mode: bit(), xaddr: uint(XB), kbase: uint(KB), tlast: bit(), addr: uint(AB) });
      Object.assign(inFields, { cfg: bit(), m: uint(16), s: uint(6), zp: sint(8), tsel: uint(TB), ti: uint(8), tv: sint(8) });
      const inp = m.inStream('in', inFields);
      const wFields: Record<string, HwType> = { k: uint(KB) };
      for (let j = 0; j < C; j++) wFields[`d_${j}`] = sint(8);
      wFields.last = bit();
      const wIn = m.inStream('w', wFields);
      const outFields: Record<string, HwType> = {};
      for (let j = 0; j < C; j++) outFields[`y_${j}`] = sint(8);
      for (let j = 0; j < C; j++) outFields[`yt_${j}`] = sint(32);
      outFields.last = bit();
      const out = m.outStream('out', outFields);
      const d = inp.data;
      // the beat's x_t, row r lane j in bits 8(rL + j) + 7 .. 8(rL + j)
      const xtWord = m.wire('xt_word', cat(...rowsOf((r) => R - 1 - r).flatMap((r) => Array.from({ length: L }, (_, j) => d[`xt_${r}_${L - 1 - j}`].asUnsigned()))));

      // wires driven after the children exist
      const encReady = rowsOf((r) => m.wire(`enc${r}_in_ready`, bit()));
      // row r takes the act register's beat: its beat FIFO is not full (or, without one, its encoder is ready)
      const rowReady = rowsOf((r) => m.wire(`row${r}_in_ready`, bit()));
      const encOutReady = rowsOf((r) => m.wire(`enc${r}_out_ready`, bit()));
      const vpuInReady = m.wire('vpu_in_ready', bit());

      // ---- configuration registers ----
      const cfgM = m.reg('cfg_m', uint(16), { reset: 0 });
      const cfgS = m.reg('cfg_s', uint(6), { reset: 0 });
      const cfgZp = m.reg('cfg_zp', sint(8), { reset: 0 });
      const cfgTsel = m.reg('cfg_tsel', uint(TB), { reset: 0 });

      // ---- act register: the accepted activation beat, one cycle, while xbuf is read ----
      const aValid = m.reg('act_valid', bit(), { reset: 0 });
      const aXt = m.reg('act_xt', uint(8 * L * R));
      const aEn = m.reg('act_en', uint(R));
      const aKeep = m.reg('act_keep', uint(L));
      const aLast = m.reg('act_last', bit());
      const aMode = m.reg('act_mode', bit());
      // the kbase of the group being ingested (the words of a row that holds no counted vector)
      const aKbase = m.reg('act_kbase', uint(KB), { reset: 0 });
      const allReady = m.wire('rows_ready', rowsOf((r) => rowReady[r].or(aEn.bit(r).not())).reduce((a, b) => a.and(b)));
      const aFire = m.wire('act_fire', aValid.and(allReady));
      const aFree = m.wire('act_free', aValid.not().or(aFire));

      // ---- side FIFO: one entry per group or table write ----
      const sideIn = m.wire('side_in_valid', bit());
      const sidePop = m.wire('side_pop', bit());
      const sideFields = { op: d.op, mode: d.mode, tlast: d.tlast, addr: d.addr, en: d.en, m: cfgM, s: cfgS, zp: cfgZp, tsel: mux(d.op, d.tsel, cfgTsel), ti: d.ti, tv: d.tv };
      const side = fifoOfFields(m, 'side', { depth: p.sideDepth, inValid: sideIn, inFields: sideFields, outReady: sidePop });
      const sideOut = side.out;

      // ---- weight banks ----
      const wbank = m.reg('wbank', bit(), { reset: 0 });
      const abank = m.reg('abank', bit(), { reset: 0 });
      const full = [0, 1].map((b) => m.reg(`bank${b}_full`, bit(), { reset: 0 }));
      // per row and bank: the vectors counted at their group's last beat, not yet taken
      const pending = rowsOf((r) => [0, 1].map((b) => m.reg(`row${r}_bank${b}_vectors`, uint(NB), { reset: 0 })));
      const wbankFull = m.wire('wbank_full', mux(wbank, full[1], full[0]));
      const wbankHeld = m.wire('wbank_held', rowsOf((r) => mux(wbank, pending[r][1], pending[r][0]).ne(0)).reduce((a, b) => a.or(b)));
      const wGo = m.wire('w_go', wbankFull.or(wbankHeld).not());
      m.assign(wIn.ready, wGo);
      const wAccept = m.wire('w_accept', wIn.valid.and(wGo));
      const abankFull = m.wire('abank_full', mux(abank, full[1], full[0]));

      const groupLast = m.wire('group_last', d.last.and(d.en.ne(0)));
      const tileEnd = m.wire('tile_end', d.last.and(d.tlast));
      const actGo = m.wire('act_go', aFree.and(abankFull).and(groupLast.not().or(side.inReady)));
      const cfgGo = m.wire('cfg_go', d.cfg.not().or(side.inReady));
      m.assign(inp.ready, mux(d.op, cfgGo, actGo));
      const actAccept = m.wire('act_accept', inp.valid.and(d.op.not()).and(actGo));
      const cfgAccept = m.wire('cfg_accept', inp.valid.and(d.op).and(cfgGo));
      m.assign(sideIn, actAccept.and(groupLast).or(cfgAccept.and(d.cfg)));
      const tileClose = m.wire('tile_close', actAccept.and(tileEnd));
      m.sync(() => {
        m.when(cfgAccept.and(d.cfg.not()), () => {
          cfgM.set(d.m);
          cfgS.set(d.s);
          cfgZp.set(d.zp);
          cfgTsel.set(d.tsel);
        });
        m.when(wAccept.and(wIn.data.last), () => wbank.set(wbank.not()));
        m.when(tileClose, () => abank.set(abank.not()));
        // a load's last beat fills its bank; the tile's tlast group empties the tile's bank
        for (const b of [0, 1]) {
          m.when(wAccept.and(wIn.data.last).and(wbank.eq(b)), () => full[b].set(1)).elseWhen(tileClose.and(abank.eq(b)), () => full[b].set(0));
        }
        m.when(actAccept, () => aValid.set(1)).elseWhen(aFire, () => aValid.set(0));
        m.when(actAccept, () => {
          aXt.set(xtWord);
          aEn.set(d.en);
          aKeep.set(d.keep);
          aLast.set(d.last);
          aMode.set(d.mode);
          aKbase.set(d.kbase);
        });
      });

      // ---- x buffer: read x_{t+1} and write x_t at the beat's acceptance ----
      const xbuf = m.memory('xbuf', { depth: p.xEntries, type: uint(8 * L * R) });
      const xpRead = m.reg('xbuf_rd_data', uint(8 * L * R));
      m.sync(() => {
        m.when(actAccept, () => xbuf.write(d.xaddr, xtWord));
        m.when(actAccept, () => xpRead.set(xbuf.read(d.xaddr)));
      });
      const xpWord = m.wire('xp_word', mux(aValid.and(aMode.not()), xpRead, m.const(uint(8 * L * R), 0)));

      // ---- per row: a FIFO of beats (rowFifo > 0), then the row's encoder ----
      const encs = rowsOf((r) => {
        const row = (word: Expr) => word.slice(8 * L * (r + 1) - 1, 8 * L * r);
        const beat: Record<string, Expr> = { xt: row(aXt), xp: row(xpWord), keep: aKeep, last: aLast, mode: aMode };
        const push = aValid.and(aEn.bit(r)).and(allReady);
        let valid: Expr = push;
        let b = beat;
        if (p.rowFifo > 0) {
          const q = fifoOfFields(m, `row${r}_beats`, { depth: p.rowFifo, inValid: push, inFields: beat, outReady: encReady[r] });
          m.assign(rowReady[r], q.inReady);
          m.sink(q.count);
          valid = q.outValid;
          b = q.out;
        } else m.assign(rowReady[r], encReady[r]);
        const encIn: Record<string, Expr> = { in_valid: valid, in_keep: b.keep, in_last: b.last, in_mode: b.mode, out_ready: encOutReady[r] };
        for (let j = 0; j < L; j++) {
          encIn[`in_xt_${j}`] = b.xt.slice(8 * j + 7, 8 * j).asSigned();
          encIn[`in_xp_${j}`] = b.xp.slice(8 * j + 7, 8 * j).asSigned();
        }
        const e = m.instance(enc, `u_encoder${r}`, encIn);
        m.assign(encReady[r], e.in_ready);
        m.sink(e.out_nzero);
        m.sink(e.out_nlow);
        m.sink(e.out_nfull);
        return e;
      });

      // ---- per row: the bank its words read ----
      const rowBank = rowsOf((r) => {
        const holds = [0, 1].map((b) => m.wire(`row${r}_holds${b}`, pending[r][b].ne(0)));
        const older = m.reg(`row${r}_older`, bit(), { reset: 0 });
        const push = actAccept.and(groupLast).and(d.en.bit(r));
        m.sync(() => m.when(push.and(mux(abank, holds[0], holds[1])), () => older.set(abank.not())));
        return m.wire(`row${r}_bank`, mux(holds[0].and(holds[1]), older, mux(holds[0], m.const(bit(), 0), mux(holds[1], m.const(bit(), 1), abank))));
      });

      // ---- per row: the kbase of its counted vectors, oldest first ----
      // (sideDepth registers, not a common/fifo: its memory would be a macro of 8 x 10 bits; the
      // row's vector counts are its occupancy, so the queue keeps no count of its own)
      const kbaseQueues = rowsOf((r) => {
        const PB = addrBits(p.sideDepth);
        const slots = Array.from({ length: p.sideDepth }, (_, i) => m.reg(`row${r}_kbase_q${i}`, uint(KB)));
        const wr = m.reg(`row${r}_kbase_wr`, uint(PB), { reset: 0 });
        const rd = m.reg(`row${r}_kbase_rd`, uint(PB), { reset: 0 });
        const push = actAccept.and(groupLast).and(d.en.bit(r));
        m.sync(() =>
          m.when(push, () => {
            wr.set(ringNext(m, wr, p.sideDepth));
            slots.forEach((q, i) => m.when(wr.eq(i), () => q.set(d.kbase)));
          }),
        );
        const holdsAny = pending[r][0].ne(0).or(pending[r][1].ne(0));
        return { rd, kbase: m.wire(`row${r}_kbase`, mux(holdsAny, pick(slots, rd), aKbase)) };
      });

      // ---- VPU input selection: the head group's lowest row not yet taken ----
      const taken = m.reg('side_rows_taken', uint(R), { reset: 0 });
      const want = m.wire('side_rows_left', sideOut.en.and(taken.not()));
      const sel = rowsOf((r) => m.wire(`sel${r}`, r === 0 ? want.bit(0) : want.bit(r).and(want.slice(r - 1, 0).eq(0))));
      const selMask = m.wire('sel_mask', cat(...sel.slice().reverse()));
      const groupDone = m.wire('sel_is_group_last', want.and(selMask.not()).eq(0));
      const isTableWrite = sideOut.op;

      // ---- compute unit: R rows, two weight banks ----
      const cuIn: Record<string, Expr> = { w_valid: wAccept, w_k: wIn.data.k, w_g: m.const(uint(1), 0), w_b: wbank, w_last: wIn.data.last };
      for (let j = 0; j < C; j++) cuIn[`w_d_${j}`] = wIn.data[`d_${j}`];
      encs.forEach((e, r) => {
        cuIn[`in${r}_valid`] = e.out_valid;
        cuIn[`in${r}_last`] = e.out_last;
        cuIn[`in${r}_b`] = rowBank[r];
        for (let i = 0; i < 4; i++) for (const f of ['v', 's', 'n', 'h']) cuIn[`in${r}_${f}${i}`] = e[`out_${f}${i}`];
        // a word's weight rows: its vector's kbase + the slots' k
        for (let i = 0; i < 4; i++) cuIn[`in${r}_k${i}`] = m.wire(`row${r}_k${i}`, e[`out_k${i}`].add(kbaseQueues[r].kbase).trunc(KB));
        cuIn[`out${r}_ready`] = vpuInReady.and(side.outValid).and(isTableWrite.not()).and(sel[r]);
      });
      const c = m.instance(cu, 'u_compute', cuIn);
      m.sink(c.w_ready);
      encs.forEach((e, r) => {
        m.assign(encOutReady[r], c[`in${r}_ready`]);
        const lastWord = m.wire(`row${r}_last_word`, e.out_valid.and(c[`in${r}_ready`]).and(e.out_last));
        const push = actAccept.and(groupLast).and(d.en.bit(r));
        m.sync(() => m.when(lastWord, () => kbaseQueues[r].rd.set(ringNext(m, kbaseQueues[r].rd, p.sideDepth))));
        m.sync(() => {
          for (const b of [0, 1]) {
            const inc = push.and(abank.eq(b));
            const dec = lastWord.and(rowBank[r].eq(b));
            const n = pending[r][b];
            m.when(inc.and(dec.not()), () => n.set(n.add(1).trunc(NB))).elseWhen(dec.and(inc.not()), () => n.set(n.sub(1).trunc(NB)));
          }
        });
      });
      const rowValid = m.wire('sel_row_valid', rowsOf((r) => sel[r].and(c[`out${r}_valid`])).reduce((a, b) => a.or(b)));

      // ---- VPU ----
      const vpuValid = m.wire('vpu_in_valid', side.outValid.and(isTableWrite.or(rowValid)));
      const vpuAccept = m.wire('vpu_accept', vpuValid.and(vpuInReady));
      m.assign(sidePop, vpuAccept.and(isTableWrite.or(groupDone)));
      m.sync(() => m.when(sidePop, () => taken.set(0)).elseWhen(vpuAccept, () => taken.set(taken.or(selMask))));
      const selIndex = m.wire('sel_index', rowsOf((r) => mux(sel[r], m.const(uint(AB), r), m.const(uint(AB), 0))).reduce((a, b) => a.or(b)));
      const vpuIn: Record<string, Expr> = {
        in_valid: vpuValid,
        in_op: isTableWrite,
        in_addr: sideOut.addr.add(selIndex).trunc(AB),
        in_mode: sideOut.mode,
        in_m: sideOut.m,
        in_s: sideOut.s,
        in_zp: sideOut.zp,
        in_tsel: sideOut.tsel,
        in_ti: sideOut.ti,
        in_tv: sideOut.tv,
        in_last: sideOut.tlast.and(groupDone),
        out_ready: out.ready,
      };
      for (let j = 0; j < C; j++) vpuIn[`in_yd_${j}`] = rowsOf((r) => mux(sel[r], c[`out${r}_y_${j}`], m.const(sint(32), 0))).reduce((a, b) => a.or(b));
      const v = m.instance(vpu, 'u_vpu', vpuIn);
      m.assign(vpuInReady, v.in_ready);
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
        `Ditto linear-layer engine: ${R} row(s) of encoder (${L} lanes, ${p.encStages} stage(s)) -> compute row (${C} PEs, ${p.stages} tree stage(s)), weights double-buffered (2 x ${p.kMax} deep), ${p.xEntries}-entry x buffer -> VPU (${C} lanes, ${p.entries}-entry Y buffer, ${p.tables} loadable table(s)).`,
        `Command stream 'in' (op 0: activation beat of up to ${R} rows, op 1: configuration) and weight stream 'w' (column tiles into alternate banks); ${p.sideDepth} groups or table writes in flight at most.`,
        `Requantiser and table select are registered configuration, copied into each group as it is accepted; table writes travel in order with the vectors.`,
      ].join('\n'),
      params: { rows: R, lanes: L, cols: C, kMax: p.kMax, entries: p.entries, xEntries: p.xEntries, stages: p.stages, encStages: p.encStages, encDepth: p.encDepth, rowFifo: p.rowFifo, sideDepth: p.sideDepth, tables: p.tables },
    },
  );
}

export const dittoTopDesign = defineDesign({
  name: 'ditto',
  description: 'Ditto linear-layer engine: R encoders -> R x C compute unit (double-buffered weights) -> VPU behind an activation/configuration stream and a weight stream (valid/ready)',
  params: topParams,
  check: checkTopParams,
  build: (p) => dittoTop(p),
});
