/**
 * Duration and rate fields of a scenario as zod schemas: the grammar of units.ts, with its problems
 * reported as zod issues at the field's path. Apart from units.ts so the run path does not load zod.
 */
import * as z from "zod";
import { DURATION_HINT, RATE_HINT, readDuration, readRate, shown } from "./units.js";

/** A number or a string read by `read` (units.ts), whose problems become issues at the field's path. */
function unitSchema(what: string, hint: string, read: (x: number | string) => number | Error) {
  return z
    .union([z.number(), z.string()], {
      error: (issue) => (issue.input === undefined ? `missing ${what}: ${hint}` : `${hint}, found ${shown(issue.input)}`),
    })
    .transform((x, ctx) => {
      const value = read(x);
      if (value instanceof Error) {
        ctx.addIssue({ code: "custom", message: value.message, input: x });
        return z.NEVER;
      }
      return value;
    });
}

/**
 * A duration field in a scenario: accepts a number (seconds) or a duration string and outputs
 * seconds. Problems become zod issues at the field's path, so the scenario validator can say where.
 */
export const durationSchema = unitSchema("duration", DURATION_HINT, readDuration);

/** A rate field in a scenario: a number (per second) or a string such as "100/s"; outputs events per second. */
export const rateSchema = unitSchema("rate", RATE_HINT, readRate);
