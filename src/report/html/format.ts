/**
 * Numbers as the report's tables show them (the CSVs keep full precision): counts with thousands
 * separators, rates as percentages, milliseconds to one decimal, ratios to three; `mean ± half-width`
 * when there are replications; a dash for a value that does not exist.
 */
import type { Estimate } from "./replications.js";

export type Kind = "count" | "rate" | "ms" | "ratio" | "s" | "rps" | "plain";

const DASH = "–";

function digitsFor(kind: Kind): number {
  switch (kind) {
    case "count":
      return 0;
    case "ms":
    case "rps":
    case "s":
      return 1;
    case "ratio":
      return 3;
    default:
      return 3;
  }
}

/** One formatter per number of decimals: `toLocaleString` with options builds a new one on every call (~0.1 ms each). */
const FORMATTERS = new Map<number, Intl.NumberFormat>();

function fixed(v: number, digits: number): string {
  let f = FORMATTERS.get(digits);
  if (f === undefined) FORMATTERS.set(digits, (f = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f.format(v);
}

/** Percent with three significant digits but at least two decimals below 1%. */
function percent(v: number): string {
  const p = v * 100;
  if (p === 0) return "0%";
  const digits = Math.abs(p) >= 10 ? 1 : Math.abs(p) >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(Math.abs(p))));
  return `${fixed(p, digits)}%`;
}

export function formatValue(v: number | null | undefined, kind: Kind): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (kind === "rate") return percent(v);
  if (kind === "plain") return String(v);
  // A count averaged over replications is no longer whole: show one decimal then.
  if (kind === "count" && !Number.isInteger(v)) return fixed(v, 1);
  return fixed(v, digitsFor(kind));
}

/** `mean ± half-width` (the half-width of the 95% interval), or just the value with one replication. */
export function formatEstimate(e: Estimate, kind: Kind): string {
  if (!Number.isFinite(e.halfWidth)) return formatValue(e.mean, kind);
  if (kind === "rate") return `${percent(e.mean)} ± ${percent(e.halfWidth)}`;
  const hw = kind === "count" ? fixed(e.halfWidth, e.halfWidth < 10 ? 1 : 0) : formatValue(e.halfWidth, kind);
  return `${formatValue(e.mean, kind)} ± ${hw}`;
}

/** Seconds as the report's prose writes them: `60 s`, `1.5 s`, `250 ms`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  if (s !== 0 && Math.abs(s) < 1) return `${Number((s * 1000).toPrecision(4))} ms`;
  return `${Number(s.toPrecision(6))} s`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** How a summary.csv metric is shown: drop rates as percentages, `_ms` in ms, drop counts, ratios. */
export function metricKind(metric: string): Kind {
  if (metric === "drop_rate") return "rate";
  if (metric.endsWith("_ms")) return "ms";
  if (metric === "dropped" || metric.startsWith("dropped_")) return "count";
  return "ratio";
}

/**
 * A difference with its sign (`+1.2`, `−0.4`, a true minus sign). Small differences keep two
 * significant digits (`−0.00034`), so a real difference never reads as `−0.000`.
 */
export function signed(v: number | null, kind: Kind): string {
  if (v === null || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  const fixedDigits = kind === "ratio" ? 3 : kind === "count" || kind === "ms" ? 1 : 0;
  const text = kind !== "rate" && a > 0 && a < 10 ** -fixedDigits * 10 ? String(Number(a.toPrecision(2))) : formatValue(a, kind);
  return v > 0 ? `+${text}` : v < 0 ? `−${text}` : text;
}

/** A swept path's last two fields, for table headings: `deployments[0].pod.preStop` -> `pod.preStop`. */
export const pathHeading = (path: string) => path.split(".").slice(-2).join(".");
