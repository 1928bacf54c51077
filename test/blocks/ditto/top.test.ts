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
import { TOP_SMALL, dittoTopCases, resolveTopParams, tilesPerLoad, topIdleBeat, topStream, topTiming } from '../../../sim/cases/ditto/top.ts';
import { matEqual } from '../../../sim/golden/ditto/compute.ts';
import { expectedWordCount, vectorStats } from '../../../sim/golden/ditto/encoder.ts';
import { lintDesign } from '../../../eda/tools/lint.ts';
import { topCycles } from '../../../sim/cycles/ditto/top.ts';
import type { Beat } from '../../../sim/cosim/index.ts';
import { VPU_LATENCY } from '../../../generator/spec/ditto/vpu.ts';

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
  it('entries must be a multiple of cols and hold a beat address per row; kMax at least lanes', () => {
    expect(() => resolveTopParams({ cols: 8, entries: 12 })).toThrow(ParamRuleError);
    expect(() => resolveTopParams({ lanes: 8, kMax: 4 })).toThrow(ParamRuleError);
    expect(() => resolveTopParams({ rows: 4, cols: 8, entries: 24 })).toThrow(ParamRuleError);
    expect(() => resolveTopParams({})).not.toThrow();
    expect(dittoTopDesign.name).toBe('ditto');
  });
});

describe('ditto top lint', () => {
  it('clean at a small point (verilator, iverilog, yosys)', async () => {
    expect(await lintFailures({ rows: 2, lanes: 2, cols: 2, kMax: 8, entries: 4, xEntries: 8 })).toEqual([]);
  }, T);
  it.skipIf(!FULL)('clean at the defaults', async () => {
    expect(await lintFailures({})).toEqual([]);
  }, T);
});

describe('ditto top cycle model', () => {
  const p = resolveTopParams(TOP_SMALL);
  const t = topTiming(p);
  const E = p.encStages; // the encoder's pipeline registers (its words leave E + 1 cycles after their beat)
  const base: Beat = { ...topIdleBeat(p), mode: 1 };
  const load = (K: number): Beat[] => Array.from({ length: K }, (_, k) => ({ k, last: k === K - 1 ? 1 : 0 }));
  // an all-zero group: one (flush) word per enabled row, pushed by its last beat (with tlast: a one-group tile)
  const group = (nb: number, en = 3, tlast = 1): Beat[] => Array.from({ length: nb }, (_, i) => ({ ...base, en, keep: 15, last: i === nb - 1 ? 1 : 0, tlast }));
  const F = p.rowFifo > 0 ? 1 : 0; // the row's word FIFO
  // a vector leaves 1 (act register) + E + 1 (encoder) + F + stages + 2 (compute) + VPU_LATENCY cycles after its group's last beat
  const fill = 1 + E + 1 + F + p.stages + 2 + VPU_LATENCY;
  it('free running: the group waits for its bank\'s load; row 0 leaves fill cycles after the last beat, row 1 the cycle after', () => {
    expect(p.rows).toBe(2);
    for (const [K, nb] of [[4, 1], [8, 2], [12, 3]]) {
      const r = topCycles(group(nb), load(K), t);
      expect(r.wAccepted).toEqual(Array.from({ length: K }, (_, i) => i));
      expect(r.accepted).toEqual(Array.from({ length: nb }, (_, i) => K + i));
      expect(r.emitted).toEqual([K + nb - 1 + fill, K + nb + fill]);
      expect(r.cycles).toBe(K + nb + fill + 1);
    }
  });
  it('two loads go in at once; the third waits until the first tile is closed and its vectors have their last word taken', () => {
    const r = topCycles([...group(1), ...group(1), ...group(1)], [...load(4), ...load(4), ...load(4)], t);
    // tile 0's group in cycle 4 (closes bank 0), in the encoders in cycle 5, words taken in cycle 6 + E + F
    expect(r.wAccepted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 7 + E + F, 8 + E + F, 9 + E + F, 10 + E + F]);
    // tile 1 waits for bank 1 (full at the edge of cycle 7), tile 2 for bank 0's reload
    expect(r.accepted).toEqual([4, 8, 11 + E + F]);
  });
  it('configuration beats cost one command cycle each; a table write is one VPU slot without an output beat', () => {
    const cfg = (c: number): Beat => ({ ...base, op: 1, cfg: c });
    const r = topCycles([cfg(1), cfg(1), cfg(0), cfg(0), ...group(1)], load(4), t);
    expect(r.accepted).toEqual([0, 1, 2, 3, 4]);
    expect(r.emitted).toEqual([4 + fill, 5 + fill]);
  });
  it('a group with rows missing (en = 0b10) gives one output; en = 0 gives none', () => {
    const r = topCycles([...group(1, 2, 0), ...group(1, 0)], load(4), t);
    expect(r.emitted).toEqual([4 + fill]);
  });
  it('tiles packed into one weight load by K: the next long load overlaps the short layer instead of one short tile', () => {
    // big_silu: 256 → 64 → 128 → 32; with one tile per load the 256-beat load after the last
    // layer waits for a bank behind one short tile, packed it hides behind the whole layer
    const c = dittoTopCases.find((x) => x.name === 'ditto.top.big_silu')!;
    const w = c.workload(1);
    const p = w.params;
    const run = (pack: 1 | 'fit') => {
      const s = topStream({ ...w, opts: { ...w.opts, pack } });
      return { cycles: topCycles(s.beats, s.weights, topTiming(p)).cycles, loads: s.weights.filter((b) => b.last === 1).length };
    };
    const one = run(1);
    const fit = run('fit');
    expect(one.loads).toBe(8 * (8 + 16 + 4)); // 8 steps × the layers' column tiles
    expect(fit.loads).toBe(8 * (8 + 4 + 2)); // tiles per load: 1 (K = 256), 4 (K = 64), 2 (K = 128)
    expect(fit.cycles).toBeLessThan(one.cycles);
    expect(() => tilesPerLoad(5, 64, 256, 8)).toThrow(RangeError);
  });

  it('the side FIFO bounds the groups in flight while the output stalls', () => {
    const beats = Array.from({ length: 20 }, (_, i) => group(1, 3, i === 19 ? 1 : 0)).flat();
    const r = topCycles(beats, load(4), t, undefined, (c) => c < 100);
    // in flight: at most sideDepth groups between the command input and the VPU, plus the VPU's VPU_LATENCY registers
    const early = r.accepted.filter((c) => c < 100).length;
    expect(early).toBeGreaterThanOrEqual(t.sideDepth);
    expect(early).toBeLessThanOrEqual(t.sideDepth + VPU_LATENCY / p.rows);
    expect(r.emitted.length).toBe(40);
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

  it('throughput without stalls: within the command beats plus Σ over groups of max(ceil(K/L), the group\'s most words) per tile, + the pipeline fill', async () => {
    for (const c of dittoTopCases.filter((x) => x.name !== 'ditto.top.layers4_defo')) {
      // A group costs max(its beats, its rows' most words) cycles (the rows take one word per
      // cycle each, the command stream one beat per cycle); a load of n tiles (n·K weight beats)
      // goes to the other bank on its own stream: only the first load (n0·K0 cycles) is not
      // hidden behind an earlier one. A bank is reloaded only once its tiles' vectors have left
      // the encoders and the row FIFOs (1 + E + 3 cycles after the load's last group), so a load
      // costs at least that plus n·K when its groups are shorter than the weight beats. The table
      // loads and a configuration beat per layer and step cost one cycle each. Once: the last
      // vector's fill.
      const p = resolveTopParams(caseParams(c) as never);
      const fill = 1 + p.encStages + 1 + (p.rowFifo > 0 ? 1 : 0) + p.stages + 2 + VPU_LATENCY;
      const r = await runCase(c, { stalls: { inIdle: 0, outStall: 0 } });
      expect(r.ok, r.message).toBe(true);
      for (const s of r.seeds) {
        const w = c.workload(s.seed);
        const per = (l: number) => tilesPerLoad(w.opts.pack, w.layers[l].W.length, p.kMax, w.layers[l].W[0].length / p.cols);
        let ideal = 256 * w.opts.acts.length + per(0) * w.layers[0].W.length;
        w.results.forEach((rs, l) =>
          rs.forEach((res, i) => {
            const K = w.layers[l].W.length;
            const x = w.inputs[l][i];
            const xp = i > 0 ? w.inputs[l][i - 1] : undefined;
            const words = x.map((row, m) => {
              const st = vectorStats(row, xp?.[m], res.mode);
              return expectedWordCount(st.nlow, st.nfull);
            });
            let perTile = 0;
            for (let g = 0; g * p.rows < x.length; g++) perTile += Math.max(Math.ceil(K / p.lanes), ...words.slice(g * p.rows, (g + 1) * p.rows));
            const tiles = w.layers[l].W[0].length / p.cols;
            for (let t = 0; t < tiles; t += per(l)) {
              const n = Math.min(per(l), tiles - t);
              ideal += Math.max(n * perTile, 1 + p.encStages + 3 + n * K);
            }
            ideal += 1;
          }),
        );
        expect(s.cycles, `${c.name} seed ${s.seed}`).toBeGreaterThanOrEqual(s.accepted.in.length); // one command beat per cycle
        expect(s.cycles, `${c.name} seed ${s.seed}`).toBeLessThanOrEqual(ideal + fill + 3);
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
    const dir = mutant(c, (v) => v.replace(/\.in_mode\([^)]*\)/, ".in_mode(1'b1)"));
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

  it('mutant: a row\'s words read the kbase of the group being ingested, not of their own vector, fails', async () => {
    // short_tiles packs two tiles per load: a row holds vectors of both (kbase 0 and K)
    const c = dittoTopCases.find((x) => x.name === 'ditto.top.short_tiles')!;
    const dir = mutant(c, (v) => v.replace(/assign row0_kbase = [^;]*;/, 'assign row0_kbase = act_kbase;'));
    const r = await runCase(c, { dir, seeds: [1] });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/mismatch/);
  }, T);

  it('a packed load\'s groups sent with kbase 0 (every tile reads the load\'s first tile) fail', async () => {
    const c = dittoTopCases.find((x) => x.name === 'ditto.top.short_tiles')!;
    const bad: typeof c = { ...c, stimulus: (seed) => {
      const s = c.stimulus(seed);
      return { streams: { ...s.streams, in: s.streams!.in.map((b) => ({ ...b, kbase: 0 })) } };
    }, golden: (stim) => c.golden(c.stimulus(1)) };
    const r = await runCase(bad, { seeds: [1] });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/mismatch/);
  }, T);

  it('mutant: weight beats not held while vectors of their bank are in flight fails', async () => {
    const c = dittoTopCases.find((x) => x.name === 'ditto.top.short_tiles')!;
    const dir = mutant(c, (v) => v.replace(/assign w_go = [^;]*;/, "assign w_go = 1'b1;"));
    const r = await runCase(c, { dir, seeds: [1] });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/mismatch/);
  }, T);
});
