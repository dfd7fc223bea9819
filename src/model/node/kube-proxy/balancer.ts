/**
 * The balancing-policy interface: how one kube-proxy (or a static proxy) picks a backend for a new
 * connection from its current view of a Service's endpoints. One small file per policy implements it;
 * `createBalancer` is the only place that knows them all.
 */
import type { Pod } from "../kubelet/pod.js";

/** How a connection ended, which decides how long IPVS keeps counting it as inactive. */
export const CLOSE_NORMAL = 0;
export const CLOSE_RESET = 1;
/** Never established: the pod refused it (RST to the SYN). */
export const CLOSE_REFUSED = 2;
/** Never established: nothing answered the SYN (the pod's node is down). */
export const CLOSE_UNANSWERED = 3;
export type CloseKind = 0 | 1 | 2 | 3;

/** A pick's answer when there is no backend (REJECT). */
export const NO_POD = -1;

export interface Balancer {
  /**
   * The view changed: these are the endpoints usable now (Ready ones, else serving-terminating ones).
   * The list is never changed once handed over: balancers share it, and its pod ids (`podIds`).
   */
  update(endpoints: readonly Pod[]): void;
  /**
   * Chooses a backend for a new connection from the client at `source` (its IPv4 address, which
   * only the hashing schedulers read): the chosen pod's id, or NO_POD when there is none (REJECT).
   * An id, not the pod: the client's SYN goes to the pod's app, found by id; with thousands of pods
   * a read of the Pod object on the way would be one more cache miss per request.
   */
  pick(source: number): number;
  /**
   * A connection to the pod with id `podId`, chosen by this balancer, was attempted
   * (connection-counting policies): `established` when the pod answered the handshake.
   */
  opened(podId: number, established: boolean): void;
  /**
   * The connection to the pod with id `podId` ended, as `how` tells (CLOSE_*). By id, not the pod:
   * with thousands of pods the pod object is out of cache by the time its connection closes.
   */
  closed(podId: number, how: CloseKind): void;
  /** Pods to try after an immediate refusal (nginx's proxy_next_upstream); 0 for kube-proxy. */
  readonly nextUpstreamTries: number;
}

/**
 * The ids of an endpoint list's pods, position by position, worked out once per list (a list is
 * never changed once handed to balancers, and many nodes' balancers share one), so that a pick
 * answers with an id without reading the pod.
 */
const idLists = new WeakMap<readonly Pod[], Int32Array<ArrayBuffer>>();

export function podIds(list: readonly Pod[]): Int32Array<ArrayBuffer> {
  let ids = idLists.get(list);
  if (ids === undefined) {
    ids = new Int32Array(list.length);
    for (let i = 0; i < list.length; i++) ids[i] = list[i].id;
    idLists.set(list, ids);
  }
  return ids;
}

/** Open connections per pod as seen by one balancer, indexed by pod id (pods are numbered densely). */
export class ConnectionCounts {
  private counts = new Int32Array(16);

  /** The open connections of the pod with id `id`. */
  of(id: number): number {
    return id < this.counts.length ? this.counts[id] : 0;
  }

  /** Adds `delta` to the open connections of the pod with id `id`. */
  change(id: number, delta: number): void {
    if (id >= this.counts.length) {
      const grown = new Int32Array(Math.max(id + 1, 2 * this.counts.length));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.counts[id] += delta;
  }
}

/** An empty endpoint list, every balancer's before its first update. */
export const NO_ENDPOINTS: readonly Pod[] = [];

/** Shared no-op connection bookkeeping for policies that do not count connections. */
export abstract class StatelessBalancer implements Balancer {
  protected endpoints: readonly Pod[] = NO_ENDPOINTS;
  /** The ids of `endpoints`' pods, position by position (see `podIds`). */
  protected ids: Int32Array<ArrayBuffer> = podIds(NO_ENDPOINTS);
  get nextUpstreamTries(): number {
    return 0;
  }
  update(endpoints: readonly Pod[]): void {
    this.list(endpoints);
  }
  /** Picks from `endpoints` from now on. */
  protected list(endpoints: readonly Pod[]): void {
    this.endpoints = endpoints;
    this.ids = podIds(endpoints);
  }
  abstract pick(source: number): number;
  opened(_podId: number, _established: boolean): void {}
  closed(_podId: number, _how: CloseKind): void {}
}
