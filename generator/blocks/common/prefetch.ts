// A synchronous memory read with the timing of an asynchronous one, for a block whose read
// address is a register it steps itself (a table walked entry by entry).
//
// The read port (latency 1, macro-ready: docs/memories.md) reads, at every edge, the address
// the register will hold after that edge (`nextAddr`), so in the cycle the register holds
// address a the port's data is mem[a] — what `mem.read(addr)` read combinationally before, one
// cycle earlier than a plain registered read. The port reads first: a write to the same
// address at the same edge is not in its data, so that write is forwarded from a register
// (one address comparison and one word of flip-flops). Writes at earlier edges are in the
// data, since the port reads again at every edge.
import { type Expr, type Memory, type ModuleBuilder, bit, mux } from '../../dsl/index.ts';

export interface PrefetchWrite {
  en: Expr;
  addr: Expr;
  data: Expr;
}

/** mem[addr] in the cycle `addr` holds, through a synchronous read of `nextAddr` (the value `addr` takes at the next edge). */
export function prefetchedRead(m: ModuleBuilder, name: string, mem: Memory, nextAddr: Expr, write: PrefetchWrite): Expr {
  const type = mem.memory.type;
  const rdata = m.reg(`${name}_rdata`, type);
  const hit = m.reg(`${name}_fwd`, bit(), { reset: 0 });
  const fwdData = m.reg(`${name}_fwd_data`, type);
  m.sync(() => {
    rdata.set(mem.read(nextAddr));
    hit.set(write.en.and(write.addr.eq(nextAddr)));
    m.when(write.en, () => fwdData.set(write.data));
  });
  return m.wire(name, mux(hit, fwdData, rdata));
}
