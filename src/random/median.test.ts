import { describe, expect, it } from "vitest";
import { parseDistribution } from "./distribution-schema.js";
import type { DistributionSpec } from "./distributions.js";
import { medianOf, regularizedGammaP } from "./median.js";
import { RandomStream } from "./streams.js";

describe("regularizedGammaP", () => {
  it("matches closed forms: shape 1 is the exponential CDF, shape 2 is 1 - e^-x (1 + x)", () => {
    for (const x of [0.01, 0.5, 1, 2, 5, 30]) {
      expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 12);
      expect(regularizedGammaP(2, x)).toBeCloseTo(1 - Math.exp(-x) * (1 + x), 12);
    }
    expect(regularizedGammaP(3, 0)).toBe(0);
  });
});

describe("medianOf", () => {
  it("gives the closed forms", () => {
    expect(medianOf({ type: "constant", value: 0.02 })).toBe(0.02);
    expect(medianOf({ type: "uniform", min: 1, max: 3 })).toBe(2);
    expect(medianOf({ type: "exponential", mean: 0.02 })).toBeCloseTo(0.02 * Math.LN2, 15);
    expect(medianOf({ type: "lognormal", mu: Math.log(0.015), sigma: 1 })).toBeCloseTo(0.015, 15);
    expect(medianOf({ type: "pareto", scale: 0.01, shape: 1 })).toBeCloseTo(0.02, 15);
    expect(medianOf({ type: "erlang", k: 2, mean: 2 })).toBeCloseTo(1.678346990016661, 9); // 1 - e^-m (1 + m) = 1/2
    expect(medianOf({ type: "gamma", shape: 1, scale: 3 })).toBeCloseTo(3 * Math.LN2, 9);
    expect(medianOf({ type: "empirical", values: [5, 1, 9, 3] })).toBe(3);
    expect(medianOf({ type: "normal", mean: 1, stddev: 0.01 })).toBeCloseTo(1, 9); // truncation negligible
  });

  // Half the draws fall below a true median: within 4 standard errors of a binomial proportion.
  const specs: unknown[] = [
    { type: "normal", mean: "10ms", stddev: "20ms" }, // heavily truncated
    { type: "erlang", k: 3, mean: "30ms" },
    { type: "gamma", shape: 0.3, scale: "40ms" },
    { type: "gamma", shape: 50, mean: "1s" },
    { type: "lognormal", median: "15ms", p99: "120ms" },
    { type: "pareto", scale: "10ms", shape: 2.5 },
  ];
  it.each(specs.map((s) => [JSON.stringify(s), s]))("puts half the draws below it: %s", (_name, input) => {
    const dist = parseDistribution(input);
    const m = medianOf(dist.spec as DistributionSpec);
    const u = new RandomStream(7, "median");
    const n = 100_000;
    let below = 0;
    for (let i = 0; i < n; i++) if (dist.sample(u) < m) below++;
    expect(Math.abs(below / n - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
  });
});
