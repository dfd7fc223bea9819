/**
 * Intervals for differences between configurations: the paired-t interval for runs that share
 * their random numbers, and Welch's interval for independent samples of unequal variance.
 * Sources: Law, Simulation Modeling and Analysis (5th ed.), 10.2.1 (paired-t) and 10.2.2 (Welch).
 */
import { mean, sampleVariance } from "simple-statistics";
import { meanConfidenceInterval, studentTQuantile, type MeanInterval } from "./summary.js";

/** The mean, sample standard deviation and two-sided t interval of the values that exist (finite ones). */
export interface Estimate extends MeanInterval {
  /** Sample standard deviation (n - 1 in the denominator); NaN for fewer than 2 values. */
  sd: number;
}

/**
 * Mean, sample standard deviation and Student-t interval of the finite values of `xs` (NaN and
 * Infinity are values that do not exist, such as the latency of a run that answered nothing).
 * Fewer than two values give a NaN spread and interval.
 */
export function estimate(xs: readonly number[], level = 0.95): Estimate {
  const finite = xs.filter(Number.isFinite);
  const ci = meanConfidenceInterval(finite, level);
  return { ...ci, sd: finite.length < 2 ? NaN : Math.sqrt(sampleVariance(finite)) };
}

/**
 * Paired-t interval for E[b - a] when a[i] and b[i] come from the same replication (common random
 * numbers): the t interval of the n differences. The positive correlation that common random
 * numbers create between a[i] and b[i] cancels in the differences, so this interval is narrower
 * than Welch's on the same data. Pairs where either value does not exist are left out.
 */
export function pairedInterval(a: readonly number[], b: readonly number[], level = 0.95): Estimate {
  if (a.length !== b.length) throw new RangeError(`pairedInterval: ${a.length} values against ${b.length}; pairs need equal lengths`);
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) diffs.push(b[i] - a[i]);
  return estimate(diffs, level);
}

/** Welch's interval for E[b] - E[a] from independent samples; `df` is the Welch–Satterthwaite degrees of freedom. */
export interface WelchInterval extends MeanInterval {
  df: number;
}

/**
 * Welch's two-sided interval for the difference of means of two independent samples whose
 * variances may differ: (mean b - mean a) ± t((1+level)/2; df) sqrt(va/na + vb/nb), with df from
 * Welch–Satterthwaite. Non-finite values are left out; fewer than two on either side gives a NaN
 * interval (the difference of means is still given). When both variances are 0 the interval is the
 * point itself.
 */
export function welchInterval(a: readonly number[], b: readonly number[], level = 0.95): WelchInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`welchInterval: level must be in (0, 1), got ${level}`);
  const xa = a.filter(Number.isFinite);
  const xb = b.filter(Number.isFinite);
  const diff = xa.length && xb.length ? mean(xb) - mean(xa) : NaN;
  const n = Math.min(xa.length, xb.length);
  if (xa.length < 2 || xb.length < 2) return { mean: diff, halfWidth: NaN, lower: NaN, upper: NaN, n, df: NaN };
  const sa = sampleVariance(xa) / xa.length;
  const sb = sampleVariance(xb) / xb.length;
  const se2 = sa + sb;
  if (se2 === 0) return { mean: diff, halfWidth: 0, lower: diff, upper: diff, n, df: Infinity };
  const df = (se2 * se2) / ((sa * sa) / (xa.length - 1) + (sb * sb) / (xb.length - 1));
  const halfWidth = studentTQuantile((1 + level) / 2, df) * Math.sqrt(se2);
  return { mean: diff, halfWidth, lower: diff - halfWidth, upper: diff + halfWidth, n, df };
}

/** 1 when the interval lies wholly above or below 0, 0 when it contains 0, NaN when there is no interval. */
export function excludesZero(ci: Pick<MeanInterval, "lower" | "upper">): number {
  if (!Number.isFinite(ci.lower) || !Number.isFinite(ci.upper)) return NaN;
  return ci.lower > 0 || ci.upper < 0 ? 1 : 0;
}
