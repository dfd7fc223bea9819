/**
 * Which of a Service's endpoints one node's rules use, by kind of traffic (pkg/proxy/topology.go,
 * CategorizeEndpoints). Traffic under the Cluster policies goes to the Ready endpoints, else to the
 * serving-terminating ones (EndpointSlice.usable); traffic under a Local policy goes to the node's
 * own Ready endpoints, else to its own serving-terminating ones (KEP-1669). A node with no local
 * endpoint DROPs Local traffic while the Service has endpoints elsewhere; with none at all it
 * REJECTs (pkg/proxy/iptables/proxier.go). kube-proxy's service health server counts the local
 * Ready endpoints only (LocalReadyEndpoints), so a node whose pods are all terminating fails the
 * load balancer's health check while it still serves what reaches it.
 */
import type { EndpointSlice } from "../../api/endpoint-slice.js";
import type { Pod } from "../kubelet/pod.js";

/** What a node's rules hold for one Service. Made once per rules write, never per request. */
export interface CategorizedEndpoints {
  /** For traffic under the Cluster policies: any node's endpoints. */
  readonly cluster: readonly Pod[];
  /** For traffic under a Local policy: this node's endpoints; null when the Service has no Local policy. */
  readonly local: readonly Pod[] | null;
  /** This node's Ready (not terminating) endpoints: what its service health check reports. */
  readonly localReady: number;
}

/**
 * Categorizes a slice's endpoints for the rules of node `node`; `local` is computed only when the
 * Service has a Local policy. Local endpoints are listed newest first, as `usable` is.
 */
export function categorizeEndpoints(slice: EndpointSlice, node: number, withLocal: boolean): CategorizedEndpoints {
  if (!withLocal) return { cluster: slice.usable, local: null, localReady: 0 };
  const ready: Pod[] = [];
  const terminating: Pod[] = [];
  for (const e of slice.endpoints) {
    if (e.pod.node !== node) continue;
    if (e.ready) ready.push(e.pod);
    else if (e.serving && e.terminating) terminating.push(e.pod);
  }
  const local = ready.length > 0 ? ready : terminating;
  return { cluster: slice.usable, local: local.reverse(), localReady: ready.length };
}
