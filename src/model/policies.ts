/**
 * The policy registry: maps a scenario's policy name to its balancer. kube-proxy's modes live with
 * kube-proxy (node/kube-proxy/, IPVS's schedulers in node/kube-proxy/ipvs/), client-side balancers
 * with the clients (clients/). Per-node policies get one balancer per node and Service;
 * `static-upstream` is one nginx shared by every client.
 */
import type { PolicyName } from "../scenario/types.js";
import type { RandomStream } from "../random/index.js";
import { PowerOfTwoBalancer } from "./clients/power-of-two.js";
import { StaticUpstreamBalancer } from "./clients/static-upstream.js";
import type { Balancer } from "./node/kube-proxy/balancer.js";
import { LeastConnectionsBalancer } from "./node/kube-proxy/ipvs/lc.js";
import { MaglevHashingBalancer } from "./node/kube-proxy/ipvs/mh.js";
import { NeverQueueBalancer } from "./node/kube-proxy/ipvs/nq.js";
import { RoundRobinBalancer } from "./node/kube-proxy/ipvs/rr.js";
import { ShortestExpectedDelayBalancer } from "./node/kube-proxy/ipvs/sed.js";
import { SourceHashingBalancer } from "./node/kube-proxy/ipvs/sh.js";
import { WeightedLeastConnectionsBalancer } from "./node/kube-proxy/ipvs/wlc.js";
import { WeightedRoundRobinBalancer } from "./node/kube-proxy/ipvs/wrr.js";
import { RandomBalancer } from "./node/kube-proxy/random.js";
import type { Pod } from "./node/kubelet/pod.js";

export type { Balancer } from "./node/kube-proxy/balancer.js";

/** What a balancer may draw on: its own random stream, the clock, and the pods' IP addresses. */
export interface BalancerContext {
  readonly rng: RandomStream;
  readonly clock: { readonly now: number };
  readonly podAddress: (pod: Pod) => number;
}

export function createBalancer(policy: PolicyName, ctx: BalancerContext): Balancer {
  switch (policy) {
    case "random":
      return new RandomBalancer(ctx.rng);
    case "round-robin":
    case "ipvs-rr":
      return new RoundRobinBalancer();
    case "least-connections":
    case "ipvs-lc":
      return new LeastConnectionsBalancer(ctx.clock);
    case "ipvs-wrr":
      return new WeightedRoundRobinBalancer();
    case "ipvs-wlc":
      return new WeightedLeastConnectionsBalancer(ctx.clock);
    case "ipvs-sed":
      return new ShortestExpectedDelayBalancer(ctx.clock);
    case "ipvs-nq":
      return new NeverQueueBalancer(ctx.clock);
    case "ipvs-sh":
      return new SourceHashingBalancer();
    case "ipvs-mh":
      return new MaglevHashingBalancer(ctx.podAddress);
    case "power-of-two":
      return new PowerOfTwoBalancer(ctx.rng);
    case "static-upstream":
      return new StaticUpstreamBalancer();
  }
}

/** Whether the policy follows kube-proxy's view of the endpoints (false: a list fixed at the start). */
export function followsEndpoints(policy: PolicyName): boolean {
  return policy !== "static-upstream";
}
