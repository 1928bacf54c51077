// The layers import one way: cli → sim, eda → generator (sim may run eda's tools; eda never
// reaches into sim). Every import and export-from line of every source file is read, resolved to
// a file of the repository, and checked against the rules below; the golden and cycle models must
// not reach the DSL, the IR or the emitter even through a neutral module.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/cli.ts';

const LAYERS = ['cli', 'eda', 'generator', 'sim'] as const;
type Layer = (typeof LAYERS)[number];

/** Which layers each layer may import (itself included). */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  cli: ['cli', 'eda', 'generator', 'sim'],
  sim: ['sim', 'eda', 'generator'],
  eda: ['eda', 'generator'],
  generator: ['generator'],
};

/** Parts of the generator that the golden and cycle models must not reach. */
const HARDWARE_BUILDING = ['generator/dsl/', 'generator/ir/', 'generator/emit/', 'generator/blocks/'];
const MODELS = ['sim/golden/', 'sim/cycles/'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|mts|mjs)$/.test(e.name)) out.push(rel);
  }
  return out;
}

const IMPORT = /^\s*(?:import|export)\b([^'"]*?)from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

interface Import {
  /** The imported file, relative to the repository. */
  file: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
}

/** The repository files `file` imports (relative specifiers only; packages and node: are free). */
export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[2] ?? m[3] ?? m[4];
    if (!spec?.startsWith('.')) continue;
    out.push({ file: path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)), typeOnly: /^\s*type\b/.test(m[1] ?? '') });
  }
  return out;
}

function layerOf(file: string): Layer | undefined {
  return LAYERS.find((l) => file.startsWith(`${l}/`));
}

/**
 * Every wrong import of the graph (file → its imports), as `a -> b (rule)` lines. A model may not
 * import the hardware-building code at all, nor reach it through the run-time imports of the
 * modules it uses (a shared type such as a port layout is not a dependency on the builder).
 */
export function layerViolations(graph: Map<string, Import[]>): string[] {
  const bad: string[] = [];
  for (const [file, imports] of graph) {
    const from = layerOf(file);
    if (!from) continue;
    for (const { file: dep } of imports) {
      const to = layerOf(dep);
      if (!to) bad.push(`${file} -> ${dep} (outside the layers)`);
      else if (!MAY_IMPORT[from].includes(to)) bad.push(`${file} -> ${dep} (${from} may not import ${to})`);
    }
  }
  // Golden and cycle models: no path to the hardware-building code, direct or through other modules.
  for (const start of [...graph.keys()].filter((f) => MODELS.some((m) => f.startsWith(m)))) {
    const seen = new Set<string>([start]);
    const queue: string[][] = [[start]];
    while (queue.length > 0) {
      const chain = queue.shift()!;
      for (const { file: dep, typeOnly } of graph.get(chain[chain.length - 1]) ?? []) {
        if (seen.has(dep) || (typeOnly && chain.length > 1)) continue;
        seen.add(dep);
        if (HARDWARE_BUILDING.some((h) => dep.startsWith(h))) bad.push(`${[...chain, dep].join(' -> ')} (a model reaches the DSL, IR or emitter)`);
        else queue.push([...chain, dep]);
      }
    }
  }
  return bad;
}

describe('layers', () => {
  const files = LAYERS.flatMap((l) => sourceFiles(l));
  const graph = new Map(files.map((f) => [f, importsOf(f, readFileSync(path.join(REPO, f), 'utf8'))]));

  it('reads the whole tree (every layer has files, imports resolve to files that exist)', () => {
    for (const l of LAYERS) expect(files.some((f) => f.startsWith(`${l}/`)), l).toBe(true);
    const known = new Set(files);
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => layerOf(d.file) && !known.has(d.file)).map((d) => `${f} -> ${d.file}`));
    expect(missing).toEqual([]);
  });

  it('every import goes one way: cli → sim, eda → generator; models never reach the DSL, IR or emitter', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('the check fails on a wrong direction (generator importing sim, eda importing sim, a model reaching the DSL)', () => {
    const planted = new Map(graph);
    const value = (file: string) => [{ file, typeOnly: false }];
    planted.set('generator/planted.ts', value('sim/cases/index.ts'));
    planted.set('eda/planted.ts', value('sim/cosim/index.ts'));
    planted.set('sim/golden/planted.ts', value('generator/spec/planted.ts'));
    planted.set('generator/spec/planted.ts', value('generator/dsl/index.ts'));
    planted.set('sim/cycles/planted.ts', [{ file: 'generator/ir/types.ts', typeOnly: true }]);
    const bad = layerViolations(planted);
    expect(bad).toContain('generator/planted.ts -> sim/cases/index.ts (generator may not import sim)');
    expect(bad).toContain('eda/planted.ts -> sim/cosim/index.ts (eda may not import sim)');
    expect(bad).toContain('sim/golden/planted.ts -> generator/spec/planted.ts -> generator/dsl/index.ts (a model reaches the DSL, IR or emitter)');
    expect(bad).toContain('sim/cycles/planted.ts -> generator/ir/types.ts (a model reaches the DSL, IR or emitter)');
    expect(importsOf('cli/x.ts', "import { a } from '../sim/y.ts';\nexport { b } from './z.ts';\nimport type { T } from '../eda/t.ts';\nconst m = await import('../eda/w.ts');")).toEqual([
      { file: 'sim/y.ts', typeOnly: false },
      { file: 'cli/z.ts', typeOnly: false },
      { file: 'eda/t.ts', typeOnly: true },
      { file: 'eda/w.ts', typeOnly: false },
    ]);
  });
});
