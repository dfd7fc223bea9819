/** Errors the command line reports as a plain message with exit status 2 (a user's mistake, not a bug). */
export class UsageError extends Error {}

/** Ends a command with this exit status, its message (if any) already printed. */
export class ExitStatus extends Error {
  constructor(readonly code: number) {
    super(`exit status ${code}`);
  }
}
