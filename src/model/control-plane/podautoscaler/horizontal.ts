/**
 * The HorizontalPodAutoscaler controller: every sync period it reads its Deployment's pods' metrics
 * from metrics-server, proposes a replica count per metric (the highest wins), normalises it
 * (stabilisation, rate policies, min/max) and writes the Deployment's scale; each change is marked
 * in the time series. Source: pkg/controller/podautoscaler/horizontal.go (reconcileAutoscaler,
 * computeReplicasForMetrics).
 */
import type { EventHandler, Simulation } from "../../../engine/index.js";
import type { HorizontalPodAutoscalerSpec, HpaControllerSpec, HpaMetricSpec } from "../../../scenario/types.js";
import type { MetricsServer } from "../../addons/metrics-server.js";
import type { Deployment } from "../deployment-controller.js";
import { normalizeLegacy, normalizeWithBehaviors, type Normalized, type Timed } from "./behavior.js";
import { calculateReplicas, type PodInput } from "./replica-calculator.js";

/** What the HPA tells the cluster. */
export interface AutoscalerHost {
  /** Notes a scale decision in the time series of the Services selecting the deployment's pods. */
  autoscalerMark(deployment: Deployment, text: string): void;
}

/** One reconcile's outcome, kept for tests and the marks. */
export interface HpaDecision {
  at: number;
  current: number;
  /** The highest metric proposal; NaN when no metric could be computed. */
  proposed: number;
  /** What was written: equal to current when nothing changed. */
  desired: number;
  reason: string;
  /** Each metric as the HPA reads it: percent of request for cpu, per second for requests-per-second; NaN when missing. */
  metrics: number[];
}

/** A metric's value in the unit users write it: percent for cpu, per second for requests. */
const shown = (m: HpaMetricSpec, current: number) => (m.type === "cpu" ? current : current / 1000);
const label = (m: HpaMetricSpec, value: number) =>
  m.type === "cpu" ? `cpu ${value}%/${m.averageUtilization}%` : `rps ${Number(value.toFixed(3))}/${Number(m.averageValue.toFixed(3))}`;

export class HorizontalPodAutoscaler implements EventHandler {
  private recommendations: Timed[] = [];
  private upEvents: Timed[] = [];
  private downEvents: Timed[] = [];
  /** Every reconcile so far, in order. */
  readonly decisions: HpaDecision[] = [];
  private until = Infinity;

  constructor(
    private readonly sim: Simulation,
    readonly spec: HorizontalPodAutoscalerSpec,
    private readonly controller: HpaControllerSpec,
    private readonly target: Deployment,
    private readonly metricsServer: MetricsServer,
    private readonly host: AutoscalerHost,
  ) {}

  /** The first sync comes `phase` seconds into the run (the controller's resync is not aligned to it), then every sync period until `until`. */
  start(phase: number, until: number): void {
    this.until = until;
    this.sim.at(this.sim.now + phase, this);
  }

  onEvent(): void {
    this.reconcile();
    if (this.sim.now + this.controller.syncPeriod < this.until) this.sim.after(this.controller.syncPeriod, this);
  }

  private reconcile(): void {
    const now = this.sim.now;
    const { minReplicas, maxReplicas } = this.spec;
    const current = this.target.replicas;
    // A target scaled to 0 by hand has autoscaling disabled.
    if (current === 0 && minReplicas !== 0) return;
    let norm: Normalized;
    let proposed = NaN;
    let values: number[] = [];
    if (current > maxReplicas) norm = { replicas: maxReplicas, stabilized: maxReplicas, reason: "TooManyReplicas" };
    else if (current < minReplicas) norm = { replicas: minReplicas, stabilized: minReplicas, reason: "TooFewReplicas" };
    else {
      const r = this.computeReplicasForMetrics(current, now);
      values = r.values;
      if (r.replicas === null) {
        this.decisions.push({ at: now, current, proposed, desired: current, reason: r.error, metrics: values });
        return;
      }
      proposed = r.replicas;
      norm =
        this.spec.behavior === null
          ? normalizeLegacy(current, proposed, this.recommendations, this.controller.downscaleStabilization, minReplicas, maxReplicas, now)
          : normalizeWithBehaviors({ ...this.spec.behavior, minReplicas, maxReplicas, current, desired: proposed, recommendations: this.recommendations, upEvents: this.upEvents, downEvents: this.downEvents, now });
      this.remember(now, proposed);
    }
    const desired = norm.replicas;
    this.decisions.push({ at: now, current, proposed, desired, reason: norm.reason, metrics: values });
    if (desired === current) return;
    this.target.scale(desired);
    if (this.spec.behavior !== null) (desired > current ? this.upEvents : this.downEvents).push({ at: now, value: Math.abs(desired - current) });
    const seen = this.spec.metrics.map((m, i) => (Number.isNaN(values[i]) || values[i] === undefined ? `${m.type} missing` : label(m, values[i]))).join(" ");
    const limited = norm.reason === "DesiredWithinRange" ? "" : ` (wants ${Number.isNaN(proposed) ? norm.stabilized : Math.max(proposed, norm.stabilized)}: ${norm.reason})`;
    this.host.autoscalerMark(this.target, `hpa ${this.spec.name} ${current}->${desired} ${seen}${limited}`);
  }

  /** Keeps the recommendations and scale events the windows and policies can still look at. */
  private remember(now: number, proposed: number): void {
    const b = this.spec.behavior;
    const keep = b === null ? this.controller.downscaleStabilization : Math.max(b.scaleUp.stabilizationWindow, b.scaleDown.stabilizationWindow);
    this.recommendations = this.recommendations.filter((r) => r.at >= now - keep);
    this.recommendations.push({ at: now, value: proposed });
    if (b !== null) {
      const longest = (rules: typeof b.scaleUp) => Math.max(0, ...rules.policies.map((p) => p.period));
      this.upEvents = this.upEvents.filter((e) => e.at > now - longest(b.scaleUp));
      this.downEvents = this.downEvents.filter((e) => e.at > now - longest(b.scaleDown));
    }
  }

  /**
   * computeReplicasForMetrics: the highest proposal over the metrics. No proposal when every metric
   * fails, or when some fail and the others would scale down (the HPA then holds).
   */
  private computeReplicasForMetrics(current: number, now: number): { replicas: number | null; values: number[]; error: string } {
    const pods = this.target.pods;
    let replicas = -1;
    let invalid = 0;
    let error = "";
    const values: number[] = [];
    for (const m of this.spec.metrics) {
      const cpu = m.type === "cpu";
      const inputs: PodInput[] = pods.map((pod) => {
        const metric = this.metricsServer.metric(pod);
        // metrics-server reports quantities the HPA reads as milli-units, rounded up (Quantity.MilliValue).
        const value = metric === null ? null : Math.ceil((cpu ? metric.cpu : metric.rps) * 1000 - 1e-6);
        return {
          ready: pod.ready,
          startTime: pod.startTime,
          readyChangedAt: pod.readyChangedAt,
          value,
          timestamp: metric?.timestamp ?? 0,
          window: metric?.window ?? 0,
          request: pod.spec.concurrency * 1000,
        };
      });
      const target = cpu ? m.averageUtilization : Math.ceil(m.averageValue * 1000 - 1e-6);
      const p = calculateReplicas(current, inputs, cpu, target, now, this.controller);
      if ("error" in p) {
        invalid++;
        error ||= p.error;
        values.push(NaN);
        continue;
      }
      values.push(shown(m, p.current));
      if (p.replicas > replicas) replicas = p.replicas;
    }
    if (invalid >= this.spec.metrics.length || (invalid > 0 && replicas < current)) return { replicas: null, values, error: error || "invalid metrics" };
    return { replicas, values, error };
  }
}
