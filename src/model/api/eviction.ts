/**
 * The Eviction API (pods/eviction): a pod being deleted already is deleted again (a no-op); one
 * matched by no budget is deleted; one matched by more than one budget is refused with an error
 * (HTTP 500: the subresource does not support it, whatever the budgets allow); a pod that is not
 * Ready is deleted without spending the budget when its policy is AlwaysAllow, or under the default
 * IfHealthyBudget when the budget's healthy pods reach its desired count (and that is above 0);
 * otherwise an eviction spends one allowed disruption, and when none is left it is refused with
 * 429 Too Many Requests, which kubectl drain retries. Source:
 * pkg/registry/core/pod/storage/eviction.go (Create, canIgnorePDB, checkAndDecrement).
 */
import type { Pod } from "../node/kubelet/pod.js";
import { disruptionStatus, type DisruptionLookup } from "../control-plane/disruption-controller.js";
import type { PodDisruptionBudget } from "./pod-disruption-budget.js";

export const EVICTED = 0;
/** 429: it would violate the pod's disruption budget; retry later. */
export const TOO_MANY_REQUESTS = 1;
/** 500: more than one PodDisruptionBudget matches the pod. */
export const MULTIPLE_BUDGETS = 2;
export type EvictionResult = typeof EVICTED | typeof TOO_MANY_REQUESTS | typeof MULTIPLE_BUDGETS;

export interface EvictionHost extends DisruptionLookup {
  readonly budgets: readonly PodDisruptionBudget[];
  /** Deletes the pod with its own grace period (graceful termination follows). */
  deletePod(pod: Pod): void;
}

/** POST pods/<name>/eviction. */
export function evict(pod: Pod, host: EvictionHost): EvictionResult {
  // canIgnorePDB: the pod is being deleted already (or has finished): delete it, nothing to spend.
  if (pod.terminating || pod.gone) {
    host.deletePod(pod);
    return EVICTED;
  }
  let pdb: PodDisruptionBudget | null = null;
  for (const b of host.budgets) {
    if (!b.selects(pod)) continue;
    if (pdb !== null) return MULTIPLE_BUDGETS;
    pdb = b;
  }
  if (pdb !== null) {
    const status = disruptionStatus(pdb, host);
    const unhealthyMayGo =
      !pod.ready &&
      (pdb.spec.unhealthyPodEvictionPolicy === "AlwaysAllow" || (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0));
    if (!unhealthyMayGo && status.disruptionsAllowed === 0) return TOO_MANY_REQUESTS;
  }
  host.deletePod(pod);
  return EVICTED;
}
