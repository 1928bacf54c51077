// Golden model of the Ditto Defo unit (SPEC §1.6): per-layer choice between original and
// difference execution.
//   A table of `entries` (default 512) rows {cycle_act: 16, cycle_diff: 16, exe_diff: 1}.
//   Step 1 (the first time step processed): every layer runs on original activations; its
//   measured cycle count is stored in cycle_act (saturating at 65,535).
//   Step 2: every layer runs on differences; the count goes to cycle_diff (saturating).
//   From step 3 on: exe_diff = cycle_act > cycle_diff (strict: a tie keeps original data),
//   decided once (at the first step-3 query or report of the layer) and frozen.
// Steps are numbered 1, 2, 3, ... in processing order (t = T is step 1).
import type { Mode } from './encoder.ts';

export const SAT16 = 0xffff;

export function saturate16(cycles: number): number {
  if (!Number.isInteger(cycles) || cycles < 0) throw new RangeError(`cycle count must be a non-negative integer, found ${cycles}`);
  return Math.min(cycles, SAT16);
}

export interface DefoEntry {
  cycleAct: number;
  cycleDiff: number;
  exeDiff: number;
  /** (model bookkeeping, not a hardware field) the decision has been taken */
  frozen: boolean;
  hasAct: boolean;
  hasDiff: boolean;
}

export class DefoUnit {
  readonly table: DefoEntry[];

  constructor(readonly entries = 512) {
    if (!Number.isInteger(entries) || entries < 1) throw new RangeError(`Defo entries must be ≥ 1, found ${entries}`);
    this.table = Array.from({ length: entries }, () => ({ cycleAct: 0, cycleDiff: 0, exeDiff: 0, frozen: false, hasAct: false, hasDiff: false }));
  }

  private entry(layer: number): DefoEntry {
    if (!Number.isInteger(layer) || layer < 0 || layer >= this.entries) throw new RangeError(`layer ${layer} outside the Defo table (0..${this.entries - 1})`);
    return this.table[layer];
  }

  private static checkStep(step: number): void {
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`steps count from 1, found ${step}`);
  }

  /** The execution mode of `layer` at `step`. */
  modeFor(layer: number, step: number): Mode {
    DefoUnit.checkStep(step);
    const e = this.entry(layer);
    if (step === 1) return 'orig';
    if (step === 2) return 'diff';
    if (!e.frozen) {
      if (!e.hasAct || !e.hasDiff) throw new Error(`layer ${layer}: step ${step} needs the cycle counts of steps 1 and 2`);
      e.exeDiff = e.cycleAct > e.cycleDiff ? 1 : 0;
      e.frozen = true;
    }
    return e.exeDiff ? 'diff' : 'orig';
  }

  /** Report the cycles `layer` took at `step` (steps 1 and 2 store them; later steps are ignored). */
  report(layer: number, step: number, cycles: number): void {
    DefoUnit.checkStep(step);
    const e = this.entry(layer);
    const c = saturate16(cycles);
    if (step === 1) {
      e.cycleAct = c;
      e.hasAct = true;
    } else if (step === 2) {
      e.cycleDiff = c;
      e.hasDiff = true;
    } else {
      this.modeFor(layer, step);
    }
  }
}

/** The decision alone: exe_diff from the two stored (already saturated) counts. */
export function exeDiff(cycleAct: number, cycleDiff: number): number {
  return saturate16(cycleAct) > saturate16(cycleDiff) ? 1 : 0;
}
