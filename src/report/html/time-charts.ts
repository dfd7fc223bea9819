/**
 * The charts over simulated time for one Service (at one sweep point): drops per policy with the
 * interval band across replications, drops by reason (stacked, one small chart per policy),
 * latency p50/p99, and the cluster's state (ready endpoints, nodes whose kube-proxy lags,
 * rollouts in progress). Source: timeseries.csv; each point is the mean over the replications.
 */
import { SeriesColumns, walkSeries, type MarkedRow, type SeriesFile, type SeriesVisit } from "../series.js";
import type { RunIndex } from "./runs.js";
import { MinMaxStream, type Reduce } from "./downsample.js";
import { formatSeconds } from "./format.js";
import { bandAlpha, REASON_COLORS, seriesColor, withAlpha } from "./palette.js";
import { estimate } from "./replications.js";
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

/** The figures drawn per policy: each timeseries.csv column charted, and the running total of drops. */
const GAUGES = ["ready_endpoints", "stale_nodes", "rollouts_in_progress"] as const;
/** The gauge whose values also say whether a run had a rollout (read once, with the gauges). */
const ROLLOUTS = GAUGES.indexOf("rollouts_in_progress");
const DROPPED = REASONS.map((r) => `dropped_${r}`);

/**
 * The runs of one Service at one point, as the charts need them: x (interval starts) and, per
 * policy, the mean over its replications of each charted figure with its 95% interval, reduced
 * as they are read (downsample.ts) when the run has more intervals than a chart keeps.
 */
export interface ServiceRuns {
  point: number | null;
  service: string;
  /** Interval starts, reduced like the lines. */
  x: number[];
  /** The intervals charted (the shortest run's), before any reduction. */
  n: number;
  interval: number;
  policies: string[];
  replications: number;
  /** `<policy>\u0000<figure>\u0000<mean|lower|upper|stacked|raw>` -> values. */
  lines: Map<string, Value[]>;
  /** The gauges for which every policy gives the same means and lower bounds at every interval. */
  same: Set<string>;
  /** Drops over all the rows, reasons that dropped at least one request, whether a rollout was under way. */
  drops: number;
  reasons: string[];
  rollouts: boolean;
  /** Where drops happen (interval starts of the first and last intervals with drops), see dropFocus. */
  dropSpan: [number, number] | null;
  /** x[0] and the last interval's start. */
  span: [number, number];
  /** The highest stacked drops of any policy at any interval (the reason charts share this y scale). */
  top: number;
  /** The rows with something in `marks`. */
  marked: MarkedRow[];
}

const lineKey = (policy: string, figure: string, part: string) => `${policy}\u0000${figure}\u0000${part}`;

function line(runs: ServiceRuns, policy: string, figure: string, part: string): Value[] {
  const v = runs.lines.get(lineKey(policy, figure, part));
  if (!v) throw new Error(`no ${figure} ${part} for ${policy}`);
  return v;
}

const positive = (x: number | null): number | null => (x !== null && x > 0 ? x : null);

/** A walk's row: its cells (series.ts). */
type Cells = readonly string[];

/** A policy's runs within a walk's rows: the walk index of each replication, in replication order. */
export interface PolicyRuns {
  policy: string;
  reps: number[];
}

/**
 * Builds a ServiceRuns from a walk of its runs (series.ts), interval by interval: `n` intervals
 * are charted; rows beyond them (a longer run) still count for the drops, reasons and rollouts.
 */
export class ServiceRunsBuilder {
  private i = 0;
  private readonly x: MinMaxStream;
  /** Per policy, its lines as they are reduced, by lineKey. */
  private readonly streams: Map<string, MinMaxStream>[];
  private readonly fixed: PolicyStreams[];
  private readonly cumulative: number[][];
  private readonly values: (number | null)[][];
  private readonly runs: ServiceRuns;
  private first: number | null = null;
  private last: number | null = null;
  private top = 0;
  /** Column indices of the figures read. */
  private readonly col: { dropped: number; reasons: number[]; rollouts: number; gauges: number[]; p99: number; p50: number; start: number; end: number };

  constructor(
    point: number | null,
    service: string,
    private readonly byPolicy: readonly PolicyRuns[],
    n: number,
    limit: number,
    marked: ServiceRuns["marked"],
    private readonly cols: SeriesColumns,
  ) {
    const at = (name: string) => cols.index(name);
    this.col = {
      dropped: at("dropped"),
      reasons: DROPPED.map(at),
      rollouts: at("rollouts_in_progress"),
      gauges: GAUGES.map(at),
      p99: at("latency_p99_ms"),
      p50: at("latency_p50_ms"),
      start: at("t_start_s"),
      end: at("t_end_s"),
    };
    this.x = new MinMaxStream(n, limit, "x");
    this.streams = byPolicy.map(() => new Map());
    this.fixed = byPolicy.map(({ policy }, p) => {
      const stream = (figure: string, part: string, reduce: Reduce) => {
        const s = new MinMaxStream(n, limit, reduce);
        this.streams[p].set(lineKey(policy, figure, part), s);
        return s;
      };
      const band = (figure: string): Band => [stream(figure, "mean", "minmax"), stream(figure, "lower", "min"), stream(figure, "upper", "max")];
      return {
        dropped: band("dropped"),
        cumulative: band("cumulative"),
        gauges: GAUGES.map(band),
        stacked: REASONS.map((r) => stream(r, "stacked", "minmax")),
        raw: REASONS.map((r) => stream(r, "raw", "minmax")),
        p99: stream("latency_p99_ms", "mean", "minmax"),
        p50: stream("latency_p50_ms", "mean", "minmax"),
      };
    });
    this.cumulative = byPolicy.map((p) => p.reps.map(() => 0));
    this.values = byPolicy.map((p) => new Array<number | null>(p.reps.length));
    this.runs = {
      point,
      service,
      x: [],
      n,
      interval: NaN,
      policies: byPolicy.map((p) => p.policy),
      replications: Math.max(...byPolicy.map((p) => p.reps.length)),
      lines: new Map(),
      same: new Set(GAUGES),
      drops: 0,
      reasons: [],
      rollouts: false,
      dropSpan: null,
      span: [NaN, NaN],
      top: 0,
      marked,
    };
  }


  /** The last estimate(): a mean over a policy's replications and the edges of its interval. */
  private mean: Value = null;
  private lower: Value = null;
  private upper: Value = null;

  /** Policy p's column c at this interval, one value per replication, into this.values[p]. */
  private read(p: number, rows: readonly (Cells | null)[], c: number, onlyPositive = false): void {
    const reps = this.byPolicy[p].reps;
    const values = this.values[p];
    for (let k = 0; k < reps.length; k++) {
      const v = this.cols.number(rows[reps[k]] as Cells, c);
      values[k] = onlyPositive ? positive(v) : v;
    }
  }

  /** The mean of this.values[p] over policy p's replications, with its interval (mean, lower, upper). */
  private estimate(p: number): void {
    const values = this.values[p];
    if (values.length === 1) {
      // One replication: the mean is the value (as estimate() sums it: 0 + v), and no interval.
      const v = values[0];
      this.mean = this.lower = this.upper = v !== null && Number.isFinite(v) ? 0 + v : null;
      return;
    }
    const e = estimate(values);
    const m = Number.isFinite(e.mean) ? e.mean : null;
    // Every figure charted here is >= 0 (counts, latencies): so is the band.
    this.mean = m;
    this.lower = m !== null && Number.isFinite(e.halfWidth) ? Math.max(0, e.mean - e.halfWidth) : m;
    this.upper = m !== null && Number.isFinite(e.halfWidth) ? e.mean + e.halfWidth : m;
  }

  /** Adds the last estimate to a band's three lines. */
  private band(band: Band): void {
    band[0].push(this.mean);
    band[1].push(this.lower);
    band[2].push(this.upper);
  }

  /** The run totals (drops, reasons seen, rollouts) of a row past the charted ones (runs of unequal length). */
  private tally(rows: readonly (Cells | null)[]): void {
    const { cols, col, byPolicy, runs } = this;
    for (let p = 0; p < byPolicy.length; p++) {
      for (const k of byPolicy[p].reps) {
        const r = rows[k];
        if (!r) continue;
        runs.drops += cols.number(r, col.dropped) ?? 0;
        for (let j = 0; j < REASONS.length; j++) if ((cols.number(r, col.reasons[j]) ?? 0) > 0) this.sawReason(j);
        if ((cols.number(r, col.rollouts) ?? 0) > 0) runs.rollouts = true;
      }
    }
  }

  private sawReason(j: number): void {
    if (!this.runs.reasons.includes(REASONS[j])) this.runs.reasons.push(REASONS[j]);
  }

  /**
   * One interval of every run. A charted row's cells are parsed once: the run totals are taken from
   * the values read for the charts (in the same order: policies, then replications).
   */
  step(rows: readonly (Cells | null)[]): void {
    const i = this.i++;
    const runs = this.runs;
    const { cols, col, byPolicy } = this;
    if (i >= runs.n) {
      this.tally(rows);
      return;
    }
    const head = rows[byPolicy[0].reps[0]] as Cells;
    const x = col.start < 0 ? NaN : Number(cols.cell(head, col.start));
    this.x.push(x);
    if (i === 0) {
      runs.interval = (col.end < 0 ? NaN : Number(cols.cell(head, col.end))) - x;
      runs.span[0] = x;
    }
    // The last charted start is taken in end(): a branch taken only at the last row would be new
    // code to V8 after it has optimised step, and would throw that code away.
    this.lastX = x;
    let dropped = false;
    for (let p = 0; p < byPolicy.length; p++) {
      const reps = byPolicy[p].reps;
      const cum = this.cumulative[p];
      const values = this.values[p];
      const f = this.fixed[p];
      this.read(p, rows, col.dropped);
      for (let k = 0; k < reps.length; k++) {
        const d = values[k] ?? 0;
        runs.drops += d;
        cum[k] += d;
        if (d > 0) dropped = true;
      }
      this.estimate(p);
      this.band(f.dropped);
      for (let k = 0; k < reps.length; k++) values[k] = cum[k];
      this.estimate(p);
      this.band(f.cumulative);
      for (let j = 0; j < GAUGES.length; j++) {
        this.read(p, rows, col.gauges[j]);
        if (j === ROLLOUTS) for (let k = 0; k < reps.length; k++) if ((values[k] ?? 0) > 0) runs.rollouts = true;
        this.estimate(p);
        this.band(f.gauges[j]);
        if (p === 0) {
          this.firstMean[j] = this.mean;
          this.firstLower[j] = this.lower;
        } else if (this.mean !== this.firstMean[j] || this.lower !== this.firstLower[j]) runs.same.delete(GAUGES[j]);
      }
      let below = 0;
      for (let j = 0; j < REASONS.length; j++) {
        this.read(p, rows, col.reasons[j]);
        for (let k = 0; k < reps.length; k++) if ((values[k] ?? 0) > 0) this.sawReason(j);
        this.estimate(p);
        const raw = this.mean;
        // Unseen reasons add nothing to the stack (0, or no value): stacking all six stacks the seen ones alike.
        below = raw === null ? below : below + raw;
        if (below > this.top) this.top = below;
        f.stacked[j].push(below);
        f.raw[j].push(raw);
      }
      this.read(p, rows, col.p99, true);
      this.estimate(p);
      f.p99.push(this.mean);
      this.read(p, rows, col.p50, true);
      this.estimate(p);
      f.p50.push(this.mean);
    }
    if (dropped) {
      this.first ??= x;
      this.last = x;
    }
  }

  /** The first policy's gauges at this interval (the others' are compared with them). */
  private readonly firstMean: Value[] = [];
  private readonly firstLower: Value[] = [];

  /** The last charted interval's start (span[1]). */
  private lastX = NaN;

  end(): ServiceRuns {
    const runs = this.runs;
    runs.span[1] = this.lastX;
    runs.x = this.x.values() as number[];
    for (const streams of this.streams) for (const [k, s] of streams) runs.lines.set(k, s.values());
    runs.reasons = REASONS.filter((r) => runs.reasons.includes(r));
    runs.dropSpan = this.first === null ? null : [this.first, this.last as number];
    runs.top = this.top;
    return runs;
  }
}

/** A figure's mean, lower and upper lines. */
type Band = [MinMaxStream, MinMaxStream, MinMaxStream];

interface PolicyStreams {
  dropped: Band;
  cumulative: Band;
  gauges: Band[];
  stacked: MinMaxStream[];
  raw: MinMaxStream[];
  p99: MinMaxStream;
  p50: MinMaxStream;
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
  const chart: ChartSpec = {
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
  if (runs.x.length < runs.n) chart.reducedFrom = runs.n;
  return chart;
}

/** One line per policy of a charted figure, with bands when there are replications. */
function perPolicy(runs: ServiceRuns, chart: ChartSpec, figure: string, opts: { step?: boolean; band?: boolean; collapse?: boolean }): ChartSpec {
  const collapsed = opts.collapse && runs.policies.length > 1 && runs.same.has(figure);
  const shown = collapsed ? [{ label: "all policies", policy: runs.policies[0] }] : runs.policies.map((policy) => ({ label: policy, policy }));
  shown.forEach(({ label, policy }, i) => {
    const color = collapsed ? "#000000" : seriesColor(i);
    chart.series.push({ label, color, values: line(runs, policy, figure, "mean"), step: opts.step });
    if (opts.band && runs.replications > 1) {
      chart.bands.push({ label: `${label} 95% CI`, color: withAlpha(color, bandAlpha(shown.length)), lower: line(runs, policy, figure, "lower"), upper: line(runs, policy, figure, "upper"), step: opts.step });
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
  if (!runs.dropSpan) return null;
  const start = runs.span[0];
  const end = runs.span[1] + runs.interval;
  const from = runs.dropSpan[0];
  const to = runs.dropSpan[1] + runs.interval;
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
  return perPolicy(runs, chart, "dropped", { step: true, band: true });
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
  return perPolicy(runs, chart, "cumulative", { step: true, band: true });
}

/** Drops split by reason for each policy, stacked; the small charts share one y scale. */
export function reasonCharts(runs: ServiceRuns, marks: MarkSpec[]): ChartSpec[] {
  const reasons = runs.reasons;
  if (reasons.length === 0) return [];
  const charts: ChartSpec[] = [];
  for (const policy of runs.policies) {
    const chart = timeChart(
      runs,
      `reasons-${policy}`,
      `${policy}: dropped requests by reason`,
      `Stacked: each band is one reason, the top edge the total.${replicationNote(runs, false)} All ${runs.service} charts of this kind share the y scale.`,
      `dropped requests / ${formatSeconds(runs.interval)}`,
      marks,
      false,
    );
    for (const reason of reasons) {
      const series: SeriesSpec = { label: REASON_TEXT[reason], color: REASON_COLORS[reason], values: line(runs, policy, reason, "stacked"), legendValues: line(runs, policy, reason, "raw"), step: true, fill: true };
      chart.series.push(series);
    }
    charts.push(chart);
  }
  const focus = dropFocus(runs);
  for (const c of charts) {
    c.y.max = runs.top > 0 ? runs.top * 1.05 : 1;
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
  runs.policies.forEach((policy, i) => {
    const color = seriesColor(i);
    chart.series.push({ label: `${policy} p99`, color, values: line(runs, policy, "latency_p99_ms", "mean") });
    chart.series.push({ label: `${policy} p50`, color, dash: [6, 4], values: line(runs, policy, "latency_p50_ms", "mean") });
  });
  return chart;
}

/** Ready endpoints, stale kube-proxy nodes and (when there were any) rollouts in progress. */
export function clusterCharts(runs: ServiceRuns, marks: MarkSpec[]): ChartSpec[] {
  const gauge = "Taken at each interval's end.";
  const charts = [
    perPolicy(
      runs,
      timeChart(runs, "ready", `Ready endpoints: ${runs.service}`, `Ready endpoints in the Service's published EndpointSlice. ${gauge}${replicationNote(runs, true)}`, "ready endpoints (pods)", marks, false),
      "ready_endpoints",
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
      "stale_nodes",
      { step: true, band: true, collapse: true },
    ),
  ];
  if (runs.rollouts) {
    charts.push(
      perPolicy(
        runs,
        timeChart(runs, "rollouts", "Rollouts in progress (whole cluster)", `Deployment rollouts under way in the cluster, whichever Service they touch. ${gauge}${replicationNote(runs, true)}`, "rollouts in progress", marks, false),
        "rollouts_in_progress",
        { step: true, band: true, collapse: true },
      ),
    );
  }
  for (const c of charts) c.y.integer = true;
  return charts;
}

/** Total drops of a Service at a point, over all policies and replications. */
export const totalDrops = (runs: ServiceRuns): number => runs.drops;

/** Where serviceRunsOf files a Service's runs at a point. */
export const serviceRunsKey = (point: number | null, service: string) => `${point ?? ""}\u0000${service}`;

/**
 * The runs of the Services at the points `wanted` picks, read in a walk of timeseries.csv
 * (series.ts), filed into `out`: the policies and replications are the index's (summary.csv's), in
 * its order; a Service at a point without rows has none (null).
 */
export function serviceRunsVisit(series: SeriesFile, idx: RunIndex, wanted: (point: number | null, service: string) => boolean, limit: number, out: Map<string, ServiceRuns | null>): SeriesVisit {
  const cols = new SeriesColumns(series.columns, series.locale);
  return (runs) => {
    const { point, service } = runs[0];
    const key = serviceRunsKey(point, service);
    if (!wanted(point, service) || !idx.services.includes(service) || out.has(key)) return null;
    const byPolicy: PolicyRuns[] = [];
    for (const policy of idx.policies) {
      const reps = idx.replications.map((r) => runs.findIndex((run) => run.policy === policy && run.replication === r)).filter((k) => k >= 0);
      if (reps.length > 0) byPolicy.push({ policy, reps });
    }
    const n = Math.min(...byPolicy.flatMap((p) => p.reps.map((k) => runs[k].rows)));
    if (byPolicy.length === 0 || n === 0) {
      out.set(key, null);
      return null;
    }
    const marked = byPolicy.flatMap((p) => p.reps.flatMap((k) => runs[k].marked));
    const builder = new ServiceRunsBuilder(point, service, byPolicy, n, limit, marked, cols);
    return { step: (rows) => builder.step(rows), end: () => out.set(key, builder.end()) };
  };
}

/** serviceRunsVisit's runs, in a walk of their own. */
export function serviceRunsOf(series: SeriesFile | null, idx: RunIndex, wanted: (point: number | null, service: string) => boolean, limit: number): Map<string, ServiceRuns | null> {
  const out = new Map<string, ServiceRuns | null>();
  if (series) walkSeries(series, serviceRunsVisit(series, idx, wanted, limit, out));
  return out;
}
