/**
 * The median of a distribution spec, in closed form where there is one; for gamma and Erlang, by
 * bisection on the regularized incomplete gamma function (Numerical Recipes' gammp: series below
 * a + 1, Lentz's continued fraction above). Validation uses it to spot a timeout that most
 * requests would hit; it is not on any hot path.
 */
import { gammaln } from "simple-statistics";
import { standardNormalCdf, standardNormalQuantile, type DistributionSpec } from "./distributions.js";

/** P(a, x) = γ(a, x) / Γ(a), the gamma CDF at x for shape a and scale 1. */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPrefix = a * Math.log(x) - x - gammaln(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return sum * Math.exp(lnPrefix);
  }
  // Q(a, x) by the continued fraction; P = 1 - Q.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return 1 - Math.exp(lnPrefix) * h;
}

/** The median of Gamma(shape, scale): P(shape, m / scale) = 1/2, by bisection. */
function gammaMedian(shape: number, scale: number): number {
  let lo = 0;
  let hi = Math.max(1, shape) * 2;
  while (regularizedGammaP(shape, hi) < 0.5) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (regularizedGammaP(shape, mid) < 0.5) lo = mid;
    else hi = mid;
  }
  return ((lo + hi) / 2) * scale;
}

/** The median of the variate a spec describes, seconds (the lower middle value for an even-sized empirical list). */
export function medianOf(spec: DistributionSpec): number {
  switch (spec.type) {
    case "constant":
      return spec.value;
    case "uniform":
      return (spec.min + spec.max) / 2;
    case "exponential":
      return spec.mean * Math.LN2;
    case "normal": {
      // Truncated at 0: Φ((m - μ)/σ) = (1 + Φ(-μ/σ)) / 2.
      const p0 = standardNormalCdf(-spec.mean / spec.stddev);
      return spec.mean + spec.stddev * standardNormalQuantile((1 + p0) / 2);
    }
    case "lognormal":
      return Math.exp(spec.mu);
    case "erlang":
      return gammaMedian(spec.k, spec.mean / spec.k);
    case "gamma":
      return gammaMedian(spec.shape, spec.scale);
    case "pareto":
      return spec.scale * 2 ** (1 / spec.shape);
    case "empirical": {
      const sorted = [...spec.values].sort((a, b) => a - b);
      return sorted[Math.floor((sorted.length - 1) / 2)];
    }
  }
}
