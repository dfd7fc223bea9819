/**
 * One node's IPVS connection counts per real server, as the connection-based schedulers read them
 * (ip_vs_dest: activeconns, inactconns). A connection is active once established. A closed one stays
 * in IPVS's table as inactive for the kernel's default state timeouts, which kube-proxy leaves
 * alone: 120 s after a normal close (FIN_WAIT, TIME_WAIT), 10 s after a reset or a refusal (CLOSE),
 * 60 s for a SYN nobody answered (SYN_RECV). Source: net/netfilter/ipvs/ip_vs_proto_tcp.c.
 */
import { Fifo } from "../../../../util/fifo.js";
import type { Pod } from "../../kubelet/pod.js";
import { CLOSE_REFUSED, CLOSE_RESET, CLOSE_UNANSWERED, ConnectionCounts, type Balancer, type CloseKind } from "../balancer.js";
import { KUBE_PROXY_WEIGHT, type Weight } from "./destinations.js";

/** How long a closed connection counts as inactive: IPVS's FIN_WAIT and TIME_WAIT timeouts. */
export const IPVS_INACTIVE_TIMEOUT = 120;
/** The same after a reset or a refused connection: IPVS's CLOSE state timeout. */
export const IPVS_CLOSE_TIMEOUT = 10;
/** An unanswered SYN: IPVS's SYN_RECV state timeout. */
export const IPVS_SYN_TIMEOUT = 60;

/** Inactive connections expiring in the order they were added (one timeout per queue keeps it sorted). */
class InactiveQueue {
  private readonly pods = new Fifo<Pod>();
  private readonly expires = new Fifo<number>();
  constructor(private readonly timeout: number) {}
  add(pod: Pod, now: number): void {
    this.pods.push(pod);
    this.expires.push(now + this.timeout);
  }
  /** Removes the entries expired by `now`, telling `counts`. */
  expire(now: number, counts: ConnectionCounts): void {
    while (this.expires.length > 0 && this.expires.peek()! <= now) {
      this.expires.shift();
      counts.add(this.pods.shift()!, -1);
    }
  }
}

export class IpvsConnectionTable {
  readonly active = new ConnectionCounts();
  readonly inactive = new ConnectionCounts();
  private readonly closedNormally = new InactiveQueue(IPVS_INACTIVE_TIMEOUT);
  private readonly closedAborted = new InactiveQueue(IPVS_CLOSE_TIMEOUT);
  private readonly unanswered = new InactiveQueue(IPVS_SYN_TIMEOUT);

  /** Forgets the inactive entries whose state timeout has passed by `now`. */
  expire(now: number): void {
    this.closedNormally.expire(now, this.inactive);
    this.closedAborted.expire(now, this.inactive);
    this.unanswered.expire(now, this.inactive);
  }

  opened(pod: Pod, established: boolean): void {
    (established ? this.active : this.inactive).add(pod, 1);
  }

  closed(pod: Pod, how: CloseKind, now: number): void {
    if (how === CLOSE_REFUSED) this.closedAborted.add(pod, now);
    else if (how === CLOSE_UNANSWERED) this.unanswered.add(pod, now);
    else {
      this.active.add(pod, -1);
      this.inactive.add(pod, 1);
      (how === CLOSE_RESET ? this.closedAborted : this.closedNormally).add(pod, now);
    }
  }
}

/**
 * The shared frame of IPVS's connection-based schedulers (lc, wlc, sed, nq): the node's connection
 * table, kept up to date as connections open and close; each scheduler only reads it in `pick`.
 */
export abstract class ConnectionScheduler implements Balancer {
  protected endpoints: readonly Pod[] = [];
  protected readonly conns = new IpvsConnectionTable();
  readonly nextUpstreamTries = 0;

  constructor(
    protected readonly clock: { readonly now: number },
    protected readonly weight: Weight = KUBE_PROXY_WEIGHT,
  ) {}

  update(endpoints: readonly Pod[]): void {
    this.endpoints = endpoints;
  }

  pick(): Pod | null {
    this.conns.expire(this.clock.now);
    return this.choose();
  }

  /** Chooses from `endpoints` with the table up to date. */
  protected abstract choose(): Pod | null;

  opened(pod: Pod, established: boolean): void {
    this.conns.opened(pod, established);
  }

  closed(pod: Pod, how: CloseKind): void {
    this.conns.closed(pod, how, this.clock.now);
  }

  /** ip_vs_dest_conn_overhead: activeconns * 256 + inactconns. */
  protected readonly overhead = (pod: Pod): number => this.conns.active.get(pod) * 256 + this.conns.inactive.get(pod);

  /**
   * The kernel's weighted-least loop (wlc, sed): the first server of positive weight starts, a later
   * one replaces it only when cost1 * weight2 > cost2 * weight1 (integers, no division), so ties go
   * to the first in list order; null when no server has a positive weight.
   */
  protected leastWeighted(cost: (pod: Pod) => number): Pod | null {
    const list = this.endpoints;
    let i = 0;
    while (i < list.length && this.weight(list[i]) <= 0) i++;
    if (i === list.length) return null;
    let least = list[i];
    let loh = cost(least);
    for (i++; i < list.length; i++) {
      const pod = list[i];
      const doh = cost(pod);
      if (loh * this.weight(pod) > doh * this.weight(least)) {
        least = pod;
        loh = doh;
      }
    }
    return least;
  }
}
