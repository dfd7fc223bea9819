/**
 * What a scenario's timeline does to each Deployment, worked out from the file alone (no
 * simulation): the versions whose pods ever exist, how many pods are created and the peak replica
 * count. Validation uses it to find Services that select nothing and to size a run before it starts.
 */
// The same merge the model applies at a rollout, so the check sees the templates the run will use.
import { overridePodSpec } from "../model/api/pod-template.js";
import type { DeploymentSpec, PodSpec, Scenario, TimelineEvent } from "./types.js";

export interface DeploymentPlan {
  spec: DeploymentSpec;
  /** Index in `deployments`. */
  index: number;
  /** Versions whose pods exist at some time (a rollout while scaled to 0 creates none until a scale-up). */
  versions: Set<string>;
  /** Pods created over a run: the initial ones, scale-ups, and a full set per rollout. */
  podsCreated: number;
  /** The largest replica count over the run. */
  peakReplicas: number;
  /** The pod template after each rollout, with the path of the event that set it. */
  templates: { path: (string | number)[]; pod: PodSpec }[];
}

/** Events in the order the simulation applies them: by time, then as listed. */
export function eventsInOrder(events: readonly TimelineEvent[]): { ev: TimelineEvent; index: number }[] {
  return events.map((ev, index) => ({ ev, index })).sort((a, b) => a.ev.at - b.ev.at || a.index - b.index);
}

export function deploymentPlans(s: Scenario): DeploymentPlan[] {
  const ordered = eventsInOrder(s.events);
  return s.deployments.map((spec, index) => {
    let replicas = spec.replicas;
    let version = spec.version;
    let pod = spec.pod;
    const plan: DeploymentPlan = {
      spec,
      index,
      versions: new Set(replicas > 0 ? [version] : []),
      podsCreated: replicas,
      peakReplicas: replicas,
      templates: [{ path: ["deployments", index, "pod"], pod }],
    };
    for (const { ev, index: i } of ordered) {
      if (!("deployment" in ev) || ev.deployment !== spec.name) continue;
      if (ev.action === "scale") {
        if (ev.replicas > replicas) plan.podsCreated += ev.replicas - replicas;
        replicas = ev.replicas;
        plan.peakReplicas = Math.max(plan.peakReplicas, replicas);
        if (replicas > 0) plan.versions.add(version);
      } else if (ev.action === "rollout") {
        version = ev.version;
        pod = overridePodSpec(pod, ev.pod);
        plan.templates.push({ path: ["events", i, "pod"], pod });
        plan.podsCreated += replicas;
        if (replicas > 0) plan.versions.add(version);
      }
    }
    return plan;
  });
}

/** The labels a deployment's pods of `version` carry. */
export function podLabels(d: DeploymentSpec, version: string): Record<string, string> {
  return { ...d.labels, version };
}

/** Whether an equality selector selects pods with these labels (as `Service.selectsLabels`). */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}
