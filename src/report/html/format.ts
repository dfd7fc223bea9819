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

/**
 * `v` with `digits` decimals and thousands separators, exactly as
 * `new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v)`
 * writes it (ICU rounds the shortest decimal text of the double, half away from zero, and keeps the
 * sign of a negative zero), without ICU: its first formatter costs ~10 ms of loading, and more
 * for each number of decimals, about as much as building the rest of the page.
 */
export function fixed(v: number, digits: number): string {
  const negative = v < 0 || Object.is(v, -0);
  // The shortest decimal digits of |v| (no leading zeros but for 0 itself) and how many of them
  // come before the decimal point (0 or less: after it, behind zeros).
  const text = String(Math.abs(v));
  const e = text.indexOf("e");
  const mantissa = e < 0 ? text : text.slice(0, e);
  const dot = mantissa.indexOf(".");
  let all = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  let point = (dot < 0 ? mantissa.length : dot) + (e < 0 ? 0 : Number(text.slice(e + 1)));
  const zeros = all.length - all.replace(/^0+(?=\d)/, "").length;
  all = all.slice(zeros);
  point -= zeros;
  // Round half away from zero at `digits` decimals.
  const keep = point + digits;
  let kept = keep <= 0 ? "" : all.slice(0, keep);
  if (keep >= 0 && keep < all.length && all.charCodeAt(keep) >= 0x35) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === "9") i--;
    kept = i < 0 ? `1${"0".repeat(kept.length)}` : kept.slice(0, i) + String.fromCharCode(kept.charCodeAt(i) + 1) + "0".repeat(kept.length - i - 1);
    if (i < 0) point++;
  }
  // The digits from the first of the whole part to the last decimal.
  const before = Math.max(point, 0);
  const full = (point < 0 ? "0".repeat(-point) + kept : kept).padEnd(before + digits, "0").slice(0, before + digits);
  const whole = full.slice(0, before) || "0";
  const decimals = full.slice(before);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${digits > 0 ? `.${decimals}` : ""}`;
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
