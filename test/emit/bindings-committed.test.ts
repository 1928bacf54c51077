// The bindings the cosim cases import must be what the generator writes today: a port or a
// stream field renamed in the RTL then breaks the cases at type-check time (tsc in npm test).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOUND_DESIGNS, bindingsOf } from '../../scripts/bindings.ts';

describe('committed port bindings', () => {
  for (const d of BOUND_DESIGNS) {
    it(`sim/bindings for ${d} are current (else run: npx tsx scripts/bindings.ts)`, () => {
      const { file, text } = bindingsOf(d);
      expect(readFileSync(new URL(`../../sim/bindings/${file}`, import.meta.url), 'utf8')).toBe(text);
    });
  }
});
