/**
 * An experiment: a scenario file with its `--set` overrides and `--sweep`s, resolved into the
 * points to run, each a complete validated scenario, plus the hash that identifies the whole
 * (shards are merged and folders resumed only when their hashes agree).
 */
import { createHash } from "node:crypto";
import YAML from "yaml";
import { ScenarioError, formatPath } from "../scenario/errors.js";
import { experimentLimitProblems, limitMessage } from "../scenario/limits.js";
import { toPlainJSON } from "../scenario/json.js";
import { blame, checkScenario, formatSetPath, parseRawScenario, parseSetPath, readScenarioText, setAt, validateScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { SVCSIM_VERSION } from "../version.js";
import { expandSweep, parseSweepOption, settingCell, settingsLabel, sweepParameters, type Setting } from "./sweep.js";

export interface ExperimentOptions {
  /** `path=value` overrides, as for `--set`. */
  set?: readonly string[];
  /** `path=v1,v2,...` or `path=from..to:steps[:log]` axes added to the scenario's sweep (`--sweep`). */
  sweep?: readonly string[];
  /** Pair the `--sweep` axes (one zip axis) instead of crossing them. */
  zip?: boolean;
  seed?: number;
  /** Enforce svcsim's size limits (default true; `--no-limits` turns them off). */
  limits?: boolean;
  /** The shards the runs are split over (`--shard K/N`: N): the volume limits are per machine. */
  shards?: number;
}

export interface Point {
  index: number;
  /** The swept paths and their values at this point (empty without a sweep). */
  settings: Setting[];
  /** `path=value, ...` for messages and progress lines. */
  label: string;
  scenario: Scenario;
}

export interface Experiment {
  file: string;
  /** The resolved scenario with its sweep, as run.json records it. */
  scenario: Scenario;
  points: Point[];
  /** `--set` overrides, recorded in every row. */
  overrides: Setting[];
  /** The setting columns of every report, in order: the swept paths, then the `--set` paths. */
  settingColumns: string[];
  /** SHA-256 of svcsim's version and every point's resolved scenario: what merge and resume compare. */
  hash: string;
  /** What looks suspicious in the scenario (scenario/warnings.ts), one line each: printed, and recorded in run.json. */
  warnings: string[];
}

/** The most points a sweep may have: each is at least one run per policy and replication. */
export const MAX_POINTS = 10_000;

/** Reads a scenario file and resolves it into an experiment; every problem is a ScenarioError. */
export function loadExperiment(file: string, opts: ExperimentOptions = {}): Experiment {
  return resolveExperiment(readScenarioText(file), file, opts);
}

export function resolveExperiment(text: string, file: string, opts: ExperimentOptions = {}): Experiment {
  const raw = parseRawScenario(text, file, { set: opts.set, seed: opts.seed }) as Record<string, unknown>;
  addSweepOptions(raw, opts);
  const { scenario, warnings } = checkScenario(raw, file, { limits: opts.limits, volume: false, set: opts.set });

  const where = (axis: number, zip?: number) => `${file}: sweep[${axis}]${zip === undefined ? "" : `.zip[${zip}]`}.path`;
  const { params, problems } = sweepParameters(scenario.sweep, where);
  const overrides = setOverrides(opts.set ?? []);
  const swept = params.flat().map((p) => p.path);
  for (const o of overrides) {
    if (swept.some((c) => c === o.column || c.startsWith(`${o.column}.`) || c.startsWith(`${o.column}[`) || o.column.startsWith(`${c}.`) || o.column.startsWith(`${c}[`))) {
      problems.push(`--set ${o.column}: the path is also swept, so the sweep would override it: found ${o.column}; allowed: a path the sweep does not set (or a --sweep with one value)`);
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);

  const grid = expandSweep(params);
  if (grid.length > MAX_POINTS) {
    throw new ScenarioError(`${file}: sweep: ${grid.length.toLocaleString("en")} points: found ${grid.length}; allowed: at most ${MAX_POINTS.toLocaleString("en")} points (split the sweep into several scenarios, or use fewer values)`);
  }
  const base = structuredClone(raw);
  delete base.sweep;
  const points: Point[] = [];
  const errors: string[] = [];
  grid.forEach((settings, index) => {
    const label = settingsLabel(settings);
    const doc = structuredClone(base);
    for (const s of settings) {
      const err = setAt(doc, s.segs, structuredClone(s.value), `${file}: sweep point ${index} (${label}): ${s.column}`);
      if (err) errors.push(err);
    }
    try {
      points.push({ index, settings, label, scenario: validateScenario(doc, file, { limits: opts.limits, volume: false }) });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      errors.push(...e.problems.map((line) => (line.startsWith(`${file}: `) ? `${file}: sweep point ${index} (${label}): ${line.slice(file.length + 2)}` : line)));
    }
  });
  if (errors.length > 0) throw new ScenarioError(errors);
  if (opts.limits !== false) {
    const over = experimentLimitProblems(
      points.map((p) => p.scenario),
      opts.shards,
    );
    const origin = blame(file, opts.set);
    if (over.length > 0) throw new ScenarioError(over.map((p) => `${origin(p.path)}: ${formatPath(p.path)}: ${limitMessage(p)}`));
  }

  const settingColumns = [...swept, ...overrides.map((o) => o.column)];
  const hash = createHash("sha256")
    .update(JSON.stringify({ svcsim: SVCSIM_VERSION, scenario: toPlainJSON(scenario), overrides: overrides.map((o) => [o.column, settingCell(o.value)]) }))
    .update(JSON.stringify(points.map((p) => toPlainJSON(p.scenario))))
    .digest("hex");
  return { file, scenario, points, overrides, settingColumns, hash, warnings };
}

/** The number of replications a point starts with: the fixed count, or the minimum of replications until precise. */
export function initialReplications(s: Scenario): number {
  return typeof s.replications === "number" ? s.replications : s.replications.min;
}

/** `--sweep` options become axes of `raw.sweep`, replacing an axis on the same path. */
function addSweepOptions(raw: Record<string, unknown>, opts: ExperimentOptions): void {
  const entries = [];
  const problems: string[] = [];
  for (const expr of opts.sweep ?? []) {
    const p = parseSweepOption(expr);
    if (typeof p === "string") problems.push(p);
    else entries.push(p);
  }
  if (opts.zip && entries.length < 2) problems.push(`--zip: pairs the --sweep options, so it needs at least 2: found ${entries.length}; allowed: two or more --sweep options`);
  if (problems.length > 0) throw new ScenarioError(problems);
  if (entries.length === 0) return;
  const canonical = (p: unknown) => {
    const segs = typeof p === "string" ? parseSetPath(p) : "";
    return typeof segs === "string" ? p : formatSetPath(segs);
  };
  const given = new Set(entries.map((e) => canonical(e.path)));
  const existing = Array.isArray(raw.sweep) ? raw.sweep : raw.sweep === undefined || raw.sweep === null ? [] : undefined;
  if (existing === undefined) return; // the schema reports the bad sweep field
  const kept = existing.filter((axis) => !(typeof axis === "object" && axis !== null && given.has(canonical((axis as { path?: unknown }).path))));
  raw.sweep = opts.zip ? [...kept, { zip: entries }] : [...kept, ...entries];
}

/** The `--set` overrides as settings, last one per path winning; `sweep` itself is not a report column. */
function setOverrides(set: readonly string[]): Setting[] {
  const byColumn = new Map<string, Setting>();
  for (const expr of set) {
    const eq = expr.indexOf("=");
    const segs = parseSetPath(expr.slice(0, eq).trim());
    if (typeof segs === "string" || String(segs[0]) === "sweep") continue;
    const column = formatSetPath(segs);
    byColumn.delete(column);
    byColumn.set(column, { column, segs, value: YAML.parse(expr.slice(eq + 1)) as unknown });
  }
  return [...byColumn.values()];
}
