// TEST ORACLE: the bindings printed through ts-morph, as generator/emit/bindings.ts did before
// it printed them itself (structure printers, then formatText). The statements are the
// generator's own (bindingsStatements); only the printing is ts-morph's, so that
// test/emit/bindings-print.test.ts shows the direct printer gives the same bytes. Not used by
// the generator. ts-morph (the TypeScript compiler inside) takes ~0.7 s to load: loaded on the
// first call.
import { createRequire } from 'node:module';
import type { Project } from 'ts-morph';
import { bindingsStatements } from '../../generator/emit/bindings.ts';
import type { Manifest } from '../../generator/emit/manifest.ts';

type TsMorph = typeof import('ts-morph');
let tsMorph: TsMorph | undefined;
function loadTsMorph(): TsMorph {
  tsMorph ??= createRequire(import.meta.url)('ts-morph') as TsMorph;
  return tsMorph;
}

/** One in-memory project for every call (creating one costs tens of milliseconds). */
let project: Project | undefined;

/** The bindings file of the manifest's top module, printed by ts-morph: `{ file: '<top>.ports.ts', text }`. */
export function bindingsForTsMorph(manifest: Manifest): { file: string; text: string } {
  const morph = loadTsMorph();
  project ??= new morph.Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true } });
  const file = `${manifest.top}.ports.ts`;
  const sf = project.createSourceFile(file, '', { overwrite: true });
  const banner = bindingsStatements(manifest, {
    addConst: (name, initializer, docs) => sf.addVariableStatement({ isExported: true, declarationKind: morph.VariableDeclarationKind.Const, declarations: [{ name, initializer }], docs }),
    addType: (name, type, docs, typeParameters) => sf.addTypeAlias({ isExported: true, name, type, docs, ...(typeParameters ? { typeParameters } : {}) }),
  });
  sf.insertText(0, `${banner}\n`);
  sf.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  return { file, text: sf.getFullText() };
}
