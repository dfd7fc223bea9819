/**
 * The runs of a reports folder, indexed for the report: which policies, Services, replications
 * and sweep points it holds. Read from the CSVs alone (run.json only orders the policies), so it
 * works on merged and older folders too. (The time series are read a run at a time: time-charts.ts.)
 */
import { LOCAL_POLICY_SUMMARY_COLUMNS, RETRY_SUMMARY_COLUMNS, SUMMARY_COLUMNS, ZONE_SUMMARY_COLUMNS } from "../columns.js";
import type { ReportsFolder, ScenarioJson, TableRow } from "../folder.js";

export interface RunIndex {
  scenario: ScenarioJson | null;
  policies: string[];
  services: string[];
  replications: number[];
  /** Sweep points in order; [null] when the folder has no `point` column. */
  points: (number | null)[];
  /** Columns of summary.csv beyond the standard ones whose value changes from point to point. */
  swept: string[];
  summary: TableRow[];
  pods: TableRow[];
}

/** Distinct values of a column, in order of first appearance. */
export function distinct<T = string>(rows: readonly TableRow[], column: string): T[] {
  const seen = new Set<unknown>();
  const out: T[] = [];
  for (const r of rows) {
    const v = r[column];
    if (v === null || v === undefined || seen.has(v)) continue;
    seen.add(v);
    out.push(v as T);
  }
  return out;
}

/** Rows of one sweep point (all rows when the folder has no points). */
export function atPoint(rows: readonly TableRow[], point: number | null): TableRow[] {
  return point === null ? [...rows] : rows.filter((r) => r.point === point);
}

/**
 * Whether a Service's selector picks a deployment's pods (every selector label matches), from
 * run.json's scenario; true when either is unknown, so nothing is hidden by missing metadata.
 */
export function serviceSelects(scenario: ScenarioJson | null, service: string, deployment: string): boolean {
  const svc = scenario?.services?.find((s) => s.name === service);
  const dep = scenario?.deployments?.find((d) => d.name === deployment);
  if (!svc?.selector || !dep?.labels) return true;
  return Object.entries(svc.selector).every(([k, v]) => dep.labels?.[k] === v);
}

const STANDARD = new Set([...SUMMARY_COLUMNS, ...ZONE_SUMMARY_COLUMNS, ...LOCAL_POLICY_SUMMARY_COLUMNS, ...RETRY_SUMMARY_COLUMNS].map((c) => c.name).concat("point"));

export function indexRuns(folder: ReportsFolder): RunIndex {
  const summary = folder.tables.get("summary.csv")?.rows ?? [];
  const pods = folder.tables.get("pods.csv")?.rows ?? [];
  const scenario = folder.run?.scenario ?? null;
  const seen = distinct(summary, "policy");
  const listed = (scenario?.policies ?? []).filter((p) => seen.includes(p));
  const policies = [...listed, ...seen.filter((p) => !listed.includes(p))];
  const columns = folder.tables.get("summary.csv")?.columns ?? [];
  const points = columns.includes("point") ? distinct<number>(summary, "point").sort((a, b) => a - b) : [null];
  // run.json names the setting columns (swept and --set paths) and the --set ones; without it, a
  // swept column is one beyond the standard ones whose value changes from point to point.
  const settings = Array.isArray(folder.run?.settingColumns) ? (folder.run.settingColumns as string[]) : null;
  const overrides = Object.keys((folder.run?.overrides as Record<string, unknown> | undefined) ?? {});
  const swept =
    points.length < 2
      ? []
      : settings
        ? settings.filter((c) => columns.includes(c) && !overrides.includes(c))
        : columns.filter((c) => !STANDARD.has(c) && distinct(summary, c).length > 1);
  return {
    scenario,
    policies,
    services: distinct(summary, "service"),
    replications: distinct<number>(summary, "replication").sort((a, b) => a - b),
    points,
    swept,
    summary,
    pods,
  };
}
