/**
 * Random variates from small declarative specs ("20ms", {type: lognormal, median: 20ms, p99: 200ms}),
 * validated and normalized by zod (distribution-schema.ts), then sampled on the simulator's hot path. Source of truth for the
 * formulas: Johnson, Kotz & Balakrishnan's tables of moments; Acklam (2003) for the normal quantile;
 * Marsaglia & Tsang (2000) for gamma variates.
 *
 * Every distribution here is of a non-negative quantity (they model latencies and gaps), which is
 * why durations are accepted wherever a parameter has the dimension of the variate, and why the
 * normal is truncated at 0.
 */
import type { Uniform } from "./streams.js";
import { formatDuration } from "./units.js";

// ---------------------------------------------------------------------------------------------
// Normalized specs: plain JSON data, all numbers, durations in seconds. They are what run.json
// records and what crosses worker threads, and each is also a valid input spec (parsing one again
// returns it unchanged), so a recorded run can be replayed from its own record.
// ---------------------------------------------------------------------------------------------

/** Always `value`. */
export interface ConstantSpec {
  type: "constant";
  value: number;
}
/** Uniform on [min, max). */
export interface UniformSpec {
  type: "uniform";
  min: number;
  max: number;
}
/** Exponential with the given mean (a rate in the input becomes mean = 1/rate). */
export interface ExponentialSpec {
  type: "exponential";
  mean: number;
}
/**
 * Normal(mean, stddev) truncated to [0, ∞). `mean` and `stddev` are the parameters of the parent
 * normal, as the user wrote them; the variate's own mean is larger (see Distribution.mean).
 */
export interface NormalSpec {
  type: "normal";
  mean: number;
  stddev: number;
}
/**
 * exp(Normal(mu, sigma)), mu in log-seconds. The input's median/p99 form is stored as mu/sigma
 * (median = e^mu, p99 = e^(mu + 2.326 sigma)), so one form needs one code path.
 */
export interface LognormalSpec {
  type: "lognormal";
  mu: number;
  sigma: number;
}
/** Sum of k exponentials, k an integer, with the given overall mean. */
export interface ErlangSpec {
  type: "erlang";
  k: number;
  mean: number;
}
/** Gamma with shape k and scale θ (mean kθ); an input mean becomes scale = mean / shape. */
export interface GammaSpec {
  type: "gamma";
  shape: number;
  scale: number;
}
/** Pareto type I: P(X > x) = (scale / x)^shape for x >= scale. */
export interface ParetoSpec {
  type: "pareto";
  scale: number;
  shape: number;
}
/** One of `values`, each equally likely (a resample of measured data). */
export interface EmpiricalSpec {
  type: "empirical";
  values: number[];
}

/** A validated, normalized distribution spec: what `distributionSchema` outputs. */
export type DistributionSpec =
  | ConstantSpec
  | UniformSpec
  | ExponentialSpec
  | NormalSpec
  | LognormalSpec
  | ErlangSpec
  | GammaSpec
  | ParetoSpec
  | EmpiricalSpec;

export type DistributionType = DistributionSpec["type"];

/** A sampler built from a spec. */
export interface Distribution {
  /** Draws one variate, consuming uniforms from `u` (how many is documented on each class). */
  sample(u: Uniform): number;
  /**
   * Where a draw is one uniform through a non-decreasing function (inversion): that function, so
   * `sample(u)` is `quantile(u.random())` and a caller may look at the uniform before the variate.
   * Absent where a draw takes no uniform or several, or maps it otherwise (empirical: list order).
   */
  quantile?(p: number): number;
  /** The variate's true mean; Infinity where it diverges. */
  readonly mean: number;
  /** The variate's true variance; Infinity where it diverges. */
  readonly variance: number;
  readonly spec: DistributionSpec;
}

/** A sampler that draws by inversion of one uniform (its `quantile` exists). */
export type InvertibleDistribution = Distribution & { quantile(p: number): number };

/** Whether `d` draws by inversion, so a caller may look at the uniform before the variate. */
export function isInvertible(d: Distribution): d is InvertibleDistribution {
  return d.quantile !== undefined;
}

// ---------------------------------------------------------------------------------------------
// The standard normal
// ---------------------------------------------------------------------------------------------

/** Φ⁻¹(0.99): the number of sigmas between a lognormal's median and its p99, in log space. */
export const Z99 = 2.3263478740408408;

// Acklam's rational approximation coefficients (central region a/b, tails c/d).
const A1 = -3.969683028665376e1, A2 = 2.209460984245205e2, A3 = -2.759285104469687e2;
const A4 = 1.38357751867269e2, A5 = -3.066479806614716e1, A6 = 2.506628277459239;
const B1 = -5.447609879822406e1, B2 = 1.615858368580409e2, B3 = -1.556989798598866e2;
const B4 = 6.680131188771972e1, B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3, C2 = -3.223964580411365e-1, C3 = -2.400758277161838;
const C4 = -2.549732539343734, C5 = 4.374664141464968, C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3, D2 = 3.224671290700398e-1, D3 = 2.445134137142996;
const D4 = 3.754408661907416;
const P_LOW = 0.02425;

/**
 * Φ⁻¹(p) by Acklam's algorithm (relative error < 1.15e-9). Preferred over Box–Muller because it
 * turns exactly one uniform into one normal, so draw counts stay fixed and common random numbers
 * stay aligned across runs. Returns -Infinity at p = 0.
 */
export function standardNormalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  }
  if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) /
      (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
}

/**
 * erfc(z) for z >= 0 to near machine precision: the all-positive series for erf below 3 (no
 * cancellation), Laplace's continued fraction above (where 1 - erf would lose the digits).
 */
function erfcNonNegative(z: number): number {
  if (z < 3) {
    const twoZ2 = 2 * z * z;
    let term = z;
    let sum = z;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= twoZ2 / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum;
  }
  let f = z;
  for (let n = 60; n >= 1; n--) f = z + n / 2 / f;
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
}

/** Φ(x), the standard normal CDF, accurate in both tails. Not for hot paths (it loops). */
export function standardNormalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x < 0 ? 0.5 * erfcNonNegative(-x / Math.SQRT2) : 1 - 0.5 * erfcNonNegative(x / Math.SQRT2);
}

/** φ(x), the standard normal density. */
export function standardNormalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

// ---------------------------------------------------------------------------------------------
// Samplers. Each precomputes what it can so `sample` is arithmetic only: no allocation.
// ---------------------------------------------------------------------------------------------

/** Consumes no uniforms. */
export class ConstantDistribution implements Distribution {
  readonly mean: number;
  readonly variance = 0;
  private readonly value: number;
  constructor(readonly spec: ConstantSpec) {
    this.value = spec.value;
    this.mean = spec.value;
  }
  sample(_u: Uniform): number {
    return this.value;
  }
}

/** Consumes 1 uniform. */
export class UniformDistribution implements Distribution {
  readonly mean: number;
  readonly variance: number;
  private readonly min: number;
  private readonly width: number;
  constructor(readonly spec: UniformSpec) {
    this.min = spec.min;
    this.width = spec.max - spec.min;
    this.mean = (spec.min + spec.max) / 2;
    this.variance = (this.width * this.width) / 12;
  }
  sample(u: Uniform): number {
    return this.quantile(u.random());
  }
  quantile(p: number): number {
    return this.min + this.width * p;
  }
}

/** Consumes 1 uniform (inversion, the same transform as RandomStream.exponential). */
export class ExponentialDistribution implements Distribution {
  readonly mean: number;
  readonly variance: number;
  constructor(readonly spec: ExponentialSpec) {
    this.mean = spec.mean;
    this.variance = spec.mean * spec.mean;
  }
  sample(u: Uniform): number {
    return this.quantile(u.random());
  }
  quantile(p: number): number {
    // 1 - p is in (0, 1], so the log is finite.
    return -this.mean * Math.log(1 - p);
  }
}

/**
 * Consumes 1 uniform: inversion on the truncated range, with α = -mean/stddev. Unlike resampling,
 * this never loops and keeps one draw per sample. Because mean >= 0, at most half the parent's mass
 * is cut off, so the inversion stays well conditioned.
 */
export class TruncatedNormalDistribution implements Distribution {
  readonly mean: number;
  readonly variance: number;
  private readonly mu: number;
  private readonly sigma: number;
  /** 1 - Φ(α): the probability mass the truncation keeps. */
  private readonly kept: number;
  constructor(readonly spec: NormalSpec) {
    this.mu = spec.mean;
    this.sigma = spec.stddev;
    const alpha = -spec.mean / spec.stddev;
    // At least half the mass is kept (mean >= 0), so this needs only absolute precision.
    this.kept = standardNormalCdf(-alpha);
    // Moments of a normal truncated below at α (Johnson, Kotz & Balakrishnan 13.134): with the
    // inverse Mills ratio λ = φ(α)/(1 - Φ(α)), mean = μ + σλ and variance = σ²(1 + αλ - λ²).
    const lambda = standardNormalPdf(alpha) / this.kept;
    this.mean = spec.mean + spec.stddev * lambda;
    this.variance = spec.stddev * spec.stddev * (1 + alpha * lambda - lambda * lambda);
  }
  sample(u: Uniform): number {
    return this.quantile(u.random());
  }
  quantile(p: number): number {
    // Inverting the upper-tail probability, kept·(1 - p), rather than Φ(α) + kept·p: the sum would
    // round to 1 (and give Infinity) for p near 1, and the product keeps full relative precision in
    // the tail, which is where latency percentiles live. p = 0 maps to the cut, i.e. to 0.
    const x = this.mu - this.sigma * standardNormalQuantile(this.kept * (1 - p));
    // Rounding at the cut can land a hair below 0; clamp rather than return a negative duration.
    return x > 0 ? x : 0;
  }
}

/** Consumes 1 uniform. */
export class LognormalDistribution implements Distribution {
  readonly mean: number;
  readonly variance: number;
  private readonly mu: number;
  private readonly sigma: number;
  constructor(readonly spec: LognormalSpec) {
    this.mu = spec.mu;
    this.sigma = spec.sigma;
    const s2 = spec.sigma * spec.sigma;
    this.mean = Math.exp(spec.mu + s2 / 2);
    // expm1 keeps precision when sigma is small.
    this.variance = Math.expm1(s2) * Math.exp(2 * spec.mu + s2);
  }
  sample(u: Uniform): number {
    return this.quantile(u.random());
  }
  quantile(p: number): number {
    return Math.exp(this.mu + this.sigma * standardNormalQuantile(p));
  }
}

/**
 * Consumes exactly k uniforms: -θ·ln(Π(1 - uᵢ)), one logarithm per ~640 factors rather than k. A fixed count
 * (unlike a gamma rejection sampler) keeps common random numbers aligned.
 */
export class ErlangDistribution implements Distribution {
  readonly mean: number;
  readonly variance: number;
  private readonly k: number;
  private readonly theta: number;
  constructor(readonly spec: ErlangSpec) {
    this.k = spec.k;
    this.theta = spec.mean / spec.k;
    this.mean = spec.mean;
    this.variance = spec.k * this.theta * this.theta;
  }
  sample(u: Uniform): number {
    let logSum = 0;
    let product = 1;
    for (let i = 0; i < this.k; i++) {
      product *= 1 - u.random();
      // The product shrinks like e^-k; fold it into the log before it underflows.
      if (product < 1e-280) {
        logSum += Math.log(product);
        product = 1;
      }
    }
    return -this.theta * (logSum + Math.log(product));
  }
}

/**
 * Marsaglia & Tsang's squeeze-rejection method. Each attempt consumes 2 uniforms (1 if the normal
 * draw is rejected outright); acceptance is above 95% for every shape, so about 2.1 on average.
 * Shape < 1 samples shape + 1 and multiplies by U^(1/shape), consuming 1 more uniform. The count
 * varies, so prefer erlang where common random numbers matter and the shape is an integer.
 */
export class GammaDistribution implements Distribution {
  readonly mean: number;
  readonly variance: number;
  private readonly scale: number;
  private readonly d: number;
  private readonly c: number;
  /** 1/shape when shape < 1 (the boost exponent), else 0. */
  private readonly boost: number;
  constructor(readonly spec: GammaSpec) {
    const { shape, scale } = spec;
    this.scale = scale;
    this.boost = shape < 1 ? 1 / shape : 0;
    this.d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
    this.c = 1 / Math.sqrt(9 * this.d);
    this.mean = shape * scale;
    this.variance = shape * scale * scale;
  }
  sample(u: Uniform): number {
    const d = this.d;
    for (;;) {
      const x = standardNormalQuantile(u.random());
      let v = 1 + this.c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const w = u.random();
      const x2 = x * x;
      if (w < 1 - 0.0331 * x2 * x2 || Math.log(w) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        const g = d * v * this.scale;
        return this.boost === 0 ? g : g * Math.pow(1 - u.random(), this.boost);
      }
    }
  }
}

/** Consumes 1 uniform: scale · (1 - u)^(-1/shape). */
export class ParetoDistribution implements Distribution {
  readonly mean: number;
  readonly variance: number;
  private readonly scale: number;
  private readonly negInvShape: number;
  constructor(readonly spec: ParetoSpec) {
    const { scale, shape } = spec;
    this.scale = scale;
    this.negInvShape = -1 / shape;
    // The moments diverge rather than fail: a heavy tail is a legitimate thing to simulate.
    this.mean = shape > 1 ? (shape * scale) / (shape - 1) : Infinity;
    this.variance = shape > 2 ? (scale * scale * shape) / ((shape - 1) * (shape - 1) * (shape - 2)) : Infinity;
  }
  sample(u: Uniform): number {
    return this.quantile(u.random());
  }
  quantile(p: number): number {
    return this.scale * Math.pow(1 - p, this.negInvShape);
  }
}

/** Consumes 1 uniform. Mean and variance are the list's own (population) moments. */
export class EmpiricalDistribution implements Distribution {
  readonly mean: number;
  readonly variance: number;
  private readonly values: Float64Array;
  constructor(readonly spec: EmpiricalSpec) {
    this.values = Float64Array.from(spec.values);
    const n = this.values.length;
    let sum = 0;
    for (const v of this.values) sum += v;
    this.mean = sum / n;
    let squares = 0;
    for (const v of this.values) squares += (v - this.mean) * (v - this.mean);
    this.variance = squares / n;
  }
  sample(u: Uniform): number {
    return this.values[Math.floor(u.random() * this.values.length)];
  }
}

/** A sampler for a normalized spec (validate input with `distributionSchema` first). */
export function makeDistribution(spec: DistributionSpec): Distribution {
  switch (spec.type) {
    case "constant":
      return new ConstantDistribution(spec);
    case "uniform":
      return new UniformDistribution(spec);
    case "exponential":
      return new ExponentialDistribution(spec);
    case "normal":
      return new TruncatedNormalDistribution(spec);
    case "lognormal":
      return new LognormalDistribution(spec);
    case "erlang":
      return new ErlangDistribution(spec);
    case "gamma":
      return new GammaDistribution(spec);
    case "pareto":
      return new ParetoDistribution(spec);
    case "empirical":
      return new EmpiricalDistribution(spec);
    default: {
      const unknown: never = spec;
      throw new Error(`unknown distribution type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}

/** A short human description of a spec, e.g. "lognormal(median 20ms, p99 200ms)". */
export function describeDistribution(spec: DistributionSpec): string {
  const d = formatDuration;
  const n = (x: number) => String(Number(x.toPrecision(4)));
  switch (spec.type) {
    case "constant":
      return `constant(${d(spec.value)})`;
    case "uniform":
      return `uniform(min ${d(spec.min)}, max ${d(spec.max)})`;
    case "exponential":
      return `exponential(mean ${d(spec.mean)})`;
    case "normal":
      return `normal(mean ${d(spec.mean)}, stddev ${d(spec.stddev)}, truncated at 0)`;
    case "lognormal":
      return `lognormal(median ${d(Math.exp(spec.mu))}, p99 ${d(Math.exp(spec.mu + Z99 * spec.sigma))})`;
    case "erlang":
      return `erlang(k ${spec.k}, mean ${d(spec.mean)})`;
    case "gamma":
      return `gamma(shape ${n(spec.shape)}, scale ${d(spec.scale)})`;
    case "pareto":
      return `pareto(scale ${d(spec.scale)}, shape ${n(spec.shape)})`;
    case "empirical": {
      const count = spec.values.length;
      // A loop, not Math.min(...values): spreading a long measured list overflows the stack.
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of spec.values) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      return count === 1
        ? `empirical(1 value, ${d(lo)})`
        : `empirical(${count} values, ${d(lo)} to ${d(hi)})`;
    }
  }
}
