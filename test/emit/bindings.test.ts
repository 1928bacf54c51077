// Typed bindings (`<top>.ports.ts`, generator/emit/bindings.ts): generated for the adder tree
// and type-checked with `tsc --noEmit` (strict, module NodeNext) in a temp folder outside the
// repo, next to a test file that uses them correctly (and assigns the narrowed types to the
// cosim's own Stimulus/Expected) and one that uses wrong stream and field names, which must
// fail with errors that name them.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adderTreeParams, commonAdderTree } from '../../generator/blocks/common/adder_tree.ts';
import { module, uint } from '../../generator/dsl/index.ts';
import { bindingsFor } from '../../generator/emit/bindings.ts';
import { plainBindingsModule } from '../support/bindings-plain.ts';
import { emitDesign } from '../../generator/emit/design.ts';
import { resolveParams } from '../../generator/params/schema.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = path.join(REPO, 'node_modules', '.bin', 'tsc');
const T = 120_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcgen-bindings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function adderTreeManifest() {
  const p = resolveParams('common.adder_tree', adderTreeParams, {});
  return emitDesign(commonAdderTree(p), { design: 'common.adder_tree', params: p }).manifest;
}

/** `npx tsc --noEmit -p <tsconfig>` over `files` (plus the bindings) in `dir`; exit code and output. */
async function tsc(name: string, files: string[]): Promise<{ code: number; out: string }> {
  const config = {
    compilerOptions: {
      strict: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      lib: ['ES2022'],
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      // the repo's cosim types (imported by the "good" file) need node's
      typeRoots: [path.join(REPO, 'node_modules', '@types')],
      types: ['node'],
    },
    files,
  };
  const cfg = path.join(dir, `tsconfig.${name}.json`);
  await writeFile(cfg, JSON.stringify(config, null, 2));
  try {
    const r = await promisify(execFile)(TSC, ['--noEmit', '-p', cfg], { cwd: dir, timeout: T });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

describe('typed bindings', () => {
  it('declare the parameters, ports and streams of the adder tree', () => {
    const manifest = adderTreeManifest();
    const { file, text } = bindingsFor(manifest);
    expect(file).toBe('common_adder_tree.ports.ts');
    expect(text).toContain(`Config hash: ${manifest.configHash}`);
    expect(text).toMatch(/export const params = \{\n {2}n: 8,\n {2}width: 8,\n {2}signed: true,\n {2}stages: 1,\n\} as const;/);
    expect(text).toContain("in_x7: { direction: 'input', width: 8, signed: true },");
    expect(text).toContain("out_sum: { direction: 'output', width: 11, signed: true },");
    expect(text).toContain("export type StreamName = 'in' | 'out';");
    expect(text).toContain('export type OutBeat = { sum: bigint; };');
    expect(text).toMatch(/export type InBeat = \{\n {2}x0: bigint;[^}]*x7: bigint;\n\};/);
    expect(text).not.toMatch(/^import /m);
    // deterministic
    expect(bindingsFor(adderTreeManifest()).text).toBe(text);
  });

  it('type-check with strict NodeNext tsc; a wrong stream or field name fails to type-check', { timeout: T }, async () => {
    const { file, text } = bindingsFor(adderTreeManifest());
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeFile(path.join(dir, file), text);
    const rel = (p: string) => path.relative(dir, path.join(REPO, p)).split(path.sep).join('/');
    await writeFile(
      path.join(dir, 'good.ts'),
      `import type { Stimulus } from '${rel('sim/stimulus/format.ts')}';
import type { Expected } from '${rel('sim/cosim/compare.ts')}';
import { type Beat, type InBeat, type OutBeat, type TopExpected, type TopStimulus, params, ports, streams } from './${file}';

const beats: InBeat[] = [0n, 1n, -128n].map((v) => ({ x0: v, x1: v, x2: v, x3: v, x4: v, x5: v, x6: v, x7: v }));
const stim: TopStimulus = { streams: { in: [...beats, { x0: 1, x1: 2, x2: 3, x3: 4, x4: 5, x5: 6, x6: 7, x7: 8 }] } };
const golden = (s: TopStimulus): TopExpected => ({
  streams: { out: (s.streams?.in ?? []).map((b) => ({ sum: BigInt(b.x0) + BigInt(b.x1) + BigInt(b.x2) + BigInt(b.x3) + BigInt(b.x4) + BigInt(b.x5) + BigInt(b.x6) + BigInt(b.x7) })) },
});
// the narrowed types are what runCosim takes
const asStimulus: Stimulus = stim;
const asExpected: Expected = golden(stim);
const sum: OutBeat['sum'] = 0n;
const viaIndex: Beat<'out'> = { sum };
const width: 8 = params.width;
const dir: 'input' = ports.in_x0.direction;
const sumPort: 'out_sum' = streams.out.fields.sum.port;
export { asStimulus, asExpected, viaIndex, width, dir, sumPort };
`,
    );
    await writeFile(
      path.join(dir, 'bad.ts'),
      `import type { OutBeat, TopExpected, TopStimulus } from './${file}';

export const wrongField: TopStimulus = { streams: { in: [{ x0: 1n, x1: 1n, x2: 1n, x3: 1n, x4: 1n, x5: 1n, x6: 1n, x7: 1n, x8: 1n }] } };
export const wrongStream: TopExpected = { streams: { result: [{ sum: 1n }] } };
export const readWrong = (t: OutBeat): bigint => t.total;
export const rowsOnAStreamModule: TopStimulus = { rows: [{ in_x0: 1n }] };
`,
    );
    const good = await tsc('good', ['good.ts', file]);
    expect(good.out).toBe('');
    expect(good.code).toBe(0);
    const bad = await tsc('bad', ['bad.ts', file]);
    expect(bad.code).not.toBe(0);
    console.log(`tsc on bad.ts (expected to fail):\n${bad.out}`);
    const errors = bad.out.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors.find((l) => l.startsWith('bad.ts(3,'))).toMatch(/'x8' does not exist in type/);
    expect(errors.find((l) => l.startsWith('bad.ts(4,'))).toMatch(/'result' does not exist in type/);
    expect(errors.find((l) => l.startsWith('bad.ts(5,'))).toMatch(/Property 'total' does not exist on type/);
    // the adder tree has no non-stream inputs: there are no rows to give
    expect(errors.find((l) => l.startsWith('bad.ts(6,'))).toBeDefined();
    expect(errors).toHaveLength(4);
  });

  it('cover plain ports (table rows, samples), snake_case stream names, a quote in a parameter, a module without streams', { timeout: T }, async () => {
    const top = plainBindingsModule();
    const { manifest } = emitDesign(top, { design: 'test.bindings', params: { mode: "it's" } });
    const { file, text } = bindingsFor(manifest);
    expect(text).toContain('export type PixInBeat = { v: bigint; };');
    expect(text).toContain("export type TableRow = { a: bigint; k: bigint; };");
    expect(text).toContain("mode: 'it\\'s'");
    const comb = module('bind_comb', (m) => m.output('y', m.input('a', uint(3)).not()));
    const c = bindingsFor(emitDesign(comb, { design: 'test.bindings', params: {} }).manifest);
    expect(c.text).toContain('export type StreamName = never;');
    await writeFile(path.join(dir, file), text);
    await writeFile(path.join(dir, c.file), c.text);
    await writeFile(
      path.join(dir, 'plain.ts'),
      `import type { TopStimulus, TopExpected } from './${file}';
import type { TopStimulus as CombStimulus, TopExpected as CombExpected } from './${c.file}';
export const s: TopStimulus = { streams: { pix_in: [{ v: 3 }] }, rows: [{ a: 1n }, { a: 2n, k: -16 }] };
export const e: TopExpected = { streams: { pix_out: [{ w: 4n }] }, samples: [{ y: 1n }, {}] };
export const cs: CombStimulus = { rows: [{ a: 7n }] };
export const ce: CombExpected = { samples: [{ y: 0n }] };
`,
    );
    await writeFile(
      path.join(dir, 'plain_bad.ts'),
      `import type { TopStimulus } from './${c.file}';
export const cs: TopStimulus = { rows: [{ b: 7n }], streams: { in: [] } };
`,
    );
    const ok = await tsc('plain', ['plain.ts', file, c.file]);
    expect(ok.out).toBe('');
    const bad = await tsc('plain_bad', ['plain_bad.ts', c.file]);
    expect(bad.out).toMatch(/'b' does not exist in type/);
    expect(bad.out).toMatch(/plain_bad\.ts\(2,\d+\): error/);
  });
});
