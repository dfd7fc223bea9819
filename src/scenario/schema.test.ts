import { describe, expect, it } from "vitest";
import { ScenarioError } from "./errors.js";
import { scenarioFromJSON, toPlainJSON } from "./json.js";
import { parseScenario } from "./load.js";
import type { Scenario } from "./types.js";
import { DEFAULT_PROBE } from "./probe-defaults.js";
import { defaultProbe } from "./schema.js";

const MIN = `
services: [{name: web, selector: {app: web}}]
deployments: [{name: web, labels: {app: web}}]
workload: [{service: web, arrivals: {type: poisson, rate: 100/s}}]
`;

/** The scenario from MIN plus extra top-level YAML (later keys replace MIN's). */
function scenario(extra = ""): Scenario {
  return parseScenario(merge(extra), "s.yaml");
}

function merge(extra: string): string {
  const keys = new Set([...extra.matchAll(/^(\w+):/gm)].map((m) => m[1]));
  const base = MIN.split("\n").filter((l) => !keys.has(l.split(":")[0]));
  return `${base.join("\n")}\n${extra}`;
}

/** The error lines for a scenario, or [] if it is valid. */
function problems(text: string, file = "scenarios/bad.yaml"): string[] {
  try {
    parseScenario(text, file);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return [...(e as ScenarioError).problems];
  }
}

describe("defaults", () => {
  it("gives the model's plain default probe (probe-defaults.ts) for an empty probe", () => {
    expect(defaultProbe()).toEqual(DEFAULT_PROBE);
    expect(scenario("deployments: [{name: web, labels: {app: web}, pod: {readiness: {}}}]").deployments[0].pod.readiness).toEqual(DEFAULT_PROBE);
  });

  it("fills every default for a minimal scenario", () => {
    const s = scenario();
    expect(s).toMatchObject({
      name: "s",
      description: "",
      seed: 1,
      duration: 300,
      warmup: 30,
      replications: 1,
      policies: ["random"],
      powerOfTwo: { choiceCount: 2, sampling: "with-replacement" },
      interval: 1,
    });
    expect(s.cluster).toMatchObject({
      kubernetesVersion: "1.33",
      featureGates: { ReduceDefaultCrashLoopBackOffDecay: false },
      kubelet: { crashLoopBackOff: { initial: 10, max: 300 }, crashLoopRecheck: "periodic" },
      nodes: 3,
      clientWeights: [1, 1, 1],
      proxy: { minSyncPeriod: 1, burstSyncs: 2 },
      network: { releasedPodIP: "no-answer", hostUnreachableAfter: { type: "constant", value: 3 } },
      endpointsBatchPeriod: 0,
      nodeMonitorGracePeriod: 50,
    });
    const wl = s.cluster.proxy.watchLatency;
    expect(wl.type).toBe("lognormal");
    if (wl.type !== "lognormal") throw new Error("unreachable");
    expect(Math.exp(wl.mu)).toBeCloseTo(0.2, 10);
    expect(Math.exp(wl.mu + 2.3263478740408408 * wl.sigma)).toBeCloseTo(2, 10);

    const d = s.deployments[0];
    expect(d).toMatchObject({
      replicas: 3,
      version: "v1",
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      minReadySeconds: 0,
    });
    expect(d.pod).toEqual({
      concurrency: 4,
      queueLimit: 100,
      serviceTime: { type: "exponential", mean: 0.02 },
      startup: { type: "constant", value: 2 },
      readiness: null,
      liveness: null,
      startupProbe: null,
      crashDetection: { type: "uniform", min: 0, max: 1 },
      preStop: 0,
      onSigterm: "drain",
      drainDelay: 0,
      terminationGracePeriod: 30,
    });
    expect(s.workload[0]).toEqual({
      service: "web",
      from: "cluster",
      arrivals: { type: "poisson", rate: 100 },
      timeout: Infinity,
      connectTimeout: 127,
      retries: { count: 0, backoff: { type: "constant", value: 0 }, on: ["refused", "reset", "overload", "no-endpoints", "unreachable"], perTryTimeout: Infinity, budget: null, transparent: false },
      clients: { mode: "open", count: 12 },
      connections: { mode: "per-request" },
    });
    expect(s.events).toEqual([]);
  });

  it("does not share default objects between parses", () => {
    const probed = `deployments: [{name: web, labels: {app: web}, pod: {readiness: {}}}]`;
    const a = scenario(probed);
    a.deployments[0].pod.readiness!.period = 99;
    a.workload[0].retries.on.push("timeout");
    const b = scenario(probed);
    expect(b.deployments[0].pod.readiness!.period).toBe(10);
    expect(b.workload[0].retries.on).toHaveLength(5);
  });

  it("is plain JSON except Infinity, which toPlainJSON writes as \"Infinity\" and the schema reads back", () => {
    const s = scenario(`
events:
  - {at: 10s, action: crashes, deployment: web, mtbf: 30s}
  - {at: 20s, action: rollout, deployment: web, pod: {preStop: 5s, readiness: {period: 2s}}}
workload:
  - service: web
    arrivals: {type: ramp, from: 10, to: 100/s, over: 1m}
    connections: {mode: keep-alive, maxRequests: 0}
`);
    const plain = JSON.parse(JSON.stringify(s));
    // Only the Infinity fields differ (JSON writes null).
    expect(plain.workload[0].timeout).toBeNull();
    expect(plain.workload[0].connections.maxRequests).toBeNull();
    expect(plain.events[0].until).toBeNull();
    expect(plain.workload[0].retries.perTryTimeout).toBeNull();
    plain.workload[0].retries.perTryTimeout = Infinity;
    plain.workload[0].timeout = Infinity;
    plain.workload[0].connections.maxRequests = Infinity;
    plain.events[0].until = Infinity;
    expect(plain).toEqual(s);

    const json = toPlainJSON(s) as Scenario;
    expect(json.workload[0].timeout).toBe("Infinity");
    const back = scenarioFromJSON(JSON.parse(JSON.stringify(json)));
    expect(back).toEqual(s);
  });

  it("merges partial objects over the defaults", () => {
    const s = scenario(`
cluster: {nodes: 2, clientWeights: [3, 1], proxy: {minSyncPeriod: 500ms}}
deployments:
  - name: web
    labels: {app: web}
    replicas: 5
    pod: {concurrency: 1, serviceTime: 10ms, readiness: {period: 2s}}
    strategy: {rollingUpdate: {maxSurge: 1}}
`);
    expect(s.cluster.clientWeights).toEqual([3, 1]);
    expect(s.cluster.proxy).toMatchObject({ minSyncPeriod: 0.5 });
    expect(s.cluster.proxy.watchLatency.type).toBe("lognormal");
    const d = s.deployments[0];
    expect(d.replicas).toBe(5);
    expect(d.pod).toMatchObject({ concurrency: 1, queueLimit: 100, serviceTime: { type: "constant", value: 0.01 } });
    expect(d.pod.readiness).toEqual({
      handler: "http",
      initialDelay: 0,
      period: 2,
      timeout: 1,
      failureThreshold: 3,
      successThreshold: 1,
      serviceTime: { type: "constant", value: 0 },
    });
    expect(d.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" } });
  });

  it("accepts Recreate, keep-alive, timeouts, retries and every arrival type", () => {
    const s = scenario(`
deployments: [{name: web, labels: {app: web}, strategy: {type: Recreate}}]
workload:
  - {service: web, arrivals: {type: constant, rate: 6000/m}, timeout: 2s, connections: {mode: keep-alive}}
  - {service: web, arrivals: {type: bursty, rateOn: 100, rateOff: 0, meanOn: 5s, meanOff: 10s}, timeout: none,
     retries: {count: 2, backoff: {type: exponential, mean: 100ms}, on: [timeout]}}
  - {service: web, arrivals: {type: ramp, from: 0, to: 50/s, over: 2m, start: 30s}, clients: 1,
     connections: {mode: keep-alive, maxRequests: 10, idleTimeout: 5s}}
`);
    expect(s.deployments[0].strategy).toEqual({ type: "Recreate" });
    expect(s.workload[0]).toMatchObject({
      arrivals: { type: "constant", rate: 100 },
      timeout: 2,
      connections: { mode: "keep-alive", maxRequests: 100, idleTimeout: 60 },
    });
    expect(s.workload[1]).toMatchObject({
      arrivals: { type: "bursty", rateOn: 100, rateOff: 0, meanOn: 5, meanOff: 10 },
      timeout: Infinity,
      retries: { count: 2, backoff: { type: "exponential", mean: 0.1 }, on: ["timeout"] },
    });
    expect(s.workload[2]).toMatchObject({
      arrivals: { type: "ramp", from: 0, to: 50, over: 120, start: 30 },
      clients: { mode: "open", count: 1 },
      connections: { mode: "keep-alive", maxRequests: 10, idleTimeout: 5 },
    });
  });

  it("reads closed-loop clients, which take no arrivals, and open ones as a count or a mapping", () => {
    const s = scenario(`
workload:
  - {service: web, clients: {mode: closed, count: 5, thinkTime: {type: exponential, mean: 40ms}}}
  - {service: web, clients: {mode: closed}}
  - {service: web, arrivals: {type: poisson, rate: 10}, clients: {mode: open, count: 3}}
`);
    expect(s.workload[0]).toMatchObject({ arrivals: null, clients: { mode: "closed", count: 5, thinkTime: { type: "exponential", mean: 0.04 } } });
    expect(s.workload[1].clients).toEqual({ mode: "closed", count: 1, thinkTime: { type: "constant", value: 0 } });
    expect(s.workload[2].clients).toEqual({ mode: "open", count: 3 });
    expect(scenarioFromJSON(JSON.parse(JSON.stringify(toPlainJSON(s))))).toEqual(s);
    expect(problems(merge(`workload: [{service: web, arrivals: {type: poisson, rate: 10}, clients: {mode: closed}}]`))).toEqual([
      "scenarios/bad.yaml: workload[0].arrivals: closed-loop clients send their next request when the previous one ends: they take no arrival process: found {\"type\":\"poisson\",\"rate\":10}; allowed: no arrivals with clients {mode: closed} (pace them with thinkTime)",
    ]);
    expect(problems(merge(`workload: [{service: web}]`))).toEqual([
      "scenarios/bad.yaml: workload[0].arrivals: missing required field: found nothing; allowed: a mapping {type: poisson|constant|bursty|ramp, ...} (open-loop clients need arrivals)",
    ]);
    expect(problems(merge(`workload: [{service: web, clients: {mode: closed, cout: 2}}]`))[0]).toContain('workload[0].clients.cout: unknown field "cout" (did you mean "count"?)');
    expect(problems(merge(`workload: [{service: web, arrivals: {type: poisson, rate: 1}, clients: 0}]`))[0]).toContain("workload[0].clients");
  });

  it("resolves every event kind", () => {
    const s = scenario(`
cluster: {nodes: 4}
events:
  - {at: 10s, action: crash, pods: [web-0, web-2]}
  - {at: 11s, action: crash, deployment: web}
  - {at: 12s, action: crashes, deployment: web, mtbf: 1m, until: 200s}
  - {at: 13s, action: scale, deployment: web, replicas: 0}
  - {at: 14s, action: rollout, deployment: web}
  - {at: 15s, action: rollout, deployment: web, version: v3, pod: {concurrency: 8, readiness: {failureThreshold: 1}}}
  - {at: 16s, action: readiness-failure, pods: [web-1], for: 30s}
  - {at: 17s, action: readiness-failure, deployment: web, count: 2, for: 1m}
  - {at: 18s, action: node-down, node: 3}
  - {at: 330s, action: node-up}
`);
    expect(s.events).toEqual([
      { at: 10, action: "crash", pods: ["web-0", "web-2"] },
      { at: 11, action: "crash", deployment: "web", count: 1 },
      { at: 12, action: "crashes", deployment: "web", mtbf: 60, until: 200 },
      { at: 13, action: "scale", deployment: "web", replicas: 0 },
      { at: 14, action: "rollout", deployment: "web", version: "v2", pod: {}, successive: 1, pause: 0 },
      {
        at: 15,
        action: "rollout",
        deployment: "web",
        version: "v3",
        pod: { concurrency: 8, readiness: { failureThreshold: 1 } },
        successive: 1,
        pause: 0,
      },
      { at: 16, action: "readiness-failure", pods: ["web-1"], for: 30 },
      { at: 17, action: "readiness-failure", deployment: "web", count: 2, for: 60 },
      { at: 18, action: "node-down", node: 3 },
      { at: 330, action: "node-up" },
    ]);
  });

  it("lets a selector use the version label", () => {
    const s = scenario(`services: [{name: web, selector: {app: web, version: v1}}]`);
    expect(s.services[0].selector).toEqual({ app: "web", version: "v1" });
  });
});

describe("Kubernetes version, kubelet and probes", () => {
  it("sets the version-dependent defaults from cluster.kubernetesVersion, each overridable", () => {
    const at = (v: string, extra = "") => scenario(`cluster: {kubernetesVersion: ${v}${extra}}`).cluster;
    expect(at("'1.29'")).toMatchObject({ kubernetesVersion: "1.29", proxy: { burstSyncs: 2 }, nodeMonitorGracePeriod: 40, kubelet: { crashLoopRecheck: "periodic" } });
    expect(at("1.30").kubernetesVersion).toBe("1.30"); // YAML's 1.3
    expect(at("'1.32'")).toMatchObject({ proxy: { burstSyncs: 2 }, nodeMonitorGracePeriod: 50, kubelet: { crashLoopRecheck: "periodic" } });
    expect(at("'v1.34.2'")).toMatchObject({ kubernetesVersion: "1.34", proxy: { burstSyncs: 1 }, nodeMonitorGracePeriod: 50, kubelet: { crashLoopRecheck: "at-expiry" } });
    expect(at("'1.35'", ", proxy: {burstSyncs: 2}, nodeMonitorGracePeriod: 40s, kubelet: {crashLoopRecheck: periodic}")).toMatchObject({
      proxy: { burstSyncs: 2 },
      nodeMonitorGracePeriod: 40,
      kubelet: { crashLoopRecheck: "periodic" },
    });
  });

  it("shortens CrashLoopBackOff with ReduceDefaultCrashLoopBackOffDecay, and lowers the first backoff to a smaller max", () => {
    const backoff = (extra: string) => scenario(`cluster: {${extra}}`).cluster.kubelet.crashLoopBackOff;
    expect(backoff("")).toEqual({ initial: 10, max: 300 });
    expect(backoff("featureGates: {ReduceDefaultCrashLoopBackOffDecay: true}")).toEqual({ initial: 1, max: 60 });
    expect(backoff("kubelet: {crashLoopBackOff: {max: 5s}}")).toEqual({ initial: 5, max: 5 });
    expect(backoff("kubelet: {crashLoopBackOff: {initial: 2s}}")).toEqual({ initial: 2, max: 300 });
  });

  it("reads none as no probe, a mapping as a probe with Kubernetes' defaults, and merges rollout probes field by field", () => {
    const s = scenario(`
deployments: [{name: web, labels: {app: web}, pod: {readiness: none, liveness: {period: 5s, handler: tcp}, startupProbe: {failureThreshold: 30}}}]
events:
  - {at: 10s, action: rollout, deployment: web, pod: {readiness: {timeout: 2s}, liveness: none}}
`);
    const pod = s.deployments[0].pod;
    expect(pod.readiness).toBeNull();
    expect(pod.liveness).toMatchObject({ handler: "tcp", period: 5, timeout: 1, failureThreshold: 3, successThreshold: 1 });
    expect(pod.startupProbe).toMatchObject({ handler: "http", period: 10, failureThreshold: 30 });
    const ev = s.events[0];
    if (ev.action !== "rollout") throw new Error("unreachable");
    expect(ev.pod).toEqual({ readiness: { timeout: 2 }, liveness: null });
    // run.json writes none as null, which reads back as none.
    expect(scenarioFromJSON(toPlainJSON(s))).toEqual(s);
  });
});

describe("errors", () => {
  it("gives the path, the value found and what is allowed", () => {
    const lines = problems(merge(`deployments: [{name: web, labels: {app: web}, pod: {concurrency: -2}}]`));
    expect(lines).toEqual(["scenarios/bad.yaml: deployments[0].pod.concurrency: too small: found -2; allowed: an integer >= 1"]);
  });

  it.each([
    ["replications: 1.5", "replications: none of the allowed forms: found 1.5; allowed: an integer >= 1, or {until: 5%"],
    ["seed: abc", 'seed: not a number: found "abc"; allowed: an integer >= 0'],
    ["duration: 5 parsecs", 'duration: unknown unit "parsecs" in duration "5 parsecs": found "5 parsecs"; allowed: a unit among'],
    ["warmup: -3s", 'warmup: a duration must not be negative: found "-3s"'],
    ["policies: [random, fastest, randon]", 'policies[1]: unknown policy: found "fastest"; allowed: one of random, round-robin, least-connections, power-of-two, static-upstream'],
    ["policies: [randon]", 'policies[0]: unknown policy (did you mean "random"?): found "randon"'],
    ["policies: []", "policies: too few entries: found []; allowed: a non-empty list"],
    ["podDisruptionBudgets: [{name: b, selector: {app: web}, minAvailable: 1, maxUnavailable: 1}]", "podDisruptionBudgets[0].maxUnavailable: minAvailable and maxUnavailable cannot both be set: found 1; allowed: one of minAvailable or maxUnavailable"],
    ["podDisruptionBudgets: [{name: b, selector: {app: web}}]", "podDisruptionBudgets[0].minAvailable: missing budget"],
    ["podDisruptionBudgets: [{name: b, selector: {app: web}, maxUnavailable: '150%'}]", 'podDisruptionBudgets[0].maxUnavailable: more than 100%: found "150%"'],
    ["horizontalPodAutoscalers: [{name: h, deployment: wbe, maxReplicas: 5}]", 'horizontalPodAutoscalers[0].deployment: no deployment named "wbe" (did you mean "web"?): found "wbe"'],
    ["horizontalPodAutoscalers: [{name: h, deployment: web, minReplicas: 4, maxReplicas: 3}]", "horizontalPodAutoscalers[0].maxReplicas: maxReplicas is below minReplicas: found 3; allowed: an integer >= minReplicas (4)"],
    ["horizontalPodAutoscalers: [{name: h, deployment: web}]", "horizontalPodAutoscalers[0].maxReplicas: missing required field"],
    ["horizontalPodAutoscalers: [{name: h, deployment: web, maxReplicas: 5}, {name: g, deployment: web, maxReplicas: 5}]", 'horizontalPodAutoscalers[1].deployment: horizontalPodAutoscalers[0] already scales this deployment: found "web"'],
    ["horizontalPodAutoscalers: [{name: h, deployment: web, maxReplicas: 5, metrics: [{type: cpu, averageUtilization: 0}]}]", "horizontalPodAutoscalers[0].metrics[0].averageUtilization: invalid value: found 0; allowed: a percentage of the pod's CPU request"],
    ["horizontalPodAutoscalers: [{name: h, deployment: web, maxReplicas: 5, metrics: [{type: memory}]}]", 'horizontalPodAutoscalers[0].metrics[0].type: unknown type: found "memory"; allowed: one of cpu, requests-per-second'],
    ["horizontalPodAutoscalers: [{name: h, deployment: web, maxReplicas: 5, behavior: {scaleUp: {policies: [{type: Pods, value: 1, period: 1h}]}}}]", "horizontalPodAutoscalers[0].behavior.scaleUp.policies[0].period: too large: found 3600; allowed: a duration from 1s to 30m"],
    ["events: [{at: 10s, action: drain, node: 7}]", "events[0].node: the cluster has 3 nodes at 10s: found 7; allowed: a node index from 0 to 2"],
    ["daemonSets: [{name: agent, labels: {app: agent}, updateStrategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}}]", "daemonSets[0].updateStrategy.rollingUpdate.maxSurge: maxSurge may not be set when maxUnavailable is non-zero"],
    ["daemonSets: [{name: web, labels: {app: agent}}]", 'daemonSets[0].name: a Deployment has this name too (their pods would share names): found "web"'],
    ["daemonSets: [{name: agent, labels: {app: agent}}]\nevents: [{at: 1s, action: rollout, deployment: web, daemonSet: agent}]", 'events[0].daemonSet: give deployment or daemonSet, not both: found "agent"'],
    ["daemonSets: [{name: agent, labels: {app: agent}}]\nevents: [{at: 1s, action: rollout, daemonSet: agnet}]", 'events[0].daemonSet: no DaemonSet named "agnet" (did you mean "agent"?): found "agnet"'],
    ["policies: [round-robin, ipvs-rr]", 'policies[1]: the same policy as "round-robin" under another name: found "ipvs-rr"; allowed: each balancer once'],
    ["cluster: {nodes: 0}", "cluster.nodes: too small: found 0; allowed: an integer >= 1"],
    ["cluster: {nodes: 2, clientWeights: [1, 1, 1]}", "cluster.clientWeights: 3 weights for 2 nodes: found [1,1,1]; allowed: a list of exactly 2 numbers"],
    ["cluster: {nodes: 2, zones: [a, b, c]}", "cluster.zones: 3 zone entries for 2 nodes: found [\"a\",\"b\",\"c\"]; allowed: at most 2 entries"],
    ["cluster: {zones: ['']}", 'cluster.zones[0]: empty: found ""; allowed: a non-empty zone name'],
    ["services: [{name: web, selector: {app: web}, trafficDistribution: PreferNear}]", 'services[0].trafficDistribution: not one of the allowed values: found "PreferNear"; allowed: one of PreferClose, PreferSameZone, PreferSameNode, or "none"'],
    ["services: [{name: web, selector: {app: web}, trafficDistribution: PreferSameNode}]", 'services[0].trafficDistribution: trafficDistribution PreferSameNode is on by default from Kubernetes 1.34, but kubernetesVersion is 1.33: found "PreferSameNode"; allowed: kubernetesVersion "1.34" or later'],
    ["cluster: {kubernetesVersion: '1.30'}\nservices: [{name: web, selector: {app: web}, trafficDistribution: PreferClose}]", 'services[0].trafficDistribution: trafficDistribution PreferClose is on by default from Kubernetes 1.31, but kubernetesVersion is 1.30'],
    ["services: [{name: web, selector: {app: web}, internalTrafficPolicy: local}]", 'services[0].internalTrafficPolicy: not one of the allowed values: found "local"; allowed: Cluster or Local'],
    ["services: [{name: web, selector: {app: web}, sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}}]", "services[0].sessionAffinityConfig: sessionAffinityConfig is set but sessionAffinity is not ClientIP"],
    ["services: [{name: web, selector: {app: web}, sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 90000}}}]", "services[0].sessionAffinityConfig.clientIP.timeoutSeconds: too large: found 90000; allowed: an integer from 1 to 86400 (seconds)"],
    ["cluster: {proxy: {watchLatency: {type: lognormal, median: 1s, p99: 100ms}}}", "cluster.proxy.watchLatency.p99: p99 (100ms) must be greater than median (1s): found \"100ms\"; allowed: greater than median (1s)"],
    ["cluster: {proxy: {watchLatency: {type: weibull}}}", 'cluster.proxy.watchLatency.type: unknown distribution type "weibull": found "weibull"; allowed: one of constant'],
    ["services: [{name: web}]", "services[0].selector: missing required field: found nothing; allowed: a non-empty mapping of label selector key -> value"],
    ["services: [{name: Web, selector: {app: web}}]", 'services[0].name: wrong format: found "Web"; allowed: a DNS-1123 label'],
    ["services: []", "services: too few entries: found []; allowed: a non-empty list of services"],
    ["deployments: [{name: web}]", "deployments[0].labels: missing required field: found nothing; allowed: a non-empty mapping of pod label key -> value"],
    ["deployments: [{name: web, labels: {app: web}, version: 2}]", "deployments[0].version: not a string: found 2; allowed: a label value"],
    ["deployments: [{name: web, labels: {app: web}, strategy: {type: Blue}}]", 'deployments[0].strategy.type: not one of the allowed values: found "Blue"; allowed: RollingUpdate or Recreate'],
    ["deployments: [{name: web, labels: {app: web}, strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}}]", "deployments[0].strategy.rollingUpdate.maxUnavailable: maxSurge and maxUnavailable are both 0"],
    ["deployments: [{name: web, labels: {app: web}, strategy: {rollingUpdate: {maxSurge: '25'}}}]", 'deployments[0].strategy.rollingUpdate.maxSurge: wrong format: found "25"; allowed: a count (an integer >= 0) or a percentage such as "25%"'],
    ["deployments: [{name: web, labels: {app: web}, pod: {serviceTime: {type: exponential}}}]", "deployments[0].pod.serviceTime.mean: missing mean: found nothing; allowed: an exponential needs mean"],
    ["workload: [{service: web}]", "workload[0].arrivals: missing required field: found nothing; allowed: a mapping {type: poisson|constant|bursty|ramp, ...}"],
    ["workload: [{service: web, arrivals: {type: poisson, rate: 0}}]", "workload[0].arrivals.rate: too small: found 0; allowed: a rate greater than 0"],
    ["workload: [{service: web, arrivals: {type: poisson, rate: fast}}]", 'workload[0].arrivals.rate: not a rate: found "fast"; allowed: a rate such as 100/s'],
    ["workload: [{service: web, arrivals: {rate: 5}}]", 'workload[0].arrivals.type: missing field "type": found nothing; allowed: one of poisson, constant, bursty, ramp'],
    ["workload: [{service: web, arrivals: {type: poisson, rate: 5}, timeout: 0}]", 'workload[0].timeout: too small: found 0; allowed: a duration greater than 0, such as 1s, or "none"'],
    ["workload: [{service: web, arrivals: {type: poisson, rate: 5}, retries: {on: [crash]}}]", 'workload[0].retries.on[0]: not one of the allowed values: found "crash"; allowed: one of refused, reset, overload, timeout, no-endpoints, unreachable'],
    ["workload: [{service: web, arrivals: {type: poisson, rate: 5}, connections: {mode: pipelined}}]", 'workload[0].connections.mode: unknown mode: found "pipelined"; allowed: one of per-request, keep-alive, pool'],
    ["events: [{at: 1s, action: explode}]", 'events[0].action: unknown action: found "explode"; allowed: one of crash, crashes, scale, rollout, readiness-failure, node-down, node-up'],
    ["events: [{at: 1s, action: crash, pods: [web-0], deployment: web}]", "events[0].deployment: give pods or deployment, not both"],
    ["events: [{at: 1s, action: scale, deployment: web}]", "events[0].replicas: missing required field: found nothing; allowed: an integer >= 0"],
    ["events: [{at: 1s, action: node-down, node: 3}]", "events[0].node: the cluster has 3 nodes at 1s: found 3; allowed: a node index from 0 to 2"],
    ["events: [{at: 331s, action: node-up}]", "events[0].at: the event is outside the simulated time: found 331; allowed: a time from 0 to warmup + duration (330s)"],
    ["events: [{at: 1s, action: node-up, node: 1}]", 'events[0].node: unknown field "node": found 1; allowed: at, action'],
    ["cluster: {kubernetesVersion: '1.28'}", 'cluster.kubernetesVersion: unsupported Kubernetes version: found "1.28"; allowed: a Kubernetes minor version, one of "1.29", "1.30"'],
    ["cluster: {kubernetesVersion: 1.32, featureGates: {ReduceDefaultCrashLoopBackOffDecay: true}}", "cluster.featureGates.ReduceDefaultCrashLoopBackOffDecay: the gate exists from Kubernetes 1.33, but kubernetesVersion is 1.32: found true"],
    ["cluster: {featureGates: {KubeletCrashLoopBackOffMax: true}}", 'cluster.featureGates.KubeletCrashLoopBackOffMax: unknown field "KubeletCrashLoopBackOffMax": found true; allowed: ReduceDefaultCrashLoopBackOffDecay'],
    ["cluster: {kubelet: {crashLoopBackOff: {initial: 20s, max: 10s}}}", "cluster.kubelet.crashLoopBackOff.initial: initial is longer than max: found 20; allowed: a duration <= max (10s)"],
    ["cluster: {kubelet: {crashLoopRecheck: never}}", 'cluster.kubelet.crashLoopRecheck: not one of the allowed values: found "never"; allowed: one of periodic, at-expiry'],
    ["deployments: [{name: web, labels: {app: web}, pod: {readiness: off}}]", 'deployments[0].pod.readiness: not a mapping: found "off"; allowed: "none", or a mapping with the fields handler, initialDelay, period, timeout'],
    ["deployments: [{name: web, labels: {app: web}, pod: {readiness: {handler: exec}}}]", 'deployments[0].pod.readiness.handler: not one of the allowed values: found "exec"; allowed: one of http, tcp'],
    ["deployments: [{name: web, labels: {app: web}, pod: {liveness: {perod: 5s}}}]", 'deployments[0].pod.liveness.perod: unknown field "perod" (did you mean "period"?)'],
    ["deployments: [{name: web, labels: {app: web}, pod: {liveness: {successThreshold: 2}}}]", "deployments[0].pod.liveness.successThreshold: a liveness probe must succeed once: found 2; allowed: 1"],
    ["deployments: [{name: web, labels: {app: web}, pod: {startupProbe: {timeout: 0s}}}]", 'deployments[0].pod.startupProbe.timeout: too small: found 0; allowed: a duration greater than 0'],
    ["deployments: [{name: web, labels: {app: web}, pod: {onSigterm: crash}}]", 'deployments[0].pod.onSigterm: not one of the allowed values: found "crash"; allowed: one of drain, exit, ignore'],
    ["events: [{at: 1s, action: readiness-failure, pods: [web-0], for: 5s}]", 'events[0].action: deployment "web" has no readiness probe to fail: found "readiness-failure"; allowed: a deployment whose pod declares readiness'],
    ["events: [{at: 1s, action: rollout, deployment: web, pod: {startupProbe: {successThreshold: 3}}}]", "events[0].pod.startupProbe.successThreshold: a startup probe must succeed once: found 3; allowed: 1"],
  ])("%s", (yaml, expected) => {
    const lines = problems(merge(yaml));
    expect(lines.length, lines.join("\n")).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.startsWith(`scenarios/bad.yaml: ${expected}`)), lines.join("\n")).toBe(true);
    for (const l of lines) {
      expect(l).toContain("found ");
      expect(l).toContain("; allowed: ");
    }
  });

  it("reports an unknown key with the closest allowed one", () => {
    const lines = problems(merge(`deployments: [{name: web, labels: {app: web}, replcas: 3}]`));
    expect(lines).toEqual([
      'scenarios/bad.yaml: deployments[0].replcas: unknown field "replcas" (did you mean "replicas"?): found 3; allowed: name, replicas, labels, version, strategy, minReadySeconds, pod',
    ]);
    expect(problems(merge("wramup: 5s"))[0]).toContain('unknown field "wramup" (did you mean "warmup"?)');
    expect(problems(merge("zzzzzzz: 5s"))[0]).not.toContain("did you mean");
    expect(problems(merge(`cluster: {proxy: {watchLatency: {type: lognormal, medain: 1s, p99: 2s}}}`))).toContain(
      'scenarios/bad.yaml: cluster.proxy.watchLatency.medain: unknown field "medain" (did you mean "median"?): found "1s"; allowed: type, median, p99, mu, sigma',
    );
  });

  it("cross-checks names: workload services, event deployments, pod names, duplicates", () => {
    const lines = problems(
      merge(`
services: [{name: web, selector: {app: web}}, {name: web, selector: {app: nothing}}]
workload: [{service: wbe, arrivals: {type: poisson, rate: 1}}]
events:
  - {at: 1s, action: crash, pods: [web-3, api-0, web-01]}
  - {at: 1s, action: scale, deployment: api, replicas: 2}
`),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        'scenarios/bad.yaml: services[1].name: duplicate service name (also services[0]): found "web"; allowed: a service name not used before',
        'scenarios/bad.yaml: workload[0].service: no service named "wbe" (did you mean "web"?): found "wbe"; allowed: the name of a service: web',
        'scenarios/bad.yaml: events[0].pods[0]: no initial pod named "web-3" (did you mean "web-0"?): found "web-3"; allowed: an initial pod name <deployment>-<i> with i < replicas: web-0..web-2',
        'scenarios/bad.yaml: events[0].pods[1]: no initial pod named "api-0": found "api-0"; allowed: an initial pod name <deployment>-<i> with i < replicas: web-0..web-2',
        expect.stringMatching(/^scenarios\/bad\.yaml: events\[0\]\.pods\[2\]: no initial pod named "web-01"/),
        'scenarios/bad.yaml: events[1].deployment: no deployment named "api": found "api"; allowed: the name of a deployment: web',
      ]),
    );
    expect(lines).toHaveLength(6);
  });

  it("reports every problem at once, type errors and cross-reference errors together", () => {
    const lines = problems(`
seed: -1
policies: [random, random]
services: [{name: web, selector: {app: web}}]
deployments: [{name: web, labels: {app: web}, pod: {concurrency: 0, queueLimit: -1}}]
workload: [{service: api, arrivals: {type: poisson, rate: -5}}]
events: [{at: 1s, action: crash, pods: [web-9]}]
`);
    expect(lines.map((l) => l.split(":")[1].trim())).toEqual(
      expect.arrayContaining([
        "seed",
        "policies[1]",
        "deployments[0].pod.concurrency",
        "deployments[0].pod.queueLimit",
        "workload[0].arrivals.rate",
        "workload[0].service",
        "events[0].pods[0]",
      ]),
    );
    expect(lines).toHaveLength(7);
  });

  it("truncates long values to 60 characters", () => {
    const lines = problems(merge(`description: {text: "${"x".repeat(100)}"}`));
    const found = /found (.*); allowed/.exec(lines[0])![1];
    expect(found.length).toBe(60);
    expect(found.endsWith("...")).toBe(true);
  });

  it("has exit code 2", () => {
    try {
      parseScenario("seed: x", "f.yaml");
    } catch (e) {
      expect((e as ScenarioError).exitCode).toBe(2);
      expect((e as ScenarioError).message.split("\n").length).toBe((e as ScenarioError).problems.length);
    }
  });
});

describe("external traffic: Service type, externalTrafficPolicy, loadBalancer, external clients", () => {
  it("defaults a LoadBalancer Service's health check from its provider and policy", () => {
    const svc = (fields: string) => scenario(`services: [{name: web, selector: {app: web}, ${fields}}]`).services[0];
    expect(svc("allowEmpty: false")).toMatchObject({ type: "ClusterIP", externalTrafficPolicy: "Cluster", loadBalancer: null });
    expect(svc("type: LoadBalancer").loadBalancer).toEqual({ provider: "gce", healthCheck: { interval: 8, timeout: 1, healthyThreshold: 1, unhealthyThreshold: 3 } });
    expect(svc("type: LoadBalancer, externalTrafficPolicy: Local, loadBalancer: {provider: aws-nlb}").loadBalancer!.healthCheck).toEqual({
      interval: 10,
      timeout: 10,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    });
    expect(svc("type: LoadBalancer, loadBalancer: {provider: aws-nlb, healthCheck: {interval: 5s}}").loadBalancer!.healthCheck).toEqual({
      interval: 5,
      timeout: 10,
      healthyThreshold: 3,
      unhealthyThreshold: 3,
    });
    expect(svc("type: NodePort, externalTrafficPolicy: Local")).toMatchObject({ type: "NodePort", externalTrafficPolicy: "Local", loadBalancer: null });
    // run.json's resolved form reads back.
    const s = scenario(`services: [{name: web, selector: {app: web}, type: LoadBalancer}]`);
    expect(scenarioFromJSON(toPlainJSON(s))).toEqual(s);
  });

  it("rejects Local on a ClusterIP Service, a load balancer on another type, and external clients of a ClusterIP Service", () => {
    const lines = problems(`
services:
  - {name: web, selector: {app: web}, externalTrafficPolicy: Local}
  - {name: api, selector: {app: web}, type: NodePort, loadBalancer: {provider: gce}}
deployments: [{name: web, labels: {app: web}}]
workload: [{service: web, from: external, arrivals: {type: poisson, rate: 100/s}}]
`);
    expect(lines).toEqual([
      'scenarios/bad.yaml: services[0].externalTrafficPolicy: a ClusterIP Service takes no external traffic: found "Local"; allowed: type: NodePort or LoadBalancer with externalTrafficPolicy: Local (or no externalTrafficPolicy)',
      'scenarios/bad.yaml: services[1].loadBalancer: a NodePort Service has no load balancer: found {"provider":"gce","healthCheck":{}}; allowed: type: LoadBalancer with loadBalancer: {...} (or no loadBalancer)',
      'scenarios/bad.yaml: workload[0].from: service "web" is a ClusterIP Service, which clients outside the cluster cannot reach: found "external"; allowed: from: cluster, or type: NodePort or LoadBalancer on services[0]',
    ]);
  });

  it("resolves taint events and successive rollouts", () => {
    const s = scenario(`
cluster: {nodes: 2}
events:
  - {at: 5s, action: taint, node: 1}
  - {at: 6s, action: untaint, node: 1}
  - {at: 7s, action: rollout, deployment: web, successive: 5, pause: 2s}
`);
    expect(s.events).toEqual([
      { at: 5, action: "taint", node: 1, key: "ToBeDeletedByClusterAutoscaler" },
      { at: 6, action: "untaint", node: 1, key: "ToBeDeletedByClusterAutoscaler" },
      { at: 7, action: "rollout", deployment: "web", version: "v2", pod: {}, successive: 5, pause: 2 },
    ]);
  });
});
