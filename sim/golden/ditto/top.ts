// Algorithm level (SPEC §1, §3): a whole Ditto linear layer across time steps, and attention by
// differences (§1.7), both built from the block golden models (encoder → PEs → VPU) and checked
// against the dense integer reference at every step.
//
// Linear layer, x_t an M×K int8 matrix (rows = tokens), W a K×N int8 matrix:
//   dense reference   Y_t = x_t · W,  y_t = act(requant(Y_t))
//   original mode     Y_t = encode(x_t, original) · W
//   difference mode   Y_t = Y_{t+1} + encode(x_t − x_{t+1}) · W      (step 1 is always original)
// Both store x_t and Y_t for the next step, so any per-step mode schedule (e.g. from Defo) is
// exact.
import { type CostStats, type Matrix, computeChecked, denseMatmul, matAdd, matEqual, matSub, transpose, zeroCosts, addCosts } from './compute.ts';
import type { Mode } from './encoder.ts';
import { DefoUnit } from './defo.ts';
import { type RequantParams, lookup, requantize } from './vpu.ts';

export interface LinearLayerSpec {
  /** K×N int8 weights */
  W: Matrix;
  rq: RequantParams;
  /** 256-entry activation table (vpu.ts activationTable) */
  table: Int8Array;
  /** encoder lanes per beat (for the cycle estimate) */
  lanes?: number;
}

export interface StepResult {
  /** 1-based step in processing order */
  step: number;
  mode: Mode;
  /** int32 pre-activation output */
  Y: Matrix;
  /** int8 output codes */
  y: Matrix;
  denseY: Matrix;
  densey: Matrix;
  /** Y and y equal the dense reference, and the encoded product equals its dense product */
  exact: boolean;
  cost: CostStats;
}

export function vpuMatrix(Y: Matrix, rq: RequantParams, table: Int8Array): Matrix {
  return Y.map((row) => row.map((v) => lookup(table, requantize(v, rq))));
}

function checkInt8Matrix(x: Matrix, what: string): void {
  for (const row of x) for (const v of row) if (!Number.isInteger(v) || v < -128 || v > 127) throw new RangeError(`${what}: not an int8 matrix (${v})`);
}

/**
 * Run a linear layer over `xs` (one M×K input per step, in processing order t = T, T−1, ...).
 * `schedule` gives the mode per step (a single mode applies to every step after the first), or
 * a Defo unit and the layer's index in it.
 */
export function runLinearLayer(spec: LinearLayerSpec, xs: Matrix[], schedule: Mode | Mode[] | { defo: DefoUnit; layer: number }): StepResult[] {
  const lanes = spec.lanes ?? 4;
  checkInt8Matrix(spec.W, 'W');
  const results: StepResult[] = [];
  let xPrev: Matrix | undefined;
  let YPrev: Matrix | undefined;
  xs.forEach((x, i) => {
    checkInt8Matrix(x, `x at step ${i + 1}`);
    const step = i + 1;
    let mode: Mode;
    if (Array.isArray(schedule)) mode = schedule[i];
    else if (typeof schedule === 'string') mode = schedule;
    else mode = schedule.defo.modeFor(schedule.layer, step);
    if (step === 1) mode = 'orig';
    let Y: Matrix;
    let cost: CostStats;
    let productOk: boolean;
    if (mode === 'diff') {
      const r = computeChecked(x, xPrev!, spec.W, 'diff', lanes);
      Y = matAdd(YPrev!, r.Y);
      cost = r.cost;
      productOk = r.equalsDense;
    } else {
      const r = computeChecked(x, undefined, spec.W, 'orig', lanes);
      Y = r.Y;
      cost = r.cost;
      productOk = r.equalsDense;
    }
    if (!Array.isArray(schedule) && typeof schedule !== 'string') schedule.defo.report(schedule.layer, step, cost.cycles);
    const y = vpuMatrix(Y, spec.rq, spec.table);
    const denseY = denseMatmul(x, spec.W);
    const densey = vpuMatrix(denseY, spec.rq, spec.table);
    results.push({ step, mode, Y, y, denseY, densey, exact: productOk && matEqual(Y, denseY) && matEqual(y, densey), cost });
    xPrev = x;
    YPrev = Y;
  });
  return results;
}

export function totalCost(results: readonly StepResult[]): CostStats {
  return results.reduce((a, r) => addCosts(a, r.cost), zeroCosts());
}

// ---- attention by differences (§1.7) ----

export interface AttentionStep {
  /** the result from the previous step's values plus the difference products */
  byDiff: Matrix;
  /** the dense product of this step */
  dense: Matrix;
  exact: boolean;
  cost: CostStats;
}

/**
 * S_t = Q_t·K_tᵀ = Q_{t+1}·K_{t+1}ᵀ + ΔQ·K_{t+1}ᵀ + (ΔK·Q_tᵀ)ᵀ with ΔQ = Q_t − Q_{t+1},
 * ΔK = K_t − K_{t+1}. Each product is run through the encoder/PE model with the difference on
 * the activation side and int8 codes (K_{t+1}ᵀ, Q_tᵀ) on the weight side.
 * `Sprev` is the previous step's (exact) score matrix.
 */
export function scoresByDifference(Qt: Matrix, Kt: Matrix, Qp: Matrix, Kp: Matrix, Sprev: Matrix, lanes = 4): AttentionStep {
  const a = computeChecked(Qt, Qp, transpose(Kp), 'diff', lanes); // ΔQ · K_{t+1}ᵀ   (M×N)
  const b = computeChecked(Kt, Kp, transpose(Qt), 'diff', lanes); // ΔK · Q_tᵀ       (N×M)
  const byDiff = matAdd(matAdd(Sprev, a.Y), transpose(b.Y));
  const dense = denseMatmul(Qt, transpose(Kt));
  return { byDiff, dense, exact: a.equalsDense && b.equalsDense && matEqual(byDiff, dense), cost: addCosts(a.cost, b.cost) };
}

/**
 * O_t = P_t·V_t = P_{t+1}·V_{t+1} + ΔP·V_{t+1} + P_t·ΔV; the last product runs as
 * (ΔVᵀ·P_tᵀ)ᵀ so its difference is on the activation side too. `Oprev` = P_{t+1}·V_{t+1}.
 */
export function outputByDifference(Pt: Matrix, Vt: Matrix, Pp: Matrix, Vp: Matrix, Oprev: Matrix, lanes = 4): AttentionStep {
  const a = computeChecked(Pt, Pp, Vp, 'diff', lanes); // ΔP · V_{t+1}  (M×d)
  const b = computeChecked(transpose(Vt), transpose(Vp), transpose(Pt), 'diff', lanes); // ΔVᵀ · P_tᵀ (d×M)
  const byDiff = matAdd(matAdd(Oprev, a.Y), transpose(b.Y));
  const dense = denseMatmul(Pt, Vt);
  return { byDiff, dense, exact: a.equalsDense && b.equalsDense && matEqual(byDiff, dense), cost: addCosts(a.cost, b.cost) };
}

/**
 * Run attention scores and outputs over steps: step 1 dense, later steps by differences.
 * Returns per step whether both identities held exactly.
 */
export function attentionAcrossSteps(Qs: Matrix[], Ks: Matrix[], Ps: Matrix[], Vs: Matrix[], lanes = 4): { step: number; scoresExact: boolean; outputExact: boolean }[] {
  const out: { step: number; scoresExact: boolean; outputExact: boolean }[] = [];
  let S = denseMatmul(Qs[0], transpose(Ks[0]));
  let O = denseMatmul(Ps[0], Vs[0]);
  out.push({ step: 1, scoresExact: true, outputExact: true });
  for (let i = 1; i < Qs.length; i++) {
    const s = scoresByDifference(Qs[i], Ks[i], Qs[i - 1], Ks[i - 1], S, lanes);
    const o = outputByDifference(Ps[i], Vs[i], Ps[i - 1], Vs[i - 1], O, lanes);
    S = s.byDiff;
    O = o.byDiff;
    out.push({ step: i + 1, scoresExact: s.exact, outputExact: o.exact });
  }
  return out;
}

/** Cross-attention: K', V' are fixed across steps and act as plain weights. */
export function crossAttentionScores(Qt: Matrix, Qp: Matrix, Kc: Matrix, Sprev: Matrix, lanes = 4): AttentionStep {
  const a = computeChecked(Qt, Qp, transpose(Kc), 'diff', lanes);
  const byDiff = matAdd(Sprev, a.Y);
  const dense = denseMatmul(Qt, transpose(Kc));
  return { byDiff, dense, exact: a.equalsDense && matEqual(byDiff, dense), cost: a.cost };
}

export { matSub };
