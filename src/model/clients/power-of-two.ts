/**
 * Power of two choices (Mitzenmacher 2001; Envoy's and Linkerd's default): pick two endpoints at
 * random and send to the one with fewer connections in flight from this node. Not a kube-proxy mode:
 * it shows what a smarter client-side balancer would gain.
 */
import type { RandomStream } from "../../random/index.js";
import type { Pod } from "../node/kubelet/pod.js";
import { ConnectionCounts, type Balancer, type CloseKind } from "../node/kube-proxy/balancer.js";

export class PowerOfTwoBalancer implements Balancer {
  private endpoints: readonly Pod[] = [];
  private readonly counts = new ConnectionCounts();
  readonly nextUpstreamTries = 0;

  constructor(private readonly rng: RandomStream) {}

  update(endpoints: readonly Pod[]): void {
    this.endpoints = endpoints;
  }

  pick(): Pod | null {
    const n = this.endpoints.length;
    if (n === 0) return null;
    if (n === 1) return this.endpoints[0];
    const i = Math.floor(this.rng.random() * n);
    // A second, distinct index: draw from the n - 1 others.
    let j = Math.floor(this.rng.random() * (n - 1));
    if (j >= i) j++;
    const a = this.endpoints[i];
    const b = this.endpoints[j];
    return this.counts.get(b) < this.counts.get(a) ? b : a;
  }

  /** Every attempt counts as in flight until it ends, answered or not (the client is waiting on it). */
  opened(pod: Pod, _established: boolean): void {
    this.counts.add(pod, 1);
  }

  closed(pod: Pod, _how: CloseKind): void {
    this.counts.add(pod, -1);
  }
}
