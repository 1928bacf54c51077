// common.skid_buffer cosimulation: every case of sim/cases/common/skid_buffer.ts (the `full`
// ones with DCGEN_FULL=1) against the identity, with the accept/emit cycle of every beat
// checked against the skid buffer's cycle model (registered in_ready and out_valid, latency 1,
// one beat per cycle); Verilator and Icarus agree on one case; a golden model that duplicates
// a beat fails with a precise report.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type CosimCase, runCase } from '../../../sim/cases/case.ts';
import { skidBufferCases } from '../../../sim/cases/common/skid_buffer.ts';
import { CosimFailure, type CosimReport, type StallProbabilities, loadDesign } from '../../../sim/cosim/index.ts';
import { runStream } from '../../../sim/cycles/kernel.ts';
import { SkidBuffer } from '../../../sim/cycles/common/skid_buffer.ts';
import { scheduleAt } from '../../../sim/stimulus/format.ts';
import { makeSchedules } from '../../../sim/stimulus/schedule.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';
const byName = (n: string): CosimCase => skidBufferCases.find((c) => c.name === `common.skid_buffer.${n}`)!;

async function run(c: CosimCase, opts: Parameters<typeof runCase>[1] = {}): Promise<CosimReport> {
  const r = await runCase(c, opts);
  if (!r.ok) throw new CosimFailure(r);
  return r;
}

/** Checks every seed against the cycle model; returns the most beats the model ever held. */
async function checkCycles(c: CosimCase, report: CosimReport): Promise<number> {
  const layout = (await loadDesign(report.dir)).layout;
  const stalls: StallProbabilities = c.stalls ?? { inIdle: 0, outStall: 0 };
  let most = 0;
  for (const s of report.seeds) {
    const sched = makeSchedules(layout, s.seed, stalls);
    const beats = c.stimulus(s.seed).streams!.in!.length;
    const sb = new SkidBuffer();
    const inBeats = new Array<true>(beats).fill(true);
    const model = runStream('skid', sb, inBeats, beats, (cy) => scheduleAt(sched.idle!.in!, cy), (cy) => scheduleAt(sched.stall!.out!, cy), undefined, () => {
      most = Math.max(most, sb.occupancy);
    });
    expect(s.accepted.in, `seed ${s.seed}: accept cycles`).toEqual(model.accepted);
    expect(s.transactions.out!.map((t) => t.cycle), `seed ${s.seed}: output cycles`).toEqual(model.emitted);
    expect(s.cycles).toBe(model.cycles);
  }
  return most;
}

describe('common.skid_buffer cosim', () => {
  for (const c of skidBufferCases) {
    it.skipIf(c.full && !FULL)(`${c.name} ${JSON.stringify(c.params ?? {})}${c.full ? ' [full]' : ''}`, async () => {
      const report = await run(c);
      const most = await checkCycles(c, report);
      if (c.name.includes('nostall')) {
        // back to back: one beat per cycle, latency 1, the skid entry never used
        const s = report.seeds[0]!;
        expect(s.accepted.in).toEqual(s.accepted.in!.map((_, i) => i));
        expect(s.transactions.out!.map((t) => t.cycle)).toEqual(s.accepted.in!.map((a) => a + 1));
        expect(most).toBe(1);
      } else if (!c.name.endsWith('.single')) expect(most).toBe(2); // the skid entry did fill
    }, T);
  }

  it('Verilator and Icarus agree (100-bit data)', async () => {
    const report = await run(byName('w100'), { icarus: true });
    expect(report.seeds.map((s) => s.icarusDiff)).toEqual([undefined, undefined, undefined]);
  }, T);

  it('a wrong golden model (beat #3 duplicated) fails with stream, index, cycle and a waveform', async () => {
    const c = byName('heavy_stall');
    const wrong: CosimCase = {
      ...c,
      golden: (stim) => {
        const out = c.golden(stim).streams!.out!;
        return { streams: { out: [...out.slice(0, 4), out[3]!, ...out.slice(4)] } };
      },
    };
    const report = await runCase(wrong, { seeds: [1] });
    expect(report.ok).toBe(false);
    const s = report.seeds[0]!;
    const m = s.mismatch!;
    // directed beats 3 and 4 differ (max ^ alt, then 1)
    expect(m).toMatchObject({ stream: 'out', index: 4, kind: 'value', fields: ['data'], expected: { data: 0xaaaaaaaan }, got: { data: 1n } });
    expect(m.cycle).toBe(s.transactions.out![4]!.cycle);
    expect(report.message).toContain(`seed 1: mismatch on output stream 'out', transaction #4, cycle ${m.cycle}:`);
    expect(report.message).toContain('data: expected 2863311530 (0xaaaaaaaa), got 1 (0x00000001)');
    expect(s.waveform).toBeDefined();
    expect(existsSync(s.waveform!)).toBe(true);
    expect(report.message).toContain(`waveform: ${s.waveform}`);
    await rm(report.workDir, { recursive: true, force: true });
  }, T);
});
