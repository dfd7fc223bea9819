/**
 * kube-proxy on one node: it learns each EndpointSlice change after its own watch latency and
 * rewrites the node's rules through a BoundedFrequencyRunner: a token bucket at 1/minSyncPeriod with
 * a burst of burstSyncs (2 up to v1.33, pkg/util/async/bounded_frequency_runner.go; v1.34's
 * pkg/proxy/runner has none, which burstSyncs 1 models); a request that finds no token runs
 * minSyncPeriod after the last run, merged with any that come meanwhile. Periodic full resyncs
 * rewrite identical rules and are not modelled.
 */
import type { EventHandler, SimEvent, Simulation } from "../engine/index.js";
import type { Distribution } from "../random/distributions.js";
import type { RandomStream } from "../random/index.js";
import type { Balancer } from "./balancer/index.js";
import type { EndpointSlice } from "./endpoints.js";

const DELIVER = 0;
const SYNC = 1;

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

export class KubeProxy implements EventHandler {
  readonly views: ServiceView[];
  alive = true;
  private tokens: number;
  private lastRefill: number;
  private lastRun = -Infinity;
  private syncEvent: SimEvent | null = null;

  constructor(
    private readonly sim: Simulation,
    readonly node: number,
    private readonly config: ProxyConfig,
    private readonly rng: RandomStream,
    balancers: Balancer[],
  ) {
    this.views = balancers.map((b) => new ServiceView(b));
    this.lastRefill = sim.now;
    this.tokens = config.burstSyncs;
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
    this.sim.at(at, this, DELIVER, slice);
  }

  /** Whether the rules for a Service lag behind the newest published slice. */
  isStale(serviceIndex: number, latestGeneration: number): boolean {
    return this.alive && this.views[serviceIndex].generation !== latestGeneration;
  }

  /** The node went down: its proxy stops. */
  stop(): void {
    this.alive = false;
    this.sim.cancel(this.syncEvent);
  }

  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    if (!this.alive) return;
    if (kind === DELIVER) {
      const slice = payload as EndpointSlice;
      const view = this.views[slice.service.index];
      if (slice.generation > (view.pending?.generation ?? view.generation)) view.pending = slice;
      this.requestSync();
    } else {
      this.syncEvent = null;
      this.refill();
      this.tokens = Math.max(0, this.tokens - 1);
      this.syncRules();
    }
  }

  private requestSync(): void {
    if (this.syncEvent !== null) return; // merged into the run already scheduled
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.syncRules();
      return;
    }
    // As BoundedFrequencyRunner.tryRun: retry minInterval after the last run, when a token is sure to be there.
    this.syncEvent = this.sim.at(Math.max(this.sim.now, this.lastRun + this.config.minSyncPeriod), this, SYNC);
  }

  private refill(): void {
    const now = this.sim.now;
    const period = this.config.minSyncPeriod;
    const burst = this.config.burstSyncs;
    this.tokens = period > 0 ? Math.min(burst, this.tokens + (now - this.lastRefill) / period) : burst;
    this.lastRefill = now;
  }

  private syncRules(): void {
    this.lastRun = this.sim.now;
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
