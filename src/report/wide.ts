/**
 * timeseries_wide.csv: timeseries.csv pivoted into the shape a chart wizard wants, one row per
 * interval (per sweep point and Service) and one column per policy x metric, each the mean over
 * the replications. Metric-major column order, so one metric's policies sit side by side.
 */
import type { Column } from "./columns.js";
import { TIMESERIES_COLUMNS } from "./columns.js";
import { CsvFileWriter, writeCsvFile } from "./csv.js";
import type { Table, TableRow } from "./folder.js";
import type { CsvLocale } from "./locale.js";
import { csvFileRows, walkSeries, type SeriesFile, type SeriesVisit } from "./series.js";
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

type WideRow = WideTable["rows"][number];

/** The wide file's columns for a timeseries.csv with these columns and policies, and how to fill a row. */
interface Layout {
  columns: Column[];
  policies: string[];
  hasPoint: boolean;
  extra: string[];
  metrics: Column[];
  /** names[metric][policy]: the wide column of each. */
  names: string[][];
  template: WideRow;
}

function layout(columnNames: readonly string[], seen: readonly string[], policyOrder: readonly string[]): Layout {
  const policies = [...policyOrder.filter((p) => seen.includes(p)), ...seen.filter((p) => !policyOrder.includes(p))];
  const hasPoint = columnNames.includes("point");
  // Columns beyond timeseries.csv's own (a sweep's parameters) are carried over as they are, but
  // for one named like a column of this file (`--set replications=5`): that column tells it.
  const known = new Set([...TIMESERIES_COLUMNS, ...WIDE_COLUMNS_HEAD, ...WIDE_COLUMNS_TAIL].map((c) => c.name).concat("point"));
  const extra = columnNames.filter((c) => !known.has(c));
  const metrics = WIDE_METRICS.filter((m) => columnNames.includes(m.name));
  const columns: Column[] = [
    WIDE_COLUMNS_HEAD[0],
    ...(hasPoint ? [{ name: "point", doc: "sweep point" }] : []),
    ...extra.map((name) => ({ name, doc: `swept parameter ${name}` })),
    ...WIDE_COLUMNS_HEAD.slice(1),
    ...metrics.flatMap((m) => policies.map((p) => ({ name: wideColumnName(p, m.name), doc: `${p}: ${m.doc}` }))),
    ...WIDE_COLUMNS_TAIL,
  ];
  // One shape for every row (see rowMaker): compact when there are many intervals.
  const template: WideRow = Object.fromEntries(columns.map((c) => [c.name, null]));
  const names = metrics.map((m) => policies.map((p) => wideColumnName(p, m.name)));
  return { columns, policies, hasPoint, extra, metrics, names, template };
}

/** The wide row of one group: the rows of one (point, Service, interval start), in file order. */
function wideRow(g: readonly TableRow[], l: Layout): WideRow {
  const first = g[0];
  const row: WideRow = { ...l.template, scenario: first.scenario, service: first.service, t_start_s: first.t_start_s, t_end_s: first.t_end_s };
  if (l.hasPoint) row.point = first.point;
  for (const c of l.extra) row[c] = first[c];
  const at = g.map((r) => l.policies.indexOf(r.policy as string));
  const counts = l.policies.map(() => 0);
  for (const p of at) if (p >= 0) counts[p]++;
  row.replications = Math.max(...counts);
  const sums = l.policies.map(() => 0);
  const ns = l.policies.map(() => 0);
  l.metrics.forEach((m, j) => {
    sums.fill(0);
    ns.fill(0);
    for (let k = 0; k < g.length; k++) {
      const v = g[k][m.name];
      if (at[k] >= 0 && typeof v === "number" && Number.isFinite(v)) {
        sums[at[k]] += v;
        ns[at[k]]++;
      }
    }
    for (let p = 0; p < l.policies.length; p++) row[l.names[j][p]] = ns[p] > 0 ? sums[p] / ns[p] : null;
  });
  const marks = new Set<string>();
  for (const r of g) if (typeof r.marks === "string" && r.marks) for (const m of r.marks.split(";")) marks.add(m);
  row.marks = [...marks].join(";");
  return row;
}

/** The wide table of a timeseries.csv held whole: rows grouped by (point, Service, interval start) in order of first appearance. */
export function wideTimeseries(table: Table, policyOrder: readonly string[] = []): WideTable {
  const l = layout(table.columns, distinct(table.rows, "policy"), policyOrder);
  const groups = new Map<string, TableRow[]>();
  for (const r of table.rows) {
    const key = `${r.point ?? ""}\u0000${r.service}\u0000${r.t_start_s}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  return { columns: l.columns, rows: [...groups.values()].map((g) => wideRow(g, l)) };
}

/**
 * Writes timeseries_wide.csv to `path` from a timeseries.csv read a run at a time (series.ts):
 * when its runs line up (the same interval starts, in order, in every run of a Service at a point,
 * as svcsim writes them), each step of the walk is one group, so the rows are written as they are
 * made. A file edited out of that shape is read whole, as it always was. Walk with `visit`, then `finish`.
 */
export function wideWriter(series: SeriesFile, policyOrder: readonly string[], path: string, locale: CsvLocale): { visit: SeriesVisit; finish(): void } {
  const l = layout(series.columns, series.policies, policyOrder);
  let aligned = series.regular;
  const w = new CsvFileWriter(path, l.columns, { header: true, locale });
  const visit: SeriesVisit = () => {
    if (!aligned) return null;
    let last = -Infinity;
    return {
      step(rows) {
        const t = rows[0]?.t_start_s;
        if (!aligned || typeof t !== "number" || !(t > last) || rows.some((r) => r === null || r.t_start_s !== t)) {
          aligned = false; // the groups are not the walk's steps
          return;
        }
        last = t;
        w.write(wideRow(rows as TableRow[], l));
      },
      end() {},
    };
  };
  const finish = () => {
    w.close();
    if (aligned) return;
    const table: Table = { file: "timeseries.csv", columns: series.columns, rows: [...csvFileRows(series.path)], locale: series.locale };
    writeCsvFile(path, l.columns, wideTimeseries(table, policyOrder).rows, locale);
  };
  return { visit, finish };
}

/** timeseries_wide.csv from a timeseries.csv read a run at a time (see wideWriter). */
export function writeWideTimeseries(series: SeriesFile, policyOrder: readonly string[], path: string, locale: CsvLocale): void {
  const wide = wideWriter(series, policyOrder, path, locale);
  walkSeries(series, wide.visit);
  wide.finish();
}
