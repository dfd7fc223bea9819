/**
 * A node: it runs one kube-proxy and a kubelet that hosts pods, and clients run on it. When it
 * fails, its pods stop answering at once but keep their Ready condition until the node lifecycle
 * controller notices (control-plane/node-lifecycle-controller.ts). A cordoned node (kubectl cordon,
 * drain) takes no new pods; what already runs there stays. Cordoning does not touch kube-proxy:
 * its /healthz, which load balancers check, fails only for a node being deleted or tainted
 * ToBeDeletedByClusterAutoscaler (KEP-3836: the `taint` event). A node may be in a zone
 * (cluster.zones), which its pods and clients share.
 */
import type { RandomStream } from "../../random/index.js";
import type { PodsPerNode } from "../control-plane/scheduler.js";
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
    /** Its zone (topology.kubernetes.io/zone), an index into the cluster's zones; -1 for none. */
    readonly zone: number,
    /** How many of its pods each owner has, kept here for the scheduler, which need not count them. */
    private readonly placed: PodsPerNode,
  ) {}

  /** A pod is placed here. */
  addPod(pod: Pod): void {
    this.pods.add(pod);
    this.placed.change(pod.deployment, this.index, 1);
  }

  /** A pod placed here is gone. */
  removePod(pod: Pod): void {
    if (this.pods.delete(pod)) this.placed.change(pod.deployment, this.index, -1);
  }

  /** Pods here of one owner (Deployment or DaemonSet) that are not gone. */
  podsOf(owner: string): number {
    const row = this.placed.row(owner);
    return this.index < row.length ? row[this.index] : 0;
  }

  /** The node fails: its kube-proxy and its pods stop. */
  fail(): void {
    if (!this.alive) return;
    this.alive = false;
    this.proxy.stop();
    for (const pod of this.pods) pod.nodeDown();
  }
}
