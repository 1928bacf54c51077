// Cycle model of the Ditto linear-layer engine RTL (generator/blocks/ditto/top.ts): the encoder,
// the one-row compute unit and the VPU coupled cycle by cycle through the top's glue (weight
// gate on outstanding vectors, side FIFO). Predicts the cycle of every accepted command beat and
// every output beat exactly, for any input idle / output stall pattern (cycle 0 = the first
// cycle after reset; offering as in the cosim harness).
//
// Per cycle c, from the registers at its start:
//   out_ready = !stall(c); VPU advance av = !v4 || out_ready (a 4-register stall pipeline)
//   side_valid = side count > 0; compute out0_ready = av && side_valid
//   compute advance = !(acc stage holds a last word && cu_out_valid && !out0_ready);
//   compute in0_ready = advance && loaded; a word leaves the encoder FIFO when count > 0 and in0_ready
//   VPU accepts when cu_out_valid && side_valid && av (the side FIFO pops with it)
//   in_ready = op ? outstanding == 0 : (encoder count ≤ depth − Wmax && side count < sideDepth)
//   an accepted activation beat pushes its words (sim/golden/ditto/encoder.ts) into the
//   encoder FIFO at the edge (x_{t+1} = the top's x buffer at xaddr as the earlier beats left it,
//   0 in original mode; the beat then stores its x_t there — the word counts follow the data);
//   its last beat also pushes the side FIFO and counts outstanding;
//   an accepted weight beat sets loaded ← wlast; outstanding drops when a last word is taken.
import type { Beat } from '../../stimulus/format.ts';
import { type EncoderBeat, encodeBeatsPerBeat } from '../../golden/ditto/encoder.ts';
import { maxWordsPerBeat } from './encoder.ts';

export const TOP_VPU_LATENCY = 4;

export interface TopTiming {
  lanes: number;
  /** encoder FIFO depth (resolved) */
  encDepth: number;
  /** encoder index bits */
  kBits: number;
  stages: number;
  sideDepth: number;
}

export interface TopCycleResult {
  accepted: number[];
  emitted: number[];
  cycles: number;
}

export function topCycles(beats: readonly Beat[], t: TopTiming, idle: (c: number) => boolean = () => false, stall: (c: number) => boolean = () => false, maxCycles = 20_000_000): TopCycleResult {
  const L = t.lanes;
  const act: EncoderBeat[] = [];
  const xbuf = new Map<number, number[]>(); // the top's x buffer (xaddr → x_t of the last beat written there)
  for (const b of beats) {
    if (Number(b.op) !== 0) continue;
    const xt = Array.from({ length: L }, (_, j) => Number(b[`xt_${j}`]));
    const mode = Number(b.mode) === 1 ? 'orig' : 'diff';
    const xaddr = Number(b.xaddr ?? 0);
    const stored = xbuf.get(xaddr);
    if (mode === 'diff' && !stored) throw new RangeError(`topCycles: difference-mode activation beat ${act.length} reads x-buffer entry ${xaddr}, never written`);
    const xp = mode === 'diff' && stored ? stored : Array.from({ length: L }, () => 0);
    xbuf.set(xaddr, xt);
    act.push({ xt, xp, keep: Number(b.keep), last: Number(b.last) === 1, mode });
  }
  const words = encodeBeatsPerBeat(act, L, t.kBits).map((w) => w.length);
  const vectors = act.filter((b) => b.last).length;
  const wmax = maxWordsPerBeat(L);

  const accepted: number[] = [];
  const emitted: number[] = [];
  let next = 0;
  let actIdx = 0;
  let offering = false;
  let outstanding = 0;
  let side = 0;
  const encQ: boolean[] = []; // word-last flags in the encoder FIFO
  let loaded = false;
  let cuPipe: (boolean | undefined)[] = Array.from({ length: 1 + t.stages }, () => undefined);
  let cuOutValid = false;
  let vpuPipe: boolean[] = Array.from({ length: TOP_VPU_LATENCY }, () => false);

  for (let c = 0; c < maxCycles; c++) {
    if (next >= beats.length && emitted.length === vectors) return { accepted, emitted, cycles: c };
    if (!offering && next < beats.length && !idle(c)) offering = true;
    const outReady = !stall(c);
    const v4 = vpuPipe[TOP_VPU_LATENCY - 1];
    const av = !v4 || outReady;
    if (v4 && outReady) emitted.push(c);
    const sideValid = side > 0;
    const cuOutReady = av && sideValid;
    const accStage = cuPipe[cuPipe.length - 1];
    const cuAdvance = !(accStage === true && cuOutValid && !cuOutReady);
    const in0Ready = cuAdvance && loaded;
    const pop = encQ.length > 0 && in0Ready;
    const popped = pop ? encQ[0] : undefined;
    const wordLast = popped === true;
    const vpuAccept = cuOutValid && sideValid && av;

    // the command beat
    let sidePush = false;
    let pushWords = 0;
    let pushLast = false;
    let wLoad: boolean | undefined;
    if (offering) {
      const b = beats[next];
      const isW = Number(b.op) !== 0;
      const ready = isW ? outstanding === 0 : encQ.length <= t.encDepth - wmax && side < t.sideDepth;
      if (ready) {
        accepted.push(c);
        offering = false;
        next++;
        if (isW) wLoad = Number(b.wlast) === 1;
        else {
          pushWords = words[actIdx++];
          pushLast = Number(b.last) === 1;
          sidePush = pushLast;
        }
      }
    }

    // edge
    if (pop) encQ.shift();
    for (let i = 0; i < pushWords; i++) encQ.push(pushLast && i === pushWords - 1);
    outstanding += (sidePush ? 1 : 0) - (wordLast ? 1 : 0);
    side += (sidePush ? 1 : 0) - (vpuAccept ? 1 : 0);
    if (cuAdvance) {
      const drain = accStage === true;
      if (drain) cuOutValid = true;
      else if (cuOutReady) cuOutValid = false;
      cuPipe = [pop ? popped : undefined, ...cuPipe.slice(0, cuPipe.length - 1)];
    } else if (cuOutReady) cuOutValid = false;
    if (av) vpuPipe = [vpuAccept, ...vpuPipe.slice(0, TOP_VPU_LATENCY - 1)];
    if (wLoad !== undefined) loaded = wLoad;
  }
  throw new Error(`topCycles: not finished after ${maxCycles} cycles`);
}
