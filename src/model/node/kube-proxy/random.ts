/**
 * iptables and nftables mode: a uniform random pick per new connection. iptables chains
 * `-m statistic --mode random --probability 1/(n-i)`; nftables uses `numgen random mod N`
 * (kubernetes pkg/proxy/iptables and pkg/proxy/nftables proxier.go). Both are uniform 1/N.
 */
import type { RandomStream } from "../../../random/index.js";
import { NO_POD, StatelessBalancer } from "./balancer.js";

export class RandomBalancer extends StatelessBalancer {
  constructor(private readonly rng: RandomStream) {
    super();
  }

  pick(): number {
    const n = this.ids.length;
    return n === 0 ? NO_POD : this.ids[this.rng.int(n)];
  }
}
