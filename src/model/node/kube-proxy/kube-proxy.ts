/**
 * kube-proxy on one node: it learns each EndpointSlice change after its own watch latency and
 * rewrites the node's rules for every Service through one BoundedFrequencyRunner, the scenario's
 * Services and the cluster's others alike, so their changes spend its tokens too. A rewrite takes
 * time that grows with the rules (iptables-restore replaces the whole table); the changes it writes
 * are those tracked when it starts, so changes delivered together are written together. Periodic
 * full resyncs are not modelled. It also runs the health servers load balancers probe
 * (healthcheck.ts). On a node no connection goes through (no client, no external traffic) nothing
 * reads its rules but the interval gauges: it then runs on a clock of its own, brought to the
 * simulation's time only when it is read or handed something, and keeps only the rules'
 * generations and sizes; it answers as it would on the simulation's clock. Source: pkg/proxy
 * (iptables, ipvs, nftables proxiers share this shape: OnEndpointSliceUpdate tracks the change and
 * calls Sync, syncProxyRules reads the tracker), cmd/kube-proxy/app/server.go.
 */
import { LocalClock, type EventHandler, type EventScheduler, type Simulation } from "../../../engine/index.js";
import type { Distribution } from "../../../random/distributions.js";
import type { RandomStream } from "../../../random/index.js";
import type { EndpointSlice } from "../../api/endpoint-slice.js";
import type { Service } from "../../api/service.js";
import type { Balancer } from "./balancer.js";
import { BoundedFrequencyRunner, type Runnable } from "./bounded-frequency-runner.js";
import type { EndpointSliceWatch } from "./endpoint-slice-watch.js";
import { ProxierHealthServer } from "./healthcheck.js";
import { IpvsVirtualServer } from "./ipvs/virtual-server.js";
import { categorizeEndpoints, type NodeTopology } from "./topology.js";
import { WatchMergeBounds } from "./watch-merge.js";

/**
 * A published slice as a proxy's watch hands it over and its syncs track it: the EndpointSlice, or,
 * to a proxy whose rules no connection reads, its SliceVersion, all such a proxy needs of it.
 */
export interface TrackedSlice {
  readonly service: Service;
  readonly generation: number;
  /** Endpoints kube-proxy routes to (EndpointSlice.usable's length), which a rewrite's duration counts. */
  readonly usableCount: number;
}

/**
 * What a proxy on a clock of its own tracks of a slice, shared by every such proxy: kept for seconds
 * by hundreds of nodes, it holds none of the slice's arrays.
 */
export class SliceVersion implements TrackedSlice {
  constructor(
    readonly service: Service,
    readonly generation: number,
    readonly usableCount: number,
  ) {}
}

/** One Service as this node's rules have it. */
export class ServiceView {
  /** The slice generation the rules were last written from. */
  generation = 0;
  /** The newest slice delivered by the watch and not yet written into rules. */
  pending: TrackedSlice | null = null;
  /** The slice the sync under way is writing. */
  writing: TrackedSlice | null = null;
  /** Endpoints in the rules (the usable ones of the slice last written). */
  endpoints = 0;
  /** When the watch last delivered a change: deliveries keep their order. */
  lastDelivery = 0;
  /**
   * The deliveries due at `lastDelivery`, while they are still to come (null once they came). Read
   * through an EndpointSliceWatch, the last of a chain of pending deliveries (WatchDeliveries.next).
   */
  due: WatchDeliveries | null = null;
  /**
   * The rules DROP new connections instead of balancing them: internalTrafficPolicy Local with
   * endpoints elsewhere but none on this node. (No endpoints at all REJECTs: the balancer is empty.)
   */
  drops = false;
  /** As `drops`, for external traffic (node ports, load balancers) when it has its own balancer. */
  externalDrops = false;
  /** This node's Ready endpoints, as the service health server reports them (externalTrafficPolicy Local). */
  localReady = 0;
  /**
   * What picks for new connections and hears of them: `balancer`, or an IPVS table's scheduler
   * itself (the table only orders the real servers when the rules change), one object fewer to
   * reach per connection.
   */
  readonly picker: Balancer;
  /** The same for `external`. */
  readonly externalPicker: Balancer | null;

  constructor(
    /** Picks among the endpoints of in-cluster traffic (internalTrafficPolicy). */
    readonly balancer: Balancer,
    /**
     * Picks among the endpoints of external traffic when its policy differs from the internal one
     * (externalTrafficPolicy Local on a Service whose internal traffic is Cluster, or the reverse);
     * null: external traffic uses `balancer`.
     */
    readonly external: Balancer | null = null,
  ) {
    this.picker = pickerOf(balancer);
    this.externalPicker = external === null ? null : pickerOf(external);
  }
}

/**
 * The rules of a proxy no connection goes through (KubeProxy.carriesTraffic false): never written,
 * and a pick from them would be a model bug.
 */
export const UNREAD_RULES: Balancer = {
  update: () => {},
  pick: () => {
    throw new Error("a connection went through a node whose rules are not kept (a kube-proxy on a clock of its own): a model bug");
  },
  opened: () => {},
  closed: () => {},
  nextUpstreamTries: 0,
};

const pickerOf = (b: Balancer): Balancer => (b instanceof IpvsVirtualServer ? b.scheduling : b);

/**
 * What the watch delivers to one node for one Service at one instant. A lagging watch (a latency
 * draw far above the others) holds back every later change until it catches up, then delivers them
 * all at once; the sync they ask for reads the tracked changes when it starts, after them all
 * (bounded-frequency-runner.ts), so only the newest can make a difference and the others are
 * dropped here rather than kept alive until the node is told. One event per node and instant.
 */
export class WatchDeliveries {
  /** The view's next deliveries, due later (only through an EndpointSliceWatch, whose proxies schedule one at a time). */
  next: WatchDeliveries | null = null;

  constructor(
    readonly view: ServiceView,
    /** When they come. */
    readonly at: number,
    /** The newest slice delivered then. */
    public slice: TrackedSlice,
  ) {}
}

export interface ProxyConfig {
  watchLatency: Distribution;
  minSyncPeriod: number;
  burstSyncs: number;
  /** A rewrite takes syncBase + syncPerEndpoint x (endpoints in the rules), seconds. */
  syncBase: number;
  syncPerEndpoint: number;
  /** Endpoints of the Services outside the scenario, in every node's rules. */
  backgroundEndpoints: number;
}

/** One WatchMergeBounds per latency distribution (they are a function of it), shared by every node. */
const boundsByLatency = new WeakMap<Distribution, WatchMergeBounds | null>();
function mergeBoundsOf(latency: Distribution): WatchMergeBounds | null {
  let b = boundsByLatency.get(latency);
  if (b === undefined) {
    b = WatchMergeBounds.of(latency);
    boundsByLatency.set(latency, b);
  }
  return b;
}

const SLICE = 0;
const BACKGROUND_CHANGE = 1;
/** The node's watch delivered a change of the node object (its eligibility): payload true or false. */
const NODE_CHANGE = 2;

export class KubeProxy implements EventHandler, Runnable {
  readonly views: ServiceView[];
  alive = true;
  readonly health = new ProxierHealthServer();
  private readonly runner: BoundedFrequencyRunner;
  /** This node and its zone, as the endpoints' topology is judged from. */
  private readonly at: NodeTopology;
  // Read for every change at every node (notify): kept on the proxy itself, one object to touch.
  private readonly latency: Distribution;
  private readonly uniform: RandomStream;
  /** Which draws only join a pending delivery, told from their uniform alone; null: every draw is transformed. */
  private readonly merges: WatchMergeBounds | null;
  /** The watch this proxy reads its changes from lazily; null: each change is drawn as it is published (`notify`). */
  private watch: EndpointSliceWatch | null = null;
  /** The position in the watch's log of the first change this proxy has not drawn a latency for. */
  cursor = 0;
  /**
   * What this proxy schedules its events on: the simulation, or, for a proxy whose rules no
   * connection goes through, `local`, a clock of its own run forward when the rest of the model
   * reads the proxy or hands it a change (`advance`). Its deliveries and syncs then cost no event in
   * the simulation's list, and its rules are not built: only what the gauges read is kept.
   */
  private readonly clock: EventScheduler;
  private readonly local: LocalClock | null;

  constructor(
    private readonly sim: Simulation,
    readonly node: number,
    private readonly config: ProxyConfig,
    rng: RandomStream,
    balancers: Balancer[],
    /** Watch latencies of the other Services' changes (a stream of their own). */
    private readonly backgroundRng: RandomStream,
    /** The node's zone (its topology.kubernetes.io/zone label), -1 for none. */
    zone = -1,
    /** Per Service, the balancer of its external traffic when that has a policy of its own (ServiceView.external). */
    externalBalancers: readonly (Balancer | null)[] = [],
    /**
     * Whether connections are balanced by this node's rules (a client on the node, external traffic
     * entering at it). false: nothing reads them but the interval gauges (isStale), so the proxy
     * runs on a clock of its own and keeps only the rules' generations and sizes.
     */
    readonly carriesTraffic = true,
  ) {
    this.at = { node, zone };
    this.local = carriesTraffic ? null : new LocalClock(sim);
    this.clock = this.local ?? sim;
    this.latency = config.watchLatency;
    this.uniform = rng;
    this.merges = mergeBoundsOf(config.watchLatency);
    this.views = balancers.map((b, i) => new ServiceView(b, externalBalancers[i] ?? null));
    this.runner = new BoundedFrequencyRunner(this.clock, config.minSyncPeriod, config.burstSyncs, this);
  }

  /** Writes `slices` into the rules at once: a proxy that has just started and synced. */
  start(slices: readonly EndpointSlice[]): void {
    for (const slice of slices) this.apply(slice);
  }

  /** The API server published a new slice; this node's watch sees it after its own latency. */
  notify(slice: EndpointSlice): void {
    this.advance();
    if (this.alive) this.receive(slice, this.sim.now);
  }

  /**
   * Brings a proxy on a clock of its own to the simulation's time: it draws the latencies of the
   * changes published so far, then its events due before now fire. Called before the rest of the
   * model reads it or hands it anything, so that what it schedules then comes after what it would
   * have scheduled meanwhile. From within its own events it only draws.
   */
  advance(): void {
    if (this.local === null) return;
    // Its draws first (their order is all that counts, not when they are made), then its events.
    this.watch?.catchUp(this);
    this.local.runUntil(this.sim.now);
  }

  /** From now on this proxy reads `watch`'s log from `cursor` (EndpointSliceWatch.subscribe). */
  readFrom(watch: EndpointSliceWatch, cursor: number): void {
    this.watch = watch;
    this.cursor = cursor;
  }

  /**
   * Draws the watch latency of a slice published at `published` and files the slice with the
   * deliveries due when it comes. Through a watch, only the view's first pending delivery is
   * scheduled; the others wait in its chain.
   */
  receive(slice: TrackedSlice, published: number): void {
    const view = this.views[slice.service.index];
    let latency: number;
    if (this.merges !== null) {
      const u = this.uniform.random();
      const due = view.due;
      // Surely no later than the pending delivery (due.at is view.lastDelivery while due is set): it joins it.
      if (due !== null && this.merges.fits(u, published, due.at)) {
        due.slice = slice;
        return;
      }
      latency = this.merges.at(u);
    } else latency = this.latency.sample(this.uniform);
    this.file(view, slice, published + latency);
  }

  /**
   * Draws the latencies of the watch log's changes `from` to `to` (exclusive), in the order they
   * were published (EndpointSliceWatch.catchUp: `services` holds each change's Service). The draws
   * of a run of changes of one Service that only join its pending delivery touch nothing but the
   * stream, and only the newest of them is filed: the same draws and deliveries as `receive` one by one.
   */
  readLog(slices: readonly TrackedSlice[], services: Int32Array, times: Float64Array, from: number, to: number): void {
    const merges = this.merges;
    const uniform = this.uniform;
    for (let k = from; k < to; ) {
      const service = services[k];
      const view = this.views[service];
      const due = view.due;
      if (merges === null || due === null) {
        this.receive(slices[k], times[k]);
        k++;
        continue;
      }
      const pending = due.at;
      const first = k;
      let u = 0;
      while (k < to && services[k] === service && merges.fits((u = uniform.random()), times[k], pending)) k++;
      if (k > first) due.slice = slices[k - 1];
      // The loop stopped at a draw that may come later than the pending delivery: u is its uniform.
      if (k < to && services[k] === service) {
        this.file(view, slices[k], times[k] + merges.at(u));
        k++;
      }
    }
  }

  /** Files `slice`, which the watch hands over at `arrives` or with the view's pending delivery if that is later. */
  private file(view: ServiceView, slice: TrackedSlice, arrives: number): void {
    const due = view.due;
    const at = Math.max(view.lastDelivery, arrives);
    view.lastDelivery = at;
    if (due !== null && due.at === at) {
      due.slice = slice;
      return;
    }
    const next = new WatchDeliveries(view, at, slice);
    view.due = next;
    if (due === null || this.watch === null) this.clock.schedule(at, this, SLICE, next);
    else due.next = next;
  }

  /** A Service outside the scenario changed its endpoints; this node's watch sees it after its own latency. */
  notifyBackground(): void {
    if (!this.alive) return;
    this.advance();
    const clock = this.clock;
    clock.schedule(clock.now + this.config.watchLatency.sample(this.backgroundRng), this, BACKGROUND_CHANGE);
  }

  /** The node object changed (a ToBeDeleted taint, a deletion): this kube-proxy sees it after `latency`. */
  nodeChanged(eligible: boolean, latency: number): void {
    if (!this.alive) return;
    this.advance();
    this.clock.schedule(this.clock.now + latency, this, NODE_CHANGE, eligible);
  }

  // The health servers answer load balancers, and a load balancer puts every node on the
  // simulation's clock (Cluster.nodesCarryingTraffic): in a Cluster run no proxy on a clock of its
  // own is asked. It is brought to now all the same, as in nodeChanged (whose NODE_CHANGE only the
  // health servers read), so that what it answers never depends on which clock it runs on.

  /** What GET /healthz on port 10256 answers now: true 200, false 503, null no answer (the node is down). */
  healthz(): boolean | null {
    this.advance();
    return this.alive ? this.health.healthz(this.sim.now) : null;
  }

  /** What a Local Service's healthCheckNodePort answers now (null: no answer). */
  serviceHealthz(serviceIndex: number): boolean | null {
    this.advance();
    return this.alive ? this.health.serviceHealthz(this.views[serviceIndex].localReady, this.sim.now) : null;
  }

  /**
   * Whether the rules for a Service lag behind the newest published slice, as read by an event that
   * fires now and was scheduled at `instant` (from an event at that instant, or before any of its
   * events fired; -Infinity: read after every event before now and none at now, as after
   * `Simulation.run(now)`). A proxy on a clock of its own has run only its events before now; of
   * those at now, only the end of a sync can change its rules, and it came first if its sync
   * started before `instant` (BoundedFrequencyRunner.writesBefore).
   */
  isStale(serviceIndex: number, latestGeneration: number, instant = -Infinity): boolean {
    if (!this.alive) return false;
    const view = this.views[serviceIndex];
    if (this.local === null) return view.generation !== latestGeneration;
    this.advance();
    const written = view.writing !== null && this.runner.writesBefore(this.sim.now, instant) ? view.writing.generation : view.generation;
    return written !== latestGeneration;
  }

  /** The node went down: its proxy stops. */
  stop(): void {
    this.alive = false;
    this.runner.stop();
    this.local?.clear();
  }

  /** The watch delivers a change: it waits for the next sync of the rules. Times are read from `clock`. */
  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    if (!this.alive) return;
    if (kind === NODE_CHANGE) {
      this.health.nodeEligible = payload as boolean;
      return;
    }
    if (kind === SLICE) {
      const due = payload as WatchDeliveries;
      const view = due.view;
      // The changes this watch has not drawn yet may come now too: draw them first.
      this.watch?.catchUp(this);
      if (view.due === due) view.due = null;
      this.delivered(view, due.slice);
      if (due.next !== null) this.clock.schedule(due.next.at, this, SLICE, due.next);
      else if (view.due === null) this.watch?.waiting(this, due.slice.service.index);
      return;
    }
    this.health.queuedUpdate(this.clock.now);
    this.runner.run();
  }

  /** OnEndpointSliceUpdate: the change is tracked for the next sync, which the runner is asked for (Sync). */
  private delivered(view: ServiceView, slice: TrackedSlice): void {
    this.health.queuedUpdate(this.clock.now);
    const newest = view.pending?.generation ?? view.writing?.generation ?? view.generation;
    if (slice.generation > newest) view.pending = slice;
    this.runner.run();
  }

  /**
   * Starts a rewrite of the rules with every change tracked now (the newest delivered slice of each
   * Service); returns how long writing them takes (0: they are in place at once).
   */
  syncProxyRules(): number {
    let endpoints = this.config.backgroundEndpoints;
    for (const view of this.views) {
      view.writing = view.pending;
      view.pending = null;
      endpoints += view.writing?.usableCount ?? view.endpoints;
    }
    const writeTime = this.config.syncBase + this.config.syncPerEndpoint * endpoints;
    if (writeTime <= 0) this.rulesWritten();
    return writeTime;
  }

  /** The rewrite is done: the rules route by the slices it wrote. */
  rulesWritten(): void {
    this.health.updated();
    for (const view of this.views) {
      if (view.writing !== null) {
        this.apply(view.writing);
        view.writing = null;
      }
    }
  }

  /** Writes a slice's endpoints, as this node's policies and topology filter them, into the Service's rules. */
  private apply(tracked: TrackedSlice): void {
    const service = tracked.service;
    const view = this.views[service.index];
    view.generation = tracked.generation;
    view.endpoints = tracked.usableCount;
    // No connection reads these rules: what a sync's duration and the gauges need is written above.
    if (!this.carriesTraffic) return;
    // The watch hands a proxy carrying traffic the slices themselves (EndpointSliceWatch.publish).
    const slice = tracked as EndpointSlice;
    const c = categorizeEndpoints(slice, service, this.at);
    const endpoints = service.internalPolicyLocal ? c.local! : c.cluster!;
    view.drops = endpoints.length === 0 && c.hasAnyEndpoints;
    view.balancer.update(endpoints);
    view.localReady = c.localReady;
    if (view.external !== null) {
      const external = service.externalPolicyLocal ? c.local! : c.cluster!;
      view.externalDrops = external.length === 0 && c.hasAnyEndpoints;
      view.external.update(external);
    }
  }
}
