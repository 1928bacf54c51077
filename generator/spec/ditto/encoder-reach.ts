// Which select positions of the Ditto encoder's word ranks the packing can reach (no DSL code):
// the generator (generator/blocks/ditto/encoder.ts) builds only those selects.
/** A slot source kind of a word: its first/second FULL, or the LOW of slot 0..3. */
export type SrcKind = 'fa' | 'fb' | 'l0' | 'l1' | 'l2' | 'l3';
export const SRC_KINDS: SrcKind[] = ['fa', 'fb', 'l0', 'l1', 'l2', 'l3'];
/** How a select of a LOW slot can be true: `noF` (the word has no FULL: slot o takes LL[b + o]) or `oneF` (one FULL in slots 0/1: slot o ≥ 2 takes LL[b + o − 2]). */
export type LowPath = 'noF' | 'oneF';

/** The select positions of one word rank that the packing reaches, per alternative p (the FULL carried from the rank before; f0 at rank 0). */
export interface RankReach {
  /** [p]: the values of f′ in pushed words (empty: alternative p never pushes a word at this rank). */
  fq: Set<number>[];
  /** [p]: `${kind}:${x}` (FULL kinds) or `${kind}:${path}:${x}` (LOW kinds) → whether some flush word selects LL[x] past the list (the select then needs the llOk mask); absent: never used. */
  src: Map<string, boolean>[];
}

/**
 * Which slot sources each word rank r and alternative p can ever use, by an exact enumeration of
 * the packing (STRUCTURE (1)–(3) of generator/blocks/ditto/encoder.ts) over every reorder-buffer state at the beat start (f0 FULLs and
 * l0 LOWs pending, 2·f0 + l0 ≤ 4) and every lane class sequence, as a breadth-first walk over the
 * lanes of the (small) state (f0, l0, beat FULLs n, beat LOWs, p, N_{r−1}): a word formed at a
 * lane, and the flush at the end, record (r, p, f′, N_{r−1}, U0, #LOW). The selects the walk never
 * records cannot be 1 in a word that is pushed, so they are left out of the hardware, e.g.:
 *  - p = 2 at rank 0 means 2 FULLs pending, 4 slots: U0 = 4, no LOW pending, and the word is FF;
 *  - p = 1 means word r − 1 was FF leaving the newest FULL (formed by a FULL lane: N_{r−1} ≥ 1)
 *    and nothing else (T = 4r + 2 at that lane), so no LOW older than that lane is pending and
 *    the FULL list index a_r = N_{r−1} + 1 ≥ 2;
 *  - a LOW index b_r + o is bounded by the slots that the beat can bring before word r forms
 *    (≤ 2 per lane, with T crossing 4r + 5 at lane j ≥ 2r), and the flush after the last formed
 *    word holds ≤ 4 slots: e.g. the last rank with odd L (T_end ≤ 2L + 4 = 4(Wmax − 1) + 2) has at
 *    most 2 slots, so no second FULL and no LOW in slots 2/3.
 * Cost: ≤ 9·(L+1)²·3·(L+1) states per lane (a few ms at L = 16).
 */
export function encoderReach(L: number, wmax: number): RankReach[] {
  const reach: RankReach[] = Array.from({ length: wmax }, () => ({ fq: [0, 1, 2].map(() => new Set<number>()), src: [0, 1, 2].map(() => new Map<string, boolean>()) }));
  // per rank and p, per select: 1 = some word takes that source, 2 = some flush selects a LOW past the beat's LOWs
  const marks = reach.map(() => [0, 1, 2].map(() => new Map<string, number>()));
  const words = (t: number) => (t <= 4 ? 0 : (t - 1) >> 2);
  /** Word r with alternative p and f′ FULLs pending; lTot = the beat's LOWs for the flush, −1 for a formed word (its LOWs are all pending). */
  const word = (r: number, p: number, fq: number, nPrev: number, u0: number, lTot: number) => {
    reach[r].fq[p].add(fq);
    const mark = (key: string, past: boolean) => marks[r][p].set(key, (marks[r][p].get(key) ?? 0) | (past ? 2 : 1));
    const a = 2 + nPrev - p; // FL index of the oldest pending FULL
    const b = 4 + 4 * r + 2 * p - u0 - 2 * nPrev; // LL index of the oldest pending LOW
    const low = (key: string, x: number) => mark(key, lTot >= 0 && x >= 4 + lTot);
    if (fq >= 1) mark(`fa:${a}`, false); // a flush takes all its (≤ 2) pending FULLs
    if (fq >= 2) mark(`fb:${a + 1}`, false);
    if (fq === 0) for (let o = 0; o < 4; o++) low(`l${o}:noF:${b + o}`, b + o);
    if (fq === 1) for (let o = 2; o < 4; o++) low(`l${o}:oneF:${b + o - 2}`, b + o - 2);
  };
  const K = L + 1;
  const enc = (f0: number, l0: number, n: number, lows: number, p: number, nPrev: number) => ((((f0 * 5 + l0) * K + n) * K + lows) * 3 + p) * K + nPrev;
  const dec = (k: number) => {
    const nPrev = k % K;
    k = (k - nPrev) / K;
    const p = k % 3;
    k = (k - p) / 3;
    const lows = k % K;
    k = (k - lows) / K;
    const n = k % K;
    k = (k - n) / K;
    const l0 = k % 5;
    return { f0: (k - l0) / 5, l0, n, lows, p, nPrev };
  };
  let states = new Set<number>();
  for (let f0 = 0; f0 <= 2; f0++) for (let l0 = 0; 2 * f0 + l0 <= 4; l0++) states.add(enc(f0, l0, 0, 0, f0, 0));
  for (let j = 0; j < L; j++) {
    const next = new Set<number>();
    for (const k of states) {
      const s = dec(k);
      const u0 = 2 * s.f0 + s.l0;
      const r = words(u0 + 2 * s.n + s.lows);
      for (const c of [0, 1, 2]) {
        // lane j is ZERO (or not kept), LOW or FULL
        const n = s.n + (c === 2 ? 1 : 0);
        const lows = s.lows + (c === 1 ? 1 : 0);
        let { p, nPrev } = s;
        if (words(u0 + 2 * n + lows) > r) {
          const fq = p + n - nPrev;
          word(r, p, fq, nPrev, u0, -1);
          p = fq === 3 ? 1 : 0;
          nPrev = n;
        }
        next.add(enc(s.f0, s.l0, n, lows, p, nPrev));
      }
    }
    states = next;
  }
  for (const k of states) {
    const s = dec(k);
    const u0 = 2 * s.f0 + s.l0;
    word(words(u0 + 2 * s.n + s.lows), s.p, s.p + s.n - s.nPrev, s.nPrev, u0, s.lows);
  }
  // a select only ever past the list is a constant 0 (masked): left out like the unused ones
  marks.forEach((byP, r) => byP.forEach((m, p) => m.forEach((v, key) => v & 1 && reach[r].src[p].set(key, (v & 2) !== 0))));
  return reach;
}
