/**
 * The rest of the cluster: the EndpointSlice changes of Services outside the scenario, a
 * cluster-wide Poisson process. Every node's kube-proxy watches them all and syncs them through
 * the same runner as the scenario's Services, so on a busy cluster a scenario's change often finds
 * the runner's tokens spent. Rate: a kube-proxy's `kubeproxy_sync_proxy_rules_endpoint_changes_total`
 * counts every change it sees, cluster-wide.
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import type { RandomStream } from "../../random/index.js";

export class BackgroundChurn implements EventHandler {
  constructor(
    private readonly sim: Simulation,
    /** Changes per second, cluster-wide. */
    private readonly rate: number,
    private readonly rng: RandomStream,
    /** Tells every watching kube-proxy of one change. */
    private readonly publish: () => void,
  ) {}

  start(): void {
    if (this.rate > 0) this.scheduleNext();
  }

  onEvent(): void {
    this.publish();
    this.scheduleNext();
  }

  private scheduleNext(): void {
    this.sim.after(this.rng.exponential(1 / this.rate), this);
  }
}
