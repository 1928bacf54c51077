// Lint points of the Ditto blocks (defaults and the extremes of every parameter range) and a
// helper that counts the memories Yosys infers before mapping them to gates. Used by the
// block tests in test/blocks/ditto/.
//
// Points whose logic Yosys takes long on (arrays of 64 PE columns, the 16-lane VPU: 49 s) run
// Verilator and Icarus only; memories cost Yosys nothing (the lint keeps them as $mem cells), so
// the deepest points (kMax, entries 65536) go through all three tools.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { emitDesign } from '../../../generator/emit/design.ts';
import { readDesignFolder } from '../../../generator/emit/manifest.ts';
import { writeFilesAtomically } from '../../../generator/emit/write.ts';
import { type LintTool, lintDesign, formatLintLine } from '../../../eda/tools/lint.ts';
import { requireTool } from '../../../eda/tools/which.ts';
import { findDesign } from '../../../generator/designs/index.ts';
import { caseParams } from './common.ts';

export interface LintPoint {
  design: string;
  params: Record<string, unknown>;
  /** default: all three tools */
  tools?: LintTool[];
  /** slow: only with DCGEN_FULL=1 (the test files) */
  full?: boolean;
}

const NO_YOSYS: LintTool[] = ['verilator', 'iverilog'];

export const dittoLintPoints: LintPoint[] = [
  // compute: rows 1..8, cols 1..64, kMax 1..65536, wGroup 0/divisors, stages 0..3
  { design: 'ditto.compute', params: {} },
  { design: 'ditto.compute', params: { rows: 1, cols: 1, kMax: 1, stages: 0 } },
  { design: 'ditto.compute', params: { rows: 3, cols: 6, wGroup: 2, kMax: 300, stages: 3 } },
  { design: 'ditto.compute', params: { rows: 8, cols: 64, kMax: 2, stages: 3 }, tools: NO_YOSYS },
  { design: 'ditto.compute', params: { rows: 1, cols: 64, kMax: 2, wGroup: 1 }, tools: NO_YOSYS },
  { design: 'ditto.compute', params: { rows: 1, cols: 1, kMax: 65536 } },
  { design: 'ditto.compute', params: { rows: 8, cols: 64, kMax: 65536, stages: 3 }, tools: NO_YOSYS, full: true },
  // vpu: lanes 1..16, entries 1..65536, every table
  { design: 'ditto.vpu', params: {} },
  { design: 'ditto.vpu', params: { lanes: 1, entries: 1, act: 'gelu', actInScale: 1, actOutScale: 1 << 20, actInZero: -128, actOutZero: 127 } },
  { design: 'ditto.vpu', params: { lanes: 3, entries: 9, act: 'relu', actInScale: 7, actOutScale: 5 } },
  { design: 'ditto.vpu', params: { lanes: 16, entries: 65536, act: 'silu', actInScale: 1 << 20, actOutScale: 1 }, tools: NO_YOSYS },
  // defo: entries 1..65536, cycleBits 16..48
  { design: 'ditto.defo', params: {} },
  { design: 'ditto.defo', params: { entries: 1, cycleBits: 16 } },
  { design: 'ditto.defo', params: { entries: 37, cycleBits: 48 } },
  { design: 'ditto.defo', params: { entries: 65536, cycleBits: 48 } },
];

/** Resolve, check, build, emit and write one point into a fresh folder under `root`. */
export function emitLintPoint(design: string, params: Record<string, unknown>, root = mkdtempSync(path.join(os.tmpdir(), 'dcgen-ditto-lint-'))): string {
  const def = findDesign(design);
  if (!def) throw new Error(`not a Ditto design: ${design}`);
  const values = caseParams({ design, params: params as never });
  const { files } = emitDesign(def.build(values as never), { design, params: values });
  const dir = path.join(root, `${design.replace(/\W/g, '_')}_${Object.entries(params).map(([k, v]) => `${k}${v}`).join('_') || 'default'}`);
  writeFilesAtomically(dir, files);
  return dir;
}

/** Lint a point; returns the failures (formatted), empty when every tool is clean. */
export async function lintPointFailures(dir: string, tools?: LintTool[]): Promise<string[]> {
  const results = await lintDesign(dir, tools ? { tools } : {});
  if (results.length === 0) return ['no lint results'];
  return results.filter((r) => !r.ok).map((r) => [formatLintLine(r), ...r.messages.map((m) => `    ${m}`)].join('\n'));
}

/**
 * Cells by type after Yosys' coarse synthesis (`synth -run begin:fine`, before memories are
 * mapped to flops): `$mem_v2` counts the inferred memories.
 */
export async function coarseCells(dir: string): Promise<Record<string, number>> {
  // Checked names (plain file names, a Verilog identifier for the top): safe in a Yosys script.
  const { manifest } = readDesignFolder(dir);
  const yosys = await requireTool('yosys');
  const statPath = path.join(dir, 'coarse_stat.json');
  // Names relative to the design folder (Yosys runs there): its path may hold spaces or `$`.
  const files = manifest.modules.map((m) => m.file).join(' ');
  const script = `read_verilog ${files}; synth -top ${manifest.top} -run begin:fine; tee -q -o coarse_stat.json stat -json`;
  const r = await execa(yosys, ['-q', '-p', script], { cwd: dir, reject: false, all: true, env: { LC_ALL: 'C' } });
  if (r.exitCode !== 0) throw new Error(`yosys failed: ${String(r.all)}`);
  const stat = JSON.parse(readFileSync(statPath, 'utf8')) as { design: { num_cells_by_type: Record<string, number> } };
  rmSync(statPath); // the design folder holds what its manifest lists, nothing else
  return stat.design.num_cells_by_type;
}
