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

export interface Balancer {
  /** The view changed: these are the endpoints usable now (Ready ones, else serving-terminating ones). */
  update(endpoints: readonly Pod[]): void;
  /**
   * Chooses a backend for a new connection from the client at `source` (its IPv4 address, which
   * only the hashing schedulers read), or null when there is none (REJECT).
   */
  pick(source: number): Pod | null;
  /**
   * A connection to `pod` chosen by this balancer was attempted (connection-counting policies):
   * `established` when the pod answered the handshake.
   */
  opened(pod: Pod, established: boolean): void;
  /**
   * The connection to the pod with id `podId` ended, as `how` tells (CLOSE_*). By id, not the pod:
   * with thousands of pods the pod object is out of cache by the time its connection closes.
   */
  closed(podId: number, how: CloseKind): void;
  /** Pods to try after an immediate refusal (nginx's proxy_next_upstream); 0 for kube-proxy. */
  readonly nextUpstreamTries: number;
}

/** Open connections per pod as seen by one balancer, indexed by pod id (pods are numbered densely). */
export class ConnectionCounts {
  private counts = new Int32Array(16);

  get(pod: Pod): number {
    return this.of(pod.id);
  }

  add(pod: Pod, delta: number): void {
    this.change(pod.id, delta);
  }

  /** `get` by the pod's id. */
  of(id: number): number {
    return id < this.counts.length ? this.counts[id] : 0;
  }

  /** `add` by the pod's id. */
  change(id: number, delta: number): void {
    if (id >= this.counts.length) {
      const grown = new Int32Array(Math.max(id + 1, 2 * this.counts.length));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.counts[id] += delta;
  }
}

/** Shared no-op connection bookkeeping for policies that do not count connections. */
export abstract class StatelessBalancer implements Balancer {
  protected endpoints: readonly Pod[] = [];
  get nextUpstreamTries(): number {
    return 0;
  }
  update(endpoints: readonly Pod[]): void {
    this.endpoints = endpoints;
  }
  abstract pick(source: number): Pod | null;
  opened(_pod: Pod, _established: boolean): void {}
  closed(_podId: number, _how: CloseKind): void {}
}

