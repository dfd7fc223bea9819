import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import { hashedLoad, measureModel, runInProcess, scaleSettings, twoPasses } from "./model.js";

describe("bench group model", () => {
  it("sizes pods-scale.yaml so both cluster sizes simulate the same requests at 100 per pod and second", () => {
    for (const pods of [4, 4_000]) {
      const s = loadScenario("bench/scenarios/pods-scale.yaml", { set: scaleSettings(pods, 2_000), limits: false });
      const deployment = s.deployments[0];
      expect(deployment.replicas).toBe(pods);
      const arrivals = s.workload[0].arrivals!;
      expect(arrivals.type === "poisson" && arrivals.rate * s.duration).toBeCloseTo(2_000, 6);
      expect(s.cluster.nodes).toBe(1);
    }
  });

  it("gives the source-hashing schedulers the same 64,000 clients at both sizes and a load their busiest pod can serve", () => {
    for (const pods of [4, 4_000]) {
      for (const policy of ["ipvs-sh", "ipvs-mh"] as const) {
        const s = loadScenario("bench/scenarios/pods-scale.yaml", { set: scaleSettings(pods, 2_000, policy), limits: false });
        const w = s.workload[0];
        expect(w.clients.count).toBe(64_000);
        expect(w.arrivals!.type === "poisson" && w.arrivals!.rate).toBe(hashedLoad(policy, pods)!.rate);
        expect(w.arrivals!.type === "poisson" && w.arrivals!.rate * s.duration).toBeCloseTo(2_000, 6);
      }
    }
    // Maglev reaches every pod, at 30 requests/s each; sh's 256 buckets at most 256 pods, at 50 each.
    expect(hashedLoad("ipvs-mh", 4_000)!.rate).toBe(120_000);
    expect(hashedLoad("ipvs-sh", 4)!.rate).toBe(200);
    expect(hashedLoad("ipvs-sh", 4_000)!.rate).toBe(12_800);
    expect(hashedLoad("random", 4_000)).toBeNull();
    expect(scaleSettings(4_000, 2_000, "least-connections")).toEqual(scaleSettings(4_000, 2_000));
  });

  it("counts every request a run simulates", () => {
    const r = runInProcess("bench/scenarios/pods-scale.yaml", scaleSettings(40, 2_000), "round-robin");
    // Poisson: 2,000 expected, the count within a few standard deviations (sqrt(2000) ~ 45).
    expect(r.requests).toBeGreaterThan(1_800);
    expect(r.requests).toBeLessThan(2_200);
    expect(r.cpuMs).toBeGreaterThan(0);
  });

  it("reports each size and their ratio per policy", () => {
    const figures = measureModel({ samples: 1, peerRequests: 2_000, scaleRequests: 2_000, policies: ["random"], log: () => {} });
    expect(figures.map((f) => f.id)).toEqual(["model.peer-model", "model.pods4.random", "model.pods4000.random", "model.scale.random"]);
    const [, small, large, ratio] = figures;
    // Figures keep four significant digits.
    expect(ratio.median / (small.median / large.median)).toBeCloseTo(1, 2);
    expect(ratio.target).toBe(1.5);
  });

  it("runs every policy of a scenario twice, counting the requests of one pass", () => {
    const set = ["duration=20s", "warmup=1s"];
    const r = twoPasses("scenarios/baseline.yaml", set);
    const scenario = loadScenario("scenarios/baseline.yaml", { set, limits: false });
    const once = scenario.policies.reduce((n, p) => n + runInProcess("scenarios/baseline.yaml", set, p).requests, 0);
    expect(r.requests).toBe(once);
    expect(r.freshMs).toBeGreaterThan(0);
    expect(r.warmMs).toBeGreaterThan(0);
  });
});
