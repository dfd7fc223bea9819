/**
 * Power of d choices (Mitzenmacher 2001) as client-side balancers do it: sample `choiceCount`
 * endpoints at random and send to the one with the fewest attempts in flight from this node, the
 * first sampled on a tie. Envoy's least-request (`unweightedHostPick`, choice_count 2) samples
 * with replacement, so it can draw the same endpoint twice (envoy#14859, envoy#20420); `distinct`
 * samples without. Not a kube-proxy mode: it shows what a smarter client-side balancer would gain.
 */
import type { RandomStream } from "../../random/index.js";
import type { PowerOfTwoSpec } from "../../scenario/types.js";
import type { Pod } from "../node/kubelet/pod.js";
import { ConnectionCounts, NO_ENDPOINTS, NO_POD, podIds, type Balancer, type CloseKind } from "../node/kube-proxy/balancer.js";

export class PowerOfTwoBalancer implements Balancer {
  /** The endpoints' pod ids, position by position (see `podIds`): a pick reads no pod. */
  private ids = podIds(NO_ENDPOINTS);
  private readonly counts = new ConnectionCounts();
  private readonly choices: number;
  private readonly distinct: boolean;
  /** Indices sampled so far in a distinct pick, ascending (reused: no allocation per pick). */
  private readonly taken: number[] = [];
  readonly nextUpstreamTries = 0;

  constructor(
    private readonly rng: RandomStream,
    spec: PowerOfTwoSpec,
  ) {
    this.choices = spec.choiceCount;
    this.distinct = spec.sampling === "distinct";
  }

  update(endpoints: readonly Pod[]): void {
    this.ids = podIds(endpoints);
  }

  pick(): number {
    const ids = this.ids;
    const n = ids.length;
    if (n === 0) return NO_POD;
    if (n === 1) return ids[0];
    return this.distinct ? this.pickDistinct(ids, n) : this.pickWithReplacement(ids, n);
  }

  private pickWithReplacement(ids: Int32Array, n: number): number {
    let best = ids[Math.floor(this.rng.random() * n)];
    let least = this.counts.of(best);
    for (let k = 1; k < this.choices; k++) {
      const id = ids[Math.floor(this.rng.random() * n)];
      const count = this.counts.of(id);
      if (count < least) {
        best = id;
        least = count;
      }
    }
    return best;
  }

  /** The k-th sample is uniform over the n - k indices not taken yet (at most n samples). */
  private pickDistinct(ids: Int32Array, n: number): number {
    const taken = this.taken;
    taken.length = 0;
    const d = Math.min(this.choices, n);
    let best = NO_POD;
    let least = Infinity;
    for (let k = 0; k < d; k++) {
      // The r-th free index: step over the taken ones, in ascending order.
      let r = Math.floor(this.rng.random() * (n - k));
      let at = 0;
      while (at < taken.length && taken[at] <= r) {
        r++;
        at++;
      }
      for (let m = taken.length; m > at; m--) taken[m] = taken[m - 1];
      taken[at] = r;
      const id = ids[r];
      const count = this.counts.of(id);
      if (count < least) {
        best = id;
        least = count;
      }
    }
    return best;
  }

  /** Every attempt counts as in flight until it ends, answered or not (the client is waiting on it). */
  opened(podId: number, _established: boolean): void {
    this.counts.change(podId, 1);
  }

  closed(podId: number, _how: CloseKind): void {
    this.counts.change(podId, -1);
  }
}
