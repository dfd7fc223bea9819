/**
 * IPVS `rr` scheduler: each node's kernel table cycles through its real servers in order, so the
 * state is per node (pkg/proxy/ipvs). A rule rewrite keeps the pointer's position, modulo the new size.
 */
import type { Pod } from "../pod.js";
import { StatelessBalancer } from "./policy.js";

export class RoundRobinBalancer extends StatelessBalancer {
  private next = 0;

  pick(): Pod | null {
    const n = this.endpoints.length;
    if (n === 0) return null;
    if (this.next >= n) this.next = 0;
    return this.endpoints[this.next++];
  }
}
