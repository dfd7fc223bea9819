import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { estimate, excludesZero, pairedInterval, welchInterval } from "./compare.js";
import { normalQuantile, sampleMeanTolerance } from "./summary.js";

describe("estimate", () => {
  it("gives mean, sample sd and the t interval of the finite values", () => {
    const e = estimate([1, 2, NaN, 3, 4, 5, Infinity]);
    expect(e.n).toBe(5);
    expect(e.mean).toBe(3);
    expect(e.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(e.halfWidth).toBeCloseTo(2.7764451 * Math.sqrt(0.5), 6);
  });

  it("has no spread for a single value and nothing for none", () => {
    expect(estimate([7]).sd).toBeNaN();
    expect(estimate([7]).mean).toBe(7);
    expect(estimate([NaN]).mean).toBeNaN();
  });
});

describe("pairedInterval", () => {
  it("is the t interval of the differences b - a (known value)", () => {
    // differences 1, 2, 3, 4, 5: mean 3, half-width t(0.975; 4) sqrt(2.5/5)
    const p = pairedInterval([10, 20, 30, 40, 50], [11, 22, 33, 44, 55]);
    expect(p.mean).toBe(3);
    expect(p.halfWidth).toBeCloseTo(2.7764451 * Math.sqrt(0.5), 6);
  });

  it("is exactly 0 with no spread for identical samples", () => {
    const xs = [0.013, 0.021, 0.008];
    const p = pairedInterval(xs, [...xs]);
    expect(p.mean).toBe(0);
    expect(p.halfWidth).toBe(0);
    expect(excludesZero(p)).toBe(0);
  });

  it("drops pairs with a missing side and refuses unequal lengths", () => {
    expect(pairedInterval([1, NaN, 3], [2, 5, 5]).n).toBe(2);
    expect(() => pairedInterval([1], [1, 2])).toThrow(RangeError);
  });

  it("is narrower than Welch's when the pairs are positively correlated", () => {
    const rand = seedrandom.alea("paired");
    const z = () => normalQuantile(rand() * 0.999998 + 1e-6);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 20; i++) {
      const shared = 10 * z(); // common random numbers: most of the noise is shared
      a.push(100 + shared + z());
      b.push(101 + shared + z());
    }
    expect(pairedInterval(a, b).halfWidth).toBeLessThan(welchInterval(a, b).halfWidth / 3);
  });
});

describe("welchInterval", () => {
  it("matches a worked example (R: t.test(b, a)$conf.int)", () => {
    // a: 1..5 (var 2.5), b: 2, 4, 6, 8, 10 (var 10); se^2 = 0.5 + 2 = 2.5; df = 2.5^2 / (0.25/4 + 4/4) = 5.882353
    const w = welchInterval([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(w.mean).toBe(3);
    expect(w.df).toBeCloseTo(5.882353, 5);
    // qt(0.975, 5.882353) = 2.456 (R); half-width = 2.456 * sqrt(2.5)
    expect(w.halfWidth).toBeCloseTo(2.4561 * Math.sqrt(2.5), 2);
  });

  it("covers the true difference at its nominal rate with unequal variances", () => {
    const rand = seedrandom.alea("welch");
    const z = () => normalQuantile(rand() * 0.999998 + 1e-6);
    const trials = 3000;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const a = Array.from({ length: 4 }, () => 5 + 0.5 * z());
      const b = Array.from({ length: 9 }, () => 7 + 3 * z());
      const w = welchInterval(a, b, 0.9);
      if (w.lower <= 2 && 2 <= w.upper) covered++;
    }
    expect(Math.abs(covered / trials - 0.9)).toBeLessThan(sampleMeanTolerance(0.9 * 0.1, trials));
  });

  it("is the point itself when neither side varies, and NaN with fewer than two values", () => {
    const w = welchInterval([3, 3], [4, 4]);
    expect([w.lower, w.upper]).toEqual([1, 1]);
    expect(excludesZero(w)).toBe(1);
    expect(welchInterval([1], [2, 3]).halfWidth).toBeNaN();
    expect(excludesZero(welchInterval([1], [2, 3]))).toBeNaN();
  });
});
