/**
 * One node's IPVS connection counts per real server, as the connection-based schedulers read them
 * (ip_vs_dest: activeconns, inactconns). A connection is active once established. A closed one stays
 * in IPVS's table as inactive for the kernel's default state timeouts, which kube-proxy leaves
 * alone: 120 s after a normal close (FIN_WAIT, TIME_WAIT), 10 s after a reset or a refusal (CLOSE),
 * 60 s for a SYN nobody answered (SYN_RECV). Source: net/netfilter/ipvs/ip_vs_proto_tcp.c.
 */
import type { Pod } from "../../kubelet/pod.js";
import { CLOSE_REFUSED, CLOSE_RESET, CLOSE_UNANSWERED, ConnectionCounts, NO_ENDPOINTS, NO_POD, podIds, type CloseKind } from "../balancer.js";
import { KUBE_PROXY_WEIGHT, type DeferrableScheduler, type ListOwner, type Weight } from "./destinations.js";
import { LeastCostHeap } from "./least-cost-heap.js";

/** How long a closed connection counts as inactive: IPVS's FIN_WAIT and TIME_WAIT timeouts. */
export const IPVS_INACTIVE_TIMEOUT = 120;
/** The same after a reset or a refused connection: IPVS's CLOSE state timeout. */
export const IPVS_CLOSE_TIMEOUT = 10;
/** An unanswered SYN: IPVS's SYN_RECV state timeout. */
export const IPVS_SYN_TIMEOUT = 60;

/**
 * Inactive connections expiring in the order they were added (one timeout per queue keeps it
 * sorted): a ring of pod ids beside a ring of expiry times in a Float64Array. A table holds every
 * connection closed in the last two minutes (48,000 at 400 requests/s); kept in a plain array each
 * expiry time would be a heap number living long enough to reach the old generation.
 */
class InactiveQueue {
  private pods = new Int32Array(16);
  private expires = new Float64Array(16);
  private head = 0;
  private count = 0;
  constructor(private readonly timeout: number) {}
  add(podId: number, now: number): void {
    if (this.count === this.expires.length) this.grow();
    const i = (this.head + this.count) & (this.expires.length - 1);
    this.pods[i] = podId;
    this.expires[i] = now + this.timeout;
    this.count++;
  }
  /** Removes the entries expired by `now`, telling `counts` and `changed`. */
  expire(now: number, counts: ConnectionCounts, changed: (podId: number) => void): void {
    while (this.count > 0 && this.expires[this.head] <= now) {
      const id = this.pods[this.head];
      this.head = (this.head + 1) & (this.expires.length - 1);
      this.count--;
      counts.change(id, -1);
      changed(id);
    }
  }
  /** Doubles both rings (their length stays a power of two), oldest entry first. */
  private grow(): void {
    const size = this.expires.length;
    const pods = new Int32Array(2 * size);
    const expires = new Float64Array(2 * size);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & (size - 1);
      pods[k] = this.pods[i];
      expires[k] = this.expires[i];
    }
    this.pods = pods;
    this.expires = expires;
    this.head = 0;
  }
}

export class IpvsConnectionTable {
  readonly active = new ConnectionCounts();
  readonly inactive = new ConnectionCounts();
  private readonly closedNormally = new InactiveQueue(IPVS_INACTIVE_TIMEOUT);
  private readonly closedAborted = new InactiveQueue(IPVS_CLOSE_TIMEOUT);
  private readonly unanswered = new InactiveQueue(IPVS_SYN_TIMEOUT);

  /** `changed(podId)` hears of every change to a pod's counts. */
  constructor(private readonly changed: (podId: number) => void = () => {}) {}

  /** Forgets the inactive entries whose state timeout has passed by `now`. */
  expire(now: number): void {
    this.closedNormally.expire(now, this.inactive, this.changed);
    this.closedAborted.expire(now, this.inactive, this.changed);
    this.unanswered.expire(now, this.inactive, this.changed);
  }

  /** A connection to pod `podId` was attempted: `established` when the pod answered the handshake. */
  opened(podId: number, established: boolean): void {
    (established ? this.active : this.inactive).change(podId, 1);
    this.changed(podId);
  }

  /** A connection to pod `podId` closed (by id: see Balancer.closed). */
  closed(podId: number, how: CloseKind, now: number): void {
    if (how === CLOSE_REFUSED) this.closedAborted.add(podId, now);
    else if (how === CLOSE_UNANSWERED) this.unanswered.add(podId, now);
    else {
      this.active.change(podId, -1);
      this.inactive.change(podId, 1);
      (how === CLOSE_RESET ? this.closedAborted : this.closedNormally).add(podId, now);
      this.changed(podId);
    }
  }
}

/**
 * The shared frame of IPVS's connection-based schedulers (lc, wlc, sed, nq): the node's connection
 * table, kept up to date as connections open and close, and the servers of positive weight in a
 * LeastCostHeap under the scheduler's cost, re-placed whenever a server's counts change, so that a
 * pick reads the heap's top instead of scanning the list.
 */
export abstract class ConnectionScheduler implements DeferrableScheduler {
  behind = false;
  owner: ListOwner | null = null;
  protected endpoints: readonly Pod[] = NO_ENDPOINTS;
  /** The ids of `endpoints`' pods, position by position (see `podIds`). */
  protected ids = podIds(NO_ENDPOINTS);
  protected readonly conns = new IpvsConnectionTable((id) => this.recost(id));
  /** The listed servers of positive weight, least cost (per weight) first, then list order. */
  protected readonly least = new LeastCostHeap();
  /** position[pod.id]: the pod's index in `endpoints`; -1 (or beyond the array) when it is not listed. */
  private position = new Int32Array(0);
  /** lc compares costs alone; wlc, sed and nq divide them by the weight. */
  protected readonly byWeight: boolean = true;
  readonly nextUpstreamTries = 0;

  constructor(
    protected readonly clock: { readonly now: number },
    protected readonly weight: Weight = KUBE_PROXY_WEIGHT,
  ) {}

  /**
   * The list the heap is still to be rebuilt for, null when it is up to date. A pick's answer is a
   * function of the list and the counts alone (least cost, then list order), so the rebuild waits
   * for the next pick: most nodes' kube-proxies rewrite a Service's rules many times over without
   * a client of theirs opening a connection to it (counts change meanwhile only for the servers of
   * the list the heap holds, and the rebuild reads them as they are then).
   */
  private next: readonly Pod[] | null = null;

  update(endpoints: readonly Pod[]): void {
    this.next = endpoints;
  }

  /** Orders the servers of `endpoints` by their costs now, in a heap that replaces the old one. */
  protected rebuild(endpoints: readonly Pod[]): void {
    for (const pod of this.endpoints) this.position[pod.id] = -1;
    this.endpoints = endpoints;
    this.ids = podIds(endpoints);
    this.least.reset(endpoints.length);
    for (let p = 0; p < endpoints.length; p++) {
      const pod = endpoints[p];
      if (pod.id >= this.position.length) this.growPositions(pod.id);
      this.position[pod.id] = p;
      this.place(pod, p, pod.id);
    }
  }

  pick(): number {
    if (this.behind) this.owner!.catchUp();
    if (this.next !== null) {
      this.rebuild(this.next);
      this.next = null;
    }
    this.conns.expire(this.clock.now);
    return this.choose();
  }

  /** The kernel's scan: the first server of least cost per weight, NO_POD when none has a positive weight. */
  protected choose(): number {
    return this.least.size === 0 ? NO_POD : this.ids[this.least.top()];
  }

  /** The scheduler's cost of the server with pod id `id`, an integer (ip_vs_*_dest_overhead). */
  protected abstract cost(id: number): number;

  opened(podId: number, established: boolean): void {
    this.conns.opened(podId, established);
  }

  closed(podId: number, how: CloseKind): void {
    this.conns.closed(podId, how, this.clock.now);
  }

  /**
   * Puts the server at list position `p` (pod `pod`, id `id`) where its cost now places it (out of
   * the heap at weight 0); returns that cost, -1 at weight 0. Costs are read by id: kube-proxy's
   * weight reads nothing of the pod, so a connection's close touches no pod object.
   */
  protected place(pod: Pod, p: number, id: number): number {
    const w = this.weight(pod);
    if (w <= 0) {
      this.least.remove(p);
      return -1;
    }
    const cost = this.cost(id);
    this.least.set(p, cost, this.byWeight ? w : 1);
    return cost;
  }

  private recost(id: number): void {
    const p = id < this.position.length ? this.position[id] : -1;
    if (p >= 0) this.place(this.endpoints[p], p, id);
  }

  private growPositions(id: number): void {
    const grown = new Int32Array(Math.max(id + 1, 2 * this.position.length)).fill(-1);
    grown.set(this.position);
    this.position = grown;
  }

  /** ip_vs_dest_conn_overhead: activeconns * 256 + inactconns, of the pod with id `id`. */
  protected overhead(id: number): number {
    return this.conns.active.of(id) * 256 + this.conns.inactive.of(id);
  }
}
