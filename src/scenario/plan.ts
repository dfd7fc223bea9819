/**
 * What a scenario's timeline does to each Deployment and DaemonSet, worked out from the file alone
 * (no simulation): the versions whose pods ever exist, how many pods are created and the peak pod
 * count (an HPA's maxReplicas counts as reached). Validation uses it to find Services that select nothing and to size a run before it starts.
 */
// The same merge the model applies at a rollout, so the check sees the templates the run will use.
import { overridePodSpec } from "../model/api/pod-template.js";
import type { DaemonSetSpec, DeploymentSpec, HorizontalPodAutoscalerSpec, PodSpec, Scenario, TimelineEvent } from "./types.js";

export interface WorkloadPlan {
  kind: "Deployment" | "DaemonSet";
  spec: DeploymentSpec | DaemonSetSpec;
  /** Field path of the object: ["deployments", i] or ["daemonSets", i]. */
  path: (string | number)[];
  /** The field that sets how many pods it has: its replicas, or cluster.nodes for a DaemonSet. */
  sizePath: (string | number)[];
  /** Versions whose pods exist at some time (a rollout while scaled to 0 creates none until a scale-up). */
  versions: Set<string>;
  /** Pods created over a run: the initial ones, scale-ups, and a full set per rollout. */
  podsCreated: number;
  /** The largest pod count over the run (replicas; nodes for a DaemonSet). */
  peakReplicas: number;
  /** The pod template after each rollout, with the path of the event that set it. */
  templates: { path: (string | number)[]; pod: PodSpec }[];
}

/** Events in the order the simulation applies them: by time, then as listed. */
export function eventsInOrder(events: readonly TimelineEvent[]): { ev: TimelineEvent; index: number }[] {
  return events.map((ev, index) => ({ ev, index })).sort((a, b) => a.ev.at - b.ev.at || a.index - b.index);
}

/** Every Deployment's plan, then every DaemonSet's. */
export function workloadPlans(s: Scenario): WorkloadPlan[] {
  const ordered = eventsInOrder(s.events);
  return [...s.deployments.map((spec, index) => deploymentPlan(spec, index, ordered, s.horizontalPodAutoscalers.find((h) => h.deployment === spec.name))), ...s.daemonSets.map((spec, index) => daemonSetPlan(s, spec, index, ordered))];
}

function deploymentPlan(spec: DeploymentSpec, index: number, ordered: { ev: TimelineEvent; index: number }[], hpa: HorizontalPodAutoscalerSpec | undefined): WorkloadPlan {
  let replicas = spec.replicas;
  let version = spec.version;
  let pod = spec.pod;
  const plan: WorkloadPlan = {
    kind: "Deployment",
    spec,
    path: ["deployments", index],
    sizePath: ["deployments", index, "replicas"],
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
  // An HPA may take it up to maxReplicas (at least once; how often it goes up and down only the run tells).
  if (hpa !== undefined && spec.replicas > 0) {
    plan.podsCreated += Math.max(0, hpa.maxReplicas - spec.replicas);
    plan.peakReplicas = Math.max(plan.peakReplicas, hpa.maxReplicas);
  }
  return plan;
}

/** A DaemonSet runs one pod on every node, cordoned and added ones too; each rollout replaces them all. */
function daemonSetPlan(s: Scenario, spec: DaemonSetSpec, index: number, ordered: { ev: TimelineEvent; index: number }[]): WorkloadPlan {
  let nodes = s.cluster.nodes;
  let pod = spec.pod;
  const plan: WorkloadPlan = {
    kind: "DaemonSet",
    spec,
    path: ["daemonSets", index],
    sizePath: ["cluster", "nodes"],
    versions: new Set([spec.version]),
    podsCreated: nodes,
    peakReplicas: nodes,
    templates: [{ path: ["daemonSets", index, "pod"], pod }],
  };
  for (const { ev, index: i } of ordered) {
    if (ev.action === "node-up") {
      nodes += 1;
      plan.podsCreated += 1;
      plan.peakReplicas = Math.max(plan.peakReplicas, nodes);
    } else if (ev.action === "rollout" && "daemonSet" in ev && ev.daemonSet === spec.name) {
      pod = overridePodSpec(pod, ev.pod);
      plan.templates.push({ path: ["events", i, "pod"], pod });
      plan.versions.add(ev.version);
      plan.podsCreated += nodes;
    }
  }
  return plan;
}

/** The labels a Deployment's or DaemonSet's pods of `version` carry. */
export function podLabels(d: { labels: Readonly<Record<string, string>> }, version: string): Record<string, string> {
  return { ...d.labels, version };
}

/** Whether an equality selector selects pods with these labels (as `Service.selectsLabels`). */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}
