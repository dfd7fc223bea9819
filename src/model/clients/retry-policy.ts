/**
 * A client's retry policy: which failures it retries (by outcome; Envoy's retry_on names are mapped
 * to outcomes by the schema), how many times, the backoff before each retry (drawn from the
 * workload's own retry stream), Envoy's retry budget and gRPC's transparent retry. A retry picks a
 * pod again through the client's node's view, like any new connection.
 * Sources: Envoy router retry_policy and circuit breakers' retry_budget (a client process stands
 * for one Envoy, each with its own budget); gRPC A6 (transparent retries).
 */
import { makeDistribution, type Distribution } from "../../random/distributions.js";
import type { RandomStream } from "../../random/index.js";
import type { DropReason, Outcome, RetrySpec } from "../../scenario/types.js";
import { OUTCOMES, outcomeSlot } from "../metrics.js";
import { TRANSPARENT_USED, type Attempt } from "./attempt.js";

/** What becomes of an attempt that ended (`next`'s answer). */
export const FINISH = 0;
export const RETRY_COUNTED = 1;
export const RETRY_TRANSPARENT = 2;
/** A retriable failure with no counted retry left. */
export const FINISH_EXHAUSTED = 3;
/** A retriable failure whose retry the budget refused (Envoy's upstream_rq_retry_overflow). */
export const FINISH_DENIED = 4;

export class RetryPolicy {
  /** retryOn[outcomeSlot(o)]: whether outcome o is retried. */
  private readonly retryOn: boolean[];
  /** Outcomes of an attempt that never left the client: a connect that failed, or kube-proxy's REJECT. */
  private readonly neverLeft: boolean[];
  private readonly backoff: Distribution;

  constructor(
    private readonly spec: RetrySpec,
    private readonly rng: RandomStream,
  ) {
    this.retryOn = OUTCOMES.map((r) => r !== "ok" && spec.on.includes(r as DropReason));
    this.neverLeft = OUTCOMES.map((r) => spec.transparent && (r === "refused" || r === "unreachable" || r === "no-endpoints"));
    this.backoff = makeDistribution(spec.backoff);
  }

  /** Envoy's per_try_timeout (Infinity: none, and the workload's timeout is each attempt's). */
  get perTryTimeout(): number {
    return this.spec.perTryTimeout;
  }

  /**
   * What follows an attempt that ended with `outcome` (its client's active retries already exclude
   * it): a transparent retry first, then a counted one while any is left and the budget allows.
   */
  next(a: Attempt, outcome: Outcome): number {
    if (outcome === "ok") return FINISH;
    const slot = outcomeSlot(outcome);
    if (this.neverLeft[slot] && (a.flags & TRANSPARENT_USED) === 0) return RETRY_TRANSPARENT;
    if (!this.retryOn[slot]) return FINISH;
    if (a.number >= this.spec.count) return this.spec.count > 0 ? FINISH_EXHAUSTED : FINISH;
    const budget = this.spec.budget;
    if (budget !== null) {
      const client = a.client;
      if (client.retrying >= Math.max(budget.minConcurrency, Math.floor(budget.percent * client.active))) return FINISH_DENIED;
    }
    return RETRY_COUNTED;
  }

  /** The wait before the next counted attempt. */
  backoffDelay(): number {
    return this.backoff.sample(this.rng);
  }
}
