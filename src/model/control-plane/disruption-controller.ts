/**
 * The disruption controller's reckoning of a PodDisruptionBudget's status: the pods it expects
 * (the scale of their controllers for a percentage or maxUnavailable, the pods themselves for a
 * count of minAvailable), how many must stay healthy, how many are (Ready and not being deleted),
 * and so how many evictions it allows now. Source: pkg/controller/disruption/disruption.go
 * (getExpectedPodCount, getExpectedScale, countHealthyPods, updatePdbStatus). The real controller
 * writes the status a few milliseconds after each pod change and the Eviction API decrements it on
 * each eviction; svcsim works it out at the moment of each eviction, which gives the same answers.
 */
import type { Pod } from "../node/kubelet/pod.js";
import type { PodDisruptionBudget } from "../api/pod-disruption-budget.js";
import { resolveIntOrPercent } from "./deployment-controller.js";

export interface DisruptionStatus {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

/** What the controller looks up about the budget's pods. */
export interface DisruptionLookup {
  /** Pods not yet gone that the budget's selector matches. */
  podsMatching(pdb: PodDisruptionBudget): readonly Pod[];
  /**
   * The owning controller's name and spec.replicas (its /scale), or null when it has no scale
   * subresource (a DaemonSet): then a percentage or maxUnavailable cannot be worked out.
   */
  scaleOf(pod: Pod): { controller: string; replicas: number } | null;
}

export function disruptionStatus(pdb: PodDisruptionBudget, lookup: DisruptionLookup): DisruptionStatus {
  const pods = lookup.podsMatching(pdb);
  let currentHealthy = 0;
  for (const pod of pods) if (!pod.terminating && pod.ready) currentHealthy++;
  const { minAvailable, maxUnavailable } = pdb.spec;
  let expectedPods: number;
  let desiredHealthy: number;
  if (minAvailable !== undefined && typeof minAvailable === "number") {
    expectedPods = pods.length;
    desiredHealthy = minAvailable;
  } else {
    const scale = expectedScale(pods, lookup);
    // A controller without a scale makes the sync fail: failSafe sets disruptionsAllowed to 0.
    if (scale === null) return { expectedPods: 0, desiredHealthy: 0, currentHealthy, disruptionsAllowed: 0 };
    expectedPods = scale;
    desiredHealthy =
      maxUnavailable !== undefined
        ? Math.max(0, scale - resolveIntOrPercent(maxUnavailable, scale, true))
        : resolveIntOrPercent(minAvailable!, scale, true);
  }
  // expectedCount must be > 0: a budget matching no pods yet is safe when its first pods appear.
  const allowed = currentHealthy - desiredHealthy;
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed: expectedPods <= 0 || allowed <= 0 ? 0 : allowed };
}

/** The sum of the scales of the pods' controllers, each counted once; null if one has no scale. */
function expectedScale(pods: readonly Pod[], lookup: DisruptionLookup): number | null {
  const seen = new Map<string, number>();
  for (const pod of pods) {
    const scale = lookup.scaleOf(pod);
    if (scale === null) return null;
    seen.set(scale.controller, scale.replicas);
  }
  let total = 0;
  for (const n of seen.values()) total += n;
  return total;
}
