// CMC recovery (SPEC §2.4): a banked output buffer with the scatter write port (column j of
// streamed row i → bank j, entry i), the recovery copy (for each N-ITT entry (i, j*): read entry
// j* of every bank, write it to entry i; pipelined, one entry per cycle) and a read-out port.
// Golden model: sim/golden/cmc/recovery.ts; cycle model: sim/cycles/cmc/recovery.ts; parameters:
// generator/spec/cmc/recovery.ts.
//
// Ports (module `cmc_recovery`; B = banks, AW = addrBits(entries), DT = s/u[dataBits]):
//   wr    in  : entry (u[AW]), mask (u[B]), d_0..d_{B−1} (DT), last — scatter: bank b ← d_b at
//               `entry` for each set mask bit (a whole computed row in one beat, or part of it)
//   nitt  in  : i (u[AW]), j (u[AW]), last — recovery copy: every bank, entry i ← entry j
//   rd    in  : entry (u[AW]), last — read-out request
//   rdata out : d_0..d_{B−1} (DT), last (the request's `last`) — the whole entry
// Entries are buffer addresses: the address generation (the scatter manager / prediction
// controller) maps a row (t, i) to an entry, e.g. t·N + i, and j* of the reference matrix to
// t_ref·N + j*. Addresses ≥ entries (a depth that is not a power of two) must not be used.
// PHASES: the block runs SCATTER (accepts `wr` only) → RECOVER (`nitt` only) → READ (`rd` only)
// → SCATTER …, each phase ending with its stream's beat that has `last`; the other streams wait
// (ready low). So the result never depends on timing: copies see every write of the round,
// reads see every copy. An empty phase is one harmless beat: a write with mask 0, a copy with
// i = j.
// Memory: one DSL memory per bank (1R1W: one write port, one read port, read registered —
// block-RAM style, read-first). Two-stage pipeline:
//   stage 1 (the cycle a beat is accepted): the read port reads the copy source j (RECOVER) or
//     the read-out entry (READ) into the bank's read register;
//   stage 2 (the next cycle): the write port writes the scatter data (mask) or the copy data
//     (all banks) to its entry; a read-out beat is offered on `rdata`.
// HAZARD (read after write, distance 1): an operation whose stage-1 read hits the entry that
// the previous operation writes in stage 2 in the same cycle would get the old data from the
// read-first memory. It is FORWARDED, per bank: the bank's write data and a hit flag
// (write enable && same entry) are registered beside the read register, and stage 2 takes the
// forwarded word on a hit. This covers a copy whose source j* was written by the scatter write
// or by the recovery copy just before (references never chain per SPEC §2.3, but the block is
// correct anyway, and back-to-back copies never stall), and a read-out right after the last
// copy. Distance 2 and more need nothing (the write has landed).
// Backpressure: advance = !(stage 2 holds a read-out beat && !rdata_ready); stage 1 and the
// read registers hold while it is low (stage 2 then holds a read, which writes nothing).
// Latency: a copy accepted in cycle c is written at the edge ending cycle c + 1; a read-out
// accepted in cycle c is offered on rdata from cycle c + 1. Throughput: one beat per cycle.
import { type Signal, bit, module, mux, sint, uint } from '../../dsl/index.ts';
import { type RecoveryParams, recoveryEntryBits, recoveryParams } from '../../spec/cmc/recovery.ts';
import { defineDesign } from '../../designs/registry.ts';

export const PHASE_SCATTER = 0;
export const PHASE_RECOVER = 1;
export const PHASE_READ = 2;

export function cmcRecovery(p: RecoveryParams, name = p.top) {
  const B = p.banks;
  const AW = recoveryEntryBits(p);
  const DT = p.signed ? sint(p.dataBits) : uint(p.dataBits);
  return module(
    name,
    (m) => {
      const wrFields: Record<string, ReturnType<typeof uint>> = { entry: uint(AW), mask: uint(B) };
      for (let b = 0; b < B; b++) wrFields[`d_${b}`] = DT;
      wrFields.last = bit();
      const wr = m.inStream('wr', wrFields);
      const nitt = m.inStream('nitt', { i: uint(AW), j: uint(AW), last: bit() });
      const rd = m.inStream('rd', { entry: uint(AW), last: bit() });
      const rdFields: Record<string, ReturnType<typeof uint>> = {};
      for (let b = 0; b < B; b++) rdFields[`d_${b}`] = DT;
      rdFields.last = bit();
      const rdata = m.outStream('rdata', rdFields);

      const phase = m.reg('phase', uint(2), { reset: PHASE_SCATTER });
      const inScatter = m.wire('in_scatter', phase.eq(PHASE_SCATTER));
      const inRecover = m.wire('in_recover', phase.eq(PHASE_RECOVER));
      const inRead = m.wire('in_read', phase.eq(PHASE_READ));

      // stage 2 registers
      const s2Valid = m.reg('s2_valid', bit(), { reset: 0 });
      const s2Wr = m.reg('s2_wr', bit());
      const s2Copy = m.reg('s2_copy', bit());
      const s2Read = m.reg('s2_read', bit());
      const s2Addr = m.reg('s2_addr', uint(AW));
      const s2Mask = m.reg('s2_mask', uint(B));
      const s2Last = m.reg('s2_last', bit());
      const s2Data: Signal[] = Array.from({ length: B }, (_, b) => m.reg(`s2_d${b}`, DT));

      const outValid = m.wire('out_valid', s2Valid.and(s2Read));
      const advance = m.wire('advance', outValid.and(rdata.ready.not()).not());
      m.assign(wr.ready, advance.and(inScatter));
      m.assign(nitt.ready, advance.and(inRecover));
      m.assign(rd.ready, advance.and(inRead));
      const fireWr = m.wire('fire_wr', wr.valid.and(advance).and(inScatter));
      const fireCopy = m.wire('fire_copy', nitt.valid.and(advance).and(inRecover));
      const fireRd = m.wire('fire_rd', rd.valid.and(advance).and(inRead));

      // phase sequencing
      m.sync(() =>
        m
          .when(fireWr.and(wr.data.last), () => phase.set(PHASE_RECOVER))
          .elseWhen(fireCopy.and(nitt.data.last), () => phase.set(PHASE_READ))
          .elseWhen(fireRd.and(rd.data.last), () => phase.set(PHASE_SCATTER)),
      );

      // stage 1 → stage 2
      m.sync(() =>
        m.when(advance, () => {
          s2Valid.set(fireWr.or(fireCopy).or(fireRd));
          s2Wr.set(fireWr);
          s2Copy.set(fireCopy);
          s2Read.set(fireRd);
          s2Addr.set(mux(inScatter, wr.data.entry, nitt.data.i));
          s2Mask.set(wr.data.mask);
          s2Last.set(rd.data.last);
          s2Data.forEach((r, b) => r.set(wr.data[`d_${b}`]));
        }),
      );

      // the stage-1 read address: the copy source (RECOVER) or the read-out entry (otherwise)
      const rdAddr = m.wire('rd_addr', mux(inRecover, nitt.data.j, rd.data.entry));

      for (let b = 0; b < B; b++) {
        const mem = m.memory(`bank${b}`, { depth: p.entries, type: DT });
        const raw = m.reg(`bank${b}_rd`, DT);
        const hit = m.reg(`bank${b}_fwd_hit`, bit());
        const fwd = m.reg(`bank${b}_fwd_data`, DT);
        // stage 2 of bank b: the word read (or forwarded) in stage 1, and this cycle's write
        const word = m.wire(`bank${b}_word`, mux(hit, fwd, raw));
        const we = m.wire(`bank${b}_we`, s2Valid.and(s2Wr.and(s2Mask.bit(b)).or(s2Copy)));
        const wdata = m.wire(`bank${b}_wdata`, mux(s2Wr, s2Data[b], word));
        m.sync(() => m.when(we, () => mem.write(s2Addr, wdata)));
        m.sync(() =>
          m.when(advance, () => {
            raw.set(mem.read(rdAddr));
            hit.set(we.and(s2Addr.eq(rdAddr)));
            fwd.set(wdata);
          }),
        );
        m.assign(rdata.data[`d_${b}`], word);
      }
      m.assign(rdata.valid, outValid);
      m.assign(rdata.data.last, s2Last);
    },
    {
      doc: [
        `CMC recovery buffer: ${B} bank(s) x ${p.entries} entries x ${p.signed ? 's' : 'u'}${p.dataBits} (DSL memory per bank, 1R1W, registered read).`,
        'Phases SCATTER (wr) -> RECOVER (nitt: entry i <- entry j, all banks) -> READ (rd -> rdata), each ended by a beat with last.',
        'Pipelined: read in the accept cycle, write in the next; distance-1 read-after-write hazards are forwarded. One beat per cycle; read-out latency 1.',
      ].join('\n'),
      params: { banks: B, entries: p.entries, dataBits: p.dataBits, signed: p.signed },
    },
  );
}

export const cmcRecoveryDesign = defineDesign({
  name: 'cmc.recovery',
  description: 'CMC recovery: banked buffer with scatter writes, pipelined N-ITT entry copies (forwarded hazards), read-out (valid/ready)',
  params: recoveryParams,
  check() {
    // No rules across parameters: every bank count, depth and width in range is valid.
  },
  build: (p) => cmcRecovery(p),
});
