/**
 * Closed-loop clients against the machine-repair model (M/M/1//N) and their defining behaviour:
 * each client sends its next request only when the previous one has ended, so a slower server
 * means fewer requests, not a longer queue.
 */
import { describe, expect, it } from "vitest";
import { machineRepair } from "../../stats/theory.js";
import { meanAndError, runCluster, scenarioFrom, total } from "../test-support.js";

const loop = (clients: string, pod: string, extra = "") =>
  scenarioFrom(`
duration: 1000s
warmup: 50s
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 1
    labels: { app: web }
    pod: ${pod}
workload: [{ service: web, clients: ${clients} }]
${extra}`);

describe("closed-loop clients", () => {
  it("match M/M/1//N: N clients thinking Exp(40 ms) at one Exp(10 ms) server", () => {
    const N = 5;
    const s = loop(`{ mode: closed, count: ${N}, thinkTime: { type: exponential, mean: 40ms } }`, `{ concurrency: 1, queueLimit: 1000, serviceTime: { type: exponential, mean: 10ms } }`);
    const want = machineRepair(N, 25, 100);
    const runs = Array.from({ length: 6 }, (_, i) => runCluster(s, "random", 300 + i));
    const latency = meanAndError(runs.map((c) => c.metrics[0].latency.mean));
    const throughput = meanAndError(runs.map((c) => c.metrics[0].arrivals / s.duration));
    expect(Math.abs(latency.mean - want.R)).toBeLessThanOrEqual(4 * latency.se + 1e-4);
    expect(4 * latency.se).toBeLessThan(0.05 * want.R);
    expect(Math.abs(throughput.mean - want.X)).toBeLessThanOrEqual(4 * throughput.se + 0.5);
    expect(Math.abs(throughput.mean - want.X) / want.X).toBeLessThan(0.01);
  });

  it("send back to back with no think time: one client, a constant 10 ms service, 100 requests a second", () => {
    const s = loop(`{ mode: closed }`, `{ concurrency: 1, serviceTime: 10ms }`);
    const c = runCluster(s);
    const m = c.metrics[0];
    // The window holds 1000 s / 10 ms requests, give or take the one straddling each edge.
    expect(Math.abs(m.arrivals - 100_000)).toBeLessThanOrEqual(1);
    expect(m.outcomes[0]).toBe(m.arrivals);
    expect(m.latency.mean).toBeCloseTo(0.01, 6);
  });

  it("pace themselves: a slower server gets fewer requests, where open-loop arrivals would queue up", () => {
    const fast = runCluster(loop(`{ mode: closed, count: 4, thinkTime: 20ms }`, `{ concurrency: 8, serviceTime: 10ms }`));
    const slow = runCluster(loop(`{ mode: closed, count: 4, thinkTime: 20ms }`, `{ concurrency: 8, serviceTime: 70ms }`));
    // Each client cycles through service + think: 30 ms against 90 ms, so a third of the requests.
    const ratio = slow.metrics[0].arrivals / fast.metrics[0].arrivals;
    expect(ratio).toBeCloseTo(1 / 3, 2);
    expect(slow.metrics[0].latency.mean).toBeCloseTo(0.07, 6);
  });

  it("wait for retries and timeouts before the next request, and every request ends once", () => {
    const s = loop(
      `{ mode: closed, count: 3, thinkTime: 5ms }`,
      `{ concurrency: 1, queueLimit: 0, serviceTime: { type: exponential, mean: 10ms } }`,
      `events: [{ at: 200s, action: crash, pods: [web-0] }]`,
    );
    s.workload[0].timeout = 0.5;
    s.workload[0].retries = { ...s.workload[0].retries, count: 2, backoff: { type: "constant", value: 0.05 }, on: ["refused", "overload", "no-endpoints", "timeout"] };
    const c = runCluster(s);
    const m = c.metrics[0];
    expect(total(m.outcomes)).toBe(m.arrivals);
    expect(m.outcomes[3]).toBeGreaterThan(0); // overload: three clients, one worker, no queue
    // At most three requests are ever in the system: one per client.
    expect(m.areaInSystem / s.duration).toBeLessThanOrEqual(3);
    expect(c.workloads[0].open).toBe(0);
  });
});
