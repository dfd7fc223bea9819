/**
 * The charts over simulated time for one Service (at one sweep point): drops per policy with the
 * interval band across replications, drops by reason (stacked, one small chart per policy),
 * latency p50/p99, and the cluster's state (ready endpoints, nodes whose kube-proxy lags,
 * rollouts in progress). Source: timeseries.csv; each point is the mean over the replications.
 */
import type { TableRow } from "../folder.js";
import { formatSeconds } from "./format.js";
import { bandAlpha, REASON_COLORS, seriesColor, withAlpha } from "./palette.js";
import { estimate } from "./replications.js";
import type { RunIndex } from "./runs.js";
import { seriesKey } from "./runs.js";
import type { ChartSpec, MarkSpec, SeriesSpec, Value } from "./spec.js";

export const REASONS = ["refused", "reset", "overload", "timeout", "no_endpoints", "unreachable"] as const;
const REASON_TEXT: Record<string, string> = {
  refused: "refused",
  reset: "reset",
  overload: "overload",
  timeout: "timeout",
  no_endpoints: "no endpoints",
  unreachable: "unreachable",
};

/** The runs of one Service at one point: x (interval starts) and, per policy, each replication's rows. */
export interface ServiceRuns {
  point: number | null;
  service: string;
  x: number[];
  interval: number;
  byPolicy: Map<string, TableRow[][]>;
  replications: number;
}

export function serviceRuns(idx: RunIndex, point: number | null, service: string): ServiceRuns | null {
  const byPolicy = new Map<string, TableRow[][]>();
  let length = Infinity;
  for (const policy of idx.policies) {
    const reps = idx.replications.map((r) => idx.series.get(seriesKey(point, service, policy, r))).filter((rows): rows is TableRow[] => !!rows);
    if (reps.length === 0) continue;
    byPolicy.set(policy, reps);
    for (const rows of reps) length = Math.min(length, rows.length);
  }
  if (byPolicy.size === 0 || !Number.isFinite(length) || length === 0) return null;
  const first = [...byPolicy.values()][0][0].slice(0, length);
  const x = first.map((r) => Number(r.t_start_s));
  const interval = Number(first[0].t_end_s) - Number(first[0].t_start_s);
  return { point, service, x, interval, byPolicy, replications: Math.max(...[...byPolicy.values()].map((r) => r.length)) };
}

interface MeanSeries {
  mean: Value[];
  lower: Value[];
  upper: Value[];
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** A figure of one replication's interval i. */
type Metric = (rows: readonly TableRow[], i: number) => number | null;

/** Per interval, the mean of `metric` over the replications and its 95% interval. */
function meanOver(reps: readonly TableRow[][], length: number, metric: Metric): MeanSeries {
  const mean: Value[] = [];
  const lower: Value[] = [];
  const upper: Value[] = [];
  const values: (number | null)[] = new Array(reps.length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < reps.length; k++) values[k] = metric(reps[k], i);
    const e = estimate(values);
    const m = Number.isFinite(e.mean) ? e.mean : null;
    mean.push(m);
    // Every figure charted here is >= 0 (counts, latencies): so is the band.
    lower.push(m !== null && Number.isFinite(e.halfWidth) ? Math.max(0, e.mean - e.halfWidth) : m);
    upper.push(m !== null && Number.isFinite(e.halfWidth) ? e.mean + e.halfWidth : m);
  }
  return { mean, lower, upper };
}

const column =
  (name: string): Metric =>
  (rows, i) =>
    num(rows[i][name]);

/** The running total of a count column, from the window's start. */
function cumulative(name: string): Metric {
  const sums = new WeakMap<readonly TableRow[], number[]>();
  return (rows, i) => {
    let s = sums.get(rows);
    if (!s) {
      let total = 0;
      s = rows.map((r) => (total += num(r[name]) ?? 0));
      sums.set(rows, s);
    }
    return s[i];
  };
}

function replicationNote(runs: ServiceRuns, band: boolean): string {
  if (runs.replications < 2) return "";
  return band
    ? ` Each line is the mean of ${runs.replications} replications; the shaded band is its 95% confidence interval (Student t).`
    : ` Each line is the mean of ${runs.replications} replications.`;
}

function baseId(runs: ServiceRuns): string {
  return `p${runs.point ?? 0}-${runs.service.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

function timeChart(runs: ServiceRuns, id: string, title: string, caption: string, yLabel: string, marks: MarkSpec[], wide: boolean): ChartSpec {
  return {
    id: `${baseId(runs)}-${id}`,
    title,
    caption,
    kind: "lines",
    x: { label: "simulated time (s)", values: runs.x },
    y: { label: yLabel, min: 0 },
    series: [],
    bands: [],
    marks,
    wide,
  };
}

/** One line per policy of a time-series column, with bands when there are replications. */
function perPolicy(runs: ServiceRuns, chart: ChartSpec, metric: Metric, opts: { step?: boolean; band?: boolean; collapse?: boolean }): ChartSpec {
  const lines: { policy: string; s: MeanSeries }[] = [];
  for (const [policy, reps] of runs.byPolicy) lines.push({ policy, s: meanOver(reps, runs.x.length, metric) });
  const same = (a: MeanSeries, b: MeanSeries) => a.mean.every((v, i) => v === b.mean[i]) && a.lower.every((v, i) => v === b.lower[i]);
  const collapsed = opts.collapse && lines.length > 1 && lines.every((l) => same(l.s, lines[0].s));
  const shown = collapsed ? [{ policy: "all policies", s: lines[0].s }] : lines;
  shown.forEach(({ policy, s }, i) => {
    const color = collapsed ? "#000000" : seriesColor(i);
    chart.series.push({ label: policy, color, values: s.mean, step: opts.step });
    if (opts.band && runs.replications > 1) {
      chart.bands.push({ label: `${policy} 95% CI`, color: withAlpha(color, bandAlpha(shown.length)), lower: s.lower, upper: s.upper, step: opts.step });
    }
  });
  if (collapsed) chart.caption += " Every policy gives the same values here, so one line stands for all.";
  return chart;
}

/**
 * When every drop falls in a short stretch of the run (a crash, a rollout), the x range to show
 * first: that stretch with some margin, so the spike is not a sliver. Null when drops are spread out.
 */
export function dropFocus(runs: ServiceRuns): [number, number] | null {
  const n = runs.x.length;
  let first = -1;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const any = [...runs.byPolicy.values()].some((reps) => reps.some((rows) => (num(rows[i]?.dropped) ?? 0) > 0));
    if (!any) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return null;
  const start = runs.x[0];
  const end = runs.x[n - 1] + runs.interval;
  const from = runs.x[first];
  const to = runs.x[last] + runs.interval;
  if (to - from > 0.25 * (end - start)) return null;
  const pad = Math.max(0.5 * (to - from), 5 * runs.interval);
  return [Math.max(start, from - pad), Math.min(end, to + pad)];
}

function focusOn(chart: ChartSpec, focus: [number, number] | null): void {
  if (!focus) return;
  chart.x.focus = focus;
  chart.caption += ` Shown from ${formatSeconds(focus[0])} to ${formatSeconds(focus[1])}, around the drops: drag across to zoom, double-click for the whole run.`;
}

/** Dropped requests per interval, one line per policy. */
export function dropsChart(runs: ServiceRuns, marks: MarkSpec[]): ChartSpec {
  const chart = timeChart(
    runs,
    "drops",
    `Dropped requests over time: ${runs.service}`,
    `Requests that arrived in each ${formatSeconds(runs.interval)} interval and then failed for good, plotted at the interval's start.` +
      replicationNote(runs, true),
    `dropped requests / ${formatSeconds(runs.interval)}`,
    marks,
    true,
  );
  chart.y.integer = true;
  focusOn(chart, dropFocus(runs));
  return perPolicy(runs, chart, column("dropped"), { step: true, band: true });
}

/** The running total of dropped requests per policy: which policy lost most, and when. */
export function cumulativeDropsChart(runs: ServiceRuns, marks: MarkSpec[]): ChartSpec {
  const chart = timeChart(
    runs,
    "drops-total",
    `Dropped requests so far: ${runs.service}`,
    "Running total of the requests dropped since the measured window began, by arrival time; the last value is the run's total." + replicationNote(runs, true),
    "dropped so far (requests)",
    marks,
    true,
  );
  chart.y.integer = true;
  return perPolicy(runs, chart, cumulative("dropped"), { step: true, band: true });
}

/** Reasons that dropped at least one request of this Service, in the CSV's column order. */
export function reasonsSeen(runs: ServiceRuns): string[] {
  return REASONS.filter((reason) => [...runs.byPolicy.values()].some((reps) => reps.some((rows) => rows.some((r) => (num(r[`dropped_${reason}`]) ?? 0) > 0))));
}

/** Drops split by reason for each policy, stacked; the small charts share one y scale. */
export function reasonCharts(runs: ServiceRuns, marks: MarkSpec[]): ChartSpec[] {
  const reasons = reasonsSeen(runs);
  if (reasons.length === 0) return [];
  const charts: ChartSpec[] = [];
  let top = 0;
  for (const [policy, reps] of runs.byPolicy) {
    const chart = timeChart(
      runs,
      `reasons-${policy}`,
      `${policy}: dropped requests by reason`,
      `Stacked: each band is one reason, the top edge the total.${replicationNote(runs, false)} All ${runs.service} charts of this kind share the y scale.`,
      `dropped requests / ${formatSeconds(runs.interval)}`,
      marks,
      false,
    );
    let below: Value[] = runs.x.map(() => 0);
    for (const reason of reasons) {
      const raw = meanOver(reps, runs.x.length, column(`dropped_${reason}`)).mean;
      const stacked = raw.map((v, i) => (v === null ? below[i] : (below[i] ?? 0) + v));
      for (const v of stacked) if (v !== null && v > top) top = v;
      const series: SeriesSpec = { label: REASON_TEXT[reason], color: REASON_COLORS[reason], values: stacked, legendValues: raw, step: true, fill: true };
      chart.series.push(series);
      below = stacked;
    }
    charts.push(chart);
  }
  const focus = dropFocus(runs);
  for (const c of charts) {
    c.y.max = top > 0 ? top * 1.05 : 1;
    c.y.integer = true;
    focusOn(c, focus);
  }
  return charts;
}

/** Latency p99 (solid) and p50 (dashed) per policy, on a log scale. */
export function latencyChart(runs: ServiceRuns, marks: MarkSpec[]): ChartSpec {
  const chart = timeChart(
    runs,
    "latency",
    `Latency over time: ${runs.service}`,
    "p99 (solid) and median (dashed) latency of the requests answered in each interval, log scale; a gap is an interval in which nothing was answered." +
      replicationNote(runs, false),
    "latency (ms)",
    marks,
    true,
  );
  chart.y = { label: "latency (ms), log scale", log: true };
  let i = 0;
  for (const [policy, reps] of runs.byPolicy) {
    const color = seriesColor(i++);
    const positive = (name: string): Metric => (rows, i) => {
      const v = num(rows[i][name]);
      return v !== null && v > 0 ? v : null;
    };
    chart.series.push({ label: `${policy} p99`, color, values: meanOver(reps, runs.x.length, positive("latency_p99_ms")).mean });
    chart.series.push({ label: `${policy} p50`, color, dash: [6, 4], values: meanOver(reps, runs.x.length, positive("latency_p50_ms")).mean });
  }
  return chart;
}

/** Ready endpoints, stale kube-proxy nodes and (when there were any) rollouts in progress. */
export function clusterCharts(runs: ServiceRuns, marks: MarkSpec[]): ChartSpec[] {
  const gauge = "Taken at each interval's end.";
  const charts = [
    perPolicy(
      runs,
      timeChart(runs, "ready", `Ready endpoints: ${runs.service}`, `Ready endpoints in the Service's published EndpointSlice. ${gauge}${replicationNote(runs, true)}`, "ready endpoints (pods)", marks, false),
      column("ready_endpoints"),
      { step: true, band: true, collapse: true },
    ),
    perPolicy(
      runs,
      timeChart(
        runs,
        "stale",
        `Nodes with stale kube-proxy rules: ${runs.service}`,
        `Live nodes whose kube-proxy has not yet applied the published endpoints: they may still send requests to pods that are gone. ${gauge}${replicationNote(runs, true)}`,
        "stale nodes (nodes)",
        marks,
        false,
      ),
      column("stale_nodes"),
      { step: true, band: true, collapse: true },
    ),
  ];
  const rollouts = [...runs.byPolicy.values()].some((reps) => reps.some((rows) => rows.some((r) => (num(r.rollouts_in_progress) ?? 0) > 0)));
  if (rollouts) {
    charts.push(
      perPolicy(
        runs,
        timeChart(runs, "rollouts", "Rollouts in progress (whole cluster)", `Deployment rollouts under way in the cluster, whichever Service they touch. ${gauge}${replicationNote(runs, true)}`, "rollouts in progress", marks, false),
        column("rollouts_in_progress"),
        { step: true, band: true, collapse: true },
      ),
    );
  }
  for (const c of charts) c.y.integer = true;
  return charts;
}

/** Total drops of a Service at a point, over all policies and replications. */
export function totalDrops(runs: ServiceRuns): number {
  let total = 0;
  for (const reps of runs.byPolicy.values()) for (const rows of reps) for (const r of rows) total += num(r.dropped) ?? 0;
  return total;
}
