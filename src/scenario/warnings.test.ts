import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "./errors.js";
import { loadScenarioChecked, parseScenario, parseScenarioChecked } from "./load.js";
import { scenarioWarnings } from "./warnings.js";

const base = (services: string, extra = "") => `
services: ${services}
deployments: [{name: orders, labels: {app: orders}}]
workload: [{service: orders, arrivals: {type: poisson, rate: 100/s}}]
${extra}`;

function errors(yaml: string): string[] {
  try {
    parseScenarioChecked(yaml, "s.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return [...(e as ScenarioError).problems];
  }
  return [];
}

const warnings = (yaml: string, set: string[] = []) => parseScenarioChecked(yaml, "s.yaml", { set }).warnings;

describe("a Service whose selector matches no pod at any time", () => {
  it("is an error naming the Service, with a hint and the labels pods carry (the app: order typo)", () => {
    expect(errors(base("[{name: orders, selector: {app: order}}]"))).toEqual([
      's.yaml: services[0].selector: selects no pod of any Deployment at any time (did you mean app: orders?): found {"app":"order"}; allowed: labels some pods carry ({app: orders, version: v1}), or allowEmpty: true on the Service to model one without endpoints (its requests end as no-endpoints)',
    ]);
  });

  it("is fine with allowEmpty: true", () => {
    expect(errors(base("[{name: orders, selector: {app: orders}}, {name: gone, selector: {app: gone}, allowEmpty: true}]"))).toEqual([]);
  });

  it("counts the versions rollouts create, but not a version nobody creates", () => {
    const v2 = "[{name: orders, selector: {app: orders}}, {name: canary, selector: {app: orders, version: v2}}]";
    expect(errors(base(v2, "events: [{at: 60s, action: rollout, deployment: orders, version: v2}]"))).toEqual([]);
    expect(errors(base(v2))[0]).toMatch(/^s\.yaml: services\[1\]\.selector: selects no pod of any Deployment at any time \(did you mean version: v1\?\)/);
  });

  it("knows a Deployment at 0 replicas has pods only after a scale-up", () => {
    const idle = (events: string) => `
services: [{name: orders, selector: {app: orders}}]
deployments: [{name: orders, replicas: 0, labels: {app: orders}}]
workload: [{service: orders, arrivals: {type: poisson, rate: 100/s}}]
${events}`;
    expect(errors(idle(""))[0]).toContain("selects only pods of orders, which never has any (replicas 0 and no scale-up)");
    expect(errors(idle("events: [{at: 60s, action: scale, deployment: orders, replicas: 2}]"))).toEqual([]);
    // A rollout while at 0 creates no pod of v2, until the scale-up that follows.
    expect(errors(idle("events: [{at: 10s, action: rollout, deployment: orders, version: v2}, {at: 20s, action: scale, deployment: orders, replicas: 2}]").replace("{app: orders}}]", "{app: orders, version: v2}}]"))).toEqual([]);
  });

  it("counts DaemonSets' pods, and their rollouts' versions", () => {
    const ds = (selector: string, events = "") => `
cluster: {nodes: 3}
services: [{name: agent, selector: ${selector}}]
daemonSets: [{name: agent, labels: {app: agent}}]
workload: [{service: agent, arrivals: {type: poisson, rate: 100/s}}]
${events}`;
    expect(errors(ds("{app: agent}"))).toEqual([]);
    expect(errors(ds("{app: agent, version: v2}", "events: [{at: 60s, action: rollout, daemonSet: agent, version: v2}]"))).toEqual([]);
    expect(errors(ds("{app: agnet}"))[0]).toMatch(/^s\.yaml: services\[0\]\.selector: selects no pod of any Deployment or DaemonSet at any time \(did you mean app: agent\?\)/);
  });

  it("names the --set that caused it", () => {
    expect(() => parseScenarioChecked(base("[{name: orders, selector: {app: orders}}]"), "s.yaml", { set: ["services.0.selector={app: order}"] })).toThrow(
      /^--set services\.0\.selector=\{app: order\}: services\[0\]\.selector: selects no pod/,
    );
  });
});

describe("warnings", () => {
  it("are none for the shipped scenarios, but the one overloaded on purpose", () => {
    const dir = join(import.meta.dirname, "../../scenarios");
    const meant: Record<string, RegExp> = {
      "overload-cascade.yaml": /workload\[\d\]\.arrivals: more load at its peak than the pods of (http|tcp)-probe can serve/,
      // The e2e test's agnhost serves 60 s after SIGTERM with a 60 s grace period, on purpose.
      "daemonset-rollout.yaml": /daemonSets\[2\]\.pod\.drainDelay: the app still accepts new connections when SIGKILL comes/,
      "e2e-lb-rolling-update.yaml": /daemonSets\[[01]\]\.pod\.drainDelay: the app still accepts new connections when SIGKILL comes/,
    };
    for (const f of readdirSync(dir)) {
      const { warnings } = loadScenarioChecked(join(dir, f));
      if (meant[f]) {
        expect(warnings.length, f).toBeGreaterThan(0);
        for (const w of warnings) expect(w).toMatch(meant[f]);
      } else expect(warnings, f).toEqual([]);
    }
  });

  it.each([
    ["deployments.0.pod.preStop=45s", "deployments[0].pod.preStop: the preStop hook is longer than terminationGracePeriod", "found preStop 45s, terminationGracePeriod 30s; suggested: a terminationGracePeriod longer than preStop plus the time to finish the requests in hand, e.g. 75s"],
    ["deployments.0.pod.drainDelay=40s", "deployments[0].pod.drainDelay: the app still accepts new connections when SIGKILL comes", "found preStop 0s + drainDelay 40s, terminationGracePeriod 30s"],
    ["workload.0.timeout=10ms", "workload[0].timeout: the timeout is shorter than the median service time, so most requests will time out", "found timeout 10ms, median service time of orders 13.86ms"],
    ["warmup=10m", "warmup: the warm-up is longer than the measured window", "found warmup 10m, duration 5m"],
    ["workload.0.arrivals.rate=1000/s", "workload[0].arrivals: more load than the pods of orders can serve", "found 1000/s for a capacity of 600/s; suggested: more replicas or concurrency, or a lower rate"],
    ["cluster.nodes=1", "cluster.nodes: more pods than 1 node can run with the kubelet's default maxPods (110)", "found up to 200 pods on 1 node; suggested: at least 2 nodes"],
    ["workload.0.retries={count: 1, on: [timeout]}", "workload[0].retries.on: retries on timeout, but the workload sets no timeout", 'found ["timeout"]'],
    ["events=[{at: 10s, action: crash, pods: [orders-0]}]", "events[0].at: the crash happens during the warm-up", "found at 10s, warmup 30s"],
  ])("%s", (set, head, detail) => {
    const yaml = set.startsWith("cluster.nodes")
      ? base("[{name: orders, selector: {app: orders}}]").replace("{name: orders, labels", "{name: orders, replicas: 200, labels")
      : base("[{name: orders, selector: {app: orders}}]");
    const found = warnings(yaml, [set]).filter((w) => w.startsWith(`--set ${set}: ${head}`)); // the --set is to blame
    expect(found, warnings(yaml, [set]).join("\n")).toHaveLength(1);
    expect(found[0]).toContain(detail);
    expect(found[0]).toMatch(/: found .+; suggested: .+/);
  });

  it("warns about a Deployment no Service selects, and checks a rollout's own template", () => {
    const yaml = `
services: [{name: orders, selector: {app: orders}}]
deployments: [{name: orders, labels: {app: orders}}, {name: cache, labels: {app: cahce}}]
workload: [{service: orders, arrivals: {type: poisson, rate: 100/s}}]
events: [{at: 60s, action: rollout, deployment: orders, pod: {preStop: 40s}}]
`;
    expect(warnings(yaml)).toEqual([
      expect.stringMatching(/^s\.yaml: events\[0\]\.pod\.preStop: the preStop hook is longer than terminationGracePeriod/),
      's.yaml: deployments[1].labels: no Service selects this Deployment\'s pods, so they get no traffic: found {"app":"cahce"}; suggested: a Service whose selector matches these labels (pods also carry version: v1)',
    ]);
  });
});

describe("topology warnings", () => {
  const warn = (yaml: string) => scenarioWarnings(parseScenario(yaml, "t.yaml")).map((w) => `${w.path.join(".")}: ${w.problem}`);
  const base = (cluster: string, service: string, policies = "[random]") => `
policies: ${policies}
cluster: ${cluster}
services: [{ name: web, selector: { app: web }, ${service} }]
deployments: [{ name: web, replicas: 3, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 10 } }]
`;

  it("warns of zone hints without zones, Auto in one zone, and affinity the client-side balancers ignore", () => {
    expect(warn(base("{ nodes: 3 }", "trafficDistribution: PreferClose"))).toEqual([
      "services.0.trafficDistribution: the nodes are in no zone, so the endpoints get no zone hints and every node uses every endpoint",
    ]);
    expect(warn(base("{ nodes: 3, zones: [a] }", "topologyMode: Auto"))[0]).toMatch(/^services\.0\.topologyMode: topology-mode Auto needs nodes in at least 2 zones/);
    expect(warn(base("{ nodes: 3 }", "sessionAffinity: ClientIP", "[random, power-of-two]"))[0]).toMatch(/^services\.0\.sessionAffinity: client-side balancers .* power-of-two ignores the affinity/);
  });

  it("is quiet when they act", () => {
    expect(warn(base("{ nodes: 3, zones: [a, b, c] }", "trafficDistribution: PreferClose"))).toEqual([]);
    expect(warn(base("{ nodes: 3, zones: [a, b, c] }", "topologyMode: Auto"))).toEqual([]);
    expect(warn(base("{ nodes: 3 }", "sessionAffinity: ClientIP", "[random, ipvs-rr]"))).toEqual([]);
  });
});

describe("an HPA", () => {
  const svc = "[{name: orders, selector: {app: orders}}]";
  it("warns when its Deployment starts outside its range, or a scale event fights it", () => {
    const w = warnings(base(svc, "horizontalPodAutoscalers: [{name: orders, deployment: orders, minReplicas: 5, maxReplicas: 8}]\nevents: [{at: 60s, action: scale, deployment: orders, replicas: 10}]"));
    expect(w).toEqual([
      "s.yaml: horizontalPodAutoscalers[0]: the Deployment starts outside the HPA's range, so the HPA's first sync scales it to 5: found orders replicas 3, minReplicas 5, maxReplicas 8; suggested: replicas from 5 to 8",
      "s.yaml: events[0]: HPA orders scales this Deployment, so it sets its own replica count again at its next sync (within 15s): found scale orders to 10; suggested: a change in the load instead, or no HPA on this Deployment",
    ]);
    expect(warnings(base(svc, "horizontalPodAutoscalers: [{name: orders, deployment: orders, maxReplicas: 8}]"))).toEqual([]);
  });
});
