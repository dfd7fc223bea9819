/**
 * EndpointSlices and the controller that keeps them: for each Service, the selected pods with their
 * ready / serving / terminating conditions, republished (after the batch period) whenever one changes.
 * Source: pkg/controller/endpointslice and KEP-1672 (terminating conditions).
 */
import type { EventHandler, Simulation } from "../engine/index.js";
import type { Pod } from "./pod.js";
import type { Service } from "./service.js";

export interface EndpointConditions {
  readonly pod: Pod;
  /** Serving and not terminating. */
  readonly ready: boolean;
  /** The pod's readiness, whether or not it is terminating. */
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** One published version of a Service's endpoints; immutable once made. */
export class EndpointSlice {
  /**
   * What kube-proxy routes to: the Ready endpoints, else the serving-terminating ones
   * (pkg/proxy/topology.go); newest pod first, the order in which IPVS lists real servers (it adds
   * each new one at the head), which decides IPVS's tie-breaks and round-robin order.
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

function conditionsOf(pod: Pod): EndpointConditions {
  return { pod, ready: pod.ready && !pod.terminating, serving: pod.ready, terminating: pod.terminating };
}

function sameConditions(a: readonly EndpointConditions[], b: readonly EndpointConditions[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.pod !== y.pod || x.ready !== y.ready || x.serving !== y.serving || x.terminating !== y.terminating) return false;
  }
  return true;
}

/** Publishes each new slice to whoever watches the Service (every node's kube-proxy). */
export type SliceListener = (slice: EndpointSlice) => void;

export class EndpointsController implements EventHandler {
  /** The selected pods, in creation order. */
  private readonly pods: Pod[] = [];
  private syncPending = false;
  current: EndpointSlice;

  constructor(
    private readonly sim: Simulation,
    readonly service: Service,
    private readonly batchPeriod: number,
    private readonly publish: SliceListener,
  ) {
    this.current = new EndpointSlice(service, 0, []);
  }

  /** A pod was created: it joins the slice if the Service selects it. */
  podCreated(pod: Pod): void {
    if (!this.service.selects(pod)) return;
    this.pods.push(pod);
    this.requestSync();
  }

  /** A pod's conditions changed or it is gone. */
  podChanged(pod: Pod): void {
    if (!this.service.selects(pod)) return;
    if (pod.gone) {
      const i = this.pods.indexOf(pod);
      if (i >= 0) this.pods.splice(i, 1);
    }
    this.requestSync();
  }

  /** Computes the slice now, without publishing (the steady state a run starts from). */
  syncNow(): EndpointSlice {
    const endpoints = this.pods.map(conditionsOf);
    if (!sameConditions(endpoints, this.current.endpoints)) {
      this.current = new EndpointSlice(this.service, this.current.generation + 1, endpoints);
    }
    return this.current;
  }

  onEvent(): void {
    this.syncPending = false;
    const before = this.current;
    if (this.syncNow() !== before) this.publish(this.current);
  }

  /** Changes within one batch period (or one instant, for a period of 0) make one update. */
  private requestSync(): void {
    if (this.syncPending) return;
    this.syncPending = true;
    this.sim.after(this.batchPeriod, this);
  }
}
