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
    /**
     * The generation this one follows: when its usable list is the same (a change of a pod that is
     * not Ready, half of a rollout's), this one shares that array. Every node's rules may hold a
     * generation for seconds, so an array fewer per generation is that much less for the collector
     * to copy. Balancers read the lists by content, never by identity.
     */
    previous?: EndpointSlice,
  ) {
    let ready = 0;
    let hinted = false;
    for (const e of endpoints) {
      if (!e.ready) continue;
      ready++;
      if (e.hints !== undefined) hinted = true;
    }
    this.readyCount = ready;
    this.hinted = hinted;
    const keep = ready > 0 ? isReady : isServingTerminating;
    const before = previous?.usable;
    this.usable = before !== undefined && sameUsable(endpoints, keep, before) ? before : usableOf(endpoints, keep);
  }

  /** usable's length (what a rule rewrite's duration counts: KubeProxy's TrackedSlice). */
  get usableCount(): number {
    return this.usable.length;
  }
}

const isReady = (e: EndpointConditions): boolean => e.ready;
/** An endpoint kube-proxy falls back to when none is ready: serving while terminating. */
export const isServingTerminating = (e: EndpointConditions): boolean => e.serving && e.terminating;

/** The pods of the endpoints `keep` accepts, newest first (the order the balancers' picks index into). */
export function selectPods(endpoints: readonly EndpointConditions[], keep: (e: EndpointConditions) => boolean): Pod[] {
  const out: Pod[] = [];
  for (let i = endpoints.length - 1; i >= 0; i--) if (keep(endpoints[i])) out.push(endpoints[i].pod);
  return out;
}

/** selectPods in an exact-size array: one grown by push keeps spare room, and thousands of generations may be alive at once. */
function usableOf(endpoints: readonly EndpointConditions[], keep: (e: EndpointConditions) => boolean): Pod[] {
  return selectPods(endpoints, keep).slice();
}

/** Whether usableOf(endpoints, keep) would list exactly `list`. */
function sameUsable(endpoints: readonly EndpointConditions[], keep: (e: EndpointConditions) => boolean, list: readonly Pod[]): boolean {
  let j = 0;
  for (let i = endpoints.length - 1; i >= 0; i--) {
    if (!keep(endpoints[i])) continue;
    if (j >= list.length || list[j] !== endpoints[i].pod) return false;
    j++;
  }
  return j === list.length;
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
