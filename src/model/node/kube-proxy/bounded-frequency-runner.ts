/**
 * kube-proxy's BoundedFrequencyRunner (pkg/util/async/bounded_frequency_runner.go): a token bucket
 * at 1/minInterval with a burst; a request that finds a token runs at once, one that finds none runs
 * minInterval after the last run, merged with any that come meanwhile. A run takes as long as
 * writing the rules does, and `lastRun` is recorded when it returns; requests made meanwhile wait
 * for it and then ask again (the runner's loop holds one pending request). v1.34's
 * pkg/proxy/runner has no burst, which a burst of 1 models. One runner per node serves every Service.
 */
import type { EventHandler, SimEvent, Simulation } from "../../../engine/index.js";

/** What the runner runs: kube-proxy's syncProxyRules. */
export interface Runnable {
  /** Starts a sync; returns how long writing the rules takes, seconds (0: they are in place now). */
  syncProxyRules(): number;
  /** The rules of a sync that took time are now in place. */
  rulesWritten(): void;
}

const TIMER = 0;
const WRITTEN = 1;

export class BoundedFrequencyRunner implements EventHandler {
  private tokens: number;
  private lastRefill: number;
  /** When the last run returned. */
  private lastRun = -Infinity;
  /** The retry timer for a request that found no token. */
  private event: SimEvent | null = null;
  /** A run still writing its rules; null when none is. */
  private writing: SimEvent | null = null;
  /** A run was asked for while one was writing. */
  private wanted = false;

  constructor(
    private readonly sim: Simulation,
    private readonly minInterval: number,
    private readonly burst: number,
    private readonly target: Runnable,
  ) {
    this.lastRefill = sim.now;
    this.tokens = burst;
  }

  /** Asks for a run: now if a token is there, else merged into the run already due. */
  run(): void {
    if (this.writing !== null) {
      this.wanted = true;
      return;
    }
    if (this.event !== null) return; // merged into the run already scheduled
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.runNow();
      return;
    }
    // As tryRun: retry minInterval after the last run, when a token is sure to be there.
    this.event = this.sim.at(Math.max(this.sim.now, this.lastRun + this.minInterval), this, TIMER);
  }

  stop(): void {
    this.sim.cancel(this.event);
    this.sim.cancel(this.writing);
  }

  onEvent(_sim: Simulation, kind: number): void {
    if (kind === WRITTEN) {
      this.writing = null;
      this.lastRun = this.sim.now;
      this.target.rulesWritten();
      if (this.wanted) {
        this.wanted = false;
        this.run();
      }
      return;
    }
    this.event = null;
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
    this.runNow();
  }

  private runNow(): void {
    const writeTime = this.target.syncProxyRules();
    if (writeTime > 0) this.writing = this.sim.after(writeTime, this, WRITTEN);
    else this.lastRun = this.sim.now;
  }

  private refill(): void {
    const now = this.sim.now;
    const period = this.minInterval;
    this.tokens = period > 0 ? Math.min(this.burst, this.tokens + (now - this.lastRefill) / period) : this.burst;
    this.lastRefill = now;
  }
}
