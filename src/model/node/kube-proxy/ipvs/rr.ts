/**
 * IPVS `rr` scheduler: each node's kernel table cycles through its real servers in list order, so
 * the state is per node (pkg/proxy/ipvs). The kernel keeps a pointer to the last server used
 * (ip_vs_rr.c); when that server is removed the pointer steps back, so the cycle resumes with the
 * server that followed it, and servers added elsewhere in the list do not disturb it.
 */
import type { Pod } from "../../kubelet/pod.js";
import { StatelessBalancer } from "../balancer.js";

export class RoundRobinBalancer extends StatelessBalancer {
  private last: Pod | null = null;
  private lastIndex = -1;

  pick(): Pod | null {
    const list = this.endpoints;
    const n = list.length;
    if (n === 0) return null;
    let i = 0;
    if (this.last !== null) {
      if (list[this.lastIndex] === this.last) i = this.lastIndex + 1;
      else {
        const at = list.indexOf(this.last);
        // Gone from the list: resume where it stood, with the server that followed it.
        i = at >= 0 ? at + 1 : this.lastIndex;
      }
      if (i >= n) i = 0;
    }
    this.last = list[i];
    this.lastIndex = i;
    return this.last;
  }
}
