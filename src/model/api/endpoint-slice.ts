/**
 * An EndpointSlice as the API server holds it: one published version of a Service's endpoints with
 * their ready / serving / terminating conditions (KEP-1672), and what kube-proxy routes to from it.
 * Source: discovery/v1 EndpointSlice; pkg/proxy/topology.go CategorizeEndpoints.
 */
import type { Pod } from "../node/kubelet/pod.js";
import type { Service } from "./service.js";

export interface EndpointConditions {
  readonly pod: Pod;
  /** Serving and not terminating. */
  readonly ready: boolean;
  /** The pod's readiness, whether or not it is terminating. */
  readonly serving: boolean;
  readonly terminating: boolean;
  /** Topology hints (hints.forZones / forNodes) the controller set for trafficDistribution; absent: none. */
  readonly hints?: EndpointHints;
}

/** The controller sets at most one zone and one node per endpoint: its own (trafficdist.go). -1: none. */
export interface EndpointHints {
  readonly forZone: number;
  readonly forNode: number;
}

/** One published version of a Service's endpoints; immutable once made. */
export class EndpointSlice {
  /**
   * What kube-proxy routes to: the Ready endpoints, else the serving-terminating ones
   * (pkg/proxy/topology.go); newest pod first. The order matters only to nginx's fixed list:
   * iptables picks uniformly, and each node's IPVS table orders its real servers its own way.
   */
  readonly usable: readonly Pod[];
  readonly readyCount: number;

  constructor(
    readonly service: Service,
    readonly generation: number,
    readonly endpoints: readonly EndpointConditions[],
  ) {
    const ready = endpoints.filter((e) => e.ready).map((e) => e.pod);
    this.readyCount = ready.length;
    const usable = ready.length > 0 ? ready : endpoints.filter((e) => e.serving && e.terminating).map((e) => e.pod);
    this.usable = usable.reverse();
  }
}

/**
 * A pod's endpoint conditions as the EndpointSlice controller writes them, with the hints its
 * trafficDistribution asks for (`hintsFor`, or none).
 */
export function conditionsOf(pod: Pod, hintsFor?: (pod: Pod) => EndpointHints | undefined): EndpointConditions {
  const ready = pod.ready && !pod.terminating;
  const c = { pod, ready, serving: pod.ready, terminating: pod.terminating };
  // trafficdist.go hints only Ready endpoints.
  const hints = ready && hintsFor !== undefined ? hintsFor(pod) : undefined;
  return hints === undefined ? c : { ...c, hints };
}

export function sameConditions(a: readonly EndpointConditions[], b: readonly EndpointConditions[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.pod !== y.pod || x.ready !== y.ready || x.serving !== y.serving || x.terminating !== y.terminating) return false;
    if (x.hints?.forZone !== y.hints?.forZone || x.hints?.forNode !== y.hints?.forNode) return false;
  }
  return true;
}
