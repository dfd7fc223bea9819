/**
 * paired.csv in the report: each policy's difference from the baseline policy under common
 * random numbers (the same arrivals in each replication), with its paired-t interval, for the
 * headline metrics; the differences beyond noise (the interval excludes 0) first, coloured.
 */
import type { ReportsFolder, TableRow } from "../folder.js";
import { formatValue, metricKind, pathHeading, signed } from "./format.js";
import type { SectionSpec, TableSpec } from "./spec.js";

/** The metrics shown, in this order (paired.csv has more). */
export const PAIRED_METRICS = ["drop_rate", "dropped", "latency_mean_ms", "latency_p50_ms", "latency_p99_ms", "load_cv", "load_max_over_mean", "jain_index"];

/** Rows beyond this many are left out of the table (paired.csv has them all). */
export const MAX_PAIRED_ROWS = 400;

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** better / worse than the baseline when the interval excludes 0 (lower is better but for Jain's index). */
function verdict(r: TableRow): string {
  const diff = num(r.diff_mean);
  if (r.excludes_zero !== 1 || diff === null || diff === 0) return "no clear difference";
  const higherIsBetter = r.metric === "jain_index";
  return diff > 0 === higherIsBetter ? "better" : "worse";
}

export function pairedSection(folder: ReportsFolder, sweepColumns: readonly string[]): SectionSpec | null {
  const table = folder.tables.get("paired.csv");
  if (!table || table.rows.length === 0) return null;
  const rows = table.rows.filter((r) => PAIRED_METRICS.includes(String(r.metric)));
  const order = (r: TableRow) => (verdict(r) === "no clear difference" ? 1 : 0);
  const sorted = [...rows].sort((a, b) => order(a) - order(b));
  const shown = sorted.slice(0, MAX_PAIRED_ROWS);
  const multiPoint = new Set(rows.map((r) => r.point)).size > 1;
  const keys = multiPoint ? ["Point", ...sweepColumns.map(pathHeading)] : [];
  const baseline = String(rows[0]?.baseline ?? "the baseline");
  const level = num(rows[0]?.confidence);
  const spec: TableSpec = {
    caption:
      `Difference = policy − ${baseline}, per replication, then averaged; the interval is the ${level === null ? "" : `${Math.round(level * 100)}% `}paired-t interval of that mean. ` +
      "A difference is clear when its interval excludes 0; lower is better except for Jain's index. Clear differences first.",
    head: [...keys, "Service", "Metric", "Policy", "Policy mean", `${baseline} mean`, "Difference", "Interval", "Pairs", "Verdict"],
    rows: shown.map((r) => {
      const kind = metricKind(String(r.metric));
      const lo = num(r.diff_ci_low);
      const hi = num(r.diff_ci_high);
      return [
        ...(multiPoint ? [String(r.point), ...sweepColumns.map((c) => String(r[c] ?? "–"))] : []),
        String(r.service),
        String(r.metric),
        String(r.policy),
        formatValue(num(r.policy_mean), kind),
        formatValue(num(r.baseline_mean), kind),
        signed(num(r.diff_mean), kind),
        lo === null || hi === null ? "–" : `[${signed(lo, kind)}, ${signed(hi, kind)}]`,
        String(r.pairs ?? "–"),
        verdict(r),
      ];
    }),
    numeric: [...keys.map((_, i) => i), keys.length + 3, keys.length + 4, keys.length + 5, keys.length + 7],
  };
  const clear = rows.filter((r) => verdict(r) !== "no clear difference").length;
  return {
    id: "paired",
    title: `Policies against ${baseline} (paired)`,
    intro:
      `Every policy sees the same arrivals in a replication (common random numbers), so its per-replication difference from ${baseline} ` +
      `cancels most of the noise: ${clear} of ${rows.length} differences are clear.`,
    notes: rows.length > shown.length ? [`The first ${shown.length} of ${rows.length} rows; paired.csv has them all.`] : [],
    tables: [spec],
    charts: [],
  };
}
