/**
 * IPVS `lc` scheduler: the real server with the least connection overhead, activeconns * 256 +
 * inactconns (ip_vs_lc.c, ip_vs_dest_conn_overhead), first in list order on ties. Each node's IPVS
 * counts only the connections it forwarded. A closed connection stays in IPVS's table as inactive
 * (FIN_WAIT / TIME_WAIT) for 120 s, the kernel's default timeouts, which kube-proxy leaves alone.
 */
import { Fifo } from "../../util/fifo.js";
import type { Pod } from "../pod.js";
import { ConnectionCounts, type Balancer } from "./policy.js";

/** How long a closed connection counts as inactive: IPVS's FIN_WAIT and TIME_WAIT timeouts. */
export const IPVS_INACTIVE_TIMEOUT = 120;

export class LeastConnectionsBalancer implements Balancer {
  private endpoints: readonly Pod[] = [];
  private readonly active = new ConnectionCounts();
  private readonly inactive = new ConnectionCounts();
  /** Closed connections in the order they expire from the inactive count. */
  private readonly closedPods = new Fifo<Pod>();
  private readonly closedAt = new Fifo<number>();
  readonly nextUpstreamTries = 0;

  constructor(private readonly clock: { readonly now: number }) {}

  update(endpoints: readonly Pod[]): void {
    this.endpoints = endpoints;
  }

  pick(): Pod | null {
    this.expireInactive(this.clock.now);
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

  opened(pod: Pod): void {
    this.active.add(pod, 1);
  }

  closed(pod: Pod): void {
    this.active.add(pod, -1);
    this.inactive.add(pod, 1);
    this.closedPods.push(pod);
    this.closedAt.push(this.clock.now);
  }

  private expireInactive(now: number): void {
    const cutoff = now - IPVS_INACTIVE_TIMEOUT;
    while (this.closedAt.length > 0 && this.closedAt.peek()! <= cutoff) {
      this.closedAt.shift();
      this.inactive.add(this.closedPods.shift()!, -1);
    }
  }
}
