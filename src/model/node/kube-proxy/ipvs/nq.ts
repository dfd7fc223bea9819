/**
 * IPVS `nq` scheduler, never queue (ip_vs_nq.c): the first real server in list order with no active
 * connection, if any; otherwise the one `sed` would pick, the least (activeconns + 1) / weight. With
 * kube-proxy's weights (all 1) both rules pick the first server with the fewest active connections,
 * so it picks what `sed` picks. The idle servers are kept in a PositionSet, which gives the first.
 */
import type { Pod } from "../../kubelet/pod.js";
import { PositionSet } from "./position-set.js";
import { ShortestExpectedDelayBalancer } from "./sed.js";

export class NeverQueueBalancer extends ShortestExpectedDelayBalancer {
  /** Listed servers of positive weight with no active connection, by list position alone. */
  private readonly idle = new PositionSet();

  protected override rebuild(endpoints: readonly Pod[]): void {
    this.idle.reset(endpoints.length);
    super.rebuild(endpoints);
  }

  protected override choose(): number {
    const first = this.idle.first();
    return first >= 0 ? this.ids[first] : super.choose();
  }

  protected override place(pod: Pod, p: number, id: number): number {
    const cost = super.place(pod, p, id);
    // sed's cost is the active connections + 1: 1 is a server of positive weight with none.
    if (cost === 1) this.idle.add(p);
    else this.idle.delete(p);
    return cost;
  }
}
