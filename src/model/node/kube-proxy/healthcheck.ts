/**
 * kube-proxy's health servers, which cloud load balancers probe. The proxier health server (/healthz
 * on port 10256, what load balancers of externalTrafficPolicy Cluster Services check) fails when a
 * change has waited longer than healthTimeout (2 x syncPeriod = 60 s) for the rules to be written,
 * or when the node is being deleted or is tainted ToBeDeletedByClusterAutoscaler (KEP-3836), so
 * the load balancer drains the node before it goes. The service health server (a Local Service's
 * healthCheckNodePort) passes while the node has a local Ready endpoint and the proxier is healthy;
 * it ignores the node's eligibility. A node that is down answers neither. Sources:
 * pkg/proxy/healthcheck/proxier_health.go, service_health.go; cmd/kube-proxy/app/server.go.
 */

/** kube-proxy's --iptables-sync-period default, 30 s, doubled: how long a queued change may wait. */
export const HEALTH_TIMEOUT = 2 * 30;

export class ProxierHealthServer {
  /** When the oldest change not yet written was queued; -1 when none waits. */
  private oldestPendingQueued = -1;
  /** Not being deleted and not tainted ToBeDeletedByClusterAutoscaler, as this kube-proxy last saw the node. */
  nodeEligible = true;

  /** The proxier received a change to write (QueuedUpdate). */
  queuedUpdate(now: number): void {
    if (this.oldestPendingQueued < 0) this.oldestPendingQueued = now;
  }

  /** The rules were written (Updated). */
  updated(): void {
    this.oldestPendingQueued = -1;
  }

  /** The proxier's own health (IsHealthy): nothing has waited too long to be written. */
  isHealthy(now: number): boolean {
    return this.oldestPendingQueued < 0 || now - this.oldestPendingQueued < HEALTH_TIMEOUT;
  }

  /** What GET /healthz answers: 200 only for a healthy proxier on an eligible node. */
  healthz(now: number): boolean {
    return this.nodeEligible && this.isHealthy(now);
  }

  /** What a Local Service's healthCheckNodePort answers: 200 while the node has a local Ready endpoint and the proxier is healthy. */
  serviceHealthz(localReady: number, now: number): boolean {
    return localReady > 0 && this.isHealthy(now);
  }
}
