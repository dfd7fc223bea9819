/**
 * The policy registry: maps a scenario's policy name to its balancer. kube-proxy's modes live with
 * kube-proxy (node/kube-proxy/), client-side balancers with the clients (clients/). Per-node
 * policies get one balancer per node and Service; `static-upstream` is one nginx shared by every client.
 */
import type { PolicyName, PowerOfTwoSpec } from "../scenario/types.js";
import type { RandomStreams } from "../random/index.js";
import { PowerOfTwoBalancer } from "./clients/power-of-two.js";
import { StaticUpstreamBalancer } from "./clients/static-upstream.js";
import type { Balancer } from "./node/kube-proxy/balancer.js";
import { LeastConnectionsBalancer } from "./node/kube-proxy/ipvs/lc.js";
import { RoundRobinBalancer } from "./node/kube-proxy/ipvs/rr.js";
import { IpvsVirtualServer } from "./node/kube-proxy/ipvs/virtual-server.js";
import { RandomBalancer } from "./node/kube-proxy/random.js";

export type { Balancer } from "./node/kube-proxy/balancer.js";

/** What balancers are made from: the run's streams, its clock and the policies' settings. */
export interface BalancerContext {
  readonly streams: RandomStreams;
  readonly clock: { readonly now: number };
  readonly powerOfTwo: PowerOfTwoSpec;
}

/**
 * A balancer for one node and Service (`scope` is "node-<i>:<service>", or "static:<service>" for
 * the shared nginx), drawing from streams named after it: `pick:<scope>` for its picks and
 * `ipvs-order:<scope>` for the order of an IPVS table's real servers.
 */
export function createBalancer(policy: PolicyName, scope: string, ctx: BalancerContext): Balancer {
  const { streams, clock } = ctx;
  switch (policy) {
    case "random":
      return new RandomBalancer(streams.stream(`pick:${scope}`));
    case "round-robin":
      return new IpvsVirtualServer(new RoundRobinBalancer(), streams.stream(`ipvs-order:${scope}`));
    case "least-connections":
      return new IpvsVirtualServer(new LeastConnectionsBalancer(clock), streams.stream(`ipvs-order:${scope}`));
    case "power-of-two":
      return new PowerOfTwoBalancer(streams.stream(`pick:${scope}`), ctx.powerOfTwo);
    case "static-upstream":
      return new StaticUpstreamBalancer();
  }
}

/** Whether the policy follows kube-proxy's view of the endpoints (false: a list fixed at the start). */
export function followsEndpoints(policy: PolicyName): boolean {
  return policy !== "static-upstream";
}
