/**
 * Turns zod issues from `scenarioSchema` into ScenarioError lines:
 * `<file>: <path>: <what is wrong>: found <value>; allowed: <what is allowed>`.
 */
import type { z } from "zod";
import { closest, formatPath, problemOf, showValue } from "./errors.js";
import type { IssueParams } from "./schema.js";

/** Names the source of a problem at a path: the file, or the `--set` that put the value there. */
export type Where = string | ((path: readonly PropertyKey[]) => string);

function line(where: Where, path: readonly PropertyKey[], problem: string, found: unknown, allowed: string): string {
  const w = typeof where === "string" ? where : where(path);
  return `${w}: ${formatPath(path)}: ${problem || "invalid value"}: found ${showValue(found)}; allowed: ${allowed}`;
}

function field(obj: unknown, key: PropertyKey): unknown {
  return typeof obj === "object" && obj !== null ? (obj as Record<PropertyKey, unknown>)[key] : undefined;
}

/** One or more lines per issue (an unknown-keys issue gives one line per key). */
export function formatIssues(file: Where, issues: readonly z.core.$ZodIssue[]): string[] {
  const out: string[] = [];
  for (const iss of issues) {
    switch (iss.code) {
      case "unrecognized_keys": {
        const allowed = iss.message.split(", ");
        for (const key of iss.keys) {
          const hint = closest(key, allowed);
          const problem = `unknown field ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`;
          out.push(line(file, [...iss.path, key], problem, field(iss.input, key), allowed.join(", ")));
        }
        break;
      }
      case "invalid_union": {
        if (iss.discriminator !== undefined && "options" in iss && iss.options) {
          // The path already ends with the discriminator; the input is the whole object.
          const value = field(iss.input, iss.discriminator);
          const options = iss.options.map(String);
          const hint = typeof value === "string" ? closest(value, options) : undefined;
          const problem =
            value === undefined
              ? `missing field ${JSON.stringify(iss.discriminator)}`
              : `unknown ${iss.discriminator}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`;
          out.push(line(file, iss.path, problem, value, `one of ${options.join(", ")}`));
        } else {
          out.push(line(file, iss.path, problemOf(iss), iss.input, iss.message));
        }
        break;
      }
      case "custom": {
        const p = (iss.params ?? {}) as IssueParams;
        const found = "found" in p ? p.found : iss.input;
        const problem = p.problem || (found === undefined ? "missing required field" : "invalid value");
        out.push(line(file, iss.path, problem, found, iss.message));
        break;
      }
      default:
        out.push(line(file, iss.path, problemOf(iss), iss.input, iss.message));
    }
  }
  return out;
}
