/**
 * kube-proxy on one node: it learns each EndpointSlice change after its own watch latency and
 * rewrites the node's rules for every Service through one BoundedFrequencyRunner. Periodic full
 * resyncs rewrite identical rules and are not modelled. Source: pkg/proxy (iptables, ipvs,
 * nftables proxiers share this shape), cmd/kube-proxy/app/server.go.
 */
import type { EventHandler, Simulation } from "../../../engine/index.js";
import type { Distribution } from "../../../random/distributions.js";
import type { RandomStream } from "../../../random/index.js";
import type { EndpointSlice } from "../../api/endpoint-slice.js";
import type { Balancer } from "./balancer.js";
import { BoundedFrequencyRunner, type Runnable } from "./bounded-frequency-runner.js";

/** One Service as this node's rules have it. */
export class ServiceView {
  /** The slice generation the rules were last written from. */
  generation = 0;
  /** The newest slice delivered by the watch and not yet written into rules. */
  pending: EndpointSlice | null = null;
  /** When the watch last delivered a change: deliveries keep their order. */
  lastDelivery = 0;

  constructor(readonly balancer: Balancer) {}
}

export interface ProxyConfig {
  watchLatency: Distribution;
  minSyncPeriod: number;
  burstSyncs: number;
}

export class KubeProxy implements EventHandler, Runnable {
  readonly views: ServiceView[];
  alive = true;
  private readonly runner: BoundedFrequencyRunner;

  constructor(
    private readonly sim: Simulation,
    readonly node: number,
    private readonly config: ProxyConfig,
    private readonly rng: RandomStream,
    balancers: Balancer[],
  ) {
    this.views = balancers.map((b) => new ServiceView(b));
    this.runner = new BoundedFrequencyRunner(sim, config.minSyncPeriod, config.burstSyncs, this);
  }

  /** Writes `slices` into the rules at once: a proxy that has just started and synced. */
  start(slices: readonly EndpointSlice[]): void {
    for (const slice of slices) this.apply(slice);
  }

  /** The API server published a new slice; this node's watch sees it after its own latency. */
  notify(slice: EndpointSlice): void {
    if (!this.alive) return;
    const view = this.views[slice.service.index];
    const at = Math.max(view.lastDelivery, this.sim.now + this.config.watchLatency.sample(this.rng.random));
    view.lastDelivery = at;
    this.sim.at(at, this, 0, slice);
  }

  /** Whether the rules for a Service lag behind the newest published slice. */
  isStale(serviceIndex: number, latestGeneration: number): boolean {
    return this.alive && this.views[serviceIndex].generation !== latestGeneration;
  }

  /** The node went down: its proxy stops. */
  stop(): void {
    this.alive = false;
    this.runner.stop();
  }

  /** The watch delivers a slice: it waits for the next sync of the rules. */
  onEvent(_sim: Simulation, _kind: number, payload: unknown): void {
    if (!this.alive) return;
    const slice = payload as EndpointSlice;
    const view = this.views[slice.service.index];
    if (slice.generation > (view.pending?.generation ?? view.generation)) view.pending = slice;
    this.runner.run();
  }

  /** Rewrites the rules of every Service with a pending change. */
  syncProxyRules(): void {
    for (const view of this.views) {
      if (view.pending !== null) {
        this.apply(view.pending);
        view.pending = null;
      }
    }
  }

  private apply(slice: EndpointSlice): void {
    const view = this.views[slice.service.index];
    view.generation = slice.generation;
    view.balancer.update(slice.usable);
  }
}
