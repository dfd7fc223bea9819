/**
 * IPVS `nq` scheduler, never queue (ip_vs_nq.c): the first real server in list order with no active
 * connection, if any; otherwise the one `sed` would pick, the least (activeconns + 1) / weight. With
 * kube-proxy's weights (all 1) both rules pick the first server with the fewest active connections,
 * so it picks what `sed` picks.
 */
import type { Pod } from "../../kubelet/pod.js";
import { ShortestExpectedDelayBalancer } from "./sed.js";

export class NeverQueueBalancer extends ShortestExpectedDelayBalancer {
  protected override choose(): Pod | null {
    let least: Pod | null = null;
    let loh = 0;
    for (const pod of this.endpoints) {
      const w = this.weight(pod);
      if (w === 0) continue;
      if (this.conns.active.get(pod) === 0) return pod;
      const doh = this.expectedDelay(pod);
      if (least === null || loh * w > doh * this.weight(least)) {
        least = pod;
        loh = doh;
      }
    }
    return least;
  }
}
