/**
 * A draw the bounds let through without its latency does join the pending delivery: the delivery
 * the simulation would compute from that draw, max(pending, published + latency), is the pending one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeDistribution } from "../../../random/distributions.js";
import { WatchMergeBounds } from "./watch-merge.js";

const given = (u: number) => ({ random: () => u });

describe("WatchMergeBounds", () => {
  const specs = [
    { type: "lognormal", mu: Math.log(0.1), sigma: 1.29 },
    { type: "lognormal", mu: Math.log(0.02), sigma: 0.1 },
    { type: "exponential", mean: 0.3 },
    { type: "uniform", min: 0.05, max: 0.4 },
    { type: "normal", mean: 0.2, stddev: 0.3 },
    // Truncated far into its upper tail: the cut at 0 meets the quantile's region change (0.97575).
    { type: "normal", mean: 1.98, stddev: 1 },
    { type: "pareto", scale: 0.01, shape: 1.2 },
  ] as const;
  for (const spec of specs) {
    it(`${spec.type}: a uniform it lets through gives a delivery no later than the pending one`, () => {
      const d = makeDistribution(spec as never);
      const b = WatchMergeBounds.of(d)!;
      expect(b).not.toBeNull();
      const joins = (u: number, published: number, pending: number) => Math.max(pending, published + d.sample(given(u))) === pending;
      // Pending deliveries anywhere, and (the cases that decide) right at the latency of a uniform
      // near the one drawn: a grid point too high or a margin too thin lets a later draw through.
      const uniform = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 30, noNaN: true }), uniform, (published, ahead, u) => {
          expect(b.at(u)).toBe(d.sample(given(u)));
          if (b.fits(u, published, published + ahead)) expect(joins(u, published, published + ahead)).toBe(true);
        }),
        { numRuns: 3000 },
      );
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), uniform, uniform, fc.double({ min: -1e-3, max: 1e-2, noNaN: true }), (published, u, v, slack) => {
          const near = Math.min(u + (v - 0.5) / 128, 1 - 2 ** -53);
          const pending = published + d.sample(given(Math.max(near, 0))) * (1 + slack);
          if (b.fits(u, published, pending)) expect(joins(u, published, pending)).toBe(true);
        }),
        { numRuns: 20000 },
      );
      // The tail of the grid, 1 - 2^-k: a draw near one of its points.
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 8, max: 41, noNaN: true }), fc.double({ min: 0.5, max: 2, noNaN: true }), (published, k, near) => {
          const u = 1 - 2 ** -k;
          const pending = published + d.sample(given(Math.min(1 - 2 ** -(k * near), 1 - 2 ** -53)));
          if (b.fits(u, published, pending)) expect(joins(u, published, pending)).toBe(true);
        }),
        { numRuns: 3000 },
      );
      // The bound is tight to within the grid: a pending delivery far enough ahead lets most draws through.
      expect(b.fits(0.99, 0, 1e4)).toBe(true);
      expect(b.fits(0, 0, 0)).toBe(false);
    });
  }

  it("lets through nearly every draw that joins, and only those (a lognormal, pending 1 s ahead)", () => {
    const d = makeDistribution({ type: "lognormal", mu: Math.log(0.1), sigma: 1.29 } as never);
    const b = WatchMergeBounds.of(d)!;
    let joins = 0;
    let through = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = (i + 0.5) / 100_000;
      const j = 5 + d.sample(given(u)) <= 6;
      const f = b.fits(u, 5, 6);
      if (f) expect(j).toBe(true);
      joins += Number(j);
      through += Number(f);
    }
    expect(through / joins).toBeGreaterThan(0.99);
  });

  it("declines distributions whose draws are not one monotone function of one uniform", () => {
    expect(WatchMergeBounds.of(makeDistribution({ type: "erlang", mean: 1, k: 3 } as never))).toBeNull();
    expect(WatchMergeBounds.of(makeDistribution({ type: "constant", value: 1 } as never))).toBeNull();
    expect(WatchMergeBounds.of(makeDistribution({ type: "empirical", values: [3, 1, 2] } as never))).toBeNull();
  });
});
