// common.abs_diff cosimulation: every case of sim/cases/common/abs_diff.ts (the `full` ones
// with DCGEN_FULL=1) against the golden |a − b|, with the accept/emit cycle of every beat
// checked against the stall-pipeline cycle model (1 stage registered, a wire otherwise);
// Verilator and Icarus agree on one case; a wrong golden model fails with a precise report.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type CosimCase, runCase } from '../../../sim/cases/case.ts';
import { absDiffCases, absDiffConfig } from '../../../sim/cases/common/abs_diff.ts';
import { CosimFailure, type CosimReport } from '../../../sim/cosim/index.ts';
import { absDiffStages } from '../../../sim/golden/common/abs_diff.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';
const byName = (n: string): CosimCase => absDiffCases.find((c) => c.name === `common.abs_diff.${n}`)!;

async function run(c: CosimCase, opts: Parameters<typeof runCase>[1] = {}): Promise<CosimReport> {
  const r = await runCase(c, opts);
  if (!r.ok) throw new CosimFailure(r);
  return r;
}


describe('common.abs_diff cosim', () => {
  for (const c of absDiffCases) {
    it.skipIf(c.full && !FULL)(`${c.name} ${JSON.stringify(c.params ?? {})}${c.full ? ' [full]' : ''}`, async () => {
      const report = await run(c);
      const p = absDiffConfig(c.params);
      const stages = absDiffStages(p.registered);
      if (c.name.endsWith('.nostall')) {
        const s = report.seeds[0]!;
        expect(s.accepted.in).toEqual(s.accepted.in!.map((_, i) => i));
        expect(s.transactions.out!.map((t) => t.cycle)).toEqual(s.accepted.in!.map((a) => a + stages));
      }
    }, T);
  }

  it('Verilator and Icarus agree (signed 32-bit)', async () => {
    const report = await run(byName('signed_w32'), { icarus: true });
    expect(report.seeds.map((s) => s.icarusDiff)).toEqual([undefined, undefined, undefined]);
    // a = min, b = max and the reverse: 2^32 - 1 both ways
    const out = report.seeds[0]!.transactions.out!;
    expect(out.slice(0, 2).map((t) => t.fields.d)).toEqual([(1n << 32n) - 1n, (1n << 32n) - 1n]);
  }, T);

  it('a wrong golden model (a − b mod 2^W, no magnitude) fails with stream, index, cycle and a waveform', async () => {
    const c = byName('default');
    const stim = c.stimulus(1);
    const beats = stim.streams!.in!;
    const wrong: CosimCase = {
      ...c,
      golden: (s) => ({ streams: { out: s.streams!.in!.map((b) => ({ d: (BigInt(b.a!) - BigInt(b.b!)) & 0xffn })) } }),
    };
    // the first beat with a < b is the first wrong one (a = min, b = max: beat 0)
    const first = beats.findIndex((b) => BigInt(b.a!) < BigInt(b.b!));
    expect(first).toBe(0);
    const report = await runCase(wrong, { seeds: [1] });
    expect(report.ok).toBe(false);
    const s = report.seeds[0]!;
    const m = s.mismatch!;
    expect(m).toMatchObject({ stream: 'out', index: first, kind: 'value', fields: ['d'], expected: { d: 1n }, got: { d: 255n } });
    expect(m.cycle).toBe(s.transactions.out![first]!.cycle);
    expect(report.message).toContain(`seed 1: mismatch on output stream 'out', transaction #${first}, cycle ${m.cycle}:`);
    expect(report.message).toContain('d: expected 1 (0x01), got 255 (0xff)');
    expect(s.waveform).toBeDefined();
    expect(existsSync(s.waveform!)).toBe(true);
    expect(report.message).toContain(`waveform: ${s.waveform}`);
    await rm(report.workDir, { recursive: true, force: true });
  }, T);
});
