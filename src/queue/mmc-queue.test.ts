/**
 * The kernel held to queueing theory: each figure is the mean of independent replications,
 * compared with its closed form within four standard errors of that mean (estimated from the
 * replications themselves), so a correct kernel fails with probability about 6e-5.
 */
import { describe, expect, it } from "vitest";
import { erlangB, mm1, mmc, mmcK } from "../stats/theory.js";
import { runMmc, type MmcOptions, type MmcResult } from "./mmc-queue.js";

function replicate(o: Omit<MmcOptions, "seed">, n: number, pick: (r: MmcResult) => number): { mean: number; se: number } {
  const xs = Array.from({ length: n }, (_, i) => pick(runMmc({ ...o, seed: `theory-${i}` })));
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}

function expectWithin(got: { mean: number; se: number }, want: number): void {
  expect(got.se).toBeGreaterThan(0);
  expect(Math.abs(got.mean - want)).toBeLessThanOrEqual(4 * got.se);
  // The band must be tight enough to mean something: within 5% of the value.
  expect(4 * got.se).toBeLessThan(0.05 * want);
}

describe("M/M/c/K queue on the kernel against theory", () => {
  it("M/M/1 mean response time is 1/(mu - lambda)", () => {
    const o = { lambda: 8, mu: 10, c: 1, duration: 20000, warmup: 200 };
    expectWithin(replicate(o, 12, (r) => r.meanResponse), mm1(8, 10).W);
  });

  it("M/M/c mean wait follows Erlang C", () => {
    const o = { lambda: 3.2, mu: 1, c: 4, duration: 60000, warmup: 500 };
    expectWithin(replicate(o, 12, (r) => r.meanWait), mmc(3.2, 1, 4).Wq);
  });

  it("M/M/c/c blocking follows Erlang B", () => {
    const o = { lambda: 3, mu: 1, c: 5, capacity: 5, duration: 20000, warmup: 100 };
    expectWithin(replicate(o, 12, (r) => r.blocking), erlangB(5, 3));
  });

  it("M/M/1/K blocking follows the truncated geometric law", () => {
    const o = { lambda: 0.8, mu: 1, c: 1, capacity: 10, duration: 150000, warmup: 100 };
    expectWithin(replicate(o, 12, (r) => r.blocking), mmcK(0.8, 1, 1, 10).blocking);
  });

  it("Little's law holds: L = lambda W", () => {
    const r = runMmc({ lambda: 3.2, mu: 1, c: 4, capacity: 8, duration: 50000, warmup: 100, seed: 5 });
    expect(r.meanInSystem).toBeCloseTo(r.admittedRate * r.meanResponse, 1);
    expect(Math.abs(r.meanInSystem - mmcK(3.2, 1, 4, 8).L) / r.meanInSystem).toBeLessThan(0.03);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const o = { lambda: 5, mu: 6, c: 1, duration: 500 };
    expect(runMmc({ ...o, seed: 1 })).toEqual(runMmc({ ...o, seed: 1 }));
    expect(runMmc({ ...o, seed: 1 }).meanResponse).not.toBe(runMmc({ ...o, seed: 2 }).meanResponse);
  });
});
