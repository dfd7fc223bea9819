/**
 * metrics-server: scrapes every pod's kubelet each `--metric-resolution` (15 s) and serves, per pod,
 * the usage rate between its last two scrapes, stamped with the later one and the window between
 * them. A container seen for the first time (new, or restarted) has no rate until its next scrape.
 * CPU is the app's busy worker-seconds (one core per worker); requests per second stands for a
 * custom metric (an app's requests counter through an adapter) read the same way.
 * Source: kubernetes-sigs/metrics-server (storage: rate of the two newest points per container).
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import type { Pod } from "../node/kubelet/pod.js";

/** One pod's usage over a scrape window, as the metrics API serves it. */
export interface PodMetric {
  /** Average busy workers over the window (CPU cores). */
  cpu: number;
  /** Requests that reached the app per second over the window. */
  rps: number;
  /** The later scrape's time: the sample's timestamp. */
  timestamp: number;
  /** Seconds between the two scrapes. */
  window: number;
}

/** A pod's newest scrape point and the rate it made with the one before. */
interface PodPoint {
  at: number;
  container: number;
  cpuSeconds: number;
  requests: number;
  metric: PodMetric | null;
}

export class MetricsServer implements EventHandler {
  private readonly points = new Map<Pod, PodPoint>();
  private until = Infinity;

  constructor(
    private readonly sim: Simulation,
    private readonly resolution: number,
    /** The pods it scrapes (those some HPA reads): not yet deleted, in any state. */
    private readonly pods: () => Iterable<Pod>,
  ) {}

  /** The first scrape comes `phase` seconds into the run (scrapes are not aligned to anything), then every resolution until `until`. */
  start(phase: number, until: number): void {
    this.until = until;
    this.sim.at(this.sim.now + phase, this);
  }

  onEvent(): void {
    this.scrape();
    if (this.sim.now + this.resolution < this.until) this.sim.after(this.resolution, this);
  }

  /** The pod's usage as served now; null when metrics-server has no rate for it (missing). */
  metric(pod: Pod): PodMetric | null {
    return this.points.get(pod)?.metric ?? null;
  }

  private scrape(): void {
    const now = this.sim.now;
    const seen = new Set<Pod>();
    for (const pod of this.pods()) {
      seen.add(pod);
      // A node that does not answer, or a container not running, gives no point: the pod drops out until two new ones.
      if (pod.unreachable || !pod.running) {
        this.points.delete(pod);
        continue;
      }
      const cpuSeconds = pod.server.cpuSeconds(now);
      const requests = pod.server.admitted;
      const prev = this.points.get(pod);
      const window = prev === undefined ? 0 : now - prev.at;
      const metric: PodMetric | null =
        prev !== undefined && prev.container === pod.container && window > 0
          ? { cpu: (cpuSeconds - prev.cpuSeconds) / window, rps: (requests - prev.requests) / window, timestamp: now, window }
          : null;
      this.points.set(pod, { at: now, container: pod.container, cpuSeconds, requests, metric });
    }
    for (const pod of this.points.keys()) if (!seen.has(pod)) this.points.delete(pod);
  }
}
