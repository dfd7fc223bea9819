import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { coefficientOfVariation } from "./skew.js";
import { sampleMeanTolerance } from "./summary.js";
import {
  ballsIntoBinsCv,
  ballsIntoBinsExpectedMax,
  chiSquareQuantile,
  chiSquareUniform,
  erlangB,
  erlangC,
  machineRepair,
  mm1,
  mm1KBlocking,
  mm1ResponseQuantile,
  mmc,
  mmcK,
} from "./theory.js";

/** Throws m balls uniformly into n bins. */
function throwBalls(rand: () => number, m: number, n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < m; i++) counts[Math.floor(rand() * n)]++;
  return counts;
}

function meanVar(xs: number[]): [number, number] {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return [m, xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)];
}

describe("reference test vectors (queueing-theory.md)", () => {
  it("Erlang C(3, 2) = 0.4444 and M/M/3 W = 1.4444 with mu = 1", () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    const r = mmc(2, 1, 3);
    expect(r.C).toBeCloseTo(0.4444, 4);
    expect(r.W).toBeCloseTo(1.4444, 4);
    expect(r.W).toBeCloseTo(13 / 9, 12);
  });

  it("Erlang B(5, 3) = 0.110054", () => {
    expect(erlangB(5, 3)).toBeCloseTo(0.110054, 6);
  });

  it("M/M/1/K with rho = 0.8, K = 10 blocks 0.023493, closed form and general form", () => {
    expect(mm1KBlocking(0.8, 10)).toBeCloseTo(0.023493, 6);
    expect(mmcK(0.8, 1, 1, 10).blocking).toBeCloseTo(0.023493, 6);
  });

  it("M/M/4/8 with a = 3.2 blocks 0.060728", () => {
    expect(mmcK(3.2, 1, 4, 8).blocking).toBeCloseTo(0.060728, 6);
    expect(mmcK(6.4, 2, 4, 8).blocking).toBeCloseTo(0.060728, 6); // depends on a only
  });

  it("E[max] for n = m = 1000 is 5.51", () => {
    expect(ballsIntoBinsExpectedMax(1000, 1000)).toBeCloseTo(5.51, 2);
  });
});

describe("M/M/1 and M/M/c", () => {
  it("M/M/1 closed forms at rho = 0.5", () => {
    expect(mm1(1, 2)).toEqual({ rho: 0.5, W: 1, Wq: 0.5, L: 1, Lq: 0.5 });
  });

  it("mm1 equals mmc with c = 1", () => {
    for (const [lambda, mu] of [[0.3, 1], [4, 5], [9.9, 10]]) {
      const a = mm1(lambda, mu);
      const b = mmc(lambda, mu, 1);
      for (const k of ["rho", "W", "Wq", "L", "Lq"] as const) expect(b[k]).toBeCloseTo(a[k], 9);
      expect(b.C).toBeCloseTo(a.rho, 12); // P(wait) = rho for one worker
    }
  });

  it("Little's law ties L to W and Lq to Wq", () => {
    const r = mmc(7.5, 1, 10);
    expect(r.L).toBeCloseTo(7.5 * r.W, 12);
    expect(r.Lq).toBeCloseTo(7.5 * r.Wq, 12);
    expect(r.L - r.Lq).toBeCloseTo(7.5, 12); // busy servers = a
  });

  it("erlangC(1, a) = a", () => {
    for (const a of [0.01, 0.3, 0.5, 0.9, 0.999]) expect(erlangC(1, a)).toBeCloseTo(a, 12);
  });

  it("Erlang C agrees with the factorial-sum definition", () => {
    const direct = (c: number, a: number) => {
      let fact = 1;
      let sum = 0;
      for (let k = 0; k < c; k++) {
        if (k > 0) fact *= k;
        sum += a ** k / fact;
      }
      const top = ((a ** c / (fact * c)) * c) / (c - a);
      return top / (sum + top);
    };
    for (const [c, a] of [[2, 1.5], [5, 4.2], [12, 10]]) expect(erlangC(c, a)).toBeCloseTo(direct(c, a), 12);
  });

  it("Erlang B stays finite where a^c and c! overflow", () => {
    const b = erlangB(1000, 950);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(0.05);
    expect(erlangC(1000, 950)).toBeGreaterThan(b);
  });

  it("response quantile inverts P(W > t) = exp(-(mu - lambda) t)", () => {
    for (const p of [0.5, 0.9, 0.99]) {
      const t = mm1ResponseQuantile(3, 5, p);
      expect(Math.exp(-(5 - 3) * t)).toBeCloseTo(1 - p, 12);
    }
    expect(mm1ResponseQuantile(3, 5, 0.5)).toBeCloseTo(Math.LN2 / 2, 12);
  });

  it("rejects unstable systems and bad arguments", () => {
    expect(() => mm1(1, 1)).toThrow(RangeError);
    expect(() => mmc(3, 1, 3)).toThrow(RangeError);
    expect(() => mmc(1, 1, 2.5)).toThrow(RangeError);
    expect(() => mmc(1, 0, 2)).toThrow(RangeError);
    expect(() => mmc(-1, 1, 2)).toThrow(RangeError);
    expect(() => mmc(NaN, 1, 2)).toThrow(RangeError);
    expect(() => erlangC(2, 2)).toThrow(RangeError);
    expect(() => mmcK(1, 1, 3, 2)).toThrow(RangeError); // K < c
  });
});

describe("M/M/c/K", () => {
  it("probabilities sum to 1 and match the stated proportions", () => {
    const r = mmcK(3.2, 1, 4, 8);
    expect(r.probabilities).toHaveLength(9);
    expect(r.probabilities.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(r.probabilities[2] / r.probabilities[1]).toBeCloseTo(3.2 / 2, 12); // j <= c: a/j
    expect(r.probabilities[7] / r.probabilities[6]).toBeCloseTo(3.2 / 4, 12); // j > c: a/c
    expect(r.throughput).toBeCloseTo(3.2 * (1 - r.blocking), 12);
    expect(r.W).toBeCloseTo(r.L / r.throughput, 12);
  });

  it("with K = c it is Erlang's loss system", () => {
    for (const [c, a] of [[1, 0.5], [5, 3], [20, 25]]) expect(mmcK(a, 1, c, c).blocking).toBeCloseTo(erlangB(c, a), 12);
  });

  it("mm1KBlocking matches mmcK with c = 1, including rho = 1 and rho > 1", () => {
    for (const rho of [0.2, 0.8, 1, 1.5]) {
      expect(mmcK(rho, 1, 1, 7).blocking).toBeCloseTo(mm1KBlocking(rho, 7), 12);
    }
    expect(mm1KBlocking(1, 9)).toBe(0.1);
    expect(mm1KBlocking(1 + 1e-12, 9)).toBeCloseTo(0.1, 10); // continuous through rho = 1
  });

  it("approaches M/M/c as K grows", () => {
    const finite = mmcK(3.2, 1, 4, 2000);
    const infinite = mmc(3.2, 1, 4);
    expect(finite.blocking).toBeLessThan(1e-150);
    for (const k of ["W", "Wq", "L", "Lq"] as const) expect(finite[k]).toBeCloseTo(infinite[k], 9);
  });

  it("stays finite for large a and K", () => {
    const r = mmcK(900, 1, 1000, 1200);
    expect(r.probabilities.every(Number.isFinite)).toBe(true);
    expect(r.L).toBeCloseTo(mmc(900, 1, 1000).L, 6);
  });
});

describe("balls into bins", () => {
  it("E[CV^2] of simulated counts is (n - 1)/m", () => {
    const rand = seedrandom.alea("cv");
    const [m, n, trials] = [500, 20, 2000];
    const cv2 = Array.from({ length: trials }, () => coefficientOfVariation(throwBalls(rand, m, n)) ** 2);
    const [avg, v] = meanVar(cv2);
    expect(Math.abs(avg - ballsIntoBinsCv(m, n) ** 2)).toBeLessThan(sampleMeanTolerance(v, trials));
  });

  it("E[max] is m with one bin and sits near simulation for many", () => {
    expect(ballsIntoBinsExpectedMax(37, 1)).toBe(37);
    expect(ballsIntoBinsExpectedMax(0, 10)).toBe(0);
    const rand = seedrandom.alea("max");
    const [m, n, trials] = [2000, 100, 2000];
    const maxes = Array.from({ length: trials }, () => Math.max(...throwBalls(rand, m, n)));
    const [avg, v] = meanVar(maxes);
    // The independence approximation is itself off by a little; allow 1% on top of sampling noise.
    expect(Math.abs(avg - ballsIntoBinsExpectedMax(m, n))).toBeLessThan(sampleMeanTolerance(v, trials) + 0.01 * avg);
  });

  it("E[max] for two bins matches the normal approximation mean + sigma/sqrt(pi)", () => {
    const m = 1_000_000;
    expect(ballsIntoBinsExpectedMax(m, 2)).toBeCloseTo(m / 2 + Math.sqrt(m / 4) / Math.sqrt(Math.PI), 0);
  });

  it("chiSquareUniform: known value, NaN when undefined", () => {
    expect(chiSquareUniform([10, 20, 30])).toBe(10);
    expect(chiSquareUniform([5, 5, 5, 5])).toBe(0);
    expect(chiSquareUniform([])).toBeNaN();
    expect(chiSquareUniform([0, 0])).toBeNaN();
  });

  it("chi-square of uniform throws has mean n - 1 and the 95% quantile rejects ~5%", () => {
    const rand = seedrandom.alea("chi2");
    const [m, n, trials] = [1000, 10, 4000];
    const stats = Array.from({ length: trials }, () => chiSquareUniform(throwBalls(rand, m, n)));
    const [avg, v] = meanVar(stats);
    expect(Math.abs(avg - (n - 1))).toBeLessThan(sampleMeanTolerance(v, trials));
    const crit = chiSquareQuantile(n - 1, 0.95);
    const rejected = stats.filter((s) => s > crit).length / trials;
    expect(Math.abs(rejected - 0.05)).toBeLessThan(sampleMeanTolerance(0.05 * 0.95, trials));
  });

  it("chiSquareQuantile (Wilson–Hilferty) is near tabulated values", () => {
    // Tabulated: chi2_{0.95}(10) = 18.307, chi2_{0.99}(99) = 134.642, chi2_{0.95}(999) = 1073.643, chi2_{0.05}(9) = 3.325.
    expect(Math.abs(chiSquareQuantile(10, 0.95) / 18.307 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(chiSquareQuantile(99, 0.99) / 134.642 - 1)).toBeLessThan(2e-4);
    expect(Math.abs(chiSquareQuantile(999, 0.95) / 1073.643 - 1)).toBeLessThan(1e-5);
    expect(Math.abs(chiSquareQuantile(9, 0.05) / 3.325 - 1)).toBeLessThan(5e-3);
  });
});

describe("machineRepair (closed M/M/1//N)", () => {
  it("has one client never wait, and obeys Little's law N = X (R + Z)", () => {
    const one = machineRepair(1, 25, 100);
    expect(one.R).toBeCloseTo(0.01, 12);
    expect(one.X).toBeCloseTo(1 / (0.04 + 0.01), 10);
    for (const N of [2, 5, 20]) {
      const m = machineRepair(N, 25, 100);
      expect(m.X * (m.R + 1 / 25)).toBeCloseTo(N, 9);
      expect(m.U).toBeLessThan(1);
    }
  });

  it("matches the textbook vector: N = 2, thinkRate = mu = 1 gives P0 = 1/5, X = 4/5", () => {
    // sum = 1 + 2 + 2 = 5
    const m = machineRepair(2, 1, 1);
    expect(m.U).toBeCloseTo(0.8, 12);
    expect(m.R).toBeCloseTo(2 / 0.8 - 1, 12);
  });

  it("saturates: with many clients the server is always busy and R grows by 1/mu per client", () => {
    const m = machineRepair(200, 25, 100);
    expect(m.X).toBeCloseTo(100, 6);
    expect(m.R).toBeCloseTo(200 / 100 - 0.04, 6);
  });
});

