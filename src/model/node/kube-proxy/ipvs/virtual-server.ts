/**
 * A Service as one node's IPVS table holds it: the list of real servers in the kernel's order and
 * the scheduler (rr, wrr, lc, wlc, sed, nq, sh, mh) that picks from it. kube-proxy's syncEndpoint adds the endpoints new to
 * the node in `newEndpoints.UnsortedList()` order, a Go set's iteration order, random per node and
 * per sync; the kernel's `ip_vs_add_dest` puts each new real server at the head of the list, and
 * removed ones leave it while the rest keep their places. So no two nodes share an rr cycle or an
 * lc tie-break. Source: pkg/proxy/ipvs/proxier.go (syncEndpoint), net/netfilter/ipvs/ip_vs_ctl.c.
 * What a rewrite adds and deletes is worked out once per pair of endpoint lists and shared by the
 * nodes (they all go from one slice's list to the next); each node then shuffles the added ones
 * itself and writes its new list in one pass.
 */
import type { RandomStream } from "../../../../random/index.js";
import type { Pod } from "../../kubelet/pod.js";
import { StatelessBalancer, type Balancer, type CloseKind } from "../balancer.js";

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

/** What a rewrite from one endpoint list to another adds (in the new list's order) and deletes. */
interface Diff {
  readonly added: readonly Pod[];
  readonly removed: readonly Pod[];
}

/** Each endpoint list's number, so a diff can name the list it starts from without holding it. */
const listIds = new WeakMap<readonly Pod[], number>();
let listCount = 0;

function listId(list: readonly Pod[]): number {
  let id = listIds.get(list);
  if (id === undefined) {
    id = ++listCount;
    listIds.set(list, id);
  }
  return id;
}

/**
 * diffs.get(next).get(listId(prev)): the diff from `prev` to `next`. Without topology every node
 * is handed the slice's own list (categorizeEndpoints), so the nodes share a handful of diffs per
 * slice: from the previous slice's list, or an older one for a node that skipped some.
 */
const diffs = new WeakMap<readonly Pod[], Map<number, Diff>>();
/** Diffs kept per list (nodes that fell further behind work theirs out again). */
const DIFFS_PER_LIST = 8;

function diffOf(prev: readonly Pod[], next: readonly Pod[]): Diff {
  const from = listId(prev);
  let byOrigin = diffs.get(next);
  const known = byOrigin?.get(from);
  if (known !== undefined) return known;
  const inNext = mark(next);
  const removed = prev.filter((pod) => stamp[pod.id] !== inNext);
  const inPrev = mark(prev);
  const added = next.filter((pod) => stamp[pod.id] !== inPrev);
  const diff = { added, removed };
  if (byOrigin === undefined) diffs.set(next, (byOrigin = new Map()));
  else if (byOrigin.size >= DIFFS_PER_LIST) byOrigin.clear();
  byOrigin.set(from, diff);
  return diff;
}

const NONE: readonly Pod[] = [];

export class IpvsVirtualServer implements Balancer {
  /** The real servers in the kernel's list order. */
  private list: readonly Pod[] = NONE;
  /** The endpoints of the last update: the servers listed, in any order. */
  private endpoints: readonly Pod[] = NONE;
  /** The scheduler counts connections (lc, wlc, sed, nq); the others ignore them, and are not told. */
  private readonly counts: boolean;
  readonly nextUpstreamTries = 0;

  constructor(
    /** The scheduler, which picks in list order. */
    private readonly scheduler: Balancer,
    /** This node's draws of the Go set's iteration order. */
    private readonly rng: RandomStream,
  ) {
    this.counts = !(scheduler instanceof StatelessBalancer);
  }

  /** The scheduler, which picks from the list and counts the connections it picked for. */
  get scheduling(): Balancer {
    return this.scheduler;
  }

  /** The real servers in the order this node's kernel lists them (for tests and reports). */
  get realServers(): readonly Pod[] {
    return this.list;
  }

  update(endpoints: readonly Pod[]): void {
    const diff = diffOf(this.endpoints, endpoints);
    this.endpoints = endpoints;
    const k = diff.added.length;
    if (k === 0 && diff.removed.length === 0) {
      // The same servers: the list stays. A connection scheduler's state is as it was; rr works out
      // again where its pointer resumes, and wrr, sh and mh see their list unchanged.
      if (!this.counts) this.scheduler.update(this.list);
      return;
    }
    // Added one by one at the head in a random order: a uniformly shuffled block before the rest.
    const added = diff.added.slice();
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(this.rng.random() * (i + 1));
      const t = added[i];
      added[i] = added[j];
      added[j] = t;
    }
    // The new list: the added servers first, then the kept ones in their old order.
    const old = this.list;
    const list = new Array<Pod>(endpoints.length);
    for (let i = 0; i < k; i++) list[i] = added[i];
    const gone = mark(diff.removed);
    let n = k;
    for (const pod of old) if (stamp[pod.id] !== gone) list[n++] = pod;
    this.list = list;
    this.scheduler.update(list);
  }

  pick(source: number): Pod | null {
    return this.scheduler.pick(source);
  }

  opened(pod: Pod, established: boolean): void {
    if (this.counts) this.scheduler.opened(pod, established);
  }

  closed(pod: Pod, how: CloseKind): void {
    if (this.counts) this.scheduler.closed(pod, how);
  }
}
