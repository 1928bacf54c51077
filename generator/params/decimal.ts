// The one grammar for integers a user types (`--set n=4`, `--jobs 4`, `--shard 2/4`, a string
// in a JSON config, the W/H tags of a y4m header): PLAIN DECIMAL. Digits, and a leading `-` for
// a negative number; nothing else. So ` 4`, `4 `, `+4`, `0x10`, `016`, `-0`, `1e3`, `4.0` and
// `` are refused rather than read as 4, 16, 14, 0, 1000 or 0: what is typed is what is meant.
import { DcgenError } from '../errors.ts';

/** The rule in words, for error messages and help texts. */
export const PLAIN_DECIMAL = 'plain decimal (digits only; no +, spaces, leading zeros, 0x, exponent or fraction)';
/** The rule for a range that includes negative numbers. */
export const PLAIN_DECIMAL_SIGNED = 'plain decimal (digits, with a leading - for a negative number; no +, spaces, leading zeros, 0x, exponent or fraction)';

/** The rule in words for a range from `min`. */
export function plainDecimalRule(min: number): string {
  return min < 0 ? PLAIN_DECIMAL_SIGNED : PLAIN_DECIMAL;
}

const DECIMAL_INT = /^(?:0|-?[1-9][0-9]*)$/;

/** `text` is written in plain decimal (whatever its size). */
export function isPlainDecimal(text: string): boolean {
  return DECIMAL_INT.test(text);
}

/** The integer `text` spells in plain decimal, or undefined when it is not one (or is not a safe integer). */
export function decimalIntOf(text: string): number | undefined {
  if (!DECIMAL_INT.test(text)) return undefined;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** `text` quoted for a one-line message: single quotes, control characters escaped. */
export function quoteValue(text: string): string {
  const esc = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"');
  return `'${esc}'`;
}

/** An integer a user typed that is not plain decimal, or out of its range. Names what, expected and found. */
export class DecimalIntError extends DcgenError {
  constructor(
    /** What was given: `--jobs`, `--shard k`, `W tag`. */
    readonly what: string,
    readonly found: string,
    readonly min: number,
    readonly max: number,
  ) {
    const range = `a whole number from ${min} to ${max}`;
    const v = decimalIntOf(found);
    super(
      v === undefined
        ? `${what} ${quoteValue(found)}: expected ${range} in ${plainDecimalRule(min)}`
        : `${what} ${quoteValue(found)}: expected ${range}, found ${v}`,
    );
  }
}

/**
 * Parse an integer the user typed: plain decimal (see PLAIN_DECIMAL) and within [min, max], or a
 * DecimalIntError naming `what`, the rule and the value found. Every integer read from the command
 * line goes through here (parameters through `decimalIntOf`, which shares the grammar).
 */
export function parseDecimalInt(text: string, what: string, range: { min: number; max: number }): number {
  const v = decimalIntOf(text);
  if (v === undefined || v < range.min || v > range.max) throw new DecimalIntError(what, text, range.min, range.max);
  return v;
}
