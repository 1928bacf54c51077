// Cycle model of the CMC recovery RTL (generator/blocks/cmc/recovery.ts), exact for any idle
// pattern of the three input streams and any stall pattern of `rdata`. Per cycle c:
//   out_valid = stage 2 holds a read-out;  advance = !(out_valid && !rdata_ready)
//   the phase's stream (SCATTER wr, RECOVER nitt, READ rd) is ready iff advance; the others
//   are not ready; a beat with `last` moves the phase on (wr → nitt → rd → wr)
//   on advance stage 2 ← the accepted beat (or a bubble); a read-out leaves when out_valid &&
//   rdata_ready
// Offering follows the cosim harness, per stream independently: a beat is offered from the
// first non-idle cycle after the previous beat of that stream was accepted.
// Free running with the output always ready: one beat per cycle in phase order, so the cycles
// are (total beats) + 1 (the last read-out leaves one cycle after its request).

export interface RecoveryCycleInput {
  /** `last` flag of each beat, per stream */
  wr: readonly boolean[];
  nitt: readonly boolean[];
  rd: readonly boolean[];
}

export interface RecoveryCycleResult {
  accepted: { wr: number[]; nitt: number[]; rd: number[] };
  emitted: number[];
  cycles: number;
}

type StreamName = 'wr' | 'nitt' | 'rd';
const ORDER: StreamName[] = ['wr', 'nitt', 'rd'];

export function recoveryCycles(
  s: RecoveryCycleInput,
  idle: Partial<Record<StreamName, (c: number) => boolean>> = {},
  stall: (c: number) => boolean = () => false,
  maxCycles = 50_000_000,
): RecoveryCycleResult {
  const accepted = { wr: [] as number[], nitt: [] as number[], rd: [] as number[] };
  const emitted: number[] = [];
  const next = { wr: 0, nitt: 0, rd: 0 };
  const offering = { wr: false, nitt: false, rd: false };
  let phase = 0;
  let s2Read = false;
  // every beat must be reachable (whole rounds): a stream left with beats the phases never
  // reach would stall the harness too
  const expectedReads = s.rd.length;
  if (reachableReads(s) !== expectedReads) throw new RangeError('recoveryCycles: the phases never reach some read-out beats (incomplete rounds)');
  for (let c = 0; c < maxCycles; c++) {
    if (ORDER.every((n) => next[n] >= s[n].length) && emitted.length === expectedReads) return { accepted, emitted, cycles: c };
    for (const n of ORDER) if (!offering[n] && next[n] < s[n].length && !(idle[n]?.(c) ?? false)) offering[n] = true;
    const ready = !stall(c);
    const advance: boolean = !(s2Read && !ready);
    if (s2Read && ready) emitted.push(c);
    const cur = ORDER[phase];
    const fire: boolean = offering[cur] && advance;
    if (advance) s2Read = fire && cur === 'rd';
    if (fire) {
      accepted[cur].push(c);
      const last = s[cur][next[cur]];
      next[cur]++;
      offering[cur] = false;
      if (last) phase = (phase + 1) % 3;
    }
  }
  throw new Error(`recoveryCycles: not finished after ${maxCycles} cycles`);
}

/** Read-out beats processed before a phase runs out of beats (as the golden model). */
export function reachableReads(s: RecoveryCycleInput): number {
  const pos = { wr: 0, nitt: 0, rd: 0 };
  let reads = 0;
  for (;;) {
    for (const n of ORDER) {
      for (;;) {
        if (pos[n] >= s[n].length) return reads;
        const last = s[n][pos[n]++];
        if (n === 'rd') reads++;
        if (last) break;
      }
    }
  }
}
