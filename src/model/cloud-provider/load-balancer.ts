/**
 * The cloud network load balancer of a LoadBalancer Service, as the cloud-controller-manager's
 * service controller sets it up (a GCE target pool, an AWS NLB): every node is a target (KEP-3458:
 * a node's readiness does not change the set), each probed by the load balancer's own health
 * check, and each new connection goes to one healthy node, uniformly (a 5-tuple hash), which
 * forwards it through its kube-proxy. The health check asks kube-proxy's /healthz for
 * externalTrafficPolicy Cluster and the Service's healthCheckNodePort for Local
 * (node/kube-proxy/healthcheck.ts). When every target fails, it sends to all of them (GCE and AWS
 * fail open). Defaults: scenario/schema.ts HEALTH_CHECK_DEFAULTS (cloud-provider-gcp gce.go,
 * cloud-provider-aws). Not modelled: several probers per check, the delay before a health change
 * reaches the data plane, connection draining of unhealthy targets.
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import type { RandomStream } from "../../random/index.js";
import type { HealthCheckSpec } from "../../scenario/types.js";

/** How a node answers the health check now: true passes, false fails, null no answer (it times out). */
export type HealthAnswer = (node: number) => boolean | null;

/** Tells of a target's health change (the cluster marks it in the Service's series). */
export type HealthListener = (node: number, healthy: boolean) => void;

const PROBE = 0;
/** A probe's failure known only at its timeout (nothing answered). */
const TIMED_OUT = 1;

/** One node as a target: its health check, probing every interval from its own phase. */
export class Target implements EventHandler {
  /** Consecutive passes and failures of the probes so far. */
  private passes = 0;
  private failures = 0;

  constructor(
    private readonly lb: LoadBalancer,
    readonly node: number,
    public healthy: boolean,
  ) {}

  onEvent(sim: Simulation, kind: number): void {
    if (kind === TIMED_OUT) {
      this.result(false);
      return;
    }
    const check = this.lb.check;
    sim.after(check.interval, this, PROBE);
    const answer = this.lb.answer(this.node);
    if (answer === null) sim.after(check.timeout, this, TIMED_OUT);
    else this.result(answer);
  }

  private result(pass: boolean): void {
    const check = this.lb.check;
    if (pass) {
      this.failures = 0;
      if (++this.passes >= check.healthyThreshold && !this.healthy) this.lb.setHealth(this, true);
    } else {
      this.passes = 0;
      if (++this.failures >= check.unhealthyThreshold && this.healthy) this.lb.setHealth(this, false);
    }
  }
}

export class LoadBalancer {
  readonly targets: Target[] = [];
  /** Node indices of the healthy targets, in the order they became healthy. */
  private healthy: number[] = [];
  /** New connections sent to each node. */
  readonly sent: number[] = [];

  constructor(
    private readonly sim: Simulation,
    readonly check: HealthCheckSpec,
    readonly answer: HealthAnswer,
    /** Which target each new connection goes to. */
    private readonly pickRng: RandomStream,
    /** Each target's probe phase. */
    private readonly phaseRng: RandomStream,
    private readonly listener: HealthListener,
  ) {}

  /**
   * Registers a node. A node there when the run starts is as its health check last found it (the
   * steady state); one that joins later starts unhealthy and needs healthyThreshold passes.
   */
  addTarget(node: number, initial: boolean): void {
    const healthy = initial && this.answer(node) === true;
    const t = new Target(this, node, healthy);
    this.targets.push(t);
    this.sent[node] = 0;
    if (healthy) this.healthy.push(node);
    this.sim.after(this.phaseRng.random() * this.check.interval, t, PROBE);
  }

  setHealth(t: Target, healthy: boolean): void {
    t.healthy = healthy;
    if (healthy) this.healthy.push(t.node);
    else this.healthy.splice(this.healthy.indexOf(t.node), 1);
    this.listener(t.node, healthy);
  }

  /** The node a new connection goes to: a healthy one, uniformly; any target when none is healthy. */
  pickNode(): number {
    const pool = this.healthy.length > 0 ? this.healthy : null;
    const node = pool !== null ? pool[this.pickRng.int(pool.length)] : this.targets[this.pickRng.int(this.targets.length)].node;
    this.sent[node]++;
    return node;
  }
}
