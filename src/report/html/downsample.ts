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

/**
 * downsampleMinMax for a series that arrives one value at a time, `n` values in all: the same
 * points (`x` keeps each bucket's first and last x, like the x of downsampleMinMax), without holding
 * the series. With `n <= limit` it keeps every value.
 */
export class MinMaxStream {
  private readonly out: Value[] = [];
  private readonly whole: boolean;
  private readonly buckets: number;
  private i = 0;
  private b = 0;
  private i0 = 0;
  private i1 = 0;
  private first: Value = null;
  private last: Value = null;
  private lo: Value = null;
  private hi: Value = null;
  private loAt = -1;
  private hiAt = -1;

  constructor(
    private readonly n: number,
    limit: number,
    private readonly reduce: Reduce | "x",
  ) {
    this.whole = n <= limit;
    this.buckets = Math.max(1, Math.floor(limit / 2));
    this.bounds();
  }

  push(v: Value): void {
    if (this.whole) {
      this.out.push(v);
      return;
    }
    const i = this.i++;
    while (i >= this.i1 && this.b < this.buckets) this.next();
    if (i === this.i0) this.first = v;
    this.last = v;
    if (v === null || !Number.isFinite(v)) return;
    if (this.loAt < 0 || v < (this.lo as number)) {
      this.lo = v;
      this.loAt = i;
    }
    if (this.hiAt < 0 || v > (this.hi as number)) {
      this.hi = v;
      this.hiAt = i;
    }
  }

  /** The reduced series (call once, after the n values). */
  values(): Value[] {
    while (!this.whole && this.b < this.buckets) this.next();
    return this.out;
  }

  private bounds(): void {
    this.i0 = Math.floor((this.b * this.n) / this.buckets);
    this.i1 = Math.floor(((this.b + 1) * this.n) / this.buckets);
    this.loAt = this.hiAt = -1;
  }

  /** Writes the bucket under way and moves to the next. */
  private next(): void {
    const { i0, i1, out } = this;
    if (i1 > i0) {
      const two = i1 - i0 > 1;
      if (this.reduce === "x") {
        out.push(this.first);
        if (two) out.push(this.last);
      } else if (this.loAt < 0) {
        out.push(null);
        if (two) out.push(null);
      } else if (!two) out.push(this.lo);
      else if (this.reduce === "min") out.push(this.lo, this.lo);
      else if (this.reduce === "max") out.push(this.hi, this.hi);
      else if (this.loAt <= this.hiAt) out.push(this.lo, this.hi);
      else out.push(this.hi, this.lo);
    }
    this.b++;
    this.bounds();
  }
}
