/**
 * The whole model against queueing theory and its own invariants: with no faults, random dispatch
 * to single-worker pods is M/M/1 per pod (a random split of a Poisson stream is Poisson) and one
 * pod with c workers is M/M/c; every arrival ends exactly once; Little's law holds.
 */
import { describe, expect, it } from "vitest";
import { mm1, mmc } from "../stats/theory.js";
import { meanAndError, runCluster, scenarioFrom, total } from "./test-support.js";
import { Cluster, spreadClients } from "./cluster.js";
import { OUTCOMES } from "./metrics.js";

const meanLatency = (c: ReturnType<typeof runCluster>) => c.metrics[0].latency.mean;

describe("the Service model against queueing theory", () => {
  it("random dispatch to single-worker pods is M/M/1 per pod", () => {
    const s = scenarioFrom(`
duration: 2000s
warmup: 100s
policies: [random]
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 4
    labels: { app: web }
    pod: { concurrency: 1, queueLimit: 100000, serviceTime: { type: exponential, mean: 10ms } }
workload: [{ service: web, arrivals: { type: poisson, rate: 280 } }]
`);
    // Each pod sees lambda = 70/s against mu = 100/s.
    const want = mm1(70, 100).W;
    const runs = Array.from({ length: 8 }, (_, i) => meanLatency(runCluster(s, "random", 100 + i)));
    const { mean, se } = meanAndError(runs);
    expect(Math.abs(mean - want)).toBeLessThanOrEqual(4 * se);
    expect(4 * se).toBeLessThan(0.05 * want);
  });

  it("one pod with c workers is M/M/c (Erlang C)", () => {
    const s = scenarioFrom(`
duration: 2000s
warmup: 100s
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 1
    labels: { app: web }
    pod: { concurrency: 4, queueLimit: 100000, serviceTime: { type: exponential, mean: 10ms } }
workload: [{ service: web, arrivals: { type: poisson, rate: 320 } }]
`);
    const want = mmc(320, 100, 4).W;
    const runs = Array.from({ length: 8 }, (_, i) => meanLatency(runCluster(s, "random", 200 + i)));
    const { mean, se } = meanAndError(runs);
    expect(Math.abs(mean - want)).toBeLessThanOrEqual(4 * se);
    expect(4 * se).toBeLessThan(0.05 * want);
  });
});

const busy = scenarioFrom(`
duration: 120s
warmup: 10s
interval: 1s
policies: [random, round-robin, least-connections, power-of-two, static-upstream, ipvs-wrr, ipvs-wlc, ipvs-sed, ipvs-nq, ipvs-sh, ipvs-mh]
cluster: { nodes: 3 }
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 4
    labels: { app: web }
    pod: { concurrency: 2, queueLimit: 5, serviceTime: { type: lognormal, median: 8ms, p99: 80ms }, startup: 1s, readiness: { period: 2s } }
workload:
  - service: web
    arrivals: { type: bursty, rateOn: 600, rateOff: 100, meanOn: 2s, meanOff: 5s }
    timeout: 200ms
    retries: { count: 2, backoff: 20ms }
events:
  - { at: 20s, action: crash, deployment: web, count: 2 }
  - { at: 35s, action: crashes, deployment: web, mtbf: 60s, until: 90s }
  - { at: 50s, action: rollout, deployment: web, version: v2 }
  - { at: 70s, action: scale, deployment: web, replicas: 6 }
  - { at: 80s, action: readiness-failure, deployment: web, count: 1, for: 15s }
  - { at: 95s, action: scale, deployment: web, replicas: 2 }
  - { at: 100s, action: drain, node: 2 }
podDisruptionBudgets: [{ name: web, selector: { app: web }, maxUnavailable: 1 }]
`);

describe("invariants under churn", () => {
  const variants: Array<[string, typeof busy]> = [];
  for (const policy of busy.policies) variants.push([policy, busy]);
  const keepAlive = { ...busy, workload: busy.workload.map((w) => ({ ...w, connections: { mode: "keep-alive" as const, maxRequests: 50, idleTimeout: 5 } })) };
  const nodeDown = {
    ...keepAlive,
    events: [...busy.events, { at: 60, action: "node-down" as const, node: 1 }, { at: 100, action: "node-up" as const }],
  };
  const pool = { ...busy, workload: busy.workload.map((w) => ({ ...w, connections: { mode: "pool" as const, size: 3, maxRequests: 50, idleTimeout: 5 } })) };
  const poolDown = { ...pool, events: nodeDown.events };
  for (const policy of ["random", "least-connections", "static-upstream"] as const) {
    variants.push([`${policy}, keep-alive`, { ...keepAlive, policies: [policy] }]);
    variants.push([`${policy}, keep-alive, node failure`, { ...nodeDown, policies: [policy] }]);
  }
  for (const policy of ["round-robin", "power-of-two"] as const) {
    variants.push([`${policy}, pool`, { ...pool, policies: [policy] }]);
    variants.push([`${policy}, pool, node failure`, { ...poolDown, policies: [policy] }]);
  }
  for (const [label, scenario] of variants) {
    const policy = label.split(",")[0] as (typeof busy.policies)[number];
    it(`every arrival ends exactly once and Little's law holds (${label})`, () => {
      const c = runCluster(scenario, policy);
      const m = c.metrics[0];
      expect(m.arrivals).toBeGreaterThan(10000);
      expect(total(m.outcomes)).toBe(m.arrivals);
      expect(m.open).toBe(0);
      for (const wl of c.workloads) expect(wl.open).toBe(0);
      const s = m.series;
      for (let i = 0; i < s.length; i++) {
        let ended = 0;
        for (const o of s.outcomes) ended += o[i];
        expect(ended).toBe(s.arrivals[i]);
      }
      expect(total(s.arrivals)).toBe(m.arrivals);
      // Little: time-average number in system = arrival rate x mean time in system, up to the
      // requests still in the system when the window closes (a few in a 120 s window).
      const T = c.scenario.duration;
      const L = m.areaInSystem / T;
      const lambdaW = (m.arrivals / T) * (m.sumSojourn / m.arrivals);
      expect(Math.abs(L - lambdaW) / lambdaW).toBeLessThan(0.01);
      // Drops happen in this scenario, and every drop reason is accounted for by a pod or the view.
      expect(m.arrivals - m.outcomes[0]).toBeGreaterThan(0);
    });
  }

  it("gives byte-identical results for the same seed and shares arrivals across policies", () => {
    const a = runCluster(busy, "random");
    const b = runCluster(busy, "random");
    expect(Array.from(a.metrics[0].series.outcomes[0])).toEqual(Array.from(b.metrics[0].series.outcomes[0]));
    expect(a.sim.eventCount).toBe(b.sim.eventCount);
    const rr = runCluster(busy, "round-robin");
    // Common random numbers: the same arrival stream whatever the policy.
    expect(Array.from(rr.metrics[0].series.arrivals)).toEqual(Array.from(a.metrics[0].series.arrivals));
  });
});

describe("round-robin per node", () => {
  it("gives each pod, from each node, counts that differ by at most one", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
policies: [round-robin]
cluster: { nodes: 3 }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 5, labels: { app: web }, pod: { concurrency: 64 } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 300 } }]
`);
    const c = new Cluster(s, "round-robin", 1);
    const perNode = c.nodes.map(() => new Map<number, number>());
    c.nodes.forEach((node, n) => {
      const b = node.proxy.views[0].picker;
      const pick = b.pick.bind(b);
      b.pick = (source) => {
        const podId = pick(source);
        if (podId >= 0) perNode[n].set(podId, (perNode[n].get(podId) ?? 0) + 1);
        return podId;
      };
    });
    c.run();
    for (const counts of perNode) {
      const xs = [...counts.values()];
      expect(xs).toHaveLength(5);
      expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(1);
    }
  });
});

describe("client addresses and the hashing schedulers", () => {
  it("gives every client its own address on its node, and ipvs-sh sends all of a client's requests to one pod", () => {
    const yaml = `
duration: 30s
warmup: 2s
policies: [ipvs-sh]
cluster: { nodes: 2 }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 6, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 100 }, clients: 1 }]
`;
    const c = runCluster(scenarioFrom(yaml));
    const busy = c.pods.filter((p) => p.received > 0);
    expect(busy).toHaveLength(1);
    expect(busy[0].received).toBe(c.metrics[0].arrivals);

    const many = runCluster(scenarioFrom(yaml, ["workload.0.clients=12"]));
    const ips = many.workloads[0].clients.map((cl) => cl.ip);
    expect(new Set(ips).size).toBe(12);
    for (const cl of many.workloads[0].clients) expect(cl.ip >>> 8).toBe((0x0af400 + cl.node) >>> 0);
  });
});

describe("a Service whose selector matches no pod (allowEmpty)", () => {
  it("rejects every request as no-endpoints", () => {
    const s = scenarioFrom(`
duration: 20s
warmup: 2s
services: [{ name: web, selector: { app: web } }, { name: empty, selector: { app: wbe }, allowEmpty: true }]
deployments: [{ name: web, replicas: 2, labels: { app: web } }]
workload: [{ service: empty, arrivals: { type: poisson, rate: 50 } }]
`);
    const m = runCluster(s).metrics[1];
    expect(m.arrivals).toBeGreaterThan(500);
    expect(m.outcomes[OUTCOMES.indexOf("no-endpoints")]).toBe(m.arrivals);
  });
});

describe("spreadClients", () => {
  it("spreads clients by weight with the largest remainder, interleaved", () => {
    expect(spreadClients(6, [1, 1, 1])).toEqual([0, 1, 2, 0, 1, 2]);
    const nodes = spreadClients(10, [3, 1, 1]);
    expect(nodes.filter((n) => n === 0).length).toBe(6);
    expect(nodes.filter((n) => n === 1).length).toBe(2);
    expect(nodes.length).toBe(10);
  });
});
