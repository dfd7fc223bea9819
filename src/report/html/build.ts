/**
 * The whole report of a reports folder as a ReportSpec: the header (what was run, how, when), the
 * headline table, and per Service the charts over time and the per-pod load. Pure: the same
 * folder gives the same spec. Long series are reduced (downsample.ts) so the page stays small.
 */
import type { ReportsFolder, TableRow } from "../folder.js";
import { downsampleMinMax, type Reduce } from "./downsample.js";
import { fixed, formatEstimate, formatSeconds, pathHeading, type Kind } from "./format.js";
import { serviceMarks } from "./marks.js";
import { podCharts } from "./pod-charts.js";
import { CONFIDENCE, confidenceOf, estimate } from "./replications.js";
import { pairedSection } from "./paired.js";
import { atPoint, distinct, indexRuns, type RunIndex } from "./runs.js";
import type { ChartSpec, ReportSpec, SectionSpec, TableSpec, Value } from "./spec.js";
import { buildCompareReport } from "./compare-report.js";
import { sweepSections } from "./sweep-charts.js";
import type { SeriesFile, SeriesVisit } from "../series.js";
import { clusterCharts, cumulativeDropsChart, dropsChart, latencyChart, reasonCharts, serviceRunsKey, serviceRunsOf, serviceRunsVisit, totalDrops, type ServiceRuns } from "./time-charts.js";

export interface BuildOptions {
  /** Most points a line chart keeps before min/max reduction (default 4,000). */
  maxPoints?: number;
}

export const DEFAULT_MAX_POINTS = 4000;

/** Sweep points whose charts over time the page carries. */
export const MAX_TIME_POINTS = 12;

/** At most `n` of `items`, evenly spaced, the first and the last included. */
export function evenlySpaced<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}

/** The headline figures: summary.csv column, heading, how to show it. */
export const HEADLINE: readonly [string, string, Kind][] = [
  ["requests", "Requests", "count"],
  ["dropped", "Dropped", "count"],
  ["drop_rate", "Drop rate", "rate"],
  ["dropped_refused", "Refused", "count"],
  ["dropped_reset", "Reset", "count"],
  ["dropped_overload", "Overload", "count"],
  ["dropped_timeout", "Timeout", "count"],
  ["dropped_no_endpoints", "No endpoints", "count"],
  ["dropped_unreachable", "Unreachable", "count"],
  ["latency_p50_ms", "p50 (ms)", "ms"],
  ["latency_p99_ms", "p99 (ms)", "ms"],
  ["load_cv", "Load CV", "ratio"],
  ["load_max_over_mean", "Max/mean", "ratio"],
  ["jain_index", "Jain", "ratio"],
];

const numbers = (rows: readonly TableRow[], column: string) => rows.map((r) => (typeof r[column] === "number" ? (r[column] as number) : null));

/**
 * One row per (Service, policy), and per sweep point when there are several (with the swept
 * values): the headline figures, `mean ± half-width` over the replications.
 */
export function headlineTable(idx: RunIndex, rows: readonly TableRow[], level = CONFIDENCE): TableSpec {
  const out: string[][] = [];
  const sweep = idx.points.length > 1;
  const keys = sweep ? ["Point", ...idx.swept.map(pathHeading)] : [];
  for (const point of idx.points) {
    const here = atPoint(rows, point);
    for (const service of idx.services) {
      for (const policy of idx.policies) {
        const runs = here.filter((r) => r.service === service && r.policy === policy);
        if (runs.length === 0) continue;
        const key = sweep ? [String(point), ...idx.swept.map((c) => String(runs[0][c] ?? "–"))] : [];
        out.push([...key, service, policy, ...HEADLINE.map(([column, , kind]) => formatEstimate(estimate(numbers(runs, column), level), kind))]);
      }
    }
  }
  const r = idx.replications.length;
  return {
    caption:
      r > 1
        ? `Totals over the measured window (summary.csv): mean ± half-width of the ${Math.round(level * 1000) / 10}% confidence interval over ${r} replications (Student t).`
        : "Totals over the measured window (summary.csv), one replication.",
    head: [...keys, "Service", "Policy", ...HEADLINE.map(([, heading]) => heading)],
    rows: out,
    numeric: [...keys.map((_, i) => i), ...HEADLINE.map((_, i) => i + keys.length + 2)],
  };
}

function seedText(idx: RunIndex, rows: readonly TableRow[]): string {
  const seeds = distinct<number>(rows, "seed").sort((a, b) => a - b);
  if (seeds.length === 0) return String(idx.scenario?.seed ?? "–");
  if (seeds.length === 1) return String(seeds[0]);
  const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  return consecutive ? `${seeds[0]} to ${seeds[seeds.length - 1]} (one per replication)` : seeds.join(", ");
}

function eventsText(folder: ReportsFolder): string {
  const events = folder.run?.scenario?.events ?? [];
  if (events.length === 0) return "none";
  return events
    .map((e) => {
      const what = Object.entries(e)
        .filter(([k, v]) => k !== "at" && k !== "action" && typeof v !== "object")
        .map(([k, v]) => `${k} ${v}`)
        .concat(Array.isArray(e.pods) ? [`pods ${(e.pods as string[]).join(", ")}`] : []);
      return `${formatSeconds(e.at)}: ${e.action}${what.length ? ` (${what.join(", ")})` : ""}`;
    })
    .join("; ");
}

function facts(folder: ReportsFolder, idx: RunIndex): [string, string][] {
  const s = idx.scenario;
  const run = folder.run;
  const out: [string, string][] = [];
  const name = s?.name ?? distinct(idx.summary, "scenario")[0] ?? "–";
  out.push(["Scenario", String(name)]);
  if (run?.scenarioFile) out.push(["Scenario file", run.scenarioFile]);
  out.push(["Seed", seedText(idx, idx.summary)]);
  out.push(["Replications", String(idx.replications.length)]);
  out.push(["Policies", idx.policies.join(", ")]);
  out.push(["Services", idx.services.join(", ")]);
  if (s?.duration !== undefined) {
    out.push([
      "Window",
      `${formatSeconds(s.duration)} measured after a ${formatSeconds(s.warmup ?? 0)} warm-up` + (s.interval !== undefined ? `, in ${formatSeconds(s.interval)} intervals` : ""),
    ]);
  }
  out.push(["Events", eventsText(folder)]);
  if (run?.command) out.push(["Command", run.command]);
  if (folder.when) out.push(["Finished", folder.when.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")]);
  if (run?.svcsim) out.push(["svcsim", `${run.svcsim}${run.node ? ` on Node.js ${run.node}` : ""}`]);
  return out;
}

/** Reduces a long line chart's points (see downsample.ts) and says so in its caption. */
export function boundPoints(chart: ChartSpec, limit: number): ChartSpec {
  if (chart.reducedFrom !== undefined) {
    const { reducedFrom, ...reduced } = chart;
    return { ...reduced, caption: reducedCaption(chart.caption, limit, reducedFrom) };
  }
  const n = chart.x.values.length;
  if (chart.kind !== "lines" || n <= limit) return chart;
  const ys: Value[][] = [];
  const reduce: Reduce[] = [];
  for (const s of chart.series) {
    ys.push(s.values, s.legendValues ?? s.values);
    reduce.push("minmax", "minmax");
  }
  for (const b of chart.bands) {
    ys.push(b.lower, b.upper);
    reduce.push("min", "max");
  }
  const d = downsampleMinMax(chart.x.values, ys, reduce, limit);
  let k = 0;
  const series = chart.series.map((s) => {
    const values = d.ys[k++];
    const legendValues = d.ys[k++];
    return s.legendValues ? { ...s, values, legendValues } : { ...s, values };
  });
  const bands = chart.bands.map((b) => ({ ...b, lower: d.ys[k++], upper: d.ys[k++] }));
  return {
    ...chart,
    x: { ...chart.x, values: d.x },
    series,
    bands,
    caption: reducedCaption(chart.caption, limit, n),
  };
}

// toLocaleString would build an ICU formatter per call (the first one loads ICU: ~10 ms); fixed writes the same.
const reducedCaption = (caption: string, limit: number, n: number) =>
  `${caption} Drawn from the minimum and maximum of each of ${fixed(Math.floor(limit / 2), 0)} buckets of the ${fixed(n, 0)} intervals, so every peak shows; the CSV has every interval.`;

/** The point-selector group of a sweep point's sections. */
const groupOf = (point: number) => `point-${point}`;

function serviceSections(series: Map<string, ServiceRuns | null>, idx: RunIndex, point: number | null, label?: string): SectionSpec[] {
  const sections: SectionSpec[] = [];
  const pods = atPoint(idx.pods, point);
  const summary = atPoint(idx.summary, point);
  for (const service of idx.services) {
    const id = `svc-${service.replace(/[^A-Za-z0-9_-]/g, "_")}${label === undefined ? "" : `-p${point}`}`;
    const section: SectionSpec = { id, title: `Service ${service}${label === undefined ? "" : `, ${label}`}`, notes: [], tables: [], charts: [] };
    if (label !== undefined && point !== null) section.group = groupOf(point);
    const runs = series.get(serviceRunsKey(point, service));
    if (runs) {
      const marks = serviceMarks(idx.scenario, service, runs.marked, pods);
      if (marks.length > 0) {
        section.intro = `Dashed vertical lines mark the timeline's events: ${marks.map((m, i) => `(${i + 1}) ${formatSeconds(m.x)} ${m.label}`).join("; ")}.`;
      }
      if (totalDrops(runs) > 0) section.charts.push(dropsChart(runs, marks), cumulativeDropsChart(runs, marks), ...reasonCharts(runs, marks));
      else section.notes.push(`No request to ${service} was dropped, by any policy${idx.replications.length > 1 ? " in any replication" : ""}.`);
      section.charts.push(latencyChart(runs, marks), ...clusterCharts(runs, marks));
    } else {
      section.notes.push("This folder has no timeseries.csv rows for this Service: no charts over time.");
    }
    section.charts.push(...podCharts({ id, service, scenario: idx.scenario, policies: idx.policies, pods, summary: summary.filter((r) => r.service === service) }));
    sections.push(section);
  }
  return sections;
}

/** The sweep points whose charts over time the page carries: a few, evenly spaced, of a sweep. */
const chartedPoints = (idx: RunIndex): (number | null)[] => (idx.points.length > 1 ? evenlySpaced(idx.points, MAX_TIME_POINTS) : [idx.points[0]]);

const limitOf = (options: BuildOptions) => Math.max(4, options.maxPoints ?? DEFAULT_MAX_POINTS);

/**
 * What the page's charts over time need from timeseries.csv, for a walk that also serves others
 * (generate.ts writes timeseries_wide.csv in the same walk): walk with `visit`, then pass `runs` to buildReport.
 */
export function timeChartsWalk(folder: ReportsFolder, series: SeriesFile, options: BuildOptions = {}): { visit: SeriesVisit; runs: Map<string, ServiceRuns | null> } {
  const idx = indexRuns(folder);
  const charted = chartedPoints(idx);
  const runs = new Map<string, ServiceRuns | null>();
  return { visit: serviceRunsVisit(series, idx, (p) => charted.includes(p), limitOf(options), runs), runs };
}

/** The report of a folder; `walked`: the runs timeChartsWalk read (else they are read here). */
export function buildReport(folder: ReportsFolder, options: BuildOptions = {}, walked?: Map<string, ServiceRuns | null>): ReportSpec {
  const limit = limitOf(options);
  if (!folder.tables.has("summary.csv") && folder.tables.has("compare.csv")) {
    const spec = buildCompareReport(
      folder,
      (f) => {
        const i = indexRuns(f);
        return headlineTable(i, i.summary, confidenceOf(f));
      },
      limit,
    );
    for (const s of spec.sections) s.charts = s.charts.map((c) => boundPoints(c, limit));
    return spec;
  }
  const idx = indexRuns(folder);
  const charted = chartedPoints(idx);
  const series = walked ?? serviceRunsOf(folder.series, idx, (p) => charted.includes(p), limit);
  const name = idx.scenario?.name ?? distinct(idx.summary, "scenario")[0] ?? "reports";
  const headline: SectionSpec = {
    id: "headline",
    title: "Headline figures",
    notes: [],
    tables: [headlineTable(idx, idx.summary, confidenceOf(folder))],
    charts: [],
  };
  const sections = [headline];
  const paired = pairedSection(folder, idx.swept);
  if (paired) sections.push(paired);
  let groups: ReportSpec["groups"];
  if (idx.points.length > 1) {
    sections.push(...sweepSections(folder, idx));
    // Charts over time for a few points: a page with every point's would be too large.
    const points = idx.points as number[];
    const shown = charted as number[];
    const settings = (p: number) => {
      const row = idx.summary.find((r) => r.point === p);
      return idx.swept.map((c) => `${c} = ${row?.[c] ?? "–"}`).join(", ");
    };
    groups = shown.map((p) => ({ id: groupOf(p), label: `point ${p}: ${settings(p)}` }));
    if (shown.length < points.length) {
      headline.notes.push(`The charts over time are for ${shown.length} of the ${points.length} points, evenly spaced (choose one below); timeseries.csv has every point.`);
    }
    for (const p of shown) sections.push(...serviceSections(series, idx, p, `point ${p}`));
  } else {
    sections.push(...serviceSections(series, idx, idx.points[0]));
  }
  for (const s of sections) s.charts = s.charts.map((c) => boundPoints(c, limit));
  return {
    groups,
    title: `svcsim report: ${name}`,
    subtitle: idx.scenario?.description ?? "",
    facts: facts(folder, idx),
    files: [...folder.files, ...(folder.run ? ["run.json"] : [])],
    sections,
  };
}
