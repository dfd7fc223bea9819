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
 *
 * `record` computes no logarithm: the value's exponent and top mantissa bits index a table built
 * once per (accuracy, range) that names the bucket of the table entry's smallest value; entries are
 * narrower than a bucket, so one comparison with that bucket's exact upper bound finishes the job.
 * The bounds are the exact places where ceil(ln(v) / ln(gamma)) steps, so every value lands in the
 * same bucket as with the logarithm, and quantiles are unchanged to the last bit.
 */

/** The bucket mapping of one (accuracy, range): built once, shared by every histogram using it. */
interface BucketIndex {
  /** Buckets, the zero bucket excluded. */
  size: number;
  /** upper[i]: the largest double that falls in bucket i (Infinity for the last one). */
  upper: Float64Array;
  /** Bucket of the smallest value of each table entry. */
  first: Int32Array;
  /** Table entries are (high 32 bits of the double) >>> shift, minus base. */
  shift: number;
  base: number;
}

// One scratch double and its two 32-bit halves (little-endian on every platform Node runs on).
const scratch = new Float64Array(1);
const halves = new Uint32Array(scratch.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const indexes = new Map<string, BucketIndex>();

/** The bucket index for (gamma, min, max): the log-based mapping, tabulated. */
function bucketIndex(invLogGamma: number, offset: number, size: number, gamma: number, min: number, max: number): BucketIndex {
  const key = `${gamma}:${min}:${max}`;
  const cached = indexes.get(key);
  if (cached !== undefined) return cached;
  // upper[i]: step from gamma^k, one double at a time, to the last double whose key is still k (a
  // few steps: the product's rounding moves the edge by some ulps).
  const upper = new Float64Array(size);
  const logGamma = Math.log(gamma);
  for (let i = 0; i < size - 1; i++) {
    const k = i + offset;
    scratch[0] = Math.exp(k * logGamma);
    while (Math.ceil(Math.log(scratch[0]) * invLogGamma) > k) stepDouble(-1);
    do stepDouble(1);
    while (Math.ceil(Math.log(scratch[0]) * invLogGamma) <= k);
    stepDouble(-1);
    upper[i] = scratch[0];
  }
  upper[size - 1] = Infinity;
  // Enough mantissa bits that an entry spans less than one bucket (ratio 2^-bits < gamma - 1).
  const bits = Math.min(20, Math.ceil(-Math.log2(gamma - 1)) + 1);
  const shift = 20 - bits;
  const base = highWord(min) >>> shift;
  const last = highWord(max) >>> shift;
  // Entries and buckets both ascend: one merge walk, no logarithm.
  const first = new Int32Array(last - base + 1);
  for (let e = 0, i = 0; e < first.length; e++) {
    halves[HI] = (e + base) << shift;
    halves[LO] = 0;
    const lo = scratch[0];
    while (lo > upper[i]) i++;
    first[e] = i;
  }
  const index = { size, upper, first, shift, base };
  indexes.set(key, index);
  return index;
}

/** Moves the positive double in `scratch` to its neighbour above (1) or below (-1). */
function stepDouble(direction: 1 | -1): void {
  const lo = halves[LO] + direction;
  halves[LO] = lo; // wraps modulo 2^32; the carry or borrow goes to the high word
  if (lo > 0xffffffff) halves[HI]++;
  else if (lo < 0) halves[HI]--;
}

function highWord(v: number): number {
  scratch[0] = v;
  return halves[HI];
}


/**
 * The error for a negative or NaN value, built out of line: a template string over `value` inside
 * `record` made V8 keep every recorded value as a heap object that lived long enough to be promoted
 * (measured on the peer model: 1.8x the CPU time of a run, and ~60 MB more memory).
 */
function badValue(value: number): RangeError {
  return new RangeError(`LatencyHistogram.record: value must be >= 0, got ${value}`);
}

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
  private readonly upper: Float64Array;
  private readonly first: Int32Array;
  private readonly shift: number;
  private readonly base: number;
  private readonly lastEntry: number;
  private zeroCount = 0;
  private n = 0;
  /** NaN until the constructor sets it: a double from the start (README, "Time fields start as doubles"). */
  private total = NaN;
  private lowest = Infinity;
  private highest = -Infinity;

  constructor(opts: LatencyHistogramOptions = {}) {
    const { relativeAccuracy = 0.01, min = 1e-6, max = 1e5 } = opts;
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) throw new RangeError(`relativeAccuracy must be in (0, 1), got ${relativeAccuracy}`);
    if (!(min > 0 && max > min && Number.isFinite(max))) throw new RangeError(`need 0 < min < max < Infinity, got [${min}, ${max}]`);
    this.total = 0;
    this.relativeAccuracy = relativeAccuracy;
    this.minValue = min;
    this.maxValue = max;
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
    this.invLogGamma = 1 / this.logGamma;
    this.offset = Math.ceil(Math.log(min) * this.invLogGamma);
    const size = Math.ceil(Math.log(max) * this.invLogGamma) - this.offset + 1;
    this.counts = new Float64Array(size);
    const index = bucketIndex(this.invLogGamma, this.offset, size, this.gamma, min, max);
    this.upper = index.upper;
    this.first = index.first;
    this.shift = index.shift;
    this.base = index.base;
    this.lastEntry = index.first.length - 1;
  }

  /** Records one value (>= 0). Hot path: a table look-up and a comparison, no logarithm, no allocation. */
  record(value: number): void {
    if (!(value >= 0)) throw badValue(value);
    this.n++;
    this.total += value;
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
    if (value < this.minValue) {
      this.zeroCount++;
      return;
    }
    this.counts[this.bucketOf(value)]++;
  }

  /**
   * The bucket (0 .. bucketCount - 2) a value >= min falls in: ceil(ln(value) / ln(gamma)) - ceil(ln(min) /
   * ln(gamma)), clamped to the buckets, computed without a logarithm (see the module comment).
   */
  bucketOf(value: number): number {
    scratch[0] = value;
    let e = (halves[HI] >>> this.shift) - this.base;
    if (e > this.lastEntry) e = this.lastEntry; // above max: the last bucket, whose bound is Infinity
    let i = this.first[e];
    while (value > this.upper[i]) i++; // at most once: an entry is narrower than a bucket
    return i;
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
    // No bucket below the smallest value's holds anything: the walk starts there (an interval's
    // histogram spans a few dozen of the ~1,300 buckets, and is asked at every interval's close).
    let i = this.firstUsed();
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
    this.mergeCounts(other);
    this.total += other.total;
  }

  /**
   * Adds another histogram's counts, buckets and extremes, but not its sum: for a histogram whose
   * values were recorded elsewhere and added here one by one with `addToSum`, as they came. A sum
   * of doubles depends on the order of its terms; so added, this one's sum (and mean) is the same
   * double as if every value had been recorded here, while counts and extremes merge exactly.
   */
  mergeCounts(other: LatencyHistogram): void {
    if (other.relativeAccuracy !== this.relativeAccuracy || other.minValue !== this.minValue || other.maxValue !== this.maxValue) {
      throw new RangeError("LatencyHistogram.merge: histograms differ in relativeAccuracy, min or max");
    }
    if (other.n === 0) return;
    const to = other.lastUsed();
    for (let i = other.firstUsed(); i <= to; i++) this.counts[i] += other.counts[i];
    this.zeroCount += other.zeroCount;
    this.n += other.n;
    if (other.lowest < this.lowest) this.lowest = other.lowest;
    if (other.highest > this.highest) this.highest = other.highest;
  }

  /** Adds a value to the sum alone (see mergeCounts). */
  addToSum(value: number): void {
    this.total += value;
  }

  /** The lowest bucket that may hold a count: the smallest value's (every bucket is empty below it). */
  private firstUsed(): number {
    return this.lowest < this.minValue ? 0 : this.bucketOf(this.lowest);
  }

  /** The highest bucket that may hold a count: the largest value's (-1 when every value is below the range). */
  private lastUsed(): number {
    return this.highest < this.minValue ? -1 : this.bucketOf(this.highest);
  }

  /** Empties the histogram, keeping its buckets: only those between its extremes can hold a count. */
  reset(): void {
    if (this.n > 0) this.counts.fill(0, this.firstUsed(), this.lastUsed() + 1);
    this.zeroCount = 0;
    this.n = 0;
    this.total = 0;
    this.lowest = Infinity;
    this.highest = -Infinity;
  }
}
