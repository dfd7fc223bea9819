/**
 * A Service: a stable name that selects pods by labels. A pod is selected when every key-value of
 * the selector is among its labels (equality-based selector, as `spec.selector` on a Service).
 */
import type { ServiceSpec } from "../../scenario/types.js";
import type { Pod } from "../node/kubelet/pod.js";
import { matchesLabels } from "./label-selector.js";

/** A Service's traffic fields at their defaults: every endpoint, no preference, no affinity. */
export const PLAIN_SERVICE = {
  internalTrafficPolicy: "Cluster",
  trafficDistribution: null,
  sessionAffinity: "None",
  sessionAffinityConfig: null,
} as const satisfies Partial<ServiceSpec>;

export class Service {
  constructor(
    readonly index: number,
    readonly spec: ServiceSpec,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** Whether traffic to it may use endpoints on any node (ServicePort.UsesClusterEndpoints, in-cluster clients). */
  get usesClusterEndpoints(): boolean {
    return this.spec.internalTrafficPolicy === "Cluster";
  }

  /** Whether traffic to it uses only the node's own endpoints (ServicePort.UsesLocalEndpoints, in-cluster clients). */
  get usesLocalEndpoints(): boolean {
    return this.spec.internalTrafficPolicy === "Local";
  }

  selects(pod: Pod): boolean {
    return this.selectsLabels(pod.labels);
  }

  /** Whether pods with these labels would be selected. */
  selectsLabels(labels: Readonly<Record<string, string>>): boolean {
    return matchesLabels(this.spec.selector, labels);
  }
}
