import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { RandomStream, RandomStreams } from "./streams.js";

const draw = (s: { random: () => number }, n: number) => Array.from({ length: n }, () => s.random());

describe("RandomStreams", () => {
  it("gives the same sequence for the same seed and name", () => {
    expect(draw(new RandomStreams(42).stream("arrivals"), 100)).toEqual(draw(new RandomStreams(42).stream("arrivals"), 100));
  });

  it("gives different sequences for different names and seeds", () => {
    const a = draw(new RandomStreams(42).stream("arrivals"), 100);
    expect(draw(new RandomStreams(42).stream("service"), 100)).not.toEqual(a);
    expect(draw(new RandomStreams(43).stream("arrivals"), 100)).not.toEqual(a);
  });

  it("draws exactly the numbers of seedrandom's Alea for the same seed string", () => {
    // The stream steps Alea itself (see RandomStream): every number must be seedrandom's, to the bit,
    // or every recorded result would move. A million draws reach deep into the carry's behaviour.
    for (const [seed, name] of [[1, "arrivals:web"], ["x", "service:web"], [2 ** 31 + 5, ""]] as const) {
      const ours = new RandomStream(seed, name);
      const theirs = seedrandom.alea(`svcsim:${seed}:${name}`);
      let differ = 0;
      for (let i = 0; i < 1_000_000; i++) if (ours.random() !== theirs()) differ++;
      expect(differ).toBe(0);
    }
  });

  it("is unaffected by draws from, or creation of, other streams", () => {
    const streams = new RandomStreams(7);
    const a = streams.stream("a");
    const first = draw(a, 10);
    streams.stream("b").random();
    draw(streams.stream("c"), 1000);
    const rest = draw(a, 10);
    const fresh = draw(new RandomStreams(7).stream("a"), 20);
    expect([...first, ...rest]).toEqual(fresh);
  });

  it("draws uniforms in [0, 1) with the uniform mean and variance", () => {
    const s = new RandomStreams(1).stream("u");
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = s.random();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    // Var(U) = 1/12; Var of the sample mean = 1/(12 n); Var(U^2) = 4/45 bounds the variance estimator.
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt(4 / 45 / n));
  });

  it("draws integers uniformly in [0, n)", () => {
    const s = new RandomStreams(3).stream("int");
    const counts = new Array(5).fill(0);
    const m = 50_000;
    for (let i = 0; i < m; i++) counts[s.int(5)]++;
    const e = m / 5;
    const chi2 = counts.reduce((acc, x) => acc + ((x - e) * (x - e)) / e, 0);
    expect(chi2).toBeLessThan(18.47); // chi-square, 4 d.f., p = 0.999
  });

  it("draws int(n) and exponential(mean) from the same uniforms as random(), bit for bit", () => {
    // They read the generator's state themselves (no boxed double per draw): a twin stream calling
    // random() must see the same numbers, so a change to one of the three shows here.
    const s = new RandomStreams(11).stream("twin");
    const twin = new RandomStreams(11).stream("twin");
    for (let i = 0; i < 5_000; i++) {
      const n = [1, 2, 3, 7, 1_000, 2 ** 31, 0.5][i % 7];
      expect(s.int(n)).toBe(Math.floor(twin.random() * n));
      const mean = [1, 0.008, 3e-7][i % 3];
      expect(s.exponential(mean)).toBe(-mean * Math.log(1 - twin.random()));
    }
  });
});
