/**
 * IPVS `lc` scheduler: the real server with the least connection overhead, activeconns * 256 +
 * inactconns (ip_vs_lc.c, ip_vs_dest_conn_overhead), first in the node's list order on ties; a
 * server of weight 0 is skipped. Each node's IPVS counts only the connections it forwarded (see
 * connection-table.ts for how long a closed one still counts).
 */
import { ConnectionScheduler } from "./connection-table.js";

export { IPVS_CLOSE_TIMEOUT, IPVS_INACTIVE_TIMEOUT, IPVS_SYN_TIMEOUT } from "./connection-table.js";

export class LeastConnectionsBalancer extends ConnectionScheduler {
  /** The weight only decides whether a server is used, not how much. */
  protected override readonly byWeight = false;

  protected cost(id: number): number {
    return this.overhead(id);
  }
}
