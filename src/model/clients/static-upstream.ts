/**
 * An nginx in a pod with a fixed `upstream` list (the seed article's straw man): the list is the
 * Service's endpoints at the start and is never updated. nginx round-robins over it and, on a
 * refused connection, tries the next server (`proxy_next_upstream error`, its default), so it
 * loses traffic only once every listed pod is gone.
 */
import type { Pod } from "../node/kubelet/pod.js";
import { StatelessBalancer } from "../node/kube-proxy/balancer.js";

export class StaticUpstreamBalancer extends StatelessBalancer {
  private taken = false;
  private next = 0;

  /** Only the first view is kept: nginx never re-resolves its upstream list. */
  override update(endpoints: readonly Pod[]): void {
    if (this.taken) return;
    this.taken = true;
    this.endpoints = endpoints.slice();
  }

  override get nextUpstreamTries(): number {
    return Math.max(0, this.endpoints.length - 1);
  }

  pick(): Pod | null {
    const n = this.endpoints.length;
    if (n === 0) return null;
    if (this.next >= n) this.next = 0;
    return this.endpoints[this.next++];
  }
}
