/**
 * A node: it runs one kube-proxy and a kubelet that hosts pods, and clients run on it. When it
 * fails, its pods stop answering at once but keep their Ready condition until the node lifecycle
 * controller notices (control-plane/node-lifecycle-controller.ts). A cordoned node (kubectl cordon,
 * drain) takes no new pods; what already runs there stays. Cordoning does not touch kube-proxy:
 * its /healthz, which load balancers check, fails only for a node being deleted or tainted
 * ToBeDeletedByClusterAutoscaler (KEP-3836: the `taint` event).
 */
import type { RandomStream } from "../../random/index.js";
import type { KubeProxy } from "./kube-proxy/kube-proxy.js";
import type { Pod } from "./kubelet/pod.js";

export class Node {
  alive = true;
  /** spec.unschedulable: cordoned. */
  unschedulable = false;
  /** Tainted ToBeDeletedByClusterAutoscaler: the cluster autoscaler is about to remove it. */
  toBeDeleted = false;
  /** Pods placed here that are not gone. */
  readonly pods = new Set<Pod>();

  constructor(
    readonly index: number,
    readonly proxy: KubeProxy,
    /** Phases of the kubelet's lease renewals and the controller's checks. */
    readonly rng: RandomStream,
  ) {}

  /** The node fails: its kube-proxy and its pods stop. */
  fail(): void {
    if (!this.alive) return;
    this.alive = false;
    this.proxy.stop();
    for (const pod of this.pods) pod.nodeDown();
  }
}
