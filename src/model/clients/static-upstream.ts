/**
 * An nginx in a pod with a fixed `upstream` list (the seed article's straw man): the list is the
 * Service's endpoints at the start and is never updated. nginx round-robins over it and, on a
 * refused connection, tries the next server (`proxy_next_upstream error`, its default), so it
 * loses traffic only once every listed pod is gone.
 */
import type { Pod } from "../node/kubelet/pod.js";
import { NO_POD, StatelessBalancer } from "../node/kube-proxy/balancer.js";

export class StaticUpstreamBalancer extends StatelessBalancer {
  private taken = false;
  private next = 0;

  /** Only the first view is kept: nginx never re-resolves its upstream list. */
  override update(endpoints: readonly Pod[]): void {
    if (this.taken) return;
    this.taken = true;
    this.list(endpoints.slice());
  }

  override get nextUpstreamTries(): number {
    return Math.max(0, this.endpoints.length - 1);
  }

  pick(): number {
    const n = this.ids.length;
    if (n === 0) return NO_POD;
    if (this.next >= n) this.next = 0;
    return this.ids[this.next++];
  }
}
