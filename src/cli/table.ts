/** The short summary table printed to the terminal after a run (the CSVs hold everything). */
import type { Row } from "../report/columns.js";
import { DROP_COLUMNS } from "../report/rows.js";

/** The terminal's heading of each drop column of summary.csv: every outcome has one. */
const DROP_HEADINGS: Record<(typeof DROP_COLUMNS)[number], string> = {
  dropped_refused: "refused",
  dropped_reset: "reset",
  dropped_overload: "overload",
  dropped_timeout: "timeout",
  dropped_no_endpoints: "no-endp",
  dropped_unreachable: "unreach",
};

const pct = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : "-");
const num = (x: unknown, digits = 1) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "-");

export function summaryTable(rows: readonly Row[]): string {
  const header = ["policy", "rep", "service", "requests", "dropped", "drop %", ...DROP_COLUMNS.map((c) => DROP_HEADINGS[c]), "p50 ms", "p99 ms", "load CV", "max/mean"];
  const body = rows.map((r) => [
    String(r.policy),
    String(r.replication),
    String(r.service),
    String(r.requests),
    String(r.dropped),
    pct(r.drop_rate),
    ...DROP_COLUMNS.map((c) => String(r[c])),
    num(r.latency_p50_ms),
    num(r.latency_p99_ms),
    num(r.load_cv, 3),
    num(r.load_max_over_mean, 3),
  ]);
  return renderTable(header, body, 3);
}

/**
 * The per-rollout table printed after a single run's summary when the scenario rolls something:
 * each rollout's duration and the success rate of the requests sent meanwhile, against the 95 %
 * the Kubernetes e2e LoadBalancer rolling-update test requires (rollouts.csv holds every column).
 */
export function rolloutsTable(csvRows: readonly Readonly<Record<string, unknown>>[]): string {
  // Grouped by run and Service (the CSV lists rollouts as they started).
  const first = (key: string) => {
    const seen = new Map<unknown, number>();
    for (const r of csvRows) if (!seen.has(r[key])) seen.set(r[key], seen.size);
    return (r: Readonly<Record<string, unknown>>) => seen.get(r[key])!;
  };
  const policy = first("policy");
  const service = first("service");
  const rows = [...csvRows].sort((a, b) => policy(a) - policy(b) || Number(a.replication) - Number(b.replication) || service(a) - service(b) || Number(a.rollout) - Number(b.rollout));
  const header = ["policy", "rep", "service", "owner", "rollout", "version", "start s", "duration s", "requests", "failed", "success", ">= 95%"];
  const body = rows.map((r) => [
    String(r.policy),
    String(r.replication),
    String(r.service),
    String(r.owner),
    String(r.rollout),
    String(r.version),
    num(r.started_s),
    num(r.duration_s),
    String(r.requests),
    String(r.failed),
    pct(r.success_rate),
    r.meets_e2e_threshold === 1 ? "yes" : r.meets_e2e_threshold === 0 ? "NO" : "-",
  ]);
  return renderTable(header, body, 6);
}

/** Aligned columns under a header and a dashed rule: the first `left` columns left-aligned (names), the rest right-aligned (numbers). */
function renderTable(header: string[], body: string[][], left: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

const pm = (r: Row, metric: string, fmt: (x: unknown) => string) => {
  const mean = r[`${metric}_mean`];
  const lo = r[`${metric}_ci_low`];
  const hi = r[`${metric}_ci_high`];
  const half = typeof lo === "number" && typeof hi === "number" && Number.isFinite(lo) && Number.isFinite(hi) ? (hi - lo) / 2 : NaN;
  return Number.isFinite(half) ? `${fmt(mean)} ± ${fmt(half)}` : fmt(mean);
};

/**
 * The aggregate table: per point, policy and Service, `mean ± half-width` of the confidence
 * interval (just the mean for one replication). Setting columns are headed by the path's last part.
 */
export function aggregateTable(rows: readonly Row[], settingColumns: readonly string[], showPoint: boolean): string {
  const short = (c: string) => c.replace(/^.*[.\]]/, "") || c;
  const showStop = rows.some((r) => r.stop_reason !== "fixed");
  const header = [
    ...(showPoint ? ["point"] : []),
    ...settingColumns.map(short),
    "policy",
    "service",
    "reps",
    ...(showStop ? ["stopped"] : []),
    "drop %",
    "dropped",
    "p50 ms",
    "p99 ms",
    "load CV",
    "max/mean",
  ];
  const left = (showPoint ? 1 : 0) + settingColumns.length + 2; // the key columns are left-aligned
  const body = rows.map((r) => [
    ...(showPoint ? [String(r.point)] : []),
    ...settingColumns.map((c) => String(r[c] ?? "")),
    String(r.policy),
    String(r.service),
    String(r.replications),
    ...(showStop ? [String(r.stop_reason)] : []),
    pm(r, "drop_rate", pct),
    pm(r, "dropped", (x) => num(x, 1)),
    pm(r, "latency_p50_ms", (x) => num(x, 1)),
    pm(r, "latency_p99_ms", (x) => num(x, 1)),
    pm(r, "load_cv", (x) => num(x, 3)),
    pm(r, "load_max_over_mean", (x) => num(x, 3)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
