/**
 * The node lifecycle controller: every 5 s (node-monitor-period) it looks at each node's lease,
 * renewed by its kubelet every 10 s. It notes when it *observed* a renewal (probeTimestamp, the time
 * of the check that saw it), and marks the node Unknown at the first check more than the grace
 * period (50 s from v1.32, 40 s before) after that; then it marks the node's pods NotReady, and
 * evicts them after the default unreachable toleration (300 s), only then does their ReplicaSet
 * replace them. Source: pkg/controller/nodelifecycle (tryUpdateNodeHealth, monitorNodeHealth);
 * the DefaultTolerationSeconds admission plugin.
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
   * controller's first check after that renewal saw it (probeTimestamp), and the first check past
   * probeTimestamp + grace marks the node Unknown. The checks' loop restarts its period after each
   * pass (wait.Until is sliding), so the check a whole number of periods later is already past.
   */
  nodeFailed(node: Node): void {
    const now = this.sim.now;
    const lastRenewal = now - node.rng.random() * LEASE_RENEW_INTERVAL;
    const checkPhase = node.rng.random() * NODE_MONITOR_PERIOD;
    const firstCheckFrom = (t: number) => checkPhase + Math.ceil((t - checkPhase) / NODE_MONITOR_PERIOD - 1e-9) * NODE_MONITOR_PERIOD;
    const probeTimestamp = firstCheckFrom(lastRenewal);
    const noticed = Math.max(now, firstCheckFrom(probeTimestamp + this.nodeMonitorGracePeriod));
    this.sim.at(noticed, this, MARK_NOT_READY, node);
    this.sim.at(noticed + UNREACHABLE_TOLERATION, this, EVICT, node);
  }

  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    const pods = [...(payload as Node).pods];
    if (kind === MARK_NOT_READY) for (const pod of pods) pod.markNotReady();
    else for (const pod of pods) pod.forceRemove();
  }
}
