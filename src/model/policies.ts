/**
 * The policy registry: maps a scenario's policy name to its balancer. kube-proxy's modes live with
 * kube-proxy (node/kube-proxy/), client-side balancers with the clients (clients/). Per-node
 * policies get one balancer per node and Service; `static-upstream` is one nginx shared by every client.
 */
import type { PolicyName } from "../scenario/types.js";
import type { RandomStream } from "../random/index.js";
import { PowerOfTwoBalancer } from "./clients/power-of-two.js";
import { StaticUpstreamBalancer } from "./clients/static-upstream.js";
import type { Balancer } from "./node/kube-proxy/balancer.js";
import { LeastConnectionsBalancer } from "./node/kube-proxy/ipvs/lc.js";
import { RoundRobinBalancer } from "./node/kube-proxy/ipvs/rr.js";
import { RandomBalancer } from "./node/kube-proxy/random.js";

export type { Balancer } from "./node/kube-proxy/balancer.js";

export function createBalancer(policy: PolicyName, rng: RandomStream, clock: { readonly now: number }): Balancer {
  switch (policy) {
    case "random":
      return new RandomBalancer(rng);
    case "round-robin":
      return new RoundRobinBalancer();
    case "least-connections":
      return new LeastConnectionsBalancer(clock);
    case "power-of-two":
      return new PowerOfTwoBalancer(rng);
    case "static-upstream":
      return new StaticUpstreamBalancer();
  }
}

/** Whether the policy follows kube-proxy's view of the endpoints (false: a list fixed at the start). */
export function followsEndpoints(policy: PolicyName): boolean {
  return policy !== "static-upstream";
}
