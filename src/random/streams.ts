/**
 * Named random-number streams derived from one master seed. Each stream is seeded from
 * (seed, name) alone, so adding a stream or a draw in one part of a model never shifts the numbers
 * of another, and two runs that differ only in policy see the same arrivals (common random numbers).
 */
import seedrandom from "seedrandom";

/** A source of uniform numbers in [0, 1): a random stream (or, in a test, a stand-in). */
export interface Uniform {
  random(): number;
}

/**
 * One independent generator: Baagoe's Alea (fast, 2^116 period), seeded from a string by seedrandom,
 * then stepped here with seedrandom's exact arithmetic, so it draws the same numbers.
 *
 * Why not call seedrandom's generator: it is a closure per stream, and a call site in the model
 * (a sampler, a balancer) that has seen one stream's closure is compiled for that closure alone;
 * the next run of a comparison brings new streams, new closures, and the JIT throws that code away.
 * As a method of one class, `random` is the same function for every stream of every run.
 */
export class RandomStream implements Uniform {
  // Alea's state: three lags and a carry (seedrandom's s0, s1, s2 and c). The lags start as NaN so
  // that V8 keeps them as doubles from the first stream on (README, "Time fields start as doubles").
  private s0 = NaN;
  private s1 = NaN;
  private s2 = NaN;
  private c = 0;

  constructor(
    readonly seed: number | string,
    readonly name: string,
  ) {
    const state = seedrandom.alea(`svcsim:${seed}:${name}`, { state: true }).state();
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
    this.c = state.c;
  }

  /** Draws a uniform number in [0, 1). */
  random(): number {
    this.step();
    return this.s2;
  }

  /**
   * A uniform integer in [0, n). The draw is read from the state, not from `random()`: a double
   * returned by a call V8 does not inline is boxed, a heap object per draw, and an integer is not.
   */
  int(n: number): number {
    this.step();
    return Math.floor(this.s2 * n);
  }

  /** An exponential variate with the given mean (the uniform read from the state, as in `int`). */
  exponential(mean: number): number {
    this.step();
    return -mean * Math.log(1 - this.s2);
  }

  /** Alea's step, as seedrandom's lib/alea.js writes it; the new uniform draw is `s2`. */
  private step(): void {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
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
