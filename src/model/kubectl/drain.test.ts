/**
 * kubectl drain against PodDisruptionBudgets: a budget holds the next eviction back until the
 * evicted pod's replacement is Ready (kubectl retries every 5 s), two budgets on one pod are an
 * error, an unready pod is evicted under AlwaysAllow but not under IfHealthyBudget when the budget
 * is short, --timeout gives up, --disable-eviction ignores budgets; cordon keeps new pods away.
 */
import { describe, expect, it } from "vitest";
import type { EventHandler } from "../../engine/index.js";
import { Cluster } from "../cluster.js";
import { runCluster, scenarioFrom } from "../test-support.js";

const web = (extra: string) =>
  scenarioFrom(`
duration: 120s
warmup: 10s
cluster: { nodes: 2 }
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 4
    labels: { app: web }
    pod: { startup: 8s, readiness: { period: 1s } }
workload: [{ service: web, arrivals: { type: poisson, rate: 50 } }]
${extra}
`);

const steps = (c: Cluster, pod: string) => c.drains[0].history.filter((h) => h.pod === pod).map((h) => [h.at, h.what]);
const marks = (c: Cluster) => c.metrics[0].series.marks.flat();

describe("kubectl drain", () => {
  it("evicts one pod, then holds the next back until the replacement is Ready, never going below minAvailable", () => {
    const s = web(`
podDisruptionBudgets: [{ name: web, selector: { app: web }, minAvailable: 3 }]
events: [{ at: 30s, action: drain, node: 0 }]
`);
    const c = new Cluster(s, "random", s.seed);
    // Healthy pods (Ready, not being deleted), counted every 100 ms from the drain on.
    let lowest = Infinity;
    const watch: EventHandler = {
      onEvent(sim) {
        lowest = Math.min(lowest, c.deployments.get("web")!.pods.filter((p) => p.ready && !p.terminating).length);
        sim.after(0.1, watch);
      },
    };
    c.sim.at(30, watch);
    c.run();
    expect(lowest).toBe(3);

    // web-0 and web-2 are on node 0. web-0 goes at once and its replacement web-4 starts on node 1
    // (node 0 is cordoned): 8 s to start, Ready at the probe at 38 s. Meanwhile web-2's eviction is
    // refused (429) and retried every 5 s; the retry at 40 s succeeds. kubectl sees each pod gone
    // at its next poll, a second later.
    const replacement = c.podByName("web-4")!;
    expect([replacement.node, replacement.createdAt, replacement.readySince]).toEqual([1, 30, 38]);
    expect(c.drains[0].history.map((h) => [h.at, h.pod, h.what])).toEqual([
      [30, "web-0", "evicted"],
      [30, "web-2", "blocked"],
      [31, "web-0", "gone"],
      [35, "web-2", "blocked"],
      [40, "web-2", "evicted"],
      [41, "web-2", "gone"],
    ]);
    expect(c.nodes[0].pods.size).toBe(0);
    expect(c.podByName("web-5")!.node).toBe(1);
    expect(marks(c)).toEqual(expect.arrayContaining(["cordon node-0", "drain-start node-0", "evict web-0", "evict web-2", "drain-end node-0"]));
  });

  it("without a budget evicts every pod at once", () => {
    const c = runCluster(web(`events: [{ at: 30s, action: drain, node: 0 }]`));
    expect(c.drains[0].history.filter((h) => h.what === "evicted").map((h) => [h.at, h.pod])).toEqual([
      [30, "web-0"],
      [30, "web-2"],
    ]);
  });

  it("refuses to evict a pod matched by two budgets, and the drain ends in error", () => {
    const c = runCluster(
      web(`
podDisruptionBudgets:
  - { name: a, selector: { app: web }, maxUnavailable: 2 }
  - { name: b, selector: { app: web }, maxUnavailable: "50%" }
events: [{ at: 30s, action: drain, node: 0 }]
`),
    );
    expect(c.drains[0].history.map((h) => h.what)).toEqual(["error", "error"]);
    expect(c.podByName("web-0")!.terminating).toBe(false);
    expect(marks(c)).toContain("drain-error node-0");
  });

  it("evicts a pod that is not Ready under AlwaysAllow, but not under IfHealthyBudget while the budget is short", () => {
    const run = (policy: string) =>
      runCluster(
        web(`
podDisruptionBudgets: [{ name: web, selector: { app: web }, minAvailable: 4, unhealthyPodEvictionPolicy: ${policy} }]
events:
  - { at: 20s, action: readiness-failure, pods: [web-0], for: 60s }
  - { at: 30s, action: drain, node: 0, timeout: 20s }
`),
      );
    const strict = run("IfHealthyBudget");
    expect(steps(strict, "web-0").map((x) => x[1])).toEqual(["blocked", "blocked", "blocked", "blocked"]);
    expect(marks(strict)).toContain("drain-timeout node-0");
    const lenient = run("AlwaysAllow");
    expect(steps(lenient, "web-0")[0]).toEqual([30, "evicted"]);
    // web-2 is Ready and the budget has nothing to spare: it waits either way.
    expect(steps(lenient, "web-2")[0]).toEqual([30, "blocked"]);
  });

  it("with --disable-eviction deletes the pods whatever the budgets say", () => {
    const c = runCluster(
      web(`
podDisruptionBudgets: [{ name: web, selector: { app: web }, minAvailable: 4 }]
events: [{ at: 30s, action: drain, node: 0, disableEviction: true }]
`),
    );
    expect(c.drains[0].history.filter((h) => h.what === "evicted").map((h) => h.at)).toEqual([30, 30]);
  });

  it("cordon keeps new pods off a node; uncordon lets them back", () => {
    const c = runCluster(
      web(`
events:
  - { at: 20s, action: cordon, node: 0 }
  - { at: 25s, action: scale, deployment: web, replicas: 8 }
  - { at: 40s, action: uncordon, node: 0 }
  - { at: 45s, action: scale, deployment: web, replicas: 10 }
`),
    );
    const nodeOf = (name: string) => c.podByName(name)!.node;
    expect(["web-4", "web-5", "web-6", "web-7"].map(nodeOf)).toEqual([1, 1, 1, 1]);
    expect(["web-8", "web-9"].map(nodeOf)).toEqual([0, 0]);
    expect(marks(c)).toEqual(expect.arrayContaining(["cordon node-0", "uncordon node-0"]));
  });
});
