/**
 * Sweeps: the points of an experiment. Each axis of `sweep:` (one path, or a `zip` of paths that
 * advance together) gives a list of settings; the points are their grid, first axis outermost, like
 * nested loops in the order written. Paths use the `--set` syntax and are applied the same way.
 */
import YAML from "yaml";
import { parseDuration, parseRate } from "../random/units.js";
import { showValue } from "../scenario/errors.js";
import { formatSetPath, parseSetPath } from "../scenario/load.js";
import type { SweepAxis, SweepParameter } from "../scenario/types.js";

/** One path of a point and the value it is set to. */
export interface Setting {
  /** The canonical path, also the CSV column name: `deployments[0].pod.preStop`. */
  column: string;
  segs: (string | number)[];
  value: unknown;
}

/** Top-level fields a sweep may not change: they name the experiment or are already its dimensions. */
const FIXED: Record<string, string> = {
  name: "the name labels the whole experiment and names its folder",
  sweep: "a sweep cannot sweep itself",
  policies: "every point already runs every policy side by side",
  replications: "every point already runs every replication",
  compare: "the baseline applies to every point",
};

/** Canonical paths of the sweep's parameters, in axis order; problems are returned as messages (`where` names each). */
export function sweepParameters(axes: readonly SweepAxis[], where: (axis: number, zip?: number) => string): { params: SweepParameter[][]; problems: string[] } {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const params = axes.map((axis, i) => {
    const group = "zip" in axis ? axis.zip : [axis];
    return group.map((p, j) => {
      const here = where(i, "zip" in axis ? j : undefined);
      const segs = parseSetPath(p.path);
      if (typeof segs === "string") {
        problems.push(`${here}: bad path: ${segs}: found ${showValue(p.path)}; allowed: keys joined by "." with [n] list indexes, e.g. deployments[0].pod.preStop`);
        return p;
      }
      const column = formatSetPath(segs);
      const top = String(segs[0]);
      if (FIXED[top]) problems.push(`${here}: ${top} cannot be swept: ${FIXED[top]}: found ${showValue(p.path)}; allowed: any other field path`);
      for (const [other, otherHere] of seen) {
        if (other === column || other.startsWith(`${column}.`) || other.startsWith(`${column}[`) || column.startsWith(`${other}.`) || column.startsWith(`${other}[`)) {
          problems.push(`${here}: ${column} overlaps ${other} (${otherHere}): found ${showValue(p.path)}; allowed: each field swept by one parameter`);
        }
      }
      seen.set(column, here);
      return { path: column, values: p.values };
    });
  });
  return { params, problems };
}

/**
 * The points of a sweep: the grid of its axes (first axis outermost), each point the list of its
 * settings in parameter order. No axes give one point with no settings.
 */
export function expandSweep(params: readonly (readonly SweepParameter[])[]): Setting[][] {
  let points: Setting[][] = [[]];
  for (const group of params) {
    const steps = group[0]?.values.length ?? 0;
    const next: Setting[][] = [];
    for (const point of points) {
      for (let k = 0; k < steps; k++) {
        next.push([...point, ...group.map((p) => ({ column: p.path, segs: parseSetPath(p.path) as (string | number)[], value: p.values[k] }))]);
      }
    }
    points = next;
  }
  return points;
}

/**
 * A setting's value as a report cell: numbers as they are, durations in seconds and rates per
 * second (so a chart gets a numeric axis), other text as written, anything else as YAML flow text.
 */
export function settingCell(value: unknown): string | number {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    for (const parse of [parseDuration, parseRate]) {
      try {
        return parse(value);
      } catch {
        // not this kind
      }
    }
    return value;
  }
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return String(value);
  return YAML.stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trim();
}

/** A short label for messages and progress lines: `path=value, path=value`. */
export function settingsLabel(settings: readonly Setting[]): string {
  return settings.map((s) => `${s.column}=${typeof s.value === "string" ? s.value : YAML.stringify(s.value, { collectionStyle: "flow", lineWidth: 0 }).trim()}`).join(", ");
}

/**
 * `--sweep path=v1,v2,...` or `--sweep path=from..to:steps[:log]` as a sweep parameter; the values
 * are read as YAML like `--set` values. Returns a message on failure.
 */
export function parseSweepOption(expr: string): { path: string; values?: unknown[]; range?: Record<string, unknown> } | string {
  const head = `--sweep ${expr}`;
  const eq = expr.indexOf("=");
  if (eq < 0) return `${head}: no "=": found ${showValue(expr)}; allowed: path=v1,v2,... or path=from..to:steps[:log], e.g. cluster.nodes=2,4,8`;
  const path = expr.slice(0, eq).trim();
  const rhs = expr.slice(eq + 1).trim();
  const range = /^(.+?)\.\.(.+?):(\d+)(?::(log|linear))?$/.exec(rhs);
  if (range) {
    const end = (x: string) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(x.trim()) ? Number(x) : x.trim());
    return { path, range: { from: end(range[1]), to: end(range[2]), steps: Number(range[3]), scale: range[4] ?? "linear" } };
  }
  const doc = YAML.parseDocument(`[${rhs}]`, { prettyErrors: false });
  if (doc.errors.length > 0 || rhs === "") {
    return `${head}: cannot read the values: ${rhs === "" ? "none given" : doc.errors[0].message.split("\n")[0]}; allowed: YAML values separated by commas, e.g. 100ms,200ms,400ms`;
  }
  return { path, values: doc.toJS() as unknown[] };
}
