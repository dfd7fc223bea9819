/**
 * timeseries_wide.csv: timeseries.csv pivoted into the shape a chart wizard wants, one row per
 * interval (per sweep point and Service) and one column per policy x metric, each the mean over
 * the replications. Metric-major column order, so one metric's policies sit side by side.
 */
import type { Column } from "./columns.js";
import { TIMESERIES_COLUMNS } from "./columns.js";
import { CsvFileWriter, numberCellAsIs, writeCsvFile, type CsvEncoder } from "./csv.js";
import { TEXT_COLUMNS, type Table, type TableRow } from "./folder.js";
import type { CsvLocale } from "./locale.js";
import { csvFileRows, SeriesColumns, walkSeries, type SeriesFile, type SeriesVisit } from "./series.js";
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
  const cols = new SeriesColumns(series.columns, series.locale);
  const start = cols.index("t_start_s");
  const visit: SeriesVisit = () => {
    if (!aligned) return null;
    const rows = new WideRows(l, cols, w.encoder);
    let last = -Infinity;
    return {
      step(step) {
        const t = step[0] === null ? null : cols.cell(step[0], start);
        if (!aligned || typeof t !== "number" || !(t > last) || step.some((r) => r === null || cols.cell(r, start) !== t)) {
          aligned = false; // the groups are not the walk's steps
          return;
        }
        last = t;
        w.writeLine(rows.line(step as (readonly string[])[]));
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

/**
 * wideRow's line for one step of a walk (the rows of one interval of a Service's runs, as their
 * cells), written from the cells: each column is parsed only where a mean is taken, and a policy
 * with one run copies its cells when they already are the text its number is written as.
 */
class WideRows {
  private readonly out: string[];
  /** The policy of each run of the group (-1: none), known at the first step. */
  private at: number[] | null = null;
  /** Each policy's runs, and the most of any policy (the `replications` cell). */
  private counts: number[] = [];
  private replications = "";
  private readonly t: number;
  private readonly key: { from: number; to: number; number: boolean }[];
  /** Each key cell's last text in timeseries.csv and the wide cell made of it (most repeat on every row). */
  private readonly keyText: (string | undefined)[];
  private readonly keyCell: string[];
  private readonly metrics: number[];
  private readonly marks: number;
  private readonly sums: number[];
  private readonly ns: number[];

  constructor(
    private readonly l: Layout,
    private readonly cols: SeriesColumns,
    private readonly enc: CsvEncoder,
  ) {
    this.out = new Array<string>(l.columns.length);
    const to = new Map(l.columns.map((c, i) => [c.name, i]));
    const first = ["scenario", ...(l.hasPoint ? ["point"] : []), ...l.extra, "service", "t_start_s", "t_end_s"];
    this.key = first.map((name) => ({ from: cols.index(name), to: to.get(name) as number, number: !TEXT_COLUMNS.has(name) }));
    this.keyText = this.key.map(() => undefined);
    this.keyCell = this.key.map(() => "");
    this.t = to.get("replications") as number;
    this.metrics = l.metrics.map((m) => cols.index(m.name));
    this.marks = cols.index("marks");
    this.sums = l.policies.map(() => 0);
    this.ns = l.policies.map(() => 0);
  }

  line(rows: readonly (readonly string[])[]): string {
    const { l, cols, enc, out } = this;
    if (this.at === null) {
      const policy = cols.index("policy");
      this.at = rows.map((r) => l.policies.indexOf(cols.cell(r, policy) as string));
      this.counts = l.policies.map((_, p) => (this.at as number[]).filter((a) => a === p).length);
      this.replications = enc.cell(Math.max(...this.counts));
    }
    const at = this.at;
    this.keyCells(rows[0]);
    out[this.t] = this.replications;
    const policies = l.policies.length;
    let o = this.t + 1;
    const { sums, ns } = this;
    for (const i of this.metrics) {
      // Zeroed by hand: Array.prototype.fill is a call into the runtime, twice per column and row.
      for (let p = 0; p < policies; p++) sums[p] = ns[p] = 0;
      for (let k = 0; k < rows.length; k++) {
        const p = at[k];
        if (p < 0) continue;
        // A policy's only run: its cell, when it is the text of its number already (no parse, no format).
        const asIs = this.counts[p] === 1 ? numberCellAsIs(rows[k][i], cols.locale, enc.locale) : null;
        if (asIs !== null) {
          out[o + p] = asIs;
          ns[p] = -1;
          continue;
        }
        const v = cols.number(rows[k], i);
        if (v !== null) {
          sums[p] += v;
          ns[p]++;
        }
      }
      for (let p = 0; p < policies; p++) if (ns[p] >= 0) out[o + p] = enc.cell(ns[p] > 0 ? sums[p] / ns[p] : null);
      o += policies;
    }
    out[o] = enc.cell(this.marksOf(rows));
    return enc.line(out);
  }

  /**
   * The key cells (scenario, Service, interval ...) of the group's first row into `out`. A cell is
   * a function of its text alone: one whose text is the last row's is not made again, and a number
   * already written as formatCell writes it is copied (the same test as the metrics' cells).
   */
  private keyCells(first: readonly string[]): void {
    const { cols, enc, out, key } = this;
    for (let j = 0; j < key.length; j++) {
      const { from, to, number } = key[j];
      const text = from < 0 ? undefined : first[from];
      if (text !== this.keyText[j] || text === undefined) {
        const asIs = number && text !== undefined && text !== "" ? numberCellAsIs(text, cols.locale, enc.locale) : null;
        this.keyCell[j] = asIs ?? enc.cell(from < 0 ? undefined : cols.cell(first, from));
        this.keyText[j] = text;
      }
      out[to] = this.keyCell[j];
    }
  }

  /** The marks of any run, each once, in order of first appearance. */
  private marksOf(rows: readonly (readonly string[])[]): string {
    if (this.marks < 0) return "";
    let found: Set<string> | null = null;
    for (const r of rows) {
      if (r[this.marks] === "") continue;
      const m = this.cols.cell(r, this.marks);
      if (typeof m !== "string" || !m) continue;
      found ??= new Set();
      for (const x of m.split(";")) found.add(x);
    }
    return found === null ? "" : [...found].join(";");
  }
}

/** timeseries_wide.csv from a timeseries.csv read a run at a time (see wideWriter). */
export function writeWideTimeseries(series: SeriesFile, policyOrder: readonly string[], path: string, locale: CsvLocale): void {
  const wide = wideWriter(series, policyOrder, path, locale);
  walkSeries(series, wide.visit);
  wide.finish();
}
