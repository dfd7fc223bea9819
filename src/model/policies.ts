/**
 * The policy registry: maps a scenario's policy name to its balancer. kube-proxy's modes live with
 * kube-proxy (node/kube-proxy/, IPVS's schedulers in node/kube-proxy/ipvs/), client-side balancers
 * with the clients (clients/). Per-node policies get one balancer per node and Service;
 * `static-upstream` is one nginx shared by every client.
 */
import type { PolicyName, PowerOfTwoSpec } from "../scenario/types.js";
import type { RandomStreams } from "../random/index.js";
import { PowerOfTwoBalancer } from "./clients/power-of-two.js";
import { StaticUpstreamBalancer } from "./clients/static-upstream.js";
import type { Balancer } from "./node/kube-proxy/balancer.js";
import type { DeferrableScheduler } from "./node/kube-proxy/ipvs/destinations.js";
import { LeastConnectionsBalancer } from "./node/kube-proxy/ipvs/lc.js";
import { MaglevHashingBalancer } from "./node/kube-proxy/ipvs/mh.js";
import { NeverQueueBalancer } from "./node/kube-proxy/ipvs/nq.js";
import { RoundRobinBalancer } from "./node/kube-proxy/ipvs/rr.js";
import { ShortestExpectedDelayBalancer } from "./node/kube-proxy/ipvs/sed.js";
import { SourceHashingBalancer } from "./node/kube-proxy/ipvs/sh.js";
import { IpvsVirtualServer } from "./node/kube-proxy/ipvs/virtual-server.js";
import { WeightedLeastConnectionsBalancer } from "./node/kube-proxy/ipvs/wlc.js";
import { WeightedRoundRobinBalancer } from "./node/kube-proxy/ipvs/wrr.js";
import { RandomBalancer } from "./node/kube-proxy/random.js";
import { ClientIpAffinity } from "./node/kube-proxy/session-affinity.js";
import type { Service } from "./api/service.js";
import type { Pod } from "./node/kubelet/pod.js";

export type { Balancer } from "./node/kube-proxy/balancer.js";

/** What balancers are made from: the run's streams, its clock, the policies' settings and the pods' IP addresses. */
export interface BalancerContext {
  readonly streams: RandomStreams;
  readonly clock: { readonly now: number };
  readonly powerOfTwo: PowerOfTwoSpec;
  readonly podAddress: (pod: Pod) => number;
}

/** The IPVS scheduler a policy names, or null for a policy that is not an IPVS mode. */
function ipvsScheduler(policy: PolicyName, ctx: BalancerContext): DeferrableScheduler | null {
  switch (policy) {
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
    default:
      return null;
  }
}

/**
 * A balancer for one node and Service (`scope` is "node-<i>:<service>", or "static:<service>" for
 * the shared nginx), drawing from streams named after it: `pick:<scope>` for its picks and
 * `ipvs-order:<scope>` for the order of an IPVS table's real servers. Every IPVS scheduler picks
 * from its node's own list order.
 */
export function createBalancer(policy: PolicyName, scope: string, ctx: BalancerContext): Balancer {
  const ipvs = ipvsScheduler(policy, ctx);
  if (ipvs !== null) return new IpvsVirtualServer(ipvs, ctx.streams.stream(`ipvs-order:${scope}`));
  switch (policy) {
    case "power-of-two":
      return new PowerOfTwoBalancer(ctx.streams.stream(`pick:${scope}`), ctx.powerOfTwo);
    case "static-upstream":
      return new StaticUpstreamBalancer();
    default:
      return new RandomBalancer(ctx.streams.stream(`pick:${scope}`));
  }
}

/**
 * A node's balancer for a Service with sessionAffinity ClientIP: kube-proxy's modes honour it; the
 * client-side balancers (power-of-two, static-upstream) do not go through the Service's virtual IP.
 */
export function withSessionAffinity(balancer: Balancer, service: Service, policy: PolicyName, clock: { readonly now: number }): Balancer {
  const config = service.spec.sessionAffinityConfig;
  if (config === null || service.spec.sessionAffinity !== "ClientIP" || !isKubeProxyMode(policy)) return balancer;
  return new ClientIpAffinity(balancer, config.clientIP.timeoutSeconds, clock);
}

/** Whether the policy is one of kube-proxy's modes (iptables, nftables, IPVS), not a client-side balancer. */
export function isKubeProxyMode(policy: PolicyName): boolean {
  return policy !== "power-of-two" && policy !== "static-upstream";
}

/** Whether the policy follows kube-proxy's view of the endpoints (false: a list fixed at the start). */
export function followsEndpoints(policy: PolicyName): boolean {
  return policy !== "static-upstream";
}
