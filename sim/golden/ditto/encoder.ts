// Golden model of the Ditto encoding unit (SPEC §1.1, §1.3), bit-accurate with the RTL
// `ditto_encoder` (generator/blocks/ditto/encoder.ts).
//
// Per element: d = x_t − x_{t+1} (difference mode) or d = x_t (original mode); sign-magnitude
// s = (d < 0), m = |d| = 16·mh + ml; class ZERO (m = 0), LOW (1..15), FULL (≥ 16).
//
// PACKING RULE (the RTL's, reproduced exactly here). Elements of one vector are scanned in
// ascending element index k (beats in order, lanes 0..L−1 within a beat, lanes with keep = 0
// skipped). ZERO elements are dropped. A reorder buffer holds the pending LOW elements (a list,
// oldest first) and the pending FULL elements (another list, oldest first); a LOW costs 1 slot,
// a FULL 2. After each LOW/FULL element is appended:
//   if the pending elements cost ≥ 5 slots, one word is emitted from them, choosing
//     two FULL (the two oldest)                         if there are ≥ 2 FULL, else
//     one FULL and two LOW (the FULL, two oldest LOW)   if there is 1 FULL,    else
//     four LOW (the four oldest);
//   (a word is emitted only when more than one word's worth is pending, so the last word of a
//   vector is always formed at the end of the vector, where it can carry the end mark.)
// At the end of the vector (the beat with `last`) everything still pending (≤ 4 slots) is
// flushed as one more word; a vector with no LOW/FULL element yields one word with no valid
// slot. So every word but the last is full, and a vector takes exactly
// max(1, ceil((nL + 2·nF)/4)) words; the reorder buffer never holds more than 4 slots (at most
// 2 FULL or 4 LOW), and at most one word is formed per element.
// SLOT ORDER within a word (the same for formed and flushed words): the word's FULL elements
// first, oldest first, each in an aligned pair (ml in slot 0/2 with h = 0, mh in slot 1/3 with
// h = 1, both slots with the element's s and k), then its LOW elements, oldest first, in the
// following slots (n = ml, h = 0). Unused slots are invalid with every field 0.
// END MARK AND STATISTICS: the last word of a vector has last = 1 and carries the vector's
// counts of ZERO, LOW and FULL elements (over kept lanes); every other word has last = 0 and
// zero counts.

export const ZERO = 0;
export const LOW = 1;
export const FULL = 2;
export type ElemClass = typeof ZERO | typeof LOW | typeof FULL;
export const CLASS_NAMES = ['ZERO', 'LOW', 'FULL'] as const;

export type Mode = 'diff' | 'orig';
/** The RTL's `mode` bit: 0 = difference, 1 = original. */
export function modeBit(mode: Mode): number {
  return mode === 'orig' ? 1 : 0;
}

export interface SignMag {
  /** the signed value */
  d: number;
  /** sign bit: 1 iff d < 0 */
  s: number;
  /** magnitude |d| */
  m: number;
  mh: number;
  ml: number;
}

function checkInt8(x: number, what: string): void {
  if (!Number.isInteger(x) || x < -128 || x > 127) throw new RangeError(`${what}: expected an int8 code (-128..127), found ${x}`);
}

/** d = x_t − x_{t+1} ∈ [−255, 255]. */
export function difference(xt: number, xt1: number): number {
  checkInt8(xt, 'x_t');
  checkInt8(xt1, 'x_{t+1}');
  return xt - xt1;
}

/** The value an element encodes: the difference, or x_t itself in original mode. */
export function elementValue(mode: Mode, xt: number, xt1: number): number {
  if (mode === 'orig') {
    checkInt8(xt, 'x_t');
    return xt;
  }
  return difference(xt, xt1);
}

export function signMag(d: number): SignMag {
  if (!Number.isInteger(d) || d < -255 || d > 255) throw new RangeError(`difference out of the 9-bit range: ${d}`);
  const m = Math.abs(d);
  return { d: d || 0, s: d < 0 ? 1 : 0, m, mh: m >> 4, ml: m & 15 }; // (d || 0: no −0)
}

export function classify(m: number): ElemClass {
  return m === 0 ? ZERO : m < 16 ? LOW : FULL;
}

/** Slots an element occupies: 0, 1 or 2. */
export function slotCost(c: ElemClass): number {
  return c;
}

export interface Slot {
  valid: number;
  s: number;
  n: number;
  h: number;
  k: number;
}

export interface Word {
  slots: [Slot, Slot, Slot, Slot];
  /** 1 on the last word of a vector */
  last: number;
  /** counts of the vector (on the last word; 0 elsewhere) */
  nzero: number;
  nlow: number;
  nfull: number;
}

export interface Element {
  k: number;
  sm: SignMag;
  cls: ElemClass;
}

export interface VectorStats {
  nzero: number;
  nlow: number;
  nfull: number;
}

export const EMPTY_SLOT: Readonly<Slot> = Object.freeze({ valid: 0, s: 0, n: 0, h: 0, k: 0 });

export function makeElement(k: number, d: number): Element {
  const sm = signMag(d);
  return { k, sm, cls: classify(sm.m) };
}

/** A word from ≤ 2 FULL and ≤ 4 LOW (total ≤ 4 slots) by the slot-order rule. */
export function formWord(fulls: readonly Element[], lows: readonly Element[]): Word {
  const slots: Slot[] = [];
  for (const f of fulls) {
    slots.push({ valid: 1, s: f.sm.s, n: f.sm.ml, h: 0, k: f.k });
    slots.push({ valid: 1, s: f.sm.s, n: f.sm.mh, h: 1, k: f.k });
  }
  for (const l of lows) slots.push({ valid: 1, s: l.sm.s, n: l.sm.ml, h: 0, k: l.k });
  if (slots.length > 4) throw new Error(`formWord: ${slots.length} slots`);
  while (slots.length < 4) slots.push({ ...EMPTY_SLOT });
  return { slots: slots as Word['slots'], last: 0, nzero: 0, nlow: 0, nfull: 0 };
}

/**
 * The reorder buffer and word former of one vector, element by element (the RTL's scan order).
 * `add` returns the word formed by this element, if any; `finish` returns the flush word (the
 * vector's last) and resets for the next vector.
 */
export class Packer {
  private fulls: Element[] = [];
  private lows: Element[] = [];
  private formed = 0;
  private stats: VectorStats = { nzero: 0, nlow: 0, nfull: 0 };

  /** Slots held by the pending elements (≤ 4 between elements). */
  get pendingSlots(): number {
    return 2 * this.fulls.length + this.lows.length;
  }

  add(e: Element): Word | undefined {
    if (e.cls === ZERO) {
      this.stats.nzero++;
      return undefined;
    }
    if (e.cls === LOW) {
      this.stats.nlow++;
      this.lows.push(e);
    } else {
      this.stats.nfull++;
      this.fulls.push(e);
    }
    let w: Word | undefined;
    if (this.pendingSlots >= 5) {
      if (this.fulls.length >= 2) {
        w = formWord(this.fulls.slice(0, 2), []);
        this.fulls = this.fulls.slice(2);
      } else if (this.fulls.length === 1) {
        w = formWord(this.fulls, this.lows.slice(0, 2));
        this.fulls = [];
        this.lows = this.lows.slice(2);
      } else {
        w = formWord([], this.lows.slice(0, 4));
        this.lows = this.lows.slice(4);
      }
      this.formed++;
    }
    if (this.pendingSlots > 4) throw new Error('Packer: reorder buffer over 4 slots (bug)');
    return w;
  }

  finish(): Word {
    if (this.formed > 0 && this.pendingSlots === 0) throw new Error('Packer: nothing pending at the end after a formed word (bug)');
    const w = formWord(this.fulls, this.lows);
    w.last = 1;
    w.nzero = this.stats.nzero;
    w.nlow = this.stats.nlow;
    w.nfull = this.stats.nfull;
    this.fulls = [];
    this.lows = [];
    this.formed = 0;
    this.stats = { nzero: 0, nlow: 0, nfull: 0 };
    return w;
  }
}

/**
 * The packing of one vector's kept elements, in scan order (ascending k). Returns the words,
 * the last one marked and carrying the statistics.
 */
export function packVector(elements: readonly Element[]): Word[] {
  const pk = new Packer();
  const words: Word[] = [];
  for (const e of elements) {
    const w = pk.add(e);
    if (w) words.push(w);
  }
  words.push(pk.finish());
  return words;
}

/** max(1, ceil((nL + 2·nF)/4)) */
export function expectedWordCount(nlow: number, nfull: number): number {
  return Math.max(1, Math.ceil((nlow + 2 * nfull) / 4));
}

export function vectorStats(xt: readonly number[], xt1: readonly number[] | undefined, mode: Mode): VectorStats {
  const st: VectorStats = { nzero: 0, nlow: 0, nfull: 0 };
  for (let k = 0; k < xt.length; k++) {
    const c = classify(signMag(elementValue(mode, xt[k], xt1 ? xt1[k] : 0)).m);
    if (c === ZERO) st.nzero++;
    else if (c === LOW) st.nlow++;
    else st.nfull++;
  }
  return st;
}

// ---- the beat-level interface of the RTL ----

export interface EncoderBeat {
  /** L lanes of x_t */
  xt: number[];
  /** L lanes of x_{t+1} (ignored in original mode) */
  xp: number[];
  /** bit j = lane j is part of the vector (dropped, not counted, when 0) */
  keep: number;
  last: boolean;
  mode: Mode;
}

/** The elements of one beat (kept lanes, in lane order). */
export function beatElements(b: EncoderBeat, lanes: number, beatIdx: number, kBits = 16): Element[] {
  if (b.xt.length !== lanes || b.xp.length !== lanes) throw new RangeError(`beat with ${b.xt.length}/${b.xp.length} lanes, expected ${lanes}`);
  const kMask = 2 ** kBits - 1;
  const out: Element[] = [];
  for (let j = 0; j < lanes; j++) {
    if (((b.keep >> j) & 1) === 0) continue;
    out.push(makeElement((beatIdx * lanes + j) & kMask, elementValue(b.mode, b.xt[j], b.xp[j])));
  }
  return out;
}

/**
 * Golden model of the encoder on a beat stream, beat by beat: the words each beat pushes (the
 * words formed by its elements, then the flush word if it is a `last` beat). Element index k
 * of lane j = (beats since the start of the vector)·L + j, wrapping at 2^kBits.
 */
export function encodeBeatsPerBeat(beats: readonly EncoderBeat[], lanes: number, kBits = 16): Word[][] {
  const pk = new Packer();
  let beatIdx = 0;
  return beats.map((b) => {
    const words: Word[] = [];
    for (const e of beatElements(b, lanes, beatIdx, kBits)) {
      const w = pk.add(e);
      if (w) words.push(w);
    }
    beatIdx++;
    if (b.last) {
      words.push(pk.finish());
      beatIdx = 0;
    }
    return words;
  });
}

/** The word stream for a beat stream (every vector ended by a beat with `last`). */
export function encodeBeats(beats: readonly EncoderBeat[], lanes: number, kBits = 16): Word[] {
  if (beats.length > 0 && !beats[beats.length - 1].last) throw new Error('encodeBeats: the beat stream does not end with a last beat');
  return encodeBeatsPerBeat(beats, lanes, kBits).flat();
}

/** Split one vector into beats of `lanes` (the tail beat's missing lanes have keep = 0). */
export function vectorBeats(xt: readonly number[], xt1: readonly number[] | undefined, mode: Mode, lanes: number): EncoderBeat[] {
  const beats: EncoderBeat[] = [];
  const n = Math.max(1, Math.ceil(xt.length / lanes));
  for (let b = 0; b < n; b++) {
    const bxt: number[] = [];
    const bxp: number[] = [];
    let keep = 0;
    for (let j = 0; j < lanes; j++) {
      const k = b * lanes + j;
      if (k < xt.length) {
        bxt.push(xt[k]);
        bxp.push(xt1 ? xt1[k] : 0);
        keep |= 1 << j;
      } else {
        bxt.push(0);
        bxp.push(0);
      }
    }
    beats.push({ xt: bxt, xp: bxp, keep, last: b === n - 1, mode });
  }
  return beats;
}

/** The words of one vector (x_{t+1} may be omitted in original mode). */
export function encodeVector(xt: readonly number[], xt1: readonly number[] | undefined, mode: Mode): Word[] {
  // The packing does not depend on the beat structure, only on the kept elements in order, so
  // this equals encodeBeats(vectorBeats(xt, xt1, mode, lanes), lanes) for any lane count.
  const elems: Element[] = [];
  for (let k = 0; k < xt.length; k++) elems.push(makeElement(k, elementValue(mode, xt[k], xt1 ? xt1[k] : 0)));
  return packVector(elems);
}

/** The value a word contributes to Σ_k d_k · w_k given a weight per element index. */
export function wordDot(word: Word, weight: (k: number) => number): number {
  let acc = 0;
  for (const sl of word.slots) {
    if (!sl.valid) continue;
    acc += (sl.s ? -1 : 1) * sl.n * weight(sl.k) * (sl.h ? 16 : 1);
  }
  return acc;
}

/** Decode the words of one vector back to the signed values d_k (length K). */
export function decodeWords(words: readonly Word[], K: number): number[] {
  const d = new Array<number>(K).fill(0);
  for (const w of words) for (const sl of w.slots) if (sl.valid) d[sl.k] += (sl.s ? -1 : 1) * sl.n * (sl.h ? 16 : 1);
  return d;
}

/** Slots used by a word. */
export function validSlots(w: Word): number {
  return w.slots.reduce((a, s) => a + s.valid, 0);
}

/** Flat form for comparisons with the RTL (field per port name). */
export function wordFields(w: Word): Record<string, number> {
  const r: Record<string, number> = {};
  w.slots.forEach((s, i) => {
    r[`v${i}`] = s.valid;
    r[`s${i}`] = s.s;
    r[`n${i}`] = s.n;
    r[`h${i}`] = s.h;
    r[`k${i}`] = s.k;
  });
  r.last = w.last;
  r.nzero = w.nzero;
  r.nlow = w.nlow;
  r.nfull = w.nfull;
  return r;
}
