/**
 * A client's retry policy: which failures it retries (by outcome), how many times, and the backoff
 * before each retry, drawn from the workload's own retry stream. A retry picks a pod again through
 * the client's node's view, like any new connection.
 */
import { makeDistribution, type Distribution } from "../../random/distributions.js";
import type { RandomStream } from "../../random/index.js";
import type { DropReason, Outcome, RetrySpec } from "../../scenario/types.js";
import { OUTCOMES, outcomeSlot } from "../metrics.js";
import type { Attempt } from "./attempt.js";

export class RetryPolicy {
  /** retryOn[outcomeSlot(o)]: whether outcome o is retried. */
  private readonly retryOn: boolean[];
  private readonly backoff: Distribution;

  constructor(
    private readonly spec: RetrySpec,
    private readonly rng: RandomStream,
  ) {
    this.retryOn = OUTCOMES.map((r) => r !== "ok" && spec.on.includes(r as DropReason));
    this.backoff = makeDistribution(spec.backoff);
  }

  /** Whether an attempt that ended with `outcome` is tried again. */
  retries(a: Attempt, outcome: Outcome): boolean {
    return outcome !== "ok" && a.number < this.spec.count && this.retryOn[outcomeSlot(outcome)];
  }

  /** The wait before the next attempt. */
  backoffDelay(): number {
    return this.backoff.sample(this.rng.random);
  }
}
