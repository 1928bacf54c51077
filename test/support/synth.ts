// Design folders for the synthesis tests (test/synth/*): the adder tree as `dcgen generate`
// writes it, and hand-written one-module folders for what no built-in design is (a RAM, a
// multiplier array, a purely combinational block).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adderTreeDesign } from '../../generator/blocks/common/adder_tree.ts';
import { configHash, emitDesign, type ParamValue } from '../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../generator/emit/write.ts';

/** `common.adder_tree` with `overrides`, validated, built and written to `<root>/<name>`; returns the folder. */
export function adderTreeFolder(root: string, name: string, overrides: Record<string, ParamValue> = {}): string {
  const d = adderTreeDesign;
  const p = d.resolve(overrides);
  const { files } = emitDesign(d.build(p), { design: d.name, params: p });
  const dir = path.join(root, name);
  writeFilesAtomically(dir, files);
  return dir;
}

/** What the sweep's `generate` callback does: one folder per configuration, named by its hash. */
export function adderTreePointGenerator(root: string): (overrides: Record<string, ParamValue>) => Promise<string> {
  return async (overrides) => adderTreeFolder(path.join(root, 'points'), configHash(adderTreeDesign.name, adderTreeDesign.resolve(overrides)), overrides);
}

export interface HandPort {
  name: string;
  direction: 'input' | 'output';
  width: number;
}

/** A hand-written one-module design folder (manifest.json, filelist, Verilog), as dcgen writes them. */
export function handDesign(root: string, name: string, top: string, verilog: string, ports: HandPort[], hasClock = true): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, `${top}.v`), verilog);
  writeFileSync(path.join(dir, `${top}.f`), `${top}.v\n`);
  const manifest = {
    generator: { name: 'dcgen', version: '0.0.0-test' },
    design: `test.${top}`,
    top,
    configHash: '0000000000000000',
    params: {},
    filelist: `${top}.f`,
    modules: [{ name: top, file: `${top}.v`, doc: 'hand-written test design', params: {}, hasClock, streams: [], ports: ports.map((p) => ({ ...p, signed: false })) }],
  };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}
