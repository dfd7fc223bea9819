/**
 * iptables and nftables mode: a uniform random pick per new connection. iptables chains
 * `-m statistic --mode random --probability 1/(n-i)`; nftables uses `numgen random mod N`
 * (kubernetes pkg/proxy/iptables and pkg/proxy/nftables proxier.go). Both are uniform 1/N.
 */
import type { RandomStream } from "../../../random/index.js";
import type { Pod } from "../kubelet/pod.js";
import { StatelessBalancer } from "./balancer.js";

export class RandomBalancer extends StatelessBalancer {
  constructor(private readonly rng: RandomStream) {
    super();
  }

  pick(): Pod | null {
    const n = this.endpoints.length;
    return n === 0 ? null : this.endpoints[this.rng.int(n)];
  }
}
