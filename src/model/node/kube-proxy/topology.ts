/**
 * Which endpoints one node's kube-proxy writes into its rules for a Service: traffic policies
 * (Cluster / Local) and topology hints (trafficDistribution), with their fallbacks. Source of truth:
 * kubernetes pkg/proxy/topology.go (CategorizeEndpoints, topologyModeFromHints), kept rule for rule.
 * Runs when the rules are written, never per connection: the lists it returns are what the
 * balancers pick from.
 */
import { isServingTerminating, selectPods, type EndpointConditions, type EndpointSlice } from "../../api/endpoint-slice.js";
import type { Pod } from "../kubelet/pod.js";

/** Where the rules are written: the node and its zone (-1: the node has no zone label). */
export interface NodeTopology {
  readonly node: number;
  readonly zone: number;
}

/** Which policies the Service uses (ServicePort.UsesClusterEndpoints / UsesLocalEndpoints). */
export interface TrafficPolicies {
  readonly usesClusterEndpoints: boolean;
  readonly usesLocalEndpoints: boolean;
}

export interface CategorizedEndpoints {
  /** The Cluster-policy endpoints, topology applied; null when the Service never uses Cluster policy. */
  readonly cluster: readonly Pod[] | null;
  /** The Local-policy endpoints (this node's); null when the Service never uses Local policy. */
  readonly local: readonly Pod[] | null;
  /**
   * Whether any endpoint is usable anywhere in the cluster. With none, kube-proxy REJECTs; with
   * some but none for this node's Local policy, it DROPs (iptables/nftables "has no local endpoints").
   */
  readonly hasAnyEndpoints: boolean;
  /**
   * This node's Ready (not terminating) endpoints, counted when the Local set is computed (else 0):
   * what kube-proxy's service health server reports (LocalReadyEndpoints), so a node whose pods are
   * all terminating fails the load balancer's check while it still serves what reaches it.
   */
  readonly localReady: number;
}

/** Topology modes (topologyModeFromHints): none, or hints for this node or for its zone. */
const ANY = 0;
const SAME_NODE = 1;
const SAME_ZONE = 2;
type TopologyMode = typeof ANY | typeof SAME_NODE | typeof SAME_ZONE;

/**
 * PreferSameNode when every Ready endpoint has a node hint and one is for this node; else
 * PreferSameZone when every Ready endpoint has a zone hint and one is for this zone; else none.
 * (A node hint exists only where the PreferSameTrafficDistribution gate let the Service ask for it.)
 */
function topologyModeFromHints(endpoints: readonly EndpointConditions[], at: NodeTopology): TopologyMode {
  let hasReady = false;
  let allNodeHints = true;
  let forNode = false;
  let allZoneHints = true;
  let forZone = false;
  for (const e of endpoints) {
    if (!e.ready) continue;
    hasReady = true;
    const h = e.hints;
    if (h === undefined || h.forNode < 0) allNodeHints = false;
    else if (h.forNode === at.node) forNode = true;
    if (h === undefined || h.forZone < 0) allZoneHints = false;
    else if (h.forZone === at.zone) forZone = true;
  }
  if (!hasReady) return ANY;
  if (allNodeHints && forNode) return SAME_NODE;
  if (allZoneHints && forZone) return SAME_ZONE;
  return ANY;
}

function availableForTopology(e: EndpointConditions, mode: TopologyMode, at: NodeTopology): boolean {
  if (mode === ANY) return true;
  const h = e.hints;
  if (h === undefined) return false;
  return mode === SAME_NODE ? h.forNode === at.node : h.forZone === at.zone;
}

/**
 * CategorizeEndpoints: Ready endpoints by default, falling back to serving-terminating ones
 * (independently for Cluster and Local) when none is Ready. Topology narrows only the Ready
 * Cluster endpoints; with no hint for this node or zone it is ignored, so a zone without endpoints
 * reaches every zone's.
 */
export function categorizeEndpoints(slice: EndpointSlice, policies: TrafficPolicies, at: NodeTopology): CategorizedEndpoints {
  const endpoints = slice.endpoints;
  if (endpoints.length === 0) return { cluster: policies.usesClusterEndpoints ? [] : null, local: policies.usesLocalEndpoints ? [] : null, hasAnyEndpoints: false, localReady: 0 };
  let cluster: readonly Pod[] | null = null;
  let hasAnyEndpoints = false;
  if (policies.usesClusterEndpoints) {
    // Without hints the mode is ANY on every node: no need to look at each endpoint again per node.
    const mode = slice.hinted ? topologyModeFromHints(endpoints, at) : ANY;
    // Without topology this is exactly the slice's usable list (the same array: no copy per node).
    cluster = mode === ANY ? slice.usable : selectPods(endpoints, (e) => e.ready && availableForTopology(e, mode, at));
    // A mode other than ANY has a Ready endpoint for this node or zone, so an empty list means none is Ready anywhere.
    if (cluster.length === 0) cluster = selectPods(endpoints, isServingTerminating);
    hasAnyEndpoints = cluster.length > 0;
  }
  if (!policies.usesLocalEndpoints) return { cluster, local: null, hasAnyEndpoints, localReady: 0 };
  let localReady = 0;
  let localServingTerminating = false;
  for (const e of endpoints) {
    const local = e.pod.node === at.node;
    if (e.ready) {
      hasAnyEndpoints = true;
      if (local) localReady++;
    } else if (isServingTerminating(e)) {
      hasAnyEndpoints = true;
      if (local) localServingTerminating = true;
    }
  }
  const local = localReady > 0
    ? selectPods(endpoints, (e) => e.pod.node === at.node && e.ready)
    : localServingTerminating
      ? selectPods(endpoints, (e) => e.pod.node === at.node && isServingTerminating(e))
      : [];
  return { cluster, local, hasAnyEndpoints, localReady };
}
