/**
 * How the HPA turns a metric proposal into a new scale: stabilisation over past recommendations
 * (scale-up takes the lowest of its window, scale-down the highest), then the rate policies
 * (Pods / Percent per period, Max / Min / Disabled) and min/maxReplicas; an HPA without spec.behavior
 * uses the older rules: the highest recommendation of the downscale window, and at most
 * max(2 x current, 4) up per sync. Source: pkg/controller/podautoscaler/horizontal.go
 * (normalizeDesiredReplicas[WithBehaviors], stabilizeRecommendation[WithBehaviors],
 * convertDesiredReplicasWithBehaviorRate, calculateScale{Up,Down}Limit[WithScalingRules]).
 */
import type { HpaScalingRules } from "../../../scenario/types.js";

/** A past recommendation or scale change, with its time. */
export interface Timed {
  at: number;
  value: number;
}

/** What limited the new scale (the HPA's ScalingLimited reasons), or DesiredWithinRange. */
export type LimitReason = "DesiredWithinRange" | "ScaleUpLimit" | "ScaleDownLimit" | "TooManyReplicas" | "TooFewReplicas";

export interface Normalized {
  replicas: number;
  /** After stabilisation, before the rate and range limits. */
  stabilized: number;
  reason: LimitReason;
}

/** Sum of the changes newer than `period` seconds (getReplicasChangePerPeriod: strictly after the cutoff). */
function changedWithin(events: readonly Timed[], period: number, now: number): number {
  let n = 0;
  for (const e of events) if (e.at > now - period) n += e.value;
  return n;
}

/** calculateScaleUpLimitWithScalingRules: the most replicas the policies allow now. */
export function scaleUpLimit(current: number, up: readonly Timed[], down: readonly Timed[], rules: HpaScalingRules, now: number): number {
  if (rules.selectPolicy === "Disabled") return current;
  const pick = rules.selectPolicy === "Min" ? Math.min : Math.max;
  let result = rules.selectPolicy === "Min" ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const periodStart = current - changedWithin(up, p.period, now) + changedWithin(down, p.period, now);
    // Percent is rounded up: else a small deployment could never grow.
    const proposed = p.type === "Pods" ? periodStart + p.value : Math.ceil(periodStart * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow now. */
export function scaleDownLimit(current: number, up: readonly Timed[], down: readonly Timed[], rules: HpaScalingRules, now: number): number {
  if (rules.selectPolicy === "Disabled") return current;
  // For a scale-down the smallest change ('Min') is the highest count.
  const pick = rules.selectPolicy === "Min" ? Math.max : Math.min;
  let result = rules.selectPolicy === "Min" ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const periodStart = current - changedWithin(up, p.period, now) + changedWithin(down, p.period, now);
    const proposed = p.type === "Pods" ? periodStart - p.value : Math.trunc(periodStart * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** The HPA's spec.behavior, scale events and recommendations, as normalizeDesiredReplicasWithBehaviors reads them. */
export interface BehaviorInput {
  scaleUp: HpaScalingRules;
  scaleDown: HpaScalingRules;
  minReplicas: number;
  maxReplicas: number;
  current: number;
  desired: number;
  /** Past (unstabilised) recommendations; the new one is added by the caller after. */
  recommendations: readonly Timed[];
  upEvents: readonly Timed[];
  downEvents: readonly Timed[];
  now: number;
}

/** normalizeDesiredReplicasWithBehaviors: stabilise, then limit by the policies and the range. */
export function normalizeWithBehaviors(b: BehaviorInput): Normalized {
  // stabilizeRecommendationWithBehaviors: recommendations strictly inside each window.
  let upRec = b.desired;
  let downRec = b.desired;
  for (const r of b.recommendations) {
    if (r.at > b.now - b.scaleUp.stabilizationWindow) upRec = Math.min(upRec, r.value);
    if (r.at > b.now - b.scaleDown.stabilizationWindow) downRec = Math.max(downRec, r.value);
  }
  let stabilized = b.current;
  if (stabilized < upRec) stabilized = upRec;
  if (stabilized > downRec) stabilized = downRec;
  // convertDesiredReplicasWithBehaviorRate
  if (stabilized > b.current) {
    const limit = Math.max(b.current, scaleUpLimit(b.current, b.upEvents, b.downEvents, b.scaleUp, b.now));
    const allowed = Math.min(b.maxReplicas, limit);
    const reason: LimitReason = b.maxReplicas > limit ? "ScaleUpLimit" : "TooManyReplicas";
    if (stabilized > allowed) return { replicas: allowed, stabilized, reason };
  } else if (stabilized < b.current) {
    const limit = Math.min(b.current, scaleDownLimit(b.current, b.upEvents, b.downEvents, b.scaleDown, b.now));
    const allowed = Math.max(b.minReplicas, limit);
    const reason: LimitReason = b.minReplicas < limit ? "ScaleDownLimit" : "TooFewReplicas";
    if (stabilized < allowed) return { replicas: allowed, stabilized, reason };
  }
  return { replicas: stabilized, stabilized, reason: "DesiredWithinRange" };
}

/** normalizeDesiredReplicas (no spec.behavior): the highest recommendation of the downscale window, then the range and max(2 x current, 4). */
export function normalizeLegacy(current: number, desired: number, recommendations: readonly Timed[], downscaleWindow: number, minReplicas: number, maxReplicas: number, now: number): Normalized {
  let stabilized = desired;
  for (const r of recommendations) if (r.at >= now - downscaleWindow && r.value > stabilized) stabilized = r.value;
  const upLimit = Math.max(2 * current, 4);
  const maximum = Math.min(maxReplicas, upLimit);
  if (stabilized < minReplicas) return { replicas: minReplicas, stabilized, reason: "TooFewReplicas" };
  if (stabilized > maximum) return { replicas: maximum, stabilized, reason: maxReplicas > upLimit ? "ScaleUpLimit" : "TooManyReplicas" };
  return { replicas: stabilized, stabilized, reason: "DesiredWithinRange" };
}
