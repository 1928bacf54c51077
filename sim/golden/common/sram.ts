// Golden model of common.sram (generator/blocks/common/sram.ts), per cycle and bit-accurate:
//   * write: when wr_en, mem[wr_addr] <= wr_data at the edge ending the cycle;
//   * read: when rd_en, rd_data <= mem[rd_addr] at the same edge, so the value shows in the
//     next cycle, and it holds while rd_en is low; a read in the cycle of a write to the same
//     address returns the OLD data (read-first).
// rd_data is unknown until the first read, and after a read of a word never written (the
// model reports `undefined` there: nothing to check).

export interface SramOp {
  wrEn: boolean;
  wrAddr: number;
  wrData: bigint;
  rdEn: boolean;
  rdAddr: number;
}

/**
 * rd_data in each cycle 0 .. ops.length-1 (cycle k shows the last read issued before cycle
 * k), `undefined` where unknown.
 */
export function sramReadData(ops: readonly SramOp[], depth: number): (bigint | undefined)[] {
  const mem = new Map<number, bigint>();
  const out: (bigint | undefined)[] = [];
  let rd: bigint | undefined;
  for (const op of ops) {
    out.push(rd);
    for (const a of [op.wrEn ? op.wrAddr : 0, op.rdEn ? op.rdAddr : 0]) {
      if (!Number.isInteger(a) || a < 0 || a >= depth) throw new RangeError(`sram: address ${a} outside 0..${depth - 1}`);
    }
    if (op.rdEn) rd = mem.get(op.rdAddr); // read-first: before this cycle's write
    if (op.wrEn) mem.set(op.wrAddr, op.wrData);
  }
  return out;
}
