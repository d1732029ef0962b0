/** A mistake in how afc was called: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
