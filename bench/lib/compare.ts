/**
 * Comparing two benchmark reports figure by figure. The noise of a figure is the larger of its two
 * runs' spreads (each run's samples, middle 80 %, relative to its median); a change is flagged
 * when the ratio of the medians moves further from 1 than that noise, so a flag means "outside
 * what the runs themselves varied by", not a statistical test. Ratios are b / a for every figure,
 * and "better"/"worse" reads the figure's direction.
 */
import type { Figure } from "./figures.js";
import { worsening } from "./figures.js";
import type { BenchReport } from "./report.js";

export interface Comparison {
  id: string;
  unit: string;
  a: Figure | undefined;
  b: Figure | undefined;
  /** b.median / a.median; NaN when either is missing or skipped. */
  ratio: number;
  /** The larger spread of the two, as a fraction. */
  noise: number;
  verdict: "better" | "worse" | "same" | "only in a" | "only in b" | "skipped";
}

export function compareReports(a: BenchReport, b: BenchReport): Comparison[] {
  const ids = [...new Set([...a.figures.map((f) => f.id), ...b.figures.map((f) => f.id)])];
  const byId = (r: BenchReport) => new Map(r.figures.map((f) => [f.id, f]));
  const fa = byId(a);
  const fb = byId(b);
  return ids.map((id) => {
    const x = fa.get(id);
    const y = fb.get(id);
    const unit = (x ?? y)!.unit;
    if (x === undefined || y === undefined) return { id, unit, a: x, b: y, ratio: NaN, noise: NaN, verdict: x === undefined ? "only in b" : "only in a" };
    if (x.skipped || y.skipped) return { id, unit, a: x, b: y, ratio: NaN, noise: NaN, verdict: "skipped" };
    const ratio = y.median / x.median;
    const noise = Math.max(x.spread_pct, y.spread_pct) / 100;
    const worse = worsening(x.better, x.median, y.median);
    const verdict = Math.abs(ratio - 1) <= noise ? "same" : worse > 1 ? "worse" : "better";
    return { id, unit, a: x, b: y, ratio, noise, verdict };
  });
}

/** The comparison as a table for the terminal. */
export function formatComparison(rows: readonly Comparison[], a: BenchReport, b: BenchReport): string {
  const fmt = (f: Figure | undefined) => (f === undefined || f.skipped ? "-" : f.median >= 100 ? Math.round(f.median).toLocaleString("en") : f.median.toPrecision(3));
  const head = (r: BenchReport) => `${r.machine.commit} ${r.started}${r.quick ? " quick" : ""} (load ${r.machine.load_start}-${r.machine.load_end})`;
  const table = [
    ["figure", "unit", "a", "b", "b/a", "noise", ""],
    ...rows.map((c) => [
      c.id,
      c.unit,
      fmt(c.a),
      fmt(c.b),
      Number.isNaN(c.ratio) ? "" : c.ratio.toFixed(3),
      Number.isNaN(c.noise) ? "" : `±${(100 * c.noise).toFixed(1)}%`,
      c.verdict === "same" ? "" : c.verdict === "better" || c.verdict === "worse" ? `<< ${c.verdict}` : c.verdict,
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const lines = table.map((r) => r.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd());
  return [`a: ${head(a)}`, `b: ${head(b)}`, "", ...lines].join("\n");
}
