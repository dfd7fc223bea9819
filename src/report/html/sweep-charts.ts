/**
 * The charts of a sweep: each headline metric against each swept parameter, one line per policy,
 * with the confidence interval across replications as a band. Figures come from aggregate.csv when
 * the folder has it (its confidence level), else from summary.csv (95%). With several swept
 * parameters, one chart per combination of the others' values (a slice of the grid).
 */
import type { ReportsFolder, TableRow } from "../folder.js";
import { bandAlpha, seriesColor, withAlpha } from "./palette.js";
import { confidenceOf, estimate } from "./replications.js";
import type { RunIndex } from "./runs.js";
import type { ChartSpec, SectionSpec, Value } from "./spec.js";
import { REASONS } from "./time-charts.js";

/** The metrics charted against the swept parameters, with their axis labels. */
export const SWEEP_METRICS: readonly [string, string][] = [
  ["drop_rate", "drop rate (%)"],
  ["dropped", "dropped requests per run"],
  ["latency_mean_ms", "mean latency (ms)"],
  ["latency_p50_ms", "p50 latency (ms)"],
  ["latency_p99_ms", "p99 latency (ms)"],
  ["load_cv", "load CV (ratio)"],
  ["load_max_over_mean", "load max/mean (ratio)"],
  ["jain_index", "Jain's index (ratio)"],
];
const REASON_COLUMNS = REASONS.map((r) => `dropped_${r}`);

/** Line styles of the slices sharing a chart: solid, dashed, dotted. */
const DASHES: (number[] | undefined)[] = [undefined, [7, 4], [2, 3]];
const DASH_NAMES = ["solid", "dashed", "dotted"];

/** Slices beyond this many per parameter are left out (the CSVs have them all). */
export const MAX_SLICES = 6;

interface Stat {
  mean: Value;
  lower: Value;
  upper: Value;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Every metric charted is >= 0, and rates and Jain's index are <= 1: so are the bands drawn. */
function clip(st: Stat, metric: string): Stat {
  const top = metric === "drop_rate" || metric === "jain_index" ? 1 : Infinity;
  const c = (v: Value) => (v === null ? null : Math.min(top, Math.max(0, v)));
  return { mean: st.mean, lower: c(st.lower), upper: c(st.upper) };
}

/** One figure of (point, Service, policy): aggregate.csv's mean and interval, or computed from summary.csv. */
function statFor(folder: ReportsFolder, idx: RunIndex, point: number, service: string, policy: string, metric: string): Stat {
  const agg = folder.tables.get("aggregate.csv");
  if (agg && agg.columns.includes(`${metric}_mean`)) {
    const r = agg.rows.find((x) => x.point === point && x.service === service && x.policy === policy);
    if (r) return { mean: num(r[`${metric}_mean`]), lower: num(r[`${metric}_ci_low`]) ?? num(r[`${metric}_mean`]), upper: num(r[`${metric}_ci_high`]) ?? num(r[`${metric}_mean`]) };
  }
  const e = estimate(
    idx.summary.filter((r) => r.point === point && r.service === service && r.policy === policy).map((r) => num(r[metric])),
    confidenceOf(folder),
  );
  const mean = Number.isFinite(e.mean) ? e.mean : null;
  const hw = Number.isFinite(e.halfWidth) ? e.halfWidth : 0;
  return { mean, lower: mean === null ? null : mean - hw, upper: mean === null ? null : mean + hw };
}

/** The value of each setting column at each point, from summary.csv. */
function settingsByPoint(idx: RunIndex): Map<number, TableRow> {
  const out = new Map<number, TableRow>();
  for (const r of idx.summary) if (typeof r.point === "number" && !out.has(r.point)) out.set(r.point, r);
  return out;
}

/** A swept path's last field, for legends: `deployments[0].pod.preStop` -> `preStop`. */
export const shortName = (path: string) => path.replace(/\[\d+\]$/, "").split(".").pop() ?? path;

const show = (v: unknown) => (typeof v === "number" ? String(Number(v.toPrecision(6))) : String(v));

/** A numeric axis for a parameter's values, logarithmic when they are spread geometrically. */
function axisFor(values: readonly unknown[]): { x: number[]; categories?: string[]; log: boolean } {
  if (values.every((v) => typeof v === "number")) {
    const xs = values as number[];
    const positive = xs.every((v) => v > 0);
    const sorted = [...xs].sort((a, b) => a - b);
    const ratios = sorted.slice(1).map((v, i) => v / sorted[i]);
    const geometric = positive && sorted.length >= 3 && sorted[sorted.length - 1] / sorted[0] >= 10 && ratios.every((r) => Math.abs(Math.log(r) - Math.log(ratios[0])) < 0.2);
    return { x: xs, log: geometric };
  }
  return { x: values.map((_, i) => i), categories: values.map(show), log: false };
}

/**
 * The swept columns as parameters: columns that move together (a `zip`, such as a distribution's
 * median and p99) are one parameter, charted against its first column and named with the rest.
 */
export function sweepParameters(swept: readonly string[], points: readonly number[], settings: Map<number, TableRow>): string[][] {
  const together = (a: string, b: string) => {
    const ab = new Map<string, string>();
    const ba = new Map<string, string>();
    for (const p of points) {
      const [x, y] = [show(settings.get(p)?.[a]), show(settings.get(p)?.[b])];
      if ((ab.get(x) ?? y) !== y || (ba.get(y) ?? x) !== x) return false;
      ab.set(x, y);
      ba.set(y, x);
    }
    return true;
  };
  const groups: string[][] = [];
  for (const c of swept) {
    const g = groups.find((cols) => together(cols[0], c));
    if (g) g.push(c);
    else groups.push([c]);
  }
  return groups;
}

/** The sections of a sweep, one per Service: every metric against every swept parameter. */
export function sweepSections(folder: ReportsFolder, idx: RunIndex): SectionSpec[] {
  const settings = settingsByPoint(idx);
  const points = idx.points.filter((p): p is number => p !== null);
  const level = Math.round(confidenceOf(folder) * 100);
  const reps = idx.replications.length;
  const sections: SectionSpec[] = [];
  for (const service of idx.services) {
    const section: SectionSpec = {
      id: `sweep-${service.replace(/[^A-Za-z0-9_-]/g, "_")}`,
      title: `Sweep: ${service}`,
      intro:
        `${points.length} points over ${idx.swept.map((p) => `${p}`).join(", ")}. Each line is one policy's mean over the replications at each point` +
        (reps > 1
          ? `; the band is its ${level}% confidence interval (${folder.tables.has("aggregate.csv") ? "aggregate.csv" : "Student t, from summary.csv"}), clipped to the metric's range (0 to 1 for rates and Jain's index, 0 and up for the others).`
          : "."),
      notes: [],
      tables: [],
      charts: [],
    };
    const reasons = REASON_COLUMNS.filter((m) => idx.summary.some((r) => r.service === service && (num(r[m]) ?? 0) > 0));
    const metrics: [string, string][] = [...SWEEP_METRICS, ...reasons.map((m): [string, string] => [m, `${m.replace("dropped_", "dropped (")}) per run`])];
    const params = sweepParameters(idx.swept, points, settings);
    for (const [pi, columns] of params.entries()) {
      const param = columns[0];
      const zipped = columns.length > 1 ? ` (with ${columns.slice(1).join(", ")}, swept together)` : "";
      const others = params.filter((g) => g !== columns).map((g) => g[0]);
      const slices = new Map<string, number[]>();
      for (const p of points) {
        const row = settings.get(p);
        const key = others.map((o) => `${shortName(o)} = ${show(row?.[o])}`).join(", ");
        let list = slices.get(key);
        if (!list) slices.set(key, (list = []));
        list.push(p);
      }
      const distinctValues = new Set(points.map((p) => show(settings.get(p)?.[param]))).size;
      if (others.length > 0 && distinctValues < 3) {
        section.notes.push(`${param} takes only ${distinctValues} values: it is shown by the line styles of the other parameters' charts, not charted against.`);
        continue;
      }
      if (distinctValues < 2) {
        continue;
      }
      // Up to three slices share a chart (line style per slice); more get a chart each.
      const groups: [string, number[]][][] = slices.size <= 3 ? [[...slices.entries()]] : [...slices.entries()].slice(0, MAX_SLICES).map((e) => [e]);
      if (slices.size > MAX_SLICES) {
        section.notes.push(`${param}: ${slices.size} combinations of the other parameters; the first ${MAX_SLICES} are charted, aggregate.csv and summary.csv have them all.`);
      }
      for (const [m, [metric, label]] of metrics.entries()) {
        for (const [g, group] of groups.entries()) {
          const title = group.length === 1 && group[0][0] ? ` (${group[0][0]})` : "";
          const chart: ChartSpec = {
            id: `${section.id}-${pi}-${m}-${g}`,
            title: `${metric} against ${param}${title}`,
            caption:
              `${label} at each value of ${param}${zipped}; one line per policy` +
              (group.length > 1 ? `, ${group.map(([key], k) => `${DASH_NAMES[k]} for ${key}`).join(", ")}.` : "."),
            kind: "lines",
            x: { label: param, values: [] },
            y: { label, min: metric === "jain_index" ? undefined : 0, percent: metric === "drop_rate" },
            series: [],
            bands: [],
            marks: [],
            wide: false,
          };
          // One x axis for the chart: the union of the slices' values, in order.
          const xValues = [...new Set(group.flatMap(([, pts]) => pts.map((p) => settings.get(p)?.[param])))];
          if (xValues.every((v) => typeof v === "number")) (xValues as number[]).sort((a, b) => a - b);
          const axis = axisFor(xValues);
          chart.x = { label: param, values: axis.x, log: axis.log, categories: axis.categories };
          idx.policies.forEach((policy, i) => {
            const color = seriesColor(i);
            group.forEach(([key, pts], k) => {
              const at = new Map(pts.map((p) => [show(settings.get(p)?.[param]), p]));
              const stats = xValues.map((v) => {
                const p = at.get(show(v));
                return p === undefined ? { mean: null, lower: null, upper: null } : clip(statFor(folder, idx, p, service, policy, metric), metric);
              });
              const name = group.length > 1 ? `${policy}, ${key}` : policy;
              chart.series.push({ label: name, color, values: stats.map((st) => st.mean), points: true, dash: DASHES[k] });
              if (reps > 1) chart.bands.push({ label: `${name} ${level}% CI`, color: withAlpha(color, bandAlpha(idx.policies.length * group.length)), lower: stats.map((st) => st.lower), upper: stats.map((st) => st.upper) });
            });
          });
          section.charts.push(chart);
        }
      }
    }
    sections.push(section);
  }
  return sections;
}
