// Synchronous first-word-fall-through FIFO with valid/ready on both sides.
//
//   * out_valid and in_ready are registers (not-empty / not-full flags computed from the next
//     occupancy): there is no combinational path from in_valid to out_valid, nor from out_ready
//     to in_ready. out_data is a mux of two registers under a registered select (below), so no
//     output depends combinationally on any input.
//   * Latency 1 cycle: a beat accepted in cycle c is at the output (out_valid high) in cycle c+1.
//   * Capacity exactly `depth` beats. Throughput one beat per cycle in and out simultaneously
//     for depth >= 2 (a full FIFO does not accept in the cycle it is read, since in_ready does
//     not look at out_ready; occupancy in a stream at full rate stays between 1 and depth-1).
//   * depth = 1 is a single register: in_ready = !out_valid, so it alternates (half rate).
//   * Storage (depth >= 2): one DSL memory with one write port and one SYNCHRONOUS read port
//     (docs/memories.md: `dcgen_mem_<depth>x<width>_1r1w_r1`, macro-ready), so an SRAM macro or
//     a block RAM can hold it. Every beat is written to the memory. The head is prefetched: in
//     the cycle the head leaves, the memory reads the word after it (raddr = rd_next, re =
//     out_fire), so the registered read data is the new head one edge later, when out_valid
//     says it is there. A memory read one edge late cannot return a word written at that same
//     edge (read-first), so a beat that becomes the head at the edge it is written (pushed into
//     an empty FIFO, or into a FIFO whose only beat leaves at that edge) goes to a bypass
//     register instead, and `head_byp` selects it. So the flags, count and data out are those of
//     the asynchronous-read FIFO cycle for cycle (sim/cycles/common/fifo.ts is unchanged); only
//     out_data while out_valid is low (don't care) differs. Pointers wrap explicitly at depth-1,
//     so any depth works, not only powers of two.
//   * count (clog2(depth+1) bits) is the registered occupancy.
import { type Expr, type ModuleBuilder, type Signal, addrBits, bit, cat, clog2, module, mux, uint } from '../../dsl/index.ts';
import { ident, int, type Params } from '../../params/schema.ts';
import { defineDesign } from '../../designs/registry.ts';

export const fifoParams = {
  top: ident({ default: 'common_fifo', doc: 'name of the generated top module' }),
  depth: int({ default: 16, min: 1, max: 4096, doc: 'capacity in beats (any value; 1 = single register, half rate)' }),
  width: int({ default: 32, min: 1, max: 512, doc: 'data width in bits' }),
};

export interface FifoOptions {
  depth: number;
  inValid: Expr;
  /** Any type; the FIFO stores and returns it unchanged. */
  inData: Expr;
  outReady: Expr;
}

export interface FifoPorts {
  inReady: Expr;
  outValid: Expr;
  outData: Expr;
  /** Occupancy, clog2(depth + 1) bits unsigned. */
  count: Expr;
}

/** Width of the occupancy count for `depth`. */
export function fifoCountWidth(depth: number): number {
  return clog2(depth + 1);
}

/**
 * A FIFO of records: `inFields` packed into one word (first field in the top bits, signed fields
 * as their bit patterns), and at the head wires `<name>_<field>` with each field's own type.
 */
export function fifoOfFields<F extends Record<string, Expr>>(
  m: ModuleBuilder,
  name: string,
  o: Omit<FifoOptions, 'inData'> & { inFields: F },
): Omit<FifoPorts, 'outData'> & { out: { [K in keyof F]: Expr } } {
  const fields = Object.entries(o.inFields);
  const q = fifo(m, name, { depth: o.depth, inValid: o.inValid, outReady: o.outReady, inData: cat(...fields.map(([, e]) => (e.signed ? e.asUnsigned() : e))) });
  const out: Record<string, Expr> = {};
  let hi = q.outData.width - 1;
  for (const [f, e] of fields) {
    const bits = q.outData.slice(hi, hi - e.width + 1);
    out[f] = m.wire(`${name}_${f}`, e.signed ? bits.asSigned() : bits);
    hi -= e.width;
  }
  return { inReady: q.inReady, outValid: q.outValid, count: q.count, out: out as { [K in keyof F]: Expr } };
}

/** `ptr + 1` on a ring of `depth` entries (ptr `addrBits(depth)` wide): powers of two wrap by themselves; other depths wrap explicitly at depth - 1. */
export function ringNext(m: ModuleBuilder, ptr: Signal, depth: number): Expr {
  const aw = ptr.width;
  const inc = ptr.add(1).trunc(aw);
  return depth === 1 << aw ? inc : mux(ptr.eq(depth - 1), m.const(uint(aw), 0), inc);
}

/** A FIFO inside module `m` (names start with `name`); see the file header for its behaviour. */
export function fifo(m: ModuleBuilder, name: string, o: FifoOptions): FifoPorts {
  if (!Number.isInteger(o.depth) || o.depth < 1) m.fail(`fifo '${name}'`, 'a depth of at least 1', String(o.depth));
  if (o.depth === 1) return fifo1(m, name, o);
  const depth = o.depth;
  const aw = addrBits(depth);
  const cw = fifoCountWidth(depth);
  const mem = m.memory(`${name}_mem`, { depth, type: o.inData.type });
  const wrPtr = m.reg(`${name}_wr_ptr`, uint(aw), { reset: 0 });
  const rdPtr = m.reg(`${name}_rd_ptr`, uint(aw), { reset: 0 });
  const count = m.reg(`${name}_count`, uint(cw), { reset: 0 });
  const notEmpty = m.reg(`${name}_not_empty`, bit(), { reset: 0 });
  const notFull = m.reg(`${name}_not_full`, bit(), { reset: 1 });
  const inFire = m.wire(`${name}_in_fire`, o.inValid.and(notFull));
  const outFire = m.wire(`${name}_out_fire`, notEmpty.and(o.outReady));
  const wrNext = m.wire(`${name}_wr_next`, ringNext(m, wrPtr, depth));
  const rdNext = m.wire(`${name}_rd_next`, ringNext(m, rdPtr, depth));
  m.sync(() =>
    m.when(inFire, () => {
      mem.write(wrPtr, o.inData);
      wrPtr.set(wrNext);
    }),
  );
  m.sync(() => m.when(outFire, () => rdPtr.set(rdNext)));
  m.sync(() =>
    m
      .when(inFire.and(outFire.not()), () => {
        count.set(count.add(1).trunc(cw));
        notEmpty.set(1);
        notFull.set(count.ne(depth - 1));
      })
      .elseWhen(outFire.and(inFire.not()), () => {
        count.set(count.sub(1).trunc(cw));
        notEmpty.set(count.ne(1));
        notFull.set(1);
      }),
  );
  // The head (prefetch and bypass) after the flags, so that the flags' operand names (_tN)
  // stay those of the asynchronous-read FIFO (sim/mutate/equivalent.json refers to them).
  // The pushed beat is the head after this edge: the FIFO is empty, or its only beat leaves.
  // (count = 1 with a pop means rd_next = wr_ptr: the memory would return the old word there.)
  const toHead = m.wire(`${name}_to_head`, inFire.and(notEmpty.not().or(outFire.and(count.eq(1)))));
  // Read data register with no reset, loaded only by the read: the memory's synchronous port.
  const headMem = m.reg(`${name}_head_mem`, o.inData.type);
  m.sync(() => m.when(outFire, () => headMem.set(mem.read(rdNext))));
  const headByp = m.reg(`${name}_head_byp_data`, o.inData.type);
  m.sync(() => m.when(toHead, () => headByp.set(o.inData)));
  // Which register holds the head; after a pop that is not `toHead`, the word read at rd_next
  // (written at an earlier edge, or the FIFO is now empty and the data is not looked at). No
  // reset: it only steers out_data, which means nothing until the first push sets it.
  const useByp = m.reg(`${name}_head_byp`, bit());
  m.sync(() =>
    m
      .when(toHead, () => useByp.set(1))
      .elseWhen(outFire, () => useByp.set(0)),
  );
  const outData = m.wire(`${name}_head`, mux(useByp, headByp, headMem));
  return { inReady: notFull, outValid: notEmpty, outData, count };
}

/** depth = 1: one data register and a full flag; in_ready = !full, so it alternates. */
function fifo1(m: ModuleBuilder, name: string, o: FifoOptions): FifoPorts {
  const full = m.reg(`${name}_full`, bit(), { reset: 0 });
  const data = m.reg(`${name}_data`, o.inData.type);
  const inReady = m.wire(`${name}_in_ready`, full.not());
  const inFire = m.wire(`${name}_in_fire`, o.inValid.and(inReady));
  m.sync(() => m.when(inFire, () => data.set(o.inData)));
  m.sync(() =>
    m
      .when(inFire, () => full.set(1))
      .elseWhen(o.outReady, () => full.set(0)),
  );
  return { inReady, outValid: full, outData: data, count: full };
}

export function commonFifo(p: Params<typeof fifoParams>, name = p.top) {
  const t = uint(p.width);
  return module(
    name,
    (m) => {
      const inp = m.inStream('in', { data: t });
      const out = m.outStream('out', { data: t });
      const count = m.output('count', uint(fifoCountWidth(p.depth)));
      const f = fifo(m, 'q', { depth: p.depth, inValid: inp.valid, inData: inp.data.data, outReady: out.ready });
      m.assign(inp.ready, f.inReady);
      m.assign(out.valid, f.outValid);
      m.assign(out.data.data, f.outData);
      m.assign(count, f.count);
    },
    {
      doc: [
        `FIFO: ${p.depth} x u${p.width}, first word fall through, latency 1 cycle.`,
        'out_valid and in_ready are registers: no combinational path in_valid -> out_valid or out_ready -> in_ready.',
        p.depth === 1
          ? 'depth 1: a single register, in_ready = !out_valid, so at most one beat every other cycle.'
          : 'One beat per cycle in and out at once; a full FIFO accepts again the cycle after it is read.',
        `count: occupancy (${fifoCountWidth(p.depth)} bits), registered.`,
      ].join('\n'),
      params: { depth: p.depth, width: p.width },
    },
  );
}

export const fifoDesign = defineDesign({
  name: 'common.fifo',
  description: 'Synchronous FWFT FIFO (valid/ready), any depth, registered flags and count',
  params: fifoParams,
  check() {
    // No rules across parameters: every depth and width in range is valid.
  },
  build: (p) => commonFifo(p),
});
