/**
 * The EndpointSlice controller: for each Service, the selected pods with their conditions,
 * republished (after the batch period) whenever one changes; every watching kube-proxy is told.
 * Source: pkg/controller/endpointslice (batch period 0 s by default).
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import { conditionsOf, EndpointSlice, sameConditions } from "../api/endpoint-slice.js";
import type { Service } from "../api/service.js";
import type { Pod } from "../node/kubelet/pod.js";

/** Publishes each new slice to whoever watches the Service (every node's kube-proxy). */
export type SliceListener = (slice: EndpointSlice) => void;

export class EndpointSliceController implements EventHandler {
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
