/**
 * Every kube-proxy's watch on EndpointSlices: the API server publishes a slice once, and each node's
 * informer sees it after that node's own latency. Each node draws its latencies from a stream of
 * its own, so what a node sees depends only on its draws, taken in the order the changes were
 * published. A proxy whose view of a Service already waits for a delivery (a lagging watch) cannot
 * see a new change of that Service before that delivery, so its draw waits too: the change goes
 * into a log shared by every node, and the proxy draws what it has not drawn yet when its next
 * delivery comes (or when the log is full), one node's draws in a row. A change then costs work
 * only at the nodes whose view of the Service had nothing pending. Source: client-go's shared
 * informer, kube-proxy's EndpointSliceConfig handlers (pkg/proxy/config).
 */
import type { Simulation } from "../../../engine/index.js";
import type { DistributionSpec } from "../../../random/distributions.js";
import type { EndpointSlice } from "../../api/endpoint-slice.js";
import type { KubeProxy } from "./kube-proxy.js";

/** Changes the log holds before every proxy is made to draw its share and the log starts again. */
const LOG_SIZE = 64;

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
  private readonly proxies: KubeProxy[] = [];
  /** The log: the changes published since it last started again, and when. */
  private readonly slices: EndpointSlice[] = [];
  private readonly times = new Float64Array(LOG_SIZE);
  /** Each change's Service (its index). */
  private readonly services = new Int32Array(LOG_SIZE);
  /** The log position of slices[0]. */
  private base = 0;
  /** Per Service, the proxies whose view of it has no delivery pending: they draw at once. */
  private idle: KubeProxy[][];

  constructor(
    private readonly sim: Simulation,
    services: number,
    /** False: every proxy draws every change as it is published (KubeProxy.notify). */
    private readonly deferred: boolean,
  ) {
    this.idle = Array.from({ length: services }, () => []);
  }

  /** A node's kube-proxy starts watching: it sees the changes published from now on. */
  subscribe(proxy: KubeProxy): void {
    this.proxies.push(proxy);
    if (!this.deferred) return;
    proxy.readFrom(this, this.base + this.slices.length);
    for (const idle of this.idle) idle.push(proxy);
  }

  /** The API server published `slice`. */
  publish(slice: EndpointSlice): void {
    if (!this.deferred) {
      for (const proxy of this.proxies) proxy.notify(slice);
      return;
    }
    if (this.slices.length === LOG_SIZE) this.restart();
    const service = slice.service.index;
    this.times[this.slices.length] = this.sim.now;
    this.services[this.slices.length] = service;
    this.slices.push(slice);
    const idle = this.idle[service];
    this.idle[service] = [];
    // Each of them now has a delivery pending for this Service (or is down).
    for (const proxy of idle) this.catchUp(proxy);
  }

  /** `proxy` draws the latencies of the changes it has not drawn yet, in the order they were published. */
  catchUp(proxy: KubeProxy): void {
    const end = this.base + this.slices.length;
    if (proxy.alive && proxy.cursor < end) proxy.readLog(this.slices, this.services, this.times, proxy.cursor - this.base, end - this.base);
    proxy.cursor = end;
  }

  /** `proxy`'s view of Service `service` has no delivery pending any more. */
  waiting(proxy: KubeProxy, service: number): void {
    this.idle[service].push(proxy);
  }

  /** Every proxy draws what it has not, and the log starts again (it holds at most LOG_SIZE slices). */
  private restart(): void {
    for (const proxy of this.proxies) this.catchUp(proxy);
    this.base += this.slices.length;
    this.slices.length = 0;
  }
}
