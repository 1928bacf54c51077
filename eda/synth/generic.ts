// Generic (technology-independent) synthesis: Yosys `synth -flatten -top <top>` and
// `stat -json`, the same script for the native and the WebAssembly engine.
import { isLatchCellType } from '../tools/lint.ts';
import type { DesignFolder } from './design.ts';
import type { GenericSynth } from './report.ts';
import { runYosysScript, type SynthEngine } from './run.ts';

/** Fine-grained and coarse flip-flop cell types (one bit per fine-grained cell). */
export function isFlipFlopCellType(type: string): boolean {
  return (
    /^\$_(DFF|DFFE|SDFF|SDFFE|SDFFCE|ALDFF|ALDFFE|DFFSR|DFFSRE|FF)_/.test(type) ||
    /^\$(dff|dffe|adff|adffe|sdff|sdffe|sdffce|aldff|aldffe|dffsr|dffsre|ff)$/.test(type)
  );
}


interface StatTable {
  num_cells?: number;
  num_cells_by_type?: Record<string, number>;
}
export interface StatJson {
  creator?: string;
  modules?: Record<string, StatTable>;
  design?: StatTable;
}

/**
 * The cell table of the top: the `design` roll-up when present, else the single module.
 * (Both flows flatten, so there is one module.)
 */
export function statCells(stat: StatJson, top: string): { cells: number; byType: Record<string, number> } {
  const table = stat.design ?? stat.modules?.[`\\${top}`] ?? Object.values(stat.modules ?? {})[0] ?? {};
  const raw = table.num_cells_by_type ?? {};
  const byType: Record<string, number> = {};
  for (const k of Object.keys(raw).sort()) byType[k] = raw[k];
  const cells = table.num_cells ?? Object.values(byType).reduce((a, b) => a + b, 0);
  return { cells, byType };
}

export function yosysWarnings(log: string): string[] {
  return log.split(/\r?\n/).filter((l) => /(^|: )Warning:/.test(l));
}

export interface GenericRunOptions {
  engine: SynthEngine;
  workDir: string;
  logPath: string;
  onProgress?: (line: string) => void;
  timeoutMs?: number;
}

/** Yosys "N.M. Executing X pass" headlines, prefixed with the tool: progress, not noise. */
export function yosysProgress(onProgress: ((line: string) => void) | undefined, label: string): ((line: string) => void) | undefined {
  if (!onProgress) return undefined;
  return (line) => {
    if (/^\d+(\.\d+)*\. Executing /.test(line) || /ERROR:/.test(line)) onProgress(`${label}: ${line}`);
  };
}

export async function synthGeneric(d: DesignFolder, o: GenericRunOptions): Promise<{ result: GenericSynth; version: string }> {
  const files = [...d.files.keys()];
  const script = [
    ...files.map((f) => `read_verilog ${f}`),
    `synth -flatten -top ${d.manifest.top}`,
    // Yosys 0.38+ keeps $scopeinfo cells (names of flattened instances): not logic, not counted.
    'delete t:$scopeinfo',
    'tee -q -o stat.json stat -json',
    '',
  ].join('\n');
  const warnings: string[] = [];
  const onLine = yosysProgress(o.onProgress, 'yosys');
  const run = await runYosysScript({
    engine: o.engine,
    workDir: o.workDir,
    inputs: d.files,
    script,
    outputs: ['stat.json'],
    logPath: o.logPath,
    timeoutMs: o.timeoutMs,
    onLine: (l) => {
      if (/(^|: )Warning:/.test(l) && !/^ABC:/.test(l)) warnings.push(l);
      onLine?.(l);
    },
  });
  const stat = JSON.parse(run.outputs.get('stat.json')!) as StatJson;
  const { cells, byType } = statCells(stat, d.manifest.top);
  let flipFlops = 0;
  let latches = 0;
  for (const [t, n] of Object.entries(byType)) {
    if (isFlipFlopCellType(t)) flipFlops += n;
    if (isLatchCellType(t)) latches += n;
  }
  return {
    result: { cells, area: cells, areaUnit: 'cells', flipFlops, latches, cellsByType: byType, warnings },
    version: stat.creator ?? run.version,
  };
}
