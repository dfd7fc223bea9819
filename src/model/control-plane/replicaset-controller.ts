/**
 * ReplicaSets and their controller: create pods until spec.replicas are there, and delete the
 * surplus in the order Kubernetes does (not ready first, then co-located, recently ready, most
 * restarted, newest; LogarithmicScaleDown). Source: pkg/controller/replicaset, controller_utils.go.
 */
import type { Pod } from "../node/kubelet/pod.js";
import type { PodTemplate } from "../api/pod-template.js";

export class ReplicaSet {
  /** Pods not yet deleted: what the ReplicaSet counts. */
  readonly pods: Pod[] = [];
  /** Pods deleted but still shutting down (Recreate waits for them). */
  readonly terminating = new Set<Pod>();
  /** spec.replicas. */
  desired = 0;

  constructor(
    readonly version: string,
    readonly template: PodTemplate,
  ) {}

  /** Pods Ready for at least minReadySeconds (status.availableReplicas). */
  available(now: number, minReadySeconds: number): number {
    let n = 0;
    for (const p of this.pods) if (p.endpointReady && now - p.readySince >= minReadySeconds) n++;
    return n;
  }
}

/** floor(log2(x)) of a duration in whole seconds, as LogarithmicScaleDown buckets them (0 for under 1 s). */
const logBucket = (seconds: number) => (seconds < 1 ? 0 : Math.floor(Math.log2(seconds)) + 1);

/**
 * The order in which a ReplicaSet deletes its pods (controller.ActivePodsWithRanks with
 * LogarithmicScaleDown), as far as svcsim models pods: not ready first; then pods on nodes with
 * more pods of the same ReplicaSet; then the most recently ready, then the most restarted, then the
 * newest, each time compared in log2 buckets; a random pod id (the UID) breaks what is left.
 */
function rankForDeletion(now: number, colocated: (pod: Pod) => number): (a: Pod, b: Pod) => number {
  return (a, b) => {
    if (a.ready !== b.ready) return a.ready ? 1 : -1;
    const ca = colocated(a);
    const cb = colocated(b);
    if (ca !== cb) return cb - ca;
    if (a.ready) {
      const ra = logBucket(now - a.readySince);
      const rb = logBucket(now - b.readySince);
      if (ra !== rb) return ra - rb;
    }
    if (a.restarts !== b.restarts) return b.restarts - a.restarts;
    const ga = logBucket(now - a.createdAt);
    const gb = logBucket(now - b.createdAt);
    if (ga !== gb) return ga - gb;
    return a.uid - b.uid;
  };
}

/**
 * The first `k` of `items` as a stable sort by `order` would put them, without sorting them all: a
 * rollout scales its old ReplicaSet down a few pods at a time, each time out of thousands.
 */
export function firstInOrder<T>(items: readonly T[], k: number, order: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (8 * k >= items.length) return items.slice().sort(order).slice(0, k);
  const first: T[] = [];
  for (const x of items) {
    if (first.length === k && order(x, first[k - 1]) >= 0) continue;
    // After every element x does not precede, as a stable sort keeps equal elements in their order.
    let lo = 0;
    let hi = first.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(x, first[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    first.splice(lo, 0, x);
    if (first.length > k) first.pop();
  }
  return first;
}

/**
 * One ReplicaSet controller sync: creates pods while fewer than desired (stopping when `create`
 * finds no node: the rest stay Pending), deletes the lowest-ranked surplus.
 */
export function syncReplicaSet(rs: ReplicaSet, now: number, create: (rs: ReplicaSet) => Pod | null): void {
  while (rs.pods.length < rs.desired) {
    const pod = create(rs);
    if (pod === null) break;
    rs.pods.push(pod);
  }
  if (rs.pods.length > rs.desired) {
    const perNode = new Map<number, number>();
    for (const p of rs.pods) perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
    const order = rankForDeletion(now, (p) => perNode.get(p.node)!);
    const victims = firstInOrder(rs.pods, rs.pods.length - rs.desired, order);
    for (const pod of victims) pod.terminate();
  }
}
