import { describe, expect, it } from "vitest";
import { ScenarioError } from "./errors.js";
import { DEMO_LIMITS, LIMITS, demoProblems, expectedArrivals, fmt } from "./limits.js";
import { parseScenario } from "./load.js";

const MIN = `
services: [{name: web, selector: {app: web}}]
deployments: [{name: web, labels: {app: web}}]
workload: [{service: web, arrivals: {type: poisson, rate: 100/s}}]
`;

function problems(set: string[], limits = true): string[] {
  try {
    parseScenario(MIN, "s.yaml", { set, limits });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return [...(e as ScenarioError).problems];
  }
  return [];
}

describe("size limits", () => {
  // The absurd sizes of issue 7: each is refused before anything runs, naming the field, the value,
  // the cap, the reason and what to do instead.
  it.each([
    ["cluster.nodes=1000000000", "--set cluster.nodes=1000000000: cluster.nodes: over svcsim's limit of 5,000 nodes", "found 1,000,000,000; allowed: at most 5,000; instead, model only"],
    ["deployments.0.replicas=1000000000", "deployments[0].replicas: over svcsim's limit of 100,000 pods created per run", "found 1,000,000,000 (1,000,000,000 of them in web)"],
    ["workload.0.clients=2000000", "workload[0].clients: over svcsim's limit of 1,000,000 clients", "found 2,000,000;"],
    ["workload.0.arrivals.rate=1e12", "workload[0].arrivals: over svcsim's limit of 1e10 expected requests", "found 3.3e14 (1e12/s on average x 330 s x 1 policy x 1 replication)"],
    ["duration=1e12", "workload[0].arrivals: over svcsim's limit of 1e10 expected requests", "found 1e14"],
    ["interval=100us", "interval: over svcsim's limit of 1,000,000 time-series intervals per run", "found 3,000,000 (duration 300 s / interval 0.0001 s)"],
  ])("refuses %s", (set, head, detail) => {
    const line = problems([set]).find((l) => l.includes(head));
    expect(line).toContain(detail);
    expect(line).toMatch(/, because .+: found .+; allowed: at most [\d,e]+; instead, .+; or pass --no-limits if you know better$/);
  });

  it("counts requests over every policy and replication, and timeseries rows over Services too", () => {
    // 100/s x 330 s x 5 policies x 70,000 replications = 1.155e10
    expect(problems(["policies=[random, round-robin, least-connections, power-of-two, static-upstream]", "replications=70000", "interval=300s"])[0]).toContain(
      "found 1.16e10 (100/s on average x 330 s x 5 policies x 70,000 replications)",
    );
    expect(problems(["interval=1ms", "replications=40"])[0]).toContain("interval: over svcsim's limit of 10,000,000 timeseries.csv rows");
    // 300,000 intervals x 33 replications = 9.9 million rows: allowed since the reports read them a run at a time (the cap was 2 million).
    expect(problems(["interval=1ms", "replications=33"])).toEqual([]);
    expect(problems(["interval=1ms", "replications=34"])[0]).toContain("found 10,200,000 (300,000 intervals x 1 Service x 1 policy x 34 replications)");
  });

  it("bounds closed-loop clients' requests by their think time plus the fastest mean service time", () => {
    const closed = ["workload.0.arrivals=null", "workload.0.clients={mode: closed, count: 100000, thinkTime: 0s}", "duration=1e6"];
    // 100,000 clients, back to back on the default 20 ms mean service time, over 1,000,030 s: 5e12.
    expect(problems(closed).find((l) => l.includes("expected requests"))).toContain("found 5e12");
    expect(problems([...closed.slice(0, 2)])).toEqual([]);
  });

  it("counts pods created by scale-ups and rollouts", () => {
    const lines = problems(["deployments.0.replicas=40000", "events=[{at: 10s, action: rollout, deployment: web}, {at: 20s, action: scale, deployment: web, replicas: 60000}, {at: 30s, action: rollout, deployment: web}]"]);
    expect(lines[0]).toContain("found 160,000 (160,000 of them in web)"); // 40k + 40k + 20k + 60k
  });

  it("counts a DaemonSet's pods: one per node, added nodes too, all of them again at each rollout", () => {
    const ds = `
cluster: {nodes: 4000}
services: [{name: agent, selector: {app: agent}}]
daemonSets: [{name: agent, labels: {app: agent}}]
workload: [{service: agent, arrivals: {type: poisson, rate: 100/s}}]
events: [{at: 10s, action: node-up}, {at: 20s, action: rollout, daemonSet: agent, version: v2}, {at: 40s, action: rollout, daemonSet: agent, version: v3}]
`;
    let lines: string[] = [];
    try {
      parseScenario(ds, "s.yaml");
    } catch (e) {
      lines = [...(e as ScenarioError).problems];
    }
    // 4,000 + 1 node-up + 4,001 per rollout: 12,003, under the cap; 4,000 + 30 rollouts x 4,000 is over it.
    expect(lines).toEqual([]);
    const many = ds.replace(/events: .*/, `events: [${Array.from({ length: 30 }, (_, i) => `{at: ${i + 1}s, action: rollout, daemonSet: agent, version: v${i + 2}}`).join(", ")}]`);
    let over: string[] = [];
    try {
      parseScenario(many, "s.yaml");
    } catch (e) {
      over = [...(e as ScenarioError).problems];
    }
    expect(over.join("\n")).toMatch(/cluster\.nodes: over svcsim's limit of 100,000 pods created per run .*found 124,000 \(124,000 of them in agent\)/);
  });

  it("checks nodes before the schema fills one client weight per node", () => {
    const lines = problems(["cluster.nodes=1e15", "seed=-1"]);
    expect(lines).toEqual([expect.stringContaining("cluster.nodes: over svcsim's limit of 5,000 nodes")]);
  });

  it("are lifted by --no-limits", () => {
    expect(problems(["deployments.0.replicas=200000", "workload.0.arrivals.rate=1e9"], false)).toEqual([]);
  });

  it("leave every shipped-size scenario alone", () => {
    expect(problems(["duration=48h", "workload.0.arrivals.rate=5/s"])).toEqual([]);
    expect(problems(["interval=1ms"])).toEqual([]);
  });

  it("state a reason and an alternative for every cap", () => {
    for (const limit of [...Object.values(LIMITS), ...Object.values(DEMO_LIMITS)]) {
      expect(limit.reason.length).toBeGreaterThan(20);
      expect(limit.instead.length).toBeGreaterThan(10);
    }
  });
});

describe("expectedArrivals", () => {
  it("integrates each arrival process", () => {
    expect(expectedArrivals({ type: "poisson", rate: 10 }, 100)).toBe(1000);
    expect(expectedArrivals({ type: "bursty", rateOn: 800, rateOff: 200, meanOn: 2, meanOff: 8 }, 10)).toBeCloseTo(3200, 9);
    // 50/s until 60 s, linear to 200/s at 120 s, then 200/s: 3000 + 7500 + 200 x 30 at 150 s.
    expect(expectedArrivals({ type: "ramp", from: 50, to: 200, over: 60, start: 60 }, 150)).toBeCloseTo(16500, 9);
    expect(expectedArrivals({ type: "ramp", from: 50, to: 200, over: 60, start: 60 }, 90)).toBeCloseTo(3000 + 50 * 30 + (150 / 60) * 450, 9);
    expect(expectedArrivals({ type: "ramp", from: 0, to: 100, over: 0, start: 10 }, 20)).toBe(1000);
  });

  it("formats counts for messages", () => {
    expect(fmt(1_000_000)).toBe("1,000,000");
    expect(fmt(3.3e14)).toBe("3.3e14");
    expect(fmt(1e10)).toBe("1e10");
    expect(fmt(0.0001)).toBe("0.0001");
  });
});

describe("demo options", () => {
  it("refuses a run of months (--duration 1e12) and too many workers, unless --no-limits", () => {
    expect(demoProblems({ lambda: 9, mu: 1, c: 10, duration: 1e12 })).toEqual([
      expect.stringMatching(/^demo: --duration: over svcsim's limit of 1e10 expected arrivals .*: found 9e12 \(lambda 9\/s x 1e12 s\); allowed: at most 1e10; instead, use a shorter --duration; or pass --no-limits/),
    ]);
    expect(demoProblems({ lambda: 9, mu: 1e-6, c: 1e9, duration: 100 })[0]).toMatch(/^demo: -c, --workers: over svcsim's limit of 1,000,000 workers/);
    expect(demoProblems({ lambda: 9, mu: 1, c: 10, duration: 1e12 }, false)).toEqual([]);
    expect(demoProblems({ lambda: 9, mu: 1, c: 10, duration: 100000 })).toEqual([]);
  });

  it("says what is wrong with each option", () => {
    expect(demoProblems({ lambda: 0, mu: 1, c: 2.5, duration: -1 })).toEqual([
      "demo: --lambda: not a rate > 0: found 0; allowed: an arrival rate per second > 0",
      "demo: -c, --workers: not a whole number >= 1: found 2.5; allowed: a whole number of workers >= 1",
      "demo: --duration: not a duration > 0: found -1; allowed: simulated seconds > 0",
    ]);
    expect(demoProblems({ lambda: 20, mu: 1, c: 10, duration: 10 })).toEqual([
      "demo: --lambda: the queue is unstable: arrivals outpace the workers: found lambda 20 with c x mu = 10; allowed: lambda < c x mu",
    ]);
  });
});

describe("limits over an experiment", () => {
  it("sum requests over the sweep points, and share them among the shards", async () => {
    const { resolveExperiment } = await import("../experiment/experiment.js");
    const set = ["duration=1000s", "policies=[random, round-robin, least-connections]"];
    const sweep = ["workload.0.arrivals.rate=2e6,2.1e6"]; // each point about 6.3e9 requests (1,030 s x 3 policies), together 1.27e10
    expect(() => resolveExperiment(MIN, "s.yaml", { set, sweep })).toThrow(/^s\.yaml: workload\[0\]\.arrivals: over svcsim's limit of 1e10 expected requests per machine, because .*: found 1\.27e10 \(over 2 sweep points\)/);
    expect(resolveExperiment(MIN, "s.yaml", { set, sweep, shards: 2 }).points).toHaveLength(2);
    expect(resolveExperiment(MIN, "s.yaml", { set, sweep, limits: false }).points).toHaveLength(2);
    // One point alone over the cap is refused too, naming the point.
    expect(() => resolveExperiment(MIN, "s.yaml", { set, sweep: ["workload.0.arrivals.rate=1,1e9"] })).toThrow(/over svcsim's limit of 1e10 expected requests/);
    expect(() => resolveExperiment(MIN, "s.yaml", { sweep: ["cluster.nodes=3,6000"] })).toThrow(/^s\.yaml: sweep point 1 \(cluster\.nodes=6000\): cluster\.nodes: over svcsim's limit of 5,000 nodes/);
  });
});
