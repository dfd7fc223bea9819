/**
 * A PodDisruptionBudget (policy/v1) as the API server holds it: which pods it guards (its
 * selector, in the pods' namespace; an empty selector matches nothing) and how many of them a
 * voluntary disruption (an eviction) must leave healthy. Its status is the disruption controller's
 * (control-plane/disruption-controller.ts).
 */
import type { PodDisruptionBudgetSpec } from "../../scenario/types.js";
import type { Pod } from "../node/kubelet/pod.js";
import { matchesLabels } from "./label-selector.js";

export class PodDisruptionBudget {
  constructor(readonly spec: PodDisruptionBudgetSpec) {}

  get name(): string {
    return this.spec.name;
  }

  selects(pod: Pod): boolean {
    return matchesLabels(this.spec.selector, pod.labels);
  }
}
