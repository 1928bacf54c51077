// Cosimulation cases of common.sram against sim/golden/common/sram.ts, per cycle (rd_data
// sampled every cycle): default (256 x 16), the smallest (2 x 1 bit), a non-power-of-two depth
// with 100-bit words and, under `full`, 65536 words and 512-bit words. Directed rows: fill
// every word with patterns (all ones, zero, alternating, the address) and read it all back
// back to back; a read and a write of one address in the same cycle (read-first); reads held
// while rd_en is low; writes ignored while wr_en is low. Random rows: writes to a small hot
// set of addresses (frequent read-after-write and same-cycle collisions), reads mostly of
// written words. Words never written are read too, now and then: the golden model leaves
// those cycles unchecked.
import { sramDesign } from '../../../generator/blocks/common/sram.ts';
import type { ParamValue } from '../../../generator/emit/design.ts';
import { type Expected, type Stimulus, Rng, valueRange } from '../../cosim/index.ts';
import { type SramOp, sramReadData } from '../../golden/common/sram.ts';
import { type CosimCase, defineCase } from '../case.ts';

const DESIGN = sramDesign.name;

export function sramConfig(params: Record<string, ParamValue> = {}) {
  return sramDesign.resolve(params);
}
type Config = ReturnType<typeof sramConfig>;

const IDLE: SramOp = { wrEn: false, wrAddr: 0, wrData: 0n, rdEn: false, rdAddr: 0 };

function pattern(p: Config, a: number): bigint {
  const { max } = valueRange(p.width, false);
  let alt = 0n;
  for (let i = 0n; i < BigInt(p.width); i += 2n) alt |= 1n << i;
  return [max, 0n, alt, max ^ alt][a % 4]! ^ (BigInt(a >> 2) & max);
}

/** Directed operations (see the file header). */
export function sramDirected(p: Config, rng: Rng): SramOp[] {
  const { depth, width } = p;
  const { max } = valueRange(width, false);
  const all = depth <= 4096 ? Array.from({ length: depth }, (_, a) => a) : [...Array.from({ length: 2048 }, (_, a) => a), ...Array.from({ length: 2048 }, (_, a) => depth - 1 - a)];
  const ops: SramOp[] = [];
  const junk = () => ({ wrAddr: rng.int(0, depth - 1), wrData: rng.bits(width), rdAddr: rng.int(0, depth - 1) });
  // fill, then read everything back to back (writing nothing: wr_en low with junk address/data)
  for (const a of all) ops.push({ ...junk(), wrEn: true, wrAddr: a, wrData: pattern(p, a), rdEn: false });
  for (const a of all) ops.push({ ...junk(), wrEn: false, rdEn: true, rdAddr: a });
  // read-first: read and write one address in the same cycle, then read it again
  for (const a of [0, depth - 1, depth >> 1]) {
    ops.push({ ...IDLE, wrEn: true, wrAddr: a, wrData: max });
    ops.push({ ...IDLE, wrEn: true, wrAddr: a, wrData: 0n, rdEn: true, rdAddr: a }); // shows max
    ops.push({ ...IDLE, rdEn: true, rdAddr: a }); // shows 0
    ops.push({ ...IDLE, wrEn: true, wrAddr: a, wrData: max, rdEn: true, rdAddr: a }); // shows 0 again
    ops.push({ ...IDLE, rdEn: true, rdAddr: a }); // shows max
  }
  // hold: rd_en low for a while, with the read address moving and the word read being rewritten
  const h = depth - 1;
  ops.push({ ...IDLE, wrEn: true, wrAddr: h, wrData: 1n });
  ops.push({ ...IDLE, rdEn: true, rdAddr: h });
  for (let i = 0; i < 6; i++) ops.push({ ...junk(), wrEn: true, wrAddr: h, wrData: rng.bits(width), rdEn: false });
  ops.push({ ...IDLE, rdEn: true, rdAddr: h });
  // back-to-back writes to one word: the last one wins; a read of another word in between
  for (let i = 0; i < 4; i++) ops.push({ ...IDLE, wrEn: true, wrAddr: 0, wrData: BigInt(i) & max, rdEn: true, rdAddr: depth - 1 });
  ops.push({ ...IDLE, rdEn: true, rdAddr: 0 });
  ops.push(IDLE);
  return ops;
}

/** Random operations over a hot set of addresses; `known` of the reads go to written words. */
export function sramRandom(p: Config, rng: Rng, count: number, known = 0.9): SramOp[] {
  const { depth, width } = p;
  const hot = Array.from({ length: Math.min(depth, 8) }, () => rng.int(0, depth - 1));
  const written = new Set<number>();
  const writtenList: number[] = [];
  const ops: SramOp[] = [];
  for (let i = 0; i < count; i++) {
    const wrEn = rng.chance(0.5);
    const wrAddr = rng.chance(0.6) ? rng.pick(hot) : rng.int(0, depth - 1);
    const wrData = rng.edgyValue(width, false);
    let rdEn = rng.chance(0.6);
    let rdAddr = rng.int(0, depth - 1);
    if (wrEn && rng.chance(0.2)) rdAddr = wrAddr; // same-cycle read/write of one word
    else if (writtenList.length > 0 && rng.chance(known)) rdAddr = rng.pick(writtenList);
    else if (writtenList.length === 0) rdEn = false;
    ops.push({ wrEn, wrAddr, wrData, rdEn, rdAddr });
    if (wrEn && !written.has(wrAddr)) {
      written.add(wrAddr);
      writtenList.push(wrAddr);
    }
  }
  ops.push(IDLE);
  return ops;
}

export function sramRows(ops: readonly SramOp[]): Stimulus {
  return {
    rows: ops.map((o) => ({ wr_en: o.wrEn ? 1 : 0, wr_addr: o.wrAddr, wr_data: o.wrData, rd_en: o.rdEn ? 1 : 0, rd_addr: o.rdAddr })),
  };
}

export function sramOps(stim: Stimulus): SramOp[] {
  return (stim.rows ?? []).map((r) => ({
    wrEn: BigInt(r.wr_en ?? 0) === 1n,
    wrAddr: Number(r.wr_addr ?? 0),
    wrData: BigInt(r.wr_data ?? 0),
    rdEn: BigInt(r.rd_en ?? 0) === 1n,
    rdAddr: Number(r.rd_addr ?? 0),
  }));
}

/** Per-cycle rd_data; cycles where it is unknown are left unchecked (empty entries). */
export function sramGolden(p: Config) {
  return (stim: Stimulus): Expected => ({
    samples: sramReadData(sramOps(stim), p.depth).map((v): Record<string, bigint> => (v === undefined ? {} : { rd_data: v })),
  });
}

interface Opts {
  full?: boolean;
  random?: number;
  directed?: boolean;
  known?: number;
}

function sramCase(short: string, params: Record<string, ParamValue>, o: Opts = {}): CosimCase {
  const p = sramConfig(params);
  return defineCase({
    name: `${DESIGN}.${short}`,
    design: DESIGN,
    params,
    ...(o.full ? { full: true } : {}),
    stimulus(seed) {
      const rng = new Rng(seed);
      return sramRows([...(o.directed === false ? [] : sramDirected(p, rng)), ...sramRandom(p, rng, o.random ?? 1000, o.known)]);
    },
    golden: sramGolden(p),
  });
}

export const sramCases: CosimCase[] = [
  // defaults: 256 x u16
  { ...sramCase('default', {}, { directed: false, random: 2000 }), smoke: true },
  sramCase('directed', {}, { random: 0 }),
  sramCase('unwritten_reads', {}, { directed: false, random: 1000, known: 0.3 }),
  sramCase('depth2_w1', { depth: 2, width: 1 }),
  sramCase('depth5_w100', { depth: 5, width: 100 }),
  sramCase('depth65536', { depth: 65536, width: 32 }, { full: true, random: 20000 }),
  sramCase('depth1000_w512', { depth: 1000, width: 512 }, { full: true }),
  sramCase('depth3_w7', { depth: 3, width: 7 }, { full: true }),
];
