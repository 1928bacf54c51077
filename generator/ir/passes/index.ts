// The module-level passes, in order. Each throws its own error class (generator/ir/errors.ts).
import type { IrModule } from '../types.ts';
import { checkDrivers } from './drivers.ts';
import { checkLatches } from './latches.ts';
import { checkLoops } from './loops.ts';
import { legaliseNames } from './names.ts';
import { checkUnused } from './unused.ts';
import { checkWidths } from './widths.ts';

export function runModulePasses(m: IrModule): void {
  legaliseNames(m);
  checkWidths(m);
  checkDrivers(m);
  checkLatches(m);
  checkLoops(m);
  checkUnused(m);
}
