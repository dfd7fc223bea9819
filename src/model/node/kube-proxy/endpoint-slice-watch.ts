/**
 * Every kube-proxy's watch on EndpointSlices: the API server publishes a slice once, and each node's
 * informer sees it after that node's own latency. Each node draws its latencies from a stream of
 * its own, so what a node sees depends only on its draws, taken in the order the changes were
 * published. A proxy whose view of a Service already waits for a delivery (a lagging watch) cannot
 * see a new change of that Service before that delivery, so its draw waits too: the change goes
 * into a log shared by every node, and the proxy draws what it has not drawn yet when its next
 * delivery comes (or when the log is full), one node's draws in a row. A change then costs work
 * only at the nodes whose view of the Service had nothing pending. A proxy on a clock of its own
 * (no connection goes through its node) draws all it has not drawn whenever it is brought to now,
 * from a second, longer log of SliceVersions: it is never made to draw when the slices' log is
 * full, and keeps no slice alive. Source: client-go's shared informer, kube-proxy's
 * EndpointSliceConfig handlers (pkg/proxy/config).
 */
import type { Simulation } from "../../../engine/index.js";
import type { DistributionSpec } from "../../../random/distributions.js";
import type { EndpointSlice } from "../../api/endpoint-slice.js";
import { SliceVersion, type KubeProxy, type TrackedSlice } from "./kube-proxy.js";

/** Changes the log holds before every proxy is made to draw its share and the log starts again. */
const LOG_SIZE = 64;
/**
 * The same for the proxies on clocks of their own, whose log holds SliceVersions, not slices: they
 * draw when they are read (every interval) or brought to now, seldom when it is full.
 */
const VERSION_LOG_SIZE = 1024;

/** Changes published since a log last started again: what, when, and of which Service (its index). */
class ChangeLog<T extends TrackedSlice> {
  readonly items: T[] = [];
  readonly times: Float64Array;
  readonly services: Int32Array;
  /** The log position of items[0]. */
  base = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.services = new Int32Array(capacity);
  }

  /** The log position after the last change. */
  get end(): number {
    return this.base + this.items.length;
  }

  get full(): boolean {
    return this.items.length === this.capacity;
  }

  append(item: T, time: number): void {
    this.times[this.items.length] = time;
    this.services[this.items.length] = item.service.index;
    this.items.push(item);
  }

  /** `proxy` draws the changes from its cursor on (it reads this log). */
  readInto(proxy: KubeProxy): void {
    const end = this.end;
    if (proxy.alive && proxy.cursor < end) proxy.readLog(this.items, this.services, this.times, proxy.cursor - this.base, end - this.base);
    proxy.cursor = end;
  }

  /** Starts again, empty, once every reader has drawn what it holds. */
  restart(): void {
    this.base += this.items.length;
    this.items.length = 0;
  }
}

/**
 * Whether latencies of this distribution can tie with other events' times: a constant or empirical
 * latency gives many nodes deliveries at one instant, and events at one instant run in the order
 * they were scheduled, which the deferred draws would change. With any other latency a delivery's
 * time is a draw of its own, and the changes are handed to each proxy as it is published.
 */
export function latencyCanTie(spec: DistributionSpec): boolean {
  return spec.type === "constant" || spec.type === "empirical" || (spec.type === "uniform" && spec.max <= spec.min);
}

export class EndpointSliceWatch {
  /** The proxies that read `slices` (those carrying traffic), and those that read `versions`. */
  private readonly proxies: KubeProxy[] = [];
  private readonly ownClocks: KubeProxy[] = [];
  private readonly slices = new ChangeLog<EndpointSlice>(LOG_SIZE);
  private readonly versions = new ChangeLog<SliceVersion>(VERSION_LOG_SIZE);
  /** Per Service, the proxies carrying traffic whose view of it has no delivery pending: they draw at once. */
  private idle: KubeProxy[][];

  constructor(
    private readonly sim: Simulation,
    services: number,
    /** False: every proxy draws every change as it is published (KubeProxy.notify). */
    private readonly deferred: boolean,
  ) {
    this.idle = Array.from({ length: services }, () => []);
  }

  /**
   * A node's kube-proxy starts watching: it sees the changes published from now on. A proxy on a
   * clock of its own draws them when it is brought to now (KubeProxy.advance), from SliceVersions.
   */
  subscribe(proxy: KubeProxy): void {
    if (!this.deferred) {
      this.proxies.push(proxy);
      return;
    }
    if (!proxy.carriesTraffic) {
      this.ownClocks.push(proxy);
      proxy.readFrom(this, this.versions.end);
      return;
    }
    this.proxies.push(proxy);
    proxy.readFrom(this, this.slices.end);
    for (const idle of this.idle) idle.push(proxy);
  }

  /** The API server published `slice`. */
  publish(slice: EndpointSlice): void {
    if (!this.deferred) {
      for (const proxy of this.proxies) proxy.notify(slice);
      return;
    }
    if (this.ownClocks.length > 0) {
      if (this.versions.full) {
        for (const proxy of this.ownClocks) proxy.advance();
        this.versions.restart();
      }
      this.versions.append(new SliceVersion(slice.service, slice.generation, slice.usableCount), this.sim.now);
    }
    if (this.slices.full) {
      for (const proxy of this.proxies) this.catchUp(proxy);
      this.slices.restart();
    }
    this.slices.append(slice, this.sim.now);
    const service = slice.service.index;
    const idle = this.idle[service];
    this.idle[service] = [];
    // Each of them now has a delivery pending for this Service (or is down).
    for (const proxy of idle) this.catchUp(proxy);
  }

  /** `proxy` draws the latencies of the changes it has not drawn yet, in the order they were published. */
  catchUp(proxy: KubeProxy): void {
    if (proxy.carriesTraffic) this.slices.readInto(proxy);
    else this.versions.readInto(proxy);
  }

  /** `proxy`'s view of Service `service` has no delivery pending any more (a proxy on a clock of its own draws when brought to now). */
  waiting(proxy: KubeProxy, service: number): void {
    if (proxy.carriesTraffic) this.idle[service].push(proxy);
  }
}
