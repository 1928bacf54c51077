// common.argmin cosimulation: every case of sim/cases/common/argmin.ts (the `full` ones with
// DCGEN_FULL=1) against the golden (minimum, lowest index), with the accept/emit cycle of
// every beat checked against the stall-pipeline cycle model; Verilator and Icarus agree on the
// ties case; a golden model that breaks ties to the HIGHEST index fails with a precise report.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type CosimCase, runCase } from '../../../sim/cases/case.ts';
import { argminCases, argminConfig } from '../../../sim/cases/common/argmin.ts';
import { CosimFailure, type CosimReport, type Stimulus } from '../../../sim/cosim/index.ts';
import { argmin } from '../../../sim/golden/common/argmin.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';
const byName = (n: string): CosimCase => argminCases.find((c) => c.name === `common.argmin.${n}`)!;

async function run(c: CosimCase, opts: Parameters<typeof runCase>[1] = {}): Promise<CosimReport> {
  const r = await runCase(c, opts);
  if (!r.ok) throw new CosimFailure(r);
  return r;
}


function candidates(stim: Stimulus, n: number): bigint[][] {
  return stim.streams!.in!.map((b) => Array.from({ length: n }, (_, i) => BigInt(b[`v${i}`]!)));
}

describe('common.argmin cosim', () => {
  for (const c of argminCases) {
    it.skipIf(c.full && !FULL)(`${c.name} ${JSON.stringify(c.params ?? {})}${c.full ? ' [full]' : ''}`, async () => {
      const report = await run(c);
      const p = argminConfig(c.params);
      if (c.name.endsWith('.nostall')) {
        const s = report.seeds[0]!;
        expect(s.accepted.in).toEqual(s.accepted.in!.map((_, i) => i));
        expect(s.transactions.out!.map((t) => t.cycle)).toEqual(s.accepted.in!.map((a) => a + p.stages));
      }
      if (p.n > 1) {
        // the stimulus does exercise ties: some beats hold their minimum more than once
        const beats = candidates(c.stimulus(1), p.n);
        const tied = beats.filter((v) => v.filter((x) => x === argmin(v).min).length > 1).length;
        if (!c.name.endsWith('.single')) expect(tied).toBeGreaterThan(10);
      }
    }, T);
  }

  it('Verilator and Icarus agree (ties)', async () => {
    const report = await run(byName('ties'), { icarus: true });
    expect(report.seeds.map((s) => s.icarusDiff)).toEqual([undefined, undefined, undefined]);
  }, T);

  it('a wrong golden model (ties to the highest index) fails with stream, index, cycle and a waveform', async () => {
    const c = byName('ties');
    const n = argminConfig(c.params).n;
    const highest = (v: bigint[]) => {
      const { min } = argmin(v);
      return { min, index: v.lastIndexOf(min) };
    };
    const wrong: CosimCase = { ...c, golden: (stim) => ({ streams: { out: candidates(stim, n).map(highest) } }) };
    // the first beat whose minimum appears twice (the directed all-equal beat 0: index 0, not n-1)
    const first = candidates(c.stimulus(1), n).findIndex((v) => highest(v).index !== argmin(v).index);
    expect(first).toBe(0);
    const report = await runCase(wrong, { seeds: [1] });
    expect(report.ok).toBe(false);
    const s = report.seeds[0]!;
    const m = s.mismatch!;
    expect(m).toMatchObject({ stream: 'out', index: first, kind: 'value', fields: ['index'], expected: { index: BigInt(n - 1) }, got: { index: 0n } });
    expect(m.cycle).toBe(s.transactions.out![first]!.cycle);
    expect(report.message).toContain(`seed 1: mismatch on output stream 'out', transaction #${first}, cycle ${m.cycle}:`);
    expect(report.message).toContain(`index: expected ${n - 1} (`);
    expect(s.waveform).toBeDefined();
    expect(existsSync(s.waveform!)).toBe(true);
    expect(report.message).toContain(`waveform: ${s.waveform}`);
    await rm(report.workDir, { recursive: true, force: true });
  }, T);
});
