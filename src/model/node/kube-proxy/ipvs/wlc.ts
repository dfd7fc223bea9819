/**
 * IPVS `wlc` scheduler (ip_vs_wlc.c): the real server with the least connection overhead per unit of
 * weight, overhead = activeconns * 256 + inactconns; ties go to the first in list order. With
 * kube-proxy's weights (all 1) it picks what `lc` picks.
 */
import { ConnectionScheduler } from "./connection-table.js";

export class WeightedLeastConnectionsBalancer extends ConnectionScheduler {
  protected cost(id: number): number {
    return this.overhead(id);
  }
}
