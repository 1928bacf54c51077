// One name everywhere: every built-in design `<family>.<block>` (the engine tops `ditto` and
// `cmc` are `<family>` with block `top`) has
//   generator/blocks/<family>/<block>.ts     its builder (exporting the design of that name)
//   sim/golden/<family>/<block>.ts           its golden model
//   sim/cycles/<family>/<block>.ts           its cycle model
//   sim/cases/<family>/<block>.ts            its cosim cases, each with `design` = the design name,
//                                            all registered in sim/cases/index.ts (allCases), so
//                                            `dcgen regress` and `dcgen mutate` see them
//   test/blocks/<family>/<block>.test.ts     its test
// Exceptions are listed below, each with its reason; an exception that no longer applies fails,
// so the list stays minimal. The checker is itself tested on made-up designs (it must fail).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { designs } from '../generator/designs/index.ts';
import { allCases } from '../sim/cases/index.ts';
import { REPO } from './support/cli.ts';

// The built-in designs only: the registry is a live view that `registerDesign` (plugins) extends;
// take it as it is when this file is loaded, before anything could register more.
const BUILT_INS = designs.map((d) => d.name);

type Role = 'builder' | 'golden' | 'cycles' | 'cases' | 'test';
const ROLES: readonly Role[] = ['builder', 'golden', 'cycles', 'cases', 'test'];

/**
 * Real exceptions: a file of the convention that does not exist for a design, and why. The test
 * checks that the file is really missing (a stale entry fails).
 */
const EXCEPTIONS: Readonly<Record<string, Partial<Record<Role, string>>>> = {
  'common.sram': {
    cycles:
      'not a stream block: no valid/ready handshake, so no accept/emit timing to model; its golden model (sim/golden/common/sram.ts) is already per cycle (rd_data the cycle after rd_en, read-first) and its cases check rd_data in every cycle',
  },
};

/** Where a cycle model may live instead: a module and the function it exports. */
interface CycleModelAt {
  file: string;
  exports: string;
}

/**
 * Shared cycle models: the common blocks whose control is the stall pipeline of
 * generator/blocks/common/pipeline.ts (abs_diff, adder_tree's valid chain, argmin) have no model
 * of their own; `stallPipelineCycles` of sim/cycles/common/pipeline.ts models them all (checked
 * to be exported there).
 */
const STALL_PIPELINE: readonly CycleModelAt[] = [{ file: 'sim/cycles/common/pipeline.ts', exports: 'stallPipelineCycles' }];
const SHARED_CYCLE_MODELS: Readonly<Record<string, readonly CycleModelAt[]>> = {
  'common.abs_diff': STALL_PIPELINE,
  'common.adder_tree': STALL_PIPELINE,
  'common.argmin': STALL_PIPELINE,
};

/** `<family>.<block>` → [family, block]; a top-level engine name `<family>` → [family, 'top']. */
function familyBlock(design: string): [string, string] | undefined {
  const parts = design.split('.');
  if (parts.length === 1) return [parts[0], 'top'];
  if (parts.length === 2) return [parts[0], parts[1]];
  return undefined;
}

/** The files the convention asks for, relative to the repository. */
function conventionFiles(design: string): Record<Role, string> | undefined {
  const fb = familyBlock(design);
  if (!fb) return undefined;
  const [f, b] = fb;
  return {
    builder: `generator/blocks/${f}/${b}.ts`,
    golden: `sim/golden/${f}/${b}.ts`,
    cycles: `sim/cycles/${f}/${b}.ts`,
    cases: `sim/cases/${f}/${b}.ts`,
    test: `test/blocks/${f}/${b}.test.ts`,
  };
}

interface CaseLike {
  name: string;
  design: string;
}

function isCase(v: unknown): v is CaseLike {
  const o = v as Record<string, unknown> | null;
  return typeof o === 'object' && o !== null && typeof o.name === 'string' && typeof o.design === 'string' && typeof o.stimulus === 'function' && typeof o.golden === 'function';
}

/** Every case among a module's exports (arrays of cases and single cases). */
function exportedCases(mod: Record<string, unknown>): CaseLike[] {
  const out: CaseLike[] = [];
  for (const v of Object.values(mod)) {
    if (Array.isArray(v)) out.push(...v.filter(isCase));
    else if (isCase(v)) out.push(v);
  }
  return out;
}

/** What is wrong with the cases a design's cases module exports (`registered`: the names in allCases). */
function casesModuleProblems(design: string, file: string, mod: Record<string, unknown>, registered: ReadonlySet<string>): string[] {
  const cases = exportedCases(mod);
  if (cases.length === 0) return [`${design}: ${file} exports no cosim cases`];
  const problems: string[] = [];
  for (const c of cases) {
    if (c.design !== design) problems.push(`${design}: case ${c.name} in ${file} has design '${c.design}'`);
    if (!c.name.startsWith(`${design}.`)) problems.push(`${design}: case ${c.name} in ${file} is not named '${design}.<case>'`);
    if (!registered.has(c.name)) problems.push(`${design}: case ${c.name} in ${file} is not in allCases (sim/cases/index.ts): regress and mutate do not see it`);
  }
  return problems;
}

async function load(rel: string, root: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(path.join(root, rel)).href)) as Record<string, unknown>;
}

interface NameCheckOptions {
  root?: string;
  exceptions?: Readonly<Record<string, Partial<Record<Role, string>>>>;
  sharedCycles?: Readonly<Record<string, readonly CycleModelAt[]>>;
  /** Names of the registered cases (default: allCases()). */
  registered?: ReadonlySet<string>;
}

/** Every way a design breaks the naming convention, one line each (empty when it keeps it). */
async function designNameProblems(design: string, o: NameCheckOptions = {}): Promise<string[]> {
  const root = o.root ?? REPO;
  const exceptions = o.exceptions ?? EXCEPTIONS;
  const shared = o.sharedCycles ?? SHARED_CYCLE_MODELS;
  const files = conventionFiles(design);
  if (!files) return [`${design}: not '<family>.<block>' or '<family>'`];
  const problems: string[] = [];
  const there = (rel: string) => existsSync(path.join(root, rel));
  for (const role of ROLES) {
    const rel = files[role];
    const excused = exceptions[design]?.[role];
    if (excused !== undefined) {
      if (there(rel)) problems.push(`${design}: ${rel} exists, but an exception says it need not (${excused}): drop the exception`);
      continue;
    }
    if (there(rel)) continue;
    if (role === 'cycles' && shared[design]) {
      let found = false;
      for (const at of shared[design]) {
        if (!there(at.file)) continue;
        if (typeof (await load(at.file, root))[at.exports] === 'function') found = true;
      }
      if (found) continue;
      problems.push(`${design}: missing cycles ${rel} (nor is ${shared[design].map((a) => `${a.exports} in ${a.file}`).join(' or ')} there)`);
      continue;
    }
    problems.push(`${design}: missing ${role} ${rel}`);
  }
  if (there(files.builder)) {
    const mod = await load(files.builder, root);
    const defines = Object.values(mod).some((v) => typeof v === 'object' && v !== null && (v as { name?: unknown }).name === design && typeof (v as { build?: unknown }).build === 'function');
    if (!defines) problems.push(`${design}: ${files.builder} exports no design named '${design}'`);
  }
  if (there(files.cases)) {
    const registered = o.registered ?? new Set((await allCases()).map((c) => c.name));
    problems.push(...casesModuleProblems(design, files.cases, await load(files.cases, root), registered));
  }
  return problems;
}

describe('one name everywhere', () => {
  it('the registry has built-in designs', () => {
    expect(BUILT_INS.length).toBeGreaterThan(10);
    expect(BUILT_INS).toContain('ditto.pe_a8w8');
  });

  for (const design of BUILT_INS) {
    it(`${design}: builder, golden model, cycle model, cases (carrying the name, registered) and test`, async () => {
      expect(await designNameProblems(design)).toEqual([]);
    }, 60_000);
  }

  it('every exception and shared cycle model names a built-in design', () => {
    for (const d of [...Object.keys(EXCEPTIONS), ...Object.keys(SHARED_CYCLE_MODELS)]) expect(BUILT_INS).toContain(d);
    for (const [d, roles] of Object.entries(EXCEPTIONS)) for (const why of Object.values(roles)) expect(why, d).toMatch(/\w{3,}.{20,}/);
  });
});

describe('the checker fails where it should', () => {
  it('reports every missing file of a made-up design', async () => {
    expect(await designNameProblems('ditto.no_such_block')).toEqual([
      'ditto.no_such_block: missing builder generator/blocks/ditto/no_such_block.ts',
      'ditto.no_such_block: missing golden sim/golden/ditto/no_such_block.ts',
      'ditto.no_such_block: missing cycles sim/cycles/ditto/no_such_block.ts',
      'ditto.no_such_block: missing cases sim/cases/ditto/no_such_block.ts',
      'ditto.no_such_block: missing test test/blocks/ditto/no_such_block.test.ts',
    ]);
    expect(await designNameProblems('nofamily')).toContain('nofamily: missing builder generator/blocks/nofamily/top.ts');
    expect(await designNameProblems('a.b.c')).toEqual(["a.b.c: not '<family>.<block>' or '<family>'"]);
  });

  it('a shared cycle model must really be there', async () => {
    const sharedCycles = { 'common.no_such_block': [{ file: 'sim/cycles/common/fifo.ts', exports: 'noSuchCycles' }] };
    expect(await designNameProblems('common.no_such_block', { sharedCycles })).toContain(
      'common.no_such_block: missing cycles sim/cycles/common/no_such_block.ts (nor is noSuchCycles in sim/cycles/common/fifo.ts there)',
    );
  });

  it('a stale exception fails', async () => {
    const problems = await designNameProblems('ditto.pe_a8w8', { exceptions: { 'ditto.pe_a8w8': { cycles: 'made up' } } });
    expect(problems).toEqual(['ditto.pe_a8w8: sim/cycles/ditto/pe_a8w8.ts exists, but an exception says it need not (made up): drop the exception']);
  });

  it('cases that carry another design name, are misnamed or unregistered are reported', () => {
    const c = (name: string, design: string) => ({ name, design, stimulus: () => ({}), golden: () => ({}) });
    const mod = { cases: [c('ditto.pe.x', 'ditto.pe'), c('ditto.pe_a8w8.y', 'ditto.pe_a8w8')], one: c('other.z', 'ditto.pe_a8w8') };
    expect(casesModuleProblems('ditto.pe_a8w8', 'f.ts', mod, new Set(['ditto.pe_a8w8.y']))).toEqual([
      "ditto.pe_a8w8: case ditto.pe.x in f.ts has design 'ditto.pe'",
      "ditto.pe_a8w8: case ditto.pe.x in f.ts is not named 'ditto.pe_a8w8.<case>'",
      'ditto.pe_a8w8: case ditto.pe.x in f.ts is not in allCases (sim/cases/index.ts): regress and mutate do not see it',
      "ditto.pe_a8w8: case other.z in f.ts is not named 'ditto.pe_a8w8.<case>'",
      'ditto.pe_a8w8: case other.z in f.ts is not in allCases (sim/cases/index.ts): regress and mutate do not see it',
    ]);
    expect(casesModuleProblems('ditto.pe_a8w8', 'f.ts', { n: 1 }, new Set())).toEqual(['ditto.pe_a8w8: f.ts exports no cosim cases']);
  });
});
