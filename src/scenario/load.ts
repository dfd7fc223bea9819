/**
 * Reading scenario files: YAML -> `--set` overrides on the raw document -> schema -> `Scenario`.
 * Every problem is collected and thrown at once as a ScenarioError.
 */
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import YAML from "yaml";
import { ScenarioError, showValue } from "./errors.js";
import { formatIssues } from "./issues.js";
import { allowedFromIssue, scenarioSchema } from "./schema.js";
import type { Scenario } from "./types.js";

export interface LoadOptions {
  /** `path=value` overrides, applied to the raw document before validation, in order. */
  set?: readonly string[];
  /** Overrides the scenario's seed. */
  seed?: number;
}

/** Validates a raw (already parsed) document; `file` names it in messages. */
export function validateScenario(raw: unknown, file: string): Scenario {
  const r = scenarioSchema.safeParse(raw, { error: allowedFromIssue, reportInput: true });
  if (r.success) return r.data;
  throw new ScenarioError(formatIssues(file, r.error.issues));
}

/** Parses scenario text (YAML); `file` is used for messages and the default name. */
export function parseScenario(text: string, file: string, opts: LoadOptions = {}): Scenario {
  return validateScenario(parseRawScenario(text, file, opts), file);
}

/**
 * The raw document of scenario text: YAML parsed, `--set` overrides and the seed applied, the name
 * defaulted, not yet validated (sweeps apply their values to it, point by point).
 */
export function parseRawScenario(text: string, file: string, opts: LoadOptions = {}): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, merge: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
        const what = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        return `${where}: YAML syntax error: ${what}${pos ? ` (line ${pos.line}, column ${pos.col})` : ""}`;
      }),
    );
  }
  let raw: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (raw === null || raw === undefined) raw = {}; // an empty file: report the missing required fields
  const problems: string[] = [];
  for (const expr of opts.set ?? []) {
    const err = applySet(raw, expr);
    if (err) problems.push(`${file}: ${err}`);
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

/** Reads and parses a scenario file. */
export function loadScenario(file: string, opts: LoadOptions = {}): Scenario {
  return parseScenario(readScenarioText(file), file, opts);
}

/** A scenario file's text; a file that cannot be read is a ScenarioError naming it. */
export function readScenarioText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory, not a file" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new ScenarioError(`${file}: cannot read the scenario file: ${why}`);
  }
  return text;
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
  if (eq < 0) return `${head}: no "=": found ${showValue(expr)}; allowed: path=value, e.g. cluster.nodes=5`;
  const segs = parseSetPath(expr.slice(0, eq).trim());
  if (typeof segs === "string") return `${head}: bad path: ${segs}; allowed: keys joined by "." with [n] list indexes, e.g. deployments[0].pod.preStop`;
  const valueDoc = YAML.parseDocument(expr.slice(eq + 1), { prettyErrors: false });
  if (valueDoc.errors.length > 0) {
    return `${head}: cannot parse the value: ${valueDoc.errors[0].message.split("\n")[0]}; allowed: a YAML scalar or flow value such as 5, 2s or [random, round-robin]`;
  }
  return setAt(doc, segs, valueDoc.toJS(), head);
}

/**
 * Sets `value` at the parsed path `segs` of `doc` in place (the `--set` rules: lists are indexed,
 * missing intermediate mappings are created); returns a message starting with `head` on failure.
 */
export function setAt(doc: unknown, segs: readonly (string | number)[], value: unknown, head: string): string | undefined {
  if (!isPlainObject(doc)) return `${head}: the document is not a mapping: found ${showValue(doc)}; allowed: a scenario mapping`;
  let cur: unknown = doc;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k];
    const here = formatSetPath(segs.slice(0, k));
    let key: string | number;
    if (Array.isArray(cur)) {
      const idx = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : undefined;
      if (idx === undefined) return `${head}: ${here} is a list, so "${seg}" must be an index: found ${showValue(seg)}; allowed: an index from 0 to ${cur.length - 1}`;
      if (idx >= cur.length) {
        return `${head}: index ${idx} is past the end of ${here} (${cur.length} ${cur.length === 1 ? "entry" : "entries"}): found ${idx}; allowed: ${cur.length ? `an index from 0 to ${cur.length - 1}` : "no index (the list is empty)"}`;
      }
      key = idx;
    } else if (isPlainObject(cur)) {
      if (typeof seg === "number") return `${head}: ${here} is a mapping, not a list: found [${seg}]; allowed: a field name`;
      key = seg;
    } else {
      return `${head}: ${here} is not a mapping or list: found ${showValue(cur)}; allowed: a path through mappings and lists`;
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
        return `${head}: ${formatSetPath(segs.slice(0, k + 1))} is missing, so it has no entry [${next}]: found nothing; allowed: an index into an existing list`;
      }
      container[key] = {}; // create the missing intermediate mapping
    }
    cur = container[key];
  }
  return undefined;
}
