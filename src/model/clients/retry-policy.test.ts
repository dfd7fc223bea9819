/**
 * Retry semantics: Envoy's retry_on names, the retry budget, per-try timeouts under a request
 * deadline, gRPC's transparent retry, and the counters that say which retries were spent.
 */
import { describe, expect, it } from "vitest";
import { OUTCOMES } from "../metrics.js";
import { every, runCluster, scenarioFrom } from "../test-support.js";
import { Cluster } from "../cluster.js";

const slot = (o: string) => OUTCOMES.indexOf(o as never);

/** One Service; `retries` and the pod are YAML flow mappings. */
const scenario = (retries: string, opts: { pod?: string; selector?: string; timeout?: string; rate?: string } = {}) =>
  scenarioFrom(`
duration: 100s
warmup: 5s
services: [{ name: web, selector: ${opts.selector ?? "{ app: web }"}, allowEmpty: true }]
deployments:
  - { name: web, replicas: 2, labels: { app: web }, pod: ${opts.pod ?? "{}"} }
workload:
  - { service: web, arrivals: { type: poisson, rate: ${opts.rate ?? "20/s"} }, timeout: ${opts.timeout ?? "none"}, retries: ${retries} }
`);

describe("retry semantics", () => {
  it("reads Envoy's retry_on names as the outcomes they cover", () => {
    const on = (retryOn: string) => scenario(`{ count: 1, retryOn: ${retryOn} }`).workload[0].retries.on;
    expect(on(`"connect-failure,reset"`)).toEqual(["refused", "reset", "timeout", "no-endpoints", "unreachable"]);
    expect(on(`[gateway-error]`)).toEqual(["refused", "overload", "timeout", "no-endpoints", "unreachable"]);
    expect(on(`5xx`)).toEqual(["refused", "reset", "overload", "timeout", "no-endpoints", "unreachable"]);
    expect(on(`"deadline-exceeded"`)).toEqual(["timeout"]);
    expect(() => scenario(`{ retryOn: "connect-failure,rest" }`)).toThrow(/unknown retry_on condition "rest" \(did you mean "reset"\?\)/);
    expect(() => scenario(`{ on: [reset], retryOn: reset }`)).toThrow(/give on or retryOn, not both/);
  });

  it("gRPC transparent retry: one free retry of an attempt that never left the client, then the counted ones", () => {
    // No endpoint at all: every attempt ends no-endpoints (kube-proxy's REJECT, a refused connect).
    const c = runCluster(scenario(`{ count: 2, transparent: true }`, { selector: "{ app: nothing }" }));
    const m = c.metrics[0];
    expect(m.outcomes[slot("no-endpoints")]).toBe(m.arrivals);
    expect(m.retriesTransparent).toBe(m.arrivals);
    expect(m.retries).toBe(3 * m.arrivals);
    expect(m.retriesExhausted).toBe(m.arrivals);
    expect(m.rescued).toBe(0);
    // Without retries configured, still one transparent retry each; nothing is "exhausted".
    const free = runCluster(scenario(`{ transparent: true }`, { selector: "{ app: nothing }" })).metrics[0];
    expect(free.retries).toBe(free.arrivals);
    expect(free.retriesExhausted).toBe(0);
  });

  it("transparent retries rescue the refused connections of a crash; they are not taken on what left the client", () => {
    const crash = (retries: string) =>
      runCluster(
        scenarioFrom(`
duration: 60s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 4, labels: { app: web }, pod: { concurrency: 8, serviceTime: 50ms } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 200/s }, retries: ${retries} }]
events: [{ at: 20s, action: crash, pods: [web-0] }]
`),
      ).metrics[0];
    const none = crash(`{ on: [] }`);
    const grpc = crash(`{ on: [], transparent: true }`);
    // Same arrivals (common random numbers); the crash's refused connects are retried for free.
    expect(grpc.arrivals).toBe(none.arrivals);
    expect(none.outcomes[slot("refused")]).toBeGreaterThan(20);
    expect(grpc.outcomes[slot("refused")]).toBeLessThan(none.outcomes[slot("refused")] / 3);
    expect(grpc.rescued).toBeGreaterThan(0);
    expect(grpc.rescued).toBeLessThanOrEqual(grpc.retriesTransparent);
    // The requests the crash reset had reached the app: no transparent retry for them.
    expect(grpc.outcomes[slot("reset")]).toBe(none.outcomes[slot("reset")]);
  });

  it("a retry budget caps each client's concurrent retries at max(minConcurrency, percent x active requests)", () => {
    // Every attempt fails at once and retries wait 1 s: without a budget each client has many retries pending.
    const s = scenario(`{ count: 3, backoff: 1s, on: [no-endpoints], budget: { percent: 20%, minConcurrency: 3 } }`, { selector: "{ app: nothing }", rate: "100/s" });
    const c = new Cluster(s, "random", 1);
    let worst = 0;
    every(c, 0.05, 1, () => {
      for (const client of c.workloads[0].clients) {
        const cap = Math.max(3, Math.floor(0.2 * client.active));
        worst = Math.max(worst, client.retrying - cap);
        expect(client.retrying).toBeLessThanOrEqual(cap);
      }
    });
    c.run();
    const m = c.metrics[0];
    expect(worst).toBe(0); // the cap is reached
    expect(m.retriesDenied).toBeGreaterThan(0);
    // Every request ends either with its retries spent or with one refused.
    expect(m.retriesExhausted + m.retriesDenied).toBe(m.arrivals);
    const unlimited = runCluster(scenario(`{ count: 3, backoff: 1s, on: [no-endpoints] }`, { selector: "{ app: nothing }", rate: "100/s" })).metrics[0];
    expect(unlimited.retriesDenied).toBe(0);
    expect(unlimited.retries).toBe(3 * unlimited.arrivals);
    expect(m.retries).toBeLessThan(unlimited.retries / 2);
  });

  it("per-try timeout: each attempt gets its own, and the request's timeout ends it across retries", () => {
    // Every request takes 300 ms; 100 ms per try, 250 ms in all: tries at 0, 100 and 200 ms, the last cut at 250 ms.
    const s = scenario(`{ count: 5, retryOn: "deadline-exceeded", perTryTimeout: 100ms }`, { pod: "{ concurrency: 100, serviceTime: 300ms }", timeout: "250ms" });
    const m = runCluster(s).metrics[0];
    expect(m.outcomes[slot("timeout")]).toBe(m.arrivals);
    expect(m.retries).toBe(2 * m.arrivals);
    expect(m.retriesExhausted).toBe(0); // the deadline, not the count, ended them
    expect(m.sumSojourn / m.arrivals).toBeCloseTo(0.25, 9);
    // Without the per-try timeout, `timeout` is each attempt's: 6 tries of 250 ms, 1.5 s each request.
    const old = runCluster(scenario(`{ count: 5, retryOn: "deadline-exceeded" }`, { pod: "{ concurrency: 100, serviceTime: 300ms }", timeout: "250ms" })).metrics[0];
    expect(old.retries).toBe(5 * old.arrivals);
    expect(old.retriesExhausted).toBe(old.arrivals);
    expect(old.sumSojourn / old.arrivals).toBeCloseTo(1.5, 9);
  });

  it("a backoff that outlasts the request's deadline ends it at the deadline", () => {
    const s = scenario(`{ count: 3, backoff: 2s, on: [no-endpoints], perTryTimeout: 1s }`, { selector: "{ app: nothing }", timeout: "500ms" });
    const m = runCluster(s).metrics[0];
    expect(m.outcomes[slot("timeout")]).toBe(m.arrivals);
    expect(m.sumSojourn / m.arrivals).toBeCloseTo(0.5, 9);
  });
});
