/**
 * A Service as one node's IPVS table holds it: the list of real servers in the kernel's order and
 * the scheduler (rr, wrr, lc, wlc, sed, nq, sh, mh) that picks from it. kube-proxy's syncEndpoint adds the endpoints new to
 * the node in `newEndpoints.UnsortedList()` order, a Go set's iteration order, random per node and
 * per sync; the kernel's `ip_vs_add_dest` puts each new real server at the head of the list, and
 * removed ones leave it while the rest keep their places. So no two nodes share an rr cycle or an
 * lc tie-break. Source: pkg/proxy/ipvs/proxier.go (syncEndpoint), net/netfilter/ipvs/ip_vs_ctl.c.
 */
import type { RandomStream } from "../../../../random/index.js";
import type { Pod } from "../../kubelet/pod.js";
import type { Balancer, CloseKind } from "../balancer.js";

export class IpvsVirtualServer implements Balancer {
  /** The real servers in the kernel's list order. */
  private list: readonly Pod[] = [];
  /** stamp[pod.id]: the last update that saw the pod, to split kept from added in O(n). */
  private readonly stamp: number[] = [];
  private updates = 0;
  readonly nextUpstreamTries = 0;

  constructor(
    /** The scheduler, which picks in list order. */
    private readonly scheduler: Balancer,
    /** This node's draws of the Go set's iteration order. */
    private readonly rng: RandomStream,
  ) {}

  /** The real servers in the order this node's kernel lists them (for tests and reports). */
  get realServers(): readonly Pod[] {
    return this.list;
  }

  update(endpoints: readonly Pod[]): void {
    const stamp = this.stamp;
    const seen = ++this.updates;
    for (const pod of endpoints) stamp[pod.id] = seen;
    const kept: Pod[] = [];
    for (const pod of this.list) if (stamp[pod.id] === seen) kept.push(pod);
    const inList = ++this.updates;
    for (const pod of kept) stamp[pod.id] = inList;
    const added: Pod[] = [];
    for (const pod of endpoints) if (stamp[pod.id] !== inList) added.push(pod);
    // Added one by one at the head in a random order: a uniformly shuffled block before the rest.
    for (let i = added.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng.random() * (i + 1));
      const t = added[i];
      added[i] = added[j];
      added[j] = t;
    }
    this.list = added.length === 0 ? kept : added.concat(kept);
    this.scheduler.update(this.list);
  }

  pick(source: number): Pod | null {
    return this.scheduler.pick(source);
  }

  opened(pod: Pod, established: boolean): void {
    this.scheduler.opened(pod, established);
  }

  closed(pod: Pod, how: CloseKind): void {
    this.scheduler.closed(pod, how);
  }
}
