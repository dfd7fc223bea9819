/**
 * Statistics across replications for the report: the mean of a figure over the replications and
 * its Student-t confidence interval (the same interval as src/stats/summary.ts, with the t quantile
 * cached per sample size, since a time series asks for it once per interval and series).
 */
import { studentTQuantile } from "../../stats/summary.js";
import type { ReportsFolder } from "../folder.js";

export const CONFIDENCE = 0.95;

/** By level, by n. */
const tCache = new Map<number, Map<number, number>>();

/** t((1 + level) / 2; n - 1): the multiplier of the standard error for a two-sided interval. */
function tMultiplier(n: number, level: number): number {
  let byN = tCache.get(level);
  if (byN === undefined) tCache.set(level, (byN = new Map()));
  let t = byN.get(n);
  if (t === undefined) {
    t = studentTQuantile((1 + level) / 2, n - 1);
    byN.set(n, t);
  }
  return t;
}

export interface Estimate {
  mean: number;
  /** Half-width of the interval; NaN with fewer than two values. */
  halfWidth: number;
  n: number;
}

/** Mean and interval half-width (95% unless `level` says otherwise) of the finite values (the others are left out). */
export function estimate(values: readonly (number | null)[], level = CONFIDENCE): Estimate {
  let n = 0;
  let sum = 0;
  for (const v of values) {
    if (v !== null && Number.isFinite(v)) {
      n++;
      sum += v;
    }
  }
  if (n === 0) return { mean: NaN, halfWidth: NaN, n };
  const mean = sum / n;
  if (n < 2) return { mean, halfWidth: NaN, n };
  let ss = 0;
  for (const v of values) if (v !== null && Number.isFinite(v)) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return { mean, halfWidth: (tMultiplier(n, level) * sd) / Math.sqrt(n), n };
}

/** The confidence level a folder's intervals were asked at: run.json's, aggregate.csv's, or 95%. */
export function confidenceOf(folder: ReportsFolder): number {
  const fromRun = folder.run?.confidence;
  if (typeof fromRun === "number" && fromRun > 0 && fromRun < 1) return fromRun;
  const fromAggregate = folder.tables.get("aggregate.csv")?.rows[0]?.confidence;
  return typeof fromAggregate === "number" && fromAggregate > 0 && fromAggregate < 1 ? fromAggregate : CONFIDENCE;
}
