/**
 * ScenarioError: everything wrong with a scenario file, one problem per line, in the form
 * `<file>: <field.path[0].x>: <what is wrong>: found <value>; allowed: <what is allowed>`.
 */
import type { z } from "zod";

export class ScenarioError extends Error {
  /** Process exit status for a bad scenario (usage error), as the CLI reports it. */
  readonly exitCode = 2;
  /** The individual problems, one line each (already prefixed with the file). */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === "string" ? [problems] : [...problems];
    super(list.join("\n"));
    this.name = "ScenarioError";
    this.problems = list;
  }
}

/** How a type is named in messages ("allowed: an integer", "not a list"). */
export const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: "a number",
  int: "an integer",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

/** What is wrong, for a zod issue whose schema gives only the "allowed" part of the message. */
export function problemOf(iss: z.core.$ZodIssue): string {
  if (iss.input === undefined) return "missing required field";
  switch (iss.code) {
    case "invalid_type":
      return iss.expected === "int" && typeof iss.input === "number" ? "not an integer" : `not ${TYPE_NAMES[iss.expected] ?? `a ${iss.expected}`}`;
    case "too_small":
      if (iss.origin === "array") return "too few entries";
      if (iss.origin === "string") return iss.minimum === 1 ? "empty" : "too short";
      return "too small";
    case "too_big":
      return iss.origin === "array" ? "too many entries" : iss.origin === "string" ? "too long" : "too large";
    case "invalid_value":
      return "not one of the allowed values";
    case "invalid_format":
      return "wrong format";
    case "not_multiple_of":
      return "not a multiple of the step";
    case "invalid_union":
      return "none of the allowed forms";
    default:
      return "invalid value";
  }
}

/** A value as JSON for a message, at most `max` characters (cut with "..."). */
export function showValue(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) return "nothing";
  if (typeof value === "number") text = String(value); // keeps NaN, Infinity readable
  else if (typeof value === "bigint") text = String(value);
  else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Renders a path like `deployments[0].pod.concurrency`; odd keys become `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const key = String(seg);
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out === "" ? "(top level)" : out;
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate to `word` if it is plausibly a typo of it, else undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}
