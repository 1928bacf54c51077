// Every cosimulation case dcgen knows, for `dcgen regress` and the block tests. Each family
// of blocks contributes its list: import it statically and add it below. Cases of an
// out-of-tree design are added at run time with `registerCases` (docs/new-block.md).
import { findDesign } from '../../generator/designs/index.ts';
import { DcgenError } from '../../generator/errors.ts';
import type { CosimCase } from './case.ts';
import { cmcCases } from './cmc/index.ts';
import { commonCases } from './common/index.ts';
import { dittoCases } from './ditto/index.ts';
import { dittoTopCases } from './ditto/top.ts';

const registered: CosimCase[] = [];

export async function allCases(): Promise<CosimCase[]> {
  return [...commonCases, ...dittoCases, ...dittoTopCases, ...cmcCases, ...registered];
}

/** Cases that cannot be added (a design that is not registered, a bad or taken name). */
export class CaseRegistrationError extends DcgenError {}

/**
 * Add the cases of an out-of-tree design (registered first with `registerDesign`), for
 * `dcgen regress`, `mutate` and `start`. Each is named `<design>.<case>`, once.
 */
export async function registerCases(cases: readonly CosimCase[]): Promise<void> {
  const taken = new Set((await allCases()).map((c) => c.name));
  for (const c of cases) {
    const what = `cosim case ${JSON.stringify((c as { name?: unknown } | undefined)?.name)}`;
    if (typeof c?.name !== 'string' || typeof c.design !== 'string' || typeof c.stimulus !== 'function' || typeof c.golden !== 'function') {
      throw new CaseRegistrationError(`${what}: expected { name, design, stimulus, golden, ... } (defineCase in sim/cases/case.ts)`);
    }
    if (!findDesign(c.design)) throw new CaseRegistrationError(`${what}: its design '${c.design}' is not registered (register the design first)`);
    const short = c.name.startsWith(`${c.design}.`) ? c.name.slice(c.design.length + 1) : '';
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(short)) throw new CaseRegistrationError(`${what}: expected '${c.design}.<case>' (letters, digits, _ . -)`);
    if (taken.has(c.name)) throw new CaseRegistrationError(`${what} is already registered`);
    taken.add(c.name);
  }
  registered.push(...cases);
}
