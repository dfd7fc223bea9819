/**
 * Reading scenario files: YAML -> `--set` overrides on the raw document -> schema -> semantic
 * checks (selectors that match nothing, size limits) -> `Scenario`, plus warnings. Every problem is
 * collected and thrown at once as a ScenarioError; a problem a `--set` caused names that `--set`.
 */
import { basename, extname } from "node:path";
import { ScenarioError, formatPath, showValue } from "./errors.js";
import { formatIssues } from "./issues.js";
import { limitMessage, limitProblems, rawLimitProblems } from "./limits.js";
import { workloadPlans } from "./plan.js";
import { allowedFromIssue, scenarioSchema } from "./schema.js";
import { emptySelectors } from "./selectors.js";
import type { Scenario } from "./types.js";
import { formatWarning, scenarioWarnings } from "./warnings.js";
import { parseYaml, readScenarioFile } from "./yaml.js";

export interface LoadOptions {
  /** `path=value` overrides, applied to the raw document before validation, in order. */
  set?: readonly string[];
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Enforce svcsim's size limits (limits.ts); `--no-limits` turns them off. Default true. */
  limits?: boolean;
}

export interface ValidateOptions {
  /** Enforce svcsim's size limits (default true). */
  limits?: boolean;
  /** Check the volume limits (requests, timeseries rows) too (default true); an experiment checks them over all its points. */
  volume?: boolean;
  /** The `--set` expressions applied to the document: problems at or under their paths name them. */
  set?: readonly string[];
}

/** A valid scenario and what looks suspicious in it, one line per warning (also recorded in run.json). */
export interface LoadedScenario {
  scenario: Scenario;
  warnings: string[];
}

/**
 * Where a problem at `path` comes from: the last `--set` whose path contains it or lies inside it
 * (`--set workload.0.arrivals.rate=...` for a problem with `workload[0].arrivals`), else the file.
 */
export function blame(file: string, set: readonly string[] = []): (path: readonly PropertyKey[]) => string {
  const overrides = set.flatMap((expr) => {
    const eq = expr.indexOf("=");
    const segs = eq < 0 ? "" : parseSetPath(expr.slice(0, eq).trim());
    return typeof segs === "string" ? [] : [{ expr, segs: segs.map(String) }];
  });
  return (path) => {
    const p = path.map(String);
    for (let i = overrides.length - 1; i >= 0; i--) {
      const { expr, segs } = overrides[i];
      const n = Math.min(segs.length, p.length);
      if (p.length > 0 && segs.slice(0, n).every((seg, k) => seg === p[k])) return `--set ${expr}`;
    }
    return file;
  };
}

/**
 * Validates a raw (already parsed) document and returns the scenario with its warnings; `file`
 * names it in messages. Checks the schema first, then what needs the whole valid scenario: Services
 * that select no pod ever, and the size limits.
 */
export function checkScenario(raw: unknown, file: string, opts: ValidateOptions = {}): LoadedScenario {
  const where = blame(file, opts.set);
  const line = (path: (string | number)[], text: string) => `${where(path)}: ${formatPath(path)}: ${text}`;
  const early = opts.limits === false ? [] : rawLimitProblems(raw);
  if (early.length > 0) throw new ScenarioError(early.map((p) => line(p.path, limitMessage(p))));
  const r = scenarioSchema.safeParse(raw, { error: allowedFromIssue, reportInput: true });
  if (!r.success) throw new ScenarioError(formatIssues(where, r.error.issues));
  const s = r.data;
  const plans = workloadPlans(s);
  const problems = emptySelectors(s, plans).map((p) => {
    const path = ["services", p.service, "selector"];
    return line(path, `${p.problem}: found ${showValue(s.services[p.service].selector)}; allowed: ${p.allowed}`);
  });
  if (opts.limits !== false) problems.push(...limitProblems(s, { volume: opts.volume }).map((p) => line(p.path, limitMessage(p))));
  if (problems.length > 0) throw new ScenarioError(problems);
  return { scenario: s, warnings: scenarioWarnings(s, plans).map((w) => formatWarning(where(w.path), w)) };
}

/** Validates a raw (already parsed) document; `file` names it in messages. */
export function validateScenario(raw: unknown, file: string, opts: ValidateOptions = {}): Scenario {
  return checkScenario(raw, file, opts).scenario;
}

/** Parses scenario text (YAML) and returns the scenario with its warnings; `file` is used for messages and the default name. */
export function parseScenarioChecked(text: string, file: string, opts: LoadOptions = {}): LoadedScenario {
  return checkScenario(parseRawScenario(text, file, opts), file, { limits: opts.limits, set: opts.set });
}

/** Parses scenario text (YAML); `file` is used for messages and the default name. */
export function parseScenario(text: string, file: string, opts: LoadOptions = {}): Scenario {
  return parseScenarioChecked(text, file, opts).scenario;
}

/**
 * The raw document of scenario text: YAML parsed (hostile input refused, yaml.ts), `--set`
 * overrides and the seed applied, the name defaulted, not yet validated (sweeps apply their
 * values to it, point by point).
 */
export function parseRawScenario(text: string, file: string, opts: LoadOptions = {}): unknown {
  let raw: unknown = parseYaml(text, file);
  if (raw === null || raw === undefined) raw = {}; // an empty file: report the missing required fields
  const problems: string[] = [];
  for (const expr of opts.set ?? []) {
    const err = applySet(raw, expr);
    if (err) problems.push(err);
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  if (isPlainObject(raw)) {
    if (opts.seed !== undefined) raw.seed = opts.seed;
    if (raw.name === undefined) raw.name = nameFromFile(file);
  }
  return raw;
}

/**
 * The default scenario name: the file's base name made a DNS-1123 label ("Pod_Crash v2.yaml" ->
 * "pod-crash-v2"), as the name becomes the folder results/<name>.
 */
export function nameFromFile(file: string): string {
  const label = basename(file, extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
  return label || "scenario";
}

/** Reads and parses a scenario file, returning the scenario with its warnings. */
export function loadScenarioChecked(file: string, opts: LoadOptions = {}): LoadedScenario {
  return parseScenarioChecked(readScenarioText(file), file, opts);
}

/** Reads and parses a scenario file. */
export function loadScenario(file: string, opts: LoadOptions = {}): Scenario {
  return loadScenarioChecked(file, opts).scenario;
}

/** A scenario file's text; a file that cannot be read, or is not a sane text file, is a ScenarioError naming it (yaml.ts). */
export function readScenarioText(file: string): string {
  return readScenarioFile(file);
}

// ---------------------------------------------------------------------------------------------
// --set path=value
// ---------------------------------------------------------------------------------------------

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Splits `a.b[0].c`, `a.0.c` or `labels["app.kubernetes.io/name"]` into segments; numbers mark list
 * indexes written as [n]; plain digit segments stay strings and index lists when they meet one.
 */
export function parseSetPath(path: string): (string | number)[] | string {
  const segs: (string | number)[] = [];
  let i = 0;
  let expectKey = true;
  while (i < path.length) {
    const c = path[i];
    if (c === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) return `unclosed "[" at position ${i}`;
      const inner = path.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) segs.push(Number(inner));
      else if (/^".*"$/s.test(inner) || /^'.*'$/s.test(inner)) segs.push(inner.slice(1, -1));
      else return `"[${inner}]" is neither an index such as [0] nor a quoted key such as ["app"]`;
      i = close + 1;
      expectKey = false;
    } else if (c === ".") {
      if (expectKey) return `empty segment at position ${i}`;
      i++;
      expectKey = true;
    } else {
      if (!expectKey) return `expected "." or "[" at position ${i}`;
      let j = i;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
      segs.push(path.slice(i, j));
      i = j;
      expectKey = false;
    }
  }
  if (segs.length === 0) return "empty path";
  if (expectKey) return "the path ends with \".\"";
  return segs;
}

/** The canonical spelling of a parsed path: `deployments[0].pod.preStop` (list indexes in brackets). */
export function formatSetPath(segs: readonly (string | number)[]): string {
  let out = "";
  for (const s of segs) out += typeof s === "number" || /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  return out || "(top level)";
}

/** Applies one `path=value` to `doc` in place; returns a message (without the file) on failure. */
export function applySet(doc: unknown, expr: string): string | undefined {
  const head = `--set ${expr}`;
  const eq = expr.indexOf("=");
  if (eq < 0) return `${head}: no "=" between the path and the value: found ${showValue(expr)}; allowed: path=value, e.g. cluster.nodes=5`;
  const path = expr.slice(0, eq).trim();
  const segs = parseSetPath(path);
  if (typeof segs === "string") return `${head}: bad path (${segs}): found ${showValue(path)}; allowed: keys joined by "." with [n] list indexes, e.g. deployments[0].pod.preStop`;
  let value: unknown;
  try {
    value = parseYaml(expr.slice(eq + 1), head, { positions: false });
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems[0];
    throw e;
  }
  return setAt(doc, segs, value, head);
}

/**
 * Sets `value` at the parsed path `segs` of `doc` in place (the `--set` rules: lists are indexed,
 * missing intermediate mappings are created); returns a message starting with `head` on failure.
 */
export function setAt(doc: unknown, segs: readonly (string | number)[], value: unknown, head: string): string | undefined {
  if (!isPlainObject(doc)) return `${head}: (top level): the document is not a mapping: found ${showValue(doc)}; allowed: a scenario mapping`;
  let cur: unknown = doc;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k];
    const here = formatSetPath(segs.slice(0, k));
    let key: string | number;
    if (Array.isArray(cur)) {
      const idx = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : undefined;
      if (idx === undefined) return `${head}: ${here}: a list, so "${seg}" must be an index: found ${showValue(seg)}; allowed: an index from 0 to ${cur.length - 1}`;
      if (idx >= cur.length) {
        return `${head}: ${here}: index past the end of the list (${cur.length} ${cur.length === 1 ? "entry" : "entries"}): found ${idx}; allowed: ${cur.length ? `an index from 0 to ${cur.length - 1}` : "no index (the list is empty)"}`;
      }
      key = idx;
    } else if (isPlainObject(cur)) {
      if (typeof seg === "number") return `${head}: ${here}: a mapping, not a list: found [${seg}]; allowed: a field name`;
      key = seg;
    } else {
      return `${head}: ${here}: not a mapping or list, so it has no ${JSON.stringify(String(seg))}: found ${showValue(cur)}; allowed: a path through mappings and lists`;
    }
    const container = cur as Record<string | number, unknown>;
    if (k === segs.length - 1) {
      container[key] = value;
      break;
    }
    const existing = container[key];
    if (existing === undefined || existing === null) {
      const next = segs[k + 1];
      if (typeof next === "number" || /^\d+$/.test(next)) {
        return `${head}: ${formatSetPath(segs.slice(0, k + 1))}: missing, so it has no entry [${next}]: found nothing; allowed: an index into an existing list`;
      }
      container[key] = {}; // create the missing intermediate mapping
    }
    cur = container[key];
  }
  return undefined;
}
