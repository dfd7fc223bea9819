/**
 * A reports folder that svcsim cannot report on (missing, without summary.csv, a broken run.json,
 * or holding a file of the user's where a derived report would go): exit status 2, like a
 * scenario error. Kept apart from the readers so the command line can load it cheaply.
 */
export class ReportInputError extends Error {
  readonly exitCode = 2;
}
