/**
 * Keeps report.html small for long runs: beyond a limit, a chart's points are cut into buckets of
 * consecutive x (a bucket is narrower than a pixel at the page's width) and each series keeps the
 * minimum and the maximum of each bucket, in the order they occur, so every spike stays visible
 * (the "min/max per pixel" reduction of time-series plotting tools). The CSVs keep every point.
 */
import type { Value } from "./spec.js";

/** How a series is reduced: both extremes, or one side only (a band's lower and upper edges). */
export type Reduce = "minmax" | "min" | "max";

export interface Downsampled {
  x: number[];
  ys: Value[][];
}

/**
 * Reduces `x` and every series in `ys` (same length as `x`) to at most `limit` points (limit >= 2).
 * Returns the input unchanged when it is already short enough.
 */
export function downsampleMinMax(x: readonly number[], ys: readonly (readonly Value[])[], reduce: readonly Reduce[], limit: number): Downsampled {
  const n = x.length;
  if (n <= limit) return { x: [...x], ys: ys.map((y) => [...y]) };
  const buckets = Math.max(1, Math.floor(limit / 2));
  const outX: number[] = [];
  const outYs: Value[][] = ys.map(() => []);
  for (let b = 0; b < buckets; b++) {
    const i0 = Math.floor((b * n) / buckets);
    const i1 = Math.floor(((b + 1) * n) / buckets);
    if (i1 <= i0) continue;
    const two = i1 - i0 > 1;
    outX.push(x[i0]);
    if (two) outX.push(x[i1 - 1]);
    ys.forEach((y, s) => {
      let lo = -1;
      let hi = -1;
      for (let i = i0; i < i1; i++) {
        const v = y[i];
        if (v === null || !Number.isFinite(v)) continue;
        if (lo < 0 || v < (y[lo] as number)) lo = i;
        if (hi < 0 || v > (y[hi] as number)) hi = i;
      }
      const out = outYs[s];
      if (lo < 0) {
        out.push(null);
        if (two) out.push(null);
        return;
      }
      const mode = reduce[s] ?? "minmax";
      if (!two) out.push(y[lo]);
      else if (mode === "min") out.push(y[lo], y[lo]);
      else if (mode === "max") out.push(y[hi], y[hi]);
      else if (lo <= hi) out.push(y[lo], y[hi]);
      else out.push(y[hi], y[lo]);
    });
  }
  return { x: outX, ys: outYs };
}
