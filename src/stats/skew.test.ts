import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { coefficientOfVariation, jainIndex, maxOverMean } from "./skew.js";

describe("skew metrics", () => {
  it("known values", () => {
    expect(maxOverMean([1, 2, 3, 6])).toBe(2);
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9])).toBe(0.4); // population sd 2, mean 5
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25); // one pod takes all: 1/n
    expect(jainIndex([3, 3, 3])).toBe(1);
  });

  it("a perfect split has no skew", () => {
    const even = [7, 7, 7, 7, 7];
    expect(maxOverMean(even)).toBe(1);
    expect(coefficientOfVariation(even)).toBe(0);
    expect(jainIndex(even)).toBe(1);
  });

  it("empty and all-zero inputs are NaN", () => {
    for (const f of [maxOverMean, coefficientOfVariation, jainIndex]) {
      expect(f([])).toBeNaN();
      expect(f([0, 0, 0])).toBeNaN();
    }
  });

  it("uses the population, not the sample, standard deviation", () => {
    expect(coefficientOfVariation([0, 2])).toBe(1); // sample sd would give sqrt(2)
  });

  it("does not cancel on near-equal large loads", () => {
    expect(coefficientOfVariation([1e9 + 1, 1e9 - 1])).toBeCloseTo(1e-9, 15);
  });

  it("J = 1/(1 + CV^2) and 1/n <= J <= 1 on random load vectors", () => {
    const rand = seedrandom.alea("skew");
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 50);
      const xs = Array.from({ length: n }, () => (rand() < 0.2 ? 0 : rand() * 1000));
      if (xs.every((x) => x === 0)) continue;
      const j = jainIndex(xs);
      expect(j).toBeCloseTo(1 / (1 + coefficientOfVariation(xs) ** 2), 12);
      expect(j).toBeGreaterThanOrEqual(1 / n - 1e-15);
      expect(j).toBeLessThanOrEqual(1 + 1e-15);
      expect(maxOverMean(xs)).toBeLessThanOrEqual(n + 1e-12);
    }
  });
});
