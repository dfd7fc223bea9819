/**
 * IPVS `lc` scheduler: the real server with the least connection overhead, activeconns * 256 +
 * inactconns (ip_vs_lc.c, ip_vs_dest_conn_overhead), first in the node's list order on ties. Each node's IPVS
 * counts only the connections it forwarded. A closed connection stays in IPVS's table as inactive
 * for the kernel's default state timeouts, which kube-proxy leaves alone: 120 s after a normal close
 * (FIN_WAIT, TIME_WAIT), 10 s after a reset or refusal (CLOSE), 60 s for a SYN nobody answered
 * (SYN_RECV). A connection is active only once established. Source: ip_vs_proto_tcp.c.
 */
import { Fifo } from "../../../../util/fifo.js";
import type { Pod } from "../../kubelet/pod.js";
import { CLOSE_REFUSED, CLOSE_RESET, CLOSE_UNANSWERED, ConnectionCounts, type Balancer, type CloseKind } from "../balancer.js";

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

export class LeastConnectionsBalancer implements Balancer {
  private endpoints: readonly Pod[] = [];
  private readonly active = new ConnectionCounts();
  private readonly inactive = new ConnectionCounts();
  private readonly closedNormally = new InactiveQueue(IPVS_INACTIVE_TIMEOUT);
  private readonly closedAborted = new InactiveQueue(IPVS_CLOSE_TIMEOUT);
  private readonly unanswered = new InactiveQueue(IPVS_SYN_TIMEOUT);
  readonly nextUpstreamTries = 0;

  constructor(private readonly clock: { readonly now: number }) {}

  update(endpoints: readonly Pod[]): void {
    this.endpoints = endpoints;
  }

  pick(): Pod | null {
    this.closedNormally.expire(this.clock.now, this.inactive);
    this.closedAborted.expire(this.clock.now, this.inactive);
    this.unanswered.expire(this.clock.now, this.inactive);
    let best: Pod | null = null;
    let least = Infinity;
    for (const pod of this.endpoints) {
      const overhead = this.active.get(pod) * 256 + this.inactive.get(pod);
      if (overhead < least) {
        best = pod;
        least = overhead;
      }
    }
    return best;
  }

  opened(pod: Pod, established: boolean): void {
    (established ? this.active : this.inactive).add(pod, 1);
  }

  closed(pod: Pod, how: CloseKind): void {
    const now = this.clock.now;
    if (how === CLOSE_REFUSED) this.closedAborted.add(pod, now);
    else if (how === CLOSE_UNANSWERED) this.unanswered.add(pod, now);
    else {
      this.active.add(pod, -1);
      this.inactive.add(pod, 1);
      (how === CLOSE_RESET ? this.closedAborted : this.closedNormally).add(pod, now);
    }
  }
}
