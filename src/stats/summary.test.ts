import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { meanConfidenceInterval, normalQuantile, regularizedIncompleteBeta, sampleMeanTolerance, studentTQuantile } from "./summary.js";

describe("studentTQuantile", () => {
  it("matches tables", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    // More digits (R's qt) to hold the 1e-4 accuracy target.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047, 6);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281389, 6);
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.0321430, 6);
    expect(studentTQuantile(0.95, 3)).toBeCloseTo(2.3533634, 6);
  });

  it("matches the closed forms for df = 1 (Cauchy) and df = 2", () => {
    for (const p of [0.001, 0.1, 0.3, 0.6, 0.9, 0.999]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 8);
    }
  });

  it("is antisymmetric, zero at the median, and tends to the normal", () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.2, 7)).toBeCloseTo(-studentTQuantile(0.8, 7), 10);
    expect(studentTQuantile(0.975, 1e5)).toBeCloseTo(normalQuantile(0.975), 4);
  });

  it("rejects p outside (0, 1) and df <= 0", () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe("helpers", () => {
  it("normalQuantile matches known values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306, 8);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902, 7);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it("regularizedIncompleteBeta: I_x(1, 1) = x, I_x(a, 1) = x^a, symmetry", () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedIncompleteBeta(0.7, 3.5, 1)).toBeCloseTo(0.7 ** 3.5, 12);
    expect(regularizedIncompleteBeta(0.4, 2, 5)).toBeCloseTo(1 - regularizedIncompleteBeta(0.6, 5, 2), 12);
  });

  it("sampleMeanTolerance is z standard errors", () => {
    expect(sampleMeanTolerance(4, 100)).toBe(0.8);
    expect(sampleMeanTolerance(4, 100, 2)).toBe(0.4);
  });
});

describe("meanConfidenceInterval", () => {
  it("known value: [1..5] gives 3 ± 2.776 * sqrt(2.5)/sqrt(5)", () => {
    const ci = meanConfidenceInterval([1, 2, 3, 4, 5]);
    expect(ci.mean).toBe(3);
    expect(ci.n).toBe(5);
    expect(ci.halfWidth).toBeCloseTo(2.7764451 * Math.sqrt(0.5), 6);
    expect(ci.lower).toBeCloseTo(3 - ci.halfWidth, 12);
    expect(ci.upper).toBeCloseTo(3 + ci.halfWidth, 12);
  });

  it("undefined cases are NaN", () => {
    const empty = meanConfidenceInterval([]);
    expect(empty.mean).toBeNaN();
    expect(empty.halfWidth).toBeNaN();
    const one = meanConfidenceInterval([4]);
    expect(one.mean).toBe(4);
    expect(one.halfWidth).toBeNaN();
    expect(() => meanConfidenceInterval([1, 2], 1)).toThrow(RangeError);
  });

  it("covers the true mean at its nominal rate", () => {
    const rand = seedrandom.alea("ci");
    const trials = 4000;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 5 }, () => normalQuantile(rand() * 0.999998 + 1e-6) + 10);
      const ci = meanConfidenceInterval(xs, 0.9);
      if (ci.lower <= 10 && 10 <= ci.upper) covered++;
    }
    // A z-quantile instead of t would cover only ~80% with n = 5.
    expect(Math.abs(covered / trials - 0.9)).toBeLessThan(sampleMeanTolerance(0.9 * 0.1, trials));
  });
});
