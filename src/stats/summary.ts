/**
 * Confidence intervals and tolerances for comparing simulated means with formulas.
 * Sources: Student's t via the regularized incomplete beta (Numerical Recipes 3e, 6.4 and 6.14);
 * normal quantile by Acklam's rational approximation (relative error < 1.15e-9).
 */
import { standardNormalQuantile } from "../random/distributions.js";
import { gammaln, mean, sampleStandardDeviation } from "simple-statistics";

/** A two-sided confidence interval for a mean. */
export interface MeanInterval {
  mean: number;
  halfWidth: number;
  lower: number;
  upper: number;
  n: number;
}

/**
 * Standard normal quantile Phi^-1(p) (Acklam's algorithm, relative error < 1.15e-9; shared with the
 * distributions, see standardNormalQuantile). Used instead of simple-statistics' probit, whose
 * closed-form inverse erf is only good to ~1e-3. Throws outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  return standardNormalQuantile(p);
}

/** Continued fraction for I_x(a, b) by the modified Lentz method (Numerical Recipes 3e, betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  let c = 1;
  let d = 1 - (qab * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  // Convergence takes O(sqrt(max(a, b))) steps, so the cap allows df up to ~1e8.
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    for (const aa of [(m * (b - m) * x) / ((a - 1 + m2) * (a + m2)), (-(a + m) * (qab + m) * x) / ((a + m2) * (a + 1 + m2))]) {
      d = 1 + aa * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b) / B(a, b) (Numerical Recipes 3e, 6.4):
 * the continued fraction converges fast for x < (a+1)/(a+b+2), otherwise use I_x(a,b) = 1 - I_{1-x}(b,a).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for t >= 0 and Student's t with df degrees of freedom: I_{df/(df+t^2)}(df/2, 1/2) / 2. */
function studentTUpperTail(t: number, df: number): number {
  return 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * Student's t quantile t(p; df): the exact inverse of the CDF, found by bracketing then bisecting
 * the upper tail (monotone in t), so it is accurate to ~1e-12 relative for any df > 0.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  // Solve on the upper tail of |p - 1/2| so tiny tail probabilities keep their precision.
  const target = p > 0.5 ? 1 - p : p;
  let lo = 0;
  let hi = 1;
  while (studentTUpperTail(hi, df) > target) hi *= 2;
  while (hi - lo > 1e-13 * hi) {
    const mid = 0.5 * (lo + hi);
    if (studentTUpperTail(mid, df) > target) lo = mid;
    else hi = mid;
  }
  const t = 0.5 * (lo + hi);
  return p > 0.5 ? t : -t;
}

/**
 * Two-sided confidence interval for the mean: xbar ± t((1+level)/2; n-1) s/sqrt(n), with s the
 * sample (n-1) standard deviation. Empty input gives NaN everywhere; n = 1 gives the mean and a NaN
 * half-width, since one observation says nothing about spread.
 */
export function meanConfidenceInterval(xs: readonly number[], level = 0.95): MeanInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`meanConfidenceInterval: level must be in (0, 1), got ${level}`);
  const n = xs.length;
  const m = n === 0 ? NaN : mean(xs as number[]);
  const halfWidth =
    n < 2 ? NaN : (studentTQuantile((1 + level) / 2, n - 1) * sampleStandardDeviation(xs as number[])) / Math.sqrt(n);
  return { mean: m, halfWidth, lower: m - halfWidth, upper: m + halfWidth, n };
}

/**
 * z * sqrt(variance / n): how far a sample mean of n independent draws may honestly stray from its
 * true value. With z = 4 a correct model fails with probability 2(1 - Phi(4)) ≈ 6.3e-5 per check,
 * so a test using it flakes almost never yet still catches errors of a few standard errors.
 */
export function sampleMeanTolerance(variance: number, n: number, z = 4): number {
  return z * Math.sqrt(variance / n);
}
