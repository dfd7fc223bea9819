/** Arrival processes: counts over long windows against their mean rates. */
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../random/index.js";
import { createArrivals } from "./arrivals.js";
import type { ArrivalSpec } from "../../scenario/types.js";

function count(spec: ArrivalSpec, from: number, to: number): number {
  const p = createArrivals(spec, new RandomStreams(5).stream("a"));
  let n = 0;
  for (let t = p.next(0); t < to; t = p.next(t)) if (t >= from) n++;
  return n;
}

describe("arrivals", () => {
  it("poisson: count within 4 standard deviations of rate x time", () => {
    const n = count({ type: "poisson", rate: 50 }, 0, 2000);
    expect(Math.abs(n - 100_000)).toBeLessThan(4 * Math.sqrt(100_000));
  });

  it("constant: exactly rate x time, give or take one", () => {
    expect(Math.abs(count({ type: "constant", rate: 10 }, 0, 100) - 1000)).toBeLessThanOrEqual(1);
  });

  it("bursty: the long-run rate is the time-weighted mean of the two states", () => {
    const spec: ArrivalSpec = { type: "bursty", rateOn: 100, rateOff: 10, meanOn: 1, meanOff: 4 };
    const T = 20_000;
    const n = count(spec, 0, T);
    const mean = (100 * 1 + 10 * 4) / 5;
    // An MMPP's count variance exceeds Poisson's; the state process alone contributes about
    // 2 (dRate)^2 pOn pOff^2 meanOn T ... bound it generously by 10x the Poisson variance.
    expect(Math.abs(n - mean * T)).toBeLessThan(4 * Math.sqrt(10 * mean * T));
    expect(createArrivals(spec, new RandomStreams(1).stream("x")).meanRate()).toBe(28);
  });

  it("ramp: the count over the ramp is the integral of the rate", () => {
    const spec: ArrivalSpec = { type: "ramp", from: 0, to: 200, over: 100, start: 50 };
    const during = count(spec, 50, 150); // integral = 100 x 100 = 10,000
    const after = count(spec, 150, 250); // 200 x 100 = 20,000
    const before = count(spec, 0, 50);
    expect(before).toBe(0);
    expect(Math.abs(during - 10_000)).toBeLessThan(4 * Math.sqrt(10_000));
    expect(Math.abs(after - 20_000)).toBeLessThan(4 * Math.sqrt(20_000));
  });

  it("a rate never above 0: nothing arrives", () => {
    for (const spec of [
      { type: "poisson", rate: 0 },
      { type: "constant", rate: 0 },
      { type: "ramp", from: 0, to: 0, over: 10, start: 5 },
    ] as ArrivalSpec[]) {
      const stream = new RandomStreams(5).stream("a");
      const p = createArrivals(spec, stream);
      expect(p.next(0)).toBe(Infinity);
      expect(p.meanRate()).toBe(0);
      // ... and without a draw: the stream's next uniform is still its first.
      expect(stream.random()).toBe(new RandomStreams(5).stream("a").random());
    }
  });
});
