// common.adder_tree cosimulation: every case of sim/cases/common/adder_tree.ts (the `full`
// ones with DCGEN_FULL=1) against the golden sum, with the accept/emit cycle of every beat
// checked against the stall-pipeline cycle model; Verilator and Icarus agree on one case;
// a deliberately wrong golden model makes the cosim fail with a precise report.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type CosimCase, runCase } from '../../../sim/cases/case.ts';
import { adderTreeCases, adderTreeConfig } from '../../../sim/cases/common/adder_tree.ts';
import { type Beat, CosimFailure, type CosimReport } from '../../../sim/cosim/index.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';
const byName = (n: string): CosimCase => adderTreeCases.find((c) => c.name === `common.adder_tree.${n}`)!;

async function run(c: CosimCase, opts: Parameters<typeof runCase>[1] = {}): Promise<CosimReport> {
  const r = await runCase(c, opts);
  if (!r.ok) throw new CosimFailure(r);
  return r;
}

/** Every beat accepted and every sum emitted in exactly the cycle the cycle model predicts. */

describe('common.adder_tree cosim', () => {
  for (const c of adderTreeCases) {
    it.skipIf(c.full && !FULL)(`${c.name} ${JSON.stringify(c.params ?? {})}${c.full ? ' [full]' : ''}`, async () => {
      const report = await run(c);
      const p = adderTreeConfig(c.params);
      if (c.name.endsWith('.nostall')) {
        // back to back: one beat per cycle, latency = stages
        const s = report.seeds[0]!;
        expect(s.accepted.in).toEqual(s.accepted.in!.map((_, i) => i));
        expect(s.transactions.out!.map((t) => t.cycle)).toEqual(s.accepted.in!.map((a) => a + p.stages));
      }
    }, T);
  }

  it('Verilator and Icarus agree (signed 64-bit inputs, 66-bit sum)', async () => {
    const report = await run(byName('signed_w64'), { icarus: true });
    expect(report.seeds.map((s) => s.icarusDiff)).toEqual([undefined, undefined, undefined]);
    // the directed corners: 3 x max, 3 x min
    const out = report.seeds[0]!.transactions.out!;
    expect(out[0]!.fields.sum).toBe(3n * ((1n << 63n) - 1n));
    expect(out[1]!.fields.sum).toBe(-3n * (1n << 63n));
  }, T);

  it('a wrong golden model (sum off by one from transaction 7 on) fails with stream, index, cycle and a waveform', async () => {
    const c = byName('default');
    const wrong: CosimCase = {
      ...c,
      golden: (stim) => {
        const e = c.golden(stim);
        return { streams: { out: e.streams!.out!.map((b: Beat, i) => (i >= 7 ? { sum: BigInt(b.sum!) + 1n } : b)) } };
      },
    };
    const report = await runCase(wrong, { seeds: [1] });
    expect(report.ok).toBe(false);
    const s = report.seeds[0]!;
    const m = s.mismatch!;
    expect(m).toMatchObject({ stream: 'out', index: 7, kind: 'value', fields: ['sum'] });
    expect(m.cycle).toBe(s.transactions.out![7]!.cycle);
    expect(m.expected!.sum).toBe(m.got!.sum + 1n);
    expect(report.message).toContain(`seed 1: mismatch on output stream 'out', transaction #7, cycle ${m.cycle}:`);
    expect(report.message).toContain(`sum: expected ${m.expected!.sum} (`);
    expect(s.waveform).toBeDefined();
    expect(existsSync(s.waveform!)).toBe(true);
    expect(report.message).toContain(`waveform: ${s.waveform}`);
    await rm(report.workDir, { recursive: true, force: true });
  }, T);
});
