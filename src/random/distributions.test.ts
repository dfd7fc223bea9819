/**
 * Statistical tests for the distributions: sample moments against closed forms, with tolerances
 * derived from the sample size (4 standard errors), and quantiles against binomial order-statistic
 * bounds where the tail is too heavy for moments. Also the schema's errors and the draw counts.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type Distribution,
  type DistributionSpec,
  Z99,
  describeDistribution,
  makeDistribution,
  standardNormalCdf,
  standardNormalPdf,
  standardNormalQuantile,
} from "./distributions.js";
import { distributionSchema, parseDistribution } from "./distribution-schema.js";
import { RandomStream, type Uniform } from "./streams.js";

const N = 200_000;

function draw(dist: Distribution, n = N, seed: number | string = 1, name = "test"): Float64Array {
  const u = new RandomStream(seed, name);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = dist.sample(u);
  return xs;
}

function sampleMoments(xs: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  return { mean, variance: squares / (xs.length - 1) };
}

/** Central moments from raw moments m1..m4 (E[X], E[X²], E[X³], E[X⁴]). */
function central(m1: number, m2: number, m3: number, m4: number): { variance: number; mu4: number } {
  return { variance: m2 - m1 * m1, mu4: m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4 };
}

/**
 * The sample mean is within 4 standard errors, sqrt(var/n), of the true mean; the sample variance
 * within 4 of its own standard errors, sqrt((mu4 - var²)/n) (the large-n variance of s², valid when
 * the 4th moment is finite). Four standard errors fail by chance about once in 16,000 checks.
 */
function expectMoments(xs: Float64Array, mean: number, variance: number, mu4: number): void {
  const n = xs.length;
  const got = sampleMoments(xs);
  // The slack covers float rounding when the true spread is zero (a constant).
  const slack = 1e-12 * Math.max(1, Math.abs(mean));
  expect(Math.abs(got.mean - mean)).toBeLessThanOrEqual(4 * Math.sqrt(variance / n) + slack);
  expect(Math.abs(got.variance - variance)).toBeLessThanOrEqual(4 * Math.sqrt((mu4 - variance * variance) / n) + slack);
}

/**
 * The number of samples at or below the true p-quantile q is Binomial(n, p), so with probability
 * ~1 - 6e-5 the order statistics at n·p ∓ 4·sqrt(n·p·(1-p)) bracket q. Distribution-free, so it
 * holds however heavy the tail.
 */
function expectQuantile(sorted: Float64Array, p: number, q: number): void {
  const n = sorted.length;
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(n * p - 4 * sd));
  const hi = Math.min(n - 1, Math.ceil(n * p + 4 * sd));
  expect(sorted[lo]).toBeLessThanOrEqual(q);
  expect(sorted[hi]).toBeGreaterThanOrEqual(q);
}

function parse(input: unknown): DistributionSpec {
  return distributionSchema.parse(input);
}

/** Moments of Normal(mu, sigma) truncated below at 0, via the truncated standard normal's raw moments. */
function truncatedNormalMoments(mu: number, sigma: number): { mean: number; variance: number; mu4: number } {
  const alpha = -mu / sigma;
  const h = standardNormalPdf(alpha) / (1 - standardNormalCdf(alpha));
  // E[Z^k | Z > α] = (k-1)·E[Z^(k-2) | Z > α] + α^(k-1)·φ(α)/(1 - Φ(α)), by parts.
  const m = [1, h];
  for (let k = 2; k <= 4; k++) m[k] = (k - 1) * m[k - 2] + alpha ** (k - 1) * h;
  const { variance, mu4 } = central(m[1], m[2], m[3], m[4]);
  return { mean: mu + sigma * m[1], variance: sigma ** 2 * variance, mu4: sigma ** 4 * mu4 };
}

function lognormalMoments(mu: number, sigma: number): { mean: number; variance: number; mu4: number } {
  const raw = (k: number) => Math.exp(k * mu + (k * k * sigma * sigma) / 2);
  return { mean: raw(1), ...central(raw(1), raw(2), raw(3), raw(4)) };
}

/** Gamma(shape k, scale θ): variance kθ², excess kurtosis 6/k, so mu4 = 3k(k+2)θ⁴. */
function gammaMoments(k: number, theta: number): { mean: number; variance: number; mu4: number } {
  return { mean: k * theta, variance: k * theta * theta, mu4: 3 * k * (k + 2) * theta ** 4 };
}

function paretoMoments(scale: number, shape: number): { mean: number; variance: number; mu4: number } {
  const raw = (k: number) => (shape * scale ** k) / (shape - k);
  return { mean: raw(1), ...central(raw(1), raw(2), raw(3), raw(4)) };
}

const empiricalValues = [0.001, 0.002, 0.002, 0.01, 0.05];
const empiricalMean = empiricalValues.reduce((a, b) => a + b) / empiricalValues.length;

/** Specs whose first four moments are finite, with those moments worked out independently. */
const withMoments: Array<{ input: unknown; mean: number; variance: number; mu4: number }> = [
  { input: "20ms", mean: 0.02, variance: 0, mu4: 0 },
  { input: { type: "constant", value: 3 }, mean: 3, variance: 0, mu4: 0 },
  { input: { type: "uniform", min: "10ms", max: "50ms" }, mean: 0.03, variance: 0.04 ** 2 / 12, mu4: 0.04 ** 4 / 80 },
  { input: { type: "exponential", mean: "10ms" }, mean: 0.01, variance: 0.01 ** 2, mu4: 9 * 0.01 ** 4 },
  { input: { type: "exponential", rate: "50/s" }, mean: 0.02, variance: 0.02 ** 2, mu4: 9 * 0.02 ** 4 },
  { input: { type: "normal", mean: "50ms", stddev: "10ms" }, ...truncatedNormalMoments(0.05, 0.01) },
  { input: { type: "normal", mean: "10ms", stddev: "20ms" }, ...truncatedNormalMoments(0.01, 0.02) },
  // Half-normal: an independent closed form for the truncation, mean σ√(2/π), variance σ²(1 - 2/π).
  {
    input: { type: "normal", mean: 0, stddev: "10ms" },
    mean: 0.01 * Math.sqrt(2 / Math.PI),
    variance: 0.01 ** 2 * (1 - 2 / Math.PI),
    mu4: truncatedNormalMoments(0, 0.01).mu4,
  },
  // sigma = ln(10)/2.326 ≈ 0.99: kurtosis ≈ 110, heavy but every moment finite, so s² still works.
  { input: { type: "lognormal", median: "20ms", p99: "200ms" }, ...lognormalMoments(Math.log(0.02), Math.log(10) / Z99) },
  { input: { type: "lognormal", mu: -3, sigma: 0.25 }, ...lognormalMoments(-3, 0.25) },
  { input: { type: "erlang", k: 1, mean: "10ms" }, ...gammaMoments(1, 0.01) },
  { input: { type: "erlang", k: 3, mean: "30ms" }, ...gammaMoments(3, 0.01) },
  { input: { type: "gamma", shape: 0.5, scale: "20ms" }, ...gammaMoments(0.5, 0.02) },
  { input: { type: "gamma", shape: 2.5, mean: "50ms" }, ...gammaMoments(2.5, 0.02) },
  { input: { type: "gamma", shape: 9, scale: "1ms" }, ...gammaMoments(9, 0.001) },
  // alpha = 5 > 4, so mu4 is finite.
  { input: { type: "pareto", scale: "10ms", shape: 5 }, ...paretoMoments(0.01, 5) },
  {
    input: { type: "empirical", values: ["1ms", "2ms", "2ms", "10ms", "50ms"] },
    mean: empiricalMean,
    variance: empiricalValues.reduce((a, v) => a + (v - empiricalMean) ** 2, 0) / empiricalValues.length,
    mu4: empiricalValues.reduce((a, v) => a + (v - empiricalMean) ** 4, 0) / empiricalValues.length,
  },
];

describe("distributions with finite fourth moments", () => {
  it.each(withMoments)("$input: reported and sampled moments match the formulas", ({ input, mean, variance, mu4 }) => {
    const dist = makeDistribution(parse(input));
    expect(dist.mean).toBeCloseTo(mean, 12);
    expect(dist.variance / variance || 1).toBeCloseTo(1, 10);
    const xs = draw(dist);
    expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    expectMoments(xs, mean, variance, mu4);
  });

  it("erlang with k = 1000 survives the product underflowing", () => {
    // 1000 uniforms per sample, so fewer samples; the tolerance follows n.
    const dist = makeDistribution(parse({ type: "erlang", k: 1000, mean: "1s" }));
    const { mean, variance, mu4 } = gammaMoments(1000, 0.001);
    expectMoments(draw(dist, 20_000), mean, variance, mu4);
  });
});

describe("heavy tails: quantiles instead of moments", () => {
  it("lognormal {median, p99} has that median and p99", () => {
    const dist = makeDistribution(parse({ type: "lognormal", median: "20ms", p99: "200ms" }));
    const sorted = draw(dist).sort();
    expectQuantile(sorted, 0.5, 0.02);
    expectQuantile(sorted, 0.99, 0.2);
  });

  it("lognormal with sigma 2.5 matches its quantiles", () => {
    // Excess kurtosis is about e^25, so Var(s²) is astronomically large and s² is far from normal
    // at n = 2e5; quantiles are distribution-free and still sharp.
    const dist = makeDistribution(parse({ type: "lognormal", mu: 0, sigma: 2.5 }));
    expect(dist.mean).toBeCloseTo(Math.exp(2.5 ** 2 / 2), 9);
    const sorted = draw(dist).sort();
    for (const p of [0.01, 0.1, 0.5, 0.9, 0.99]) expectQuantile(sorted, p, Math.exp(2.5 * standardNormalQuantile(p)));
  });

  it("pareto with shape 3 has the right mean; its variance is checked through quantiles", () => {
    // Finite variance, so the mean's standard error holds; but mu4 is infinite (alpha <= 4), so the
    // sample variance has no usable error bound.
    const dist = makeDistribution(parse({ type: "pareto", scale: "10ms", shape: 3 }));
    expect(dist.mean).toBeCloseTo(0.015, 12);
    expect(dist.variance).toBeCloseTo((0.01 ** 2 * 3) / (4 * 1), 12);
    const xs = draw(dist);
    const got = sampleMoments(xs);
    expect(Math.abs(got.mean - dist.mean)).toBeLessThanOrEqual(4 * Math.sqrt(dist.variance / xs.length));
    const sorted = xs.sort();
    for (const p of [0.5, 0.9, 0.99, 0.999]) expectQuantile(sorted, p, 0.01 * (1 - p) ** (-1 / 3));
  });

  it.each([1.5, 0.8])("pareto with shape %d reports diverging moments and matches its quantiles", (shape) => {
    // Variance is infinite (alpha <= 2), and for alpha <= 1 so is the mean: no moment test applies.
    const dist = makeDistribution(parse({ type: "pareto", scale: "10ms", shape }));
    expect(dist.mean).toBe(shape > 1 ? (shape * 0.01) / (shape - 1) : Infinity);
    expect(dist.variance).toBe(Infinity);
    const sorted = draw(dist).sort();
    expect(sorted[0]).toBeGreaterThanOrEqual(0.01);
    for (const p of [0.1, 0.5, 0.9, 0.99]) expectQuantile(sorted, p, 0.01 * (1 - p) ** (-1 / shape));
  });
});

describe("specific properties", () => {
  it("normal truncated at 0 never goes negative, even when most of the mass is near 0", () => {
    const dist = makeDistribution(parse({ type: "normal", mean: "1ms", stddev: "50ms" }));
    const xs = draw(dist);
    expect(Math.min(...xs.subarray(0, 100_000))).toBeGreaterThanOrEqual(0);
    expect(xs.every((x) => x >= 0)).toBe(true);
    expect(dist.sample({ random: () => 0 })).toBe(0);
    expectMoments(xs, dist.mean, dist.variance, truncatedNormalMoments(0.001, 0.05).mu4);
  });

  it("empirical only returns listed values, each about equally often", () => {
    const dist = makeDistribution(parse({ type: "empirical", values: [1, 2, 3, 4] }));
    const xs = draw(dist);
    const counts = new Map<number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4]);
    const sd = Math.sqrt(N * 0.25 * 0.75);
    for (const c of counts.values()) expect(Math.abs(c - N / 4)).toBeLessThanOrEqual(4 * sd);
  });

  it("the same seed gives the same samples; another seed does not", () => {
    for (const { input } of withMoments) {
      const dist = makeDistribution(parse(input));
      const a = draw(dist, 1000, 7, "latency");
      const b = draw(dist, 1000, 7, "latency");
      expect(b).toEqual(a);
      if (dist.variance > 0) expect(draw(dist, 1000, 8, "latency")).not.toEqual(a);
    }
  });

  it.each([
    ["20ms", 0],
    [{ type: "uniform", min: 0, max: 1 }, 1],
    [{ type: "exponential", mean: 1 }, 1],
    [{ type: "normal", mean: 1, stddev: 1 }, 1],
    [{ type: "lognormal", mu: 0, sigma: 1 }, 1],
    [{ type: "erlang", k: 4, mean: 1 }, 4],
    [{ type: "pareto", scale: 1, shape: 2 }, 1],
    [{ type: "empirical", values: [1, 2] }, 1],
  ])("%j consumes exactly %d uniform(s) per sample", (input, perSample) => {
    const stream = new RandomStream(3, "count");
    let used = 0;
    const u: Uniform = { random: () => (used++, stream.random()) };
    const dist = makeDistribution(parse(input));
    for (let i = 0; i < 1000; i++) dist.sample(u);
    expect(used).toBe(1000 * perSample);
  });

  it("a one-uniform sampler's quantile is its draw for that uniform, non-decreasing; the others have none", () => {
    const withQuantile = [
      { type: "uniform", min: 0.5, max: 2 },
      { type: "exponential", mean: 0.3 },
      { type: "normal", mean: 1, stddev: 2 },
      { type: "lognormal", mu: -2, sigma: 1.3 },
      { type: "pareto", scale: 1, shape: 1.5 },
    ];
    const stream = new RandomStream(5, "quantile");
    for (const input of withQuantile) {
      const dist = makeDistribution(parse(input));
      expect(dist.quantile).toBeTypeOf("function");
      for (let i = 0; i < 2000; i++) {
        const p = stream.random();
        expect(dist.quantile!(p)).toBe(dist.sample({ random: () => p }));
      }
      let last = -Infinity;
      for (let i = 0; i <= 4096; i++) {
        const q = dist.quantile!(Math.min(i / 4096, 1 - 2 ** -53));
        expect(q).toBeGreaterThanOrEqual(last);
        last = q;
      }
    }
    for (const input of ["20ms", { type: "erlang", k: 2, mean: 1 }, { type: "gamma", shape: 2, scale: 1 }, { type: "empirical", values: [2, 1] }]) {
      expect(makeDistribution(parse(input)).quantile).toBeUndefined();
    }
  });

  it("draws the same bits as before samplers drew through quantile (pinned: a run's CSVs depend on every bit)", () => {
    // Points where rounding differs first: the ends, the normal quantile's region cuts (0.02425,
    // 0.97575), a grid of k/256 and its neighbours one ulp away (watch-merge's bounds), and stream
    // draws. The hashes were taken from the samplers before quantile existed (sample with u = p),
    // so a rewrite that is equal in real numbers but rounds differently (log1p(-p) for log(1 - p)) fails.
    const ps = [0, 2 ** -53, 2 ** -32, 0.02425, 0.97575, 0.5, 1 - 2 ** -53, 1 - 2 ** -32, 1 - 2 ** -10];
    for (let k = 1; k < 256; k++) ps.push(k / 256, (k / 256) * (1 - 2 ** -53), (k / 256) * (1 + 2 ** -52));
    const stream = new RandomStream(7, "pinned");
    for (let i = 0; i < 5000; i++) ps.push(stream.random());
    const pinned: [unknown, string][] = [
      [{ type: "uniform", min: 0.5, max: 2 }, "ad47fb1c"],
      [{ type: "exponential", mean: 0.3 }, "a8f6e8af"],
      [{ type: "normal", mean: 1, stddev: 2 }, "800fe782"],
      [{ type: "normal", mean: 1.98, stddev: 1 }, "7372c694"],
      [{ type: "lognormal", mu: -2, sigma: 1.3 }, "568c3f6b"],
      [{ type: "pareto", scale: 1, shape: 1.5 }, "959f3eb7"],
    ];
    for (const [input, hash] of pinned) {
      const dist = makeDistribution(parse(input));
      const bytes = new Uint8Array(new Float64Array(ps.map((p) => dist.quantile!(p))).buffer);
      let h = 0x811c9dc5; // FNV-1a over the draws' bytes
      for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
      expect([input, h.toString(16).padStart(8, "0")]).toEqual([input, hash]);
    }
  });

  it.each([
    [2.5, 2],
    [0.5, 3],
  ])("gamma with shape %d consumes about %d uniforms per sample (rejection sampling)", (shape, floor) => {
    const stream = new RandomStream(3, "count");
    let used = 0;
    const u: Uniform = { random: () => (used++, stream.random()) };
    const dist = makeDistribution(parse({ type: "gamma", shape, scale: 1 }));
    for (let i = 0; i < 10_000; i++) dist.sample(u);
    expect(used / 10_000).toBeGreaterThanOrEqual(floor);
    expect(used / 10_000).toBeLessThan(floor + 0.2);
  });

  it("one-uniform samplers stay finite and non-negative at the ends of [0, 1)", () => {
    const ends: Uniform[] = [{ random: () => 0 }, { random: () => 1 - 2 ** -53 }];
    for (const input of [
      { type: "uniform", min: 0, max: 1 },
      { type: "exponential", mean: 1 },
      { type: "normal", mean: 1, stddev: 1 },
      { type: "normal", mean: 1000, stddev: 1 },
      { type: "lognormal", mu: 0, sigma: 1 },
      { type: "erlang", k: 3, mean: 1 },
      { type: "pareto", scale: 1, shape: 0.5 },
      { type: "empirical", values: [1, 2] },
    ]) {
      const dist = makeDistribution(parse(input));
      for (const u of ends) {
        const x = dist.sample(u);
        expect(Number.isFinite(x) && x >= 0, `${JSON.stringify(input)} gave ${x}`).toBe(true);
      }
    }
  });
});

describe("the standard normal", () => {
  it.each([
    [-10, 7.619853024160593e-24],
    [-5, 2.866515718791946e-7],
    [-1, 0.15865525393145707],
    [0, 0.5],
    [1.96, 0.9750021048517795],
    [3.5, 0.9997673709209645],
  ])("Φ(%d) = %d", (x, p) => {
    expect(Math.abs(standardNormalCdf(x) - p) / p).toBeLessThan(1e-13);
  });

  it.each([
    [1e-10, -6.361340902404056],
    [1e-6, -4.753424308822899],
    [0.01, -2.3263478740408408],
    [0.02425, -1.9729610513118845],
    [0.3, -0.5244005127080407],
    [0.975, 1.9599639845400536],
    [0.999999, 4.753424308817089],
  ])("Φ⁻¹(%d) = %d to Acklam's accuracy", (p, x) => {
    expect(Math.abs(standardNormalQuantile(p) - x) / Math.abs(x)).toBeLessThan(1.2e-9);
  });

  it("Φ⁻¹ handles the ends", () => {
    expect(standardNormalQuantile(0)).toBe(-Infinity);
    expect(standardNormalQuantile(1)).toBe(Infinity);
    expect(standardNormalQuantile(0.5)).toBe(0);
  });
});

describe("distributionSchema", () => {
  it("normalizes to plain data in seconds", () => {
    expect(parse(0.5)).toEqual({ type: "constant", value: 0.5 });
    expect(parse("250ms")).toEqual({ type: "constant", value: 0.25 });
    expect(parse({ type: "exponential", rate: "100/s" })).toEqual({ type: "exponential", mean: 0.01 });
    expect(parse({ type: "gamma", shape: 2, mean: "1s" })).toEqual({ type: "gamma", shape: 2, scale: 0.5 });
    expect(parse({ type: "erlang", k: 2, mean: "1m" })).toEqual({ type: "erlang", k: 2, mean: 60 });
    expect(parse({ type: "empirical", values: ["1ms", 2] })).toEqual({ type: "empirical", values: [0.001, 2] });
    const lognormal = parse({ type: "lognormal", median: "20ms", p99: "200ms" });
    expect(lognormal).toEqual({ type: "lognormal", mu: Math.log(0.02), sigma: (Math.log(0.2) - Math.log(0.02)) / Z99 });
  });

  it("outputs specs that survive JSON and parse back to themselves", () => {
    for (const { input } of withMoments) {
      const spec = parse(input);
      expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
      expect(structuredClone(spec)).toEqual(spec);
      expect(parse(spec)).toEqual(spec);
    }
  });

  it("describes specs for people", () => {
    expect(describeDistribution(parse({ type: "lognormal", median: "20ms", p99: "200ms" }))).toBe(
      "lognormal(median 20ms, p99 200ms)",
    );
    expect(describeDistribution(parse("1m30s"))).toBe("constant(1.5m)");
    expect(describeDistribution(parse({ type: "exponential", rate: "50/s" }))).toBe("exponential(mean 20ms)");
    expect(describeDistribution(parse({ type: "uniform", min: "10ms", max: "50ms" }))).toBe("uniform(min 10ms, max 50ms)");
    expect(describeDistribution(parse({ type: "pareto", scale: "10ms", shape: 1.5 }))).toBe("pareto(scale 10ms, shape 1.5)");
    expect(describeDistribution(parse({ type: "empirical", values: [0.003, 0.001, 0.002] }))).toBe(
      "empirical(3 values, 1ms to 3ms)",
    );
  });

  /** Issues from parsing `latency` inside a scenario-like object, as [path, message]. */
  function issues(latency: unknown): Array<[string, string]> {
    const result = z.object({ service: z.object({ latency: distributionSchema }) }).safeParse({ service: { latency } });
    expect(result.success).toBe(false);
    return result.error!.issues.map((i) => [i.path.join("."), i.message]);
  }

  it("reports an unknown type at .type, naming the allowed ones", () => {
    expect(issues({ type: "expnential", mean: 1 })).toEqual([
      [
        "service.latency.type",
        'unknown distribution type "expnential" (did you mean "exponential"?); expected one of constant, uniform, exponential, normal, lognormal, erlang, gamma, pareto, empirical',
      ],
    ]);
    expect(issues({ mean: 1 })[0]).toEqual(["service.latency.type", expect.stringMatching(/^missing type: expected one of/)]);
  });

  it("reports unknown keys, with a spelling hint", () => {
    expect(issues({ type: "normal", mean: "50ms", stdev: "10ms", stddev: "10ms" })).toEqual([
      ["service.latency", 'unknown key "stdev" (did you mean "stddev"?) for type normal; allowed: type, mean, stddev'],
    ]);
  });

  it("reports a negative mean at .mean", () => {
    expect(issues({ type: "exponential", mean: "-5ms" })).toEqual([
      ["service.latency.mean", 'a duration must not be negative, found "-5ms"'],
    ]);
    expect(issues({ type: "exponential", mean: 0 })).toEqual([["service.latency.mean", "mean must be greater than 0, found 0s"]]);
  });

  it("reports min > max at .max", () => {
    expect(issues({ type: "uniform", min: "2s", max: "1s" })).toEqual([
      ["service.latency.max", "max (1s) must not be less than min (2s)"],
    ]);
  });

  it("reports both mean and rate at .rate, and neither at .mean", () => {
    expect(issues({ type: "exponential", mean: "10ms", rate: "50/s" })).toEqual([
      ["service.latency.rate", "give either mean or rate, not both (mean 10ms is rate 100/s)"],
    ]);
    expect(issues({ type: "exponential" })[0][0]).toBe("service.latency.mean");
  });

  it.each([
    [{ type: "lognormal", median: "20ms", p99: "10ms" }, "service.latency.p99", /p99 \(10ms\) must be greater than median \(20ms\)/],
    [{ type: "lognormal", median: "20ms" }, "service.latency.p99", /missing p99/],
    [{ type: "lognormal", mu: 0, sigma: 1, median: "1s" }, "service.latency.mu", /either median and p99, or mu and sigma/],
    [{ type: "lognormal", mu: 0, sigma: -1 }, "service.latency.sigma", /sigma must be greater than 0/],
    [{ type: "normal", mean: "5ms", stddev: 0 }, "service.latency.stddev", /stddev must be greater than 0/],
    [{ type: "erlang", k: 2.5, mean: 1 }, "service.latency.k", /k must be an integer, found 2.5/],
    [{ type: "gamma", shape: 2, mean: 1, scale: 1 }, "service.latency.mean", /either scale or mean/],
    [{ type: "pareto", scale: "10ms" }, "service.latency.shape", /missing shape/],
    [{ type: "empirical", values: [] }, "service.latency.values", /at least one value/],
    [{ type: "empirical", values: ["1ms", "x"] }, "service.latency.values.1", /found "x"/],
    [{ type: "constant", value: "fast" }, "service.latency.value", /expected a duration/],
    ["abc", "service.latency", /expected a duration such as 250ms, 2s or 5m \(a number is seconds\), found "abc"/],
    [true, "service.latency", /expected a distribution, found true/],
    [undefined, "service.latency", /missing distribution/],
  ])("rejects %j at %s", (input, path, message) => {
    const [first] = issues(input);
    expect(first[0]).toBe(path);
    expect(first[1]).toMatch(message);
  });

  it("parseDistribution throws a ZodError on bad input and builds good input", () => {
    expect(() => parseDistribution({ type: "nope" })).toThrow(z.ZodError);
    expect(parseDistribution("5ms").mean).toBe(0.005);
  });
});
