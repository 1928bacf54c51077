// ditto (module ditto_top): parameter rules, lint (a small point; the default point with
// DCGEN_FULL=1), the cycle model's formulas (sim/cycles/ditto/top.ts, checked exactly against
// the RTL by every cosim case), the host workload's golden model against the dense reference at every layer
// and step, and the whole multi-layer multi-step workload as ONE cosimulation per seed (values
// bit for bit against runLinearLayer, which equals the dense reference), with three mutants that
// must fail (the VPU's difference path bypassed; the weight-load ordering gate removed; the x
// buffer not written by original-mode beats). The host sends x_t only (with an x-buffer address
// per beat); the engine keeps x_{t+1}.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dittoTopDesign } from '../../../generator/blocks/ditto/top.ts';
import { emitDesign } from '../../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../../generator/emit/write.ts';
import { ParamRuleError } from '../../../generator/params/schema.ts';
import { caseParams, generateCaseDesign, runCase } from '../../../sim/cases/case.ts';
import { dittoTopCases, resolveTopParams } from '../../../sim/cases/ditto/top.ts';
import { matEqual } from '../../../sim/golden/ditto/compute.ts';
import { lintDesign } from '../../../eda/tools/lint.ts';
import { topCycles } from '../../../sim/cycles/ditto/top.ts';
import type { Beat } from '../../../sim/cosim/index.ts';
import { VPU_LATENCY } from '../../../generator/spec/ditto/vpu.ts';
import { ENCODER_DEFAULT_STAGES, encoderDepth } from '../../../generator/spec/ditto/encoder.ts';

const T = 600_000;
const FULL = process.env.DCGEN_FULL === '1';

async function lintFailures(params: Record<string, unknown>): Promise<string[]> {
  const p = resolveTopParams(params);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dcgen-ditto-top-lint-'));
  writeFilesAtomically(dir, emitDesign(dittoTopDesign.build(p), { design: 'ditto', params: p as never }).files);
  const results = await lintDesign(dir);
  // three tools × every module: top, encoder, compute and its PE module, vpu (and any memory modules)
  const modules = new Set(results.map((r) => r.module));
  for (const m of ['ditto_top', 'ditto_top_encoder', 'ditto_top_compute', 'ditto_top_compute_pe', 'ditto_top_vpu']) expect(modules).toContain(m);
  expect(results.length).toBe(3 * modules.size);
  return results.filter((r) => !r.ok || r.messages.length > 0 || r.latches > 0).map((r) => `${r.tool} ${r.module}: ${r.messages.join('; ')}`);
}

describe('ditto top params', () => {
  it('entries must be a multiple of cols; kMax at least lanes', () => {
    expect(() => resolveTopParams({ cols: 8, entries: 12 })).toThrow(ParamRuleError);
    expect(() => resolveTopParams({ lanes: 8, kMax: 4 })).toThrow(ParamRuleError);
    expect(() => resolveTopParams({})).not.toThrow();
    expect(dittoTopDesign.name).toBe('ditto');
  });
});

describe('ditto top lint', () => {
  it('clean at a small point (verilator, iverilog, yosys)', async () => {
    expect(await lintFailures({ lanes: 2, cols: 2, kMax: 8, entries: 4, xEntries: 8, act: 'gelu', actInScale: 32, actOutScale: 32 })).toEqual([]);
  }, T);
  it.skipIf(!FULL)('clean at the defaults', async () => {
    expect(await lintFailures({})).toEqual([]);
  }, T);
});

describe('ditto top cycle model', () => {
  const t = { lanes: 4, encDepth: encoderDepth({ lanes: 4, depth: 0 }), kBits: 8, stages: 1, sideDepth: 8 };
  const E = ENCODER_DEFAULT_STAGES; // the encoder's pipeline registers (its words leave E + 1 cycles after their beat)
  const base: Beat = { op: 0, xaddr: 0, keep: 0, last: 0, mode: 1, wlast: 0, xt_0: 0, xt_1: 0, xt_2: 0, xt_3: 0 };
  const load = (K: number): Beat[] => Array.from({ length: K }, (_, k) => ({ ...base, op: 1, wlast: k === K - 1 ? 1 : 0 }));
  // an all-zero vector: one (flush) word, pushed by its last beat
  const vec = (nb: number): Beat[] => Array.from({ length: nb }, (_, i) => ({ ...base, keep: 15, last: i === nb - 1 ? 1 : 0 }));
  it('free running: K weight beats, then a one-word vector of nb beats leaves in cycle K + nb + E + stages + 2 + VPU_LATENCY', () => {
    for (const [K, nb] of [[4, 1], [8, 2], [12, 3]]) {
      const r = topCycles([...load(K), ...vec(nb)], t);
      expect(r.accepted).toEqual(Array.from({ length: K + nb }, (_, i) => i));
      expect(r.emitted).toEqual([K + nb + E + t.stages + 2 + VPU_LATENCY]);
      expect(r.cycles).toBe(K + nb + E + t.stages + 3 + VPU_LATENCY);
    }
  });
  it('a weight beat waits for the vectors in flight (their last word taken by the compute unit)', () => {
    const r = topCycles([...load(4), ...vec(1), ...load(4)], t);
    // vector beat in cycle 4, its word taken in cycle 5 + E, outstanding clears at that edge: weights from cycle 6 + E
    expect(r.accepted).toEqual([0, 1, 2, 3, 4, 6 + E, 7 + E, 8 + E, 9 + E]);
  });
  it('the side FIFO bounds the vectors in flight while the output stalls', () => {
    const beats = [...load(4), ...Array.from({ length: 20 }, () => vec(1)).flat()];
    const r = topCycles(beats, t, undefined, (c) => c < 100);
    // in flight: at most sideDepth vectors between the encoder input and the VPU, plus the VPU's VPU_LATENCY registers
    const early = r.accepted.filter((c) => c < 100).length - 4;
    expect(early).toBeGreaterThanOrEqual(t.sideDepth);
    expect(early).toBeLessThanOrEqual(t.sideDepth + VPU_LATENCY); // (the encoder FIFO deep enough to reach the bound)
    expect(r.emitted.length).toBe(20);
    expect(r.emitted[0]).toBe(100);
  });
});

describe('ditto top workload golden', () => {
  for (const c of dittoTopCases) {
    it(`${c.name}: runLinearLayer equals the dense act(requant(W·x)) at every layer and step`, () => {
      for (let seed = 1; seed <= (c.seeds ?? 3); seed++) {
        const w = c.workload(seed);
        expect(w.layers.length).toBeGreaterThanOrEqual(3);
        expect(w.opts.steps).toBeGreaterThanOrEqual(5);
        w.results.forEach((rs, l) =>
          rs.forEach((r, i) => {
            const where = `seed ${seed} layer ${l} step ${i + 1}`;
            expect(r.exact, where).toBe(true);
            expect(matEqual(r.Y, w.dense[l][i].Y), where).toBe(true);
            expect(matEqual(r.y, w.dense[l][i].y), where).toBe(true);
            if (l > 0) expect(w.inputs[l][i], where).toEqual(w.results[l - 1][i].y); // chained through the activation
          }),
        );
        const modes = w.results.flatMap((rs) => rs.map((r) => r.mode));
        expect(modes.filter((m) => m === 'diff').length).toBeGreaterThan(modes.length / 2);
        // the inputs really change between steps (the differences are not all zero)
        expect(w.inputs[0].some((x, i) => i > 0 && !matEqual(x, w.inputs[0][i - 1]))).toBe(true);
      }
    });
  }
  it('the Defo case switches a layer back to original data after the difference step', () => {
    const c = dittoTopCases.find((x) => x.name === 'ditto.top.layers4_defo')!;
    const modes = c.workload(1).results.map((rs) => rs.map((r) => r.mode).join(','));
    expect(modes.some((m) => /^orig,diff,.*orig/.test(m))).toBe(true);
  });
});

describe('ditto top cosim (one simulation per seed: all steps and layers)', () => {
  for (const c of dittoTopCases.filter((x) => FULL || !x.full)) {
    it(`${c.name}: every output beat equals the golden model, in the cycle the model predicts`, async () => {
      // the first case also runs under Icarus, which must agree with Verilator
      const r = await runCase(c, { icarus: c === dittoTopCases[0] });
      expect(r.ok, r.message).toBe(true);
      expect(r.seeds.length).toBe(c.seeds ?? 3);
    }, T);
  }

  it('throughput without stalls: within 3 + E cycles per tile (+ the pipeline fill + 3) of weight beats + Σ max(words, ceil(K/L))', async () => {
    for (const c of dittoTopCases.filter((x) => x.name !== 'ditto.top.layers4_defo')) {
      // Per tile: a weight load waits until the compute unit took every earlier vector's last
      // word, so the encoder's E pipeline registers drain before each tile (issue 14: weights
      // double-buffered). Once: the last vector's fill, encoder (E + 1), compute (stages + 2), VPU.
      const perTile = 3 + ENCODER_DEFAULT_STAGES;
      const fill = ENCODER_DEFAULT_STAGES + 1 + (caseParams(c).stages as number) + 2 + VPU_LATENCY;
      const r = await runCase(c, { stalls: { inIdle: 0, outStall: 0 } });
      expect(r.ok, r.message).toBe(true);
      for (const s of r.seeds) {
        const w = c.workload(s.seed);
        let ideal = 0;
        let tiles = 0;
        w.results.forEach((rs, l) =>
          rs.forEach((res) => {
            const nt = w.layers[l].W[0].length / w.params.cols;
            tiles += nt;
            ideal += nt * (w.layers[l].W.length + res.cost.cycles);
          }),
        );
        expect(s.cycles, `${c.name} seed ${s.seed}`).toBeGreaterThanOrEqual(s.accepted.in.length); // one command beat per cycle
        expect(s.cycles, `${c.name} seed ${s.seed}`).toBeLessThanOrEqual(ideal + perTile * tiles + fill + 3);
      }
    }
  }, T);

  /** A copy of the case design with `ditto_top.v` edited. */
  function mutant(c: (typeof dittoTopCases)[number], edit: (v: string) => string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dcgen-ditto-top-mut-'));
    cpSync(generateCaseDesign(c), dir, { recursive: true });
    const f = path.join(dir, 'ditto_top.v');
    const before = readFileSync(f, 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    writeFileSync(f, after);
    return dir;
  }

  it('mutant: VPU always in original mode (difference path bypassed) fails', async () => {
    const c = dittoTopCases[0];
    const dir = mutant(c, (v) => v.replace(/(\.in_addr\([^)]*\),\s*\.in_mode\()[^)]*\)/, '$11\'b1)'));
    const r = await runCase(c, { dir, seeds: [1] });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/mismatch/);
  }, T);

  it('mutant: x buffer written in difference mode only (original-mode steps do not store x_t) fails', async () => {
    const c = dittoTopCases[0];
    // the write enable of the x buffer's memory instance (docs/memories.md)
    const dir = mutant(c, (v) => v.replace(/(\bxbuf \(\s*\.clk\(clk\),\s*\.we\()act_accept\)/, '$1act_accept & ~in_mode)'));
    const r = await runCase(c, { dir, seeds: [1] });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/mismatch/); // step 2's first output: its differences read stale x-buffer entries
  }, T);

  it('mutant: weight beats not held for vectors in flight fails', async () => {
    const c = dittoTopCases[0];
    const dir = mutant(c, (v) => v.replace(/assign in_ready = in_op \? w_go :/, "assign in_ready = in_op ? 1'b1 :").replace(/\.w_valid\([^)]*\)/, '.w_valid(in_valid & in_op)'));
    const r = await runCase(c, { dir, seeds: [1] });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/mismatch/);
  }, T);
});
