/**
 * IPVS `rr` scheduler: each node's kernel table cycles through its real servers in list order, so
 * the state is per node (pkg/proxy/ipvs). The kernel keeps a pointer to the last server used
 * (ip_vs_rr.c); when that server is removed the pointer steps back to the one before it, so the
 * cycle resumes with the server that followed it, and servers added at the head wait for the next
 * round. The list's order is the node's own (ipvs/virtual-server.ts).
 */
import type { Pod } from "../../kubelet/pod.js";
import { NO_POD } from "../balancer.js";
import { DeferrableStatelessScheduler } from "./destinations.js";

export class RoundRobinBalancer extends DeferrableStatelessScheduler {
  /** The server the kernel's pointer is at; null at the head of the list. */
  private last: Pod | null = null;
  /** Index of the server after the pointer: worked out when the list changes, so a pick is O(1). */
  private next = 0;

  override update(endpoints: readonly Pod[]): void {
    const old = this.endpoints;
    this.list(endpoints);
    this.next = this.resumeIndex(old, endpoints);
  }

  pick(): number {
    if (this.behind) this.owner!.catchUp();
    const n = this.ids.length;
    if (n === 0) return NO_POD;
    const i = this.next < n ? this.next : 0;
    this.next = i + 1;
    this.last = this.endpoints[i];
    return this.ids[i];
  }

  /**
   * Where the cycle goes on in the new list: after the pointer's server if it stayed, else after
   * the nearest server before it that stayed (ip_vs_rr_del_dest), else from the head.
   */
  private resumeIndex(old: readonly Pod[], list: readonly Pod[]): number {
    const last = this.last;
    if (last === null) return 0;
    const at = list.indexOf(last);
    if (at >= 0) return at + 1;
    for (let k = old.indexOf(last) - 1; k >= 0; k--) {
      const j = list.indexOf(old[k]);
      if (j >= 0) return j + 1;
    }
    this.last = null;
    return 0;
  }
}
