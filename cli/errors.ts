// Errors the command line itself detects. Like every DcgenError they are the user's to fix:
// the CLI prints `error: <message>` and exits 2.
import { DcgenError } from '../generator/errors.ts';

/** A bad command line: unknown command or option, missing value or argument, unknown design. */
export class UsageError extends DcgenError {}

/** A `--config` file that cannot be used; the message names the file and the rule it breaks. */
export class ConfigFileError extends DcgenError {
  constructor(
    readonly file: string,
    readonly rule: string,
  ) {
    super(`--config '${file}': ${rule}`);
  }
}

/** `dcgen lint <dir>` on a folder that does not hold a design dcgen generated. */
export class LintInputError extends DcgenError {}
