// Golden model of the CMC recovery RTL `cmc_recovery` (generator/blocks/cmc/recovery.ts), bit
// for bit: a buffer of B banks × D entries with a scatter write stream, an N-ITT copy stream and
// a read-out stream, processed in rounds of three phases.
//
//   wr    {entry, mask, d_0..d_{B−1}, last}  SCATTER: bank b ← d_b at `entry` where mask bit b is set
//   nitt  {i, j, last}                       RECOVER: every bank: entry i ← entry j
//   rd    {entry, last}                      READ:    emit {d_0..d_{B−1}, last} = entry `entry`
//   rdata {d_0..d_{B−1}, last}
// Phases run SCATTER → RECOVER → READ → SCATTER …; a phase accepts beats of its stream only and
// ends with the beat whose `last` is set. Within the block everything happens in stream order,
// whatever the timing. An empty phase is one harmless beat: a write with mask 0, a copy with
// i = j, (a read always produces a beat).
import type { RecoveryParams } from '../../../generator/spec/cmc/recovery.ts';

export type RecoveryConfig = Pick<RecoveryParams, 'banks' | 'entries' | 'dataBits' | 'signed'>;

export type StreamBeat = Record<string, number | bigint>;

export interface RecoveryStimulus {
  wr: StreamBeat[];
  nitt: StreamBeat[];
  rd: StreamBeat[];
}

export class RecoveryModelError extends Error {
  override readonly name = 'RecoveryModelError';
}

/**
 * The block as a stream. Reading a bank entry that was never written throws (the RTL would
 * return an undefined value). Stops where a phase's stream runs out before its `last` beat.
 */
export function recoveryStream(s: RecoveryStimulus, c: RecoveryConfig, initial?: (number | undefined)[][]): StreamBeat[] {
  const mem: (number | undefined)[][] = initial ? initial.map((b) => [...b]) : Array.from({ length: c.banks }, () => new Array<number | undefined>(c.entries).fill(undefined));
  const out: StreamBeat[] = [];
  const pos = { wr: 0, nitt: 0, rd: 0 };
  const addr = (v: number | bigint, what: string) => {
    const a = Number(v);
    if (!Number.isInteger(a) || a < 0 || a >= c.entries) throw new RecoveryModelError(`${what} = ${a} outside 0..${c.entries - 1}`);
    return a;
  };
  for (;;) {
    // SCATTER
    for (;;) {
      const b = s.wr[pos.wr];
      if (!b) return out;
      pos.wr++;
      const e = addr(b.entry, 'wr.entry');
      const mask = Number(b.mask);
      for (let k = 0; k < c.banks; k++) if ((mask >> k) & 1) mem[k][e] = Number(b[`d_${k}`]);
      if (Number(b.last)) break;
    }
    // RECOVER
    for (;;) {
      const b = s.nitt[pos.nitt];
      if (!b) return out;
      pos.nitt++;
      const i = addr(b.i, 'nitt.i');
      const j = addr(b.j, 'nitt.j');
      for (let k = 0; k < c.banks; k++) mem[k][i] = mem[k][j];
      if (Number(b.last)) break;
    }
    // READ
    for (;;) {
      const b = s.rd[pos.rd];
      if (!b) return out;
      pos.rd++;
      const e = addr(b.entry, 'rd.entry');
      const beat: StreamBeat = {};
      for (let k = 0; k < c.banks; k++) {
        const v = mem[k][e];
        if (v === undefined) throw new RecoveryModelError(`read of bank ${k} entry ${e}, never written`);
        beat[`d_${k}`] = v;
      }
      beat.last = Number(b.last) ? 1 : 0;
      out.push(beat);
      if (Number(b.last)) break;
    }
  }
}
