/**
 * Rollouts and their windows: successive rollouts start `pause` after the previous one completes,
 * with counted-up versions; each window counts the requests that arrived during its rollout; and the
 * reproduction of the e2e test testRollingUpdateLBConnectivityDisruption passes each of its 5
 * rollouts with either traffic policy, while an app that stops serving before the load balancer
 * lets go of its node fails the Local rollouts.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rolloutRows } from "../report/rows.js";
import { loadScenario } from "../scenario/load.js";
import { nextVersion } from "./cluster.js";
import { runCluster, scenarioFrom } from "./test-support.js";

const key = { scenario: "s", point: 0, settings: {}, policy: "random", replication: 0, seed: 1 };

describe("successive rollouts", () => {
  it("count the version up, or suffix it", () => {
    expect([0, 1, 4].map((k) => nextVersion("1", k))).toEqual(["1", "2", "5"]);
    expect([0, 1, 2].map((k) => nextVersion("v2", k))).toEqual(["v2", "v3", "v4"]);
    expect([0, 1, 2].map((k) => nextVersion("blue", k))).toEqual(["blue", "blue-2", "blue-3"]);
  });

  it("start each rollout `pause` after the one before completed, and count each one's requests", () => {
    const s = scenarioFrom(`
duration: 200s
warmup: 10s
services: [{ name: web, selector: { app: web } }, { name: other, selector: { tier: other } }]
deployments:
  - { name: web, replicas: 3, labels: { app: web }, pod: { startup: 2s, readiness: { period: 1s }, preStop: 3s } }
  - { name: other, replicas: 2, labels: { tier: other } }
workload:
  - { service: web, arrivals: { type: poisson, rate: 50 } }
  - { service: other, arrivals: { type: poisson, rate: 10 } }
events: [{ at: 30s, action: rollout, deployment: web, version: v2, successive: 3, pause: 2s }]
`);
    const c = runCluster(s);
    expect(c.rollouts.map((r) => [r.owner, r.version, r.number])).toEqual([
      ["web", "v2", 1],
      ["web", "v3", 2],
      ["web", "v4", 3],
    ]);
    const [a, b, d] = c.rollouts;
    expect(a.startedAt).toBe(30);
    expect(b.startedAt).toBeCloseTo(a.completedAt + 2, 9);
    expect(d.startedAt).toBeCloseTo(b.completedAt + 2, 9);
    expect(d.completedAt).toBeGreaterThan(d.startedAt);
    // Only the Service selecting the rolled pods gets windows; they tile [30 s, last completion + 0).
    for (const r of c.rollouts) expect(r.windows.map((w) => c.services[w.service].name)).toEqual(["web"]);
    const rows = rolloutRows(c, key);
    expect(rows).toHaveLength(3);
    const counted = rows.reduce((n, r) => n + (r.requests as number), 0);
    expect(counted).toBeGreaterThan(50 * (d.completedAt - 30) * 0.8);
    expect(counted).toBeLessThan(50 * (d.completedAt - 30) * 1.2);
    for (const r of rows) {
      expect(r.ok).toBe(r.requests);
      expect(r.success_rate).toBe(1);
      expect(r.meets_e2e_threshold).toBe(1);
    }
  });
});

describe("the e2e LoadBalancer rolling-update test (scenarios/e2e-lb-rolling-update.yaml)", () => {
  const file = join(import.meta.dirname, "../../scenarios/e2e-lb-rolling-update.yaml");

  it("passes each of its 5 rollouts with either traffic policy: the 60 s shutdown delay outlasts the endpoint change and the health check", () => {
    const c = runCluster(loadScenario(file));
    const rows = rolloutRows(c, key);
    for (const service of ["cluster", "local"]) {
      const mine = rows.filter((r) => r.service === service);
      expect(mine.map((r) => r.version)).toEqual(["1", "2", "3", "4", "5"]);
      for (const r of mine) {
        // 3 nodes one at a time, each waiting out its old pod's 60 s.
        expect(r.duration_s).toBeGreaterThan(180);
        expect(r.duration_s).toBeLessThan(190);
        expect(r.requests).toBeGreaterThan(300);
        expect(r.success_rate).toBeGreaterThanOrEqual(0.95);
        expect(r.meets_e2e_threshold).toBe(1);
      }
    }
  });

  it("fails the Local rollouts when the app serves only 10 s after SIGTERM, less than the load balancer takes to let go of the node", () => {
    const s = loadScenario(file, { set: ["daemonSets[0].pod.drainDelay=10s", "daemonSets[1].pod.drainDelay=10s"] });
    const rows = rolloutRows(runCluster(s), key);
    const rate = (service: string) => rows.filter((r) => r.service === service).map((r) => r.success_rate as number);
    expect(rate("cluster").every((x) => x >= 0.95)).toBe(true);
    expect(rate("local").filter((x) => x < 0.95).length).toBeGreaterThanOrEqual(2);
    // Each replaced node drops what the load balancer still sends it: a timeout, once per node or so.
    for (const r of rows.filter((r) => r.service === "local")) {
      expect(r.failed).toBe(r.dropped_timeout);
      expect(r.failed as number).toBeGreaterThanOrEqual(1);
      expect(r.failed as number).toBeLessThanOrEqual(3);
    }
  });
});
