// Mutants of generated Verilog: small edits to the text of one line each, in the module
// bodies only (never the file header, the port list or the declarations), that a good set of
// cosimulation cases should notice.
//
//   operator   + <-> -, & <-> |, ^ -> &, && <-> ||, < <-> <=, > <-> >=, == <-> !=
//              (in expressions: right-hand sides and conditions, never the `<=` of an assignment)
//   constant   a sized literal by one, staying in range: 8'd5 -> 8'd6 and 8'd4; 1'b0 -> 1'b1
//   condition  if (c) -> if (!c)
//   ternary    c ? a : b -> c ? b : a
//   enable     in a clocked block, if (c) -> if (1'b1): the register loads every cycle
//              (not for reset conditions)
//
// Assignments to a wire that nothing reads (the `_unused` lint sink) are left alone: a change
// there cannot be observed by construction. Mutant ids number the full list in file, line and
// column order, so they stay the same whatever sample of them runs.
import { Rng } from '../stimulus/rng.ts';

export type MutationKind = 'operator' | 'constant' | 'condition' | 'ternary' | 'enable';

export interface Mutant {
  /** 1-based position in the full list of mutants of the design (stable for a given Verilog). */
  id: number;
  /** Source file name (as in the filelist). */
  file: string;
  /** 1-based line number. */
  line: number;
  /** 0-based column of the edit. */
  column: number;
  kind: MutationKind;
  /** e.g. `operator + -> -`. */
  description: string;
  /** The whole line before and after. */
  before: string;
  after: string;
}

// ---- tokens -------------------------------------------------------------------------------

export interface Token {
  text: string;
  start: number;
  end: number;
  kind: 'id' | 'number' | 'sized' | 'op' | 'string' | 'system' | 'directive';
}

const OPERATORS = ['<<<', '>>>', '===', '!==', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '~&', '~|', '~^', '^~', '**', '+:', '-:', '->', ...'+-*/%&|^~!<>?:=()[]{},;@#.'];
const SIZED = /^\d[\d_]*\s*'[sS]?[bBoOdDhH]\s*[0-9a-fA-FxXzZ?_]+/;
const UNSIZED_BASED = /^'[sS]?[bBoOdDhH]\s*[0-9a-fA-FxXzZ?_]+|^'[01xXzZ]/;
const NUMBER = /^\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*|^\\\S+/;

/** Tokens of one line of Verilog; `inComment` carries an open block comment across lines. */
export function tokenize(line: string, state: { inComment: boolean } = { inComment: false }): Token[] {
  const toks: Token[] = [];
  let i = 0;
  while (i < line.length) {
    if (state.inComment) {
      const e = line.indexOf('*/', i);
      if (e < 0) return toks;
      state.inComment = false;
      i = e + 2;
      continue;
    }
    const rest = line.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    if (rest.startsWith('//')) break;
    if (rest.startsWith('/*')) {
      state.inComment = true;
      i += 2;
      continue;
    }
    let m: RegExpExecArray | null;
    const push = (text: string, kind: Token['kind']) => {
      toks.push({ text, start: i, end: i + text.length, kind });
      i += text.length;
    };
    if (rest[0] === '"') {
      const s = /^"(?:[^"\\]|\\.)*"?/.exec(rest)!;
      push(s[0], 'string');
    } else if ((m = SIZED.exec(rest))) push(m[0], 'sized');
    else if ((m = UNSIZED_BASED.exec(rest))) push(m[0], 'number');
    else if ((m = NUMBER.exec(rest))) push(m[0], 'number');
    else if ((m = IDENT.exec(rest))) push(m[0], 'id');
    else if ((m = /^\$[A-Za-z0-9_$]+/.exec(rest))) push(m[0], 'system');
    else if ((m = /^`[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) push(m[0], 'directive');
    else {
      const op = OPERATORS.find((o) => rest.startsWith(o)) ?? rest[0]!;
      push(op, 'op');
    }
  }
  return toks;
}

// ---- mutation rules -------------------------------------------------------------------------

const SWAPS: Readonly<Record<string, readonly string[]>> = {
  '+': ['-'],
  '-': ['+'],
  '&': ['|'],
  '|': ['&'],
  '^': ['&'],
  '&&': ['||'],
  '||': ['&&'],
  '<': ['<='],
  '<=': ['<'],
  '>': ['>='],
  '>=': ['>'],
  '==': ['!='],
  '!=': ['=='],
};

const KEYWORDS = new Set(['input', 'output', 'inout', 'wire', 'reg', 'signed', 'unsigned', 'integer', 'logic', 'tri']);
const DECLARATION = /^\s*(wire|reg|integer|genvar|localparam|parameter|real|time|event|tri|supply[01])\b/;
const RESET_NAME = /(^|_)(rst|reset)(_n|_ni|_b)?$/i;

interface LiteralParts {
  width: number;
  signed: string;
  base: string;
  digits: string;
}

function parseSized(text: string): LiteralParts | undefined {
  const m = /^(\d[\d_]*)\s*'([sS]?)([bBoOdDhH])\s*([0-9a-fA-F_]+)$/.exec(text);
  if (!m) return undefined; // x/z digits: not a number to change
  return { width: Number(m[1]!.replace(/_/g, '')), signed: m[2]!, base: m[3]!, digits: m[4]!.replace(/_/g, '') };
}

const RADIX: Record<string, number> = { b: 2, o: 8, d: 10, h: 16 };

/** The literal's value plus and minus one, where they stay within its width. */
export function neighbourLiterals(text: string): string[] {
  const p = parseSized(text);
  if (!p || p.width < 1 || p.width > 4096) return [];
  const radix = RADIX[p.base.toLowerCase()]!;
  let v = 0n;
  for (const ch of p.digits.toLowerCase()) v = v * BigInt(radix) + BigInt(parseInt(ch, radix));
  const max = (1n << BigInt(p.width)) - 1n;
  if (v > max) return [];
  const fmt = (x: bigint) => {
    let d = x.toString(radix);
    if (radix !== 10 && d.length < p.digits.length) d = d.padStart(p.digits.length, '0');
    if (/[A-F]/.test(p.digits)) d = d.toUpperCase();
    return `${p.width}'${p.signed}${p.base}${d}`;
  };
  const out: string[] = [];
  if (v < max) out.push(fmt(v + 1n));
  if (v > 0n) out.push(fmt(v - 1n));
  return out;
}

interface Edit {
  kind: MutationKind;
  start: number;
  end: number;
  text: string;
  description: string;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** Index of the token closing the bracket at `open`, or -1. */
function matching(toks: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (OPEN.has(toks[i]!.text)) depth++;
    else if (CLOSE.has(toks[i]!.text) && --depth === 0) return i;
  }
  return -1;
}

/** Operator, constant and ternary edits of the expression tokens [a, b). */
function expressionEdits(line: string, toks: Token[], a: number, b: number): Edit[] {
  const edits: Edit[] = [];
  for (let i = a; i < b; i++) {
    const t = toks[i]!;
    if (t.kind === 'op' && SWAPS[t.text]) {
      for (const alt of SWAPS[t.text]!) edits.push({ kind: 'operator', start: t.start, end: t.end, text: alt, description: `operator ${t.text} -> ${alt}` });
    } else if (t.kind === 'sized') {
      for (const alt of neighbourLiterals(t.text)) edits.push({ kind: 'constant', start: t.start, end: t.end, text: alt, description: `constant ${t.text} -> ${alt}` });
    } else if (t.kind === 'op' && t.text === '?') {
      // then-arm: up to the matching ':'; else-arm: to the end of the conditional expression.
      let depth = 0;
      let nested = 0;
      let colon = -1;
      let end = b;
      for (let j = i + 1; j < b; j++) {
        const x = toks[j]!.text;
        if (OPEN.has(x)) depth++;
        else if (CLOSE.has(x)) {
          if (--depth < 0) {
            end = j;
            break;
          }
        } else if (depth === 0) {
          if (colon < 0) {
            if (x === '?') nested++;
            else if (x === ':') {
              if (nested === 0) colon = j;
              else nested--;
            } else if (x === ';' || x === ',') break;
          } else if (x === '?') nested++;
          else if (x === ':') {
            if (nested === 0) {
              end = j;
              break;
            }
            nested--;
          } else if (x === ';' || x === ',') {
            end = j;
            break;
          }
        }
      }
      if (colon <= i + 1 || end <= colon + 1) continue;
      const thenText = line.slice(toks[i + 1]!.start, toks[colon - 1]!.end);
      const elseText = line.slice(toks[colon + 1]!.start, toks[end - 1]!.end);
      edits.push({ kind: 'ternary', start: toks[i + 1]!.start, end: toks[end - 1]!.end, text: `${elseText} : ${thenText}`, description: 'ternary arms swapped' });
    }
  }
  return edits;
}

/** Condition edits of an `if (` at token `open` (the '(' token) .. `close`. */
function conditionEdits(line: string, toks: Token[], open: number, close: number, clocked: boolean, resets: Set<string>): Edit[] {
  if (close <= open + 1) return [];
  const inner = toks.slice(open + 1, close);
  const start = inner[0]!.start;
  const end = inner[inner.length - 1]!.end;
  const cond = line.slice(start, end);
  const edits: Edit[] = [];
  const negatedSingle = inner.length === 2 && (inner[0]!.text === '!' || inner[0]!.text === '~') && inner[1]!.kind === 'id';
  const inverted = inner.length === 1 ? `!${cond}` : negatedSingle ? inner[1]!.text : `!(${cond})`;
  edits.push({ kind: 'condition', start, end, text: inverted, description: `condition ${cond} -> ${inverted}` });
  const ids = inner.filter((t) => t.kind === 'id');
  const isReset = ids.length === 1 && inner.length <= 2 && resets.has(ids[0]!.text);
  const constant = inner.every((t) => t.kind === 'sized' || t.kind === 'number');
  if (clocked && !isReset && !constant) edits.push({ kind: 'enable', start, end, text: "1'b1", description: `enable dropped: if (${cond}) -> if (1'b1)` });
  return edits;
}

interface FileContext {
  outputs: Set<string>;
  resets: Set<string>;
  /** How often each identifier occurs in the module bodies (outside declarations). */
  uses: Map<string, number>;
}

type LineRole = { role: 'skip' } | { role: 'assign' } | { role: 'always'; clocked: boolean; inCase: boolean } | { role: 'continue'; of: 'assign' | 'always'; clocked: boolean };

/** Classify every line: header and declarations are skipped; module-body statements are mutable. */
function lineRoles(lines: string[]): { roles: LineRole[]; tokens: Token[][]; ctx: FileContext } {
  const roles: LineRole[] = [];
  const tokens: Token[][] = [];
  const ctx: FileContext = { outputs: new Set(), resets: new Set(), uses: new Map() };
  const inputs: string[] = [];
  const comment = { inComment: false };
  let state: 'outside' | 'header' | 'body' = 'outside';
  let always: { clocked: boolean; depth: number; opened: boolean; caseDepth: number } | undefined;
  let open: 'assign' | 'always' | undefined; // a statement continued on the next line
  let direction: string | undefined;
  for (const line of lines) {
    const toks = tokenize(line, comment);
    tokens.push(toks);
    const first = toks[0]?.text;
    if (toks.length === 0 || first?.startsWith('`')) {
      roles.push({ role: 'skip' });
      continue;
    }
    if (state === 'outside' || state === 'header') {
      if (state === 'outside' && first !== 'module' && first !== 'macromodule') {
        roles.push({ role: 'skip' });
        continue;
      }
      // ANSI port declarations: `input wire [7:0] a, b,` — a name is the identifier before a `,` `)` or `;`.
      let depth = 0;
      for (let k = 0; k < toks.length; k++) {
        const t = toks[k]!;
        if (t.text === 'input' || t.text === 'output' || t.text === 'inout') direction = t.text;
        else if (t.text === '[') depth++;
        else if (t.text === ']') depth--;
        else if (t.kind === 'id' && depth === 0 && !KEYWORDS.has(t.text) && direction && [',', ')', ';', undefined].includes(toks[k + 1]?.text)) {
          if (direction === 'input') inputs.push(t.text);
          else ctx.outputs.add(t.text);
        }
      }
      state = toks.some((t) => t.text === ';') ? 'body' : 'header';
      roles.push({ role: 'skip' });
      continue;
    }
    // body
    if (first === 'endmodule') {
      state = 'outside';
      direction = undefined;
      always = undefined;
      open = undefined;
      roles.push({ role: 'skip' });
      continue;
    }
    const count = () => {
      for (const t of toks) if (t.kind === 'id') ctx.uses.set(t.text, (ctx.uses.get(t.text) ?? 0) + 1);
    };
    if (open) {
      count();
      roles.push({ role: 'continue', of: open, clocked: always?.clocked ?? false });
      if (toks.some((t) => t.text === ';')) open = undefined;
      continue;
    }
    if (always) {
      count();
      for (const t of toks) {
        if (t.text === 'begin') {
          always.depth++;
          always.opened = true;
        } else if (t.text === 'end') always.depth--;
        else if (t.text === 'case' || t.text === 'casez' || t.text === 'casex') always.caseDepth++;
        else if (t.text === 'endcase') always.caseDepth--;
      }
      roles.push({ role: 'always', clocked: always.clocked, inCase: always.caseDepth > 0 });
      if (always.opened ? always.depth <= 0 : toks.some((t) => t.text === ';')) always = undefined;
      continue;
    }
    if (first === 'always' || first === 'always_ff' || first === 'always_comb') {
      const clocked = toks.some((t) => t.text === 'posedge' || t.text === 'negedge');
      always = { clocked, depth: 0, opened: false, caseDepth: 0 };
      for (const t of toks) if (t.text === 'begin') (always.depth++, (always.opened = true));
      roles.push({ role: 'skip' });
      continue;
    }
    if (first === 'assign') {
      count();
      roles.push({ role: 'assign' });
      if (!toks.some((t) => t.text === ';')) open = 'assign';
      continue;
    }
    if (DECLARATION.test(line)) {
      roles.push({ role: 'skip' });
      continue;
    }
    // instances, initial blocks, generate constructs: left alone, but they read signals
    count();
    roles.push({ role: 'skip' });
  }
  for (const n of inputs) if (RESET_NAME.test(n)) ctx.resets.add(n);
  if (inputs.length === 0) ctx.resets.add('rst');
  return { roles, tokens, ctx };
}

/** Edits of one statement line inside an always block. */
function alwaysEdits(line: string, toks: Token[], clocked: boolean, inCase: boolean, resets: Set<string>): Edit[] {
  const edits: Edit[] = [];
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!.text;
    if (t === 'begin' || t === 'end' || t === 'else' || t === 'endcase' || t === ';') {
      i++;
      if (t === 'begin' && toks[i]?.text === ':') i += 2; // named block
      continue;
    }
    if (t === 'if' && toks[i + 1]?.text === '(') {
      const close = matching(toks, i + 1);
      if (close < 0) return edits;
      edits.push(...conditionEdits(line, toks, i + 1, close, clocked, resets));
      edits.push(...expressionEdits(line, toks, i + 2, close));
      i = close + 1;
      continue;
    }
    if ((t === 'case' || t === 'casez' || t === 'casex') && toks[i + 1]?.text === '(') {
      const close = matching(toks, i + 1);
      if (close < 0) return edits;
      i = close + 1;
      continue;
    }
    if (t === 'default') {
      i += toks[i + 1]?.text === ':' ? 2 : 1;
      continue;
    }
    // A statement, or in a case a label list `L1, L2:` then a statement.
    let semi = toks.findIndex((x, j) => j >= i && x.text === ';');
    if (semi < 0) semi = toks.length;
    let assignOp = -1;
    let labelColon = -1;
    let depth = 0;
    for (let j = i; j < semi; j++) {
      const x = toks[j]!.text;
      if (OPEN.has(x)) depth++;
      else if (CLOSE.has(x)) depth--;
      else if (depth === 0 && (x === '<=' || x === '=') && assignOp < 0) {
        assignOp = j;
        break;
      } else if (depth === 0 && x === ':' && inCase && labelColon < 0) {
        labelColon = j;
        break;
      }
    }
    if (labelColon >= 0) {
      edits.push(...expressionEdits(line, toks, i, labelColon).filter((e) => e.kind === 'constant'));
      i = labelColon + 1;
      continue;
    }
    if (assignOp >= 0) edits.push(...expressionEdits(line, toks, assignOp + 1, semi));
    i = semi + 1;
  }
  return edits;
}

/** Apply an edit to a line; pads with spaces when the new text would fuse with its neighbours into other tokens. */
function applyEdit(line: string, e: Edit): string {
  const plain = line.slice(0, e.start) + e.text + line.slice(e.end);
  const want = [...tokenize(line.slice(0, e.start)), ...tokenize(e.text), ...tokenize(line.slice(e.end))].map((t) => t.text);
  const got = tokenize(plain).map((t) => t.text);
  if (want.length === got.length && want.every((w, k) => w === got[k])) return plain;
  return `${line.slice(0, e.start)} ${e.text} ${line.slice(e.end)}`;
}

/** Every mutant of the given Verilog files, in file, line and column order (ids from 1). */
export function findMutants(files: readonly { name: string; text: string }[]): Mutant[] {
  const out: Mutant[] = [];
  for (const f of files) {
    const lines = f.text.split('\n');
    const { roles, tokens, ctx } = lineRoles(lines);
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      const toks = tokens[n]!;
      const role = roles[n]!;
      let edits: Edit[] = [];
      if (role.role === 'assign') {
        const eq = toks.findIndex((t) => t.text === '=');
        const lhs = toks[1]?.kind === 'id' ? toks[1].text : undefined;
        // A wire nothing reads (the _unused lint sink): no change to it can be observed.
        const unread = lhs !== undefined && !ctx.outputs.has(lhs) && (ctx.uses.get(lhs) ?? 0) <= 1;
        if (eq > 0 && !unread) {
          const semi = toks.findIndex((t) => t.text === ';');
          edits = expressionEdits(line, toks, eq + 1, semi < 0 ? toks.length : semi);
        }
      } else if (role.role === 'always') {
        edits = alwaysEdits(line, toks, role.clocked, role.inCase, ctx.resets);
      } else if (role.role === 'continue') {
        const semi = toks.findIndex((t) => t.text === ';');
        edits = expressionEdits(line, toks, 0, semi < 0 ? toks.length : semi);
      }
      edits.sort((a, b) => a.start - b.start || a.end - b.end);
      for (const e of edits) {
        const after = applyEdit(line, e);
        if (after === line) continue;
        out.push({ id: out.length + 1, file: f.name, line: n + 1, column: e.start, kind: e.kind, description: e.description, before: line, after });
      }
    }
  }
  return out;
}

/** The file text with the mutant applied (throws when the line no longer matches). */
export function applyMutant(text: string, m: Pick<Mutant, 'line' | 'before' | 'after' | 'file'>): string {
  const lines = text.split('\n');
  if (lines[m.line - 1] !== m.before) throw new Error(`mutant of ${m.file}:${m.line}: the line is not the one the mutant was made from`);
  lines[m.line - 1] = m.after;
  return lines.join('\n');
}

/**
 * At most `max` of `all`, spread evenly: one from each of `max` equal slices of the list,
 * which one within a slice chosen by `seed` (same seed, same sample).
 */
export function sampleMutants<T>(all: readonly T[], max: number | undefined, seed: number): T[] {
  if (max === undefined || max >= all.length) return [...all];
  const rng = new Rng(seed);
  const out: T[] = [];
  for (let i = 0; i < max; i++) {
    const lo = Math.floor((i * all.length) / max);
    const hi = Math.max(lo, Math.floor(((i + 1) * all.length) / max) - 1);
    out.push(all[rng.int(lo, hi)]!);
  }
  return out;
}
