// The root of every error that a user (not a bug in dcgen) can cause. The CLI prints
// `error: <message>` and exits 2 for these; any other exception is a bug and shows its stack.

export abstract class DcgenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export function isUserError(e: unknown): e is DcgenError {
  return e instanceof DcgenError;
}
