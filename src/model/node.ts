/**
 * Nodes and the node lifecycle controller. A node runs one kube-proxy and hosts pods and clients.
 * When it fails, its pods stop answering at once but keep their Ready condition until the
 * controller notices: it checks every 5 s (node-monitor-period) whether the node's lease, renewed
 * every 10 s, is older than the grace period (default 50 s). Then the pods are marked NotReady; they
 * are evicted after the default unreachable toleration (300 s), and only then does their ReplicaSet
 * replace them. Source: pkg/controller/nodelifecycle; DefaultTolerationSeconds admission plugin.
 */
import type { EventHandler, Simulation } from "../engine/index.js";
import type { RandomStream } from "../random/index.js";
import type { KubeProxy } from "./kube-proxy.js";
import type { Pod } from "./pod.js";

/** tolerationSeconds of the default node.kubernetes.io/unreachable toleration. */
export const UNREACHABLE_TOLERATION = 300;
/** The kubelet renews its node lease every 10 s (a quarter of the 40 s lease duration). */
export const LEASE_RENEW_INTERVAL = 10;
/** kube-controller-manager --node-monitor-period: how often the lifecycle controller looks. */
export const NODE_MONITOR_PERIOD = 5;

const MARK_NOT_READY = 0;
const EVICT = 1;

export class Node implements EventHandler {
  alive = true;
  /** Pods placed here that are not gone. */
  readonly pods = new Set<Pod>();

  constructor(
    private readonly sim: Simulation,
    readonly index: number,
    readonly proxy: KubeProxy,
    private readonly nodeMonitorGracePeriod: number,
    /** Phases of the lease renewals and the controller's checks. */
    private readonly rng: RandomStream,
  ) {}

  /** The node fails: proxy and pods stop; the controller notices after the grace period. */
  fail(): void {
    if (!this.alive) return;
    this.alive = false;
    this.proxy.stop();
    for (const pod of this.pods) pod.nodeDown();
    const now = this.sim.now;
    // The lease was last renewed somewhere in the last renewal interval; the controller notices at
    // its first check after that renewal plus the grace period.
    const lastRenewal = now - this.rng.random() * LEASE_RENEW_INTERVAL;
    const checkPhase = this.rng.random() * NODE_MONITOR_PERIOD;
    const due = lastRenewal + this.nodeMonitorGracePeriod;
    const noticed = Math.max(now, checkPhase + Math.ceil((due - checkPhase) / NODE_MONITOR_PERIOD) * NODE_MONITOR_PERIOD);
    this.sim.at(noticed, this, MARK_NOT_READY);
    this.sim.at(noticed + UNREACHABLE_TOLERATION, this, EVICT);
  }

  onEvent(_sim: Simulation, kind: number): void {
    const pods = [...this.pods];
    if (kind === MARK_NOT_READY) for (const pod of pods) pod.markNotReady();
    else for (const pod of pods) pod.forceRemove();
  }
}
