/**
 * The HPA's replica calculator: from the pods' metrics to a replica count, ceil(ready pods x
 * metric / target), with the controller's tolerance and its handling of pods it cannot trust:
 * missing metrics count as 100 % of target on a scale-down and 0 on a scale-up; unready CPU samples
 * are ignored, and count as 0 on a scale-up; no change that would flip the direction.
 * Source: pkg/controller/podautoscaler/replica_calculator.go (GetResourceReplicas,
 * calcPlainMetricReplicas, groupPods), metrics/utilization.go.
 */

/** What the calculator reads of one pod of the target (not deleted). */
export interface PodInput {
  /** The Ready condition's status. */
  ready: boolean;
  /** status.startTime; -Infinity for one started long before. */
  startTime: number;
  /** The Ready condition's lastTransitionTime. */
  readyChangedAt: number;
  /** The pod's metric in milli-units (milli-cores, milli-requests per second), null when missing. */
  value: number | null;
  /** The sample's timestamp and window (metrics-server). */
  timestamp: number;
  window: number;
  /** CPU: the pod's request in milli-cores (its concurrency x 1000). */
  request: number;
}

export interface CalculatorConfig {
  tolerance: number;
  cpuInitializationPeriod: number;
  initialReadinessDelay: number;
}

/** A proposal, or why there is none (the HPA then leaves the scale alone). */
export type Proposal = { replicas: number; current: number } | { error: string };

/**
 * groupPods: which pods count, which are ignored (only CPU samples are: unready, or sampled before
 * they became Ready while young) and which have no metric.
 */
function groupPods(pods: readonly PodInput[], cpu: boolean, now: number, cfg: CalculatorConfig): { counted: PodInput[]; ignored: PodInput[]; missing: PodInput[] } {
  const counted: PodInput[] = [];
  const ignored: PodInput[] = [];
  const missing: PodInput[] = [];
  for (const p of pods) {
    if (p.value === null) {
      missing.push(p);
      continue;
    }
    if (cpu) {
      let ignore: boolean;
      if (p.startTime + cfg.cpuInitializationPeriod > now) {
        // Still initialising: ignore the sample if unready, or if its window began before the pod became Ready.
        ignore = !p.ready || p.timestamp < p.readyChangedAt + p.window;
      } else {
        // Unready and never Ready since its start.
        ignore = !p.ready && p.startTime + cfg.initialReadinessDelay > p.readyChangedAt;
      }
      if (ignore) {
        ignored.push(p);
        continue;
      }
    }
    counted.push(p);
  }
  return { counted, ignored, missing };
}

/** GetResourceUtilizationRatio: total usage over total requests, in whole percent (truncated), then over the target. */
function cpuRatio(values: readonly number[], requests: readonly number[], target: number): { ratio: number; current: number } {
  let used = 0;
  let requested = 0;
  for (let i = 0; i < values.length; i++) {
    used += values[i];
    requested += requests[i];
  }
  const current = Math.trunc((used * 100) / requested);
  return { ratio: current / target, current };
}

/** GetMetricUsageRatio: the mean value (truncated to a whole milli-unit) over the target. */
function plainRatio(values: readonly number[], target: number): { ratio: number; current: number } {
  let total = 0;
  for (const v of values) total += v;
  const current = Math.trunc(total / values.length);
  return { ratio: current / target, current };
}

/**
 * Desired replicas for one metric. `target` is a utilisation in percent for CPU (`cpu` true), else an
 * average value in milli-units. `current` in the result is the metric as the HPA reports it.
 */
export function calculateReplicas(currentReplicas: number, pods: readonly PodInput[], cpu: boolean, target: number, now: number, cfg: CalculatorConfig): Proposal {
  if (pods.length === 0) return { error: "no pods returned by selector while calculating replica count" };
  const { counted, ignored, missing } = groupPods(pods, cpu, now, cfg);
  if (counted.length === 0) return { error: "did not receive metrics for any ready pods" };
  const ratioOf = (withValues: { value: number; request: number }[]) =>
    cpu ? cpuRatio(withValues.map((p) => p.value), withValues.map((p) => p.request), target) : plainRatio(withValues.map((p) => p.value), target);
  const base = counted.map((p) => ({ value: p.value!, request: p.request }));
  const { ratio, current } = ratioOf(base);
  const rebalanceIgnored = ignored.length > 0 && ratio > 1;
  if (!rebalanceIgnored && missing.length === 0) {
    if (Math.abs(1 - ratio) <= cfg.tolerance) return { replicas: currentReplicas, current };
    return { replicas: Math.ceil(ratio * counted.length), current };
  }
  const all = base.slice();
  if (missing.length > 0) {
    // A scale-down takes missing pods as at 100 % of target (their request); a scale-up as idle.
    const down = ratio < 1;
    for (const p of missing) all.push({ value: down ? (cpu ? p.request : target) : 0, request: p.request });
  }
  if (rebalanceIgnored) for (const p of ignored) all.push({ value: 0, request: p.request });
  const next = ratioOf(all).ratio;
  if (Math.abs(1 - next) <= cfg.tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return { replicas: currentReplicas, current };
  const replicas = Math.ceil(next * all.length);
  // (GetResourceReplicas) no change against the direction the ratio points.
  if (cpu && ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas))) return { replicas: currentReplicas, current };
  return { replicas, current };
}
