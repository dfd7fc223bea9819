/**
 * Arrival processes of a workload: when the next request arrives. Poisson (exponential gaps),
 * constant (fixed gaps, random phase), bursty (a two-state Markov-modulated Poisson process) and
 * ramp (a Poisson process whose rate changes linearly, drawn by Lewis-Shedler thinning).
 */
import type { RandomStream } from "../../random/index.js";
import type { ArrivalSpec } from "../../scenario/types.js";

export interface ArrivalProcess {
  /** The arrival after one at `now` (the first call gives the first arrival); Infinity for none. */
  next(now: number): number;
  /** Long-run mean rate, per second, from `from` on: for reports and sanity checks. */
  meanRate(): number;
}

/**
 * A process whose rate is never above 0: nothing arrives. Its own class, so that the others' `next`
 * has no `return Infinity` for it: a branch that never runs leaves that load of the global `Infinity`
 * without type feedback, and V8, merging it with the hot branch's double, boxes every arrival's time.
 */
class NoArrivals implements ArrivalProcess {
  constructor(private readonly rate: number) {}
  next(): number {
    return Infinity;
  }
  meanRate(): number {
    return this.rate;
  }
}

class Poisson implements ArrivalProcess {
  /** The mean gap, 1 / rate, divided out once rather than at every arrival (the same number). */
  private readonly meanGap: number;
  constructor(
    private readonly rate: number,
    private readonly rng: RandomStream,
  ) {
    this.meanGap = 1 / rate;
  }
  next(now: number): number {
    return now + this.rng.exponential(this.meanGap);
  }
  meanRate(): number {
    return this.rate;
  }
}

class Constant implements ArrivalProcess {
  private started = false;
  constructor(
    private readonly rate: number,
    private readonly rng: RandomStream,
  ) {}
  next(now: number): number {
    if (!this.started) {
      this.started = true;
      return now + this.rng.random() / this.rate;
    }
    return now + 1 / this.rate;
  }
  meanRate(): number {
    return this.rate;
  }
}

class Bursty implements ArrivalProcess {
  private on = true;
  /** NaN until the constructor sets it: a double from the start (README, "Time fields start as doubles"). */
  private stateEnds = NaN;
  constructor(
    private readonly spec: Extract<ArrivalSpec, { type: "bursty" }>,
    private readonly rng: RandomStream,
  ) {
    this.stateEnds = -1;
  }
  next(now: number): number {
    const s = this.spec;
    if (this.stateEnds < 0) {
      // Start in each state in proportion to the time spent in it.
      this.on = this.rng.random() < s.meanOn / (s.meanOn + s.meanOff);
      this.stateEnds = now + this.rng.exponential(this.on ? s.meanOn : s.meanOff);
    }
    let t = now;
    for (;;) {
      const rate = this.on ? s.rateOn : s.rateOff;
      const candidate = rate > 0 ? t + this.rng.exponential(1 / rate) : Infinity;
      // Memorylessness: a gap that crosses the state's end is redrawn from the end.
      if (candidate < this.stateEnds) return candidate;
      t = this.stateEnds;
      this.on = !this.on;
      this.stateEnds = t + this.rng.exponential(this.on ? s.meanOn : s.meanOff);
    }
  }
  meanRate(): number {
    const s = this.spec;
    return (s.rateOn * s.meanOn + s.rateOff * s.meanOff) / (s.meanOn + s.meanOff);
  }
}

class Ramp implements ArrivalProcess {
  private readonly peak: number;
  /** Infinity, read from a field on the rare path below, not from the global (see NoArrivals). */
  private readonly never = Infinity;
  constructor(
    private readonly spec: Extract<ArrivalSpec, { type: "ramp" }>,
    private readonly rng: RandomStream,
  ) {
    this.peak = Math.max(spec.from, spec.to);
  }
  rateAt(t: number): number {
    const s = this.spec;
    const f = s.over > 0 ? Math.min(1, Math.max(0, (t - s.start) / s.over)) : t >= s.start ? 1 : 0;
    return s.from + (s.to - s.from) * f;
  }
  next(now: number): number {
    let t = now;
    for (;;) {
      t += this.rng.exponential(1 / this.peak);
      if (this.rng.random() * this.peak < this.rateAt(t)) return t;
      // Past the ramp with a final rate of 0 nothing more arrives.
      if (t > this.spec.start + this.spec.over && this.spec.to <= 0) return this.never;
    }
  }
  meanRate(): number {
    return this.spec.to;
  }
}

export function createArrivals(spec: ArrivalSpec, rng: RandomStream): ArrivalProcess {
  switch (spec.type) {
    case "poisson":
      return spec.rate > 0 ? new Poisson(spec.rate, rng) : new NoArrivals(spec.rate);
    case "constant":
      return spec.rate > 0 ? new Constant(spec.rate, rng) : new NoArrivals(spec.rate);
    case "bursty":
      return new Bursty(spec, rng);
    case "ramp":
      return Math.max(spec.from, spec.to) > 0 ? new Ramp(spec, rng) : new NoArrivals(spec.to);
  }
}
