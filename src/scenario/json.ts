/**
 * Scenario <-> plain JSON. A resolved Scenario holds Infinity (no timeout, unlimited keep-alive
 * requests, crashes until the end), which JSON cannot: it is written as the string "Infinity",
 * which the schema accepts wherever Infinity is allowed, so run.json can be loaded back and rerun.
 */
import { validateScenario } from "./load.js";
import type { Scenario } from "./types.js";

/** JSON.stringify replacer: non-finite numbers become "Infinity" / "-Infinity" / "NaN". */
export function scenarioJSONReplacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/** A JSON-safe deep copy of a scenario (Infinity written as "Infinity"). */
export function toPlainJSON(s: Scenario): unknown {
  return JSON.parse(JSON.stringify(s, scenarioJSONReplacer));
}

/** Reads back what toPlainJSON wrote (e.g. run.json's scenario), re-validating it. */
export function scenarioFromJSON(data: unknown, file = "run.json"): Scenario {
  return validateScenario(data, file);
}
