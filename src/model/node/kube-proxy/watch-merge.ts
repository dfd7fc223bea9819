/**
 * Which watch-latency draws cannot move a node's next delivery. A change reaches a node at
 * max(its pending delivery, published + latency) (deliveries keep their order), so a draw whose
 * latency fits before the pending delivery only joins it; on a busy cluster nearly every draw does
 * (the node-scaling rollout on 1,000 nodes: 8,310 of 1,134,000). For a latency drawn by inversion
 * (Distribution.quantile: one uniform through a non-decreasing function), the uniform alone tells:
 * below the uniform of a latency known to fit, the draw fits. The stream is stepped exactly as
 * before (one uniform per draw) and a latency that is needed is computed from that uniform as
 * before, so every delivery is the same; only the transform (the distribution's quantile) is skipped.
 */
import { isInvertible, type Distribution, type InvertibleDistribution } from "../../../random/distributions.js";

/**
 * Margins that keep "fits" exact in floating point: a latency within 1e-6 of the grid's (the normal
 * quantile's approximation changes by ~1e-9 between its pieces), and absolute slack for rounding.
 * For a normal latency near its cut at 0 only the absolute slack applies: it covers the rounding of
 * mean - stddev * Q and the quantile's measured 1.6e-13 step down at p = 0.97575, for means and
 * standard deviations up to ~10^3 s.
 */
const RELATIVE_MARGIN = 1e-6;
const ABSOLUTE_MARGIN = 1e-9;
/** The grid's first points are (i + 1) / STEPS, so the first point above u is found by one multiply. */
const STEPS = 256;

export class WatchMergeBounds {
  /** Uniforms of the grid, ascending: (i + 1) / 256 for i < 255, then 1 - 2^-k up to 2^-40. */
  private readonly uniforms: Float64Array;
  /** Their latencies, raised by the relative margin (ascending too). */
  private readonly latencies: Float64Array;

  private constructor(private readonly latency: InvertibleDistribution) {
    const us: number[] = [];
    for (let i = 1; i < STEPS; i++) us.push(i / STEPS);
    for (let k = 9; k <= 40; k++) us.push(1 - 2 ** -k);
    this.uniforms = Float64Array.from(us);
    this.latencies = Float64Array.from(us, (u) => latency.quantile(u) * (1 + RELATIVE_MARGIN));
  }

  /** Bounds for `latency`, or null when its draws are not made by inversion of one uniform. */
  static of(latency: Distribution): WatchMergeBounds | null {
    if (!isInvertible(latency)) return null;
    const b = new WatchMergeBounds(latency);
    for (let i = 1; i < b.latencies.length; i++) if (!(b.latencies[i] >= b.latencies[i - 1])) return null;
    return Number.isFinite(b.latencies[0]) ? b : null;
  }

  /** The latency the distribution draws for uniform `u` (its `sample` when the stream gives u). */
  at(u: number): number {
    return this.latency.quantile(u);
  }

  /**
   * Whether the draw of uniform `u` for a change published at `published` surely arrives by
   * `pending` (published + latency <= pending, as the simulation computes it): true when the latency
   * of the grid's first uniform above u fits (at u = k/256 exactly, the next one up: stricter, never wrong). False when that is not known.
   */
  fits(u: number, published: number, pending: number): boolean {
    const room = pending - published - ABSOLUTE_MARGIN - 1e-12 * Math.abs(pending);
    // u * 256 is exact, so grid point i, (i + 1) / 256, is above u.
    const i = (u * STEPS) | 0;
    if (i < STEPS - 1) return this.latencies[i] <= room;
    const us = this.uniforms;
    for (let j = STEPS - 1; j < us.length; j++) if (u <= us[j]) return this.latencies[j] <= room;
    return false;
  }
}
