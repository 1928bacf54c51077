// Regenerate the typed port bindings that the cosim cases import (sim/bindings/<top>.ports.ts),
// from the designs at their defaults: `npx tsx scripts/bindings.ts`. A test fails when a
// committed file differs from what this writes, so the cases always type-check against the
// RTL's real ports and stream fields.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findDesign } from '../generator/designs/index.ts';
import { type ParamValue, emitDesign } from '../generator/emit/design.ts';

/** Designs whose cases are typed by their bindings (their stream fields do not vary with the parameters). */
export const BOUND_DESIGNS = ['common.fifo', 'common.skid_buffer', 'common.abs_diff'] as const;

export function bindingsOf(design: string): { file: string; text: string } {
  const def = findDesign(design);
  if (!def) throw new Error(`unknown design ${design}`);
  const params = def.resolve({}) as Record<string, ParamValue>;
  const { manifest, files } = emitDesign(def.build(params), { design: def.name, params, bindings: true });
  const file = `${manifest.top}.ports.ts`;
  return { file, text: files.get(file)! };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const d of BOUND_DESIGNS) {
    const { file, text } = bindingsOf(d);
    writeFileSync(new URL(`../sim/bindings/${file}`, import.meta.url), text);
    console.log(`wrote sim/bindings/${file}`);
  }
}
