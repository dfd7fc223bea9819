/**
 * Settings that are valid but probably not what the user meant: a preStop the grace period cuts
 * short, a timeout most requests would hit, more load than the pods can ever serve, a Deployment no
 * Service sends traffic to... Each is a warning (stderr, and run.json's `warnings`), never an error:
 * the user may be modelling exactly that mistake.
 */
import { makeDistribution } from "../random/distributions.js";
import { medianOf } from "../random/median.js";
import { formatDuration, formatRate } from "../random/units.js";
import { formatPath } from "./errors.js";
import { expectedArrivals } from "./limits.js";
import { workloadPlans, podLabels, selectorMatches, type WorkloadPlan } from "./plan.js";
import type { ArrivalSpec, PodSpec, Scenario } from "./types.js";

export interface ScenarioWarning {
  path: (string | number)[];
  /** What looks wrong, and what it will cause. */
  problem: string;
  found: string;
  /** What the user probably meant. */
  suggested: string;
}

/** `<file>: <field>: <what looks wrong>: found X; suggested: Y`. */
export function formatWarning(file: string, w: ScenarioWarning): string {
  return `${file}: ${formatPath(w.path)}: ${w.problem}: found ${w.found}; suggested: ${w.suggested}`;
}

/** The kubelet's default maxPods per node. */
const KUBELET_MAX_PODS = 110;
/** The kubelet sends SIGKILL at least this long after SIGTERM. */
const MIN_KILL_AFTER_TERM = 2;

const d = formatDuration;
/** Whole seconds, as a grace period is written ("70s"). */
const seconds = (s: number) => `${Math.ceil(s)}s`;

/** Termination: SIGTERM at min(preStop, grace), SIGKILL at max(grace, SIGTERM + 2 s); see the README's "Graceful termination". */
function terminationWarnings(pod: PodSpec, base: (string | number)[], out: ScenarioWarning[]): void {
  const grace = pod.terminationGracePeriod;
  if (pod.preStop > grace) {
    out.push({
      path: [...base, "preStop"],
      problem: "the preStop hook is longer than terminationGracePeriod, so the kubelet cuts it short (SIGTERM at the grace period, SIGKILL 2 s later)",
      found: `preStop ${d(pod.preStop)}, terminationGracePeriod ${d(grace)}`,
      suggested: `a terminationGracePeriod longer than preStop plus the time to finish the requests in hand, e.g. ${seconds(pod.preStop + 30)}`,
    });
    return;
  }
  const term = Math.min(pod.preStop, grace);
  const kill = Math.max(grace, term + MIN_KILL_AFTER_TERM);
  if (pod.drainDelay > 0 && term + pod.drainDelay >= kill) {
    out.push({
      path: [...base, "drainDelay"],
      problem: "the app still accepts new connections when SIGKILL comes, so the requests it takes last are reset",
      found: `preStop ${d(pod.preStop)} + drainDelay ${d(pod.drainDelay)}, terminationGracePeriod ${d(grace)}`,
      suggested: `preStop + drainDelay well under terminationGracePeriod, e.g. a terminationGracePeriod of ${seconds(term + pod.drainDelay + 30)}`,
    });
  }
}

/** The long-run arrival rate of a process at its busiest: the peak for a ramp, the on-rate's share for bursty. */
function peakMeanRate(a: ArrivalSpec, end: number): number {
  return a.type === "ramp" ? Math.max(a.from, a.to) : expectedArrivals(a, end) / end;
}

export function scenarioWarnings(s: Scenario, plans: WorkloadPlan[] = workloadPlans(s)): ScenarioWarning[] {
  const out: ScenarioWarning[] = [];
  const end = s.warmup + s.duration;

  if (s.warmup > s.duration) {
    out.push({
      path: ["warmup"],
      problem: "the warm-up is longer than the measured window, so most of the simulated time is not counted",
      found: `warmup ${d(s.warmup)}, duration ${d(s.duration)}`,
      suggested: "a warm-up of a few seconds to fill the queues: a run starts in steady state (pods Ready, every kube-proxy synced)",
    });
  }

  for (const plan of plans) {
    plan.templates.forEach((t, k) => {
      // A rollout's template is checked only if its override touches the fields, so one mistake warns once.
      const o = k === 0 ? undefined : (s.events[t.path[1] as number] as { pod?: Partial<PodSpec> }).pod;
      if (k > 0 && o?.preStop === undefined && o?.drainDelay === undefined && o?.terminationGracePeriod === undefined) return;
      terminationWarnings(t.pod, t.path, out);
    });
  }

  // Which deployments each Service ever selects.
  const selected = s.services.map((svc) => plans.filter((p) => [...p.versions].some((v) => selectorMatches(svc.selector, podLabels(p.spec, v)))));

  s.workload.forEach((w, i) => {
    const svc = s.services.findIndex((v) => v.name === w.service);
    if (svc < 0 || !Number.isFinite(w.timeout)) return;
    for (const plan of selected[svc]) {
      for (const t of plan.templates) {
        const median = medianOf(t.pod.serviceTime);
        if (w.timeout < median) {
          out.push({
            path: ["workload", i, "timeout"],
            problem: "the timeout is shorter than the median service time, so most requests will time out",
            found: `timeout ${d(w.timeout)}, median service time of ${plan.spec.name} ${d(median)}`,
            suggested: `a timeout above the service time's upper percentiles, or none`,
          });
          return;
        }
      }
    }
  });

  // Load the pods can never serve, even at the deployment's peak size.
  s.services.forEach((svc, k) => {
    // Closed-loop clients pace themselves: they can queue at most one request each, never overload.
    const calls = s.workload.map((w, i) => ({ w, i, a: w.arrivals })).filter((c): c is typeof c & { a: ArrivalSpec } => c.w.service === svc.name && c.a !== null);
    if (calls.length === 0 || selected[k].length === 0) return;
    const rate = calls.reduce((sum, { a }) => sum + peakMeanRate(a, end), 0);
    let capacity = 0;
    for (const plan of selected[k]) {
      const mean = makeDistribution(plan.spec.pod.serviceTime).mean;
      capacity += (plan.peakReplicas * plan.spec.pod.concurrency) / mean;
    }
    if (capacity > 0 && Number.isFinite(capacity) && rate > capacity) {
      out.push({
        path: ["workload", calls[0].i, "arrivals"],
        problem: `more load${calls.some(({ a }) => a.type === "ramp") ? " at its peak" : ""} than the pods of ${svc.name} can serve even at their peak count (replicas x concurrency / mean service time), so queues fill and the excess ends as overload`,
        found: `${formatRate(rate)} for a capacity of ${formatRate(capacity)}`,
        suggested: "more replicas or concurrency, or a lower rate",
      });
    }
  });

  plans.forEach((plan) => {
    if (plan.versions.size === 0 || s.services.some((_, k) => selected[k].includes(plan))) return;
    out.push({
      path: [...plan.path, "labels"],
      problem: `no Service selects this ${plan.kind}'s pods, so they get no traffic`,
      found: JSON.stringify(plan.spec.labels),
      suggested: `a Service whose selector matches these labels (pods also carry version: ${plan.spec.version})`,
    });
  });

  const peakPods = plans.reduce((a, p) => a + p.peakReplicas, 0);
  const nodes = s.cluster.nodes + s.events.filter((e) => e.action === "node-up").length;
  if (peakPods > KUBELET_MAX_PODS * nodes) {
    out.push({
      path: ["cluster", "nodes"],
      problem: `more pods than ${nodes} ${nodes === 1 ? "node" : "nodes"} can run with the kubelet's default maxPods (${KUBELET_MAX_PODS}); svcsim places them anyway, a real cluster would leave the rest Pending`,
      found: `up to ${peakPods} pods on ${nodes} ${nodes === 1 ? "node" : "nodes"}`,
      suggested: `at least ${Math.ceil(peakPods / KUBELET_MAX_PODS)} nodes`,
    });
  }

  s.events.forEach((e, i) => {
    const crash = e.action === "crash" && e.at < s.warmup;
    if (crash || (e.action === "readiness-failure" && e.at + e.for <= s.warmup)) {
      out.push({
        path: ["events", i, "at"],
        problem: crash
          ? "the crash happens during the warm-up, so the measured window sees at most the end of its effect"
          : "the readiness failure is over before the warm-up ends, so the measured window does not see it",
        found: `at ${d(e.at)}, warmup ${d(s.warmup)}`,
        suggested: `an at after the warm-up (${d(s.warmup)}), or a shorter warmup`,
      });
    }
  });

  topologyWarnings(s, out);

  const nodeDown = s.events.some((e) => e.action === "node-down");
  s.workload.forEach((w, i) => {
    if (!nodeDown && w.timeout === Infinity && w.retries.count > 0 && w.retries.on.includes("timeout")) {
      out.push({
        path: ["workload", i, "retries", "on"],
        problem: "retries on timeout, but the workload sets no timeout, so no attempt ever times out",
        found: JSON.stringify(w.retries.on),
        suggested: "a timeout on the workload",
      });
    }
  });
  // An HPA sets its Deployment's replicas at each sync: a count outside its range, or a hand-made scale, lasts only until then.
  s.horizontalPodAutoscalers.forEach((h, i) => {
    const dep = s.deployments.find((x) => x.name === h.deployment);
    if (dep !== undefined && dep.replicas > 0 && (dep.replicas < h.minReplicas || dep.replicas > h.maxReplicas)) {
      const to = Math.min(h.maxReplicas, Math.max(h.minReplicas, dep.replicas));
      out.push({
        path: ["horizontalPodAutoscalers", i],
        problem: `the Deployment starts outside the HPA's range, so the HPA's first sync scales it to ${to}`,
        found: `${dep.name} replicas ${dep.replicas}, minReplicas ${h.minReplicas}, maxReplicas ${h.maxReplicas}`,
        suggested: `replicas from ${h.minReplicas} to ${h.maxReplicas}`,
      });
    }
    s.events.forEach((ev, j) => {
      if (ev.action !== "scale" || ev.deployment !== h.deployment) return;
      out.push({
        path: ["events", j],
        problem: `HPA ${h.name} scales this Deployment, so it sets its own replica count again at its next sync (within ${d(s.cluster.horizontalPodAutoscaler.syncPeriod)})`,
        found: `scale ${ev.deployment} to ${ev.replicas}`,
        suggested: "a change in the load instead, or no HPA on this Deployment",
      });
    });
  });
  return out;
}

/** Topology settings that cannot act: zone hints without zones, affinity no policy of the scenario honours. */
function topologyWarnings(s: Scenario, out: ScenarioWarning[]): void {
  const zoned = s.cluster.zones.length > 0;
  const zones = new Set(s.cluster.zones).size;
  s.services.forEach((svc, i) => {
    const td = svc.topologyMode === null ? svc.trafficDistribution : null;
    if ((td === "PreferClose" || td === "PreferSameZone") && !zoned) {
      out.push({
        path: ["services", i, "trafficDistribution"],
        problem: "the nodes are in no zone, so the endpoints get no zone hints and every node uses every endpoint",
        found: td,
        suggested: "cluster.zones, e.g. [zone-a, zone-b, zone-c]",
      });
    }
    if (svc.topologyMode === "Auto" && zones < 2) {
      out.push({
        path: ["services", i, "topologyMode"],
        problem: "topology-mode Auto needs nodes in at least 2 zones, so it gives no hints and every node uses every endpoint",
        found: zoned ? `1 zone (${s.cluster.zones[0]})` : "no cluster.zones",
        suggested: "cluster.zones with 2 or more zones",
      });
    }
    const ignoring = s.policies.filter((p) => p === "power-of-two" || p === "static-upstream");
    if (svc.sessionAffinity === "ClientIP" && ignoring.length > 0) {
      out.push({
        path: ["services", i, "sessionAffinity"],
        problem: `client-side balancers do not go through the Service's virtual IP, so ${ignoring.join(" and ")} ignore${ignoring.length === 1 ? "s" : ""} the affinity`,
        found: "ClientIP",
        suggested: "compare kube-proxy's modes only (random, round-robin, least-connections, ipvs-*), or read these policies' figures as without affinity",
      });
    }
  });
}
