/**
 * The kube-proxies of nodes no connection goes through run on clocks of their own (Cluster's
 * `proxyClocks`): a run's every report row is the same as with every proxy on the simulation's
 * clock, across the features that change endpoints, nodes or their rules.
 */
import { describe, expect, it } from "vitest";
import { podRows, rolloutRows, summaryRows, type RunKey } from "../report/rows.js";
import { Cluster } from "./cluster.js";
import { scenarioFrom } from "./test-support.js";

/** Everything the reports take from a run (time series rows included), as text. */
function reports(yaml: string, policy: string, proxyClocks: boolean): { text: string; ownClocks: number } {
  const s = scenarioFrom(yaml);
  const cluster = new Cluster(s, policy as never, s.seed, proxyClocks);
  const rows: string[] = [];
  cluster.metrics.forEach((m, i) => (m.sink = (r) => rows.push(`${i} ${JSON.stringify(r)}`)));
  cluster.run();
  const key: RunKey = { scenario: s.name, point: 0, settings: {}, policy: policy as never, replication: 0, seed: s.seed };
  // Less simulation work, the same run: the summary's count of events is the one cell that differs.
  const summary = summaryRows(cluster, key).map(({ events: _, ...row }) => row);
  const text = JSON.stringify([rows, summary, podRows(cluster, key), rolloutRows(cluster, key)]);
  return { text, ownClocks: cluster.nodes.filter((n) => !n.proxy.carriesTraffic).length };
}

const base = (cluster: string, rest: string) => `
name: clocks
seed: 3
duration: 40s
warmup: 5s
interval: 500ms
cluster:
${cluster}
services:
  - name: web
    selector: { app: web }
deployments:
  - name: web
    replicas: 12
    labels: { app: web }
    pod:
      concurrency: 4
      serviceTime: { type: exponential, mean: 20ms }
      startup: { type: uniform, min: 1s, max: 3s }
      readiness: { period: 1s }
workload:
  - service: web
    clients: 3
    arrivals: { type: poisson, rate: 300/s }
    timeout: 2s
${rest}`;

const CASES: Record<string, string> = {
  "a rollout with busy proxies and other Services' churn": base(
    `  nodes: 16
  proxy:
    watchLatency: { type: lognormal, median: 300ms, p99: 3s }
    syncDuration: { base: 50ms, perEndpoint: 2ms }
    background: { endpoints: 200, changes: 3/s }`,
    `events:
  - { at: 8s, action: rollout, deployment: web, version: v2 }
  - { at: 25s, action: scale, deployment: web, replicas: 20 }`,
  ),
  "burstSyncs 1, node failure and replacement, taint, drain, cordon": base(
    `  nodes: 12
  kubernetesVersion: "1.34"
  proxy:
    watchLatency: { type: uniform, min: 100ms, max: 2s }
    minSyncPeriod: 2s`,
    `events:
  - { at: 8s, action: node-down, node: 7 }
  - { at: 12s, action: node-up }
  - { at: 15s, action: taint, node: 5 }
  - { at: 16s, action: drain, node: 5 }
  - { at: 20s, action: cordon, node: 1 }
  - { at: 22s, action: rollout, deployment: web, version: v2 }
  - { at: 30s, action: uncordon, node: 1 }`,
  ),
  "zones with topology hints and crashes": base(
    `  nodes: 9
  zones: [a, b, c]`,
    `events:
  - { at: 10s, action: crash, deployment: web, count: 3 }
  - { at: 20s, action: rollout, deployment: web, version: v2 }`,
  ).replace("    selector: { app: web }", "    selector: { app: web }\n    trafficDistribution: PreferClose"),
};

describe("kube-proxies on clocks of their own", () => {
  for (const [name, yaml] of Object.entries(CASES)) {
    it.each(["random", "ipvs-rr", "least-connections", "static-upstream"])(`${name}: every report the same (%s)`, (policy) => {
      const own = reports(yaml, policy, true);
      const eager = reports(yaml, policy, false);
      expect(eager.ownClocks).toBe(0);
      expect(own.ownClocks).toBeGreaterThan(policy === "static-upstream" ? 8 : 5);
      expect(own.text === eager.text).toBe(true);
      // Stale nodes were counted: the gauges read the proxies on their own clocks while they lagged.
      expect(own.text).toMatch(/staleNodes\\":[1-9]/);
    });
  }
});
