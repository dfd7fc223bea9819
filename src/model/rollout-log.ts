/**
 * Every rollout of a run, with the outcome of the requests sent while it was under way: what the
 * Kubernetes e2e test testRollingUpdateLBConnectivityDisruption (test/e2e/network/loadbalancer.go)
 * measures, one success rate per rollout, counted over the requests that arrived from the rollout's
 * start until it completed (plus the pause before the next of a series, as the test's poll does).
 */
import { OUTCOMES } from "./metrics.js";

/** The requests of one Service that arrived during one rollout, by outcome. */
export class RolloutWindow {
  /** Until when arrivals count: Infinity while the rollout is under way. */
  end = Infinity;
  requests = 0;
  /** outcomes[k]: of those, ended with OUTCOMES[k] (0 is ok). */
  readonly outcomes = new Float64Array(OUTCOMES.length);

  constructor(
    readonly rollout: RolloutRecord,
    /** Index of the Service whose requests these are. */
    readonly service: number,
    readonly start: number,
  ) {}

  /** A measured request that arrived at `arrival` ended with outcome slot `k`. */
  count(arrival: number, k: number): void {
    if (arrival >= this.start && arrival < this.end) {
      this.requests++;
      this.outcomes[k]++;
    }
  }
}

/** One rollout of a Deployment or DaemonSet: one new template rolled out. */
export class RolloutRecord {
  /** When every pod ran the new template, Ready (the controller's rollout end); -1 until then. */
  completedAt = -1;
  readonly windows: RolloutWindow[] = [];

  constructor(
    readonly owner: string,
    readonly version: string,
    /** 1 for the owner's first rollout of the run, then 2, 3, ... */
    readonly number: number,
    readonly startedAt: number,
    /** How long after it completes its requests stop counting (the pause before the next of a series). */
    readonly tail: number,
  ) {}

  complete(now: number): void {
    this.completedAt = now;
    for (const w of this.windows) w.end = now + this.tail;
  }
}
