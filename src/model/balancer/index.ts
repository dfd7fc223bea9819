/**
 * The policy registry: maps a scenario's policy name to its balancer. Per-node policies get one
 * balancer per node and Service; `static-upstream` is one nginx shared by every client.
 */
import type { PolicyName } from "../../scenario/types.js";
import type { RandomStream } from "../../random/index.js";
import { LeastConnectionsBalancer } from "./least-connections.js";
import type { Balancer } from "./policy.js";
import { PowerOfTwoBalancer } from "./power-of-two.js";
import { RandomBalancer } from "./random.js";
import { RoundRobinBalancer } from "./round-robin.js";
import { StaticUpstreamBalancer } from "./static-upstream.js";

export type { Balancer } from "./policy.js";

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
