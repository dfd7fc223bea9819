/**
 * A Service whose selector matches no pod of any Deployment, at any time of the scenario, is almost
 * always a typo (`app: order` for `app: orders`): every request would end as no-endpoints. It is an
 * error unless the Service says `allowEmpty: true`. Pods carry their Deployment's labels plus
 * `version`, which rollouts change, so every version whose pods ever exist counts.
 */
import { closest } from "./errors.js";
import { workloadPlans, podLabels, selectorMatches, type WorkloadPlan } from "./plan.js";
import type { Scenario } from "./types.js";

export interface SelectorProblem {
  /** Index in `services`. */
  service: number;
  problem: string;
  allowed: string;
}

function describeLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
}

/** A "did you mean" for the selector's first key-value that no pod has, from the closest label set. */
function hint(selector: Record<string, string>, sets: Record<string, string>[]): string {
  let best: { set: Record<string, string>; misses: string[] } | undefined;
  for (const set of sets) {
    const misses = Object.keys(selector).filter((k) => set[k] !== selector[k]);
    if (best === undefined || misses.length < best.misses.length) best = { set, misses };
  }
  if (!best || best.misses.length === 0) return "";
  const key = best.misses[0];
  if (key in best.set) {
    const values = [...new Set(sets.map((s) => s[key]).filter((v) => v !== undefined))];
    const value = closest(selector[key], values) ?? best.set[key];
    return ` (did you mean ${key}: ${value}?)`;
  }
  const keyHint = closest(key, Object.keys(best.set));
  return keyHint ? ` (did you mean ${keyHint}: ${selector[key]}?)` : "";
}

/** The Services that would never have an endpoint and do not say `allowEmpty: true`. */
export function emptySelectors(s: Scenario, plans: WorkloadPlan[] = workloadPlans(s)): SelectorProblem[] {
  const sets = plans.flatMap((p) => [...p.versions].map((v) => podLabels(p.spec, v)));
  const out: SelectorProblem[] = [];
  s.services.forEach((svc, i) => {
    if (svc.allowEmpty || sets.some((labels) => selectorMatches(svc.selector, labels))) return;
    // Selected, but only by a Deployment that never has a pod?
    const idle = plans.filter((p) => p.versions.size === 0 && selectorMatches(svc.selector, podLabels(p.spec, p.spec.version)));
    const problem =
      idle.length > 0
        ? `selects only pods of ${idle.map((p) => p.spec.name).join(", ")}, which never ${idle.length === 1 ? "has" : "have"} any (replicas 0 and no scale-up)`
        : `selects no pod of any ${s.daemonSets.length > 0 ? "Deployment or DaemonSet" : "Deployment"} at any time${hint(svc.selector, sets)}`;
    const shown = sets.slice(0, 6).map((l) => `{${describeLabels(l)}}`);
    if (sets.length > shown.length) shown.push(`${sets.length - shown.length} more`);
    const known = sets.length > 0 ? `labels some pods carry (${shown.join("; ")})` : "labels of a Deployment's pods";
    out.push({ service: i, problem, allowed: `${known}, or allowEmpty: true on the Service to model one without endpoints (its requests end as no-endpoints)` });
  });
  return out;
}
