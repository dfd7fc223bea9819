/**
 * The report of a `svcsim compare` folder (compare.csv and run.json): the clear changes first,
 * each headline metric of the two sides as bars side by side per policy, the rows found on one
 * side only, and every comparison with its interval and verdict. When both compared folders are
 * still on disk, their headline tables follow, side by side.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { readReportsFolder, type ReportsFolder, type TableRow } from "../folder.js";
import { formatValue, metricKind, signed, type Kind } from "./format.js";
import { seriesColor } from "./palette.js";
import { indexRuns } from "./runs.js";
import { cumulativeDropsChart, dropsChart, serviceRunsKey, serviceRunsOf, totalDrops } from "./time-charts.js";
import type { ChartSpec, ReportSpec, SectionSpec, TableSpec } from "./spec.js";

/** The metrics drawn side by side, in this order. */
export const COMPARE_CHART_METRICS = ["drop_rate", "dropped", "latency_p50_ms", "latency_p99_ms", "load_cv", "load_max_over_mean", "jain_index"];

/** Comparison rows beyond this many are left out of the full table (compare.csv has them all). */
export const MAX_COMPARE_ROWS = 2000;

/** Sweep points whose side-by-side charts the page carries. */
const MAX_CHART_POINTS = 4;

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function interval(r: TableRow, kind: Kind): string {
  const lo = num(r.diff_ci_low);
  const hi = num(r.diff_ci_high);
  return lo === null || hi === null ? "–" : `[${signed(lo, kind)}, ${signed(hi, kind)}]`;
}

function compareTable(rows: readonly TableRow[], multiPoint: boolean, caption: string): TableSpec {
  const head = [...(multiPoint ? ["Point"] : []), "Service", "Policy", "Metric", "A", "B", "B − A", "Relative", "Interval of B − A", "Verdict"];
  const k = multiPoint ? 1 : 0;
  return {
    caption,
    head,
    rows: rows.map((r) => {
      const kind = metricKind(String(r.metric));
      return [
        ...(multiPoint ? [String(r.point ?? "–")] : []),
        String(r.service ?? "–"),
        String(r.policy ?? "–"),
        String(r.metric ?? "–"),
        formatValue(num(r.a_mean), kind),
        formatValue(num(r.b_mean), kind),
        signed(num(r.diff), kind),
        signed(num(r.diff_relative), "rate"),
        interval(r, kind),
        String(r.verdict ?? "–"),
      ];
    }),
    numeric: [...(multiPoint ? [0] : []), 4 + k, 5 + k, 6 + k, 7 + k],
  };
}

/** The two sides of each metric as bars, per policy: `<policy> · A` and `<policy> · B`. */
function sideBySide(rows: readonly TableRow[], point: unknown, service: string, policies: string[], multiPoint: boolean): ChartSpec[] {
  const charts: ChartSpec[] = [];
  for (const metric of COMPARE_CHART_METRICS) {
    const at = (policy: string) => rows.find((r) => r.point === point && r.service === service && r.policy === policy && r.metric === metric);
    const both = policies.filter((p) => at(p));
    if (both.length === 0) continue;
    const categories = both.flatMap((p) => [`${p} · A`, `${p} · B`]);
    const a = both.flatMap((p) => [num(at(p)?.a_mean), null]);
    const b = both.flatMap((p) => [null, num(at(p)?.b_mean)]);
    const changed = both.filter((p) => {
      const v = at(p)?.verdict;
      return v === "better" || v === "worse";
    });
    charts.push({
      id: `cmp-${String(point ?? 0)}-${service.replace(/[^A-Za-z0-9_-]/g, "_")}-${metric}`,
      title: `${metric}: A and B${multiPoint ? ` at point ${point}` : ""}, ${service}`,
      caption:
        `Mean of each side's replications, A left and B right for each policy.` +
        (changed.length ? ` A clear change for ${changed.map((p) => `${p} (${at(p)?.verdict})`).join(", ")}.` : " No clear change for any policy."),
      kind: "bars",
      x: { label: "policy and side", values: categories.map((_, i) => i), categories },
      y: { label: metric, min: 0, percent: metric === "drop_rate" },
      series: [
        { label: "A", color: seriesColor(0), values: a },
        { label: "B", color: seriesColor(1), values: b },
      ],
      bands: [],
      marks: [],
      wide: false,
    });
  }
  return charts;
}

/** A compared folder named in run.json, if it is still where it was (relative to here or to the compare folder). */
function sideFolder(compareDir: string, path: unknown): ReportsFolder | null {
  if (typeof path !== "string") return null;
  for (const candidate of [resolve(path), resolve(dirname(resolve(compareDir)), "..", path)]) {
    if (!existsSync(candidate)) continue;
    try {
      return readReportsFolder(candidate);
    } catch {
      return null;
    }
  }
  return null;
}

/** Two charts of the same kind, one per side, as one: A's lines dashed, B's solid, on A's time axis. */
function overlay(a: ChartSpec, b: ChartSpec): ChartSpec | null {
  if (a.reducedFrom !== b.reducedFrom || a.x.values.length !== b.x.values.length || a.x.values.some((x, i) => x !== b.x.values[i])) return null;
  // Zoom on the drops of either side (a side without drops has no focus of its own).
  const foci = [a.x.focus, b.x.focus].filter((f): f is [number, number] => !!f);
  const focus = foci.length ? ([Math.min(...foci.map((f) => f[0])), Math.max(...foci.map((f) => f[1]))] as [number, number]) : undefined;
  return {
    ...b,
    id: `cmp-time-${b.id}`,
    title: `${b.title}: A dashed, B solid`,
    caption: `${b.caption.replace(/ Shown from .*$/, "").replace(/; the shaded band is [^.]*\./, ".")} A's lines are dashed, B's solid, one colour per policy.`,
    x: { ...b.x, focus },
    series: [...a.series.map((s) => ({ ...s, label: `A ${s.label}`, dash: [6, 4] })), ...b.series.map((s) => ({ ...s, label: `B ${s.label}`, dash: undefined }))],
    bands: [],
  };
}

/** Drops over time of both sides, overlaid, per Service both have and either dropped in (at their first point). */
function timeOverlays(a: ReportsFolder, b: ReportsFolder, limit: number): { charts: ChartSpec[]; notes: string[] } {
  const [ia, ib] = [indexRuns(a), indexRuns(b)];
  const charts: ChartSpec[] = [];
  const notes: string[] = [];
  const services = ia.services.filter((s) => ib.services.includes(s));
  const [sa, sb] = [
    serviceRunsOf(a.series, ia, (p, s) => p === ia.points[0] && services.includes(s), limit),
    serviceRunsOf(b.series, ib, (p, s) => p === ib.points[0] && services.includes(s), limit),
  ];
  for (const service of services) {
    const ra = sa.get(serviceRunsKey(ia.points[0], service));
    const rb = sb.get(serviceRunsKey(ib.points[0], service));
    if (!ra || !rb || totalDrops(ra) + totalDrops(rb) === 0) continue;
    const pairs = [
      [dropsChart(ra, []), dropsChart(rb, [])],
      [cumulativeDropsChart(ra, []), cumulativeDropsChart(rb, [])],
    ];
    const merged = pairs.map(([x, y]) => overlay(x, y));
    if (merged.some((c) => c === null)) {
      notes.push(`${service}: the two sides have different time intervals, so their charts over time are not overlaid.`);
      continue;
    }
    charts.push(...(merged as ChartSpec[]));
  }
  return { charts, notes };
}

export function buildCompareReport(folder: ReportsFolder, headlineOf: (f: ReportsFolder) => TableSpec, limit: number): ReportSpec {
  const table = folder.tables.get("compare.csv");
  const rows = table?.rows ?? [];
  const run = folder.run ?? {};
  const points = [...new Set(rows.map((r) => r.point))];
  const multiPoint = points.length > 1;
  const services = [...new Set(rows.map((r) => String(r.service)))];
  const policies = [...new Set(rows.map((r) => String(r.policy)))];
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  const level = num(run.confidence);
  const facts: [string, string][] = [
    ["A (before)", String(run.a ?? "–")],
    ["B (after)", String(run.b ?? "–")],
    ["Comparisons", `${rows.length}: ${count("worse")} worse, ${count("better")} better, ${count("no clear change")} no clear change, ${count("only in a")} only in A, ${count("only in b")} only in B`],
  ];
  if (level !== null) facts.push(["Intervals", `${Math.round(level * 100)}% Welch intervals of B − A (when both sides have two or more replications)`]);
  if (typeof run.command === "string") facts.push(["Command", run.command]);
  if (folder.when) facts.push(["Finished", folder.when.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")]);
  if (typeof run.svcsim === "string") facts.push(["svcsim", run.svcsim]);
  const clear = rows.filter((r) => r.verdict === "worse" || r.verdict === "better").sort((x, y) => (x.verdict === y.verdict ? 0 : x.verdict === "worse" ? -1 : 1));
  const oneSide = rows.filter((r) => r.verdict === "only in a" || r.verdict === "only in b");
  const sections: SectionSpec[] = [
    {
      id: "changes",
      title: "Clear changes",
      notes: clear.length ? [] : ["No metric changed clearly: every difference is within its interval (or the values are equal)."],
      tables: clear.length ? [compareTable(clear, multiPoint, "Worse first. A change is clear when the interval of B − A excludes 0 (or, without intervals, the values differ). Lower is better except for Jain's index.")] : [],
      charts: [],
    },
  ];
  const chartPoints = points.slice(0, MAX_CHART_POINTS);
  for (const point of chartPoints) {
    for (const service of services) {
      sections.push({
        id: `side-${String(point ?? 0)}-${service.replace(/[^A-Za-z0-9_-]/g, "_")}`,
        title: `Side by side: ${service}${multiPoint ? `, point ${point}` : ""}`,
        notes: [],
        tables: [],
        charts: sideBySide(rows, point, service, policies, multiPoint),
      });
    }
  }
  if (points.length > chartPoints.length) sections[1].notes.push(`Bars for the first ${chartPoints.length} of ${points.length} points; the tables have every point.`);
  if (oneSide.length) {
    sections.push({ id: "one-side", title: "Found on one side only", notes: [], tables: [compareTable(oneSide, multiPoint, "Rows of one folder with no match in the other (another policy, Service or point).")], charts: [] });
  }
  const all = rows.slice(0, MAX_COMPARE_ROWS);
  sections.push({
    id: "all",
    title: "Every comparison",
    notes: rows.length > all.length ? [`The first ${all.length} of ${rows.length} rows; compare.csv has them all.`] : [],
    tables: [compareTable(all, multiPoint, "compare.csv: each metric of each (point, policy, Service) on both sides.")],
    charts: [],
  });
  const sides = [sideFolder(folder.dir, run.a), sideFolder(folder.dir, run.b)];
  if (sides[0] && sides[1]) {
    const { charts, notes } = timeOverlays(sides[0], sides[1], limit);
    if (charts.length + notes.length > 0) sections.push({ id: "over-time", title: "Drops over time, A and B", notes, tables: [], charts });
    sections.push({
      id: "headlines",
      title: "The two reports",
      intro: "The headline tables of the compared folders, A first.",
      notes: [],
      tables: sides.map((f, i) => {
        const t = headlineOf(f as ReportsFolder);
        return { ...t, caption: `${i === 0 ? "A" : "B"}: ${String(i === 0 ? run.a : run.b)}. ${t.caption}` };
      }),
      charts: [],
    });
  }
  const name = sides[0]?.run?.scenario?.name ?? indexRuns(folder).scenario?.name;
  return {
    title: `svcsim compare: ${String(run.a ?? "A")} vs ${String(run.b ?? "B")}`,
    subtitle: name ? `scenario ${name}` : "",
    facts,
    files: [...folder.files, ...(folder.run ? ["run.json"] : [])],
    sections,
  };
}
