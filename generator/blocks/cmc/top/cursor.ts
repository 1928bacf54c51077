// A cursor over a segment's tokens (t, i) in ascending order, for cmc_top's PREDICT phase
// (generator/blocks/cmc/top.ts): the issue side and the walker each run one, `iss` and `walk`.
import { type Expr, type ModuleBuilder, type Signal, mux, uint } from '../../../dsl/index.ts';
import type { TopEnv } from './env.ts';

export interface CursorInputs {
  /** the segment's mode (1 = intra) and intra row-segment length G_v */
  cfgIntra: Expr;
  cfgGv: Expr;
  /** the inter I matrix floor((g − 1)/2) */
  tI: Expr;
}

export interface TokenCursor {
  t: Signal;
  i: Signal;
  /** intra: the reference row of i's row segment */
  refRow: Signal;
  /** (t, i) is a reference: the I matrix's token (inter) or its row segment's reference row (intra) */
  isRef: Signal;
  /** Steps, inside a process: to token 0 of matrix `next`; to the next token of the matrix. */
  toMatrix(next: Expr): void;
  toNextToken(): void;
}

/** Intra row segment of a row: its reference row and whether the row is its last. */
function segInfo(m: ModuleBuilder, env: TopEnv, cfgGv: Expr, prefix: string, s0: Expr, pos: Expr) {
  const { g, lit } = env;
  const rest = m.wire(`${prefix}_rest`, lit(g.gvBits, g.N).sub(s0.zext(g.gvBits)).trunc(g.gvBits)); // N − s0
  const len = m.wire(`${prefix}_len`, mux(cfgGv.lt(rest), cfgGv, rest));
  const refRow = m.wire(`${prefix}_ref_row`, s0.zext(g.gvBits + 1).add(len.sub(1).trunc(g.gvBits).shr(1).zext(g.gvBits + 1)).trunc(g.gvBits + 1).trunc(g.iBits));
  const segEnd = m.wire(`${prefix}_seg_end`, pos.eq(len.sub(1).trunc(g.gvBits)));
  return { refRow, segEnd };
}

/**
 * A cursor over the segment's tokens (t, i) (registers `<prefix>_t`, `<prefix>_i`, …), with the
 * intra row segment of i: whether (t, i) is a reference, and its steps.
 */
export function tokenCursor(m: ModuleBuilder, env: TopEnv, prefix: string, s: CursorInputs): TokenCursor {
  const { g, inc } = env;
  const t = m.reg(`${prefix}_t`, uint(g.tBits));
  const i = m.reg(`${prefix}_i`, uint(g.iBits));
  const seg0 = m.reg(`${prefix}_seg_start`, uint(g.iBits)); // intra: first row of the row segment
  const segPos = m.reg(`${prefix}_seg_pos`, uint(g.gvBits)); // intra: row within the segment
  const seg = segInfo(m, env, s.cfgGv, prefix, seg0, segPos);
  return {
    t,
    i,
    refRow: seg.refRow,
    isRef: m.wire(`${prefix}_is_ref`, mux(s.cfgIntra, i.eq(seg.refRow), t.eq(s.tI))),
    toMatrix(next: Expr) {
      t.set(next);
      i.set(0);
      seg0.set(0);
      segPos.set(0);
    },
    toNextToken() {
      i.set(inc(i));
      m.when(seg.segEnd, () => {
        seg0.set(inc(i));
        segPos.set(0);
      }).otherwise(() => segPos.set(inc(segPos)));
    },
  };
}
