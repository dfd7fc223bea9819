/**
 * Named random-number streams derived from one master seed. Each stream is seeded from
 * (seed, name) alone, so adding a stream or a draw in one part of a model never shifts the numbers
 * of another, and two runs that differ only in policy see the same arrivals (common random numbers).
 */
import seedrandom from "seedrandom";

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** One independent generator (seedrandom's Alea: fast, 2^116 period, seedable from a string). */
export class RandomStream {
  /** Draws a uniform number in [0, 1). */
  readonly random: Uniform;

  constructor(
    readonly seed: number | string,
    readonly name: string,
  ) {
    this.random = seedrandom.alea(`svcsim:${seed}:${name}`);
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** An exponential variate with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.random());
  }
}

/** The factory every part of a model draws its streams from. */
export class RandomStreams {
  constructor(readonly seed: number | string) {}

  /** A fresh generator for `name`; the same (seed, name) always yields the same sequence. */
  stream(name: string): RandomStream {
    return new RandomStream(this.seed, name);
  }
}
