/**
 * Streaming latency histogram with bounded relative error (DDSketch: Masson, Rim, Lee, VLDB 2019),
 * on a fixed, preallocated bucket array so memory stays flat however many values are recorded.
 *
 * Guarantee: with alpha = relativeAccuracy, gamma = (1 + alpha)/(1 - alpha), bucket k holding
 * (gamma^(k-1), gamma^k] and reporting 2 gamma^k/(1 + gamma), let n = count, r = max(1, ceil(q n))
 * and x_(r) the r-th smallest recorded value (the "lower" quantile: the smallest recorded v with at
 * least ceil(q n) values <= v). If min <= x_(r) <= max (the configured range), then
 * |quantile(q) - x_(r)| <= alpha * x_(r). Ranks 1 and n return the exactly tracked min and max.
 * Values below the range share one zero bucket reported as the observed minimum (absolute error
 * below the range's min); values above it land in the last bucket (no relative guarantee there).
 */

export interface LatencyHistogramOptions {
  /** Relative accuracy alpha in (0, 1); default 0.01 (quantiles within 1%). */
  relativeAccuracy?: number;
  /** Smallest value tracked with relative accuracy, > 0; default 1e-6 (1 µs in seconds). */
  min?: number;
  /** Largest value tracked with relative accuracy; default 1e5 s. */
  max?: number;
}

export class LatencyHistogram {
  readonly relativeAccuracy: number;
  readonly minValue: number;
  readonly maxValue: number;
  private readonly gamma: number;
  private readonly logGamma: number;
  private readonly invLogGamma: number;
  private readonly offset: number; // bucket key of array slot 0
  private readonly counts: Float64Array; // Float64 counts stay exact to 2^53
  private zeroCount = 0;
  private n = 0;
  private total = 0;
  private lowest = Infinity;
  private highest = -Infinity;

  constructor(opts: LatencyHistogramOptions = {}) {
    const { relativeAccuracy = 0.01, min = 1e-6, max = 1e5 } = opts;
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) throw new RangeError(`relativeAccuracy must be in (0, 1), got ${relativeAccuracy}`);
    if (!(min > 0 && max > min && Number.isFinite(max))) throw new RangeError(`need 0 < min < max < Infinity, got [${min}, ${max}]`);
    this.relativeAccuracy = relativeAccuracy;
    this.minValue = min;
    this.maxValue = max;
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
    this.invLogGamma = 1 / this.logGamma;
    this.offset = Math.ceil(Math.log(min) * this.invLogGamma);
    this.counts = new Float64Array(Math.ceil(Math.log(max) * this.invLogGamma) - this.offset + 1);
  }

  /** Records one value (>= 0). Hot path: one Math.log, no allocation. */
  record(value: number): void {
    if (!(value >= 0)) throw new RangeError(`LatencyHistogram.record: value must be >= 0, got ${value}`);
    this.n++;
    this.total += value;
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
    if (value < this.minValue) {
      this.zeroCount++;
      return;
    }
    const i = Math.ceil(Math.log(value) * this.invLogGamma) - this.offset;
    // Rounding can push a value at exactly min or max one slot out; clamping also folds in values above max.
    this.counts[i < 0 ? 0 : i >= this.counts.length ? this.counts.length - 1 : i]++;
  }

  get count(): number {
    return this.n;
  }

  get sum(): number {
    return this.total;
  }

  /** Exact mean (sum / count); NaN when empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.total / this.n;
  }

  /** Exact smallest recorded value; NaN when empty. */
  get min(): number {
    return this.n === 0 ? NaN : this.lowest;
  }

  /** Exact largest recorded value; NaN when empty. */
  get max(): number {
    return this.n === 0 ? NaN : this.highest;
  }

  /** Number of buckets: fixed by (relativeAccuracy, min, max) at construction, never by count. */
  get bucketCount(): number {
    return this.counts.length + 1;
  }

  /** Lower q-quantile within the relative error stated above; NaN when empty. */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`LatencyHistogram.quantile: q must be in [0, 1], got ${q}`);
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.n));
    if (rank === 1) return this.lowest;
    if (rank === this.n) return this.highest;
    let seen = this.zeroCount;
    if (seen >= rank) return this.lowest;
    let i = 0;
    for (; i < this.counts.length - 1; i++) {
      seen += this.counts[i];
      if (seen >= rank) break;
    }
    const estimate = (2 * Math.exp((i + this.offset) * this.logGamma)) / (1 + this.gamma);
    // The true quantile lies in [min, max], so clamping can only move the estimate closer.
    return Math.min(Math.max(estimate, this.lowest), this.highest);
  }

  /** Adds another histogram's contents; it must share this one's accuracy and range. */
  merge(other: LatencyHistogram): void {
    if (other.relativeAccuracy !== this.relativeAccuracy || other.minValue !== this.minValue || other.maxValue !== this.maxValue) {
      throw new RangeError("LatencyHistogram.merge: histograms differ in relativeAccuracy, min or max");
    }
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.zeroCount += other.zeroCount;
    this.n += other.n;
    this.total += other.total;
    if (other.lowest < this.lowest) this.lowest = other.lowest;
    if (other.highest > this.highest) this.highest = other.highest;
  }

  /** Empties the histogram, keeping its buckets. */
  reset(): void {
    this.counts.fill(0);
    this.zeroCount = 0;
    this.n = 0;
    this.total = 0;
    this.lowest = Infinity;
    this.highest = -Infinity;
  }
}
