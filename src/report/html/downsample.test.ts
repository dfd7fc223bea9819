import { describe, expect, it } from "vitest";
import { downsampleMinMax, MinMaxStream, type Reduce } from "./downsample.js";

describe("downsampleMinMax", () => {
  it("leaves a short series alone", () => {
    const d = downsampleMinMax([0, 1, 2], [[5, null, 7]], ["minmax"], 10);
    expect(d).toEqual({ x: [0, 1, 2], ys: [[5, null, 7]] });
  });

  it("keeps at most `limit` points and every bucket's extremes, in the order they occur", () => {
    const n = 100_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => (i === 12_345 ? 1000 : i === 67_890 ? -1000 : Math.sin(i / 50)));
    const d = downsampleMinMax(x, [y, y, y], ["minmax", "min", "max"], 1000);
    expect(d.x.length).toBeLessThanOrEqual(1000);
    expect(d.x.length).toBeGreaterThan(900);
    for (const ys of d.ys) expect(ys).toHaveLength(d.x.length);
    expect(Math.max(...(d.ys[0] as number[]))).toBe(1000);
    expect(Math.min(...(d.ys[0] as number[]))).toBe(-1000);
    expect(Math.max(...(d.ys[1] as number[]))).toBeLessThan(1000); // lower edge keeps minima only
    expect(Math.min(...(d.ys[2] as number[]))).toBeGreaterThan(-1000); // upper edge keeps maxima only
    // x stays increasing, so a chart can draw it.
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThan(d.x[i - 1]);
    // A peak sits in the bucket it came from.
    const at = d.ys[0].indexOf(1000);
    expect(Math.abs(d.x[at] - 12_345)).toBeLessThanOrEqual(n / 500);
  });

  it("keeps a bucket with no values empty", () => {
    const d = downsampleMinMax([0, 1, 2, 3, 4, 5], [[null, null, null, 1, 2, null]], ["minmax"], 4);
    expect(d.ys[0]).toEqual([null, null, 1, 2]);
  });
});

describe("MinMaxStream", () => {
  it("gives downsampleMinMax's points one value at a time, for any length, limit and reduction", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let n = 1; n <= 60; n++) {
      for (const limit of [2, 4, 5, 10, 64]) {
        const x = Array.from({ length: n }, (_, i) => i * 0.5);
        const y = x.map(() => (random() < 0.2 ? null : Math.round(random() * 10)));
        const modes: Reduce[] = ["minmax", "min", "max"];
        const d = downsampleMinMax(x, modes.map(() => y), modes, limit);
        const streams = [new MinMaxStream(n, limit, "x"), ...modes.map((m) => new MinMaxStream(n, limit, m))];
        for (let i = 0; i < n; i++) streams.forEach((s, k) => s.push(k === 0 ? x[i] : y[i]));
        expect(streams.map((s) => s.values())).toEqual([d.x, ...d.ys]);
      }
    }
  });
});
