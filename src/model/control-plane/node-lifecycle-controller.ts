/**
 * The node lifecycle controller: it checks every 5 s (node-monitor-period) whether a node's lease,
 * renewed by its kubelet every 10 s, is older than the grace period (default 50 s); then it marks
 * the node's pods NotReady, and evicts them after the default unreachable toleration (300 s), only
 * then does their ReplicaSet replace them. DaemonSet pods tolerate an unreachable node for ever and
 * stay. Source: pkg/controller/nodelifecycle; the DefaultTolerationSeconds admission plugin;
 * pkg/controller/daemon/util (AddOrUpdateDaemonPodTolerations).
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import type { Node } from "../node/node.js";

/** tolerationSeconds of the default node.kubernetes.io/unreachable toleration. */
export const UNREACHABLE_TOLERATION = 300;
/** The kubelet renews its node lease every 10 s (a quarter of the 40 s lease duration). */
export const LEASE_RENEW_INTERVAL = 10;
/** kube-controller-manager --node-monitor-period: how often the lifecycle controller looks. */
export const NODE_MONITOR_PERIOD = 5;

const MARK_NOT_READY = 0;
const EVICT = 1;

export class NodeLifecycleController implements EventHandler {
  constructor(
    private readonly sim: Simulation,
    private readonly nodeMonitorGracePeriod: number,
  ) {}

  /**
   * A node failed now. Its lease was last renewed somewhere in the last renewal interval; the
   * controller notices at its first check after that renewal plus the grace period.
   */
  nodeFailed(node: Node): void {
    const now = this.sim.now;
    const lastRenewal = now - node.rng.random() * LEASE_RENEW_INTERVAL;
    const checkPhase = node.rng.random() * NODE_MONITOR_PERIOD;
    const due = lastRenewal + this.nodeMonitorGracePeriod;
    const noticed = Math.max(now, checkPhase + Math.ceil((due - checkPhase) / NODE_MONITOR_PERIOD) * NODE_MONITOR_PERIOD);
    this.sim.at(noticed, this, MARK_NOT_READY, node);
    this.sim.at(noticed + UNREACHABLE_TOLERATION, this, EVICT, node);
  }

  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    const pods = [...(payload as Node).pods];
    if (kind === MARK_NOT_READY) for (const pod of pods) pod.markNotReady();
    else for (const pod of pods) if (pod.template.owner !== "DaemonSet") pod.forceRemove();
  }
}
