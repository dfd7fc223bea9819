/** The short summary table printed to the terminal after a run (the CSVs hold everything). */
import type { Row } from "../report/columns.js";

const pct = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : "-");
const num = (x: unknown, digits = 1) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "-");

export function summaryTable(rows: readonly Row[]): string {
  const header = ["policy", "rep", "service", "requests", "dropped", "drop %", "refused", "reset", "overload", "timeout", "no-endp", "p50 ms", "p99 ms", "load CV", "max/mean"];
  const body = rows.map((r) => [
    String(r.policy),
    String(r.replication),
    String(r.service),
    String(r.requests),
    String(r.dropped),
    pct(r.drop_rate),
    String(r.dropped_refused),
    String(r.dropped_reset),
    String(r.dropped_overload),
    String(r.dropped_timeout),
    String(r.dropped_no_endpoints),
    num(r.latency_p50_ms),
    num(r.latency_p99_ms),
    num(r.load_cv, 3),
    num(r.load_max_over_mean, 3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
