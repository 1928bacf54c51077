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
import { type CyclePattern, Sink, Source, never, runCycles } from '../kernel.ts';
import { StallPipeline } from '../common/pipeline.ts';

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
  idle: Partial<Record<StreamName, CyclePattern>> = {},
  stall: CyclePattern = never,
  maxCycles = 50_000_000,
): RecoveryCycleResult {
  // every beat must be reachable (whole rounds): a stream left with beats the phases never
  // reach would stall the harness too
  if (reachableReads(s) !== s.rd.length) throw new RangeError('recoveryCycles: the phases never reach some read-out beats (incomplete rounds)');
  const src = { wr: new Source(s.wr, idle.wr), nitt: new Source(s.nitt, idle.nitt), rd: new Source(s.rd, idle.rd) };
  const out = new Sink(stall);
  const readStage = new StallPipeline<true>(1); // stage 2: a read-out on its way to rdata
  let phase = 0;
  const cycles = runCycles(
    'recoveryCycles',
    () => ORDER.every((n) => src[n].done) && out.emitted.length === s.rd.length,
    (c) => {
      for (const n of ORDER) src[n].offer(c);
      const ready = out.ready(c);
      const advance = readStage.inReady(undefined, ready);
      if (readStage.out(undefined) !== undefined && ready) out.take(c);
      const cur = ORDER[phase]!;
      const fire = src[cur].offered !== undefined && advance;
      readStage.edge(fire && cur === 'rd' ? true : undefined, ready);
      if (fire && src[cur].accept(c)) phase = (phase + 1) % 3;
    },
    maxCycles,
  );
  return { accepted: { wr: src.wr.accepted, nitt: src.nitt.accepted, rd: src.rd.accepted }, emitted: out.emitted, cycles };
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
