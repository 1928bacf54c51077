// common.fifo cosimulation: every case of sim/cases/common/fifo.ts (the `full` ones with
// DCGEN_FULL=1) against the identity, with
//   * the accept/emit cycle of every beat checked against the FIFO's cycle model, and
//   * the `count` output sampled in every cycle and checked two ways: against the occupancy
//     derived from the cycles the cosim reports (beats accepted before cycle c minus beats
//     that left before c), and against the cycle model's count;
// fill/drain cases must reach count = depth and end at 0. Verilator and Icarus agree on one
// case; a golden model that drops a beat fails with a precise report.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type CosimCase, runCase } from '../../../sim/cases/case.ts';
import { fifoCases, fifoConfig } from '../../../sim/cases/common/fifo.ts';
import { CosimFailure, type CosimReport, type StallProbabilities, loadDesign } from '../../../sim/cosim/index.ts';
import { fifoCycles, fifoOccupancy } from '../../../sim/cycles/common/fifo.ts';
import { scheduleAt } from '../../../sim/stimulus/format.ts';
import { makeSchedules } from '../../../sim/stimulus/schedule.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';
const byName = (n: string): CosimCase => fifoCases.find((c) => c.name === `common.fifo.${n}`)!;

/** The case with per-cycle sampling on (an empty sample list checks nothing, but records `count`). */
function sampled(c: CosimCase): CosimCase {
  return { ...c, golden: (stim) => ({ ...c.golden(stim), samples: [] }) };
}

async function run(c: CosimCase, opts: Parameters<typeof runCase>[1] = {}): Promise<CosimReport> {
  const r = await runCase(sampled(c), opts);
  if (!r.ok) throw new CosimFailure(r);
  return r;
}

/** Checks cycles and count of every seed; returns the count seen per seed. */
async function checkCycles(c: CosimCase, report: CosimReport, depth: number): Promise<number[][]> {
  const layout = (await loadDesign(report.dir)).layout;
  const stalls: StallProbabilities = c.stalls ?? { inIdle: 0, outStall: 0 };
  const counts: number[][] = [];
  for (const s of report.seeds) {
    const sched = makeSchedules(layout, s.seed, stalls);
    const beats = c.stimulus(s.seed).streams!.in!.length;
    const model = fifoCycles(beats, depth, (cy) => scheduleAt(sched.idle!.in!, cy), (cy) => scheduleAt(sched.stall!.out!, cy));
    const accepted = s.accepted.in!;
    const emitted = s.transactions.out!.map((t) => t.cycle);
    expect(accepted, `seed ${s.seed}: accept cycles`).toEqual(model.accepted);
    expect(emitted, `seed ${s.seed}: output cycles`).toEqual(model.emitted);
    expect(s.cycles).toBe(model.cycles);
    // count, every cycle run (drain cycles included)
    expect(s.samples.map((x) => x.cycle)).toEqual(s.samples.map((_, i) => i));
    const count = s.samples.map((x) => Number(x.values.count));
    expect(count, `seed ${s.seed}: count vs reported accept/emit cycles`).toEqual(fifoOccupancy(accepted, emitted, count.length));
    expect(count.slice(0, model.count.length), `seed ${s.seed}: count vs cycle model`).toEqual(model.count);
    expect(Math.max(...count)).toBeLessThanOrEqual(depth);
    counts.push(count);
  }
  return counts;
}

describe('common.fifo cosim', () => {
  for (const c of fifoCases) {
    it.skipIf(c.full && !FULL)(`${c.name} ${JSON.stringify(c.params ?? {})}${c.full ? ' [full]' : ''}`, async () => {
      const report = await run(c);
      const { depth } = fifoConfig(c.params);
      const counts = await checkCycles(c, report, depth);
      if (c.name.includes('fill_drain') || c.name.endsWith('depth4096')) {
        // filled to full, then drained to empty
        for (const count of counts) {
          expect(Math.max(...count)).toBe(depth);
          expect(count.at(-1)).toBe(0);
          expect(count.lastIndexOf(depth)).toBeLessThan(count.length - depth);
        }
      }
      if (c.name.includes('nostall')) {
        const s = report.seeds[0]!;
        const acc = s.accepted.in!;
        const out = s.transactions.out!.map((t) => t.cycle);
        if (depth === 1) {
          // a single register: one beat every other cycle
          expect(acc).toEqual(acc.map((_, i) => 2 * i));
        } else expect(acc).toEqual(acc.map((_, i) => i)); // one beat per cycle
        expect(out).toEqual(acc.map((a) => a + 1)); // latency 1
      }
    }, T);
  }

  it('Verilator and Icarus agree (depth 5, 100-bit data, count sampled)', async () => {
    const report = await run(byName('depth5'), { icarus: true });
    expect(report.seeds.map((s) => s.icarusDiff)).toEqual([undefined, undefined, undefined]);
  }, T);

  it('a wrong golden model (beat #5 dropped) fails with stream, index, cycle and a waveform', async () => {
    const c = byName('default');
    const wrong: CosimCase = {
      ...c,
      golden: (stim) => {
        const out = c.golden(stim).streams!.out!;
        return { streams: { out: [...out.slice(0, 5), ...out.slice(6)] } };
      },
    };
    const report = await runCase(wrong, { seeds: [1] });
    expect(report.ok).toBe(false);
    const s = report.seeds[0]!;
    const m = s.mismatch!;
    // directed beats 5 and 6: 1 << 31, then all ones
    expect(m).toMatchObject({ stream: 'out', index: 5, kind: 'value', fields: ['data'], expected: { data: 0xffffffffn }, got: { data: 0x80000000n } });
    expect(m.cycle).toBe(s.transactions.out![5]!.cycle);
    expect(report.message).toContain(`seed 1: mismatch on output stream 'out', transaction #5, cycle ${m.cycle}:`);
    expect(report.message).toContain('data: expected 4294967295 (0xffffffff), got 2147483648 (0x80000000)');
    expect(s.waveform).toBeDefined();
    expect(existsSync(s.waveform!)).toBe(true);
    expect(report.message).toContain(`waveform: ${s.waveform}`);
    await rm(report.workDir, { recursive: true, force: true });
  }, T);
});
