/**
 * kube-proxy's BoundedFrequencyRunner (pkg/util/async/bounded_frequency_runner.go): a token bucket
 * at 1/minInterval with a burst; a request that finds a token runs at once, one that finds none runs
 * minInterval after the last run, merged with any that come meanwhile. v1.34's pkg/proxy/runner has
 * no burst, which a burst of 1 models. One runner per node serves every Service.
 */
import type { EventHandler, SimEvent, Simulation } from "../../../engine/index.js";

/** What the runner runs: kube-proxy's syncProxyRules. */
export interface Runnable {
  syncProxyRules(): void;
}

export class BoundedFrequencyRunner implements EventHandler {
  private tokens: number;
  private lastRefill: number;
  /** When the last run started. */
  private lastRun = -Infinity;
  private event: SimEvent | null = null;

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
    if (this.event !== null) return; // merged into the run already scheduled
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.runNow();
      return;
    }
    // As tryRun: retry minInterval after the last run, when a token is sure to be there.
    this.event = this.sim.at(Math.max(this.sim.now, this.lastRun + this.minInterval), this);
  }

  stop(): void {
    this.sim.cancel(this.event);
  }

  onEvent(): void {
    this.event = null;
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
    this.runNow();
  }

  private runNow(): void {
    this.lastRun = this.sim.now;
    this.target.syncProxyRules();
  }

  private refill(): void {
    const now = this.sim.now;
    const period = this.minInterval;
    this.tokens = period > 0 ? Math.min(this.burst, this.tokens + (now - this.lastRefill) / period) : this.burst;
    this.lastRefill = now;
  }
}
