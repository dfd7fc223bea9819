/**
 * sessionAffinity: ClientIP in one node's rules: a new connection from a source address that
 * reached an endpoint less than `timeoutSeconds` ago goes to that endpoint again; otherwise the
 * mode's own pick decides, and the endpoint it chose is remembered. Source: pkg/proxy/iptables
 * proxier.go (`-m recent --name <KUBE-SEP-chain> --rcheck --seconds <timeout> --reap` per endpoint
 * before the random pick, `-m recent --set` in the endpoint's chain) and pkg/proxy/nftables (an
 * `affinity` set per endpoint with the same timeout, `update`d on each connection to it).
 */
import type { Pod } from "../kubelet/pod.js";
import { NO_POD, type Balancer, type CloseKind } from "./balancer.js";

/** A source address's entry in the node's `recent` lists: the endpoint it last reached (its pod's id), and when. */
interface Entry {
  podId: number;
  at: number;
}

/**
 * The rules live in the nat table, which sees only the first packet of a connection, so an entry is
 * refreshed by each new connection (the requests of a keep-alive connection refresh nothing). Each
 * node's kernel holds its own lists. An endpoint that leaves the rules takes its list with it (the
 * kernel frees a `recent` table when no rule names it): its clients pick afresh, and if it comes
 * back its old clients do not return to it.
 */
export class ClientIpAffinity implements Balancer {
  private readonly entries = new Map<number, Entry>();
  /** By pod id: since when the pod has been in the rules without a break (no entry: not in them). */
  private since: number[] = [];

  constructor(
    private readonly inner: Balancer,
    /** sessionAffinityConfig.clientIP.timeoutSeconds. */
    private readonly timeout: number,
    private readonly clock: { readonly now: number },
  ) {}

  get nextUpstreamTries(): number {
    return this.inner.nextUpstreamTries;
  }

  update(endpoints: readonly Pod[]): void {
    const now = this.clock.now;
    // Still listed: its list lives on (from when it joined); newly listed: an empty list from now.
    const since: number[] = [];
    for (const pod of endpoints) since[pod.id] = this.since[pod.id] ?? now;
    this.since = since;
    this.inner.update(endpoints);
  }

  pick(source: number): number {
    const now = this.clock.now;
    const e = this.entries.get(source);
    if (e !== undefined && now - e.at < this.timeout && this.listedSince(e.podId) <= e.at) {
      e.at = now;
      return e.podId;
    }
    const podId = this.inner.pick(source);
    if (podId !== NO_POD) {
      if (e === undefined) this.entries.set(source, { podId, at: now });
      else {
        e.podId = podId;
        e.at = now;
      }
    }
    return podId;
  }

  opened(podId: number, established: boolean): void {
    this.inner.opened(podId, established);
  }

  closed(podId: number, how: CloseKind): void {
    this.inner.closed(podId, how);
  }

  /** Since when the pod with id `podId` has been in the rules without a break; Infinity when it is not in them. */
  private listedSince(podId: number): number {
    return this.since[podId] ?? Infinity;
  }
}
