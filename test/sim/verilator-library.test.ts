// A harness build with a non-leaf library (sim/verilator/libraries.ts): with the threshold
// forced down (DCGEN_VERILATOR_LIB_MIN=2), a small ditto.compute builds its row module as a
// library (its PEs and weight copies inside it, un-inlined by the library's own control file)
// and the design reads only the row's wrapper; the cases still cosimulate exactly (values
// against the golden model, every acceptance and output cycle against the cycle model), with
// one bank and with two (the row's loaded0/loaded1 inputs). A fresh cache folder: built here.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCases } from '../../sim/cases/ditto/compute.ts';
import { generateCaseDesign, runCase } from '../../sim/cases/case.ts';
import { buildHarness } from '../../sim/verilator/build.ts';

const T = 600_000;
let cache: string;
const saved = process.env.DCGEN_VERILATOR_LIB_MIN;

beforeAll(async () => {
  cache = await mkdtemp(path.join(os.tmpdir(), 'dcgen-vlib-test-'));
  process.env.DCGEN_VERILATOR_LIB_MIN = '2';
});

afterAll(async () => {
  if (saved === undefined) delete process.env.DCGEN_VERILATOR_LIB_MIN;
  else process.env.DCGEN_VERILATOR_LIB_MIN = saved;
  await rm(cache, { recursive: true, force: true });
});

describe('ditto.compute with its row built as a library (threshold forced to 2)', () => {
  for (const name of ['ditto.compute.random', 'ditto.compute.banks_k1']) {
    it(`${name}: the row is the only library, and the case cosimulates exactly`, async () => {
      const c = computeCases.find((x) => x.name === name)!;
      const dir = generateCaseDesign(c);
      const b = await buildHarness(dir, { cacheDir: cache });
      const entry = JSON.parse(readFileSync(path.join(b.entry, 'entry.json'), 'utf8'));
      expect(entry.libraries).toEqual(['ditto_compute_row']);
      expect(entry.noInline).toEqual(['ditto_compute_row']);
      const log = readFileSync(path.join(b.entry, 'build.log'), 'utf8');
      const runs = log.split('\n').filter((l) => l.startsWith('$ verilator'));
      expect(runs).toHaveLength(2);
      // the library: its control file and the row's subtree; the design: the wrapper and the top alone
      expect(runs[0]).toMatch(/--lib-create ditto_compute_row .* lib_ditto_compute_row\.vlt src\/dcgen_mem_\S+\.v src\/ditto_compute_pe\.v src\/ditto_compute_row\.v$/);
      expect(runs[1]).toMatch(/ dcgen\.vlt lib_ditto_compute_row\/ditto_compute_row\.sv src\/ditto_compute\.v \.\.\/lib_ditto_compute_row\/libditto_compute_row\.a$/);
      const r = await runCase(c, { dir, cacheDir: cache });
      expect(r.ok, r.message).toBe(true);
    }, T);
  }
});
