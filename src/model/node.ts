/**
 * Nodes and the node lifecycle controller. A node runs one kube-proxy and hosts pods and clients.
 * When it fails, its pods stop answering at once but keep their Ready condition until the node
 * monitor grace period passes (default 40 s); they are evicted after the default unreachable
 * toleration (300 s), and only then does their ReplicaSet replace them.
 * Source: pkg/controller/nodelifecycle; DefaultTolerationSeconds admission plugin.
 */
import type { EventHandler, Simulation } from "../engine/index.js";
import type { KubeProxy } from "./kube-proxy.js";
import type { Pod } from "./pod.js";

/** tolerationSeconds of the default node.kubernetes.io/unreachable toleration. */
export const UNREACHABLE_TOLERATION = 300;

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
  ) {}

  get name(): string {
    return `node-${this.index}`;
  }

  /** The node fails: proxy and pods stop; the controller notices after the grace period. */
  fail(): void {
    if (!this.alive) return;
    this.alive = false;
    this.proxy.stop();
    for (const pod of this.pods) pod.nodeDown();
    this.sim.after(this.nodeMonitorGracePeriod, this, MARK_NOT_READY);
    this.sim.after(this.nodeMonitorGracePeriod + UNREACHABLE_TOLERATION, this, EVICT);
  }

  onEvent(_sim: Simulation, kind: number): void {
    const pods = [...this.pods];
    if (kind === MARK_NOT_READY) for (const pod of pods) pod.markNotReady();
    else for (const pod of pods) pod.forceRemove();
  }
}
