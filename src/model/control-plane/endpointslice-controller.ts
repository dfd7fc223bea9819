/**
 * The EndpointSlice controller: for each Service, the selected pods with their conditions,
 * republished (after the batch period) whenever one changes; every watching kube-proxy is told.
 * With a trafficDistribution it hints each Ready endpoint for its own zone (and, for PreferSameNode,
 * its own node). Source: pkg/controller/endpointslice (batch period 0 s by default),
 * staging/src/k8s.io/endpointslice/trafficdist/trafficdist.go (the hints); with the topology-mode
 * Auto annotation, topology-cache.ts's proportional hints instead.
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import { conditionsOf, EndpointSlice, sameConditions, sameEndpoint, type EndpointConditions, type EndpointHints } from "../api/endpoint-slice.js";
import { proportionalHints } from "./topology-cache.js";
import type { Service } from "../api/service.js";
import type { Pod } from "../node/kubelet/pod.js";

/** Publishes each new slice to whoever watches the Service (every node's kube-proxy). */
export type SliceListener = (slice: EndpointSlice) => void;

export class EndpointSliceController implements EventHandler {
  /** The selected pods, in creation order. */
  private readonly pods: Pod[] = [];
  /**
   * published[i]: pods[i]'s conditions as last computed (undefined before), one object shared by
   * every slice generation that holds them, so a generation costs its arrays, not a copy of each endpoint.
   */
  private readonly published: (EndpointConditions | undefined)[] = [];
  /** Pods whose conditions changed since the last sync (a pod is looked at again only then). */
  private readonly changed: Pod[] = [];
  private syncPending = false;
  current: EndpointSlice;
  /** The hints each Ready endpoint gets, or undefined without a trafficDistribution. */
  private readonly hintsFor: ((pod: Pod) => EndpointHints | undefined) | undefined;

  constructor(
    private readonly sim: Simulation,
    readonly service: Service,
    private readonly batchPeriod: number,
    private readonly publish: SliceListener,
    /** A node's zone, -1 for a node without one. */
    private readonly zoneOf: (node: number) => number = () => -1,
    /** Each zone's share of the live nodes' CPU (all nodes alike), for topology-mode Auto. */
    private readonly zoneRatios: () => number[] = () => [],
  ) {
    this.current = new EndpointSlice(service, 0, []);
    // topology-mode Auto takes precedence: its hints are set at each sync (proportionalHints).
    const td = service.spec.topologyMode === "Auto" ? null : service.spec.trafficDistribution;
    // PreferClose and PreferSameZone hint the endpoint's zone; PreferSameNode its node as well. An
    // endpoint without a zone gets no zone hint, which makes every node's kube-proxy ignore the zone hints.
    this.hintsFor =
      td === null
        ? undefined
        : (pod) => {
            const forZone = zoneOf(pod.node);
            const forNode = td === "PreferSameNode" ? pod.node : -1;
            return forZone < 0 && forNode < 0 ? undefined : { forZone, forNode };
          };
  }

  /** A pod was created: it joins the slice if the Service selects it. */
  podCreated(pod: Pod): void {
    if (!this.service.selects(pod)) return;
    this.pods.push(pod);
    this.published.push(undefined);
    this.requestSync();
  }

  /** A pod's conditions changed or it is gone. */
  podChanged(pod: Pod): void {
    if (!this.service.selects(pod)) return;
    if (pod.gone) {
      const i = this.pods.indexOf(pod);
      if (i >= 0) {
        this.pods.splice(i, 1);
        this.published.splice(i, 1);
      }
    } else {
      this.changed.push(pod);
    }
    this.requestSync();
  }

  /** Computes the slice now, without publishing (the steady state a run starts from). */
  syncNow(): EndpointSlice {
    const { pods, published } = this;
    if (this.service.spec.topologyMode === "Auto") return this.syncAll();
    // Only the pods that changed, and those new since the last sync, can have other conditions.
    for (const pod of this.changed) {
      const i = pods.indexOf(pod);
      if (i >= 0) published[i] = conditionsOf(pod, this.hintsFor, published[i]);
    }
    this.changed.length = 0;
    for (let i = 0; i < pods.length; i++) if (published[i] === undefined) published[i] = conditionsOf(pods[i], this.hintsFor);
    const endpoints = published as EndpointConditions[];
    if (!sameConditions(endpoints, this.current.endpoints)) {
      this.current = new EndpointSlice(this.service, this.current.generation + 1, endpoints.slice(), this.current);
    }
    return this.current;
  }

  /** syncNow for topology-mode Auto, whose hints depend on every Ready endpoint and the zones' shares. */
  private syncAll(): EndpointSlice {
    const { pods, published } = this;
    this.changed.length = 0;
    const fresh: EndpointConditions[] = [];
    for (let i = 0; i < pods.length; i++) fresh.push(conditionsOf(pods[i], undefined, published[i]));
    const endpoints = this.withProportionalHints(fresh);
    for (let i = 0; i < endpoints.length; i++) {
      const before = published[i];
      if (before !== undefined && sameEndpoint(before, endpoints[i])) endpoints[i] = before;
    }
    for (let i = 0; i < endpoints.length; i++) published[i] = endpoints[i];
    if (!sameConditions(endpoints, this.current.endpoints)) {
      this.current = new EndpointSlice(this.service, this.current.generation + 1, endpoints, this.current);
    }
    return this.current;
  }

  /** The Ready endpoints hinted as topology-mode Auto allots them to zones (none when it cannot). */
  private withProportionalHints(endpoints: EndpointConditions[]): EndpointConditions[] {
    const ready = endpoints.filter((e) => e.ready);
    const hints = proportionalHints(
      ready.map((e) => this.zoneOf(e.pod.node)),
      this.zoneRatios(),
    );
    if (hints === null) return endpoints;
    let k = 0;
    return endpoints.map((e) => (e.ready ? { ...e, hints: { forZone: hints[k++], forNode: -1 } } : e));
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
