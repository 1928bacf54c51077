// common.sram cosimulation: every case of sim/cases/common/sram.ts (the `full` ones with
// DCGEN_FULL=1), rd_data checked in every cycle where the golden model knows it (read-first,
// latency 1, held without rd_en); Verilator and Icarus agree on the directed case; reads of
// words never written show Verilator's randomised initial memory (--x-initial unique with
// +verilator+rand+reset+2); a write-first golden model fails with a precise report.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type CosimCase, runCase } from '../../../sim/cases/case.ts';
import { sramCases, sramConfig, sramOps } from '../../../sim/cases/common/sram.ts';
import { CosimFailure, type CosimReport } from '../../../sim/cosim/index.ts';
import { sramReadData } from '../../../sim/golden/common/sram.ts';

const T = 300_000;
const FULL = process.env.DCGEN_FULL === '1';
const byName = (n: string): CosimCase => sramCases.find((c) => c.name === `common.sram.${n}`)!;

async function run(c: CosimCase, opts: Parameters<typeof runCase>[1] = {}): Promise<CosimReport> {
  const r = await runCase(c, opts);
  if (!r.ok) throw new CosimFailure(r);
  return r;
}

describe('common.sram cosim', () => {
  for (const c of sramCases) {
    it.skipIf(c.full && !FULL)(`${c.name} ${JSON.stringify(c.params ?? {})}${c.full ? ' [full]' : ''}`, async () => {
      const report = await run(c);
      for (const s of report.seeds) {
        const stim = c.stimulus(s.seed);
        const expected = c.golden(stim).samples!;
        expect(s.samples.length).toBeGreaterThanOrEqual(expected.length);
        // not a vacuous check: from the first read on, most cycles are known (all but those
        // after reads of unwritten words)
        const from = expected.findIndex((e) => 'rd_data' in e);
        const known = expected.filter((e) => 'rd_data' in e).length;
        expect(from).toBeGreaterThan(0);
        expect(known).toBeGreaterThan((c.name.endsWith('unwritten_reads') ? 0.3 : 0.75) * (expected.length - from));
      }
    }, T);
  }

  it('Verilator and Icarus agree (directed: fill, read back, read-first, hold)', async () => {
    const report = await run(byName('directed'), { icarus: true });
    expect(report.seeds.map((s) => s.icarusDiff)).toEqual([undefined, undefined, undefined]);
  }, T);

  it('X-randomisation: reads of never-written words show random data, different per seed', async () => {
    const c = byName('unwritten_reads');
    const report = await run(c);
    const unknownValues = report.seeds.map((s) => {
      const expected = c.golden(c.stimulus(s.seed)).samples!;
      return s.samples.filter((x) => expected[x.cycle] && !('rd_data' in expected[x.cycle]!) && x.cycle > 0).map((x) => x.values.rd_data!);
    });
    for (const v of unknownValues) {
      expect(v.length).toBeGreaterThan(10);
      expect(v.some((x) => x !== 0n)).toBe(true);
    }
  }, T);

  it('a wrong golden model (write-first on a same-cycle read and write) fails with cycle and a waveform', async () => {
    const c = byName('directed');
    const { depth } = sramConfig(c.params);
    const writeFirst = (stim: Parameters<CosimCase['golden']>[0]) => {
      const ops = sramOps(stim).map((o) => o);
      // write-first: a read sees the data written in its own cycle
      const mem = new Map<number, bigint>();
      let rd: bigint | undefined;
      const samples: Record<string, bigint>[] = [];
      for (const o of ops) {
        samples.push(rd === undefined ? {} : { rd_data: rd });
        if (o.wrEn) mem.set(o.wrAddr, o.wrData);
        if (o.rdEn) rd = mem.get(o.rdAddr);
      }
      return { samples };
    };
    const stim = c.stimulus(1);
    const right = sramReadData(sramOps(stim), depth);
    const bad = writeFirst(stim).samples;
    const first = right.findIndex((v, k) => v !== undefined && bad[k]!.rd_data !== v);
    expect(first).toBeGreaterThan(depth); // after the fill and read-back
    const report = await runCase({ ...c, golden: writeFirst }, { seeds: [1] });
    expect(report.ok).toBe(false);
    const s = report.seeds[0]!;
    const m = s.mismatch!;
    expect(m).toMatchObject({ stream: 'samples', index: first, cycle: first, kind: 'value', fields: ['rd_data'], expected: { rd_data: bad[first]!.rd_data }, got: { rd_data: right[first] } });
    expect(report.message).toContain(`seed 1: mismatch on per-cycle outputs, cycle ${first}:`);
    expect(report.message).toContain(`rd_data: expected ${bad[first]!.rd_data} (`);
    expect(s.waveform).toBeDefined();
    expect(existsSync(s.waveform!)).toBe(true);
    expect(report.message).toContain(`waveform: ${s.waveform}`);
    await rm(report.workDir, { recursive: true, force: true });
  }, T);
});
