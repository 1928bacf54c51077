// Cycle model of the Ditto linear-layer engine RTL (generator/blocks/ditto/top.ts): its children's
// components — the encoder's queue (sim/cycles/ditto/encoder.ts), a compute row
// (sim/cycles/ditto/compute.ts) and the VPU's stall pipeline — coupled cycle by cycle through the
// top's glue (weight gate on outstanding vectors, side FIFO). Predicts the cycle of every accepted command beat and
// every output beat exactly, for any input idle / output stall pattern (cycle 0 = the first
// cycle after reset; offering as in the cosim harness).
//
// Per cycle c, from the registers at its start:
//   out_ready = !stall(c); VPU advance av = !v_last || out_ready (VPU_LATENCY-register stall pipeline)
//   side_valid = side count > 0; compute out0_ready = av && side_valid
//   compute advance = !(acc stage holds a last word && cu_out_valid && !out0_ready);
//   compute in0_ready = advance && loaded; a word leaves the encoder FIFO when count > 0 and in0_ready
//   VPU accepts when cu_out_valid && side_valid && av (the side FIFO pops with it)
//   in_ready = op ? outstanding == 0 : (encoder resv ≤ depth − Wmax && side count < sideDepth)
//   an accepted activation beat pushes its words (sim/golden/ditto/encoder.ts) into the
//   encoder FIFO through the encoder's pipeline (EncoderQueue: its default `stages` cycles later; resv
//   = FIFO words + words in flight) at the edge (x_{t+1} = the top's x buffer at xaddr as the earlier beats left it,
//   0 in original mode; the beat then stores its x_t there — the word counts follow the data);
//   its last beat also pushes the side FIFO and counts outstanding;
//   an accepted weight beat sets loaded ← wlast; outstanding drops when a last word is taken.
import type { Beat } from '../../stimulus/format.ts';
import type { EncoderBeat } from '../../golden/ditto/encoder.ts';
import { VPU_LATENCY } from '../../../generator/spec/ditto/vpu.ts';
import { type CyclePattern, type StreamCycles, Sink, Source, never, runCycles } from '../kernel.ts';
import { Fifo } from '../common/fifo.ts';
import { StallPipeline } from '../common/pipeline.ts';
import { EncoderQueue, encoderWordLasts } from './encoder.ts';
import { ComputeRow } from './compute.ts';

export interface TopTiming {
  lanes: number;
  /** encoder FIFO depth (resolved) */
  encDepth: number;
  /** encoder index bits */
  kBits: number;
  stages: number;
  sideDepth: number;
}

/** The encoder beats of the activation commands, with x_{t+1} read from the top's x buffer. */
function activationBeats(beats: readonly Beat[], lanes: number): EncoderBeat[] {
  const act: EncoderBeat[] = [];
  const xbuf = new Map<number, number[]>(); // xaddr → x_t of the last beat written there
  for (const b of beats) {
    if (Number(b.op) !== 0) continue;
    const xt = Array.from({ length: lanes }, (_, j) => Number(b[`xt_${j}`]));
    const mode = Number(b.mode) === 1 ? 'orig' : 'diff';
    const xaddr = Number(b.xaddr ?? 0);
    const stored = xbuf.get(xaddr);
    if (mode === 'diff' && !stored) throw new RangeError(`topCycles: difference-mode activation beat ${act.length} reads x-buffer entry ${xaddr}, never written`);
    const xp = mode === 'diff' && stored ? stored : Array.from({ length: lanes }, () => 0);
    xbuf.set(xaddr, xt);
    act.push({ xt, xp, keep: Number(b.keep), last: Number(b.last) === 1, mode });
  }
  return act;
}

export function topCycles(beats: readonly Beat[], t: TopTiming, idle: CyclePattern = never, stall: CyclePattern = never, maxCycles = 20_000_000): StreamCycles {
  const act = activationBeats(beats, t.lanes);
  const pushes = encoderWordLasts(act, t.lanes, t.kBits);
  const vectors = act.filter((b) => b.last).length;
  const cmd = new Source(beats, idle);
  const out = new Sink(stall);
  const encoder = new EncoderQueue({ lanes: t.lanes, depth: t.encDepth });
  const row = new ComputeRow(t.stages);
  const side = new Fifo<true>(t.sideDepth);
  const vpu = new StallPipeline<true>(VPU_LATENCY);
  let actIdx = 0;
  let outstanding = 0;
  let loaded = false;

  const cycles = runCycles(
    'topCycles',
    () => cmd.done && out.emitted.length === vectors,
    (c) => {
      const outReady = out.ready(c);
      const vpuReady = vpu.inReady(undefined, outReady);
      if (vpu.out(undefined) !== undefined && outReady) out.take(c);
      const sideValid = !side.empty;
      const cuOutReady = vpuReady && sideValid;
      const word = row.inReady(loaded, cuOutReady) ? encoder.out() : undefined;
      const vpuAccept = row.pipe.out() !== undefined && sideValid && vpuReady;

      // the command beat
      const b = cmd.offer(c);
      let pushed: readonly boolean[] | undefined;
      let vectorIn = false;
      let wLoad: boolean | undefined;
      if (b !== undefined) {
        const isWeight = Number(b.op) !== 0;
        const ready = isWeight ? outstanding === 0 : encoder.inReady() && side.inReady();
        if (ready) {
          cmd.accept(c);
          if (isWeight) wLoad = Number(b.wlast) === 1;
          else {
            pushed = pushes[actIdx++]!;
            vectorIn = Number(b.last) === 1;
          }
        }
      }

      // the clock edge
      encoder.edge(pushed, word !== undefined);
      outstanding += (vectorIn ? 1 : 0) - (word === true ? 1 : 0);
      side.update(vpuAccept, vectorIn ? [true] : []);
      row.pipe.edge(word, cuOutReady);
      vpu.edge(vpuAccept ? true : undefined, outReady);
      if (wLoad !== undefined) loaded = wLoad;
    },
    maxCycles,
  );
  return { accepted: cmd.accepted, emitted: out.emitted, cycles };
}
