// Golden model of the CMC engine `cmc_top` (generator/blocks/cmc/top.ts) at its ports: the
// command stream in, the tables and the recovered output out, bit for bit. It is the algorithm
// of SPEC §2 — prediction (sim/golden/cmc/prediction.ts), condensed GEMM, scatter and recovery
// (sim/golden/cmc/gemm.ts) — applied to each segment the host sends, with the weights the host
// loaded last. Also the encoders a host (a test, `dcgen eval`) uses to build the command stream.
// Tokens per matrix, beats per token, tiles and the SAD width: generator/spec/cmc/top.ts.
import { type CmcTopParams, cmcTopGeometry } from '../../../generator/spec/cmc/top.ts';
import { type GemmEngineConfig, type Matrix, condensedProjection, gemmBeatsPerLoad, gemmWeightBeats, gemmWeightsOfBeats } from './gemm.ts';
import { type Prediction, type RowId, predictInter, predictIntra, segments } from './prediction.ts';
import { type SearchWindow, type TokenGrid, candidates, searchToken } from './search.ts';
import { sad } from './sad.ts';
import { type RequantParams, checkRequant } from '../ditto/vpu.ts';

/** The static configuration of a cmc_top (its generator parameters that matter here). */
export type CmcTopConfig = Pick<CmcTopParams, 'n' | 'signed' | 'elemsPerBeat' | 'gridH' | 'gridW' | 'maxFrames' | 'window' | 'radius' | 'nOut' | 'cols'>;

/** One segment command: g = X.length matrices. */
export interface CmcSegment {
  /** X[t][i][k]: element k of token i of matrix t (signed or unsigned per config) */
  X: number[][][];
  mode: 'inter' | 'intra';
  /** intra row-segment length G_v (ignored for inter; must still be 1..N) */
  gv: number;
  thr: number;
  rq: RequantParams;
}

export type CmcCommand = { kind: 'weights'; W: Matrix } | ({ kind: 'segment' } & CmcSegment);

type Beat = Record<string, number>;

function gridOf(c: CmcTopConfig): TokenGrid {
  return { H: c.gridH, W: c.gridW };
}

function windowOf(c: CmcTopConfig): SearchWindow {
  return c.window === 'full' ? { kind: 'full' } : { kind: 'radius', R: c.radius };
}

const byte = (v: number) => v & 0xff;

/** A command beat: every field of `in`, the unused ones 0. */
function inBeat(c: CmcTopConfig, fields: Beat): Beat {
  const beat: Beat = { op: 0, g: 0, mode: 0, gv: 0, thr: 0, m: 0, s: 0, zp: 0 };
  for (let k = 0; k < c.elemsPerBeat; k++) beat[`d_${k}`] = 0;
  return Object.assign(beat, fields);
}

/** The GEMM engine's geometry inside a cmc_top. */
function gemmOf(c: CmcTopConfig): GemmEngineConfig {
  return { e: c.elemsPerBeat, B: c.cols, K: c.n, nOut: c.nOut };
}

/** Weight beats of W (K × nOut int8): cmc_gemm's `w` beats (tile u, column j, beat b) as raw bytes. */
export function weightBeats(W: Matrix, c: CmcTopConfig): Beat[] {
  return gemmWeightBeats(W, gemmOf(c)).map((wb) => inBeat(c, Object.fromEntries(Object.entries(wb).map(([k, v]) => [k, byte(v)]))));
}

/** The command fields' rules (cmc_top's behaviour outside them is not defined). */
export function checkSegment(s: CmcSegment, c: CmcTopConfig): void {
  const { N, sadBits } = cmcTopGeometry(c);
  const [lo, hi] = c.signed ? [-128, 127] : [0, 255];
  const rule = (what: string, ok: boolean, found: unknown, expected: string) => {
    if (!ok) throw new RangeError(`cmc segment ${what}: expected ${expected}, found ${String(found)}`);
  };
  rule('g (matrices)', s.X.length >= 1 && s.X.length <= c.maxFrames, s.X.length, `1..maxFrames = ${c.maxFrames}`);
  rule('gv', Number.isInteger(s.gv) && s.gv >= 1 && s.gv <= N, s.gv, `1..N = ${N}`);
  rule('thr', Number.isInteger(s.thr) && s.thr >= 0 && s.thr < 2 ** sadBits, s.thr, `0..2^${sadBits} − 1 (the SAD width)`);
  checkRequant(s.rq);
  for (const mat of s.X) {
    rule('tokens per matrix', mat.length === N, mat.length, `N = ${N}`);
    for (const tok of mat) {
      rule('token length', tok.length === c.n, tok.length, `n = ${c.n}`);
      for (const v of tok) rule('element', Number.isInteger(v) && v >= lo && v <= hi, v, `${lo}..${hi}`);
    }
  }
}

/** The segment-start beat and the g·N·BPT token beats. */
export function segmentBeats(s: CmcSegment, c: CmcTopConfig): Beat[] {
  checkSegment(s, c);
  const e = c.elemsPerBeat;
  const BPT = cmcTopGeometry(c).beatsPerToken;
  const head = inBeat(c, { op: 1, g: s.X.length, mode: s.mode === 'intra' ? 1 : 0, gv: s.gv, thr: s.thr, m: s.rq.M, s: s.rq.S, zp: s.rq.zpOut });
  const beats: Beat[] = [head];
  for (const mat of s.X) {
    for (const tok of mat) {
      for (let b = 0; b < BPT; b++) {
        const beat: Beat = {};
        for (let k = 0; k < e; k++) beat[`d_${k}`] = byte(tok[b * e + k]);
        beats.push(inBeat(c, beat));
      }
    }
  }
  return beats;
}

export function commandBeats(cmds: readonly CmcCommand[], c: CmcTopConfig): Beat[] {
  return cmds.flatMap((cmd) => (cmd.kind === 'weights' ? weightBeats(cmd.W, c) : segmentBeats(cmd, c)));
}

/** The prediction of a segment (SPEC §2.2/§2.3 with the engine's grid and window). */
export function predictSegment(s: CmcSegment, c: CmcTopConfig): Prediction {
  return s.mode === 'inter'
    ? predictInter(s.X, { G: s.X.length, thr: s.thr, grid: gridOf(c), window: windowOf(c) })
    : predictIntra(s.X, { Gv: s.gv, thr: s.thr });
}

/** The GEMM operand of an element: unsigned pixels enter as x − 128 (MSB flipped). */
export function gemmOperand(v: number, c: Pick<CmcTopConfig, 'signed'>): number {
  return c.signed ? v : v - 128;
}

/**
 * The SADmin that made token (t, i) informative: its search (inter) or its SAD to the row
 * segment's reference row (intra); 0 for a reference token (the I matrix's, a reference row).
 */
export function decidingSad(s: CmcSegment, id: RowId, c: CmcTopConfig): number {
  const { N } = cmcTopGeometry(c);
  if (s.mode === 'inter') {
    const tI = Math.floor((s.X.length - 1) / 2);
    return id.t === tI ? 0 : searchToken(s.X[id.t][id.i], s.X[tI], candidates(id.i, gridOf(c), windowOf(c)), s.thr).sadMin;
  }
  const seg = segments(N, s.gv).find((g) => id.i < g.start + g.len)!;
  return id.i === seg.ref ? 0 : sad(s.X[id.t][id.i], s.X[id.t][seg.ref]);
}

export interface CmcSegmentResult {
  prediction: Prediction;
  /** recovered output, row t·N + i */
  Y: Matrix;
  /** dense reference with non-informative rows replaced by their reference's row */
  expected: Matrix;
  tab: Beat[];
  y: Beat[];
}

export function runSegment(s: CmcSegment, W: Matrix, c: CmcTopConfig): CmcSegmentResult {
  const { N, tiles: U } = cmcTopGeometry(c);
  if (s.X.length < 1 || s.X.length > c.maxFrames) throw new RangeError(`a segment of ${s.X.length} matrices (1..${c.maxFrames})`);
  for (const mat of s.X) if (mat.length !== N) throw new RangeError(`a matrix of ${mat.length} tokens, expected N = ${N}`);
  const prediction = predictSegment(s, c);
  const Xg = s.X.map((mat) => mat.map((tok) => tok.map((v) => gemmOperand(v, c))));
  const proj = condensedProjection(Xg, W, s.rq, prediction);
  const tab: Beat[] = [
    ...prediction.itt.map((r) => ({ kind: 0, t: r.t, i: r.i, j: 0, sad: decidingSad(s, r, c), last: 0 })),
    ...prediction.nitt.map((r) => ({ kind: 1, t: r.t, i: r.i, j: r.j, sad: r.sad, last: 0 })),
  ];
  tab[tab.length - 1].last = 1;
  const y: Beat[] = [];
  for (const row of proj.Y) {
    for (let u = 0; u < U; u++) {
      const beat: Beat = { last: 0 };
      for (let j = 0; j < c.cols; j++) beat[`d_${j}`] = row[u * c.cols + j];
      y.push(beat);
    }
  }
  y[y.length - 1].last = 1;
  return { prediction, Y: proj.Y, expected: proj.expected, tab, y };
}

/** Every segment's result, with the weights loaded before it. */
export function runCommands(cmds: readonly CmcCommand[], c: CmcTopConfig): CmcSegmentResult[] {
  let W: Matrix | undefined;
  const out: CmcSegmentResult[] = [];
  for (const cmd of cmds) {
    if (cmd.kind === 'weights') W = cmd.W;
    else {
      if (!W) throw new RangeError('a segment before any weight load');
      out.push(runSegment(cmd, W, c));
    }
  }
  return out;
}

const sbyte = (v: number) => (v & 0x80 ? (v & 0xff) - 256 : v & 0xff);

/**
 * The commands of a command stream, as cmc_top reads it: segment starts, g·N·BPT token beats
 * after each, weight beats in between (a load is complete after U·B·BPT beats; a segment uses
 * the last complete load).
 */
export function decodeCommands(beats: readonly Record<string, bigint | number>[], c: CmcTopConfig): CmcCommand[] {
  const e = c.elemsPerBeat;
  const { N, beatsPerToken: BPT } = cmcTopGeometry(c);
  const perLoad = gemmBeatsPerLoad(gemmOf(c));
  const num = (b: Record<string, bigint | number>, f: string) => Number(b[f] ?? 0);
  const cmds: CmcCommand[] = [];
  let wBeats: Record<string, bigint | number>[] = [];
  for (let q = 0; q < beats.length; ) {
    const b = beats[q];
    if (num(b, 'op') === 0) {
      wBeats.push(b);
      q++;
      if (wBeats.length === perLoad) {
        const W = gemmWeightsOfBeats(wBeats.map((wb) => Object.fromEntries(Array.from({ length: e }, (_, k) => [`d_${k}`, sbyte(num(wb, `d_${k}`))]))), gemmOf(c));
        cmds.push({ kind: 'weights', W });
        wBeats = [];
      }
      continue;
    }
    const g = num(b, 'g');
    const X: number[][][] = [];
    q++;
    for (let t = 0; t < g; t++) {
      const mat: number[][] = [];
      for (let i = 0; i < N; i++) {
        const tok: number[] = [];
        for (let bb = 0; bb < BPT; bb++, q++) {
          if (q >= beats.length) throw new RangeError(`segment at beat ${q} ends early`);
          for (let k = 0; k < e; k++) tok.push(c.signed ? sbyte(num(beats[q], `d_${k}`)) : num(beats[q], `d_${k}`) & 0xff);
        }
        mat.push(tok);
      }
      X.push(mat);
    }
    const s = num(b, 's');
    cmds.push({ kind: 'segment', X, mode: num(b, 'mode') ? 'intra' : 'inter', gv: num(b, 'gv'), thr: num(b, 'thr'), rq: { M: num(b, 'm'), S: s, zpOut: sbyte(num(b, 'zp')) } });
  }
  return cmds;
}
