// Cycle model of the Ditto linear-layer engine RTL (generator/blocks/ditto/top.ts): its children's
// components — per row an encoder queue (sim/cycles/ditto/encoder.ts) and a compute row
// (sim/cycles/ditto/compute.ts), the VPU's stall pipeline — coupled cycle by cycle through the
// top's glue (act register, weight banks, side FIFO, row selection). Predicts the cycle of every
// accepted command beat and every output beat exactly, for any input idle / output stall
// pattern (cycle 0 = the first cycle after reset; offering as in the cosim harness).
//
// Per cycle c, from the registers at its start:
//   out_ready = !stall(c); VPU advance av = !(last register holds a vector) || out_ready
//   head = the side FIFO's head; sel = the lowest row of its en not yet taken
//   compute out<r>_ready = av && head is a group && sel = r
//   row r's bank = that of its oldest vector counted (a group's last beat accepted, its last word
//   not yet taken), else abank; compute in<r>_ready = advance_r && loaded[bank]; the row takes
//   encoder r's word when it has one; encoder r takes the head of row r's beat FIFO (rowFifo
//   > 0: a common.fifo, out_valid = count > 0, in_ready = count < depth, both registered) when
//   ready
//   VPU accepts when head is a table write, or row sel's output is valid, and av
//   act register fires when it holds a beat and every enabled row's FIFO (or encoder) is ready
//   in_ready: activation = (act register empty or firing) && full[abank] && (not a group's last
//   beat || side FIFO not full); configuration = cfg 0 or side FIFO not full
//   w_ready = !full[wbank] && no row holds a vector of bank wbank
//   at the edge: the act register's beat enters the enabled rows' FIFOs (or encoders); an
//   accepted activation beat enters the act register (its group's last beat pushes the side
//   FIFO and counts a vector per enabled row in bank abank; with tlast it empties bank abank and
//   abank flips); a table write enters the side FIFO; a weight beat sets loaded[wbank] ← last,
//   and its last beat fills bank wbank and flips wbank.
// kbase (the weight rows a packed load's tile reads) changes no cycle: its per-row FIFO holds one
// entry per counted vector and never fills before the side FIFO does.
import type { Beat } from '../../stimulus/format.ts';
import type { EncoderBeat } from '../../golden/ditto/encoder.ts';
import { VPU_LATENCY } from '../../../generator/spec/ditto/vpu.ts';
import { type CyclePattern, type StreamCycles, Sink, Source, never, runCycles } from '../kernel.ts';
import { Fifo } from '../common/fifo.ts';
import { StallPipeline } from '../common/pipeline.ts';
import { EncoderQueue, encoderWordLasts } from './encoder.ts';
import { ComputeRow } from './compute.ts';

export interface TopTiming {
  rows: number;
  lanes: number;
  /** encoder FIFO depth (resolved) */
  encDepth: number;
  encStages: number;
  /** encoder index bits */
  kBits: number;
  /** per row, the beat FIFO in front of its encoder (0 = none) */
  rowFifo: number;
  stages: number;
  sideDepth: number;
}

/** The engine's cycles: `accepted` for `in`, `wAccepted` for `w`. */
export interface TopCycles extends StreamCycles {
  wAccepted: number[];
}

type SideEntry = { op: 'group'; en: number } | { op: 'table' };

const rowBit = (en: number, r: number): boolean => ((en >> r) & 1) === 1;

/** Per activation beat, per row, the `last` flags of the words it pushes into that row's encoder. */
function activationPushes(beats: readonly Beat[], t: TopTiming): (readonly boolean[] | undefined)[][] {
  const R = t.rows;
  const L = t.lanes;
  const xbuf = new Map<number, number[][]>(); // xaddr → x_t of every row of the last beat written there
  const perRow: EncoderBeat[][] = Array.from({ length: R }, () => []);
  const where: number[][] = []; // per activation beat, per row: its index in perRow[r] or −1
  for (const b of beats) {
    if (Number(b.op) !== 0) continue;
    const en = Number(b.en);
    const mode = Number(b.mode) === 1 ? 'orig' : 'diff';
    const xaddr = Number(b.xaddr ?? 0);
    const xt = Array.from({ length: R }, (_, r) => Array.from({ length: L }, (_, j) => Number(b[`xt_${r}_${j}`])));
    const stored = xbuf.get(xaddr);
    if (mode === 'diff' && en !== 0 && !stored) throw new RangeError(`topCycles: difference-mode activation beat ${where.length} reads x-buffer entry ${xaddr}, never written`);
    xbuf.set(xaddr, xt);
    where.push(
      Array.from({ length: R }, (_, r) => {
        if (!rowBit(en, r)) return -1;
        const xp = mode === 'diff' ? stored![r] : new Array<number>(L).fill(0);
        perRow[r].push({ xt: xt[r], xp, keep: Number(b.keep), last: Number(b.last) === 1, mode });
        return perRow[r].length - 1;
      }),
    );
  }
  const lasts = perRow.map((rb) => encoderWordLasts(rb, L, t.kBits));
  return where.map((w) => w.map((i, r) => (i < 0 ? undefined : lasts[r][i])));
}

/** Cycles of the engine: `beats` on `in`, `weights` on `w`; idle per input stream, stall on `out`. */
export function topCycles(
  beats: readonly Beat[],
  weights: readonly Beat[],
  t: TopTiming,
  idle: (stream: 'in' | 'w', c: number) => boolean = () => false,
  stall: CyclePattern = never,
  maxCycles = 50_000_000,
): TopCycles {
  const R = t.rows;
  const pushes = activationPushes(beats, t);
  let vectors = 0;
  for (const b of beats) if (Number(b.op) === 0 && Number(b.last) === 1) for (let r = 0; r < R; r++) vectors += rowBit(Number(b.en), r) ? 1 : 0;
  const cmd = new Source(beats, (c) => idle('in', c));
  const wsrc = new Source(weights, (c) => idle('w', c));
  const out = new Sink(stall);
  const encoders = Array.from({ length: R }, () => new EncoderQueue({ lanes: t.lanes, depth: t.encDepth, stages: t.encStages }));
  const rows = Array.from({ length: R }, () => new ComputeRow(t.stages));
  const queues = Array.from({ length: R }, () => (t.rowFifo > 0 ? new Fifo<readonly boolean[]>(t.rowFifo) : undefined));
  const side = new Fifo<SideEntry>(t.sideDepth);
  // the VPU: table writes (false) pass through without an output beat
  const vpu = new StallPipeline<boolean>(VPU_LATENCY, (vector) => vector);
  /** per row, the banks of its counted vectors, oldest first */
  const held: number[][] = Array.from({ length: R }, () => []);
  const loaded = [false, false];
  const full = [false, false];
  let wbank = 0;
  let abank = 0;
  let taken = 0;
  let act: { en: number; pushes: (readonly boolean[] | undefined)[] } | undefined;
  let actIdx = 0;

  const cycles = runCycles(
    'topCycles',
    () => cmd.done && wsrc.done && out.emitted.length === vectors,
    (c) => {
      const outReady = out.ready(c);
      const vpuReady = vpu.inReady(undefined, outReady);
      if (vpu.out(undefined) !== undefined && outReady) out.take(c);
      const head = side.out();
      const want = head?.op === 'group' ? head.en & ~taken : 0;
      const sel = want === 0 ? -1 : Math.log2(want & -want);
      const groupDone = (want & ~(1 << sel)) === 0;

      const words = rows.map((row, r) => {
        const cuOutReady = vpuReady && sel === r;
        const bank = held[r].length > 0 ? held[r][0] : abank;
        const word = row.inReady(loaded[bank], cuOutReady) ? encoders[r].out() : undefined;
        return { cuOutReady, word };
      });
      const vpuAccept = head !== undefined && (head.op === 'table' || rows[sel].pipe.out() !== undefined) && vpuReady;
      // row r takes the act register's beat into its FIFO (or, without one, into its encoder)
      const rowReady = (r: number) => (queues[r] ? queues[r]!.inReady() : encoders[r].inReady());
      const actFire = act !== undefined && encoders.every((_, r) => !rowBit(act!.en, r) || rowReady(r));
      // each encoder takes the head of its FIFO when ready
      const encTake = encoders.map((e, r) => {
        const q = queues[r];
        if (!q) return actFire && rowBit(act!.en, r) ? act!.pushes[r] : undefined;
        return e.inReady() ? q.out() : undefined;
      });

      // the command beat
      const b = cmd.offer(c);
      let next: typeof act | null = null; // null: the act register is not loaded
      let groupIn = 0;
      let tileClose = false;
      let tableIn = false;
      if (b !== undefined) {
        if (Number(b.op) === 1) {
          const table = Number(b.cfg) === 1;
          if (!table || side.inReady()) {
            cmd.accept(c);
            tableIn = table;
          }
        } else {
          const en = Number(b.en);
          const groupLast = Number(b.last) === 1 && en !== 0;
          if ((act === undefined || actFire) && full[abank] && (!groupLast || side.inReady())) {
            cmd.accept(c);
            next = { en, pushes: pushes[actIdx++]! };
            if (groupLast) groupIn = en;
            tileClose = Number(b.last) === 1 && Number(b.tlast) === 1;
          }
        }
      }
      // the weight beat
      let wLoad: boolean | undefined;
      if (wsrc.offer(c) !== undefined && !full[wbank] && held.every((h) => !h.includes(wbank))) wLoad = Number(wsrc.accept(c).last) === 1;

      // the clock edge
      encoders.forEach((e, r) => e.edge(encTake[r], words[r].word !== undefined));
      queues.forEach((q, r) => q?.update(encTake[r] !== undefined, actFire && rowBit(act!.en, r) ? [act!.pushes[r]!] : []));
      rows.forEach((row, r) => {
        const w = words[r];
        if (w.word === true) held[r].shift();
        if (rowBit(groupIn, r)) held[r].push(abank);
        row.pipe.edge(w.word, w.cuOutReady);
      });
      const pop = vpuAccept && (head!.op === 'table' || groupDone);
      const pushed: SideEntry[] = groupIn !== 0 ? [{ op: 'group', en: groupIn }] : tableIn ? [{ op: 'table' }] : [];
      side.update(pop, pushed);
      taken = pop ? 0 : vpuAccept ? taken | (1 << sel) : taken;
      vpu.edge(vpuAccept ? head!.op === 'group' : undefined, outReady);
      if (next !== null) act = next;
      else if (actFire) act = undefined;
      if (tileClose) {
        full[abank] = false;
        abank = 1 - abank;
      }
      if (wLoad !== undefined) {
        loaded[wbank] = wLoad;
        if (wLoad) {
          full[wbank] = true;
          wbank = 1 - wbank;
        }
      }
    },
    maxCycles,
  );
  return { accepted: cmd.accepted, wAccepted: wsrc.accepted, emitted: out.emitted, cycles };
}
