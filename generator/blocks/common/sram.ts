// 1R1W SRAM bank: one write port and one synchronous read port, block-RAM style.
//
//   * Write: when wr_en, mem[wr_addr] <= wr_data at the clock edge.
//   * Read: when rd_en, rd_data <= mem[rd_addr] at the clock edge, so the data is there the cycle
//     after the request (latency 1); without rd_en, rd_data holds its value.
//   * Read during a write to the same address returns the OLD data (read-first).
//   * rd_data has no reset (as a block RAM's output register); it is undefined until the first read.
//   * Addresses are addrBits(depth) wide; for a depth that is not a power of two, addresses
//     >= depth must not be used (writes there are lost, reads undefined).
// Yosys infers one memory (a $mem_v2 cell with one write port and one registered read port)
// before mapping; the read register is the memory's read data register, with rd_en as enable.
import { type Expr, type ModuleBuilder, addrBits, bit, module, uint } from '../../dsl/index.ts';
import type { HwType } from '../../dsl/index.ts';
import { ident, int, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';

export const sramParams = {
  top: ident({ default: 'common_sram', doc: 'name of the generated top module' }),
  depth: int({ default: 256, min: 2, max: 65536, doc: 'number of words' }),
  width: int({ default: 16, min: 1, max: 512, doc: 'word width in bits' }),
};

export interface SramOptions {
  depth: number;
  type: HwType;
  wrEn: Expr;
  /** addrBits(depth) bits unsigned. */
  wrAddr: Expr;
  wrData: Expr;
  rdEn: Expr;
  rdAddr: Expr;
}

/**
 * A 1R1W SRAM bank inside module `m` (memory `<name>_mem`, read register `<name>_rd_data`);
 * returns the read data register (one cycle after `rdEn`, read-first).
 */
export function sramBank(m: ModuleBuilder, name: string, o: SramOptions): Expr {
  const mem = m.memory(`${name}_mem`, { depth: o.depth, type: o.type });
  const rdData = m.reg(`${name}_rd_data`, o.type);
  m.sync(() => m.when(o.wrEn, () => mem.write(o.wrAddr, o.wrData)));
  m.sync(() => m.when(o.rdEn, () => rdData.set(mem.read(o.rdAddr))));
  return rdData;
}

export function commonSram(p: Params<typeof sramParams>, name = p.top) {
  const t = uint(p.width);
  const aw = addrBits(p.depth);
  return module(
    name,
    (m) => {
      const wrEn = m.input('wr_en', bit());
      const wrAddr = m.input('wr_addr', uint(aw));
      const wrData = m.input('wr_data', t);
      const rdEn = m.input('rd_en', bit());
      const rdAddr = m.input('rd_addr', uint(aw));
      m.output('rd_data', sramBank(m, 'bank', { depth: p.depth, type: t, wrEn, wrAddr, wrData, rdEn, rdAddr }));
    },
    {
      doc: [
        `SRAM bank 1R1W: ${p.depth} x u${p.width}, ${aw}-bit addresses.`,
        'Write: mem[wr_addr] <= wr_data when wr_en. Read: rd_data <= mem[rd_addr] when rd_en (latency 1; holds otherwise).',
        'Read during write to the same address returns the old data (read-first). rd_data has no reset.',
        p.depth === 1 << aw ? '' : `Addresses ${p.depth}..${(1 << aw) - 1} must not be used.`,
      ]
        .filter(Boolean)
        .join('\n'),
      params: { depth: p.depth, width: p.width },
    },
  );
}

export const sramDesign = defineDesign({
  name: 'common.sram',
  description: '1R1W SRAM bank, synchronous read (latency 1, read-first)',
  params: sramParams,
  check() {
    // No rules across parameters: every depth and width in range is valid.
  },
  build: (p) => commonSram(p),
});
