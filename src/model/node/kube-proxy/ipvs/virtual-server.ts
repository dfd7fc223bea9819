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
import { StatelessBalancer, type Balancer, type CloseKind } from "../balancer.js";
import type { DeferrableScheduler, ListOwner } from "./destinations.js";

/**
 * stamp[pod.id]: the last mark an update put on the pod, to split kept from added in O(n). One
 * scratch array for every node's table (an update runs to its end before another starts), with
 * marks unique across them, instead of an array per node and Service.
 */
let stamp = new Int32Array(1024);
let marks = 0;

/** A mark no pod carries yet. */
function nextMark(): number {
  if (marks === 0x7fffffff) {
    stamp.fill(0);
    marks = 0;
  }
  return ++marks;
}

function mark(pods: readonly Pod[]): number {
  const m = nextMark();
  for (const pod of pods) {
    if (pod.id >= stamp.length) {
      const grown = new Int32Array(Math.max(pod.id + 1, 2 * stamp.length));
      grown.set(stamp);
      stamp = grown;
    }
    stamp[pod.id] = m;
  }
  return m;
}

/**
 * Rewrites a table holds back before it writes the oldest: the lists wait for a pick, which most
 * nodes never make. At most this many, and at most HELD_ENDPOINTS servers in all (a list narrowed
 * by topology is the node's own array, so holding many of a large Service would cost memory per node).
 */
const HELD_REWRITES = 16;
const HELD_ENDPOINTS = 4096;

export class IpvsVirtualServer implements Balancer, ListOwner {
  /** The real servers in the kernel's list order. */
  private list: readonly Pod[] = [];
  /**
   * The endpoints of the rewrites not yet written into the list, oldest first. The list after them
   * depends on each of them in turn (every rewrite shuffles its added servers with this node's own
   * draws), so they are written one by one, exactly as they would have been, when a pick needs the
   * list; a node whose clients never pick never draws them.
   */
  private held: (readonly Pod[])[] = [];
  /** The servers in `held`, counted over its lists. */
  private heldEndpoints = 0;
  /** The scheduler counts connections (lc, wlc, sed, nq); the others ignore them, and are not told. */
  private readonly counts: boolean;
  readonly nextUpstreamTries = 0;

  constructor(
    /** The scheduler, which picks in list order. */
    private readonly scheduler: DeferrableScheduler,
    /** This node's draws of the Go set's iteration order. */
    private readonly rng: RandomStream,
  ) {
    this.counts = !(scheduler instanceof StatelessBalancer);
    scheduler.owner = this;
  }

  /** The scheduler, which picks from the list and counts the connections it picked for. */
  get scheduling(): Balancer {
    return this.scheduler;
  }

  /** The real servers in the order this node's kernel lists them (for tests and reports). */
  get realServers(): readonly Pod[] {
    this.catchUp();
    return this.list;
  }

  update(endpoints: readonly Pod[]): void {
    this.held.push(endpoints);
    this.heldEndpoints += endpoints.length;
    while (this.held.length > HELD_REWRITES || (this.heldEndpoints > HELD_ENDPOINTS && this.held.length > 1)) {
      const oldest = this.held.shift()!;
      this.heldEndpoints -= oldest.length;
      this.write(oldest);
    }
    this.scheduler.behind = true;
  }

  catchUp(): void {
    const held = this.held;
    this.scheduler.behind = false;
    for (let i = 0; i < held.length; i++) this.write(held[i]);
    held.length = 0;
    this.heldEndpoints = 0;
  }

  /** One rewrite of the rules: the kernel's list after kube-proxy's adds and deletes, and the scheduler told. */
  private write(endpoints: readonly Pod[]): void {
    const old = this.list;
    const seen = mark(endpoints);
    let kept = 0;
    for (const pod of old) if (stamp[pod.id] === seen) kept++;
    if (kept === old.length && kept === endpoints.length) {
      // The same servers: the list stays. A connection scheduler's state is as it was; rr works out
      // again where its pointer resumes, and wrr, sh and mh see their list unchanged.
      if (!this.counts) this.scheduler.update(old);
      return;
    }
    // The new list: the added servers first, then the kept ones in their old order.
    const added = endpoints.length - kept;
    const list = new Array<Pod>(endpoints.length);
    let k = added;
    for (const pod of old) if (stamp[pod.id] === seen) list[k++] = pod;
    const inList = nextMark();
    for (let i = added; i < list.length; i++) stamp[list[i].id] = inList;
    let a = 0;
    for (const pod of endpoints) if (stamp[pod.id] !== inList) list[a++] = pod;
    // Added one by one at the head in a random order: a uniformly shuffled block before the rest.
    for (let i = added - 1; i > 0; i--) {
      const j = Math.floor(this.rng.random() * (i + 1));
      const t = list[i];
      list[i] = list[j];
      list[j] = t;
    }
    this.list = list;
    this.scheduler.update(list);
  }

  pick(source: number): number {
    return this.scheduler.pick(source);
  }

  opened(podId: number, established: boolean): void {
    if (this.counts) this.scheduler.opened(podId, established);
  }

  closed(podId: number, how: CloseKind): void {
    if (this.counts) this.scheduler.closed(podId, how);
  }
}
