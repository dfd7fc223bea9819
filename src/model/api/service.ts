/**
 * A Service: a stable name that selects pods by labels. A pod is selected when every key-value of
 * the selector is among its labels (equality-based selector, as `spec.selector` on a Service).
 */
import type { ServiceSpec } from "../../scenario/types.js";
import type { Pod } from "../node/kubelet/pod.js";
import { matchesLabels } from "./label-selector.js";

/** A Service's traffic fields at their defaults: every endpoint, no preference, no affinity, a ClusterIP only. */
export const PLAIN_SERVICE = {
  internalTrafficPolicy: "Cluster",
  trafficDistribution: null,
  topologyMode: null,
  sessionAffinity: "None",
  sessionAffinityConfig: null,
  type: "ClusterIP",
  externalTrafficPolicy: "Cluster",
  loadBalancer: null,
} as const satisfies Partial<ServiceSpec>;

export class Service {
  constructor(
    readonly index: number,
    readonly spec: ServiceSpec,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** In-cluster clients' traffic goes only to endpoints on their node (internalTrafficPolicy Local). */
  get internalPolicyLocal(): boolean {
    return this.spec.internalTrafficPolicy === "Local";
  }

  /** Whether it is reached from outside the cluster too: node ports (and a load balancer's, which targets them). */
  get external(): boolean {
    return this.spec.type !== "ClusterIP";
  }

  /** External traffic goes only to endpoints on the node it reached (externalTrafficPolicy Local). */
  get externalPolicyLocal(): boolean {
    return this.external && this.spec.externalTrafficPolicy === "Local";
  }

  /** Whether some of its traffic may use endpoints on any node (ServicePort.UsesClusterEndpoints). */
  get usesClusterEndpoints(): boolean {
    return !this.internalPolicyLocal || (this.external && !this.externalPolicyLocal);
  }

  /** Whether some of its traffic uses only the node's own endpoints (ServicePort.UsesLocalEndpoints). */
  get usesLocalEndpoints(): boolean {
    return this.internalPolicyLocal || this.externalPolicyLocal;
  }

  /** Whether external traffic needs rules of its own: its policy differs from the internal one. */
  get externalRulesDiffer(): boolean {
    return this.external && this.externalPolicyLocal !== this.internalPolicyLocal;
  }

  selects(pod: Pod): boolean {
    return this.selectsLabels(pod.labels);
  }

  /** Whether pods with these labels would be selected. */
  selectsLabels(labels: Readonly<Record<string, string>>): boolean {
    return matchesLabels(this.spec.selector, labels);
  }
}
