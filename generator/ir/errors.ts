// One class per failure the DSL or an IR pass detects. Every message names the module, the
// signal (or construct), what was expected, what was found, and the user's DSL source line.
import { DcgenError } from '../errors.ts';
import type { HwType, SrcLoc } from './types.ts';

export function fmtLoc(loc: SrcLoc | undefined): string {
  return loc ? ` (at ${loc.file}:${loc.line})` : '';
}

export function fmtType(t: HwType): string {
  return `${t.width}-bit ${t.signed ? 'signed' : 'unsigned'}`;
}

export abstract class HardwareError extends DcgenError {
  constructor(
    readonly module: string,
    readonly subject: string,
    readonly expected: string,
    readonly found: string,
    readonly loc: SrcLoc | undefined,
  ) {
    super(`module '${module}', ${subject}: expected ${expected}, found ${found}${fmtLoc(loc)}`);
  }
}

/** Operand or assignment widths that the strict width rules do not allow. */
export class WidthMismatchError extends HardwareError {}
/** Signed and unsigned operands mixed without an explicit cast. */
export class SignednessError extends HardwareError {}
/** A name that is not a legal Verilog identifier, or one reserved by dcgen. */
export class IdentifierError extends HardwareError {}
/** A constant that does not fit the type it is given. */
export class ConstantRangeError extends HardwareError {}
/** A construct used where it is not allowed (assigning an input, a register in comb, ...). */
export class DslUsageError extends HardwareError {}
/** A submodule instance whose connections do not match the child's ports. */
export class ConnectionError extends HardwareError {}
/** A signal driven from more than one place. */
export class MultipleDriverError extends HardwareError {}
/** A wire, output or register that nothing drives. */
export class UndrivenSignalError extends HardwareError {}
/** A wire or register that nothing reads. */
export class UnusedSignalError extends HardwareError {}
/** A combinational signal not assigned on every path: it would infer a latch. */
export class LatchError extends HardwareError {}
/** Two modules of one design with the same name and different contents. */
export class ModuleNameClashError extends HardwareError {}

/** A combinational cycle; the message prints the loop. */
export class CombinationalLoopError extends HardwareError {
  constructor(module: string, readonly loop: string[], loc: SrcLoc | undefined) {
    super(module, `signal '${loop[0]}'`, 'no combinational loop', `the loop ${loop.join(' -> ')}`, loc);
  }
}
