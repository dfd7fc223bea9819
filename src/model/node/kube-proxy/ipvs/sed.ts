/**
 * IPVS `sed` scheduler, shortest expected delay (ip_vs_sed.c; Weinrib and Shenker, INFOCOM 1988):
 * the real server with the least (activeconns + 1) / weight. Only active connections count, so
 * closed ones waiting out their state timeouts do not weigh as they do for `lc`; ties go to the
 * first in list order.
 */
import { ConnectionScheduler } from "./connection-table.js";

export class ShortestExpectedDelayBalancer extends ConnectionScheduler {
  /** ip_vs_sed_dest_overhead: the incoming connection counted too. */
  protected cost(id: number): number {
    return this.conns.active.of(id) + 1;
  }
}
