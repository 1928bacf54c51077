// What every block test does the same way: generate a registered design at a parameter point
// into a temporary folder (removed after the file's tests), lint a matrix of points with the
// three tools, and run the design's cosim cases with their cycle models.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { findDesign } from '../../generator/designs/index.ts';
import { type ParamValue, emitDesign } from '../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';
import { type CosimCase, runCase } from '../../sim/cases/case.ts';
import { ALL_LINT_TOOLS, type LintTool, lintDesign } from '../../eda/tools/lint.ts';

export const NO_YOSYS: LintTool[] = ['verilator', 'iverilog'];
export const FULL = process.env.DCGEN_FULL === '1';

/** A temporary folder for `design` (removed after the test file) and a generator into it. */
export function designWorkspace(design: string): { generate(tag: string, overrides: Record<string, unknown>): string } {
  const def = findDesign(design);
  if (!def) throw new Error(`unknown design ${design}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), `dcgen-${design.replace(/\./g, '-')}-test-`));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  return {
    generate(tag, overrides) {
      const p = def.resolve(overrides);
      const { files } = emitDesign(def.build(p), { design: def.name, params: p as Record<string, ParamValue> });
      const dir = path.join(tmp, tag);
      writeFilesAtomically(dir, files);
      return dir;
    },
  };
}

/** One test per point: every tool (or the listed ones) ran, and each is clean on every module. */
export function lintMatrixTests(ws: ReturnType<typeof designWorkspace>, matrix: readonly [Record<string, unknown>, LintTool[]?][], timeout: number): void {
  for (const [cfg, tools] of matrix) {
    it(`clean: ${JSON.stringify(cfg)}${tools ? ` (${tools.join(', ')})` : ''}`, async () => {
      const dir = ws.generate(`lint-${Object.entries(cfg).map(([k, v]) => `${k}${v}`).join('-') || 'default'}`, cfg);
      const res = await lintDesign(dir, tools ? { tools } : {});
      expect(res.filter((r) => !r.ok).map((r) => `${r.tool} ${r.module}: ${r.messages.join('; ')}`)).toEqual([]);
      expect(new Set(res.map((r) => r.tool))).toEqual(new Set(tools ?? ALL_LINT_TOOLS));
    }, timeout);
  }
}

/**
 * One test per case: every seed golden-exact under the case's stalls and, for a case with a
 * cycle model, cycle-exact (runCase checks both); full cases with DCGEN_FULL only.
 */
export function cosimCaseTests(cases: readonly CosimCase[], timeout: number): void {
  for (const c of cases) {
    it.skipIf(!!c.full && !FULL)(`${c.name}: golden-exact with stalls, ${c.seeds ?? 3} seed(s), cycle model exact${c.full ? ' (full)' : ''}`, async () => {
      const report = await runCase(c);
      expect(report.ok, report.message).toBe(true);
    }, timeout);
  }
}
