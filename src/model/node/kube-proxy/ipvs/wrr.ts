/**
 * IPVS `wrr` scheduler (ip_vs_wrr.c): passes over the real servers in list order with a current
 * weight cw that starts at the largest weight and drops by the weights' gcd after each pass; a
 * server is picked when its weight is at least cw, so over a cycle each gets picks in proportion to
 * its weight. Unlike `rr`, any added or deleted server resets the pointer to the head of the list
 * (ip_vs_wrr_dest_changed), so after every endpoint change the cycle starts again from the newest pod.
 */
import type { Pod } from "../../kubelet/pod.js";
import { NO_POD } from "../balancer.js";
import { DeferrableStatelessScheduler, destinationsChanged, gcdWeight, KUBE_PROXY_WEIGHT, type Weight } from "./destinations.js";

/** The pointer at the list head, before the first server. */
const HEAD = -1;

export class WeightedRoundRobinBalancer extends DeferrableStatelessScheduler {
  /** mark->cl: the last server picked, or HEAD. */
  private cl = HEAD;
  /** mark->cw, mark->mw, mark->di. */
  private cw = 0;
  private mw = 0;
  private di = 1;

  constructor(private readonly weight: Weight = KUBE_PROXY_WEIGHT) {
    super();
  }

  override update(endpoints: readonly Pod[]): void {
    if (!destinationsChanged(this.endpoints, endpoints)) return;
    this.list(endpoints);
    this.cl = HEAD;
    this.di = gcdWeight(endpoints, this.weight) || 1;
    let max = 0;
    for (const pod of endpoints) max = Math.max(max, this.weight(pod));
    this.mw = max - (this.di - 1);
    if (this.cw > this.mw || this.cw === 0) this.cw = this.mw;
    else if (this.di > 1) this.cw = Math.floor(this.cw / this.di) * this.di + 1;
  }

  pick(): number {
    if (this.behind) this.owner!.catchUp();
    if (this.mw === 0) return NO_POD;
    const list = this.endpoints;
    const last = this.cl;
    let dest = this.cl;
    let stop = Number.NaN;
    let lastPass = false;
    let restarted = false;
    for (;;) {
      for (dest++; dest < list.length; dest++) {
        if (this.weight(list[dest]) >= this.cw) {
          this.cl = dest;
          return this.ids[dest];
        }
        if (dest === stop) return this.overloaded(dest);
      }
      dest = HEAD;
      this.cw -= this.di;
      if (this.cw <= 0) {
        this.cw = this.mw;
        // A pass of every server at weight >= 1 found none: nothing is available.
        if (lastPass || last === HEAD) return this.overloaded(dest);
        restarted = true;
      }
      lastPass = this.cw <= this.di;
      if (lastPass && restarted && last !== HEAD) stop = last;
    }
  }

  /** err_over: the pointer stays where the search ended. */
  private overloaded(at: number): number {
    this.cl = at;
    return NO_POD;
  }
}
