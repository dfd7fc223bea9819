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
  ] as const;
  for (const spec of specs) {
    it(`${spec.type}: a uniform at or below the bound gives a delivery no later than the pending one`, () => {
      const d = makeDistribution(spec as never);
      const b = WatchMergeBounds.of(d)!;
      expect(b).not.toBeNull();
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 30, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (published, ahead, u) => {
          const pending = published + ahead;
          expect(b.at(u)).toBe(d.sample(given(u)));
          const bound = b.fits(published, pending);
          if (u <= bound) expect(Math.max(pending, published + d.sample(given(u)))).toBe(pending);
          // The bound itself, the draw that comes closest.
          if (bound >= 0) expect(Math.max(pending, published + d.sample(given(bound)))).toBe(pending);
        }),
        { numRuns: 3000 },
      );
      // The bound is tight to within the grid: a pending delivery far enough ahead lets most draws through.
      expect(b.fits(0, 1e4)).toBeGreaterThan(0.99);
      expect(b.fits(0, 0)).toBe(-1);
    });
  }

  it("declines distributions whose draws are not one monotone function of one uniform", () => {
    expect(WatchMergeBounds.of(makeDistribution({ type: "erlang", mean: 1, k: 3 } as never))).toBeNull();
    expect(WatchMergeBounds.of(makeDistribution({ type: "constant", value: 1 } as never))).toBeNull();
  });
});
