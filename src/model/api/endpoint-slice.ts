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
  /** Whether any Ready endpoint carries topology hints (without any, every node ignores topology). */
  readonly hinted: boolean;

  constructor(
    readonly service: Service,
    readonly generation: number,
    readonly endpoints: readonly EndpointConditions[],
  ) {
    const usable: Pod[] = [];
    let hinted = false;
    for (let i = endpoints.length - 1; i >= 0; i--) {
      const e = endpoints[i];
      if (!e.ready) continue;
      usable.push(e.pod);
      if (e.hints !== undefined) hinted = true;
    }
    this.readyCount = usable.length;
    this.hinted = hinted;
    if (usable.length === 0) for (let i = endpoints.length - 1; i >= 0; i--) if (endpoints[i].serving && endpoints[i].terminating) usable.push(endpoints[i].pod);
    // An exact-size copy: an array grown by push keeps spare room, and thousands of generations may be alive at once.
    this.usable = usable.slice();
  }
}

/**
 * A pod's endpoint conditions as the EndpointSlice controller writes them, with the hints its
 * trafficDistribution asks for (`hintsFor`, or none). `previous`, the pod's conditions in the last
 * slice, is returned when nothing changed: every slice generation holding the same conditions
 * shares one object, so a generation costs its arrays, not a copy of each endpoint.
 */
export function conditionsOf(pod: Pod, hintsFor?: (pod: Pod) => EndpointHints | undefined, previous?: EndpointConditions): EndpointConditions {
  const ready = pod.ready && !pod.terminating;
  // trafficdist.go hints only Ready endpoints.
  const hints = ready && hintsFor !== undefined ? hintsFor(pod) : undefined;
  if (previous !== undefined && previous.pod === pod && previous.ready === ready && previous.serving === pod.ready && previous.terminating === pod.terminating && sameHints(previous.hints, hints)) return previous;
  const c = { pod, ready, serving: pod.ready, terminating: pod.terminating };
  return hints === undefined ? c : { ...c, hints };
}

function sameHints(a: EndpointHints | undefined, b: EndpointHints | undefined): boolean {
  return a?.forZone === b?.forZone && a?.forNode === b?.forNode;
}

/** Whether two endpoints carry the same pod, conditions and hints. */
export function sameEndpoint(x: EndpointConditions, y: EndpointConditions): boolean {
  return x === y || (x.pod === y.pod && x.ready === y.ready && x.serving === y.serving && x.terminating === y.terminating && sameHints(x.hints, y.hints));
}

export function sameConditions(a: readonly EndpointConditions[], b: readonly EndpointConditions[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameEndpoint(a[i], b[i])) return false;
  return true;
}
