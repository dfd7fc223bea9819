/**
 * timeseries_wide.csv: timeseries.csv pivoted into the shape a chart wizard wants, one row per
 * interval (per sweep point and Service) and one column per policy x metric, each the mean over
 * the replications. Metric-major column order, so one metric's policies sit side by side.
 */
import type { Column } from "./columns.js";
import { TIMESERIES_COLUMNS } from "./columns.js";
import type { Table, TableRow } from "./folder.js";
import { distinct } from "./html/runs.js";

/** timeseries.csv columns that identify a row or are text: not pivoted. */
const NOT_METRICS = new Set(["scenario", "policy", "replication", "seed", "service", "t_start_s", "t_end_s", "marks", "point"]);

/** The pivoted metrics, in timeseries.csv's column order. */
export const WIDE_METRICS: readonly Column[] = TIMESERIES_COLUMNS.filter((c) => !NOT_METRICS.has(c.name));

/** The wide file's fixed columns (the swept parameters and the per-policy columns come between). */
export const WIDE_COLUMNS_HEAD: readonly Column[] = [
  { name: "scenario", doc: "scenario name" },
  { name: "service", doc: "Service the workload calls" },
  { name: "t_start_s", doc: "interval start, simulated seconds since the run began (the warm-up included)" },
  { name: "t_end_s", doc: "interval end, s" },
  { name: "replications", doc: "replications averaged in this row" },
];
export const WIDE_COLUMNS_TAIL: readonly Column[] = [
  { name: "marks", doc: "what happened in the interval, from any policy or replication, separated by ';'" },
];

/** `<policy>.<metric>`: one policy's mean of one timeseries.csv column. */
export const wideColumnName = (policy: string, metric: string) => `${policy}.${metric}`;

export interface WideTable {
  columns: Column[];
  rows: Record<string, string | number | null>[];
}

export function wideTimeseries(table: Table, policyOrder: readonly string[] = []): WideTable {
  const rows = table.rows;
  const seen = distinct(rows, "policy");
  const policies = [...policyOrder.filter((p) => seen.includes(p)), ...seen.filter((p) => !policyOrder.includes(p))];
  const hasPoint = table.columns.includes("point");
  // Columns beyond timeseries.csv's own (a sweep's parameters) are carried over as they are, but
  // for one named like a column of this file (`--set replications=5`): that column tells it.
  const known = new Set([...TIMESERIES_COLUMNS, ...WIDE_COLUMNS_HEAD, ...WIDE_COLUMNS_TAIL].map((c) => c.name).concat("point"));
  const extra = table.columns.filter((c) => !known.has(c));
  const metrics = WIDE_METRICS.filter((m) => table.columns.includes(m.name));
  const columns: Column[] = [
    WIDE_COLUMNS_HEAD[0],
    ...(hasPoint ? [{ name: "point", doc: "sweep point" }] : []),
    ...extra.map((name) => ({ name, doc: `swept parameter ${name}` })),
    ...WIDE_COLUMNS_HEAD.slice(1),
    ...metrics.flatMap((m) => policies.map((p) => ({ name: wideColumnName(p, m.name), doc: `${p}: ${m.doc}` }))),
    ...WIDE_COLUMNS_TAIL,
  ];
  // Group by (point, service, interval start) in order of first appearance.
  const groups = new Map<string, TableRow[]>();
  for (const r of rows) {
    const key = `${r.point ?? ""}\u0000${r.service}\u0000${r.t_start_s}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const out: WideTable["rows"] = [];
  // One shape for every row (see parseTable): compact when there are many intervals.
  const template: WideTable["rows"][number] = Object.fromEntries(columns.map((c) => [c.name, null]));
  for (const g of groups.values()) {
    const first = g[0];
    const row: WideTable["rows"][number] = { ...template, scenario: first.scenario, service: first.service, t_start_s: first.t_start_s, t_end_s: first.t_end_s };
    if (hasPoint) row.point = first.point;
    for (const c of extra) row[c] = first[c];
    row.replications = Math.max(...policies.map((p) => g.filter((r) => r.policy === p).length));
    for (const m of metrics) {
      for (const p of policies) {
        let sum = 0;
        let n = 0;
        for (const r of g) {
          const v = r[m.name];
          if (r.policy === p && typeof v === "number" && Number.isFinite(v)) {
            sum += v;
            n++;
          }
        }
        row[wideColumnName(p, m.name)] = n > 0 ? sum / n : null;
      }
    }
    const marks = new Set(g.flatMap((r) => (typeof r.marks === "string" && r.marks ? r.marks.split(";") : [])));
    row.marks = [...marks].join(";");
    out.push(row);
  }
  return { columns, rows: out };
}
