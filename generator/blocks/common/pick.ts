// `list[idx]` as a balanced multiplexer tree on the index bits: the selects of a crossbar or a
// small lookup, shared by the blocks that need one.
import { type Expr, clog2, mux } from '../../dsl/index.ts';

/** `list[idx]` as a balanced mux tree on the index bits (entries past the list alias lower ones: callers mask them). */
export function pick(list: Expr[], idx: Expr): Expr {
  const go = (items: Expr[], bitPos: number): Expr => {
    if (items.length === 1 || bitPos < 0) return items[0];
    const half = 1 << bitPos;
    if (items.length <= half) return go(items, bitPos - 1);
    return mux(idx.bit(bitPos), go(items.slice(half), bitPos - 1), go(items.slice(0, half), bitPos - 1));
  };
  return go(list, Math.min(idx.width, clog2(list.length)) - 1);
}
