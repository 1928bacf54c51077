// Carry-save compressor tree (Dadda): a sum of many terms is laid out as a bit matrix — one
// list of 1-bit terms per column, column c worth 2^c, plus a constant — and reduced to two rows
// with full adders (3 bits of a column → a sum bit there and a carry bit one column up) and half
// adders, level by level, each level bringing every column down to the next height of Dadda's
// sequence 2, 3, 4, 6, 9, 13, 19, ... The caller adds the two rows with one carry-propagate
// adder. Everything is modulo 2^width: a carry out of the top column is not built.
//
// The constant's set bits (modulo 2^width) join their columns last, so that a constant 1 is
// the third input of a full adder (sum ~(a ^ b), carry a | b) or the second of a half adder
// (sum ~a, carry a): no gate ever has a constant input.
//
// Signed terms go in as unsigned bits in Baugh-Wooley form: a two's complement value
// −b·2^p + Σ lower bits equals (¬b)·2^p + Σ lower bits − 2^p, so its top bit is inverted and
// −2^p joins the constant.
import { type Expr, type ModuleBuilder, cat, uint } from '../../dsl/index.ts';

/** A bit matrix: `cols[c]` holds the 1-bit unsigned terms of weight 2^c; `constant` is added too. */
export interface BitMatrix {
  cols: Expr[][];
  constant: bigint;
}

export function bitMatrix(width: number): BitMatrix {
  return { cols: Array.from({ length: width }, () => []), constant: 0n };
}

/** Add one 1-bit term of weight 2^col (dropped beyond the matrix). */
export function addBit(mat: BitMatrix, col: number, bit: Expr): void {
  if (col < mat.cols.length) mat.cols[col].push(bit);
}

/** Add the bits of `word` (read unsigned) at column `offset` up; bits beyond the matrix are dropped. */
export function addBits(mat: BitMatrix, word: Expr, offset = 0): void {
  for (let i = 0; i < word.width; i++) addBit(mat, offset + i, word.bit(i));
}

/** Add a constant (any integer; the tree takes it modulo 2^width). */
export function addConstant(mat: BitMatrix, value: bigint): void {
  mat.constant += value;
}

/** A term of the tree: a 1-bit expression, or the constant 1. */
type Term = Expr | 1;

/**
 * Add the two's complement product a·b (both signed) in Baugh-Wooley form at column `offset`:
 * a_i·b_j for i, j below the top bits, the inverted mixed terms ¬(a_i·b_top) and ¬(a_top·b_j),
 * a_top·b_top, and their −1s in the constant. Exact modulo 2^width of the matrix.
 */
export function addSignedProduct(mat: BitMatrix, a: Expr, b: Expr, offset = 0): void {
  const [na, nb] = [a.width, b.width];
  const [ua, ub] = [a.asUnsigned(), b.asUnsigned()];
  for (let i = 0; i < na - 1; i++) for (let j = 0; j < nb - 1; j++) addBit(mat, offset + i + j, ua.bit(i).and(ub.bit(j)));
  for (let i = 0; i < na - 1; i++) addBit(mat, offset + i + nb - 1, ua.bit(i).and(ub.bit(nb - 1)).not());
  for (let j = 0; j < nb - 1; j++) addBit(mat, offset + na - 1 + j, ua.bit(na - 1).and(ub.bit(j)).not());
  addBit(mat, offset + na + nb - 2, ua.bit(na - 1).and(ub.bit(nb - 1)));
  const mixed = ((1n << BigInt(na - 1)) - 1n) * (1n << BigInt(nb - 1)) + ((1n << BigInt(nb - 1)) - 1n) * (1n << BigInt(na - 1));
  addConstant(mat, -(mixed << BigInt(offset)));
}

/**
 * Reduce `mat` to two rows (uint of the matrix width) whose sum equals the matrix's sum modulo
 * 2^width. Wires are named `<name>_s<k>` / `<name>_c<k>` (sum and carry of compressor k). In a
 * column, the terms added first are compressed first.
 */
export function compressorTree(m: ModuleBuilder, name: string, mat: BitMatrix): [Expr, Expr] {
  const cur = reduceTerms(m, name, mat);
  const zero = m.const(uint(1), 0);
  const one = m.const(uint(1), 1);
  const row = (r: number) => cat(...cur.map((c) => (c[r] === undefined ? zero : c[r] === 1 ? one : (c[r] as Expr))).reverse());
  return [row(0), row(1)];
}

/**
 * Reduce `mat` to a matrix of the same sum (modulo 2^width) whose every column holds at most
 * two terms, its constant bit counted as one: the two rows of compressorTree before they are
 * assembled, so that a pipeline register can hold just the variable bits (the constant needs
 * no flip-flop).
 */
export function reduceMatrix(m: ModuleBuilder, name: string, mat: BitMatrix): BitMatrix {
  const out = bitMatrix(mat.cols.length);
  reduceTerms(m, name, mat).forEach((col, c) =>
    col.forEach((t) => {
      if (t === 1) out.constant += 1n << BigInt(c);
      else out.cols[c].push(t);
    }),
  );
  return out;
}

/** The columns of `mat` reduced to at most two terms each (Dadda), constants as 1s. */
function reduceTerms(m: ModuleBuilder, name: string, mat: BitMatrix): Term[][] {
  const width = mat.cols.length;
  const constant = BigInt.asUintN(width, mat.constant);
  let cur: Term[][] = mat.cols.map((c, i) => [...c, ...((constant >> BigInt(i)) & 1n ? [1 as const] : [])]);
  const heights = [2];
  const maxHeight = Math.max(2, ...cur.map((c) => c.length));
  while (heights[heights.length - 1] < maxHeight) heights.push(Math.floor((heights[heights.length - 1] * 3) / 2));
  let k = 0;
  /** Sum and carry of `terms` (2 or 3; constants last). */
  const compress = (terms: Term[], carryNeeded: boolean): [Term | undefined, Term | undefined] => {
    const vars = terms.filter((t): t is Expr => t !== 1);
    const ones = terms.length - vars.length;
    const id = k++;
    const wire = (kind: 's' | 'c', e: Expr) => m.wire(`${name}_${kind}${id}`, e);
    if (vars.length === 3) {
      const [a, b, c] = vars;
      const ab = a.xor(b);
      return [wire('s', ab.xor(c)), carryNeeded ? wire('c', a.and(b).or(a.and(c)).or(b.and(c))) : undefined];
    }
    if (vars.length === 2) {
      const [a, b] = vars;
      // a + b, or a + b + 1
      return ones === 0 ? [wire('s', a.xor(b)), carryNeeded ? wire('c', a.and(b)) : undefined] : [wire('s', a.xor(b).not()), carryNeeded ? wire('c', a.or(b)) : undefined];
    }
    if (vars.length === 1) {
      const [a] = vars;
      // a + 1 (half adder), or a + 2 (full adder with two constants)
      return ones === 1 ? [wire('s', a.not()), a] : [a, 1];
    }
    // constants only: 2 → (0, 1); 3 → (1, 1)
    return [ones === 3 ? 1 : undefined, 1];
  };
  // Targets below the tallest column, tallest first.
  for (let t = heights.length - 2; t >= 0; t--) {
    const d = heights[t];
    const next: Term[][] = Array.from({ length: width }, () => []);
    let carriesIn = 0;
    for (let c = 0; c < width; c++) {
      const old = cur[c];
      let h = old.length + carriesIn;
      let carriesOut = 0;
      let i = 0;
      while (h > d) {
        const full = h - d >= 2 && old.length - i >= 3;
        if (!full && old.length - i < 2) throw new Error(`compressorTree ${name}: column ${c} cannot reach height ${d}`);
        const n = full ? 3 : 2;
        const [sum, carry] = compress(old.slice(i, i + n), c + 1 < width);
        if (sum !== undefined) next[c].push(sum);
        if (carry !== undefined && c + 1 < width) next[c + 1].push(carry);
        i += n;
        h -= n - 1;
        carriesOut++;
      }
      next[c].push(...old.slice(i));
      carriesIn = carriesOut;
    }
    cur = next;
  }
  return cur;
}
