import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "./histogram.js";

/** Lognormal draws by Box–Muller from a seeded generator. */
function lognormal(seed: string, n: number, mu: number, sigma: number): number[] {
  const rand = seedrandom.alea(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return Math.exp(mu + sigma * z);
  });
}

/** The lower quantile the histogram promises: the r-th smallest value, r = max(1, ceil(q n)). */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

const QS = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1];

describe("LatencyHistogram", () => {
  for (const alpha of [0.01, 0.05]) {
    it(`quantiles of lognormal data are within relative error ${alpha}`, () => {
      const xs = lognormal(`h${alpha}`, 100_000, -4, 1.5);
      const h = new LatencyHistogram({ relativeAccuracy: alpha });
      for (const x of xs) h.record(x);
      const sorted = [...xs].sort((a, b) => a - b);
      let worst = 0;
      for (const q of QS) {
        const exact = exactQuantile(sorted, q);
        const err = Math.abs(h.quantile(q) - exact) / exact;
        expect(err).toBeLessThanOrEqual(alpha * (1 + 1e-9));
        worst = Math.max(worst, err);
      }
      expect(worst).toBeGreaterThan(alpha / 10); // the buckets really are that coarse
      expect(h.quantile(0)).toBe(sorted[0]);
      expect(h.quantile(1)).toBe(sorted[sorted.length - 1]);
    });
  }

  it("uses the lower-quantile rank", () => {
    const h = new LatencyHistogram();
    for (const x of [1, 2, 3, 4]) h.record(x);
    expect(h.quantile(0.5)).toBeCloseTo(2, 1); // not 2.5 (interpolated) nor 3 (upper)
    expect(h.quantile(0.51)).toBeCloseTo(3, 1);
    expect(h.quantile(0.25)).toBe(1);
  });

  it("tracks count, sum, mean, min and max exactly", () => {
    const h = new LatencyHistogram();
    for (const x of [0.5, 0.25, 2, 0.125]) h.record(x);
    expect(h.count).toBe(4);
    expect(h.sum).toBe(2.875);
    expect(h.mean).toBe(2.875 / 4);
    expect(h.min).toBe(0.125);
    expect(h.max).toBe(2);
  });

  it("empty and reset histograms give NaN", () => {
    const h = new LatencyHistogram();
    for (const get of [() => h.quantile(0.5), () => h.mean, () => h.min, () => h.max]) expect(get()).toBeNaN();
    h.record(1);
    h.record(3);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.sum).toBe(0);
    expect(h.quantile(0.99)).toBeNaN();
    h.record(5);
    expect(h.quantile(0.5)).toBe(5); // no residue from before the reset
    expect(h.min).toBe(5);
  });

  it("merge equals recording both streams", () => {
    const a = lognormal("a", 20_000, -3, 1);
    const b = lognormal("b", 30_000, -1, 0.5);
    const [ha, hb, both] = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    for (const x of a) (ha.record(x), both.record(x));
    for (const x of b) (hb.record(x), both.record(x));
    ha.merge(hb);
    expect(ha.count).toBe(both.count);
    expect(ha.sum).toBeCloseTo(both.sum, 8);
    expect(ha.min).toBe(both.min);
    expect(ha.max).toBe(both.max);
    for (const q of QS) expect(ha.quantile(q)).toBe(both.quantile(q));
    expect(() => ha.merge(new LatencyHistogram({ relativeAccuracy: 0.02 }))).toThrow(RangeError);
  });

  it("folded piecewise (mergeCounts, addToSum in record order), equals recording every value, to the bit", () => {
    // Pieces as an interval's histograms are: narrow ranges, some below the range's min, some empty.
    const xs = lognormal("fold", 50_000, -5, 2).concat([0, 1e-9, 2e5, 3e-7]);
    const whole = new LatencyHistogram();
    const folded = new LatencyHistogram();
    const piece = new LatencyHistogram();
    for (let i = 0; i < xs.length; i++) {
      whole.record(xs[i]);
      piece.record(xs[i]);
      folded.addToSum(xs[i]);
      if (i % 97 === 0 || i === xs.length - 1) {
        folded.mergeCounts(piece);
        piece.reset();
        folded.mergeCounts(piece); // an empty piece adds nothing
      }
    }
    expect(folded.count).toBe(whole.count);
    expect(folded.sum).toBe(whole.sum); // the same terms in the same order: the same double
    expect(folded.mean).toBe(whole.mean);
    expect(folded.min).toBe(whole.min);
    expect(folded.max).toBe(whole.max);
    for (const q of [...QS, 0.3, 0.6, 0.999999]) expect(folded.quantile(q)).toBe(whole.quantile(q));
  });

  it("a reset clears every bucket between the extremes, and only a piece's own buckets are merged", () => {
    const h = new LatencyHistogram();
    for (const x of [1e-6, 0.5, 99_999, 2e5]) h.record(x); // the first and last buckets too
    h.reset();
    h.record(0.01);
    h.record(0.02);
    const fresh = new LatencyHistogram();
    for (const x of [0.01, 0.02]) fresh.record(x);
    for (const q of QS) expect(h.quantile(q)).toBe(fresh.quantile(q));
    const total = new LatencyHistogram();
    total.mergeCounts(h);
    expect([total.count, total.sum, total.quantile(0.5)]).toEqual([2, 0, fresh.quantile(0.5)]);
  });

  it("memory is flat: the bucket array does not grow with count", () => {
    const h = new LatencyHistogram();
    const before = h.bucketCount;
    expect(before).toBeLessThan(1400); // ln(1e11)/ln(1.01/0.99) ≈ 1266 buckets
    const rand = seedrandom.alea("flat");
    for (let i = 0; i < 1_000_000; i++) h.record(1e-7 * 1e13 ** rand());
    expect(h.bucketCount).toBe(before);
    expect(h.count).toBe(1_000_000);
    expect(new LatencyHistogram({ relativeAccuracy: 0.001 }).bucketCount).toBeGreaterThan(9 * before);
  });

  it("values outside [min, max] fall back to the exact extremes", () => {
    const h = new LatencyHistogram({ min: 1e-3, max: 10 });
    h.record(1e-5);
    h.record(2e-5);
    for (let i = 0; i < 8; i++) h.record(1);
    h.record(500);
    expect(h.quantile(0)).toBe(1e-5);
    expect(h.quantile(0.15)).toBe(1e-5); // rank 2 is in the zero bucket: reported as the tracked min
    expect(h.quantile(0.5)).toBeCloseTo(1, 1);
    expect(h.quantile(1)).toBe(500);
    expect(h.max).toBe(500);
    h.record(0);
    expect(h.min).toBe(0);
  });

  it("values at the range edges keep the guarantee", () => {
    const h = new LatencyHistogram({ min: 1e-6, max: 1e5 });
    for (const x of [1e-6, 1e-6, 1e-6, 1e5, 1e5, 1e5]) h.record(x);
    expect(Math.abs(h.quantile(0.4) - 1e-6) / 1e-6).toBeLessThanOrEqual(0.01);
    expect(Math.abs(h.quantile(0.6) - 1e5) / 1e5).toBeLessThanOrEqual(0.01);
  });

  it("rejects bad values and options", () => {
    const h = new LatencyHistogram();
    expect(() => h.record(-1)).toThrow(RangeError);
    expect(() => h.record(NaN)).toThrow(RangeError);
    expect(() => h.quantile(1.5)).toThrow(RangeError);
    expect(() => new LatencyHistogram({ relativeAccuracy: 0 })).toThrow(RangeError);
    expect(() => new LatencyHistogram({ min: 0 })).toThrow(RangeError);
    expect(() => new LatencyHistogram({ min: 2, max: 1 })).toThrow(RangeError);
  });
});

describe("LatencyHistogram bucket mapping", () => {
  /** The definition: the bucket whose key is ceil(ln v / ln gamma), counted from the key of min. */
  function byLogarithm(h: LatencyHistogram, v: number): number {
    const gamma = (1 + h.relativeAccuracy) / (1 - h.relativeAccuracy);
    const inv = 1 / Math.log(gamma);
    const i = Math.ceil(Math.log(v) * inv) - Math.ceil(Math.log(h.minValue) * inv);
    const last = h.bucketCount - 2;
    return i < 0 ? 0 : i > last ? last : i;
  }
  const ulp = (v: number, d: number) => {
    const f = new Float64Array([v]);
    const u = new BigUint64Array(f.buffer);
    u[0] += BigInt(d);
    return f[0];
  };

  for (const [alpha, min, max] of [
    [0.01, 1e-6, 1e5],
    [0.05, 1e-3, 10],
    [0.001, 1e-6, 1e5],
    [0.2, 0.5, 2],
  ]) {
    it(`matches the logarithm exactly, at every bucket edge and between (alpha ${alpha}, [${min}, ${max}])`, () => {
      const h = new LatencyHistogram({ relativeAccuracy: alpha, min, max });
      const gamma = (1 + alpha) / (1 - alpha);
      let checked = 0;
      // A few doubles either side of every bucket edge gamma^k, where rounding decides.
      for (let k = Math.ceil(Math.log(min) / Math.log(gamma)) - 1; k <= Math.ceil(Math.log(max) / Math.log(gamma)) + 1; k++) {
        const edge = gamma ** k;
        for (let d = -4; d <= 4; d++) {
          const v = ulp(edge, d);
          if (v < min) continue;
          expect(h.bucketOf(v)).toBe(byLogarithm(h, v));
          checked++;
        }
      }
      const rand = seedrandom.alea(`map${alpha}`);
      let differ = 0;
      for (let i = 0; i < 200_000; i++) {
        const v = min * (max / min) ** (rand() * 1.1);
        if (h.bucketOf(v) !== byLogarithm(h, v)) differ++;
      }
      expect(differ).toBe(0);
      for (const v of [min, max, ulp(max, 1), max * 1e10, Number.MAX_VALUE, Infinity]) expect(h.bucketOf(v)).toBe(byLogarithm(h, v));
      expect(checked).toBeGreaterThan(8 * (h.bucketCount - 3)); // every edge inside the range
    });
  }
});
