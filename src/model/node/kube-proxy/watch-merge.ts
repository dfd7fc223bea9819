/**
 * Which watch-latency draws cannot move a node's next delivery. A change reaches a node at
 * max(its pending delivery, published + latency) (deliveries keep their order), so a draw whose
 * latency fits before the pending delivery only joins it; on a busy cluster nearly every draw does
 * (the node-scaling rollout on 1,000 nodes: 8,310 of 1,134,000). For a latency that is a monotone
 * function of one uniform (lognormal, exponential, uniform), the uniform alone tells: below the
 * uniform of a latency known to fit, the draw fits. The stream is stepped exactly as before (one
 * uniform per draw) and a latency that is needed is computed from that uniform as before, so every
 * delivery is the same; only the transform (a normal quantile and an exponential) is skipped.
 */
import { ExponentialDistribution, LognormalDistribution, UniformDistribution, type Distribution } from "../../../random/distributions.js";
import type { Uniform } from "../../../random/index.js";

/** A stand-in stream that returns one given uniform: evaluates a one-uniform distribution at it. */
class GivenUniform implements Uniform {
  value = 0;
  random(): number {
    return this.value;
  }
}

/**
 * Margins that keep "fits" exact in floating point: a latency within 1e-6 of the grid's (the normal
 * quantile's approximation changes by ~1e-9 between its pieces), and absolute slack for rounding.
 */
const RELATIVE_MARGIN = 1e-6;
const ABSOLUTE_MARGIN = 1e-9;

export class WatchMergeBounds {
  /** Uniforms of the grid, ascending: i / 256, then 1 - 2^-k up to 2^-40. */
  private readonly uniforms: Float64Array;
  /** Their latencies, raised by the relative margin (ascending too). */
  private readonly latencies: Float64Array;
  private readonly given = new GivenUniform();

  private constructor(private readonly latency: Distribution) {
    const us: number[] = [];
    for (let i = 1; i < 256; i++) us.push(i / 256);
    for (let k = 9; k <= 40; k++) us.push(1 - 2 ** -k);
    this.uniforms = Float64Array.from(us);
    this.latencies = Float64Array.from(us, (u) => this.at(u) * (1 + RELATIVE_MARGIN));
  }

  /** Bounds for `latency`, or null when its draws are not one monotone function of one uniform. */
  static of(latency: Distribution): WatchMergeBounds | null {
    const monotone = latency instanceof LognormalDistribution || latency instanceof ExponentialDistribution || latency instanceof UniformDistribution;
    if (!monotone) return null;
    const b = new WatchMergeBounds(latency);
    for (let i = 1; i < b.latencies.length; i++) if (!(b.latencies[i] >= b.latencies[i - 1])) return null;
    return Number.isFinite(b.latencies[0]) ? b : null;
  }

  /** The latency the distribution draws for uniform `u` (its `sample` as if the stream gave u). */
  at(u: number): number {
    this.given.value = u;
    return this.latency.sample(this.given);
  }

  /**
   * A uniform at or below which a change published at `published` surely arrives by `pending`
   * (published + latency <= pending, as the simulation computes it); -1 when none is known.
   */
  fits(published: number, pending: number): number {
    const room = pending - published - ABSOLUTE_MARGIN - 1e-12 * Math.abs(pending);
    const ls = this.latencies;
    if (!(ls[0] <= room)) return -1;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= room) lo = mid;
      else hi = mid - 1;
    }
    return this.uniforms[lo];
  }
}
